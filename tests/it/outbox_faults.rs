//! The outbox against a real SMTP conversation that fails: a loopback server that refuses,
//! then accepts. No mail is lost, none arrives twice, and two app instances on one
//! database never send the same mail.
use std::time::Duration;

use axum::http::StatusCode;
use madoguchi::app::Clock;
use madoguchi::config::MailTransportKind;
use madoguchi::db::outbox::{self, OutgoingMail};
use madoguchi::server::deliver_mail;

use crate::common::smtp::{FakeSmtp, Mode};
use crate::common::{Backend, START_UNIX, TestApp, test_settings};
use crate::on_both_databases;
use crate::resident::{digits, submit_entry};

fn mail(i: usize) -> OutgoingMail {
    OutgoingMail {
        to: format!("resident{i}@example.jp"),
        subject: format!("【予約完了通知メール】{i}"),
        text: format!("本文 {i}"),
        html: Some(format!("<p>本文 {i}</p>")),
        ics: None,
        inline_png: None,
    }
}

async fn smtp_app(backend: Backend, smtp: &FakeSmtp) -> Option<TestApp> {
    let url = smtp.url();
    TestApp::with_settings(backend, |s| {
        s.mail.transport = MailTransportKind::Smtp;
        s.mail.smtp_url = url;
    })
    .await
}

/// Every outbox row of the demo, failed or retrying (for the assertions on "nothing lost").
async fn troubled(app: &TestApp) -> (usize, usize) {
    let demo = app.demo_tenant().await;
    let (failed, retrying) = outbox::troubled(app.db(), demo.id, 10_000).await.unwrap();
    (failed.len(), retrying.len())
}

async fn smtp_refusing_then_accepting_delivers_every_mail_once(backend: Backend) {
    let smtp = FakeSmtp::start(Mode::Refuse421).await;
    let Some(app) = smtp_app(backend, &smtp).await else {
        return;
    };
    let demo = app.demo_tenant().await;
    for i in 0..20 {
        outbox::enqueue(app.db(), Some(demo.id), &mail(i), START_UNIX)
            .await
            .unwrap();
    }
    // Two mails from the resident's own form, queued in the request's transaction.
    let notices = madoguchi::demo::sample_notices();
    for (i, n) in notices[3..5].iter().enumerate() {
        let sent = submit_entry(
            &mut app.client(),
            &[(&n.number1, &digits(n))],
            &format!("entry{i}@example.jp"),
        )
        .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    }

    // Down: 421 on connect, then connections closed without a greeting.
    assert_eq!(deliver_mail(&app.app).await.unwrap(), 0);
    assert!(smtp.connections() >= 22);
    assert_eq!(troubled(&app).await, (0, 22), "all waiting to be retried");
    smtp.set_mode(Mode::Close);
    app.clock.advance(30);
    assert_eq!(deliver_mail(&app.app).await.unwrap(), 0);
    assert!(smtp.received().is_empty());
    let demo_rows = outbox::troubled(app.db(), demo.id, 100).await.unwrap().1;
    assert!(demo_rows.iter().all(|m| m.attempts == 2), "{demo_rows:?}");
    assert!(
        demo_rows
            .iter()
            .all(|m| m.last_error.as_deref().unwrap_or("").starts_with("SMTP")),
        "{demo_rows:?}"
    );

    // Back: the next run after the backoff (one minute after the second failure) sends all.
    smtp.set_mode(Mode::Accept);
    app.clock.advance(59);
    assert_eq!(
        deliver_mail(&app.app).await.unwrap(),
        0,
        "still backing off"
    );
    app.clock.advance(1);
    assert_eq!(deliver_mail(&app.app).await.unwrap(), 22);
    let counts = smtp.count_by_recipient();
    assert_eq!(counts.len(), 22, "{counts:?}");
    assert!(counts.values().all(|&n| n == 1), "{counts:?}");
    assert!(counts.contains_key("entry0@example.jp"));
    // The whole message went over the wire (its body base64: the text is Japanese).
    let entry = smtp
        .received()
        .into_iter()
        .find(|r| r.rcpt == ["entry1@example.jp"])
        .unwrap();
    assert!(
        entry.data.contains("To: entry1@example.jp"),
        "{}",
        entry.data
    );
    assert!(entry.data.contains("Subject: =?utf-8?b?"), "{}", entry.data);
    assert!(
        entry.data.contains("Content-Transfer-Encoding"),
        "{}",
        entry.data
    );
    assert_eq!(troubled(&app).await, (0, 0));

    // Nothing is sent again, however long the worker keeps running.
    for _ in 0..5 {
        app.clock.advance(3600);
        assert_eq!(deliver_mail(&app.app).await.unwrap(), 0);
    }
    assert_eq!(smtp.received().len(), 22);
}
on_both_databases!(smtp_refusing_then_accepting_delivers_every_mail_once);

/// The relay is down for ten minutes while bookings keep queueing mail; the worker runs
/// every 15 seconds as in `run_background_jobs`. Once it is back, every mail arrives, once,
/// within the longest backoff reached during the outage (16 minutes after the 6th failure).
async fn a_ten_minute_outage_loses_nothing(backend: Backend) {
    let smtp = FakeSmtp::start(Mode::Refuse421).await;
    let Some(app) = smtp_app(backend, &smtp).await else {
        return;
    };
    let demo = app.demo_tenant().await;
    let outage_ends = START_UNIX + 600;
    let mut queued = 0;
    let mut now = START_UNIX;
    while now < outage_ends {
        if (now - START_UNIX) % 60 == 0 {
            // A mail a minute during the outage.
            outbox::enqueue(app.db(), Some(demo.id), &mail(queued), now)
                .await
                .unwrap();
            queued += 1;
        }
        assert_eq!(deliver_mail(&app.app).await.unwrap(), 0);
        app.clock.advance(15);
        now += 15;
    }
    assert_eq!(queued, 10);
    assert!(smtp.received().is_empty());
    assert_eq!(troubled(&app).await, (0, 10), "none given up on");

    smtp.set_mode(Mode::Accept);
    let mut delivered_at = None;
    while now <= outage_ends + 16 * 60 {
        deliver_mail(&app.app).await.unwrap();
        if smtp.received().len() == queued {
            delivered_at = Some(now);
            break;
        }
        app.clock.advance(15);
        now += 15;
    }
    let delivered_at = delivered_at.unwrap_or_else(|| {
        panic!(
            "only {} of {queued} mails arrived within 16 minutes of the relay's return",
            smtp.received().len()
        )
    });
    assert!(delivered_at > outage_ends);
    let counts = smtp.count_by_recipient();
    assert_eq!(counts.len(), queued);
    assert!(counts.values().all(|&n| n == 1), "{counts:?}");
    // And stays so.
    app.clock.advance(24 * 3600);
    assert_eq!(deliver_mail(&app.app).await.unwrap(), 0);
    assert_eq!(smtp.received().len(), queued);
    assert_eq!(troubled(&app).await, (0, 0));
}
on_both_databases!(a_ten_minute_outage_loses_nothing);

/// Two app instances (two `build_app` on one database URL), each with its own worker
/// delivering at the same time to a slow relay: every mail is sent exactly once.
async fn two_instances_never_send_a_mail_twice(backend: Backend) {
    let smtp = FakeSmtp::start(Mode::Accept).await;
    smtp.set_delay(Duration::from_millis(5));
    let Some(first) = smtp_app(backend, &smtp).await else {
        return;
    };
    let mut settings = test_settings(first.database_url(), true);
    settings.mail.transport = MailTransportKind::Smtp;
    settings.mail.smtp_url = smtp.url();
    let second = madoguchi::server::build_app(settings, Clock::manual(START_UNIX))
        .await
        .unwrap();
    let demo = first.demo_tenant().await;
    let total = 80;
    for i in 0..total {
        outbox::enqueue(first.db(), Some(demo.id), &mail(i), START_UNIX)
            .await
            .unwrap();
    }
    let mut workers = Vec::new();
    for app in [first.app.clone(), second.clone(), first.app.clone(), second] {
        workers.push(tokio::spawn(async move {
            let mut sent = 0;
            // Each instance's worker ticks until nothing is left for it.
            for _ in 0..20 {
                sent += deliver_mail(&app).await.unwrap();
            }
            sent
        }));
    }
    let mut per_worker = Vec::new();
    for w in workers {
        per_worker.push(w.await.unwrap());
    }
    assert_eq!(per_worker.iter().sum::<usize>(), total, "{per_worker:?}");
    assert!(
        per_worker.iter().filter(|&&n| n > 0).count() >= 2,
        "both instances took part: {per_worker:?}"
    );
    let counts = smtp.count_by_recipient();
    assert_eq!(counts.len(), total);
    assert!(counts.values().all(|&n| n == 1), "{counts:?}");
    assert_eq!(smtp.received().len(), total);
}
on_both_databases!(two_instances_never_send_a_mail_twice);
