//! Booking, changing and cancelling for a resident on the phone; the audit log.
use axum::http::StatusCode;
use madoguchi::db::tenants::Role;
use madoguchi::demo::sample_notices;

use crate::common::client::Client;
use crate::common::{Backend, TestApp, csrf, line_value};
use crate::on_both_databases;
use crate::resident::{book_at, digits, slot_labelled};

/// Searches a notice on the phone page and adds it to the group.
async fn add(client: &mut Client, query: &str) {
    let found = client.get(&format!("/t/demo/staff/phone?{query}")).await;
    assert_eq!(found.status, StatusCode::OK);
    found.assert_text("検索結果 1件");
    let id = crate::common::value_after(&found.body, "name=\"notice_id\"", "value")
        .expect("an add button");
    let added = client
        .post_form(
            "/t/demo/staff/phone/add",
            &[("csrf", &csrf(&found.body)), ("notice_id", &id)],
        )
        .await;
    assert_eq!(added.location.as_deref(), Some("/t/demo/staff/phone"));
}

fn q(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn a_clerk_books_two_people_for_a_caller(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut clerk = app.staff_client("suzuki", Role::Clerk).await;
    add(
        &mut clerk,
        &format!(
            "birthdate={}&number={}",
            digits(&s[50]),
            q(&format!("{}-{}", &s[50].number1[..3], &s[50].number1[3..]))
        ),
    )
    .await;
    // The second caller only knows the name (family name and the era birthdate).
    let given = s[51].name.split(' ').nth(1).unwrap();
    let (era, year) = madoguchi::core::resident_input::era_of(s[51].birthdate).unwrap();
    let era_date = format!(
        "{}{}年{}月{}日",
        era.name(),
        year,
        s[51].birthdate.month() as u8,
        s[51].birthdate.day()
    );
    add(
        &mut clerk,
        &format!("birthdate={}&name={}", q(&era_date), q(given)),
    )
    .await;

    let page = clerk.get("/t/demo/staff/phone").await;
    page.assert_text(&s[50].name);
    page.assert_text(&s[51].name);
    let counter = app.counter_id("北支所").await.to_string();
    let to_grid = clerk
        .post_form(
            "/t/demo/staff/phone/choose",
            &[("csrf", &csrf(&page.body)), ("counter", &counter)],
        )
        .await;
    assert_eq!(
        to_grid.location.as_deref(),
        Some("/t/demo/staff/phone/slots")
    );
    let grid = clerk.get("/t/demo/staff/phone/slots?from=2026-12-03").await;
    grid.assert_text("2名様分の予約のため、連続して2枠の予約枠が必要です。");
    let slot = slot_labelled(&grid.body, "12月3日(木) 14:00").expect("a free 14:00 cell");
    let held = clerk
        .post_form(
            "/t/demo/staff/phone/slots",
            &[("csrf", &csrf(&grid.body)), ("slot", &slot)],
        )
        .await;
    assert_eq!(
        held.location.as_deref(),
        Some("/t/demo/staff/phone/confirm")
    );
    let confirm = clerk.get("/t/demo/staff/phone/confirm").await;
    confirm.assert_text("2026年12月3日(木) 14:00〜14:30");
    let fields = [
        ("csrf", csrf(&confirm.body)),
        ("name_1", s[50].name.clone()),
        ("kana_1", s[50].kana.clone()),
        ("phone_1", "03-1234-5678".to_string()),
        ("name_2", s[51].name.clone()),
        ("kana_2", s[51].kana.clone()),
        ("phone_2", String::new()),
        ("email", "caller@example.jp".to_string()),
    ];
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let booked = clerk.post_form("/t/demo/staff/phone/confirm", &refs).await;
    let location = booked.location.clone().expect("redirect to the booking");
    assert!(
        location.starts_with("/t/demo/staff/bookings/"),
        "{location}"
    );
    let page = clerk.get(&location).await;
    page.assert_text("お客様に次の受付番号とパスワードをお伝えください");
    page.assert_text("受付方法:電話");
    // The mail carries the same receipt number and password the clerk read out.
    let mail = app
        .mails_to("caller@example.jp")
        .await
        .pop()
        .expect("a completion mail");
    let receipt = line_value(&mail.text, "受付番号").unwrap();
    let password = line_value(&mail.text, "パスワード").unwrap();
    page.assert_text(&format!("受付番号 {receipt} / パスワード {password}"));
    // The flash is shown once.
    clerk.get(&location).await.assert_no_text("パスワード");

    // The resident can look it up.
    let mut resident = app.client();
    let lookup = resident.get("/t/demo/lookup").await;
    let ok = resident
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&lookup.body)),
                ("receipt_number", &receipt),
                ("password", &password),
            ],
        )
        .await;
    assert_eq!(ok.location.as_deref(), Some("/t/demo/booking"));

    // The admin sees who did it.
    let booking_id = location.rsplit('/').next().unwrap();
    let mut admin = app.admin_client().await;
    let audit = admin
        .get(&format!("/t/demo/staff/audit?booking={booking_id}"))
        .await;
    audit.assert_text("電話予約");
    audit.assert_text("suzuki");
    audit.assert_text(&receipt);
}
on_both_databases!(a_clerk_books_two_people_for_a_caller);

async fn without_an_address_nothing_is_mailed(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut clerk = app.staff_client("tanaka", Role::Clerk).await;
    add(
        &mut clerk,
        &format!("birthdate={}&number={}", digits(&s[52]), s[52].number1),
    )
    .await;
    let page = clerk.get("/t/demo/staff/phone").await;
    let counter = app.counter_id("本庁舎 市民課").await.to_string();
    clerk
        .post_form(
            "/t/demo/staff/phone/choose",
            &[("csrf", &csrf(&page.body)), ("counter", &counter)],
        )
        .await;
    let grid = clerk.get("/t/demo/staff/phone/slots").await;
    let slot = slot_labelled(&grid.body, "12月2日(水) 09:00").unwrap();
    clerk
        .post_form(
            "/t/demo/staff/phone/slots",
            &[("csrf", &csrf(&grid.body)), ("slot", &slot)],
        )
        .await;
    let confirm = clerk.get("/t/demo/staff/phone/confirm").await;
    // A bad address is explained and the names are kept.
    let bad = clerk
        .post_form(
            "/t/demo/staff/phone/confirm",
            &[
                ("csrf", &csrf(&confirm.body)),
                ("name_1", &s[52].name),
                ("kana_1", &s[52].kana),
                ("email", "no-at-sign"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_text("メールアドレス");
    assert!(bad.body.contains(&format!("value=\"{}\"", s[52].name)));
    let booked = clerk
        .post_form(
            "/t/demo/staff/phone/confirm",
            &[
                ("csrf", &csrf(&confirm.body)),
                ("name_1", &s[52].name),
                ("kana_1", &s[52].kana),
                ("email", ""),
            ],
        )
        .await;
    let page = clerk.get(booked.location.as_deref().unwrap()).await;
    page.assert_text("パスワード");
    assert!(app.mails().await.is_empty());
}
on_both_databases!(without_an_address_nothing_is_mailed);

async fn clerks_change_and_cancel_for_a_caller_even_after_the_deadline(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, _) = book_at(
        &app,
        &[&s[53]],
        "late-caller@example.jp",
        "12月1日(火) 10:00",
    )
    .await;
    let tenant = app.demo_tenant().await;
    let booking =
        madoguchi::db::bookings::find_by_receipt(app.db(), tenant.id, &receipt.replace('-', ""))
            .await
            .unwrap()
            .unwrap();
    let mut clerk = app.staff_client("sato", Role::Clerk).await;
    let page = clerk
        .get(&format!("/t/demo/staff/bookings/{}", booking.id))
        .await;
    page.assert_text(&receipt);
    let grid = clerk
        .get(&format!(
            "/t/demo/staff/bookings/{}/slots?from=2026-12-04",
            booking.id
        ))
        .await;
    let slot = slot_labelled(&grid.body, "12月4日(金) 11:00").unwrap();
    clerk
        .post_form(
            &format!("/t/demo/staff/bookings/{}/slots", booking.id),
            &[("csrf", &csrf(&grid.body)), ("slot", &slot)],
        )
        .await;
    let change = clerk
        .get(&format!("/t/demo/staff/bookings/{}/change", booking.id))
        .await;
    change.assert_text("変更後");
    clerk
        .post_form(
            &format!("/t/demo/staff/bookings/{}/change", booking.id),
            &[("csrf", &csrf(&change.body))],
        )
        .await;
    let page = clerk
        .get(&format!("/t/demo/staff/bookings/{}", booking.id))
        .await;
    page.assert_text("予約日時を 2026年12月4日(金) 11:00〜11:15 に変更しました。");
    let cancel = clerk
        .get(&format!("/t/demo/staff/bookings/{}/cancel", booking.id))
        .await;
    clerk
        .post_form(
            &format!("/t/demo/staff/bookings/{}/cancel", booking.id),
            &[("csrf", &csrf(&cancel.body))],
        )
        .await;
    let page = clerk
        .get(&format!("/t/demo/staff/bookings/{}", booking.id))
        .await;
    page.assert_text("予約を取り消しました。");
    page.assert_text("取消済");
    let subjects: Vec<String> = app
        .mails_to("late-caller@example.jp")
        .await
        .into_iter()
        .map(|m| m.subject)
        .collect();
    assert!(subjects.iter().any(|s| s.contains("変更")), "{subjects:?}");
    assert!(subjects.iter().any(|s| s.contains("取消")), "{subjects:?}");
    let entries = madoguchi::db::audit::list(app.db(), tenant.id, Some(booking.id), 10)
        .await
        .unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["cancel_booking", "change_booking"]);
}
on_both_databases!(clerks_change_and_cancel_for_a_caller_even_after_the_deadline);

async fn another_municipality_sees_nothing(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, _) = book_at(&app, &[&s[54]], "iso@example.jp", "12月3日(木) 10:00").await;
    let demo = app.demo_tenant().await;
    let booking =
        madoguchi::db::bookings::find_by_receipt(app.db(), demo.id, &receipt.replace('-', ""))
            .await
            .unwrap()
            .unwrap();
    let other = madoguchi::db::tenants::create_tenant(app.db(), "other", "他市", 0)
        .await
        .unwrap();
    let hash = madoguchi::secrets::hash_password("other-admin-password");
    madoguchi::db::tenants::add_staff(
        app.db(),
        other,
        "admin",
        "他市管理者",
        &hash,
        Role::Admin,
        0,
    )
    .await
    .unwrap();
    let mut foreign = app.client();
    let login = foreign.get("/t/other/staff/login").await;
    let done = foreign
        .post_form(
            "/t/other/staff/login",
            &[
                ("csrf", &csrf(&login.body)),
                ("login", "admin"),
                ("password", "other-admin-password"),
            ],
        )
        .await;
    assert_eq!(done.location.as_deref(), Some("/t/other/staff/roster"));
    for path in [
        format!("/t/other/staff/bookings/{}", booking.id),
        format!("/t/other/staff/bookings/{}/cancel", booking.id),
        format!("/t/other/staff/audit?booking={}", booking.id),
    ] {
        assert_eq!(
            foreign.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let page = foreign.get("/t/other/staff/phone").await;
    let cancel = foreign
        .post_form(
            &format!("/t/other/staff/bookings/{}/cancel", booking.id),
            &[("csrf", &csrf(&page.body))],
        )
        .await;
    assert_eq!(cancel.status, StatusCode::NOT_FOUND);
    let still = madoguchi::db::bookings::find(app.db(), booking.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.status, "booked");
    // And the demo's pages with the other municipality's session lead to a login.
    let demo_page = foreign
        .get(&format!("/t/demo/staff/bookings/{}", booking.id))
        .await;
    assert_eq!(demo_page.location.as_deref(), Some("/t/demo/staff/login"));
}
on_both_databases!(another_municipality_sees_nothing);
