//! Personal-data retention: a booking's personal data is erased `retention.days_after_visit`
//! days after the visit; the anonymised row stays for statistics. Expired verification
//! links, holds and sessions go too. Idempotent, and safe on two instances at once.
use std::process::Command;

use axum::http::StatusCode;
use madoguchi::app::Clock;
use madoguchi::core::receipt::mask_number;
use madoguchi::db::retention::{self, PurgeReport};
use madoguchi::demo::sample_notices;
use madoguchi::server::purge_personal_data;

use crate::common::{Backend, TestApp, csrf, rows, test_settings};
use crate::on_both_databases;
use crate::resident::{book, book_at, digits, submit_entry};

const DAY: i64 = 24 * 3600;

async fn booking_id(app: &TestApp, receipt: &str) -> i64 {
    let demo = app.demo_tenant().await;
    madoguchi::db::bookings::find_by_receipt(app.db(), demo.id, &receipt.replace('-', ""))
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn purge(app: &TestApp) -> PurgeReport {
    purge_personal_data(&app.app).await.unwrap()
}

async fn personal_data_is_erased_after_the_retention_period(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    // Visited on 12/1; another booking on 12/3; a verification link never opened.
    let (receipt, password) = book(&app, &[&s[3]], "keep-out@example.jp").await;
    let visited = booking_id(&app, &receipt).await;
    let (later_receipt, _) = book_at(
        &app,
        &[&s[5], &s[6]],
        "later@example.jp",
        "12月3日(木) 10:00",
    )
    .await;
    let later = booking_id(&app, &later_receipt).await;
    let sent = submit_entry(
        &mut app.client(),
        &[(&s[8].number1, &digits(&s[8]))],
        "verify@example.jp",
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    app.mails().await;

    let mut admin = app.admin_client().await;
    let roster = admin.get("/t/demo/staff/roster?date=2026-12-01").await;
    roster.assert_text("山田 1郎");
    roster.assert_text(&mask_number(&s[3].number1));
    let before = rows::counts(app.db()).await;
    assert!(before["email_verifications"] >= 3, "{before:?}");
    assert!(before["holds"] >= 2, "{before:?}");

    // 29 days after the visit: the bookings are kept; expired links, holds, sessions go.
    app.clock.advance(29 * DAY);
    let early = purge(&app).await;
    assert_eq!(early.bookings_anonymised, 0, "{early:?}");
    assert_eq!(early.mails_deleted, 0, "{early:?}");
    assert_eq!(
        early.verifications_deleted as i64, before["email_verifications"],
        "{early:?}"
    );
    assert_eq!(early.holds_deleted as i64, before["holds"], "{early:?}");
    assert!(early.sessions_deleted >= 1, "{early:?}");
    let mid = rows::counts(app.db()).await;
    assert_eq!(
        (mid["email_verifications"], mid["holds"], mid["hold_slots"]),
        (0, 0, 0)
    );
    assert_eq!(
        rows::booking(app.db(), visited).await.0.as_deref(),
        Some("keep-out@example.jp")
    );

    // 30 days after: the 12/1 booking is anonymised, the 12/3 one is not yet.
    app.clock.advance(DAY);
    let report = purge(&app).await;
    assert_eq!(report.bookings_anonymised, 1, "{report:?}");
    assert!(
        report.mails_deleted >= 3,
        "sent mails of 30 days ago: {report:?}"
    );
    let (email, email2, status, anonymised_at) = rows::booking(app.db(), visited).await;
    assert_eq!((email, email2), (None, None));
    assert_eq!(status, "booked", "the status is kept for statistics");
    assert_eq!(anonymised_at, Some(app.clock.now_unix()));
    assert_eq!(
        rows::people(app.db(), visited).await,
        [(String::new(), String::new(), String::new(), None)]
    );
    let kept = rows::people(app.db(), later).await;
    assert_eq!(kept.len(), 2);
    assert!(kept.iter().all(|p| !p.0.is_empty() && p.3.is_some()));
    // The statistics' rows are all there.
    let after = rows::counts(app.db()).await;
    for table in [
        "bookings",
        "booking_people",
        "booking_slots",
        "notices",
        "slots",
    ] {
        assert_eq!(after[table], before[table], "{table}");
    }
    assert_eq!(after["mail_outbox"], 0);

    // The console no longer shows any of it; the receipt number is still there to count.
    let mut admin = app.admin_client().await;
    let roster = admin.get("/t/demo/staff/roster?date=2026-12-01").await;
    assert_eq!(roster.status, StatusCode::OK);
    roster.assert_text(&receipt);
    for gone in [
        "山田",
        "ヤマダ",
        "090",
        &mask_number(&s[3].number1),
        "keep-out",
    ] {
        roster.assert_no_text(gone);
    }
    let page = admin
        .get(&format!("/t/demo/staff/bookings/{visited}"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    for gone in ["山田", "ヤマダ", "090", "keep-out"] {
        page.assert_no_text(gone);
    }
    let csv = admin.get("/t/demo/staff/roster.csv?date=2026-12-01").await;
    assert!(!csv.body.contains("山田") && !csv.body.contains("keep-out"));
    admin
        .get("/t/demo/staff/roster?date=2026-12-03")
        .await
        .assert_text("山田 1郎");

    // The resident's receipt and password open nothing any more.
    let mut resident = app.client();
    let form = resident.get("/t/demo/lookup").await;
    let found = resident
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&form.body)),
                ("receipt_number", &receipt),
                ("password", &password),
            ],
        )
        .await;
    assert_ne!(found.location.as_deref(), Some("/t/demo/booking"));
    assert!(found.status.is_client_error() || found.status == StatusCode::OK);

    // Again: nothing more to do.
    assert!(purge(&app).await.is_empty(), "idempotent");
    assert_eq!(rows::counts(app.db()).await["bookings"], before["bookings"]);
}
on_both_databases!(personal_data_is_erased_after_the_retention_period);

async fn two_instances_purging_at_once_erase_each_booking_once(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let second =
        madoguchi::server::build_app(test_settings(app.database_url(), true), app.clock.clone())
            .await
            .unwrap();
    let s = sample_notices();
    let mut ids = Vec::new();
    for (i, cell) in [
        "12月1日(火) 10:00",
        "12月1日(火) 10:15",
        "12月1日(火) 10:30",
    ]
    .iter()
    .enumerate()
    {
        let (receipt, _) = book_at(&app, &[&s[10 + i]], &format!("p{i}@example.jp"), cell).await;
        ids.push(booking_id(&app, &receipt).await);
    }
    app.clock.advance(31 * DAY);
    let (a, b, c) = tokio::join!(
        purge_personal_data(&app.app),
        purge_personal_data(&second),
        purge_personal_data(&second)
    );
    let total = a.unwrap().bookings_anonymised
        + b.unwrap().bookings_anonymised
        + c.unwrap().bookings_anonymised;
    assert_eq!(total, 3);
    for id in ids {
        assert!(rows::booking(app.db(), id).await.3.is_some());
        assert!(
            rows::people(app.db(), id)
                .await
                .iter()
                .all(|p| p.0.is_empty())
        );
    }
    assert!(purge_personal_data(&second).await.unwrap().is_empty());
}
on_both_databases!(two_instances_purging_at_once_erase_each_booking_once);

/// `madoguchi purge` does the same from the command line, with the setting from the
/// environment. The binary runs on the real clock, so what it must erase is worked out
/// from today's date.
async fn the_purge_command_erases_what_is_due(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (first, _) = book(&app, &[&s[3]], "cli1@example.jp").await;
    let (second, _) = book_at(&app, &[&s[4]], "cli2@example.jp", "12月3日(木) 10:00").await;
    let last_day = retention::last_day_to_anonymise(Clock::System.today(), 1);
    let expected = [
        (first, time::macros::date!(2026 - 12 - 01)),
        (second, time::macros::date!(2026 - 12 - 03)),
    ]
    .into_iter()
    .filter(|(_, day)| *day <= last_day)
    .count();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_madoguchi"))
            .arg("purge")
            .env("MADOGUCHI__DATABASE__URL", app.database_url())
            .env("MADOGUCHI__RETENTION__DAYS_AFTER_VISIT", "1")
            .env_remove("RUST_LOG")
            .output()
            .unwrap()
    };
    let out = run();
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains(&format!(
            "anonymised {expected} bookings (visit day 1 or more days ago)"
        )),
        "{said}"
    );
    let again = String::from_utf8_lossy(&run().stdout).to_string();
    assert!(again.contains("anonymised 0 bookings"), "{again}");
}
on_both_databases!(the_purge_command_erases_what_is_due);
