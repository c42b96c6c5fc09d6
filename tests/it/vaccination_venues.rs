//! The vaccination service's console set-up (接種会場, ワクチン接種の設定), its menu group and
//! the municipality's home page listing its services, driven as a browser would, on both
//! databases. The tests' clock is Tuesday 2026-12-01 09:00 JST.
use axum::http::StatusCode;
use madoguchi::db::audit;
use madoguchi::db::bookings::{self, Confirmed, NewBooking, NewPerson, TicketDose};
use madoguchi::db::holds::{self, NewHold};
use madoguchi::db::slots;
use madoguchi::db::tenants::{self, Role};
use madoguchi::db::vaccination::{self, VACCINATION};
use madoguchi::db::venues;
use time::Date;
use time::macros::date;

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, app_of, csrf};
use crate::on_both_databases;

pub(crate) const VENUES: &str = "/t/demo/staff/vaccination/venues";
const SETTINGS: &str = "/t/demo/staff/vaccination/settings";
pub(crate) const HEALTH_CENTRE: &str = "デモ市保健センター";
pub(crate) const HALL: &str = "デモ市文化会館";

/// Posts `fields` with the CSRF token of the page at `from`.
pub(crate) async fn post(
    client: &mut Client,
    from: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> Page {
    let token = csrf(&client.get(from).await.body);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    client.post_form(path, &all).await
}

/// Posts and expects the redirect back; returns the page it redirects to.
pub(crate) async fn post_ok(
    client: &mut Client,
    from: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> Page {
    let done = post(client, from, path, fields).await;
    assert_eq!(
        done.status,
        StatusCode::SEE_OTHER,
        "{path}: {}",
        done.text()
    );
    let location = done.location.clone().expect("a redirect");
    client.get(&location).await
}

pub(crate) async fn audit_details(app: &TestApp, action: &str) -> Vec<String> {
    let tenant = app.demo_tenant().await;
    audit::list(app.db(), tenant.id, None, 500)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.action == action)
        .map(|r| r.detail)
        .collect()
}

pub(crate) async fn venue_id(app: &TestApp, name: &str) -> i64 {
    let tenant = app.demo_tenant().await;
    venues::all(app.db(), tenant.id)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("venue {name}"))
        .id
}

fn venue_fields<'a>(name: &'a str, kind: &'a str, vaccine: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("venue_kind", kind),
        ("vaccine", vaccine),
        ("address", "デモ市東町5-6"),
        ("directions", "東町バス停から徒歩3分"),
        ("map_url", ""),
        ("notice", "駐車場は20台です。"),
    ]
}

async fn a_new_venue_with_hours_gets_vaccination_slots(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let tenant = app.demo_tenant().await;
    let mut admin = app.admin_client().await;
    let page = admin.get(VENUES).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_text(HEALTH_CENTRE);
    page.assert_text("集団接種会場・ファイザー");
    page.assert_text("みなとクリニック(医療機関・ファイザー)");
    page.assert_text("同時に接種できる人数");
    assert!(page.body.contains("value=\"09:00\""), "templates listed");

    // No vaccine typed: said next to the field, everything else kept, nothing stored.
    let mut missing = venue_fields("東公民館", "group", "");
    missing.retain(|(k, _)| *k != "vaccine");
    let refused = post(&mut admin, VENUES, VENUES, &missing).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_text("ワクチンの種類: この会場で接種するワクチンの種類");
    assert!(refused.body.contains("id=\"newvenue-vaccine-error\""));
    assert!(refused.body.contains("value=\"東公民館\""));
    refused.assert_text("駐車場は20台です。");
    assert_eq!(venues::all(app.db(), tenant.id).await.unwrap().len(), 3);

    // A card-pickup counter's name is taken for venues too.
    let same = post(
        &mut admin,
        VENUES,
        VENUES,
        &venue_fields("本庁舎 市民課", "group", "モデルナ"),
    )
    .await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    same.assert_text("同じ名前の窓口または接種会場がすでにあります");

    let added = post_ok(
        &mut admin,
        VENUES,
        VENUES,
        &venue_fields("東公民館", "clinic", "モデルナ"),
    )
    .await;
    added.assert_text("接種会場を追加しました。");
    added.assert_text("東公民館(医療機関・モデルナ)");
    let id = venue_id(&app, "東公民館").await;
    let stored = venues::find(app.db(), tenant.id, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.venue_kind.as_str(), stored.vaccine.as_str()),
        ("clinic", "モデルナ")
    );
    assert!(
        slots::find_by_counter_days(app.db(), id, date!(2026 - 12 - 01), date!(2027 - 01 - 31))
            .await
            .unwrap()
            .is_empty()
    );

    // Wednesdays 9:00-11:00, 30-minute slots, 4 at a time.
    let path = format!("{VENUES}/{id}/templates");
    let saved = post_ok(
        &mut admin,
        VENUES,
        &path,
        &[
            ("weekday", "3"),
            ("opens", "９:００"),
            ("closes", "11:00"),
            ("slot_min", "30"),
            ("clerks", "4人"),
        ],
    )
    .await;
    saved.assert_text("受付時間を追加しました。");
    let service_id = tenants::service_id(app.db(), tenant.id, VACCINATION)
        .await
        .unwrap();
    let wednesday =
        slots::find_by_counter_days(app.db(), id, date!(2026 - 12 - 02), date!(2026 - 12 - 02))
            .await
            .unwrap();
    assert_eq!(wednesday.len(), 4, "{wednesday:?}");
    assert!(
        wednesday
            .iter()
            .all(|s| s.capacity == 4 && s.service_id == service_id && s.taken == 0)
    );
    assert_eq!(
        wednesday.iter().map(|s| s.start_min).collect::<Vec<_>>(),
        vec![540, 570, 600, 630]
    );
    // Vaccination's window (60 days) reaches past card pickup's: 2027-01-27 is a Wednesday.
    assert_eq!(
        slots::find_by_counter_days(app.db(), id, date!(2027 - 01 - 27), date!(2027 - 01 - 27))
            .await
            .unwrap()
            .len(),
        4
    );

    // Overlapping hours on the same weekday: said at the field, nothing saved.
    let overlap = post(
        &mut admin,
        VENUES,
        &path,
        &[
            ("weekday", "3"),
            ("opens", "10:00"),
            ("closes", "12:00"),
            ("slot_min", "30"),
            ("clerks", "4"),
        ],
    )
    .await;
    assert_eq!(overlap.status, StatusCode::UNPROCESSABLE_ENTITY);
    overlap.assert_text("同じ曜日の受付時間(09:00〜11:00)と重なっています。");

    // The card-pickup schedule page shows card pickup's counters only.
    let pickup = admin.get("/t/demo/staff/schedule").await;
    pickup.assert_text("本庁舎 市民課");
    pickup.assert_no_text("東公民館");
    pickup.assert_no_text(HEALTH_CENTRE);
    // Its closure for every counter closes the venues too, and says so.
    pickup.assert_text("すべての窓口・接種会場");

    let audit = audit_details(&app, "schedule_change").await;
    assert!(
        audit
            .iter()
            .any(|d| d.contains("接種会場「東公民館」を追加(医療機関・モデルナ)")),
        "{audit:?}"
    );
    assert!(
        audit.iter().any(|d| d
            .contains("接種会場「東公民館」の受付時間を追加: 水曜 09:00〜11:00(30分枠・職員4人)")),
        "{audit:?}"
    );
}
on_both_databases!(a_new_venue_with_hours_gets_vaccination_slots);

async fn the_vaccine_and_notice_of_a_venue_are_edited(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let tenant = app.demo_tenant().await;
    let mut admin = app.admin_client().await;
    let id = venue_id(&app, HALL).await;
    let before = venues::find(app.db(), tenant.id, id)
        .await
        .unwrap()
        .unwrap();
    let path = format!("{VENUES}/{id}");
    let mut fields = vec![
        ("name", HALL),
        ("venue_kind", "group"),
        ("vaccine", "ファイザー"),
        ("address", before.address.as_str()),
        ("directions", before.directions.as_str()),
        ("map_url", ""),
        (
            "notice",
            "12月は2階の小ホールで接種します。\n駐車場はありません。",
        ),
    ];
    let done = post_ok(&mut admin, VENUES, &path, &fields).await;
    done.assert_text("接種会場を保存しました。");
    done.assert_text("デモ市文化会館(集団接種会場・ファイザー)");
    let after = venues::find(app.db(), tenant.id, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.vaccine, "ファイザー");
    assert_eq!(
        after.notice,
        "12月は2階の小ホールで接種します。\n駐車場はありません。"
    );
    let audit = audit_details(&app, "schedule_change").await;
    assert!(
        audit.iter().any(|d| d
            == "接種会場「デモ市文化会館」を変更: ワクチンの種類 「モデルナ」→「ファイザー」、会場からのお知らせ"),
        "{audit:?}"
    );

    // The same again changes nothing.
    let again = post_ok(&mut admin, VENUES, &path, &fields).await;
    again.assert_text("変更はありませんでした。");

    // A bad map address: said next to the field, nothing saved.
    fields[5] = ("map_url", "javascript:alert(1)");
    fields[2] = ("vaccine", "武田");
    let bad = post(&mut admin, VENUES, &path, &fields).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains(&format!("id=\"venue{id}-map_url-error\""))
    );
    assert!(
        bad.body.contains("value=\"武田\""),
        "what was typed is kept"
    );
    let unchanged = venues::find(app.db(), tenant.id, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unchanged.vaccine, "ファイザー");

    // A card-pickup counter is not a venue here.
    let counter = app.counter_id("本庁舎 市民課").await;
    let not_venue = post(
        &mut admin,
        VENUES,
        &format!("{VENUES}/{counter}"),
        &venue_fields("本庁舎 市民課", "group", "ファイザー"),
    )
    .await;
    assert_eq!(not_venue.status, StatusCode::NOT_FOUND);
}
on_both_databases!(the_vaccine_and_notice_of_a_venue_are_edited);

/// Books ticket `number` at the venue's first slot of `day` straight through the engine.
pub(crate) async fn book_ticket(app: &TestApp, venue: i64, day: Date, number: &str) -> String {
    let tenant = app.demo_tenant().await;
    let now = app_of(app).clock.now_unix();
    let slot = slots::find_by_counter_days(app.db(), venue, day, day)
        .await
        .unwrap()
        .into_iter()
        .next()
        .expect("a slot that day");
    let hold = holds::place(
        app.db(),
        &NewHold {
            tenant_id: tenant.id,
            counter_id: venue,
            slot_ids: &[slot.id],
            replaces: None,
            now,
            expires_at: now + 600,
        },
    )
    .await
    .unwrap()
    .expect("the hold");
    let ticket = madoguchi::db::tickets::find_by_number(app.db(), tenant.id, number)
        .await
        .unwrap()
        .expect("the sample ticket");
    let receipt = format!("77{}", &number[2..]);
    let people = [NewPerson {
        name: "接種 太郎".into(),
        kana: "セッシュ タロウ".into(),
        phone: "09012345678".into(),
        ..NewPerson::default()
    }];
    let confirmed = bookings::confirm(
        app.db(),
        &NewBooking {
            tenant_id: tenant.id,
            service_id: slot.service_id,
            counter_id: venue,
            hold_id: hold,
            receipt_number: &receipt,
            password_hash: "x",
            email: None,
            email2: None,
            idempotency_key: &format!("venue-test-{number}"),
            people: &people,
            source: "web",
            lang: "ja",
            now,
            by_staff: None,
            ticket: Some(TicketDose {
                ticket_id: ticket.id,
                dose_number: 1,
                terms_version: 1,
                booker_name: None,
                booker_phone: None,
                wants_earlier: false,
            }),
            waitlist: None,
        },
        &[],
    )
    .await
    .unwrap();
    assert!(matches!(confirmed, Confirmed::Booked(_)), "{confirmed:?}");
    receipt
}

fn rule_fields<'a>(intervals: &'a str, percent: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("intervals", intervals),
        ("few_below_percent", percent),
        ("few_at_or_below", ""),
        ("booking_window_days", "90"),
        ("session_idle_min", "20"),
        ("booking_cutoff_form", "days"),
        ("booking_cutoff_min", "0"),
        ("booking_cutoff_days", "1"),
        ("booking_cutoff_until", "17:00"),
        ("change_cutoff_form", "days"),
        ("cancel_deadline_hours", "24"),
        ("cancel_deadline_days", "3"),
        ("cancel_deadline_until", ""),
    ]
}

async fn settings_are_saved_and_bad_input_is_shown_at_its_field(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let tenant = app.demo_tenant().await;
    let mut admin = app.admin_client().await;
    let page = admin.get(SETTINGS).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("value=\"2:21d 3:5m\""));
    page.assert_text("2回目: 前回の接種日の21日後から、3回目以降: 前回の接種日の5か月後から");
    page.assert_text("予約日の3日前まで");
    assert!(page.body.contains("id=\"rules-change_cutoff_form-days\""));
    let stored = vaccination::settings(app.db(), tenant.id)
        .await
        .unwrap()
        .unwrap();

    let rules = format!("{SETTINGS}/rules");
    let bad = post(
        &mut admin,
        SETTINGS,
        &rules,
        &rule_fields("2回目は3週間後", "150"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_text("入力内容に誤りがあります");
    bad.assert_text("接種間隔: 「2回目は3週間後」を読み取れません。");
    bad.assert_text(
        "「残りわずか(△)」の割合は0から100までの数で入力してください(入力されたのは150です)。",
    );
    assert!(bad.body.contains("id=\"rules-intervals-error\""));
    assert!(
        bad.body
            .contains("aria-describedby=\"rules-intervals-hint rules-intervals-error\"")
    );
    assert!(bad.body.contains("id=\"rules-few_below_percent-error\""));
    assert!(bad.body.contains("value=\"2回目は3週間後\""), "typed kept");
    assert!(
        bad.body.contains("value=\"17:00\""),
        "the cut-off typed kept"
    );
    assert_eq!(
        vaccination::settings(app.db(), tenant.id)
            .await
            .unwrap()
            .unwrap(),
        stored,
        "nothing saved"
    );

    let saved = post_ok(
        &mut admin,
        SETTINGS,
        &rules,
        &rule_fields("２:２８d ３:６m", "25"),
    )
    .await;
    saved.assert_text("予約の決まりを保存しました。");
    saved.assert_text("予約日前日の17:00まで");
    let now = vaccination::settings(app.db(), tenant.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.intervals, "2:28d 3:6m");
    assert_eq!(now.few_below_percent, 25);
    assert_eq!(now.booking_window_days, 90);
    assert_eq!(now.session_idle_min, 20);
    assert_eq!(now.booking_cutoff_days, Some(1));
    assert_eq!(now.booking_cutoff_until_min, 17 * 60);
    // The longer window has its slots at once: 2027-03-01 (Monday) at the clinic.
    let clinic = venue_id(&app, "みなとクリニック").await;
    assert!(
        !slots::find_by_counter_days(
            app.db(),
            clinic,
            date!(2027 - 03 - 01),
            date!(2027 - 03 - 01)
        )
        .await
        .unwrap()
        .is_empty()
    );
    let audit = audit_details(&app, "settings_change").await;
    assert!(
        audit.iter().any(|d| d.starts_with("ワクチン接種の設定を変更: 接種間隔 2:21d 3:5m→2:28d 3:6m、残りわずか(△) 空きが20%未満→空きが25%未満、予約受付期間 60日先まで→90日先まで、予約の受付締切 ")
            && d.contains("→予約日前日の17:00まで")
            && d.ends_with("ログインの有効時間 30分→20分")),
        "{audit:?}"
    );

    // The wording: terms changed raise the version; a bad phone number is said at its field.
    let wording = format!("{SETTINGS}/wording");
    let mut texts = vec![
        ("terms_ja", "第1条 この規約は…"),
        ("terms_en", "Article 1. These terms..."),
        ("privacy_ja", "個人情報は接種の予約のためだけに使います。"),
        ("privacy_en", ""),
        ("notice_ja", "予診票を記入してお越しください。"),
        (
            "notice_en",
            "Please fill in the questionnaire before you come.",
        ),
        ("items_ja", "接種券、本人確認書類"),
        ("items_en", "Your ticket and an ID"),
        ("call_centre_name", "デモ市ワクチン接種予約相談センター"),
        ("call_centre_phone", "電話番号"),
        ("call_centre_hours", "平日 9:00〜17:00"),
    ];
    let bad = post(&mut admin, SETTINGS, &wording, &texts).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_text("予約相談センターの電話番号: 「0120-000-000」のように");
    bad.assert_text("Please fill in the questionnaire before you come.");
    assert_eq!(
        vaccination::settings(app.db(), tenant.id)
            .await
            .unwrap()
            .unwrap()
            .terms_version,
        stored.terms_version
    );
    texts[9] = ("call_centre_phone", "０１２０－０００－１２３");
    let saved = post_ok(&mut admin, SETTINGS, &wording, &texts).await;
    saved.assert_text("住民向けの文言を保存しました。");
    let now = vaccination::settings(app.db(), tenant.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.terms_version, stored.terms_version + 1);
    assert_eq!(now.call_centre_phone, "0120-000-123");
    assert_eq!(now.items_en, "Your ticket and an ID");
    let audit = audit_details(&app, "settings_change").await;
    assert!(
        audit.iter().any(|d| d
            .starts_with("ワクチン接種の文言を変更: 利用規約(日本語)、利用規約(英語)")
            && d.contains("予約相談センターの電話番号 「")
            && d.contains("→「0120-000-123」")),
        "{audit:?}"
    );
}
on_both_databases!(settings_are_saved_and_bad_input_is_shown_at_its_field);

async fn clerks_and_other_municipalities_are_refused(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let tenant = app.demo_tenant().await;
    let mut clerk = app.staff_client("suzuki", Role::Clerk).await;
    let roster = clerk.get("/t/demo/staff/roster").await;
    // The clerk's menu has the vaccination group without the admin's pages.
    roster.assert_text("ワクチン接種");
    assert!(
        roster
            .body
            .contains("href=\"/t/demo/staff/vaccination/roster\"")
    );
    assert!(
        !roster
            .body
            .contains("href=\"/t/demo/staff/vaccination/venues\"")
    );
    assert!(
        !roster
            .body
            .contains("href=\"/t/demo/staff/vaccination/settings\"")
    );
    for path in [VENUES, SETTINGS] {
        assert_eq!(
            clerk.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let token = csrf(&roster.body);
    let centre = venue_id(&app, HEALTH_CENTRE).await;
    let posted = clerk
        .post_form(
            &format!("{VENUES}/{centre}"),
            &[
                ("csrf", token.as_str()),
                ("name", "x"),
                ("vaccine", "x"),
                ("venue_kind", "group"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    let posted = clerk
        .post_form(
            &format!("{SETTINGS}/rules"),
            &[("csrf", token.as_str()), ("intervals", "")],
        )
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    assert_eq!(
        venues::find(app.db(), tenant.id, centre)
            .await
            .unwrap()
            .unwrap()
            .name,
        HEALTH_CENTRE
    );

    // The admin sees the whole group.
    let mut admin = app.admin_client().await;
    let roster = admin.get("/t/demo/staff/roster").await;
    for link in ["venues", "tickets", "roster", "phone", "settings"] {
        assert!(
            roster
                .body
                .contains(&format!("href=\"/t/demo/staff/vaccination/{link}\"")),
            "{link}"
        );
    }

    // Another municipality's venue is not found from this one's console, and its console
    // is not this admin's.
    let other = tenants::create_tenant(app.db(), "minato", "港区", 0)
        .await
        .unwrap();
    vaccination::offer(app.db(), other, 0).await.unwrap();
    let theirs = venues::add(
        app.db(),
        venues::NewVenue {
            tenant_id: other,
            name: "港区保健所",
            address: "",
            directions: "",
            map_url: None,
            position: 1,
            venue_kind: "group",
            vaccine: "ファイザー",
            notice: "",
        },
    )
    .await
    .unwrap();
    let fields = venue_fields("乗っ取り", "group", "モデルナ");
    for path in [
        format!("{VENUES}/{theirs}"),
        format!("{VENUES}/{theirs}/active"),
        format!("{VENUES}/{theirs}/templates"),
    ] {
        let page = post(&mut admin, VENUES, &path, &fields).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        admin.get("/t/minato/staff/vaccination/venues").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        venues::find(app.db(), other, theirs)
            .await
            .unwrap()
            .unwrap()
            .name,
        "港区保健所"
    );
}
on_both_databases!(clerks_and_other_municipalities_are_refused);

async fn the_home_page_lists_the_services_offered(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    let home = client.get("/t/demo/").await;
    assert_eq!(home.status, StatusCode::OK);
    home.assert_text("予約できるサービス");
    home.assert_text("マイナンバーカードの受取予約");
    home.assert_text("ワクチン接種の予約");
    home.assert_text("受取予約をする");
    assert!(home.body.contains("href=\"/t/demo/entry\""));
    assert!(home.body.contains("href=\"/t/demo/vaccination/\""));

    client.get("/lang?to=en&back=%2Ft%2Fdemo%2F").await;
    let english = client.get("/t/demo/").await;
    english.assert_text("Services you can book");
    english.assert_text("Vaccination booking");
    english.assert_text("Book a vaccination");

    // A town with card pickup only: its home page as it always was.
    tenants::create_tenant(app.db(), "minato", "港区", 0)
        .await
        .unwrap();
    let mut client = app.client();
    let pickup_only = client.get("/t/minato/").await;
    assert_eq!(pickup_only.status, StatusCode::OK);
    pickup_only.assert_text("受取予約をする");
    pickup_only.assert_text("予約を照会する");
    pickup_only.assert_no_text("予約できるサービス");
    pickup_only.assert_no_text("ワクチン");
    assert!(!pickup_only.body.contains("/vaccination/"));
}
on_both_databases!(the_home_page_lists_the_services_offered);
