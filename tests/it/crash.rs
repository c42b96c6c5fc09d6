//! Crash safety: the real server, SIGKILLed while residents are booking, and started
//! again, has every booking whose completion page was received, sends each one's
//! completion mail, and has no slot over capacity (nor one short of a booked place).
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::common::server::{Person, Server, book_over_http, wait_for_mail};
use crate::common::{Backend, TestDb, rows};
use crate::on_both_databases;
use crate::resident::digits;

async fn killed_mid_booking_loses_no_confirmed_booking(backend: Backend) {
    let Some(test) = TestDb::new(backend).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mailbox = dir.path().join("mailbox");
    let mut server = Server::start(&test.url, &mailbox, "warn").await;
    let s = madoguchi::demo::sample_notices();
    let completed = Arc::new(AtomicUsize::new(0));
    let residents = 10;
    let mut tasks = Vec::new();
    for i in 0..residents {
        let n = &s[30 + i];
        let (number1, birth) = (n.number1.clone(), digits(n));
        let (base, mailbox, completed) = (server.base.clone(), mailbox.clone(), completed.clone());
        tasks.push(tokio::spawn(async move {
            let email = format!("crash{i}@example.jp");
            let person = Person {
                number1: &number1,
                birth: &birth,
                name: "山田 太郎",
                kana: "ヤマダ タロウ",
                phone: "090-1234-5678",
            };
            // Half of them on the same two cells: the places are fought over.
            let got = book_over_http(&base, &mailbox, &person, &email, i % 5).await;
            if got.is_ok() {
                completed.fetch_add(1, Ordering::SeqCst);
            }
            (email, got)
        }));
    }
    // Killed once a few have finished, while the others are in the middle.
    let started = Instant::now();
    while completed.load(Ordering::SeqCst) < 3 && started.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill().await;
    let killed_after = completed.load(Ordering::SeqCst);
    let mut confirmed = Vec::new();
    let mut failed = Vec::new();
    for t in tasks {
        match t.await.unwrap() {
            (email, Ok(b)) => confirmed.push((email, b.receipt)),
            (email, Err(e)) => failed.push((email, e)),
        }
    }
    eprintln!("killed after {killed_after} bookings; not completed: {failed:?}");
    assert!(
        killed_after >= 3,
        "bookings completed before the kill: {failed:?}"
    );
    assert!(
        confirmed.len() < residents,
        "the kill came after every booking had finished: not a crash test"
    );

    let server = Server::start(&test.url, &mailbox, "warn").await;
    let demo = madoguchi::db::tenants::find_by_slug(&test.db, "demo")
        .await
        .unwrap()
        .unwrap();
    let mut leased = 0;
    for (email, receipt) in &confirmed {
        let b =
            madoguchi::db::bookings::find_by_receipt(&test.db, demo.id, &receipt.replace('-', ""))
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("booking {receipt} lost in the crash"));
        assert_eq!(b.status, "booked");
        // The completion mail was queued with the booking: sent before the kill, sent by the
        // restarted server, or (claimed by the killed worker in the middle of sending) still
        // pending under its lease, to be sent when the lease ends. Never lost.
        match wait_for_mail(&mailbox, email, "予約完了通知メール").await {
            Some(mail) => assert!(mail.contains(receipt.as_str()), "{mail}"),
            None => {
                let rows = rows::outbox_to(&test.db, email).await;
                assert!(
                    rows.iter()
                        .any(|(status, subject, lease)| status == "pending"
                            && subject.contains("予約完了通知メール")
                            && lease.is_some()),
                    "completion mail for {receipt} lost: {rows:?}"
                );
                leased += 1;
            }
        }
    }
    eprintln!(
        "{} confirmed, {leased} completion mails waiting for their lease",
        confirmed.len()
    );
    assert_eq!(rows::inconsistent_slots(&test.db).await.unwrap(), 0);
    let output = server.stop().await;
    assert!(!output.contains("panicked"), "{output}");
}
on_both_databases!(killed_mid_booking_loses_no_confirmed_booking);
