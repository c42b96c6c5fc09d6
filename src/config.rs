//! Typed settings: `config/default.toml`, an optional file named by `MADOGUCHI_CONFIG`,
//! then `MADOGUCHI__SECTION__KEY` environment variables, later sources winning.
use serde::Deserialize;

/// The secret shipped in `config/default.toml`; production must replace it.
pub const DEVELOPMENT_SECRET: &str = "development-only-secret-do-not-use-in-production";

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub mode: Mode,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub mail: MailSettings,
    pub security: SecuritySettings,
    pub demo: DemoSettings,
    /// Absent from an older configuration file: the defaults.
    #[serde(default)]
    pub retention: RetentionSettings,
    /// The waiting room for the resident pages (see `web::admission`).
    #[serde(default)]
    pub admission: crate::web::admission::AdmissionSettings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Development,
    Production,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    pub bind: String,
    /// Where residents reach the site; used in mailed links.
    pub public_url: String,
    /// Seconds a request may take before it is answered with 503.
    pub request_timeout_secs: u64,
    /// Proxies (load balancers) in front of the app, as addresses or networks: only their
    /// X-Forwarded-For is believed when limits and lockouts look for the client's address.
    /// Empty: the connecting address is the client.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// `sqlite://path/to/file.sqlite3` or `postgres://user@host/db`.
    pub url: String,
    pub pool_size: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailTransportKind {
    Smtp,
    /// Mails written as files and readable at /dev/mailbox: development only.
    DevMailbox,
    /// Kept in memory for tests.
    Memory,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MailSettings {
    pub transport: MailTransportKind,
    pub from: String,
    pub dev_mailbox_dir: String,
    /// e.g. `smtp://localhost:25` or `smtps://user:pass@mail.example.jp`.
    pub smtp_url: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SecuritySettings {
    /// Keys the hashes of tokens and passwords and signs cookies: at least 32 characters.
    pub secret_key: String,
    /// Set when the site is served over HTTPS (cookies get Secure and the __Host- prefix).
    pub https: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DemoSettings {
    /// Create the demo municipality on the first start and show the sample-number page.
    pub enabled: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RetentionSettings {
    /// Days after the visit day at which a booking's personal data (names, kana, phone,
    /// mail addresses, the link to the notice's number and birthdate) is erased; the
    /// anonymised booking stays for statistics. At least 1.
    pub days_after_visit: u32,
}

impl Default for RetentionSettings {
    fn default() -> RetentionSettings {
        RetentionSettings {
            days_after_visit: 30,
        }
    }
}

impl Settings {
    /// Loads `config/default.toml` (compiled in, so the binary runs from any folder), the file
    /// named by `MADOGUCHI_CONFIG` if set, then the environment.
    pub fn load() -> Result<Settings, config::ConfigError> {
        let mut builder = config::Config::builder().add_source(config::File::from_str(
            include_str!("../config/default.toml"),
            config::FileFormat::Toml,
        ));
        if let Ok(path) = std::env::var("MADOGUCHI_CONFIG") {
            builder = builder.add_source(config::File::with_name(&path));
        }
        builder
            .add_source(
                config::Environment::with_prefix("MADOGUCHI")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true)
                    // MADOGUCHI__SERVER__TRUSTED_PROXIES=10.0.0.0/8,127.0.0.1
                    .list_separator(",")
                    .with_list_parse_key("server.trusted_proxies"),
            )
            .build()?
            .try_deserialize()
    }

    /// Reasons this configuration must not serve residents in production (empty when fine).
    pub fn production_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.mode != Mode::Production {
            return problems;
        }
        if self.mail.transport != MailTransportKind::Smtp {
            problems.push(
                "mail.transport must be \"smtp\" in production: the development mailbox and the \
                 in-memory transport never deliver mail to residents"
                    .to_string(),
            );
        }
        if self.demo.enabled {
            problems.push(
                "demo.enabled must be false in production: demo data and the sample-number page \
                 must never be public"
                    .to_string(),
            );
        }
        if self.security.secret_key == DEVELOPMENT_SECRET || self.security.secret_key.len() < 32 {
            problems.push(
                "security.secret_key must be set to a private random value of at least 32 \
                 characters (e.g. MADOGUCHI__SECURITY__SECRET_KEY=$(openssl rand -hex 32))"
                    .to_string(),
            );
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn development_defaults_load_and_are_not_checked() {
        let s = Settings::load().expect("default.toml parses");
        assert_eq!(s.mode, Mode::Development);
        assert_eq!(s.server.bind, "127.0.0.1:3000");
        assert!(s.database.url.starts_with("sqlite://data/"));
        assert_eq!(s.mail.transport, MailTransportKind::DevMailbox);
        assert!(s.demo.enabled);
        assert_eq!(s.retention.days_after_visit, 30);
        assert!(s.production_problems().is_empty());
    }

    #[test]
    fn production_refuses_dev_mailbox_demo_and_default_secret() {
        let mut s = Settings::load().unwrap();
        s.mode = Mode::Production;
        let problems = s.production_problems();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("mail.transport"));
        assert!(problems[1].contains("demo.enabled"));
        assert!(problems[2].contains("secret_key"));

        s.mail.transport = MailTransportKind::Smtp;
        s.demo.enabled = false;
        s.security.secret_key = "short".into();
        assert_eq!(
            s.production_problems().len(),
            1,
            "a short secret is refused"
        );
        s.security.secret_key = "0123456789abcdef0123456789abcdef".into();
        assert!(s.production_problems().is_empty());
    }

    #[test]
    fn production_example_parses_and_is_refused_until_a_secret_is_set() {
        let s: Settings = config::Config::builder()
            .add_source(config::File::from_str(
                include_str!("../config/production.example.toml"),
                config::FileFormat::Toml,
            ))
            .build()
            .unwrap()
            .try_deserialize()
            .unwrap();
        assert_eq!(s.mode, Mode::Production);
        assert_eq!(s.retention.days_after_visit, 30);
        let problems = s.production_problems();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("secret_key"));
    }
}
