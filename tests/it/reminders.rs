//! Reminders (issue 13): 【予約確認のお知らせメール】 goes out once, at the day before 12:00,
//! for the booking's present time, to bookings made before that moment; none for a
//! cancelled booking; a moved booking is reminded of its new time. Two instances run the
//! job at once and a third starts after them (a restart): each reminder is queued once.
use axum::http::StatusCode;
use madoguchi::config::MailTransportKind;
use madoguchi::core::reminders::ReminderTime;
use madoguchi::db::tenants::{self, CARD_PICKUP, Role};
use madoguchi::db::{audit, reminders};
use madoguchi::demo::sample_notices;
use madoguchi::server::deliver_mail;
use madoguchi::web::reminders::{RunReport, queue_due};

use crate::common::client::{Client, Page};
use crate::common::smtp::{FakeSmtp, Mode};
use crate::common::{Backend, TestApp, csrf, selectable_slots, test_settings};
use crate::on_both_databases;
use crate::resident::book_at;
use crate::vaccination::{hold_by_place, logged_in, press_confirm, to_confirm_verified};

const REMINDER: &str = "予約確認のお知らせメール";

async fn look_up(app: &TestApp, receipt: &str, password: &str) -> Client {
    let mut client = app.client();
    let lookup = client.get("/t/demo/lookup").await;
    client
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&lookup.body)),
                ("receipt_number", receipt),
                ("password", password),
            ],
        )
        .await;
    client
}

async fn reminders_go_out_once_for_the_present_time(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (kept, _) = book_at(&app, &[&s[50]], "remind@example.jp", "12月3日(木) 10:00").await;
    let (cancelled, cancel_pw) =
        book_at(&app, &[&s[51]], "cancel@example.jp", "12月3日(木) 10:30").await;
    let (moved, move_pw) = book_at(&app, &[&s[52]], "move@example.jp", "12月3日(木) 11:00").await;

    // A vaccination booking for a day after tomorrow too, with a checked address.
    let mut resident = app.client();
    logged_in(&mut resident, 0).await;
    let (contact, vx_day) = hold_by_place(&mut resident, 1).await;
    let confirm = to_confirm_verified(&app, &mut resident, &contact, "vx@example.jp").await;
    let done = press_confirm(&mut resident, &confirm).await;
    assert!(
        done.status.is_success() || done.status.is_redirection(),
        "{}",
        done.text()
    );

    // One is cancelled, one moved to a week later, before any reminder is due.
    let mut client = look_up(&app, &cancelled, &cancel_pw).await;
    let page = client.get("/t/demo/booking/cancel").await;
    client
        .post_form("/t/demo/booking/cancel", &[("csrf", &csrf(&page.body))])
        .await;
    client
        .get("/t/demo/booking")
        .await
        .assert_text("予約を取り消しました");
    let mut client = look_up(&app, &moved, &move_pw).await;
    let grid = client.get("/t/demo/booking/slots?from=2026-12-10").await;
    let cells = selectable_slots(&grid.body);
    client
        .post_form(
            "/t/demo/booking/slots",
            &[("csrf", &csrf(&grid.body)), ("slot", &cells[0])],
        )
        .await;
    let change = client.get("/t/demo/booking/change").await;
    let changed = client
        .post_form("/t/demo/booking/change", &[("csrf", &csrf(&change.body))])
        .await;
    assert_eq!(changed.location.as_deref(), Some("/t/demo/booking"));

    // 2026-12-02 11:59: not yet.
    app.clock.advance(27 * 3600 - 60);
    assert_eq!(queue_due(&app.app).await.unwrap(), RunReport::default());
    let reminders = |mails: Vec<madoguchi::mail::SentMail>| {
        mails
            .into_iter()
            .filter(|m| m.subject.contains(REMINDER))
            .collect::<Vec<_>>()
    };
    assert!(reminders(app.mails().await).is_empty());

    // 12:00: two instances run the job at once.
    app.clock.advance(60);
    let second =
        madoguchi::server::build_app(test_settings(app.database_url(), true), app.clock.clone())
            .await
            .unwrap();
    let (a, b) = tokio::join!(queue_due(&app.app), queue_due(&second));
    let queued = a.unwrap().queued + b.unwrap().queued;
    assert_eq!(
        vx_day,
        time::macros::date!(2026 - 12 - 03),
        "the first day offered"
    );
    assert_eq!(
        queued, 2,
        "the kept card-pickup booking and the vaccination booking, both on 12月3日"
    );
    drop(second);
    // A restart: a new instance finds it recorded.
    let third =
        madoguchi::server::build_app(test_settings(app.database_url(), true), app.clock.clone())
            .await
            .unwrap();
    assert_eq!(queue_due(&third).await.unwrap().queued, 0);

    let got = reminders(app.mails_to("remind@example.jp").await);
    assert_eq!(got.len(), 1, "{got:?}");
    let mail = &got[0];
    assert!(mail.subject.contains("デモ市 マイナンバーカード受取予約"));
    assert!(mail.text.contains(&kept), "{}", mail.text);
    assert!(mail.text.contains("12月3日(木)"), "{}", mail.text);
    assert!(mail.text.contains("10:00"), "{}", mail.text);
    assert!(mail.text.contains("/t/demo/lookup"), "{}", mail.text);
    assert!(
        !mail.text.contains("■パスワード"),
        "no password in a reminder"
    );
    assert!(reminders(app.mails_to("cancel@example.jp").await).is_empty());
    assert!(reminders(app.mails_to("move@example.jp").await).is_empty());

    // The vaccination booking's, with 持ち物 and the マイページ.
    let vx_mails = reminders(app.mails_to("vx@example.jp").await);
    assert_eq!(vx_mails.len(), 1, "{vx_mails:?}");
    let vx = &vx_mails[0];
    assert!(vx.subject.contains("ワクチン接種予約"), "{}", vx.subject);
    assert!(vx.text.contains("■予約ID"), "{}", vx.text);
    assert!(vx.text.contains("/t/demo/vaccination/"), "{}", vx.text);
    assert!(vx.text.contains("様"), "{}", vx.text);

    // The moved booking is reminded of its new day, the day before it.
    let now = app.clock.now_jst();
    let move_due = time::macros::datetime!(2026-12-09 12:00);
    if move_due > now {
        app.clock.advance((move_due - now).whole_seconds());
    }
    queue_due(&app.app).await.unwrap();
    let got = reminders(app.mails_to("move@example.jp").await);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].text.contains(&moved));
    assert!(got[0].text.contains("12月10日(木)"), "{}", got[0].text);
    // And nobody twice.
    queue_due(&app.app).await.unwrap();
    assert_eq!(reminders(app.mails_to("remind@example.jp").await).len(), 1);
    assert_eq!(reminders(app.mails_to("move@example.jp").await).len(), 1);
}
on_both_databases!(reminders_go_out_once_for_the_present_time);

async fn add_reminder(
    admin: &mut Client,
    token: &str,
    service: &str,
    days_before: &str,
    at: &str,
) -> Page {
    admin
        .post_form(
            "/t/demo/staff/reminders",
            &[
                ("csrf", token),
                ("service", service),
                ("days_before", days_before),
                ("at", at),
            ],
        )
        .await
}

/// The console's 予約確認のお知らせ page: an admin adds a time (mistakes explained next to the
/// field), stops and resumes one, deletes one; the job follows the list; each change is in
/// the audit log; a clerk, another municipality's ids and a post without its token get
/// nothing.
async fn the_console_keeps_each_services_reminder_list(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let db = app.db();
    let tenant = app.demo_tenant().await;
    let pickup = tenants::service_id(db, tenant.id, CARD_PICKUP)
        .await
        .unwrap();
    let pickup_id = pickup.to_string();
    let mut admin = app.admin_client().await;
    let page = admin.get("/t/demo/staff/reminders").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_text("マイナンバーカード受取予約のお知らせ(1件)");
    page.assert_text("ワクチン接種予約のお知らせ(1件)");
    page.assert_text("予約日の前日 12:00");
    let token = csrf(&page.body);
    // Mistakes are explained next to their fields, and what was typed stays.
    let refused = add_reminder(&mut admin, &token, &pickup_id, "15", "25:00").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_text("入力内容に誤りがあります");
    refused.assert_text("0から14までの数字で入力してください");
    refused.assert_text("時刻は「12:00」のように");
    assert!(refused.body.contains("value=\"25:00\""));
    assert!(
        refused
            .body
            .contains(&format!("id=\"add{pickup}-at-error\""))
    );

    // Two days before at 9:30, typed in full-width digits; then the same again.
    let added = add_reminder(&mut admin, &token, &pickup_id, "２", "９:３０").await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text());
    let page = admin.get(added.location.as_deref().unwrap()).await;
    page.assert_text("お知らせの送信時刻を追加しました。");
    page.assert_text("マイナンバーカード受取予約のお知らせ(2件)");
    page.assert_text("予約日の2日前 09:30");
    let twice = add_reminder(&mut admin, &token, &pickup_id, "2", "09:30").await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    twice.assert_text("2日前 09:30のお知らせはすでにあります。");

    let listed = reminders::rules_of(db, tenant.id).await.unwrap();
    let rule = |time: ReminderTime| {
        listed
            .iter()
            .find(|r| r.service_id == pickup && r.time == time)
            .map(|r| r.id)
    };
    let two_days = ReminderTime {
        days_before: 2,
        at_min: 9 * 60 + 30,
    };
    let two_days_id = rule(two_days).expect("listed");
    let noon_id = rule(ReminderTime::DEFAULT).expect("listed");

    // The day before at 12:00 is stopped.
    let stopped = admin
        .post_form(
            &format!("/t/demo/staff/reminders/{noon_id}/active"),
            &[("csrf", token.as_str()), ("active", "0")],
        )
        .await;
    assert_eq!(stopped.status, StatusCode::SEE_OTHER);
    let page = admin.get(stopped.location.as_deref().unwrap()).await;
    page.assert_text("お知らせの送信を停止しました。");
    page.assert_text("停止中");
    page.assert_text("再開する (マイナンバーカード受取予約・前日 12:00)");

    // The job follows the list: a booking for 12月3日 gets the 2日前 09:30 one (12月1日
    // 09:30) and, while it is stopped, not the day-before one.
    let s = sample_notices();
    let (receipt, _) = book_at(&app, &[&s[60]], "console@example.jp", "12月3日(木) 10:00").await;
    app.clock.advance(30 * 60);
    assert_eq!(queue_due(&app.app).await.unwrap().queued, 1);
    app.clock.advance(26 * 3600 + 30 * 60); // 12月2日 12:00
    assert_eq!(queue_due(&app.app).await.unwrap().queued, 0);
    let got = app.mails_to("console@example.jp").await;
    let reminded = got.iter().filter(|m| m.subject.contains(REMINDER)).count();
    assert_eq!(reminded, 1, "{got:?}");
    assert!(got.iter().any(|m| m.text.contains(&receipt)));

    // Resumed before the visit, it goes out at the next run; deleting the other leaves one.
    // (A day has passed: the admin logs in again.)
    let mut admin = app.admin_client().await;
    let token = csrf(&admin.get("/t/demo/staff/reminders").await.body);
    let resumed = admin
        .post_form(
            &format!("/t/demo/staff/reminders/{noon_id}/active"),
            &[("csrf", token.as_str()), ("active", "1")],
        )
        .await;
    assert_eq!(resumed.status, StatusCode::SEE_OTHER);
    assert_eq!(queue_due(&app.app).await.unwrap().queued, 1);
    let deleted = admin
        .post_form(
            &format!("/t/demo/staff/reminders/{two_days_id}/delete"),
            &[("csrf", token.as_str())],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    let page = admin.get(deleted.location.as_deref().unwrap()).await;
    page.assert_text("お知らせの送信時刻を削除しました。");
    page.assert_text("マイナンバーカード受取予約のお知らせ(1件)");
    assert!(!page.text().contains("2日前 09:30"));

    let audit: Vec<String> = audit::list(db, tenant.id, None, 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "settings_change")
        .map(|r| r.detail)
        .collect();
    for what in [
        "を追加:2日前 09:30",
        "を停止:前日 12:00",
        "を再開:前日 12:00",
        "を削除:2日前 09:30",
    ] {
        assert!(
            audit
                .iter()
                .any(|d| d.starts_with("予約確認のお知らせ(") && d.ends_with(what)),
            "{what}: {audit:?}"
        );
    }
    assert_eq!(audit.len(), 4, "{audit:?}");

    // Another municipality's reminder and service are not found; nor is the page for a
    // clerk; a post without its token changes nothing.
    let other = tenants::create_tenant(db, "othertown", "隣町", 0)
        .await
        .unwrap();
    let other_rule = reminders::rules_of(db, other).await.unwrap()[0].id;
    let other_service = tenants::service_id(db, other, CARD_PICKUP).await.unwrap();
    for (path, fields) in [
        (
            format!("/t/demo/staff/reminders/{other_rule}/active"),
            vec![("active", "0")],
        ),
        (
            format!("/t/demo/staff/reminders/{other_rule}/delete"),
            vec![],
        ),
    ] {
        let mut all = vec![("csrf", token.as_str())];
        all.extend(fields);
        assert_eq!(
            admin.post_form(&path, &all).await.status,
            StatusCode::NOT_FOUND
        );
    }
    let foreign = add_reminder(&mut admin, &token, &other_service.to_string(), "3", "10:00").await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let no_token = admin
        .post_form(
            &format!("/t/demo/staff/reminders/{noon_id}/delete"),
            &[("csrf", "forged")],
        )
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    let listed = reminders::rules_of(db, other).await.unwrap();
    assert!(listed.iter().all(|r| r.active), "{listed:?}");
    assert_eq!(reminders::rules_of(db, tenant.id).await.unwrap().len(), 2);
    let mut clerk = app.staff_client("clerk1", Role::Clerk).await;
    assert_eq!(
        clerk.get("/t/demo/staff/reminders").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !clerk
            .get("/t/demo/staff/roster")
            .await
            .body
            .contains("/staff/reminders")
    );
}
on_both_databases!(the_console_keeps_each_services_reminder_list);

/// The relay is down when reminders fall due: the run queues each reminder once, the
/// outbox keeps it under メール送信状況 (送り直しを待っているメール) and the job does not queue it
/// again while it waits; once the relay is back each arrives once.
async fn reminders_queued_during_an_smtp_outage_arrive_once(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    book_at(&app, &[&s[70]], "outage1@example.jp", "12月3日(木) 10:00").await;
    book_at(&app, &[&s[71]], "outage2@example.jp", "12月3日(木) 10:30").await;
    app.mails().await; // the completion mails, delivered before the outage

    // An instance whose relay refuses every connection.
    let smtp = FakeSmtp::start(Mode::Refuse421).await;
    let mut settings = test_settings(app.database_url(), true);
    settings.mail.transport = MailTransportKind::Smtp;
    settings.mail.smtp_url = smtp.url();
    let relayed = madoguchi::server::build_app(settings, app.clock.clone())
        .await
        .unwrap();
    app.clock.advance(27 * 3600); // 12月2日 12:00
    assert_eq!(queue_due(&relayed).await.unwrap().queued, 2);
    assert_eq!(deliver_mail(&relayed).await.unwrap(), 0);
    assert!(smtp.received().is_empty());

    let mut admin = app.admin_client().await;
    let status = admin.get("/t/demo/staff/mail").await;
    assert_eq!(status.status, StatusCode::OK);
    status.assert_text("送り直しを待っているメール");
    assert_eq!(
        status.text().matches(REMINDER).count(),
        2,
        "{}",
        status.text()
    );
    // Later runs, on either instance, do not queue them again while they wait.
    app.clock.advance(60);
    assert_eq!(queue_due(&relayed).await.unwrap().queued, 0);
    assert_eq!(queue_due(&app.app).await.unwrap().queued, 0);

    smtp.set_mode(Mode::Accept);
    let mut delivered = 0;
    for _ in 0..20 {
        delivered += deliver_mail(&relayed).await.unwrap();
        if delivered == 2 {
            break;
        }
        app.clock.advance(30);
    }
    assert_eq!(delivered, 2);
    let counts = smtp.count_by_recipient();
    assert_eq!(counts.get("outage1@example.jp"), Some(&1), "{counts:?}");
    assert_eq!(counts.get("outage2@example.jp"), Some(&1), "{counts:?}");
    app.clock.advance(3600);
    assert_eq!(queue_due(&relayed).await.unwrap().queued, 0);
    assert_eq!(deliver_mail(&relayed).await.unwrap(), 0);
    assert_eq!(smtp.received().len(), 2);
    let mut admin = app.admin_client().await;
    let status = admin.get("/t/demo/staff/mail").await;
    assert_eq!(status.status, StatusCode::OK);
    assert!(!status.text().contains(REMINDER), "{}", status.text());
}
on_both_databases!(reminders_queued_during_an_smtp_outage_arrive_once);
