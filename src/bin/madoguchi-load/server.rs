//! The app under test: `madoguchi serve` processes started with their settings in
//! MADOGUCHI__SECTION__KEY variables, watched for peak memory, stopped with SIGTERM.
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

pub struct Instance {
    pub child: Child,
    pub base: String,
}

pub struct Options<'a> {
    pub binary: &'a Path,
    pub database_url: &'a str,
    pub smtp_port: u16,
    pub pool_size: usize,
    pub log_filter: &'a str,
    pub log_file: PathBuf,
    /// More settings, KEY=VALUE (e.g. MADOGUCHI__ADMISSION__MAX_ACTIVE=200).
    pub extra_env: &'a [String],
}

/// The `madoguchi` binary next to this one (cargo builds both into the same folder).
pub fn default_binary() -> anyhow::Result<PathBuf> {
    let me = std::env::current_exe()?;
    let dir = me.parent().context("the generator's folder")?;
    Ok(dir.join("madoguchi"))
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

pub fn start(options: &Options<'_>) -> anyhow::Result<Instance> {
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let log = std::fs::File::create(&options.log_file)?;
    let mut cmd = Command::new(options.binary);
    cmd.arg("serve")
        .env("MADOGUCHI__DATABASE__URL", options.database_url)
        .env(
            "MADOGUCHI__DATABASE__POOL_SIZE",
            options.pool_size.to_string(),
        )
        .env("MADOGUCHI__SERVER__BIND", format!("127.0.0.1:{port}"))
        .env("MADOGUCHI__SERVER__PUBLIC_URL", &base)
        .env("MADOGUCHI__MAIL__TRANSPORT", "smtp")
        .env(
            "MADOGUCHI__MAIL__SMTP_URL",
            format!("smtp://127.0.0.1:{}", options.smtp_port),
        )
        .env("MADOGUCHI__MAIL__FROM", "窓口予約 <noreply@example.jp>")
        .env("MADOGUCHI__DEMO__ENABLED", "false")
        // A fresh key per run: nothing the run leaves behind can be replayed elsewhere.
        .env(
            "MADOGUCHI__SECURITY__SECRET_KEY",
            format!(
                "{:032x}{:032x}",
                rand::random::<u128>(),
                rand::random::<u128>()
            ),
        )
        .env("RUST_LOG", options.log_filter)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    for kv in options.extra_env {
        let (k, v) = kv
            .split_once('=')
            .with_context(|| format!("--server-env {kv}: expected KEY=VALUE"))?;
        cmd.env(k, v);
    }
    let child = cmd
        .spawn()
        .with_context(|| format!("starting {}", options.binary.display()))?;
    Ok(Instance { child, base })
}

impl Instance {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until /readyz answers 200 (migrations ran, the database answers).
    pub async fn wait_ready(&mut self, log_file: &Path) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "the server exited ({status}) before it was ready:\n{}",
                    std::fs::read_to_string(log_file).unwrap_or_default()
                );
            }
            if let Ok(r) = client.get(format!("{}/readyz", self.base)).send().await
                && r.status().is_success()
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("the server did not become ready within 60 s");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Peak resident set size in kB (VmHWM): the most memory the process held at once.
    pub fn peak_rss_kb(&self) -> Option<u64> {
        status_kb(self.pid(), "VmHWM:")
    }

    /// SIGTERM (the server finishes requests in flight), then SIGKILL after 15 s.
    pub fn stop(&mut self) -> anyhow::Result<Option<i32>> {
        // SAFETY: kill() on the pid of a child we spawned and have not reaped.
        unsafe {
            libc::kill(self.pid() as libc::pid_t, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status.code());
            }
            if Instant::now() > deadline {
                self.child.kill()?;
                self.child.wait()?;
                return Ok(None);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

pub fn status_kb(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
