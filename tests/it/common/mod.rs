//! The test harness: every test runs on SQLite (a temp file) and PostgreSQL (a fresh
//! database in a private cluster), and drives the app as a client would.
#![allow(dead_code)]
pub mod client;
pub mod pg;
pub mod rows;
pub mod server;
pub mod smtp;
pub mod towns;

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

impl Drop for TestDb {
    fn drop(&mut self) {
        if self.url.starts_with("postgres")
            && let Some(cluster) = pg::cluster()
        {
            cluster.drop_database(&self.url);
        }
    }
}

/// 2026-12-01 (Tuesday) 09:00 JST: every test starts at the same instant.
pub const START_UNIX: i64 = 1_796_083_200;

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

    /// The demo, with settings changed by `adjust` (HTTPS, trusted proxies, ...).
    pub async fn with_settings(
        backend: Backend,
        adjust: impl FnOnce(&mut Settings),
    ) -> Option<TestApp> {
        Self::build_with(backend, true, adjust).await
    }

    async fn build(backend: Backend, demo: bool) -> Option<TestApp> {
        Self::build_with(backend, demo, |_| {}).await
    }

    async fn build_with(
        backend: Backend,
        demo: bool,
        adjust: impl FnOnce(&mut Settings),
    ) -> Option<TestApp> {
        let test_db = TestDb::new(backend).await?;
        let clock = Clock::manual(START_UNIX);
        let mut settings = test_settings(&test_db.url, demo);
        adjust(&mut settings);
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

    /// A new browser, on a network address of its own (each is another person: limits
    /// count per client address).
    pub fn client(&self) -> client::Client {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let ip = std::net::Ipv4Addr::from(0x0a00_0000 | (n & 0x00ff_ffff));
        client::Client::new(madoguchi::web::router(self.app.clone())).at_ip(&ip.to_string())
    }

    pub fn db(&self) -> &Db {
        &self.app.db
    }

    /// The database URL, for running the binary against the same database.
    pub fn database_url(&self) -> &str {
        &self._db.url
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

impl TestApp {
    /// Sends what the outbox holds and returns every mail delivered so far.
    pub async fn mails(&self) -> Vec<madoguchi::mail::SentMail> {
        madoguchi::server::deliver_mail(&self.app)
            .await
            .expect("delivering mail");
        self.app
            .mailer
            .memory_mailbox()
            .expect("tests use the memory transport")
    }

    /// The mails delivered to `to`, oldest first.
    pub async fn mails_to(&self, to: &str) -> Vec<madoguchi::mail::SentMail> {
        self.mails()
            .await
            .into_iter()
            .filter(|m| m.to == to)
            .collect()
    }

    pub async fn demo_tenant_exists(&self) -> bool {
        madoguchi::db::tenants::find_by_slug(self.db(), "demo")
            .await
            .unwrap()
            .is_some()
    }

    pub async fn demo_tenant(&self) -> madoguchi::db::tenants::Tenant {
        madoguchi::db::tenants::find_by_slug(self.db(), "demo")
            .await
            .unwrap()
            .unwrap()
    }

    /// The demo's counter with this name.
    pub async fn counter_id(&self, name: &str) -> i64 {
        let tenant = self.demo_tenant().await;
        madoguchi::db::tenants::active_counters(self.db(), tenant.id)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no counter {name}"))
            .id
    }
}

/// The value of the first `attr="..."` after `marker` in `html`.
pub fn value_after(html: &str, marker: &str, attr: &str) -> Option<String> {
    let start = html.find(marker)? + marker.len();
    let rest = &html[start..];
    let key = format!("{attr}=\"");
    let v = rest.find(&key)? + key.len();
    let end = rest[v..].find('"')?;
    Some(rest[v..v + end].to_string())
}

pub fn csrf(html: &str) -> String {
    value_after(html, "name=\"csrf\"", "value").expect("a CSRF field on the page")
}

/// The slot ids of the selectable cells in the page's first grid, in reading order.
pub fn selectable_slots(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let wide = html.split("grid-narrow").next().unwrap_or(html);
    let mut rest = wide;
    while let Some(i) = rest.find("name=\"slot\" value=\"") {
        rest = &rest[i + "name=\"slot\" value=\"".len()..];
        let end = rest.find('"').unwrap();
        out.push(rest[..end].to_string());
    }
    out
}

/// The first URL in a mail's text that starts with `prefix`, as a path.
pub fn link_in(text: &str, prefix: &str) -> Option<String> {
    let start = text.find(prefix)?;
    let url: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    Some(url.trim_start_matches("http://127.0.0.1:3000").to_string())
}

/// The value after `label` in a mail: the rest of its line, or the next non-empty line
/// when the label stands alone ("■受付番号" then the number).
pub fn line_value(text: &str, label: &str) -> Option<String> {
    let start = text.find(label)? + label.len();
    let mut lines = text[start..].lines();
    let same = lines.next()?.trim_start_matches([':', ':', ' ']).trim();
    if !same.is_empty() {
        return Some(same.to_string());
    }
    lines
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string)
}

impl TestApp {
    /// A browser logged in to the demo's console as `login` (created as `role` unless it
    /// is the demo admin).
    pub async fn staff_client(
        &self,
        login: &str,
        role: madoguchi::db::tenants::Role,
    ) -> client::Client {
        let tenant = self.demo_tenant().await;
        let password = if login == madoguchi::demo::ADMIN_LOGIN {
            madoguchi::demo::ADMIN_PASSWORD.to_string()
        } else {
            let password = format!("{login}-password-123");
            let hash = madoguchi::secrets::hash_password(&password);
            madoguchi::db::tenants::add_staff(self.db(), tenant.id, login, login, &hash, role, 0)
                .await
                .unwrap();
            password
        };
        let mut client = self.client();
        let page = client.get("/t/demo/staff/login").await;
        let done = client
            .post_form(
                "/t/demo/staff/login",
                &[
                    ("csrf", &csrf(&page.body)),
                    ("login", login),
                    ("password", &password),
                ],
            )
            .await;
        assert_eq!(
            done.location.as_deref(),
            Some("/t/demo/staff/roster"),
            "{}",
            done.text()
        );
        client
    }

    pub async fn admin_client(&self) -> client::Client {
        self.staff_client(
            madoguchi::demo::ADMIN_LOGIN,
            madoguchi::db::tenants::Role::Admin,
        )
        .await
    }
}
