//! Backups of the SQLite database, taken while the server runs, and their restore.
//!
//! `VACUUM INTO` writes a consistent copy of the database as it was when the statement
//! began, from a read transaction: the server's writers carry on (WAL mode), and the copy
//! never holds half of a booking. A restore copies a checked backup to a database path
//! that does not exist yet, so a running server's file is never overwritten under it.
//! PostgreSQL has its own tools; [`postgres_instructions`] says which.
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

/// Tables every Madoguchi database has; a file without them is something else.
const MADOGUCHI_TABLES: [&str; 5] = [
    "__diesel_schema_migrations",
    "tenants",
    "bookings",
    "booking_people",
    "mail_outbox",
];

#[derive(QueryableByName)]
struct Integrity {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    version: String,
}

/// What a checked database file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub bytes: u64,
    pub tenants: i64,
    pub bookings: i64,
}

/// The SQLite file of a database URL, or an explanation of why there is none.
fn sqlite_file(url: &str) -> anyhow::Result<PathBuf> {
    match crate::db::sqlite_path(url) {
        Some(path) if !path.is_empty() => Ok(PathBuf::from(path)),
        Some(_) => bail!("database.url names no SQLite file: {url:?}"),
        None => bail!("database.url is a PostgreSQL database"),
    }
}

/// A read-only connection that never creates a file (`mode=ro` in a URI).
fn open_read_only(path: &Path) -> anyhow::Result<SqliteConnection> {
    let mut uri = String::from("file:");
    for c in path.display().to_string().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?mode=ro");
    let mut conn =
        SqliteConnection::establish(&uri).with_context(|| format!("opening {}", path.display()))?;
    diesel::sql_query("PRAGMA busy_timeout = 10000")
        .execute(&mut conn)
        .context("setting the busy timeout")?;
    Ok(conn)
}

/// Checks that `path` is a complete, intact Madoguchi database that this version can run:
/// the SQLite header, `PRAGMA integrity_check`, Madoguchi's tables, and no migration this
/// binary does not know (a backup from a newer version).
pub fn check_sqlite_file(path: &Path) -> anyhow::Result<Checked> {
    let mut header = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .with_context(|| format!("{} cannot be read as a SQLite database", path.display()))?;
    if &header != b"SQLite format 3\0" {
        bail!("{} is not a SQLite database", path.display());
    }
    let mut conn = open_read_only(path)?;
    let integrity: Vec<Integrity> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .with_context(|| format!("checking {}", path.display()))?;
    let problems: Vec<&str> = integrity
        .iter()
        .map(|r| r.integrity_check.as_str())
        .filter(|r| *r != "ok")
        .collect();
    if integrity.is_empty() || !problems.is_empty() {
        bail!(
            "{} is damaged (integrity check: {})",
            path.display(),
            problems.join("; ")
        );
    }
    for table in MADOGUCHI_TABLES {
        let found: Count = diesel::sql_query(
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?",
        )
        .bind::<Text, _>(table)
        .get_result(&mut conn)?;
        if found.n != 1 {
            bail!(
                "{} is a SQLite database but not a Madoguchi one (no table {table})",
                path.display()
            );
        }
    }
    let known = crate::db::sqlite_migration_versions();
    let versions: Vec<Version> =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations").load(&mut conn)?;
    if let Some(unknown) = versions.iter().find(|v| !known.contains(&v.version)) {
        bail!(
            "{} was written by a newer Madoguchi (migration {} is unknown to this version)",
            path.display(),
            unknown.version
        );
    }
    let count = |conn: &mut SqliteConnection, table: &str| -> anyhow::Result<i64> {
        let c: Count =
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result(conn)?;
        Ok(c.n)
    };
    Ok(Checked {
        bytes: std::fs::metadata(path)?.len(),
        tenants: count(&mut conn, "tenants")?,
        bookings: count(&mut conn, "bookings")?,
    })
}

/// `VACUUM INTO` from `from` (opened read-only) to the new file `to`.
fn vacuum_into(from: &Path, to: &Path) -> anyhow::Result<()> {
    let mut conn = open_read_only(from)?;
    // A literal, quotes doubled: the path is the operator's own argument.
    let target = to.display().to_string().replace('\'', "''");
    diesel::sql_query(format!("VACUUM INTO '{target}'"))
        .execute(&mut conn)
        .with_context(|| format!("writing {}", to.display()))?;
    Ok(())
}

/// Takes a consistent backup of the SQLite database of `url` into the new file `to`, while
/// the server may be running, and checks it. Refuses to overwrite anything.
pub async fn backup_sqlite(url: &str, to: &Path) -> anyhow::Result<Checked> {
    let from = sqlite_file(url)?;
    if !from.exists() {
        bail!("there is no database at {}", from.display());
    }
    if to.exists() {
        bail!(
            "{} already exists; refusing to overwrite it (choose a new file name)",
            to.display()
        );
    }
    let to = to.to_path_buf();
    tokio::task::spawn_blocking(move || {
        vacuum_into(&from, &to)?;
        check_sqlite_file(&to).context("the backup was written but does not check out")
    })
    .await
    .context("the backup task")?
}

/// Restores the backup `from` as the SQLite database of `url`. Only to a path where no
/// database exists yet: a running server's file must never change under it, and the
/// database it replaces may be the only other copy.
pub async fn restore_sqlite(url: &str, from: &Path) -> anyhow::Result<Checked> {
    let to = sqlite_file(url)?;
    for existing in [
        to.clone(),
        PathBuf::from(format!("{}-wal", to.display())),
        PathBuf::from(format!("{}-shm", to.display())),
    ] {
        if existing.exists() {
            bail!(
                "{} already exists: stop the server, move the database (and its -wal and -shm \
                 files) away, then restore again; nothing was restored",
                existing.display()
            );
        }
    }
    let from = from.to_path_buf();
    tokio::task::spawn_blocking(move || {
        check_sqlite_file(&from).context("not restoring")?;
        if let Some(dir) = to.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        vacuum_into(&from, &to)?;
        check_sqlite_file(&to).context("the restored database does not check out")
    })
    .await
    .context("the restore task")?
}

/// How to back up and restore a PostgreSQL database: with PostgreSQL's own tools. The
/// password, if the URL has one, is left out (pg_dump reads PGPASSWORD or ~/.pgpass).
pub fn postgres_instructions(url: &str, to: &Path) -> String {
    let shown = match url::Url::parse(url) {
        Ok(mut parsed) => {
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        Err(_) => "postgres://USER@HOST/DATABASE".to_string(),
    };
    format!(
        "the database is PostgreSQL: back it up with PostgreSQL's pg_dump, which takes a \
         consistent snapshot while the servers run:\n\n  pg_dump --format=custom --file='{file}' \
         '{shown}'\n\nand restore it into a new, empty database with:\n\n  pg_restore \
         --no-owner --exit-on-error --dbname='{shown}' '{file}'\n",
        file = to.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_instructions_name_pg_dump_and_hide_the_password() {
        let text = postgres_instructions(
            "postgres://madoguchi:s3cret@db.internal/madoguchi",
            Path::new("/backup/m.dump"),
        );
        assert!(text.contains(
            "pg_dump --format=custom --file='/backup/m.dump' 'postgres://madoguchi@db.internal/madoguchi'"
        ), "{text}");
        assert!(text.contains("pg_restore"));
        assert!(!text.contains("s3cret"));
    }

    #[test]
    fn a_file_that_is_not_a_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, "これはデータベースではありません").unwrap();
        let err = check_sqlite_file(&path).unwrap_err().to_string();
        assert!(
            err.contains("cannot be read") || err.contains("not a SQLite"),
            "{err}"
        );
        assert!(check_sqlite_file(&dir.path().join("missing")).is_err());
    }
}
