//! The load generator's smoke mode: a few residents for a few seconds through the whole
//! flow (real HTTP, real SMTP), on SQLite and on PostgreSQL. Zero errors, nothing oversold,
//! nothing booked twice, at least one booking.
use std::process::Command;

fn postgres_installed() -> bool {
    let found = std::path::Path::new("/usr/lib/postgresql").exists()
        || Command::new("which")
            .arg("initdb")
            .output()
            .is_ok_and(|o| o.status.success());
    if !found && std::env::var_os("CI").is_some() {
        panic!("PostgreSQL is not installed, and CI is set: the load smoke test cannot skip it");
    }
    found
}

fn smoke(db: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_madoguchi-load"))
        .args([
            "--db",
            db,
            "--residents",
            "4",
            "--duration",
            "4",
            "--json",
            "--strict",
        ])
        .args(["--server-bin", env!("CARGO_BIN_EXE_madoguchi")])
        .output()
        .expect("running madoguchi-load");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "madoguchi-load --db {db} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("a JSON report");
    let run = &report["runs"][0];
    assert_eq!(run["error_count"], 0, "{run:#}");
    assert_eq!(run["server_5xx"], 0, "{run:#}");
    assert_eq!(run["checks"]["oversold_slots"], 0, "{run:#}");
    assert_eq!(run["checks"]["notices_booked_twice"], 0, "{run:#}");
    assert_eq!(run["checks"]["taken_mismatch"], 0, "{run:#}");
    let completed = run["completed"].as_u64().unwrap();
    assert!(completed >= 1, "at least one booking: {run:#}");
    assert_eq!(run["checks"]["bookings_in_db"].as_u64(), Some(completed));
    assert_eq!(
        run["completion_mails"].as_u64(),
        Some(completed),
        "every booking's mail reached the sink"
    );
    assert!(run["peak_rss_mb"][0].as_f64().unwrap() > 1.0, "{run:#}");
}

#[test]
fn load_smoke_sqlite() {
    smoke("sqlite");
}

#[test]
fn load_smoke_postgres() {
    if !postgres_installed() {
        eprintln!("PostgreSQL not installed: skipping the PostgreSQL load smoke test");
        return;
    }
    smoke("postgres");
}
