//! A private PostgreSQL cluster on loopback for one benchmark run, from the machine's
//! `initdb` and `pg_ctl` (as `tests/it/common/pg.rs` does for the test suite).
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

pub struct Cluster {
    pub port: u16,
    root: PathBuf,
    pg_ctl: PathBuf,
    as_postgres_user: bool,
    bin_dir: PathBuf,
}

pub fn find_bin(name: &str) -> Option<PathBuf> {
    // The versioned folder first: it holds pgbench and the server binaries together.
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path().join("bin").join(name)))
        .filter(|p| p.exists())
        .collect();
    versions.sort();
    if let Some(p) = versions.pop() {
        return Some(p);
    }
    let out = Command::new("which").arg(name).output().ok()?;
    let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !p.is_empty()).then(|| PathBuf::from(p))
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// A command for a PostgreSQL program, as the `postgres` user when we are root (initdb and
/// the server refuse to run as root).
pub fn command(as_postgres_user: bool, program: &Path) -> Command {
    let mut cmd = if as_postgres_user {
        let mut c = Command::new("runuser");
        c.arg("-u").arg("postgres").arg("--").arg(program);
        c
    } else {
        Command::new(program)
    };
    // A folder the postgres user may enter: the tools change back to the working directory.
    cmd.current_dir("/");
    cmd
}

impl Cluster {
    /// initdb + pg_ctl start. `synchronous_commit=off` matches the durability SQLite has
    /// with WAL and synchronous=NORMAL (a crash may lose the last commits, never corrupts);
    /// fsync stays on, as in production.
    pub fn start(max_connections: usize) -> anyhow::Result<Cluster> {
        let initdb = find_bin("initdb").context("initdb not found (apt-get install postgresql)")?;
        let pg_ctl = find_bin("pg_ctl").context("pg_ctl not found")?;
        let bin_dir = pg_ctl.parent().map(Path::to_path_buf).unwrap_or_default();
        let as_postgres_user = is_root();
        let root = std::env::temp_dir().join(format!("madoguchi-load-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("socket"))?;
        if as_postgres_user {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&root)
                .status()?
                .success();
            if !ok {
                bail!("chown of {} failed", root.display());
            }
        }
        let data = root.join("data");
        let out = command(as_postgres_user, &initdb)
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .output()?;
        if !out.status.success() {
            bail!("initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c synchronous_commit=off \
             -c max_connections={max_connections} -c shared_buffers=128MB",
            root.join("socket").display()
        );
        let log = root.join("postgres.log");
        let out = command(as_postgres_user, &pg_ctl)
            .arg("-D")
            .arg(&data)
            .arg("-o")
            .arg(&options)
            .arg("-l")
            .arg(&log)
            .args(["-w", "-t", "60", "start"])
            .output()?;
        if !out.status.success() {
            bail!(
                "pg_ctl start failed: {}\n{}",
                String::from_utf8_lossy(&out.stderr),
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        Ok(Cluster {
            port,
            root,
            pg_ctl,
            as_postgres_user,
            bin_dir,
        })
    }

    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// A fresh database for one run.
    pub async fn create_database(&self, name: &str) -> anyhow::Result<String> {
        use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
        let mut conn = AsyncPgConnection::establish(&self.url("postgres")).await?;
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name}"))
            .execute(&mut conn)
            .await?;
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await?;
        Ok(self.url(name))
    }

    /// A PostgreSQL program of the same installation (pgbench), run as the cluster's user.
    pub fn tool(&self, name: &str) -> anyhow::Result<Command> {
        let path = self.bin_dir.join(name);
        let path = if path.exists() {
            path
        } else {
            find_bin(name).with_context(|| format!("{name} not found"))?
        };
        Ok(command(self.as_postgres_user, &path))
    }

    /// A folder the cluster's user can read (for pgbench's script).
    pub fn scratch(&self) -> &Path {
        &self.root
    }

    pub fn chown(&self, path: &Path) {
        if self.as_postgres_user {
            let _ = Command::new("chown")
                .arg("postgres:postgres")
                .arg(path)
                .status();
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = command(self.as_postgres_user, &self.pg_ctl)
            .arg("-D")
            .arg(self.root.join("data"))
            .args(["-m", "fast", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
