//! Storage: one pool over SQLite or PostgreSQL, chosen by the database URL, and the queries.
//!
//! diesel's `MultiConnection` is sync-only, so the two backends are an enum and the macros
//! [`db_read!`](crate::db_read) and [`db_write!`](crate::db_write) run the same query body
//! against whichever concrete connection the pool hands out.
pub mod audit;
pub mod bookings;
pub mod deadlines;
// The console's vaccination roster and phone booking (issue 12, staff part).
pub mod dose_bookings;
pub mod holds;
pub mod imports;
pub mod mail_templates;
pub mod municipality_pages;
pub mod notices;
pub mod outbox;
pub mod recipient_fields;
pub mod reminders;
pub mod retention;
pub mod roster;
pub mod schedule;
pub mod schema;
pub mod sessions;
pub mod slots;
pub mod staff;
pub mod tenants;
pub mod throttle;
pub mod ticket_bookings;
pub mod ticket_imports;
pub mod tickets;
pub mod vaccination;
pub mod venues;
pub mod verifications;
pub mod waitlist;

use std::sync::Arc;

use diesel::ConnectionError;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub type SqliteConn = SyncConnectionWrapper<diesel::SqliteConnection>;
pub type PgConn = AsyncPgConnection;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Run on every new SQLite connection: WAL lets readers go on while one writer writes;
/// busy_timeout makes a second writer wait instead of failing; foreign keys are off by default.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("no database connection: {0}")]
    Pool(String),
    #[error("migration failed: {0}")]
    Migration(String),
    /// A business rule refused the write (e.g. a slot is full); the transaction rolled back.
    #[error("refused: {0}")]
    Conflict(&'static str),
    #[error("unsupported database URL (use sqlite://... or postgres://...): {0}")]
    Url(String),
}

impl DbError {
    /// True when the error says the database refused a write for a uniqueness constraint.
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            DbError::Query(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool of connections to one database of either kind. Cheap to clone.
#[derive(Clone)]
pub enum Db {
    /// SQLite lets one writer in at a time; the mutex queues this process's writers in
    /// arrival order (see [`Db::write_permit`]).
    Sqlite(Pool<SqliteConn>, Arc<tokio::sync::Mutex<()>>),
    Postgres(Pool<PgConn>),
}

/// A pooled connection; see [`db_read!`](crate::db_read).
// Lives for one query body on the stack; boxing would cost an allocation per checkout.
#[allow(clippy::large_enum_variant)]
pub enum Conn {
    Sqlite(Object<SqliteConn>),
    Postgres(Object<PgConn>),
}

/// How long a request waits for a free connection, and for a new one to open, before it is
/// answered 503: a database that is down or saturated shows at once (and /readyz fails
/// fast) rather than holding every request until the request timeout.
const POOL_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// A PostgreSQL connection idle for longer than this is tested with a query before it is
/// handed out again (the server or a proxy may have closed it meanwhile); one in steady
/// use is not, which saves a round trip on every checkout.
const PG_VERIFY_AFTER_IDLE: std::time::Duration = std::time::Duration::from_secs(30);

fn with_timeouts<M: deadpool::managed::Manager>(
    builder: deadpool::managed::PoolBuilder<M>,
) -> deadpool::managed::PoolBuilder<M> {
    builder
        .runtime(deadpool::Runtime::Tokio1)
        .wait_timeout(Some(POOL_WAIT))
        .create_timeout(Some(POOL_WAIT))
}

/// The file path of a SQLite URL, or None when the URL is for PostgreSQL.
pub fn sqlite_path(url: &str) -> Option<&str> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return None;
    }
    Some(
        url.strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url),
    )
}

impl Db {
    /// Opens a pool for `url` (creating the SQLite file and its folder if needed) and brings
    /// the schema up to date.
    pub async fn connect(url: &str, pool_size: usize) -> Result<Db, DbError> {
        let db = match sqlite_path(url) {
            Some(path) => {
                if path.is_empty() {
                    return Err(DbError::Url(url.to_string()));
                }
                if let Some(dir) = std::path::Path::new(path).parent()
                    && !dir.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(dir).map_err(|e| DbError::Pool(e.to_string()))?;
                }
                let mut config = ManagerConfig::<SqliteConn>::default();
                // The default recycling runs `SELECT 1` on every checkout: on SQLite a hand-off
                // to a blocking thread and back for a file that cannot go away.
                config.recycling_method = RecyclingMethod::Fast;
                config.custom_setup = Box::new(|path| {
                    Box::pin(async move {
                        let mut conn = SqliteConn::establish(path).await?;
                        conn.batch_execute(SQLITE_PRAGMAS)
                            .await
                            .map_err(ConnectionError::CouldntSetupConfiguration)?;
                        Ok(conn)
                    })
                });
                let manager =
                    AsyncDieselConnectionManager::<SqliteConn>::new_with_config(path, config);
                let pool = with_timeouts(Pool::builder(manager).max_size(pool_size.max(1)))
                    .build()
                    .map_err(|e| DbError::Pool(e.to_string()))?;
                Db::Sqlite(pool, Arc::new(tokio::sync::Mutex::new(())))
            }
            None => {
                let mut config = ManagerConfig::<PgConn>::default();
                config.recycling_method = RecyclingMethod::Fast;
                let manager = AsyncDieselConnectionManager::<PgConn>::new_with_config(url, config);
                let pool = with_timeouts(Pool::builder(manager).max_size(pool_size.max(1)))
                    .pre_recycle(deadpool::managed::Hook::async_fn(
                        |conn: &mut PgConn, metrics| {
                            let idle = metrics.last_used();
                            Box::pin(async move {
                                if idle > PG_VERIFY_AFTER_IDLE {
                                    // An error discards this connection; the pool tries the next.
                                    conn.batch_execute("SELECT 1").await.map_err(|e| {
                                        deadpool::managed::HookError::Message(e.to_string().into())
                                    })?;
                                }
                                Ok(())
                            })
                        },
                    ))
                    .build()
                    .map_err(|e| DbError::Pool(e.to_string()))?;
                Db::Postgres(pool)
            }
        };
        db.migrate().await?;
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(..) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn get(&self) -> Result<Conn, DbError> {
        match self {
            Db::Sqlite(pool, _) => pool.get().await.map(Conn::Sqlite),
            Db::Postgres(pool) => pool.get().await.map(Conn::Postgres),
        }
        .map_err(|e| DbError::Pool(e.to_string()))
    }

    /// On SQLite, the turn of this process's next write transaction, held until it ends;
    /// None on PostgreSQL, whose writers run side by side.
    ///
    /// Without it, concurrent `BEGIN IMMEDIATE`s wait in SQLite's busy handler, which polls
    /// with sleeps of up to 100 ms: under a rush the write lock was free much of the time
    /// while writers slept (the machine was 40 % idle at 64 residents) and a few waited
    /// half a second. The queue hands the lock on the moment it is released, first come
    /// first served. Another process on the same file (a backup, the CLI) still meets the
    /// busy timeout.
    pub async fn write_permit(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match self {
            Db::Sqlite(_, writer) => Some(writer.clone().lock_owned().await),
            Db::Postgres(_) => None,
        }
    }

    /// Applies the embedded migrations that have not run yet.
    pub async fn migrate(&self) -> Result<(), DbError> {
        let result = match self.get().await? {
            Conn::Sqlite(conn) => {
                let conn = Object::take(conn);
                let mut harness = diesel_async::AsyncMigrationHarness::new(conn);
                harness
                    .run_pending_migrations(SQLITE_MIGRATIONS)
                    .map(|_| ())
            }
            Conn::Postgres(conn) => {
                let conn = Object::take(conn);
                let mut harness = diesel_async::AsyncMigrationHarness::new(conn);
                harness
                    .run_pending_migrations(POSTGRES_MIGRATIONS)
                    .map(|_| ())
            }
        };
        result.map_err(|e| DbError::Migration(e.to_string()))
    }

    /// Answers when the database does: for /readyz.
    pub async fn ping(&self) -> Result<(), DbError> {
        use diesel_async::SimpleAsyncConnection;
        crate::db_read!(self, |conn| {
            conn.batch_execute("SELECT 1").await?;
            Ok(())
        })
    }
}

/// The versions of the SQLite migrations this binary carries (for checking a backup).
pub fn sqlite_migration_versions() -> Vec<String> {
    use diesel::migration::MigrationSource;
    MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS)
        .map(|all| all.iter().map(|m| m.name().version().to_string()).collect())
        .unwrap_or_default()
}

/// Runs `body` with `conn` bound to a `&mut` concrete connection, without a transaction.
/// The body is compiled once per backend, so it may only use queries both support.
#[macro_export]
macro_rules! db_read {
    ($db:expr, |$conn:ident| $body:block) => {{
        match $db.get().await? {
            $crate::db::Conn::Sqlite(mut pooled) => {
                let $conn: &mut $crate::db::SqliteConn = &mut *pooled;
                let result: Result<_, $crate::db::DbError> = async { $body }.await;
                result
            }
            $crate::db::Conn::Postgres(mut pooled) => {
                let $conn: &mut $crate::db::PgConn = &mut *pooled;
                let result: Result<_, $crate::db::DbError> = async { $body }.await;
                result
            }
        }
    }};
}

/// Runs `body` in a write transaction: `BEGIN IMMEDIATE` on SQLite (a deferred transaction
/// that later upgrades to a write fails with "database is locked" under concurrency, busy
/// timeout or not), an ordinary transaction on PostgreSQL. An `Err` rolls back.
#[macro_export]
macro_rules! db_write {
    ($db:expr, |$conn:ident| $body:block) => {{
        // Taken before the connection, so a queued writer holds no pooled connection.
        let _permit = $db.write_permit().await;
        match $db.get().await? {
            $crate::db::Conn::Sqlite(mut pooled) => {
                pooled
                    .immediate_transaction(async move |$conn: &mut $crate::db::SqliteConn| {
                        let result: Result<_, $crate::db::DbError> = $body;
                        result
                    })
                    .await
            }
            $crate::db::Conn::Postgres(mut pooled) => {
                use diesel_async::AsyncConnection as _;
                let conn: &mut $crate::db::PgConn = &mut pooled;
                conn.transaction(async move |$conn: &mut $crate::db::PgConn| {
                    let result: Result<_, $crate::db::DbError> = $body;
                    result
                })
                .await
            }
        }
    }};
}

/// Implements a trait of query steps for both connection types from one body, so steps can
/// be shared by several write transactions (see [`slots::SlotWrites`]).
#[macro_export]
macro_rules! impl_for_both_backends {
    ($trait:ident { $($item:item)* }) => {
        impl $trait for $crate::db::SqliteConn { $($item)* }
        impl $trait for $crate::db::PgConn { $($item)* }
    };
}
