//! The application: settings, database, templates, keys and clock, shared by every handler.
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use include_dir::{Dir, include_dir};

use crate::config::Settings;
use crate::db::Db;
use crate::mail::{MailTemplates, Mailer};
use crate::secrets::Secrets;

static TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");

pub struct App {
    pub settings: Settings,
    pub db: Db,
    /// The pages in Japanese (staff pages only ever use these) and in English: the same
    /// files, each instance with its own `t()` so templates never pass a language around.
    pub templates: tera::Tera,
    pub templates_en: tera::Tera,
    pub mail_templates: MailTemplates,
    pub mailer: Mailer,
    /// Wakes the outbox worker when a mail was queued, so it goes out at once.
    pub mail_wakeup: tokio::sync::Notify,
    pub secrets: Secrets,
    pub clock: Clock,
    /// Whose X-Forwarded-For names the client (from `server.trusted_proxies`).
    pub trusted_proxies: crate::core::client_ip::TrustedProxies,
    /// The waiting room's queue (per instance).
    pub admission: crate::web::admission::Admission,
    /// This instance's copies of each municipality's 画面の文言, checked against the
    /// tenant row's version on every resident page.
    pub pages: crate::web::municipality_pages::PagesCache,
}

pub type AppState = Arc<App>;

impl App {
    pub fn templates_for(&self, lang: crate::i18n::Lang) -> &tera::Tera {
        match lang {
            crate::i18n::Lang::Ja => &self.templates,
            crate::i18n::Lang::En => &self.templates_en,
        }
    }

    pub fn new(settings: Settings, db: Db, clock: Clock) -> anyhow::Result<App> {
        let secrets = Secrets::new(&settings.security.secret_key);
        let trusted_proxies =
            crate::core::client_ip::TrustedProxies::parse(&settings.server.trusted_proxies)
                .map_err(|e| anyhow::anyhow!("server.trusted_proxies: {e}"))?;
        Ok(App {
            admission: crate::web::admission::Admission::new(settings.admission.clone()),
            pages: Default::default(),
            trusted_proxies,
            templates: load_templates(crate::i18n::Lang::Ja)?,
            templates_en: load_templates(crate::i18n::Lang::En)?,
            mail_templates: MailTemplates::load()?,
            mailer: Mailer::new(&settings.mail)?,
            mail_wakeup: tokio::sync::Notify::new(),
            settings,
            db,
            secrets,
            clock,
        })
    }

    pub fn demo_pages_enabled(&self) -> bool {
        self.settings.demo.enabled && self.settings.mode == crate::config::Mode::Development
    }
}

/// Templates are compiled into the binary so it serves the same pages from any folder.
fn load_templates(lang: crate::i18n::Lang) -> Result<tera::Tera, tera::Error> {
    let mut tera = tera::Tera::default();
    tera.register_function("t", crate::i18n::Translate(lang));
    let mut files = Vec::new();
    collect_templates(&TEMPLATES, &mut files);
    tera.add_raw_templates(files)?;
    tera.autoescape_on(vec![".html"]);
    Ok(tera)
}

fn collect_templates<'a>(dir: &'a Dir<'a>, out: &mut Vec<(String, &'a str)>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().into_owned();
        if path.ends_with(".html")
            && let Some(text) = file.contents_utf8()
        {
            out.push((path, text));
        }
    }
    for sub in dir.dirs() {
        collect_templates(sub, out);
    }
}

/// A static asset compiled into the binary (CSS), by its path under `templates/static/`.
pub fn static_asset(path: &str) -> Option<&'static [u8]> {
    TEMPLATES
        .get_file(format!("static/{path}"))
        .map(|f| f.contents())
}

/// "Now" comes from Rust, never from SQL, so that tests can move it.
#[derive(Clone)]
pub enum Clock {
    System,
    /// Unix seconds, moved by tests.
    Manual(Arc<AtomicI64>),
}

impl Clock {
    pub fn manual(start_unix: i64) -> Clock {
        Clock::Manual(Arc::new(AtomicI64::new(start_unix)))
    }

    pub fn now_unix(&self) -> i64 {
        match self {
            Clock::System => time::OffsetDateTime::now_utc().unix_timestamp(),
            Clock::Manual(t) => t.load(Ordering::SeqCst),
        }
    }

    /// Local time in Japan (JST has no daylight saving).
    pub fn now_jst(&self) -> time::PrimitiveDateTime {
        crate::core::deadline::jst_from_unix(self.now_unix())
    }

    pub fn today(&self) -> time::Date {
        self.now_jst().date()
    }

    pub fn advance(&self, secs: i64) {
        if let Clock::Manual(t) = self {
            t.fetch_add(secs, Ordering::SeqCst);
        }
    }
}
