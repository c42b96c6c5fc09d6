//! Reminders (issue 13): 【予約確認のお知らせメール】 goes out once, at the day before 12:00,
//! for the booking's present time, to bookings made before that moment; none for a
//! cancelled booking; a moved booking is reminded of its new time. Two instances run the
//! job at once and a third starts after them (a restart): each reminder is queued once.
use madoguchi::demo::sample_notices;
use madoguchi::web::reminders::{RunReport, queue_due};

use crate::common::{Backend, TestApp, csrf, selectable_slots, test_settings};
use crate::on_both_databases;
use crate::resident::book_at;
use crate::vaccination::{hold_by_place, logged_in, press_confirm, to_confirm_verified};

const REMINDER: &str = "予約確認のお知らせメール";

async fn look_up(app: &TestApp, receipt: &str, password: &str) -> crate::common::client::Client {
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
