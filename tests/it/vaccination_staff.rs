//! The console's vaccination work (issue 12, staff part), as a clerk does it over HTTP on
//! the demo municipality: 電話予約 for a caller by 接種券番号 + 生年月日, the roster per
//! venue with dose and vaccine, its CSV, check-in, one booking per dose, the interval,
//! cancelling for a caller, and another municipality's clerk seeing none of it.
use axum::http::StatusCode;
use madoguchi::db::tenants::Role;

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, csrf, value_after};
use crate::on_both_databases;

/// Thursday after the tests' Tuesday: デモ市保健センター is open, and it is past the
/// booking cut-off (前日まで) for neither.
const DAY: &str = "2026-12-03";
const CENTRE: &str = "デモ市保健センター";

async fn venue_id(app: &TestApp, name: &str) -> i64 {
    let tenant = app.demo_tenant().await;
    madoguchi::db::venues::all(app.db(), tenant.id)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no venue {name}"))
        .id
}

/// Ticket i of the demo (0-based): its number and birthdate as typed.
fn ticket(i: u32) -> (String, String) {
    let year = 1940 + (i * 3) % 60;
    (format!("2026{:06}", i + 1), format!("{year}04{:02}", 1 + i))
}

/// Looks the ticket up and returns its page's path.
async fn find_ticket(clerk: &mut Client, i: u32) -> String {
    let (number, birthdate) = ticket(i);
    let page = clerk.get("/t/demo/staff/vaccination/phone").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let found = clerk
        .post_form(
            "/t/demo/staff/vaccination/phone",
            &[
                ("csrf", &csrf(&page.body)),
                ("number", &number),
                ("birthdate", &birthdate),
            ],
        )
        .await;
    let to = found
        .location
        .clone()
        .unwrap_or_else(|| panic!("{}", found.text()));
    assert!(
        to.starts_with("/t/demo/staff/vaccination/phone/tickets/"),
        "{to}"
    );
    to
}

/// The slot ids offered as times on a ticket page, in order.
fn offered_slots(html: &str) -> Vec<String> {
    html.match_indices("name=\"slot\" value=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

/// Holds the first free time of `day` at `venue` for `dose`; returns the confirm page.
async fn hold_first(
    clerk: &mut Client,
    ticket_path: &str,
    dose: u8,
    venue: i64,
    day: &str,
) -> Page {
    let page = clerk
        .get(&format!(
            "{ticket_path}?dose={dose}&venue={venue}&date={day}"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let slots = offered_slots(&page.body);
    assert!(!slots.is_empty(), "{}", page.text());
    let held = clerk
        .post_form(
            &format!("{ticket_path}/hold"),
            &[
                ("csrf", &csrf(&page.body)),
                ("dose", &dose.to_string()),
                ("slot", &slots[0]),
            ],
        )
        .await;
    let to = held
        .location
        .clone()
        .unwrap_or_else(|| panic!("{}", held.text()));
    assert!(to.contains("/confirm?hold="), "{to}");
    let confirm = clerk.get(&to).await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.text());
    confirm.assert_text("まだ予約は確定していません。");
    confirm
}

/// Posts the 連絡先 form of `confirm` (the ticket page's step) with these values.
async fn confirm_with(clerk: &mut Client, confirm: &Page, extra: &[(&str, &str)]) -> Page {
    // The 連絡先 form (the layout's logout form comes first on the page).
    let end = confirm.body.find("/confirm\" novalidate").unwrap();
    let start = confirm.body[..end].rfind("action=\"").unwrap() + "action=\"".len();
    let action = format!("{}/confirm", &confirm.body[start..end]);
    let mut fields: Vec<(&str, String)> = vec![
        ("csrf", csrf(&confirm.body)),
        (
            "draft",
            value_after(&confirm.body, "name=\"draft\"", "value").unwrap(),
        ),
        (
            "hold",
            value_after(&confirm.body, "name=\"hold\"", "value").unwrap(),
        ),
        (
            "dose",
            value_after(&confirm.body, "name=\"dose\"", "value").unwrap(),
        ),
    ];
    for (k, v) in extra {
        fields.retain(|(name, _)| name != k);
        fields.push((k, v.to_string()));
    }
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    clerk.post_form(&action, &refs).await
}

const CONTACT: [(&str, &str); 3] = [
    ("kana", "やまだ はなこ"),
    ("phone", "090-1234-5678"),
    ("wants_earlier", "yes"),
];

/// The booking id from a redirect to its page.
fn booking_id(done: &Page) -> i64 {
    let to = done
        .location
        .as_deref()
        .unwrap_or_else(|| panic!("{}", done.text()));
    let rest = to
        .strip_prefix("/t/demo/staff/vaccination/bookings/")
        .unwrap_or_else(|| panic!("{to}"));
    rest[..rest.find('?').unwrap_or(rest.len())]
        .parse()
        .unwrap()
}

async fn a_clerk_books_dose_one_on_the_phone_and_the_roster_shows_it(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let centre = venue_id(&app, CENTRE).await;
    let mut clerk = app.staff_client("clerk1", Role::Clerk).await;
    let ticket_path = find_ticket(&mut clerk, 0).await;
    let ticket_page = clerk.get(&ticket_path).await;
    ticket_page.assert_text("2026000001");
    ticket_page.assert_text("予約はまだありません。");
    let confirm = hold_first(&mut clerk, &ticket_path, 1, centre, DAY).await;
    confirm.assert_text("ファイザー");
    confirm.assert_text("2026年12月3日(木) 09:00〜09:30");

    // Kana and phone are required: the form comes back with both messages, nothing lost.
    let missing = confirm_with(&mut clerk, &confirm, &[("email", "hanako@example.jp")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    missing.assert_text("電話番号を入力してください。");
    assert!(missing.body.contains("value=\"hanako@example.jp\""));

    let done = confirm_with(&mut clerk, &confirm, &CONTACT).await;
    let id = booking_id(&done);
    let details = clerk.get(done.location.as_deref().unwrap()).await;
    details.assert_text("電話予約を登録しました。");
    details.assert_text("1回目");
    details.assert_text("ファイザー");
    details.assert_text("2026000001");
    details.assert_text("ヤマダ ハナコ");
    details.assert_text("090-1234-5678");
    let booking = madoguchi::db::bookings::find(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(booking.source, "phone");
    assert_eq!(booking.counter_id, centre);
    let receipt = madoguchi::core::receipt::format_receipt(&booking.receipt_number);
    details.assert_text(&receipt);

    // The same press again finds the same booking.
    let again = confirm_with(&mut clerk, &confirm, &CONTACT).await;
    assert_eq!(booking_id(&again), id);

    let roster = clerk
        .get(&format!(
            "/t/demo/staff/vaccination/roster?date={DAY}&venue={centre}"
        ))
        .await;
    assert_eq!(roster.status, StatusCode::OK);
    for seen in [
        &receipt,
        "1回目",
        "ファイザー",
        "202-*****01",
        "ヤマダ ハナコ",
        "予約済",
        "希望する",
    ] {
        roster.assert_text(seen);
    }
    roster.assert_no_text("2026000001");
    // Before the day there is nothing to check in yet.
    roster.assert_text("受付済・不在は接種日の当日から記録できます。");

    let (status, bytes) = clerk
        .get_bytes(&format!(
            "/t/demo/staff/vaccination/roster.csv?date={DAY}&venue={centre}"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 with BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "日付,会場,ワクチン,時間,予約ID,接種回,接種券番号,氏名,フリガナ,電話番号,予約者,予約者電話番号,繰上げ希望,状態"
    );
    let row = lines.next().unwrap();
    assert!(
        row.starts_with(&format!(
            "2026-12-03,{CENTRE},ファイザー,09:00〜09:30,{receipt},1回目,202-*****01,"
        )),
        "{row}"
    );
    assert!(row.ends_with(",希望する,予約済"), "{row}");
    let (status, sjis) = clerk
        .get_bytes(&format!(
            "/t/demo/staff/vaccination/roster.csv?date={DAY}&venue={centre}&encoding=cp932"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (decoded, _, bad) = encoding_rs::SHIFT_JIS.decode(&sjis);
    assert!(!bad && decoded.contains("1回目") && decoded.contains("ファイザー"));
    let print = clerk
        .get(&format!(
            "/t/demo/staff/vaccination/roster/print?date={DAY}&venue={centre}"
        ))
        .await;
    print.assert_text("接種予約一覧");
    print.assert_text(&receipt);

    // On the day, 受付 makes it 受付済み, and 元に戻す undoes it.
    app.clock.advance(2 * 24 * 3600);
    // Two days idle ended the console session: the clerk logs in again.
    let mut clerk = app.staff_client("clerk2", Role::Clerk).await;
    let roster = clerk
        .get(&format!(
            "/t/demo/staff/vaccination/roster?date={DAY}&venue={centre}"
        ))
        .await;
    let checked = clerk
        .post_form(
            &format!("/t/demo/staff/vaccination/bookings/{id}/status"),
            &[
                ("csrf", &csrf(&roster.body)),
                ("status", "visited"),
                ("date", DAY),
                ("venue", &centre.to_string()),
            ],
        )
        .await;
    let back = checked.location.clone().unwrap();
    assert!(
        back.starts_with("/t/demo/staff/vaccination/roster?date=2026-12-03&venue="),
        "{back}"
    );
    let after = clerk.get(&back).await;
    after.assert_text(&format!("予約ID {receipt} を受付済みにしました。"));
    after.assert_text("受付済み");
    let booking = madoguchi::db::bookings::find(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(booking.status, "visited");
    let undone = clerk
        .post_form(
            &format!("/t/demo/staff/vaccination/bookings/{id}/status"),
            &[
                ("csrf", &csrf(&after.body)),
                ("status", "booked"),
                ("date", DAY),
                ("venue", &centre.to_string()),
            ],
        )
        .await;
    clerk
        .get(undone.location.as_deref().unwrap())
        .await
        .assert_text(&format!("予約ID {receipt} を予約済に戻しました。"));

    let audit = madoguchi::db::audit::list(app.db(), app.demo_tenant().await.id, None, 50)
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    for action in [
        "vaccination_ticket_lookup",
        "vaccination_phone_booking",
        "vaccination_roster_csv",
        "vaccination_roster_print",
        "check_in",
    ] {
        assert!(actions.contains(&action), "{action}: {actions:?}");
    }
    assert!(
        audit.iter().all(|e| !e.detail.contains("2026000001")),
        "no full ticket number in the log"
    );
}
on_both_databases!(a_clerk_books_dose_one_on_the_phone_and_the_roster_shows_it);

async fn a_dose_is_booked_once_and_cancelling_frees_its_place(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let centre = venue_id(&app, CENTRE).await;
    let mut clerk = app.staff_client("clerk1", Role::Clerk).await;
    let ticket_path = find_ticket(&mut clerk, 1).await;
    // Two tabs hold a time for dose 1 before either confirms.
    let first = hold_first(&mut clerk, &ticket_path, 1, centre, DAY).await;
    let second = hold_first(&mut clerk, &ticket_path, 1, centre, DAY).await;
    let mut with_mail = CONTACT.to_vec();
    with_mail.push(("email", "caller@example.jp"));
    let done = confirm_with(&mut clerk, &first, &with_mail).await;
    let id = booking_id(&done);
    // The caller's address gets the completion mail, as a booking online does.
    let mails = app.mails_to("caller@example.jp").await;
    assert_eq!(mails.len(), 1, "one completion mail");
    assert!(
        mails[0].subject.contains("予約完了"),
        "{}",
        mails[0].subject
    );
    let receipt = madoguchi::core::receipt::format_receipt(
        &madoguchi::db::bookings::find(app.db(), id)
            .await
            .unwrap()
            .unwrap()
            .receipt_number,
    );
    assert!(mails[0].text.contains(&receipt), "{}", mails[0].text);
    let refused = confirm_with(&mut clerk, &second, &CONTACT).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_text("この接種券の1回目はすでに予約されています。");
    let tenant = app.demo_tenant().await;
    let booked: Vec<_> = madoguchi::db::dose_bookings::of_ticket(app.db(), tenant.id, {
        madoguchi::db::tickets::find_by_number(app.db(), tenant.id, "2026000002")
            .await
            .unwrap()
            .unwrap()
            .id
    })
    .await
    .unwrap();
    assert_eq!(booked.len(), 1);
    // The refused tab's hold is given back: only the booking's place is taken.
    let day = time::macros::date!(2026 - 12 - 03);
    let taken =
        |slots: Vec<madoguchi::db::slots::Slot>| -> i32 { slots.iter().map(|s| s.taken).sum() };
    let now = app.clock.now_unix();
    assert_eq!(
        taken(
            madoguchi::db::slots::find_free_by_counter_days(app.db(), centre, day, day, now)
                .await
                .unwrap()
        ),
        1
    );
    assert_eq!(
        taken(
            madoguchi::db::slots::find_by_counter_days(app.db(), centre, day, day)
                .await
                .unwrap()
        ),
        1
    );
    // The ticket page offers dose 2 now, not dose 1 again; a hold for dose 1 is refused.
    let page = clerk
        .get(&format!("{ticket_path}?dose=1&venue={centre}&date={DAY}"))
        .await;
    page.assert_text("2026年12月24日(木)以降");
    let free_slot = madoguchi::db::slots::find_by_counter_days(app.db(), centre, day, day)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.taken == 0)
        .unwrap()
        .id
        .to_string();
    let slots = [free_slot];
    let tried = clerk
        .post_form(
            &format!("{ticket_path}/hold"),
            &[
                ("csrf", &csrf(&page.body)),
                ("dose", "1"),
                ("slot", &slots[0]),
            ],
        )
        .await;
    let to = tried.location.clone().unwrap();
    assert!(to.ends_with("error=dose"), "{to}");
    clerk
        .get(&to)
        .await
        .assert_text("選ばれた接種回は、いまは予約できません");

    // The card-pickup console pages do not take a vaccination booking: its cancel and
    // change keep the dose rules on its own page.
    for rest in ["", "/cancel", "/slots", "/change", "/password"] {
        let path = format!("/t/demo/staff/bookings/{id}{rest}");
        assert_eq!(
            clerk.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let refused = clerk
        .post_form(
            &format!("/t/demo/staff/bookings/{id}/cancel"),
            &[("csrf", &csrf(&page.body))],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(
        madoguchi::db::bookings::find(app.db(), id)
            .await
            .unwrap()
            .unwrap()
            .status,
        "booked"
    );

    // The ticket's page in the console links the booking to its vaccination page.
    let ticket_id =
        madoguchi::db::tickets::find_by_number(app.db(), app.demo_tenant().await.id, "2026000002")
            .await
            .unwrap()
            .unwrap()
            .id;
    let record = clerk
        .get(&format!("/t/demo/staff/vaccination/tickets/{ticket_id}"))
        .await;
    let link = format!("/t/demo/staff/vaccination/bookings/{id}");
    assert!(
        record.body.contains(&format!("href=\"{link}\"")),
        "{}",
        record.text()
    );
    assert_eq!(clerk.get(&link).await.status, StatusCode::OK);

    // Cancel for the caller: the place is free again and dose 1 may be booked again.
    let details = clerk
        .get(&format!("/t/demo/staff/vaccination/bookings/{id}/cancel"))
        .await;
    details.assert_text("キャンセルしますか？");
    let cancelled = clerk
        .post_form(
            &format!("/t/demo/staff/vaccination/bookings/{id}/cancel"),
            &[("csrf", &csrf(&details.body))],
        )
        .await;
    let page = clerk.get(cancelled.location.as_deref().unwrap()).await;
    page.assert_text("予約を取り消しました。");
    page.assert_text("取消");
    let mails = app.mails_to("caller@example.jp").await;
    assert_eq!(mails.len(), 2, "the completion and the cancellation");
    assert!(
        mails
            .iter()
            .any(|m| m.subject.contains("予約取消") && m.text.contains(&receipt)),
        "{mails:?}"
    );
    assert_eq!(
        taken(
            madoguchi::db::slots::find_by_counter_days(app.db(), centre, day, day)
                .await
                .unwrap()
        ),
        0
    );
    let page = clerk.get(&ticket_path).await;
    assert!(
        page.body.contains("name=\"dose\" value=\"1\""),
        "{}",
        page.text()
    );
    let audit = madoguchi::db::audit::list(app.db(), tenant.id, Some(id), 10)
        .await
        .unwrap();
    assert!(
        audit.iter().any(|e| e.action == "vaccination_cancel"),
        "{audit:?}"
    );
}
on_both_databases!(a_dose_is_booked_once_and_cancelling_frees_its_place);

async fn the_interval_refuses_a_day_too_early_and_lookups_say_what_is_wrong(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let centre = venue_id(&app, CENTRE).await;
    let mut clerk = app.staff_client("clerk1", Role::Clerk).await;
    // Ticket 14: dose 3, previous dose three months ago, five months needed.
    let ticket_path = find_ticket(&mut clerk, 14).await;
    let page = clerk
        .get(&format!("{ticket_path}?dose=3&venue={centre}&date={DAY}"))
        .await;
    page.assert_text(
        "この日は前回の接種から接種可能な期間を経過していないため、予約できません。2027年2月1日(月)以降の日を選んでください。",
    );
    assert!(offered_slots(&page.body).is_empty());

    // A wrong birthdate finds nothing; a short number says what is wrong.
    let form = clerk.get("/t/demo/staff/vaccination/phone").await;
    let wrong = clerk
        .post_form(
            "/t/demo/staff/vaccination/phone",
            &[
                ("csrf", &csrf(&form.body)),
                ("number", "2026000001"),
                ("birthdate", "19400402"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_text("入力された情報に該当する接種券が見つかりませんでした。");
    assert!(wrong.body.contains("value=\"2026000001\""));
    let short = clerk
        .post_form(
            "/t/demo/staff/vaccination/phone",
            &[
                ("csrf", &csrf(&form.body)),
                ("number", "20260001"),
                ("birthdate", ""),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    short.assert_text("接種券番号");
    assert!(short.body.contains("aria-describedby=\"number-error\""));
    // Without the CSRF token, nothing is looked up.
    let forged = clerk
        .post_form(
            "/t/demo/staff/vaccination/phone",
            &[("number", "2026000001"), ("birthdate", "19400401")],
        )
        .await;
    assert!(
        forged.location.is_none() && forged.status.is_client_error(),
        "{}",
        forged.status
    );
}
on_both_databases!(the_interval_refuses_a_day_too_early_and_lookups_say_what_is_wrong);

async fn another_municipality_sees_no_venue_and_the_pickup_roster_no_venue(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let centre = venue_id(&app, CENTRE).await;
    let mut clerk = app.staff_client("clerk1", Role::Clerk).await;
    let ticket_path = find_ticket(&mut clerk, 2).await;
    let confirm = hold_first(&mut clerk, &ticket_path, 1, centre, DAY).await;
    let id = booking_id(&confirm_with(&mut clerk, &confirm, &CONTACT).await);

    // The card-pickup roster lists card-pickup counters only.
    let pickup = clerk.get(&format!("/t/demo/staff/roster?date={DAY}")).await;
    assert_eq!(pickup.status, StatusCode::OK);
    pickup.assert_no_text(CENTRE);
    pickup.assert_no_text("みなとクリニック");
    assert_eq!(
        clerk
            .get(&format!("/t/demo/staff/roster?date={DAY}&counter={centre}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let other = madoguchi::db::tenants::create_tenant(app.db(), "other", "他市", 0)
        .await
        .unwrap();
    let hash = madoguchi::secrets::hash_password("other-clerk-password");
    madoguchi::db::tenants::add_staff(app.db(), other, "clerk", "他市職員", &hash, Role::Clerk, 0)
        .await
        .unwrap();
    let mut foreign = app.client();
    let login = foreign.get("/t/other/staff/login").await;
    foreign
        .post_form(
            "/t/other/staff/login",
            &[
                ("csrf", &csrf(&login.body)),
                ("login", "clerk"),
                ("password", "other-clerk-password"),
            ],
        )
        .await;
    let own = foreign.get("/t/other/staff/vaccination/roster").await;
    assert_eq!(own.status, StatusCode::OK);
    own.assert_text("接種会場が登録されていません。");
    for path in [
        format!("/t/other/staff/vaccination/roster?date={DAY}&venue={centre}"),
        format!("/t/other/staff/vaccination/roster.csv?date={DAY}&venue={centre}"),
        format!("/t/other/staff/vaccination/roster/print?date={DAY}&venue={centre}"),
        format!("/t/other/staff/vaccination/bookings/{id}"),
        format!("/t/other/staff/vaccination/bookings/{id}/cancel"),
        "/t/other/staff/vaccination/phone".to_string(),
        format!("/t/demo/staff/vaccination/roster?date={DAY}&venue={centre}"),
        format!("/t/demo/staff/vaccination/bookings/{id}"),
        ticket_path.clone(),
    ] {
        let page = foreign.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
    let (_, csv) = foreign
        .get_bytes(&format!("/t/other/staff/vaccination/roster.csv?date={DAY}"))
        .await;
    assert!(!String::from_utf8_lossy(&csv).contains("ヤマダ"));
    for path in [
        format!("/t/other/staff/vaccination/bookings/{id}/cancel"),
        format!("/t/other/staff/vaccination/bookings/{id}/status"),
        format!("/t/demo/staff/vaccination/bookings/{id}/cancel"),
    ] {
        let tried = foreign
            .post_form(&path, &[("csrf", &csrf(&own.body)), ("status", "no_show")])
            .await;
        assert_eq!(tried.status, StatusCode::NOT_FOUND, "{path}");
    }
    let booking = madoguchi::db::bookings::find(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(booking.status, "booked");
}
on_both_databases!(another_municipality_sees_no_venue_and_the_pickup_roster_no_venue);

async fn choosing_another_time_lets_go_of_the_first_hold(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let centre = venue_id(&app, CENTRE).await;
    let mut clerk = app.staff_client("clerk1", Role::Clerk).await;
    let ticket_path = find_ticket(&mut clerk, 4).await;
    let confirm = hold_first(&mut clerk, &ticket_path, 1, centre, DAY).await;
    let day = time::macros::date!(2026 - 12 - 03);
    let taken = |slots: &[madoguchi::db::slots::Slot]| -> Vec<i32> {
        slots.iter().map(|s| s.taken).collect()
    };
    let before = madoguchi::db::slots::find_by_counter_days(app.db(), centre, day, day)
        .await
        .unwrap();
    assert_eq!(taken(&before).iter().sum::<i32>(), 1);
    // 日時を選び直す, then another time: one place held, at the new time.
    let end = confirm.body.find("\">日時を選び直す").unwrap();
    let start = confirm.body[..end].rfind("href=\"").unwrap() + "href=\"".len();
    let again = confirm.body[start..end].replace("&amp;", "&");
    assert!(again.contains("&hold="), "{again}");
    let page = clerk.get(&again).await;
    let slots = offered_slots(&page.body);
    let held = clerk
        .post_form(
            &format!("{ticket_path}/hold"),
            &[
                ("csrf", &csrf(&page.body)),
                ("dose", "1"),
                ("slot", &slots[1]),
                (
                    "hold",
                    &value_after(&page.body, "name=\"hold\"", "value").unwrap(),
                ),
            ],
        )
        .await;
    assert!(held.location.as_deref().unwrap().contains("/confirm?hold="));
    let after = madoguchi::db::slots::find_by_counter_days(app.db(), centre, day, day)
        .await
        .unwrap();
    assert_eq!(taken(&after).iter().sum::<i32>(), 1);
    assert_eq!(after[0].taken, 0, "the first time is free again");
    assert_eq!(after[1].taken, 1);
}
on_both_databases!(choosing_another_time_lets_go_of_the_first_hold);

async fn undoing_a_no_show_whose_dose_was_booked_again_is_refused(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let centre = venue_id(&app, CENTRE).await;
    let mut clerk = app.staff_client("clerk1", Role::Clerk).await;
    let ticket_path = find_ticket(&mut clerk, 5).await;
    let confirm = hold_first(&mut clerk, &ticket_path, 1, centre, DAY).await;
    let id = booking_id(&confirm_with(&mut clerk, &confirm, &CONTACT).await);
    // On the day the person does not come: 不在 frees the dose, booked again for Saturday.
    app.clock.advance(2 * 24 * 3600);
    let mut clerk = app.staff_client("clerk2", Role::Clerk).await;
    let roster = clerk
        .get(&format!(
            "/t/demo/staff/vaccination/roster?date={DAY}&venue={centre}"
        ))
        .await;
    let status = |s: &'static str| {
        [
            ("csrf", csrf(&roster.body)),
            ("status", s.to_string()),
            ("date", DAY.to_string()),
            ("venue", centre.to_string()),
        ]
    };
    let path = format!("/t/demo/staff/vaccination/bookings/{id}/status");
    let fields = status("no_show");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let missed = clerk.post_form(&path, &refs).await;
    assert!(missed.location.unwrap().contains("result=no_show"));
    let confirm = hold_first(&mut clerk, &ticket_path, 1, centre, "2026-12-05").await;
    let again = booking_id(&confirm_with(&mut clerk, &confirm, &CONTACT).await);
    assert_ne!(again, id);
    // Undoing 不在 now would book dose 1 twice: said on the roster, nothing changed.
    let fields = status("booked");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let undo = clerk.post_form(&path, &refs).await;
    let to = undo
        .location
        .clone()
        .unwrap_or_else(|| panic!("{}", undo.text()));
    assert!(to.contains("result=rebooked"), "{to}");
    clerk
        .get(&to)
        .await
        .assert_text("同じ接種回の新しい予約をすでにお持ちのため、予約済に戻せません。");
    let booking = madoguchi::db::bookings::find(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(booking.status, "no_show");
}
on_both_databases!(undoing_a_no_show_whose_dose_was_booked_again_is_refused);
