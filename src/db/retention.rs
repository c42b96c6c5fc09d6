//! Personal-data retention: what residents typed is kept only as long as the visit needs it.
//!
//! A booking is anonymised `days_after_visit` days after its visit day: its people's names,
//! kana, phone numbers and answers to the municipality's own fields are blanked and their link to the issued notice (the number and
//! birthdate) cut; the booking's mail addresses and password hash are removed (its receipt
//! can no longer be looked up). The row itself stays, with its day, counter, party size,
//! status and source, for the municipality's statistics. Mails in the outbox carry the same
//! data (and the receipt password), so sent and failed ones go after the same period.
//!
//! A waitlist registration (name, birthdate, phone) goes with its booking's period: it is
//! deleted `days_after_visit` days after the visit it booked, with the record of its notices;
//! the freed places of days gone by go too (they name no one, but are no use).
//!
//! Verification links, holds and browser sessions are deleted once they have expired (a
//! day later, so that a resident who opens an expired link still reads "expired" rather
//! than "unknown" for a while).
//!
//! Every step is an idempotent, guarded write in short transactions: running it twice, or
//! on several instances at the same time, erases the same rows once.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::Date;

use super::schema::{
    booking_people, bookings, email_verifications, hold_slots, holds, mail_outbox,
    waitlist_notices, waitlist_places, waitlist_registrations, web_sessions,
};
use super::{Db, DbError};
use crate::db_write;

/// Bookings anonymised per transaction: keeps each write short, so residents booking at the
/// same time wait at most a moment (SQLite has one writer).
const BATCH: i64 = 200;

/// Expired verification links, holds and sessions are kept this much longer.
pub const EXPIRED_GRACE_SECS: i64 = 24 * 3600;

const DAY_SECS: i64 = 24 * 3600;

/// What one run erased.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgeReport {
    pub bookings_anonymised: usize,
    pub mails_deleted: usize,
    pub verifications_deleted: usize,
    pub holds_deleted: usize,
    pub sessions_deleted: usize,
    pub waitlist_registrations_deleted: usize,
}

impl PurgeReport {
    pub fn is_empty(&self) -> bool {
        *self == PurgeReport::default()
    }
}

/// The last visit day whose bookings are anonymised on `today`. At least one day after the
/// visit, whatever the setting says: on the day itself the clerks still need the names.
pub fn last_day_to_anonymise(today: Date, days_after_visit: u32) -> Date {
    let days = days_after_visit.max(1);
    today
        .checked_sub(time::Duration::days(days.into()))
        .unwrap_or(Date::MIN)
}

/// Runs every retention step for `today`/`now`.
pub async fn purge(
    db: &Db,
    today: Date,
    now: i64,
    days_after_visit: u32,
) -> Result<PurgeReport, DbError> {
    let last_day = last_day_to_anonymise(today, days_after_visit);
    let mut report = PurgeReport::default();
    loop {
        let (picked, anonymised) = anonymise_batch(db, last_day, now).await?;
        report.bookings_anonymised += anonymised;
        if picked < BATCH as usize {
            break;
        }
    }
    let mail_cutoff = now.saturating_sub(i64::from(days_after_visit.max(1)) * DAY_SECS);
    let expired_before = now.saturating_sub(EXPIRED_GRACE_SECS);
    let (mails, verifications, holds_deleted, sessions) = db_write!(db, |conn| {
        let mails = diesel::delete(
            mail_outbox::table.filter(
                mail_outbox::status
                    .eq(super::outbox::STATUS_SENT)
                    .and(mail_outbox::sent_at.le(mail_cutoff))
                    .or(mail_outbox::status
                        .eq(super::outbox::STATUS_FAILED)
                        .and(mail_outbox::created_at.le(mail_cutoff))),
            ),
        )
        .execute(conn)
        .await?;
        let verifications = diesel::delete(
            email_verifications::table.filter(email_verifications::expires_at.lt(expired_before)),
        )
        .execute(conn)
        .await?;
        // Never an active hold: its places are still taken and the release job gives them
        // back first.
        let old_holds = || {
            holds::table
                .filter(holds::state.ne("active"))
                .filter(holds::expires_at.lt(expired_before))
                .select(holds::id)
        };
        diesel::delete(hold_slots::table.filter(hold_slots::hold_id.eq_any(old_holds())))
            .execute(conn)
            .await?;
        let holds_deleted = diesel::delete(
            holds::table
                .filter(holds::state.ne("active"))
                .filter(holds::expires_at.lt(expired_before)),
        )
        .execute(conn)
        .await?;
        let sessions = diesel::delete(web_sessions::table.filter(web_sessions::expires_at.lt(now)))
            .execute(conn)
            .await?;
        Ok((mails, verifications, holds_deleted, sessions))
    })?;
    report.waitlist_registrations_deleted = db_write!(db, |conn| {
        let visited = || {
            waitlist_registrations::table
                .inner_join(bookings::table)
                .filter(bookings::day.le(last_day))
                .select(waitlist_registrations::id)
        };
        let ids: Vec<i64> = visited().load(conn).await?;
        if !ids.is_empty() {
            diesel::delete(
                waitlist_notices::table.filter(waitlist_notices::registration_id.eq_any(&ids)),
            )
            .execute(conn)
            .await?;
        }
        let deleted = diesel::delete(
            waitlist_registrations::table.filter(waitlist_registrations::id.eq_any(&ids)),
        )
        .execute(conn)
        .await?;
        diesel::delete(
            waitlist_places::table.filter(
                waitlist_places::slot_id.eq_any(
                    super::schema::slots::table
                        .filter(super::schema::slots::day.lt(today))
                        .select(super::schema::slots::id),
                ),
            ),
        )
        .execute(conn)
        .await?;
        Ok::<_, DbError>(deleted)
    })?;
    report.mails_deleted = mails;
    report.verifications_deleted = verifications;
    report.holds_deleted = holds_deleted;
    report.sessions_deleted = sessions;
    Ok(report)
}

/// Anonymises up to [`BATCH`] bookings visited on or before `last_day`; returns how many it
/// picked and how many it changed (fewer when another instance got there first).
async fn anonymise_batch(db: &Db, last_day: Date, now: i64) -> Result<(usize, usize), DbError> {
    db_write!(db, |conn| {
        let ids: Vec<i64> = bookings::table
            .filter(bookings::anonymised_at.is_null())
            .filter(bookings::day.le(last_day))
            .order(bookings::id)
            .limit(BATCH)
            .select(bookings::id)
            .load(conn)
            .await?;
        if ids.is_empty() {
            return Ok((0, 0));
        }
        // The guarded update first: on PostgreSQL it locks the rows, and a second instance
        // that picked the same ids finds them anonymised and changes nothing.
        let anonymised = diesel::update(
            bookings::table
                .filter(bookings::id.eq_any(&ids))
                .filter(bookings::anonymised_at.is_null()),
        )
        .set((
            bookings::email.eq(None::<String>),
            bookings::email2.eq(None::<String>),
            bookings::password_hash.eq(""),
            bookings::idempotency_key.eq(None::<String>),
            bookings::anonymised_at.eq(Some(now)),
        ))
        .execute(conn)
        .await?;
        diesel::update(booking_people::table.filter(booking_people::booking_id.eq_any(&ids)))
            .set((
                booking_people::name.eq(""),
                booking_people::kana.eq(""),
                booking_people::phone.eq(""),
                booking_people::answers.eq("[]"),
                booking_people::notice_id.eq(None::<i64>),
            ))
            .execute(conn)
            .await?;
        Ok((ids.len(), anonymised))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_visit_day_is_never_anonymised_on_the_day() {
        let today = date!(2026 - 12 - 31);
        assert_eq!(last_day_to_anonymise(today, 30), date!(2026 - 12 - 01));
        assert_eq!(last_day_to_anonymise(today, 1), date!(2026 - 12 - 30));
        assert_eq!(last_day_to_anonymise(today, 0), date!(2026 - 12 - 30));
    }
}
