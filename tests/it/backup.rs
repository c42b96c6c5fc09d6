//! `madoguchi backup` and `madoguchi restore`: a consistent SQLite backup taken while
//! bookings are being written, restored to a new path, served again with every booking.
use std::path::Path;
use std::process::{Command, Output};

use axum::http::StatusCode;
use madoguchi::demo::sample_notices;

use crate::common::{Backend, TestApp, csrf, rows, test_settings};
use crate::on_both_databases;
use crate::resident::book_at;

fn madoguchi(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_madoguchi"))
        .args(args)
        .env("MADOGUCHI__DATABASE__URL", url)
        .env_remove("RUST_LOG")
        .output()
        .expect("running madoguchi")
}

fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn url_of(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// Every booking of the database is whole: one person and one slot per place.
async fn assert_whole(db: &madoguchi::db::Db, bookings: i64) {
    let c = rows::counts(db).await;
    assert_eq!(c["bookings"], bookings, "{c:?}");
    assert_eq!(c["booking_people"], bookings, "{c:?}");
    assert_eq!(c["booking_slots"], bookings, "{c:?}");
}

async fn lookup_finds(app: &TestApp, receipt: &str, password: &str) -> bool {
    let mut client = app.client();
    let form = client.get("/t/demo/lookup").await;
    let found = client
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&form.body)),
                ("receipt_number", receipt),
                ("password", password),
            ],
        )
        .await;
    found.location.as_deref() == Some("/t/demo/booking")
}

async fn backup_while_booking_then_restore_and_serve(backend: Backend) {
    if backend == Backend::Postgres {
        return postgres_backup_names_pg_dump().await;
    }
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = app.database_url().to_string();
    let s = sample_notices();
    let cells = [
        "10:00", "10:15", "10:30", "10:45", "11:00", "11:15", "11:30", "11:45", "13:00", "13:15",
    ];
    let mut booked = Vec::new();
    let book_next = async |booked: &mut Vec<(String, String)>| {
        let i = booked.len();
        let got = book_at(
            &app,
            &[&s[20 + i]],
            &format!("backup{i}@example.jp"),
            &format!("12月2日(水) {}", cells[i]),
        )
        .await;
        booked.push(got);
    };
    book_next(&mut booked).await;

    // The backup runs in its own process while this one keeps booking.
    let during = dir.path().join("during.sqlite3");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_madoguchi"))
        .args(["backup", "--to", during.to_str().unwrap()])
        .env("MADOGUCHI__DATABASE__URL", &url)
        .env_remove("RUST_LOG")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    while booked.len() < cells.len() {
        book_next(&mut booked).await;
        if child.try_wait().unwrap().is_some() && booked.len() >= 3 {
            break;
        }
    }
    let out = child.wait_with_output().await.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("checked"));

    // A second backup once every booking is in; the same name again is refused.
    let after = dir.path().join("after.sqlite3");
    let ok = madoguchi(&url, &["backup", "--to", after.to_str().unwrap()]);
    assert!(ok.status.success(), "{}", said(&ok));
    let size = std::fs::metadata(&after).unwrap().len();
    let again = madoguchi(&url, &["backup", "--to", after.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(
        said(&again).contains("refusing to overwrite"),
        "{}",
        said(&again)
    );
    assert_eq!(std::fs::metadata(&after).unwrap().len(), size);

    // Restore: refused without --confirm, onto an existing database, or from a file that is
    // not a Madoguchi database.
    let restored = dir.path().join("restored").join("madoguchi.sqlite3");
    let restored_url = url_of(&restored);
    let from = after.to_str().unwrap();
    let unconfirmed = madoguchi(&restored_url, &["restore", "--from", from]);
    assert!(!unconfirmed.status.success());
    assert!(said(&unconfirmed).contains("--confirm"));
    assert!(!restored.exists());
    let onto_live = madoguchi(&url, &["restore", "--from", from, "--confirm"]);
    assert!(!onto_live.status.success());
    assert!(
        said(&onto_live).contains("already exists"),
        "{}",
        said(&onto_live)
    );
    let notes = dir.path().join("notes.sqlite3");
    std::fs::write(&notes, "SQLite format 3\0 but not really").unwrap();
    let bogus = madoguchi(
        &restored_url,
        &["restore", "--from", notes.to_str().unwrap(), "--confirm"],
    );
    assert!(!bogus.status.success());
    assert!(!restored.exists(), "{}", said(&bogus));

    let done = madoguchi(&restored_url, &["restore", "--from", from, "--confirm"]);
    assert!(done.status.success(), "{}", said(&done));

    // Served again from the restored file: every booking is there and opens.
    let served =
        madoguchi::server::build_app(test_settings(&restored_url, true), app.clock.clone())
            .await
            .unwrap();
    assert_whole(&served.db, booked.len() as i64).await;
    let mut client = crate::common::client::Client::new(madoguchi::web::router(served.clone()));
    for (receipt, password) in &booked {
        let form = client.get("/t/demo/lookup").await;
        let found = client
            .post_form(
                "/t/demo/lookup",
                &[
                    ("csrf", &csrf(&form.body)),
                    ("receipt_number", receipt),
                    ("password", password),
                ],
            )
            .await;
        assert_eq!(
            found.location.as_deref(),
            Some("/t/demo/booking"),
            "{receipt}"
        );
        let page = client.get("/t/demo/booking").await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_text(receipt);
    }
    assert!(lookup_finds(&app, &booked[0].0, &booked[0].1).await);

    // The backup taken mid-way holds whole bookings only, the first at least.
    let mid = dir.path().join("mid").join("madoguchi.sqlite3");
    let mid_url = url_of(&mid);
    let out = madoguchi(
        &mid_url,
        &["restore", "--from", during.to_str().unwrap(), "--confirm"],
    );
    assert!(out.status.success(), "{}", said(&out));
    let mid_db = madoguchi::db::Db::connect(&mid_url, 2).await.unwrap();
    let n = rows::counts(&mid_db).await["bookings"];
    assert!((1..=booked.len() as i64).contains(&n), "{n}");
    assert_whole(&mid_db, n).await;
}
on_both_databases!(backup_while_booking_then_restore_and_serve);

/// On PostgreSQL the command explains pg_dump (with the URL, without its password) and
/// writes nothing.
async fn postgres_backup_names_pg_dump() {
    let Some(test) = crate::common::TestDb::new(Backend::Postgres).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.dump");
    let out = madoguchi(&test.url, &["backup", "--to", file.to_str().unwrap()]);
    assert!(!out.status.success(), "no backup was taken");
    let text = said(&out);
    assert!(
        text.contains(&format!(
            "pg_dump --format=custom --file='{}' '",
            file.display()
        )),
        "{text}"
    );
    assert!(text.contains("pg_restore"), "{text}");
    assert!(!file.exists());
}
