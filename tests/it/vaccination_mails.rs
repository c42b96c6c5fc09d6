//! The vaccination mails under メールの文面 (issue 12): listed under ワクチン接種予約 while
//! the municipality offers it, worded and previewed like card pickup's, refused when the
//! 予約ID or the マイページ is left out; a resident then gets the worded mail (read back
//! from the mailbox) when booking and when cancelling. A municipality without vaccination
//! booking has no such mails on its console.
use axum::http::StatusCode;
use madoguchi::core::mail_wording::MailKind;
use madoguchi::db::mail_templates;
use madoguchi::i18n::Lang;

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, csrf};
use crate::on_both_databases;
use crate::vaccination::{hold_by_place, logged_in, press_confirm, to_confirm_verified};

const CONFIRMED_JA: &str = "/t/demo/staff/mails/vx_booking_confirmed/ja";
const CANCELLED_JA: &str = "/t/demo/staff/mails/vx_booking_cancelled/ja";

/// Posts `subject` and `body` to `path` (a mail's edit page, or its preview) with the
/// CSRF token of the edit page.
async fn send(admin: &mut Client, edit: &str, path: &str, subject: &str, body: &str) -> Page {
    let page = admin.get(edit).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    admin
        .post_form(
            path,
            &[
                ("csrf", &csrf(&page.body)),
                ("subject", subject),
                ("body", body),
            ],
        )
        .await
}

async fn admin_words_the_vaccination_mails_and_residents_receive_them(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let list = admin.get("/t/demo/staff/mails").await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_text("マイナンバーカード受取予約");
    list.assert_text("ワクチン接種予約");
    list.assert_text("編集 (ワクチン接種予約の【予約完了通知メール】日本語)");
    for code in [
        "vx_verification",
        "vx_booking_confirmed",
        "vx_booking_changed",
        "vx_booking_cancelled",
    ] {
        assert!(
            list.body
                .contains(&format!("href=\"/t/demo/staff/mails/{code}/en\"")),
            "{code}"
        );
    }

    // The edit page starts from the shipped wording: the 予約ID, the 持ち物, the footer.
    let edit = admin.get(CONFIRMED_JA).await;
    assert_eq!(edit.status, StatusCode::OK);
    edit.assert_text("ワクチン接種予約の【予約完了通知メール】の文面(日本語)");
    edit.assert_text("このメールはテキスト形式だけで送ります。");
    for shipped in ["■予約ID", "■持ち物", "{{ mypage_url }}", "お問い合わせ:"] {
        assert!(edit.body.contains(shipped), "{shipped}");
    }
    edit.assert_text("mypage_url");

    // Without the マイページ the resident could not reach the booking: refused.
    let refused = send(
        &mut admin,
        CONFIRMED_JA,
        CONFIRMED_JA,
        "件名",
        "予約ID {{ receipt_number }}",
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_text("mypage_url");
    let tenant = app.demo_tenant().await;
    let saved = |kind| mail_templates::wording(app.db(), tenant.id, kind, Lang::Ja);
    assert!(
        saved(MailKind::VaccinationConfirmed)
            .await
            .unwrap()
            .is_shipped()
    );

    let body = "{{ person_name }} 様\r\n{{ tenant_name }}です。{{ dose }}の接種を予約しました。\r\n予約ID: {{ receipt_number }}\r\n{{ date }} {{ time }} {{ venue_name }}({{ vaccine }})\r\nマイページ {{ mypage_url }}\r\n{{ call_centre }}\r\n";
    let preview = send(
        &mut admin,
        CONFIRMED_JA,
        &format!("{CONFIRMED_JA}/preview"),
        "【接種予約】{{ tenant_name }}",
        body,
    )
    .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    preview.assert_text("【接種予約】デモ市");
    preview.assert_text("見本 花子 様");
    preview.assert_text("デモ市です。1回目の接種を予約しました。");
    preview.assert_text("予約ID: 1234-5678-90");
    preview.assert_text("マイページ http://127.0.0.1:3000/t/demo/vaccination/");
    let done = send(
        &mut admin,
        CONFIRMED_JA,
        CONFIRMED_JA,
        "【接種予約】{{ tenant_name }}",
        body,
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    let done = send(
        &mut admin,
        CANCELLED_JA,
        CANCELLED_JA,
        "【接種予約のキャンセル】{{ tenant_name }}",
        "{{ dose }}の予約(予約ID {{ receipt_number }})をキャンセルしました。",
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    let list = admin.get("/t/demo/staff/mails").await;
    list.assert_text("変更あり(件名・本文) 編集 (ワクチン接種予約の【予約完了通知メール】日本語)");
    // Card pickup's completion mail is another mail: still shipped.
    assert!(
        saved(MailKind::BookingConfirmed)
            .await
            .unwrap()
            .is_shipped()
    );

    // A resident books with a checked address and gets the worded mail.
    let mut client = app.client();
    logged_in(&mut client, 0).await;
    let (contact, _) = hold_by_place(&mut client, 1).await;
    let confirm = to_confirm_verified(&app, &mut client, &contact, "taro@example.jp").await;
    let booked = press_confirm(&mut client, &confirm).await;
    assert_eq!(
        booked.location.as_deref(),
        Some("/t/demo/vaccination/done"),
        "{}",
        booked.text()
    );
    let mails = app.mails_to("taro@example.jp").await;
    let mail = mails
        .iter()
        .find(|m| m.subject == "【接種予約】デモ市")
        .unwrap_or_else(|| panic!("the worded completion mail: {mails:?}"));
    assert!(
        mail.text.contains("1回目の接種を予約しました。"),
        "{}",
        mail.text
    );
    assert!(
        mail.text
            .contains("マイページ http://127.0.0.1:3000/t/demo/vaccination/"),
        "{}",
        mail.text
    );
    assert!(
        mail.text.contains("予約相談センター"),
        "the call centre: {}",
        mail.text
    );
    assert!(mail.html.is_none(), "a text mail stays a text mail");

    // A resident cancels a booking (made inside the deadline): the worded cancellation.
    let made = crate::vaccination_mybooking::book(
        &app,
        1,
        1,
        crate::vaccination_mybooking::day(10),
        600,
        Some("hanako@example.jp"),
    )
    .await;
    let mut client = app.client();
    logged_in(&mut client, 1).await;
    let path = format!("/t/demo/vaccination/bookings/{}/cancel", made.id);
    let page = client.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let cancelled = client
        .post_form(&path, &[("csrf", &csrf(&page.body))])
        .await;
    assert_eq!(
        cancelled.location.as_deref(),
        Some("/t/demo/vaccination/mypage"),
        "{}",
        cancelled.text()
    );
    let mails = app.mails_to("hanako@example.jp").await;
    let mail = mails
        .iter()
        .find(|m| m.subject == "【接種予約のキャンセル】デモ市")
        .unwrap_or_else(|| panic!("the worded cancellation mail: {mails:?}"));
    assert!(
        mail.text
            .starts_with(&format!("1回目の予約(予約ID {})", made.receipt)),
        "{}",
        mail.text
    );
}
on_both_databases!(admin_words_the_vaccination_mails_and_residents_receive_them);

/// A municipality that offers card pickup only lists card pickup's mails, and the
/// vaccination mails' pages are not there for it.
async fn a_municipality_without_vaccination_has_no_vaccination_mails(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let other = madoguchi::db::tenants::create_tenant(app.db(), "other", "他市", 0)
        .await
        .unwrap();
    let password = "other-admin-password-123";
    madoguchi::db::tenants::add_staff(
        app.db(),
        other,
        "otheradmin",
        "他市 管理者",
        &madoguchi::secrets::hash_password(password),
        madoguchi::db::tenants::Role::Admin,
        0,
    )
    .await
    .unwrap();
    let mut admin = app.client();
    let login = admin.get("/t/other/staff/login").await;
    let done = admin
        .post_form(
            "/t/other/staff/login",
            &[
                ("csrf", &csrf(&login.body)),
                ("login", "otheradmin"),
                ("password", password),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    let list = admin.get("/t/other/staff/mails").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text());
    list.assert_text("【予約完了通知メール】");
    assert!(!list.text().contains("ワクチン接種予約"), "{}", list.text());
    assert!(!list.body.contains("vx_booking_confirmed"));
    let page = admin
        .get("/t/other/staff/mails/vx_booking_confirmed/ja")
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let token = csrf(
        &admin
            .get("/t/other/staff/mails/booking_confirmed/ja")
            .await
            .body,
    );
    let posted = admin
        .post_form(
            "/t/other/staff/mails/vx_booking_confirmed/ja",
            &[
                ("csrf", &token),
                ("subject", "x"),
                ("body", "{{ receipt_number }} {{ mypage_url }}"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    let saved = mail_templates::wording(app.db(), other, MailKind::VaccinationConfirmed, Lang::Ja)
        .await
        .unwrap();
    assert!(saved.is_shipped());
}
on_both_databases!(a_municipality_without_vaccination_has_no_vaccination_mails);
