//! The test harness: every test runs on SQLite (a temp file) and PostgreSQL (a fresh
//! database in a private cluster), and drives the app as a client would.
#![allow(dead_code)]
pub mod client;
pub mod pg;

use std::sync::Arc;

use madoguchi::app::{App, AppState, Clock};
use madoguchi::config::Settings;
use madoguchi::db::Db;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database for one test; the SQLite file lives as long as this value.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// None when PostgreSQL is not installed and CI is not set (see `pg::cluster`).
    pub async fn new(backend: Backend) -> Option<TestDb> {
        let (url, dir) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("test.sqlite3").display());
                (url, Some(dir))
            }
            Backend::Postgres => (pg::cluster()?.new_database().await, None),
        };
        let db = Db::connect(&url, 16)
            .await
            .expect("connecting and migrating");
        Some(TestDb { db, url, _dir: dir })
    }
}

/// 2026-12-01 (Tuesday) 09:00 JST: every test starts at the same instant.
pub const START_UNIX: i64 = 1_764_547_200;

pub fn test_settings(url: &str, demo: bool) -> Settings {
    let mut settings = Settings::load().expect("default settings");
    settings.database.url = url.to_string();
    settings.database.pool_size = 16;
    settings.demo.enabled = demo;
    settings.mail.transport = madoguchi::config::MailTransportKind::Memory;
    settings.security.secret_key = "test-secret-key-test-secret-key-0123456789".into();
    settings
}

/// The whole app on a test database with a clock the test moves.
pub struct TestApp {
    pub app: AppState,
    pub clock: Clock,
    pub backend: Backend,
    _db: TestDb,
}

impl TestApp {
    pub async fn with_demo(backend: Backend) -> Option<TestApp> {
        Self::build(backend, true).await
    }

    pub async fn empty(backend: Backend) -> Option<TestApp> {
        Self::build(backend, false).await
    }

    async fn build(backend: Backend, demo: bool) -> Option<TestApp> {
        let test_db = TestDb::new(backend).await?;
        let clock = Clock::manual(START_UNIX);
        let settings = test_settings(&test_db.url, demo);
        let app = madoguchi::server::build_app(settings, clock.clone())
            .await
            .expect("building the app");
        Some(TestApp {
            app,
            clock,
            backend,
            _db: test_db,
        })
    }

    pub fn client(&self) -> client::Client {
        client::Client::new(madoguchi::web::router(self.app.clone()))
    }

    pub fn db(&self) -> &Db {
        &self.app.db
    }
}

pub fn app_of(app: &TestApp) -> &Arc<App> {
    &app.app
}

/// Runs one async test body against each database, as `NAME::sqlite` and `NAME::postgres`.
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$name($crate::common::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                super::$name($crate::common::Backend::Postgres).await;
            }
        }
    };
}
