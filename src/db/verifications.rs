//! Address checks: a single-use, expiring link mailed to the resident, stored as a hash.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::outbox::{OutboxWrites, OutgoingMail};
use super::schema::email_verifications;
use super::{Db, DbError};
use crate::db_write;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = email_verifications)]
pub struct Verification {
    pub id: i64,
    pub tenant_id: i64,
    pub email: String,
    pub notice_ids: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    /// The language of the page the check was asked from ("ja", "en").
    pub lang: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = email_verifications)]
pub struct NewVerification<'a> {
    pub tenant_id: i64,
    pub token_hash: &'a str,
    pub email: &'a str,
    /// JSON array of the notice ids the resident identified.
    pub notice_ids: &'a str,
    pub expires_at: i64,
    pub created_at: i64,
    pub lang: &'a str,
}

/// Stores the check and queues its mail in the same transaction.
pub async fn create(
    db: &Db,
    new: &NewVerification<'_>,
    mail: &OutgoingMail,
) -> Result<i64, DbError> {
    db_write!(db, |conn| {
        let id = diesel::insert_into(email_verifications::table)
            .values(new)
            .returning(email_verifications::id)
            .get_result(conn)
            .await?;
        conn.enqueue_mail_in(Some(new.tenant_id), mail, new.created_at)
            .await?;
        Ok(id)
    })
}

#[derive(Debug)]
pub enum Consumed {
    Valid(Verification),
    Expired,
    AlreadyUsed,
    Unknown,
}

impl Consumed {
    /// What the link's page shows: "valid", "expired", "used" or "unknown".
    pub fn state(&self) -> &'static str {
        match self {
            Consumed::Valid(_) => "valid",
            Consumed::Expired => "expired",
            Consumed::AlreadyUsed => "used",
            Consumed::Unknown => "unknown",
        }
    }
}

/// Uses the link once: the first request that presents it wins, any later one is told it
/// was used.
pub async fn consume(
    db: &Db,
    tenant_id: i64,
    token_hash: &str,
    now: i64,
) -> Result<Consumed, DbError> {
    db_write!(db, |conn| {
        let found: Option<Verification> = email_verifications::table
            .filter(email_verifications::token_hash.eq(token_hash))
            .filter(email_verifications::tenant_id.eq(tenant_id))
            .select(Verification::as_select())
            .get_result(conn)
            .await
            .optional()?;
        let Some(v) = found else {
            return Ok(Consumed::Unknown);
        };
        if v.used_at.is_some() {
            return Ok(Consumed::AlreadyUsed);
        }
        if v.expires_at <= now {
            return Ok(Consumed::Expired);
        }
        let updated = diesel::update(
            email_verifications::table
                .find(v.id)
                .filter(email_verifications::used_at.is_null()),
        )
        .set(email_verifications::used_at.eq(now))
        .execute(conn)
        .await?;
        Ok(if updated == 1 {
            Consumed::Valid(v)
        } else {
            Consumed::AlreadyUsed
        })
    })
}

/// What state the link is in, without using it (the landing page shows a button; only the
/// button's POST uses the link, so mail scanners that follow links do not spend it).
pub async fn peek(
    db: &Db,
    tenant_id: i64,
    token_hash: &str,
    now: i64,
) -> Result<Consumed, DbError> {
    crate::db_read!(db, |conn| {
        let found: Option<Verification> = email_verifications::table
            .filter(email_verifications::token_hash.eq(token_hash))
            .filter(email_verifications::tenant_id.eq(tenant_id))
            .select(Verification::as_select())
            .get_result(conn)
            .await
            .optional()?;
        Ok(match found {
            None => Consumed::Unknown,
            Some(v) if v.used_at.is_some() => Consumed::AlreadyUsed,
            Some(v) if v.expires_at <= now => Consumed::Expired,
            Some(v) => Consumed::Valid(v),
        })
    })
}

/// The check `id` of this tenant, used or not (the vaccination 連絡先 asks whether the link
/// it mailed has been opened, from whichever device).
pub async fn find(db: &Db, tenant_id: i64, id: i64) -> Result<Option<Verification>, DbError> {
    crate::db_read!(db, |conn| {
        Ok(email_verifications::table
            .filter(email_verifications::id.eq(id))
            .filter(email_verifications::tenant_id.eq(tenant_id))
            .select(Verification::as_select())
            .get_result(conn)
            .await
            .optional()?)
    })
}
