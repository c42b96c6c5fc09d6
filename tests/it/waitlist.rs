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
