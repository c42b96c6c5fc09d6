//! The mail outbox: a mail is written in the same transaction as the change it reports
//! (a booking, a cancellation) and sent afterwards by [`crate::mail::deliver_due`], with
//! retries and backoff, so a failing SMTP server loses nothing and a rolled-back booking
//! sends nothing.
//!
//! Several app instances may deliver at once: [`claim_due`] leases the rows it returns
//! (`claimed_until`), so another instance skips them until the lease runs out.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::mail_outbox;
use super::{Conn, Db, DbError};
use crate::db_write;

/// A mail ready to send: rendered, addressed, with an optional calendar attachment and an
/// optional picture for the HTML part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub ics: Option<String>,
    /// A PNG the HTML part shows inline as `cid:` [`crate::mail::INLINE_PNG_CID`] (the
    /// receipt's QR code in the completion mail). Sent only with an HTML part.
    ///
    /// Stored in the outbox row as composed rather than drawn again at send time: the row
    /// is the whole mail (its text and HTML are rendered once too), so a retry hours later,
    /// after a restart or on an upgraded instance, sends exactly the same mail; drawing it
    /// again would need the receipt number in a column of its own (the row has it only
    /// inside rendered text) and would tie the mail to whichever encoder sends it. The
    /// cost is about a kilobyte per completion mail, erased with the row by retention.
    pub inline_png: Option<Vec<u8>>,
}

/// A claimed outbox row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = mail_outbox)]
pub struct OutboxMail {
    pub id: i64,
    pub tenant_id: Option<i64>,
    #[diesel(column_name = to_addr)]
    pub to: String,
    pub subject: String,
    #[diesel(column_name = text_body)]
    pub text: String,
    #[diesel(column_name = html_body)]
    pub html: Option<String>,
    pub ics: Option<String>,
    pub inline_png: Option<Vec<u8>>,
    /// Failed attempts so far.
    pub attempts: i32,
}

impl OutboxMail {
    pub fn to_outgoing(&self) -> OutgoingMail {
        OutgoingMail {
            to: self.to.clone(),
            subject: self.subject.clone(),
            text: self.text.clone(),
            html: self.html.clone(),
            ics: self.ics.clone(),
            inline_png: self.inline_png.clone(),
        }
    }
}

pub const STATUS_PENDING: &str = "pending";
pub const STATUS_SENT: &str = "sent";
/// Given up on after [`MAX_ATTEMPTS`]: for a person to look at.
pub const STATUS_FAILED: &str = "failed";

/// Attempts before a mail is marked failed (about five hours of retrying with [`backoff_secs`]).
pub const MAX_ATTEMPTS: i32 = 12;

/// Longest stored error text; SMTP replies can be long.
const MAX_ERROR_CHARS: usize = 500;

/// Seconds to wait after the `attempts`-th failure: 30 s · 2^(attempts−1), at most one
/// hour: 30 s, 1 min, 2 min, 4 min, … 32 min, then hourly.
pub fn backoff_secs(attempts: i32) -> i64 {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    (30_i64 << doublings).min(3600)
}

/// Outbox steps that run inside a caller's write transaction.
pub trait OutboxWrites {
    /// Queues `mail`, due at once. Rolled back with the caller's transaction.
    fn enqueue_mail_in(
        &mut self,
        tenant_id: Option<i64>,
        mail: &OutgoingMail,
        now: i64,
    ) -> impl Future<Output = Result<(), DbError>> + Send;
}

crate::impl_for_both_backends!(OutboxWrites {
    async fn enqueue_mail_in(
        &mut self,
        tenant_id: Option<i64>,
        mail: &OutgoingMail,
        now: i64,
    ) -> Result<(), DbError> {
        diesel::insert_into(mail_outbox::table)
            .values((
                mail_outbox::tenant_id.eq(tenant_id),
                mail_outbox::to_addr.eq(&mail.to),
                mail_outbox::subject.eq(&mail.subject),
                mail_outbox::text_body.eq(&mail.text),
                mail_outbox::html_body.eq(mail.html.as_deref()),
                mail_outbox::ics.eq(mail.ics.as_deref()),
                mail_outbox::inline_png.eq(mail.inline_png.as_deref()),
                mail_outbox::status.eq(STATUS_PENDING),
                mail_outbox::attempts.eq(0),
                mail_outbox::next_attempt_at.eq(now),
                mail_outbox::created_at.eq(now),
            ))
            .execute(self)
            .await?;
        Ok(())
    }
});

/// Steps of [`claim_due`] shared by both backends once the due ids are chosen.
trait ClaimSteps {
    fn lease_and_load_in(
        &mut self,
        ids: Vec<i64>,
        until: i64,
    ) -> impl Future<Output = Result<Vec<OutboxMail>, DbError>> + Send;
}

crate::impl_for_both_backends!(ClaimSteps {
    async fn lease_and_load_in(
        &mut self,
        ids: Vec<i64>,
        until: i64,
    ) -> Result<Vec<OutboxMail>, DbError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(mail_outbox::table.filter(mail_outbox::id.eq_any(&ids)))
            .set(mail_outbox::claimed_until.eq(until))
            .execute(self)
            .await?;
        Ok(mail_outbox::table
            .filter(mail_outbox::id.eq_any(&ids))
            .order((mail_outbox::next_attempt_at, mail_outbox::id))
            .select(OutboxMail::as_select())
            .load(self)
            .await?)
    }
});

/// Queues `mail` in a transaction of its own (when there is no other change to commit with it).
pub async fn enqueue(
    db: &Db,
    tenant_id: Option<i64>,
    mail: &OutgoingMail,
    now: i64,
) -> Result<(), DbError> {
    db_write!(db, |conn| {
        conn.enqueue_mail_in(tenant_id, mail, now).await?;
        Ok(())
    })
}

/// Takes up to `limit` due mails (pending, `next_attempt_at <= now`, not leased by another
/// worker) and leases them until `now + lease_secs`, in one write transaction. On SQLite the
/// `BEGIN IMMEDIATE` transaction serialises claimers; on PostgreSQL `FOR UPDATE SKIP LOCKED`
/// makes a concurrent claimer pass over the rows this one is taking, and a claimer that
/// started before this commit re-checks `claimed_until` on the updated rows and drops them.
///
/// The lease must outlast sending the batch; if it runs out first, another worker may send
/// the same mail again (at least once, never lost).
pub async fn claim_due(
    db: &Db,
    now: i64,
    lease_secs: i64,
    limit: i64,
) -> Result<Vec<OutboxMail>, DbError> {
    let until = now.saturating_add(lease_secs.max(1));
    let limit = limit.max(0);
    // The same filter for both arms (a macro, as the boxed query would need a backend).
    macro_rules! due_ids {
        () => {
            mail_outbox::table
                .filter(mail_outbox::status.eq(STATUS_PENDING))
                .filter(mail_outbox::next_attempt_at.le(now))
                .filter(
                    mail_outbox::claimed_until
                        .is_null()
                        .or(mail_outbox::claimed_until.lt(now)),
                )
                .order((mail_outbox::next_attempt_at, mail_outbox::id))
                .limit(limit)
                .select(mail_outbox::id)
        };
    }
    let _permit = db.write_permit().await;
    match db.get().await? {
        Conn::Sqlite(mut pooled) => {
            pooled
                .immediate_transaction(async move |conn: &mut super::SqliteConn| {
                    let ids: Vec<i64> = due_ids!().load(conn).await?;
                    conn.lease_and_load_in(ids, until).await
                })
                .await
        }
        Conn::Postgres(mut pooled) => {
            use diesel_async::AsyncConnection as _;
            let conn: &mut super::PgConn = &mut pooled;
            conn.transaction(async move |conn: &mut super::PgConn| {
                let ids: Vec<i64> = due_ids!().for_update().skip_locked().load(conn).await?;
                conn.lease_and_load_in(ids, until).await
            })
            .await
        }
    }
}

/// Records a delivered mail and ends its lease.
pub async fn mark_sent(db: &Db, id: i64, now: i64) -> Result<(), DbError> {
    db_write!(db, |conn| {
        diesel::update(mail_outbox::table.find(id))
            .set((
                mail_outbox::status.eq(STATUS_SENT),
                mail_outbox::sent_at.eq(Some(now)),
                mail_outbox::claimed_until.eq(None::<i64>),
            ))
            .execute(conn)
            .await?;
        Ok(())
    })
}

/// Records a failed attempt: the error (shortened), the next attempt after
/// [`backoff_secs`], or status `failed` once [`MAX_ATTEMPTS`] attempts have failed. Ends the
/// lease. `error` must not carry secrets: it is stored and shown to administrators.
pub async fn mark_failed(db: &Db, id: i64, error: &str, now: i64) -> Result<(), DbError> {
    let error: String = error.chars().take(MAX_ERROR_CHARS).collect();
    db_write!(db, |conn| {
        // The increment locks the row (PostgreSQL) and tells how many attempts have failed.
        // Only a pending row: if this worker's lease ran out and another one sent the mail
        // meanwhile, the late failure must not make it pending (and sent) again.
        let attempts: Option<i32> = diesel::update(
            mail_outbox::table
                .find(id)
                .filter(mail_outbox::status.eq(STATUS_PENDING)),
        )
        .set((
            mail_outbox::attempts.eq(mail_outbox::attempts + 1),
            mail_outbox::last_error.eq(Some(error.as_str())),
            mail_outbox::claimed_until.eq(None::<i64>),
        ))
        .returning(mail_outbox::attempts)
        .get_result(conn)
        .await
        .optional()?;
        let Some(attempts) = attempts else {
            return Ok(());
        };
        let status = if attempts >= MAX_ATTEMPTS {
            STATUS_FAILED
        } else {
            STATUS_PENDING
        };
        diesel::update(mail_outbox::table.find(id))
            .set((
                mail_outbox::status.eq(status),
                mail_outbox::next_attempt_at.eq(now.saturating_add(backoff_secs(attempts))),
            ))
            .execute(conn)
            .await?;
        Ok(())
    })
}

/// A mail an administrator should know about: given up on, or still being retried.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct TroubledMail {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub next_attempt_at: i64,
}

/// The tenant's mails that failed for good and those still retrying after a failure, each
/// group newest first, at most `limit` of each. Mails that never failed are not trouble.
pub async fn troubled(
    db: &Db,
    tenant_id: i64,
    limit: i64,
) -> Result<(Vec<TroubledMail>, Vec<TroubledMail>), DbError> {
    let limit = limit.max(1);
    crate::db_read!(db, |conn| {
        let columns = (
            mail_outbox::id,
            mail_outbox::to_addr,
            mail_outbox::subject,
            mail_outbox::status,
            mail_outbox::attempts,
            mail_outbox::last_error,
            mail_outbox::created_at,
            mail_outbox::next_attempt_at,
        );
        let failed: Vec<TroubledMail> = mail_outbox::table
            .filter(mail_outbox::tenant_id.eq(tenant_id))
            .filter(mail_outbox::status.eq(STATUS_FAILED))
            .order(mail_outbox::id.desc())
            .limit(limit)
            .select(columns)
            .load(conn)
            .await?;
        let retrying: Vec<TroubledMail> = mail_outbox::table
            .filter(mail_outbox::tenant_id.eq(tenant_id))
            .filter(mail_outbox::status.eq(STATUS_PENDING))
            .filter(mail_outbox::attempts.gt(0))
            .order(mail_outbox::id.desc())
            .limit(limit)
            .select(columns)
            .load(conn)
            .await?;
        Ok((failed, retrying))
    })
}

/// Makes a failed mail of the tenant pending again, due at `now` with a fresh set of
/// attempts, and writes the audit entry in the same transaction. False (and nothing
/// written) when there is no such failed mail: another admin resent it already, or the id
/// is another municipality's.
pub async fn resend_failed(
    db: &Db,
    tenant_id: i64,
    id: i64,
    staff_user_id: i64,
    now: i64,
) -> Result<bool, DbError> {
    use super::audit::{AuditEntry, AuditWrites};
    db_write!(db, |conn| {
        let subject: Option<String> = diesel::update(
            mail_outbox::table
                .find(id)
                .filter(mail_outbox::tenant_id.eq(tenant_id))
                .filter(mail_outbox::status.eq(STATUS_FAILED)),
        )
        .set((
            mail_outbox::status.eq(STATUS_PENDING),
            mail_outbox::attempts.eq(0),
            mail_outbox::next_attempt_at.eq(now),
            mail_outbox::claimed_until.eq(None::<i64>),
        ))
        .returning(mail_outbox::subject)
        .get_result(conn)
        .await
        .optional()?;
        let Some(subject) = subject else {
            return Ok(false);
        };
        // The subject names the kind of mail; the address stays out of the log.
        let detail = format!("送信できなかったメール「{subject}」を再送待ちにしました");
        conn.audit_in(&AuditEntry {
            tenant_id,
            staff_user_id: Some(staff_user_id),
            action: "resend_mail",
            booking_id: None,
            detail: &detail,
            now,
        })
        .await?;
        Ok(true)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_read;

    async fn sqlite_db() -> (Db, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
        (Db::connect(&url, 4).await.unwrap(), dir)
    }

    fn mail(to: &str) -> OutgoingMail {
        OutgoingMail {
            to: to.into(),
            subject: "件名".into(),
            text: "本文".into(),
            html: Some("<p>本文</p>".into()),
            ics: None,
            inline_png: None,
        }
    }

    #[derive(Debug, Queryable)]
    #[allow(dead_code)]
    struct Row {
        status: String,
        attempts: i32,
        next_attempt_at: i64,
        claimed_until: Option<i64>,
        last_error: Option<String>,
        sent_at: Option<i64>,
    }

    async fn row(db: &Db, id: i64) -> Row {
        read_row(db, id).await.unwrap()
    }

    async fn read_row(db: &Db, id: i64) -> Result<Row, DbError> {
        db_read!(db, |conn| {
            Ok(mail_outbox::table
                .find(id)
                .select((
                    mail_outbox::status,
                    mail_outbox::attempts,
                    mail_outbox::next_attempt_at,
                    mail_outbox::claimed_until,
                    mail_outbox::last_error,
                    mail_outbox::sent_at,
                ))
                .first::<Row>(conn)
                .await?)
        })
    }

    #[test]
    fn backoff_doubles_from_30_seconds_up_to_an_hour() {
        let waits: Vec<i64> = (1..=12).map(backoff_secs).collect();
        assert_eq!(
            waits,
            [
                30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600, 3600
            ]
        );
        assert_eq!(backoff_secs(0), 30);
        assert_eq!(backoff_secs(i32::MAX), 3600);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn claim_leases_and_a_second_claim_gets_nothing_until_the_lease_ends() {
        let (db, _dir) = sqlite_db().await;
        enqueue(&db, None, &mail("a@example.jp"), 100)
            .await
            .unwrap();
        enqueue(&db, None, &mail("b@example.jp"), 200)
            .await
            .unwrap();

        // Only the first is due at 150.
        let first = claim_due(&db, 150, 60, 10).await.unwrap();
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].to, "a@example.jp");
        assert_eq!(first[0].html.as_deref(), Some("<p>本文</p>"));
        assert_eq!(row(&db, first[0].id).await.claimed_until, Some(210));

        // At 205 the second is due, the first still leased.
        let second = claim_due(&db, 205, 60, 10).await.unwrap();
        assert_eq!(second.len(), 1);
        assert_eq!(second[0].to, "b@example.jp");
        assert!(claim_due(&db, 209, 60, 10).await.unwrap().is_empty());

        // The first lease has run out at 211 (the worker died): it is taken again.
        let again = claim_due(&db, 211, 60, 10).await.unwrap();
        assert_eq!(
            again.iter().map(|m| m.id).collect::<Vec<_>>(),
            [first[0].id]
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn claim_respects_the_limit_and_order() {
        let (db, _dir) = sqlite_db().await;
        for (i, at) in [30, 10, 20].into_iter().enumerate() {
            enqueue(&db, None, &mail(&format!("{i}@x.jp")), at)
                .await
                .unwrap();
        }
        let got = claim_due(&db, 100, 60, 2).await.unwrap();
        let to: Vec<&str> = got.iter().map(|m| m.to.as_str()).collect();
        assert_eq!(to, ["1@x.jp", "2@x.jp"]);
        assert_eq!(claim_due(&db, 100, 60, 2).await.unwrap().len(), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sent_mail_is_not_claimed_again() {
        let (db, _dir) = sqlite_db().await;
        enqueue(&db, None, &mail("a@example.jp"), 0).await.unwrap();
        let id = claim_due(&db, 0, 60, 10).await.unwrap()[0].id;
        mark_sent(&db, id, 5).await.unwrap();
        let r = row(&db, id).await;
        assert_eq!(
            (r.status.as_str(), r.sent_at, r.claimed_until),
            ("sent", Some(5), None)
        );
        assert!(claim_due(&db, 10_000, 60, 10).await.unwrap().is_empty());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn failures_back_off_and_give_up_after_twelve_attempts() {
        let (db, _dir) = sqlite_db().await;
        enqueue(&db, None, &mail("a@example.jp"), 0).await.unwrap();
        let mut now = 0;
        for attempt in 1..=MAX_ATTEMPTS {
            let claimed = claim_due(&db, now, 60, 10).await.unwrap();
            assert_eq!(claimed.len(), 1, "attempt {attempt}");
            assert_eq!(claimed[0].attempts, attempt - 1);
            mark_failed(&db, claimed[0].id, "451 try again later", now)
                .await
                .unwrap();
            let r = row(&db, claimed[0].id).await;
            assert_eq!(r.attempts, attempt);
            assert_eq!(r.claimed_until, None);
            assert_eq!(r.last_error.as_deref(), Some("451 try again later"));
            assert_eq!(r.next_attempt_at, now + backoff_secs(attempt));
            if attempt < MAX_ATTEMPTS {
                assert_eq!(r.status, "pending");
                // Not due one second before the backoff ends.
                assert!(
                    claim_due(&db, r.next_attempt_at - 1, 60, 10)
                        .await
                        .unwrap()
                        .is_empty()
                );
                now = r.next_attempt_at;
            } else {
                assert_eq!(r.status, "failed");
            }
        }
        assert!(
            claim_due(&db, i64::MAX / 2, 60, 10)
                .await
                .unwrap()
                .is_empty()
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn long_errors_are_shortened_and_an_unknown_id_is_ignored() {
        let (db, _dir) = sqlite_db().await;
        enqueue(&db, None, &mail("a@example.jp"), 0).await.unwrap();
        let id = claim_due(&db, 0, 60, 10).await.unwrap()[0].id;
        mark_failed(&db, id, &"エ".repeat(2000), 0).await.unwrap();
        assert_eq!(
            row(&db, id).await.last_error.unwrap().chars().count(),
            MAX_ERROR_CHARS
        );
        mark_failed(&db, id + 100, "x", 0).await.unwrap();
        mark_sent(&db, id + 100, 0).await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_late_failure_does_not_undo_a_send() {
        let (db, _dir) = sqlite_db().await;
        enqueue(&db, None, &mail("a@example.jp"), 0).await.unwrap();
        // Worker A's lease runs out; worker B takes the mail again and sends it.
        let id = claim_due(&db, 0, 60, 10).await.unwrap()[0].id;
        assert_eq!(claim_due(&db, 61, 60, 10).await.unwrap()[0].id, id);
        mark_sent(&db, id, 62).await.unwrap();
        // A's attempt fails after all.
        mark_failed(&db, id, "timeout", 63).await.unwrap();
        let r = row(&db, id).await;
        assert_eq!((r.status.as_str(), r.attempts), ("sent", 0));
        assert!(claim_due(&db, 10_000, 60, 10).await.unwrap().is_empty());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn enqueue_in_a_rolled_back_transaction_leaves_nothing() {
        async fn enqueue_then_refuse(db: &Db) -> Result<(), DbError> {
            db_write!(db, |conn| {
                conn.enqueue_mail_in(None, &mail("a@example.jp"), 0).await?;
                Err(DbError::Conflict("slot full"))
            })
        }
        let (db, _dir) = sqlite_db().await;
        assert!(enqueue_then_refuse(&db).await.is_err());
        assert!(claim_due(&db, 100, 60, 10).await.unwrap().is_empty());
    }
}
