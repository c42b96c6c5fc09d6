//! The counters behind lockouts and rate limits (rules in `core::throttle`), shared by every
//! app instance. Each change is one short write transaction that locks its row first
//! (an UPDATE takes PostgreSQL's row lock; SQLite's BEGIN IMMEDIATE takes the database's),
//! so concurrent attempts are all counted.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{auth_failures, pow_solved, rate_windows};
use super::{Db, DbError};
use crate::core::throttle::{FailurePolicy, FailureRun, Gate, RateLimit, Window};
use crate::{db_read, db_write};

/// Where an attempt came from or what it was against; the key is a keyed hash.
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    pub scope: &'static str,
    pub hash: &'a str,
}

async fn load_run(db: &Db, key: Key<'_>) -> Result<Option<FailureRun>, DbError> {
    db_read!(db, |conn| {
        let row: Option<(i32, i64, Option<i64>)> = auth_failures::table
            .find((key.scope, key.hash))
            .select((
                auth_failures::failures,
                auth_failures::window_started_at,
                auth_failures::locked_until,
            ))
            .get_result(conn)
            .await
            .optional()?;
        Ok(
            row.map(|(failures, window_started_at, locked_until)| FailureRun {
                failures,
                window_started_at,
                locked_until,
            }),
        )
    })
}

/// The strictest gate over `keys` (a client and a number, say).
pub async fn gate(
    db: &Db,
    keys: &[Key<'_>],
    policy: &FailurePolicy,
    now: i64,
) -> Result<Gate, DbError> {
    let mut strictest = Gate::Open;
    for key in keys {
        let gate = policy.gate(load_run(db, *key).await?, now);
        strictest = match (strictest, gate) {
            (Gate::Locked { until: a }, Gate::Locked { until: b }) => {
                Gate::Locked { until: a.max(b) }
            }
            (locked @ Gate::Locked { .. }, _) | (_, locked @ Gate::Locked { .. }) => locked,
            (Gate::NeedsChallenge, _) | (_, Gate::NeedsChallenge) => Gate::NeedsChallenge,
            _ => Gate::Open,
        };
    }
    Ok(strictest)
}

/// Counts one failed attempt against each key.
pub async fn record_failure(
    db: &Db,
    keys: &[Key<'_>],
    policy: &FailurePolicy,
    now: i64,
) -> Result<(), DbError> {
    db_write!(db, |conn| {
        for key in keys {
            diesel::insert_into(auth_failures::table)
                .values((
                    auth_failures::scope.eq(key.scope),
                    auth_failures::key_hash.eq(key.hash),
                    auth_failures::failures.eq(0),
                    auth_failures::window_started_at.eq(now),
                    auth_failures::updated_at.eq(now),
                ))
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
            let (failures, window_started_at, locked_until): (i32, i64, Option<i64>) =
                diesel::update(auth_failures::table.find((key.scope, key.hash)))
                    .set(auth_failures::updated_at.eq(now))
                    .returning((
                        auth_failures::failures,
                        auth_failures::window_started_at,
                        auth_failures::locked_until,
                    ))
                    .get_result(conn)
                    .await?;
            let run = FailureRun {
                failures,
                window_started_at,
                locked_until,
            };
            // A fresh row (failures 0) is no run yet.
            let next =
                policy.after_failure((failures > 0 || locked_until.is_some()).then_some(run), now);
            diesel::update(auth_failures::table.find((key.scope, key.hash)))
                .set((
                    auth_failures::failures.eq(next.failures),
                    auth_failures::window_started_at.eq(next.window_started_at),
                    auth_failures::locked_until.eq(next.locked_until),
                ))
                .execute(conn)
                .await?;
        }
        Ok(())
    })
}

/// A success: the run of failures against these keys ends (a lock, if any, stays).
pub async fn clear(db: &Db, keys: &[Key<'_>], now: i64) -> Result<(), DbError> {
    // Almost every success has no run to end: a read (which waits for no writer) spares
    // the write transaction. A failure recorded between the read and now stays counted,
    // which errs on the side of the limit.
    let mut any = false;
    for key in keys {
        any |= load_run(db, *key).await?.is_some();
    }
    if !any {
        return Ok(());
    }
    db_write!(db, |conn| {
        for key in keys {
            diesel::delete(
                auth_failures::table.find((key.scope, key.hash)).filter(
                    auth_failures::locked_until
                        .is_null()
                        .or(auth_failures::locked_until.le(now)),
                ),
            )
            .execute(conn)
            .await?;
        }
        Ok(())
    })
}

/// Takes one use of each limit in order, in one write transaction, stopping at the first
/// that refuses: Err((its index, when it may be tried again)). The uses taken before it
/// stay taken, as if each had been asked for on its own.
pub async fn take_each(
    db: &Db,
    limits: &[(Key<'_>, &RateLimit)],
    now: i64,
) -> Result<Result<(), (usize, i64)>, DbError> {
    db_write!(db, |conn| {
        for (index, (key, limit)) in limits.iter().enumerate() {
            diesel::insert_into(rate_windows::table)
                .values((
                    rate_windows::scope.eq(key.scope),
                    rate_windows::key_hash.eq(key.hash),
                    rate_windows::started_at.eq(now),
                    rate_windows::count.eq(0),
                ))
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
            let (started_at, count): (i64, i32) =
                diesel::update(rate_windows::table.find((key.scope, key.hash)))
                    .set(rate_windows::count.eq(rate_windows::count))
                    .returning((rate_windows::started_at, rate_windows::count))
                    .get_result(conn)
                    .await?;
            let (allowed, next) = limit.take(Some(Window { started_at, count }), now);
            if !allowed {
                return Ok(Err((index, limit.retry_at(next))));
            }
            diesel::update(rate_windows::table.find((key.scope, key.hash)))
                .set((
                    rate_windows::started_at.eq(next.started_at),
                    rate_windows::count.eq(next.count),
                ))
                .execute(conn)
                .await?;
        }
        Ok(Ok(()))
    })
}

/// Records a used proof-of-work answer; false when it was used before.
pub async fn use_challenge(db: &Db, challenge: &str, expires_at: i64) -> Result<bool, DbError> {
    db_write!(db, |conn| {
        let inserted = diesel::insert_into(pow_solved::table)
            .values((
                pow_solved::challenge.eq(challenge),
                pow_solved::expires_at.eq(expires_at),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(inserted == 1)
    })
}

/// Forgets what no rule looks at any more: runs and windows older than a day, used answers
/// past their expiry. Returns the rows removed.
pub async fn purge(db: &Db, now: i64) -> Result<usize, DbError> {
    let day_ago = now - 24 * 60 * 60;
    db_write!(db, |conn| {
        let mut n = diesel::delete(
            auth_failures::table
                .filter(auth_failures::updated_at.lt(day_ago))
                .filter(
                    auth_failures::locked_until
                        .is_null()
                        .or(auth_failures::locked_until.lt(now)),
                ),
        )
        .execute(conn)
        .await?;
        n += diesel::delete(rate_windows::table.filter(rate_windows::started_at.lt(day_ago)))
            .execute(conn)
            .await?;
        n += diesel::delete(pow_solved::table.filter(pow_solved::expires_at.lt(now)))
            .execute(conn)
            .await?;
        Ok(n)
    })
}
