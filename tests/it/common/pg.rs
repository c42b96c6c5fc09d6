//! A private, throwaway PostgreSQL cluster for the test run, started from the machine's
//! `initdb` and `pg_ctl`, with a fresh database per test.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct PgCluster {
    pub port: u16,
    data_dir: PathBuf,
    pg_ctl: PathBuf,
    psql: Option<PathBuf>,
    as_postgres_user: bool,
}

static CLUSTER: OnceLock<Option<PgCluster>> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

fn find_bin(name: &str) -> Option<PathBuf> {
    if let Ok(out) = Command::new("which").arg(name).output()
        && out.status.success()
    {
        let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !p.is_empty() {
            return Some(PathBuf::from(p));
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin").join(name)))
        .filter(|p| p.exists())
        .collect();
    versions.sort();
    versions.pop()
}

fn is_root() -> bool {
    unsafe { libc::geteuid() == 0 }
}

/// Runs a PostgreSQL program, as the `postgres` user when we are root (initdb refuses root).
fn run(as_postgres_user: bool, program: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = if as_postgres_user {
        let mut c = Command::new("runuser");
        c.arg("-u").arg("postgres").arg("--").arg(program);
        c
    } else {
        Command::new(program)
    };
    // From a folder the postgres user may enter: initdb and pg_ctl change back to the
    // working directory, and a checkout under /root is closed to that user.
    cmd.args(args)
        .current_dir("/")
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", program.display()))
}

extern "C" fn stop_cluster_at_exit() {
    if let Some(Some(c)) = CLUSTER.get() {
        let dir = c.data_dir.to_string_lossy().to_string();
        let _ = run(
            c.as_postgres_user,
            &c.pg_ctl,
            &["-D", &dir, "-m", "immediate", "stop"],
        );
        if let Some(parent) = c.data_dir.parent() {
            let _ = std::fs::remove_dir_all(parent);
        }
    }
}

/// The cluster, started on first use. None (after a loud message) when PostgreSQL is not
/// installed, unless `CI` is set: there a missing PostgreSQL fails the run.
pub fn cluster() -> Option<&'static PgCluster> {
    CLUSTER
        .get_or_init(|| {
            let (Some(initdb), Some(pg_ctl)) = (find_bin("initdb"), find_bin("pg_ctl")) else {
                if std::env::var_os("CI").is_some() {
                    panic!("PostgreSQL (initdb, pg_ctl) is not installed, and CI is set: the PostgreSQL half of the suite cannot be skipped in CI");
                }
                // Straight to the process's stderr: the test harness captures eprintln!.
                use std::io::Write as _;
                let _ = write!(std::io::stderr(), "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!! PostgreSQL (initdb/pg_ctl) not found: SKIPPING the PostgreSQL tests. !!\n!! Install it (apt-get install postgresql) to run the whole suite.      !!\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n");
                return None;
            };
            let as_postgres_user = is_root();
            let root = std::env::temp_dir().join(format!("madoguchi-pg-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(&root).expect("creating the cluster folder");
            let data_dir = root.join("data");
            let socket_dir = root.join("socket");
            std::fs::create_dir_all(&socket_dir).expect("socket folder");
            if as_postgres_user {
                let status = Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&root)
                    .status()
                    .expect("chown");
                assert!(status.success(), "chown of the cluster folder failed");
            }
            let data = data_dir.to_string_lossy().to_string();
            let out = run(
                as_postgres_user,
                &initdb,
                &["-D", &data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"],
            );
            assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port")
                .port();
            let options = format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
                 -c full_page_writes=off -c max_connections=400 -c shared_buffers=64MB \
                 -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=64MB -c min_wal_size=32MB",
                socket_dir.display()
            );
            let log = root.join("postgres.log").to_string_lossy().to_string();
            let out = run(
                as_postgres_user,
                &pg_ctl,
                &["-D", &data, "-o", &options, "-l", &log, "-w", "-t", "60", "start"],
            );
            assert!(
                out.status.success(),
                "pg_ctl start failed: {}\n{}",
                String::from_utf8_lossy(&out.stderr),
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            unsafe {
                libc::atexit(stop_cluster_at_exit);
            }
            Some(PgCluster {
                port,
                data_dir,
                pg_ctl,
                psql: find_bin("psql"),
                as_postgres_user,
            })
        })
        .as_ref()
}

impl PgCluster {
    /// Creates an empty database and returns its URL.
    pub async fn new_database(&self) -> String {
        use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
        let name = format!(
            "t{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::SeqCst)
        );
        let admin = format!("postgres://postgres@127.0.0.1:{}/postgres", self.port);
        let mut conn = AsyncPgConnection::establish(&admin)
            .await
            .expect("connecting to the test cluster");
        // FILE_COPY: PostgreSQL 15's default (WAL_LOG) writes the whole template into the
        // WAL for every test database, which fills a small CI disk.
        diesel::sql_query(format!("CREATE DATABASE {name} STRATEGY FILE_COPY"))
            .execute(&mut conn)
            .await
            .expect("CREATE DATABASE");
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Drops a test's database when the test ends (a run creates a hundred of them, and
    /// CI machines may have little disk). Synchronous, for `Drop`: psql with FORCE, which
    /// also ends the connections the test's pool still holds.
    pub fn drop_database(&self, url: &str) {
        let Some(name) = url.rsplit('/').next() else {
            return;
        };
        let Some(psql) = &self.psql else {
            return;
        };
        let port = self.port.to_string();
        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        let out = Command::new(psql)
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &port,
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-qc",
                &sql,
            ])
            .current_dir("/")
            .output();
        if let Ok(out) = out
            && !out.status.success()
        {
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "dropping test database {name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
