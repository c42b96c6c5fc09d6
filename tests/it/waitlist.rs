//! The cancellation-slot waitlist (issue 13, seed 001) over HTTP on both databases: the
//! address check, registration with mistakes explained beside the fields, a family of two
//! from one address, 修正, a cancelled booking's place becoming a waitlist place,
//! 空き枠のお知らせ at the set time queued once by two instances racing and none after a
//! restart, one mail per family, 申し込む raced by three registrants for the one place
//! (exactly one booked, the others told it is taken), no notice after booking, and
//! データの削除 leaving the booking.
use axum::http::StatusCode;
use madoguchi::db::venues;
use madoguchi::web::waitlist::notices::send_due;

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, csrf, link_in, test_settings};
use crate::on_both_databases;
use crate::vaccination::{
    day_of, hold_on_day, links, logged_in, press_confirm, to_confirm_verified,
};

const NOTICE: &str = "空き枠のお知らせ";

/// The address checked through its mail; the client then has the waitlist session.
async fn checked(app: &TestApp, email: &str) -> Client {
    let mut client = app.client();
    let start = client.get("/t/demo/waitlist").await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.text());
    start.assert_text("キャンセル待ち申請");
    let sent = client
        .post_form(
            "/t/demo/waitlist",
            &[("csrf", &csrf(&start.body)), ("email", email)],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text());
    sent.assert_text("確認メールを送信しました");
    let mails = app.mails_to(email).await;
    let mail = mails
        .iter()
        .rev()
        .find(|m| m.subject.contains("メールアドレスの確認"))
        .expect("the check");
    let link =
        link_in(&mail.text, "http://127.0.0.1:3000/t/demo/waitlist/verify/").expect("a link");
    let landing = client.get(&link).await;
    assert_eq!(landing.status, StatusCode::OK, "{}", landing.text());
    let pressed = client
        .post_form(&link, &[("csrf", &csrf(&landing.body))])
        .await;
    assert_eq!(pressed.location.as_deref(), Some("/t/demo/waitlist/me"));
    // Used: a second press is refused.
    let again = client
        .post_form(&link, &[("csrf", &csrf(&landing.body))])
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    client
}

async fn register(client: &mut Client, fields: &[(&str, &str)]) -> Page {
    let form = client.get("/t/demo/waitlist/register").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text());
    let token = csrf(&form.body);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    client.post_form("/t/demo/waitlist/register", &all).await
}

fn person<'a>(name: &'a str, phone: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("birthdate", "昭和47年9月15日"),
        ("phone", phone),
        ("dose", "3"),
        ("notify", "1"),
    ]
}

/// A vaccination booking at the clinic (one place per time) made and cancelled by its
/// resident: its place is the waitlist's. Returns the clinic's name.
async fn a_clinic_place_freed(app: &TestApp) -> String {
    let tenant = app.demo_tenant().await;
    let clinic = venues::active(app.db(), tenant.id)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.venue_kind == "clinic")
        .expect("the demo's clinic");
    let mut resident = app.client();
    logged_in(&mut resident, 0).await;
    resident.get("/t/demo/vaccination/book?dose=1").await;
    let venue = format!("/t/demo/vaccination/venues/{}", clinic.id);
    let calendar = resident.get(&venue).await;
    // Beyond the change deadline (「予約日の3日前まで」), so its resident can cancel it.
    let day = links(&calendar.body, &format!("{venue}/"))
        .into_iter()
        .find(|l| day_of(l) >= time::macros::date!(2026 - 12 - 07))
        .expect("a clinic day a week ahead");
    let (contact, _) = hold_on_day(&mut resident, &day).await;
    let confirm = to_confirm_verified(app, &mut resident, &contact, "first@example.jp").await;
    let done = press_confirm(&mut resident, &confirm).await;
    assert!(done.status.is_redirection(), "{}", done.text());
    let mypage = resident.get("/t/demo/vaccination/mypage").await;
    let booking = links(&mypage.body, "/t/demo/vaccination/bookings/")[0].clone();
    let cancel = format!("{booking}/cancel");
    let page = resident.get(&cancel).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let cancelled = resident
        .post_form(&cancel, &[("csrf", &csrf(&page.body))])
        .await;
    assert!(cancelled.status.is_redirection(), "{}", cancelled.text());
    clinic.name
}

async fn the_waitlist_from_registration_to_booking(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    // A family of two from one address, and two others.
    let mut family = checked(&app, "family@example.jp").await;
    assert_eq!(
        family.get("/t/demo/waitlist/me").await.location.as_deref(),
        Some("/t/demo/waitlist/register"),
        "nobody registered yet"
    );
    let refused = register(
        &mut family,
        &[
            ("name", " "),
            ("birthdate", "1972-13-40"),
            ("phone", "452101111"),
            ("dose", ""),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_text("入力内容に誤りがあります");
    refused.assert_text("氏名を入力してください。");
    refused.assert_text("接種回を選んでください。");
    assert!(refused.body.contains("id=\"phone-error\""));
    assert!(refused.body.contains("id=\"birthdate-error\""));
    assert!(
        refused.body.contains("value=\"452101111\""),
        "kept as typed"
    );
    let done = register(&mut family, &person("神奈川 花子", "045-210-1111")).await;
    assert_eq!(done.location.as_deref(), Some("/t/demo/waitlist/me"));
    register(&mut family, &person("神奈川 太郎", "09012345678")).await;
    let mine = family.get("/t/demo/waitlist/me").await;
    mine.assert_text("登録しました。");
    mine.assert_text("神奈川 花子");
    mine.assert_text("神奈川 太郎");
    mine.assert_text("1972年9月15日");
    mine.assert_text("0452101111");
    mine.assert_text("3回目");
    let mut second = checked(&app, "second@example.jp").await;
    register(&mut second, &person("横浜 次郎", "0451112222")).await;
    let mut third = checked(&app, "third@example.jp").await;
    register(&mut third, &person("川崎 三郎", "0443334444")).await;
    // 修正: 太郎 wants no notices.
    let taro = links(&mine.body, "/t/demo/waitlist/r/")
        .into_iter()
        .filter(|l| l.ends_with("/edit"))
        .nth(1)
        .expect("太郎's edit link");
    let form = family.get(&taro).await;
    form.assert_text("個人情報の修正");
    assert!(form.body.contains("value=\"1972-09-15\""));
    let mut fields = person("神奈川 太郎", "09012345678");
    fields.retain(|(k, _)| *k != "notify");
    let token = csrf(&form.body);
    fields.push(("csrf", &token));
    let saved = family.post_form(&taro, &fields).await;
    assert_eq!(saved.location.as_deref(), Some("/t/demo/waitlist/me"));
    family
        .get("/t/demo/waitlist/me")
        .await
        .assert_text("登録情報を修正しました。");

    // 09:00 on the first day, nothing freed: nothing to tell.
    assert_eq!(send_due(&app.app).await.unwrap(), 0);
    family
        .get("/t/demo/waitlist/places")
        .await
        .assert_text("いま申し込める空き枠はありません");

    // A cancelled booking's place is the waitlist's; two instances run the 09:00 notice.
    let clinic = a_clinic_place_freed(&app).await;
    let other =
        madoguchi::server::build_app(test_settings(app.database_url(), true), app.clock.clone())
            .await
            .unwrap();
    let (a, b) = tokio::join!(send_due(&app.app), send_due(&other));
    assert_eq!(
        a.unwrap() + b.unwrap(),
        3,
        "the family once (花子; 太郎 opted out), the second, the third"
    );
    drop(other);
    let restarted =
        madoguchi::server::build_app(test_settings(app.database_url(), true), app.clock.clone())
            .await
            .unwrap();
    assert_eq!(send_due(&restarted).await.unwrap(), 0);
    for to in ["family@example.jp", "second@example.jp", "third@example.jp"] {
        let notices: Vec<_> = app
            .mails_to(to)
            .await
            .into_iter()
            .filter(|m| m.subject.contains(NOTICE))
            .collect();
        assert_eq!(notices.len(), 1, "{to}: {notices:?}");
        assert!(notices[0].text.contains(&clinic), "{}", notices[0].text);
        assert!(notices[0].text.contains("/t/demo/waitlist/places"));
        assert!(
            !notices[0].text.contains("0452101111"),
            "no phone in a notice"
        );
    }

    // 申し込む: three registrants press at once for the one place.
    let mut pages = Vec::new();
    for client in [&mut family, &mut second, &mut third] {
        let page = client.get("/t/demo/waitlist/places").await;
        page.assert_text(&clinic);
        page.assert_text("1人分");
        pages.push(page);
    }
    let form = |page: &Page| {
        let slot = crate::common::value_after(&page.body, "name=\"slot\"", "value").unwrap();
        let person = crate::common::value_after(&page.body, "name=\"person\"", "value").unwrap();
        (csrf(&page.body), slot, person)
    };
    let (f1, f2, f3) = (form(&pages[0]), form(&pages[1]), form(&pages[2]));
    let press = |client: &Client, f: &(String, String, String)| {
        let fields = [
            ("csrf".to_string(), f.0.clone()),
            ("slot".to_string(), f.1.clone()),
            ("person".to_string(), f.2.clone()),
            ("dose".to_string(), "3".to_string()),
        ];
        let mut c = client.clone();
        async move {
            let refs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            c.post_form("/t/demo/waitlist/apply", &refs).await
        }
    };
    let (r1, r2, r3) = tokio::join!(press(&family, &f1), press(&second, &f2), press(&third, &f3));
    let results = [&r1, &r2, &r3];
    let booked = results
        .iter()
        .filter(|r| r.location.as_deref() == Some("/t/demo/waitlist/me"))
        .count();
    let taken = results
        .iter()
        .filter(|r| r.status == StatusCode::CONFLICT && r.text().contains("この枠は埋まりました"))
        .count();
    assert_eq!(
        (booked, taken),
        (1, 2),
        "{:?}",
        results.map(|r| (r.status, r.location.clone()))
    );
    let winner = results.iter().position(|r| r.location.is_some()).unwrap();
    let (mut winner_client, winner_mail) = match winner {
        0 => (family, "family@example.jp"),
        1 => (second, "second@example.jp"),
        _ => (third, "third@example.jp"),
    };
    let mine = winner_client.get("/t/demo/waitlist/me").await;
    mine.assert_text("予約が確定しました。");
    mine.assert_text(&clinic);
    let confirmations: Vec<_> = app
        .mails_to(winner_mail)
        .await
        .into_iter()
        .filter(|m| m.subject.contains("予約確定通知"))
        .collect();
    assert_eq!(confirmations.len(), 1);
    assert!(confirmations[0].text.contains("■予約ID"));
    assert!(confirmations[0].text.contains("3回目"));
    // The same press again books nothing more.
    let places = winner_client.get("/t/demo/waitlist/places").await;
    assert!(!places.text().contains(&clinic), "taken: not listed");

    // 12:00: nothing is free any more, so no notice; and the booked never get one again.
    app.clock.advance(3 * 3600);
    assert_eq!(send_due(&app.app).await.unwrap(), 0);

    // データの削除 (the session has lapsed meanwhile: the address is checked again): the
    // checkbox first; the booking stays.
    assert_eq!(
        winner_client
            .get("/t/demo/waitlist/me")
            .await
            .location
            .as_deref(),
        Some("/t/demo/waitlist")
    );
    let mut winner_client = checked(&app, winner_mail).await;
    let mine = winner_client.get("/t/demo/waitlist/me").await;
    let delete = links(&mine.body, "/t/demo/waitlist/r/")
        .into_iter()
        .find(|l| l.ends_with("/delete"))
        .unwrap();
    let page = winner_client.get(&delete).await;
    page.assert_text("登録情報の削除は、接種予約のキャンセルではありません");
    let token = csrf(&page.body);
    let unticked = winner_client
        .post_form(&delete, &[("csrf", token.as_str())])
        .await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    unticked.assert_text("確認のチェックボックスにチェックを入れてください");
    let deleted = winner_client
        .post_form(&delete, &[("csrf", token.as_str()), ("confirm", "1")])
        .await;
    assert_eq!(deleted.location.as_deref(), Some("/t/demo/waitlist/me"));
    let after = winner_client.get("/t/demo/waitlist/me").await;
    after.assert_text("接種予約はキャンセルされていません");
    let tenant = app.demo_tenant().await;
    let service = madoguchi::db::vaccination::settings(app.db(), tenant.id)
        .await
        .unwrap()
        .unwrap()
        .service_id;
    let kept = madoguchi::db::waitlist::bookings_from(app.db(), service, app.clock.today())
        .await
        .unwrap();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0].status, "booked");
    assert_eq!(kept[0].birthdate, None, "the registration is gone");

    // Another address cannot reach someone else's registration.
    let mut stranger = checked(&app, "stranger@example.jp").await;
    assert_eq!(stranger.get(&taro).await.status, StatusCode::NOT_FOUND);
}
on_both_databases!(the_waitlist_from_registration_to_booking);

/// The console's キャンセル待ち: a clerk posts a venue's キャンセル枠 (mistakes explained
/// beside the fields), the slot plan keeps the added place, the waitlist is told at the set
/// time (saved by an admin; a clerk may not), and the キャンセルリスト shows the 希望者 with
/// phone and birthdate.
async fn a_venues_cancellation_places_reach_the_waitlist(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let tenant = app.demo_tenant().await;
    let clinic = venues::active(app.db(), tenant.id)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.venue_kind == "clinic")
        .unwrap();
    let mut resident = checked(&app, "posted@example.jp").await;
    register(&mut resident, &person("相模 花子", "0467001122")).await;

    let mut clerk = app
        .staff_client("clerk1", madoguchi::db::tenants::Role::Clerk)
        .await;
    let page = clerk.get("/t/demo/staff/vaccination/waitlist").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    page.assert_text("キャンセル待ちに登録している方は1人です");
    assert!(
        !page.text().contains("空き枠のお知らせの時刻"),
        "admins only"
    );
    let token = csrf(&page.body);
    let clinic_id = clinic.id.to_string();
    let post = |day: &'static str, at: &'static str, places: &'static str| {
        let (token, clinic_id, mut clerk) = (token.clone(), clinic_id.clone(), clerk.clone());
        async move {
            clerk
                .post_form(
                    "/t/demo/staff/vaccination/waitlist/places",
                    &[
                        ("csrf", token.as_str()),
                        ("venue", clinic_id.as_str()),
                        ("day", day),
                        ("at", at),
                        ("places", places),
                    ],
                )
                .await
        }
    };
    let refused = post("2026-12-40", "25:00", "0").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_text("日付は「2026-12-03」のように入力してください。");
    refused.assert_text("時刻は「14:00」のように入力してください。");
    let no_slot = post("2026-12-09", "09:00", "2").await;
    assert_eq!(no_slot.status, StatusCode::UNPROCESSABLE_ENTITY);
    no_slot.assert_text("その会場・日時の接種枠がありません");
    // The clinic's 12月9日(水) 14:00: one place by the timetable, two more posted.
    let posted = post("2026-12-09", "14:00", "２").await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text());
    let slot = madoguchi::db::waitlist::slot_at(
        app.db(),
        madoguchi::db::vaccination::settings(app.db(), tenant.id)
            .await
            .unwrap()
            .unwrap()
            .service_id,
        clinic.id,
        time::macros::date!(2026 - 12 - 09),
        14 * 60,
    )
    .await
    .unwrap()
    .unwrap();
    madoguchi::db::slots::materialise(app.db(), tenant.id, app.clock.today())
        .await
        .unwrap();
    let kept = madoguchi::db::slots::find(app.db(), slot)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.capacity, 3, "the plan keeps the posted places");

    // A clerk may not change the set times; an admin may (and it is audited).
    let times = clerk
        .post_form(
            "/t/demo/staff/vaccination/waitlist/times",
            &[("csrf", token.as_str()), ("times", "10:00")],
        )
        .await;
    assert_eq!(times.status, StatusCode::NOT_FOUND);
    let mut admin = app.admin_client().await;
    let page = admin.get("/t/demo/staff/vaccination/waitlist").await;
    assert!(page.body.contains("value=\"09:00、12:00、18:00\""));
    let admin_token = csrf(&page.body);
    let bad = admin
        .post_form(
            "/t/demo/staff/vaccination/waitlist/times",
            &[
                ("csrf", admin_token.as_str()),
                ("times", "8:00,9:00,10:00,11:00"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_text("お知らせは1日3回までです。");
    let saved = admin
        .post_form(
            "/t/demo/staff/vaccination/waitlist/times",
            &[("csrf", admin_token.as_str()), ("times", "9:30、１７:００")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    // 09:00 is no set time any more; 09:30 is.
    assert_eq!(send_due(&app.app).await.unwrap(), 0);
    app.clock.advance(30 * 60);
    assert_eq!(send_due(&app.app).await.unwrap(), 1);
    let notice = app
        .mails_to("posted@example.jp")
        .await
        .into_iter()
        .find(|m| m.subject.contains(NOTICE))
        .expect("the notice");
    assert!(notice.text.contains("12月9日(水)"), "{}", notice.text);
    assert!(notice.text.contains("空き3人"), "{}", notice.text);

    // She applies; the キャンセルリスト shows her to the clinic.
    let places = resident.get("/t/demo/waitlist/places").await;
    let slot_field = crate::common::value_after(&places.body, "name=\"slot\"", "value").unwrap();
    let who = crate::common::value_after(&places.body, "name=\"person\"", "value").unwrap();
    let booked = resident
        .post_form(
            "/t/demo/waitlist/apply",
            &[
                ("csrf", &csrf(&places.body)),
                ("slot", &slot_field),
                ("person", &who),
                ("dose", "3"),
            ],
        )
        .await;
    assert_eq!(booked.location.as_deref(), Some("/t/demo/waitlist/me"));
    // (Half an hour has passed: the console's idle timeout asks for the login again.)
    let mut admin = app.admin_client().await;
    let list = admin.get("/t/demo/staff/vaccination/waitlist").await;
    assert_eq!(
        list.headers
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
    list.assert_text("相模 花子");
    list.assert_text("1972年9月15日");
    list.assert_text("0467001122");
    list.assert_text("予約済み");
    let audit: Vec<String> = madoguchi::db::audit::list(app.db(), tenant.id, None, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.detail)
        .collect();
    assert!(
        audit
            .iter()
            .any(|d| d.starts_with("キャンセル枠を登録:") && d.ends_with("2人分")),
        "{audit:?}"
    );
    assert!(
        audit
            .iter()
            .any(|d| d == "空き枠のお知らせの時刻 09:00、12:00、18:00→09:30、17:00"),
        "{audit:?}"
    );
}
on_both_databases!(a_venues_cancellation_places_reach_the_waitlist);
