//! The mail outbox on both databases, and the development mailbox pages.
use std::collections::HashSet;
use std::sync::Arc;

use axum::http::StatusCode;
use madoguchi::app::Clock;
use madoguchi::db::outbox::{self, OutgoingMail};
use madoguchi::mail::{self, Mailer};

use crate::common::{Backend, START_UNIX, TestDb, test_settings};
use crate::on_both_databases;

fn mail(i: usize) -> OutgoingMail {
    OutgoingMail {
        to: format!("r{i}@example.jp"),
        subject: "件名".into(),
        text: format!("本文 {i}\nhttps://example.jp/t/demo/apply/TOKEN{i}\n<b>"),
        html: None,
        ics: None,
        inline_png: None,
    }
}

async fn concurrent_claimers_never_take_the_same_mail(backend: Backend) {
    let Some(test_db) = TestDb::new(backend).await else {
        return;
    };
    let db = test_db.db.clone();
    for i in 0..60 {
        outbox::enqueue(&db, None, &mail(i), 100).await.unwrap();
    }
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let batch = outbox::claim_due(&db, 100, 600, 4).await.unwrap();
                if batch.is_empty() {
                    return mine;
                }
                mine.extend(batch.into_iter().map(|m| m.id));
            }
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let unique: HashSet<i64> = all.iter().copied().collect();
    assert_eq!(all.len(), 60, "every mail claimed exactly once");
    assert_eq!(unique.len(), 60);
}
on_both_databases!(concurrent_claimers_never_take_the_same_mail);

async fn deliver_due_and_failures_on_both(backend: Backend) {
    let Some(test_db) = TestDb::new(backend).await else {
        return;
    };
    let db = &test_db.db;
    let mut settings = test_settings(&test_db.url, false).mail;
    settings.transport = madoguchi::config::MailTransportKind::Memory;
    let mailer = Mailer::new(&settings).unwrap();
    outbox::enqueue(db, None, &mail(1), 0).await.unwrap();
    let mut bad = mail(2);
    bad.to = "not an address".into();
    outbox::enqueue(db, None, &bad, 0).await.unwrap();
    assert_eq!(mail::deliver_due(db, &mailer, 0).await.unwrap(), 1);
    assert_eq!(mailer.memory_mailbox().unwrap().len(), 1);
    // The bad one is retried after the backoff, and fails again.
    assert_eq!(mail::deliver_due(db, &mailer, 29).await.unwrap(), 0);
    assert_eq!(mail::deliver_due(db, &mailer, 30).await.unwrap(), 0);
    let claimed = outbox::claim_due(db, 10_000, 60, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].attempts, 2);
}
on_both_databases!(deliver_due_and_failures_on_both);

async fn dev_mailbox_pages(backend: Backend) {
    let Some(test_db) = TestDb::new(backend).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut settings = test_settings(&test_db.url, true);
    settings.mail.transport = madoguchi::config::MailTransportKind::DevMailbox;
    settings.mail.dev_mailbox_dir = dir.path().join("mailbox").display().to_string();
    let app = madoguchi::server::build_app(settings.clone(), Clock::manual(START_UNIX))
        .await
        .unwrap();
    let mut client = crate::common::client::Client::new(madoguchi::web::router(app.clone()));

    let empty = client.get("/dev/mailbox").await;
    assert_eq!(empty.status, StatusCode::OK);
    empty.assert_text("まだメールはありません");

    app.mailer.send(&mail(7)).await.unwrap();
    let list = client.get("/dev/mailbox").await;
    list.assert_text("r7@example.jp");
    let start = list.body.find("href=\"/dev/mailbox/").unwrap() + "href=\"".len();
    let href = &list.body[start..start + list.body[start..].find('"').unwrap()];
    let page = client.get(href).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(
        "<a href=\"https://example.jp/t/demo/apply/TOKEN7\">https://example.jp/t/demo/apply/TOKEN7</a>"
    ), "{}", page.body);
    assert!(page.body.contains("&lt;b&gt;"));
    assert!(!page.body.contains("<b>"));

    assert_eq!(
        client.get("/dev/mailbox/..%2Fsecret").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        client.get("/dev/mailbox/1-999").await.status,
        StatusCode::NOT_FOUND
    );

    // Memory transport or demo pages off: the pages do not exist.
    let mut memory = settings.clone();
    memory.mail.transport = madoguchi::config::MailTransportKind::Memory;
    let app2 = madoguchi::server::build_app(memory, Clock::manual(START_UNIX))
        .await
        .unwrap();
    let mut c2 = crate::common::client::Client::new(madoguchi::web::router(app2));
    assert_eq!(c2.get("/dev/mailbox").await.status, StatusCode::NOT_FOUND);
    let mut off = settings.clone();
    off.demo.enabled = false;
    let app3 = madoguchi::server::build_app(off, Clock::manual(START_UNIX))
        .await
        .unwrap();
    let mut c3 = crate::common::client::Client::new(madoguchi::web::router(app3));
    assert_eq!(c3.get("/dev/mailbox").await.status, StatusCode::NOT_FOUND);
    let _ = Arc::strong_count(&app);
}
on_both_databases!(dev_mailbox_pages);
