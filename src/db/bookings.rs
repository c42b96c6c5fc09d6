//! Bookings: confirming a hold, looking a booking up, changing its time, cancelling it.
//! Each write queues its mail in the same transaction (the outbox).
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::Date;

use super::audit::{AuditEntry, AuditWrites};
use super::holds::HoldWrites;
use super::outbox::{OutboxWrites, OutgoingMail};
use super::schema::{
    booking_people, booking_slots, bookings, counters, hold_slots, holds, notices, waitlist_places,
    waitlist_registrations,
};
use super::slots::SlotWrites;
use super::{Backend, Db, DbError};
use crate::core::recipient_fields::{Answer, Answers, answers_to_json};
use crate::{db_read, db_write};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = bookings)]
pub struct Booking {
    pub id: i64,
    pub tenant_id: i64,
    pub service_id: i64,
    pub counter_id: i64,
    pub receipt_number: String,
    pub password_hash: String,
    pub email: Option<String>,
    pub email2: Option<String>,
    pub party_size: i32,
    pub day: Date,
    pub start_min: i32,
    pub end_min: i32,
    pub status: String,
    pub source: String,
    pub created_at: i64,
    /// The language the resident booked in ("ja", "en"): every mail about the booking is
    /// written in it.
    pub lang: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = booking_people)]
pub struct Person {
    pub id: i64,
    pub notice_id: Option<i64>,
    pub position: i32,
    pub name: String,
    pub kana: String,
    pub phone: String,
    pub status: String,
    /// Answers to the municipality's own fields, each with the label it was given under.
    #[diesel(deserialize_as = String)]
    pub answers: Answers,
}

#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    pub notice_id: Option<i64>,
    pub name: String,
    pub kana: String,
    pub phone: String,
    pub answers: Vec<Answer>,
}

/// A change made by a member of staff: recorded in the audit log in the same transaction.
pub struct ByStaff<'a> {
    pub staff_user_id: i64,
    pub action: &'a str,
    pub detail: &'a str,
}

trait StaffAudit {
    fn audit_staff_in(
        &mut self,
        by: Option<&ByStaff<'_>>,
        tenant_id: i64,
        booking_id: i64,
        now: i64,
    ) -> impl Future<Output = Result<(), DbError>> + Send;
}

crate::impl_for_both_backends!(StaffAudit {
    async fn audit_staff_in(
        &mut self,
        by: Option<&ByStaff<'_>>,
        tenant_id: i64,
        booking_id: i64,
        now: i64,
    ) -> Result<(), DbError> {
        if let Some(by) = by {
            self.audit_in(&AuditEntry {
                tenant_id,
                staff_user_id: Some(by.staff_user_id),
                action: by.action,
                booking_id: Some(booking_id),
                detail: by.detail,
                now,
            })
            .await?;
        }
        Ok(())
    }
});

pub struct NewBooking<'a> {
    pub tenant_id: i64,
    pub service_id: i64,
    pub counter_id: i64,
    pub hold_id: i64,
    pub receipt_number: &'a str,
    pub password_hash: &'a str,
    pub email: Option<&'a str>,
    pub email2: Option<&'a str>,
    /// Replaying the same key (double click, back button, retry) finds the first booking.
    pub idempotency_key: &'a str,
    pub people: &'a [NewPerson],
    pub source: &'a str,
    /// "ja" or "en" (see [`Booking::lang`]).
    pub lang: &'a str,
    pub now: i64,
    /// Set when a clerk books on a resident's behalf.
    pub by_staff: Option<ByStaff<'a>>,
    /// A vaccination booking: the ticket and dose it is for (`None` for card pickup).
    pub ticket: Option<TicketDose<'a>>,
    /// A booking made from the waitlist (「申し込む」): its registration and the dose chosen.
    pub waitlist: Option<WaitlistDose>,
}

/// A waitlist registrant's booking: the registration is marked with it in the same
/// transaction, so one registration makes one booking however many presses race.
#[derive(Debug, Clone, Copy)]
pub struct WaitlistDose {
    pub registration_id: i64,
    pub dose_number: i32,
}

/// What a vaccination booking records beyond the engine's booking.
#[derive(Debug, Clone)]
pub struct TicketDose<'a> {
    pub ticket_id: i64,
    pub dose_number: i32,
    /// The version of the terms agreed to before booking.
    pub terms_version: i32,
    /// 予約者 when someone books for the person (seed 002): name and phone.
    pub booker_name: Option<&'a str>,
    pub booker_phone: Option<&'a str>,
    /// 「接種日の繰上げを希望する」.
    pub wants_earlier: bool,
}

/// Steps on a booking's places inside a caller's write transaction.
trait BookingSlotWrites {
    fn attach_slots_in(
        &mut self,
        booking_id: i64,
        slot_ids: &[i64],
    ) -> impl Future<Output = Result<(), DbError>> + Send;
    fn booking_by_key_in(
        &mut self,
        idempotency_key: &str,
    ) -> impl Future<Output = Result<Option<i64>, DbError>> + Send;
    /// True when the ticket has an active booking for the dose.
    fn dose_booked_in(
        &mut self,
        ticket_id: i64,
        dose_number: i32,
    ) -> impl Future<Output = Result<bool, DbError>> + Send;
    /// True when `hold_id` was converted into `booking_id`'s places (a change that is
    /// already done).
    fn hold_became_booking_in(
        &mut self,
        hold_id: i64,
        booking_id: i64,
    ) -> impl Future<Output = Result<bool, DbError>> + Send;
}

crate::impl_for_both_backends!(BookingSlotWrites {
    async fn booking_by_key_in(&mut self, idempotency_key: &str) -> Result<Option<i64>, DbError> {
        Ok(bookings::table
            .filter(bookings::idempotency_key.eq(idempotency_key))
            .select(bookings::id)
            .get_result(self)
            .await
            .optional()?)
    }

    async fn dose_booked_in(&mut self, ticket_id: i64, dose_number: i32) -> Result<bool, DbError> {
        let n: i64 = bookings::table
            .filter(bookings::ticket_id.eq(ticket_id))
            .filter(bookings::dose_number.eq(dose_number))
            .filter(bookings::status.eq("booked"))
            .count()
            .get_result(self)
            .await?;
        Ok(n > 0)
    }

    async fn hold_became_booking_in(&mut self, hold_id: i64, booking_id: i64) -> Result<bool, DbError> {
        let state: Option<String> = holds::table
            .find(hold_id)
            .select(holds::state)
            .get_result(self)
            .await
            .optional()?;
        if state.as_deref() != Some("booked") {
            return Ok(false);
        }
        let mut held: Vec<i64> = hold_slots::table
            .filter(hold_slots::hold_id.eq(hold_id))
            .select(hold_slots::slot_id)
            .load(self)
            .await?;
        let mut booked: Vec<i64> = booking_slots::table
            .filter(booking_slots::booking_id.eq(booking_id))
            .select(booking_slots::slot_id)
            .load(self)
            .await?;
        held.sort_unstable();
        booked.sort_unstable();
        Ok(!held.is_empty() && held == booked)
    }

    async fn attach_slots_in(&mut self, booking_id: i64, slot_ids: &[i64]) -> Result<(), DbError> {
        // One statement per row: diesel-async cannot send a multi-row INSERT to SQLite.
        for (position, slot_id) in slot_ids.iter().enumerate() {
            diesel::insert_into(booking_slots::table)
                .values((
                    booking_slots::booking_id.eq(booking_id),
                    booking_slots::slot_id.eq(slot_id),
                    booking_slots::position.eq(position as i32),
                ))
                .execute(self)
                .await?;
        }
        Ok(())
    }
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    Booked(i64),
    /// The same request came again: this is the booking it made the first time.
    Replayed(i64),
    HoldExpired,
    /// One of the notices got an active booking meanwhile.
    NoticeAlreadyBooked,
    /// The ticket's dose is booked already (another tab, another device, a clerk); or the
    /// waitlist registration has its one booking.
    DoseAlreadyBooked,
    /// The random receipt number is taken in this municipality: draw another and retry.
    ReceiptTaken,
}

/// Turns the hold into a booking, all or nothing, and queues `mail` with it.
pub async fn confirm(
    db: &Db,
    new: &NewBooking<'_>,
    mails: &[OutgoingMail],
) -> Result<Confirmed, DbError> {
    // Every statement here runs under a rush, so none is there twice: a replay (double
    // click, retry) is found by its key inside the transaction on SQLite, where writers
    // take turns and a replay that waited sees the first request's booking; on PostgreSQL
    // the first request's commit makes the replay fail (its hold is booked, its notices and
    // key are taken) and the key is looked up after the refusal, below. A notice booked
    // meanwhile is refused by the unique index on active booking people.
    let replay_check_inside = db.backend() == Backend::Sqlite;
    let outcome = db_write!(db, |conn| {
        if replay_check_inside && let Some(id) = conn.booking_by_key_in(new.idempotency_key).await?
        {
            return Ok(Confirmed::Replayed(id));
        }
        // One booking per ticket and dose. Inside the transaction this is exact on SQLite,
        // where writers take turns; on PostgreSQL two racing requests both pass it and the
        // partial unique index refuses the second insert, which then comes back as a taken
        // receipt: the caller draws again and this check sees the first booking.
        if let Some(t) = &new.ticket
            && conn.dose_booked_in(t.ticket_id, t.dose_number).await?
        {
            return Err(DbError::Conflict("dose already booked"));
        }
        let Some((slot_ids, span)) = conn.convert_hold_in(new.hold_id, new.now).await? else {
            return Err(DbError::Conflict("hold expired"));
        };
        let inserted = diesel::insert_into(bookings::table)
            .values((
                bookings::tenant_id.eq(new.tenant_id),
                bookings::service_id.eq(new.service_id),
                bookings::counter_id.eq(span.counter_id),
                bookings::receipt_number.eq(new.receipt_number),
                bookings::password_hash.eq(new.password_hash),
                bookings::email.eq(new.email),
                bookings::email2.eq(new.email2),
                bookings::party_size.eq(new.people.len() as i32),
                bookings::day.eq(span.day),
                bookings::start_min.eq(span.start_min),
                bookings::end_min.eq(span.end_min),
                bookings::source.eq(new.source),
                bookings::lang.eq(new.lang),
                bookings::idempotency_key.eq(new.idempotency_key),
                bookings::created_at.eq(new.now),
                bookings::updated_at.eq(new.now),
                bookings::timed_at.eq(new.now),
                bookings::ticket_id.eq(new.ticket.as_ref().map(|t| t.ticket_id)),
                bookings::dose_number.eq(new
                    .ticket
                    .as_ref()
                    .map(|t| t.dose_number)
                    .or(new.waitlist.map(|w| w.dose_number))),
                bookings::terms_version.eq(new.ticket.as_ref().map(|t| t.terms_version)),
                bookings::booker_name.eq(new.ticket.as_ref().and_then(|t| t.booker_name)),
                bookings::booker_phone.eq(new.ticket.as_ref().and_then(|t| t.booker_phone)),
                bookings::wants_earlier.eq(new.ticket.as_ref().is_some_and(|t| t.wants_earlier)),
            ))
            .returning(bookings::id)
            .get_result::<i64>(conn)
            .await;
        let booking_id = match inserted {
            Ok(id) => id,
            Err(e) => {
                let e = DbError::from(e);
                return Err(if e.is_unique_violation() {
                    DbError::Conflict("receipt or key taken")
                } else {
                    e
                });
            }
        };
        conn.attach_slots_in(booking_id, &slot_ids).await?;
        if let Some(w) = new.waitlist {
            // Locks the registration: a second press waits here and finds it booked.
            let marked = diesel::update(
                waitlist_registrations::table
                    .find(w.registration_id)
                    .filter(waitlist_registrations::booking_id.is_null()),
            )
            .set(waitlist_registrations::booking_id.eq(booking_id))
            .execute(conn)
            .await?;
            if marked == 0 {
                return Err(DbError::Conflict("dose already booked"));
            }
        }
        for (position, person) in new.people.iter().enumerate() {
            let inserted = diesel::insert_into(booking_people::table)
                .values((
                    booking_people::booking_id.eq(booking_id),
                    booking_people::notice_id.eq(person.notice_id),
                    booking_people::position.eq(position as i32),
                    booking_people::name.eq(&person.name),
                    booking_people::kana.eq(&person.kana),
                    booking_people::phone.eq(&person.phone),
                    // In the person's own row: no extra statement per booking.
                    booking_people::answers.eq(answers_to_json(&person.answers)),
                ))
                .execute(conn)
                .await;
            if let Err(e) = inserted {
                let e = DbError::from(e);
                return Err(if e.is_unique_violation() {
                    DbError::Conflict("notice already booked")
                } else {
                    e
                });
            }
        }
        for mail in mails {
            conn.enqueue_mail_in(Some(new.tenant_id), mail, new.now)
                .await?;
        }
        conn.audit_staff_in(new.by_staff.as_ref(), new.tenant_id, booking_id, new.now)
            .await?;
        Ok(Confirmed::Booked(booking_id))
    });
    let refusal = match outcome {
        Ok(confirmed) => return Ok(confirmed),
        Err(DbError::Conflict(reason)) => reason,
        Err(e) => return Err(e),
    };
    // Every refusal may be a concurrent replay of this very request that committed first
    // (on PostgreSQL the hold it converted is gone, its notices are booked, its key is
    // taken): the key tells, and the resident sees their booking rather than an error.
    if let Some(id) = find_by_idempotency_key(db, new.idempotency_key).await? {
        return Ok(Confirmed::Replayed(id));
    }
    Ok(match refusal {
        "notice already booked" => Confirmed::NoticeAlreadyBooked,
        "dose already booked" => {
            // The hold is not needed any more: give its places back now.
            super::holds::release(db, new.hold_id).await?;
            Confirmed::DoseAlreadyBooked
        }
        "hold expired" => {
            // Refused because it expired: its places are free from now on, not once the
            // background job comes by (see `holds`). A no-op for a hold released otherwise.
            super::holds::expire(db, new.hold_id, new.now).await?;
            Confirmed::HoldExpired
        }
        _ => Confirmed::ReceiptTaken,
    })
}

async fn find_by_idempotency_key(db: &Db, key: &str) -> Result<Option<i64>, DbError> {
    db_read!(db, |conn| {
        Ok(bookings::table
            .filter(bookings::idempotency_key.eq(key))
            .select(bookings::id)
            .get_result(conn)
            .await
            .optional()?)
    })
}

pub async fn find(db: &Db, booking_id: i64) -> Result<Option<Booking>, DbError> {
    db_read!(db, |conn| {
        Ok(bookings::table
            .find(booking_id)
            .select(Booking::as_select())
            .get_result(conn)
            .await
            .optional()?)
    })
}

pub async fn find_by_receipt(
    db: &Db,
    tenant_id: i64,
    receipt_number: &str,
) -> Result<Option<Booking>, DbError> {
    db_read!(db, |conn| {
        Ok(bookings::table
            .filter(bookings::tenant_id.eq(tenant_id))
            .filter(bookings::receipt_number.eq(receipt_number))
            .select(Booking::as_select())
            .get_result(conn)
            .await
            .optional()?)
    })
}

/// The people of a booking with their notice's number 1 and their answers to the
/// municipality's own fields, in order: what every page, mail and export about a booking
/// shows of its people, read in one place.
pub async fn people(db: &Db, booking_id: i64) -> Result<Vec<(Person, Option<String>)>, DbError> {
    db_read!(db, |conn| {
        Ok(booking_people::table
            .left_join(notices::table)
            .filter(booking_people::booking_id.eq(booking_id))
            .order(booking_people::position)
            .select((Person::as_select(), notices::number1.nullable()))
            .load(conn)
            .await?)
    })
}

/// Whether any of these notices has an active booking.
pub async fn notices_with_active_booking(db: &Db, notice_ids: &[i64]) -> Result<Vec<i64>, DbError> {
    db_read!(db, |conn| {
        Ok(booking_people::table
            .filter(booking_people::notice_id.eq_any(notice_ids))
            .filter(booking_people::active)
            .select(booking_people::notice_id.assume_not_null())
            .load(conn)
            .await?)
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    Changed,
    /// The same change came again (double click, retry): it was made the first time.
    Replayed,
    HoldExpired,
    NotActive,
}

/// Moves a booking to the time of `hold_id`: the hold's places become the booking's and
/// the old places are given back, in one transaction. The receipt number stays.
pub async fn change_time(
    db: &Db,
    booking_id: i64,
    hold_id: i64,
    now: i64,
    mails: &[OutgoingMail],
    by_staff: Option<&ByStaff<'_>>,
) -> Result<Changed, DbError> {
    let outcome = db_write!(db, |conn| {
        let booking: Booking = bookings::table
            .find(booking_id)
            .select(Booking::as_select())
            .get_result(conn)
            .await?;
        // A repeated [変更する] (double click, retry) finds its change already made.
        if conn.hold_became_booking_in(hold_id, booking_id).await? {
            return Ok(Changed::Replayed);
        }
        if booking.status != "booked" {
            return Err(DbError::Conflict("not active"));
        }
        let Some((new_slots, span)) = conn.convert_hold_in(hold_id, now).await? else {
            return Err(DbError::Conflict("hold expired"));
        };
        let old_slots: Vec<i64> = booking_slots::table
            .filter(booking_slots::booking_id.eq(booking_id))
            .select(booking_slots::slot_id)
            .load(conn)
            .await?;
        conn.release_places_in(&old_slots).await?;
        diesel::delete(booking_slots::table.filter(booking_slots::booking_id.eq(booking_id)))
            .execute(conn)
            .await?;
        conn.attach_slots_in(booking_id, &new_slots).await?;
        diesel::update(bookings::table.find(booking_id))
            .set((
                bookings::counter_id.eq(span.counter_id),
                bookings::day.eq(span.day),
                bookings::start_min.eq(span.start_min),
                bookings::end_min.eq(span.end_min),
                bookings::updated_at.eq(now),
                bookings::timed_at.eq(now),
            ))
            .execute(conn)
            .await?;
        for mail in mails {
            conn.enqueue_mail_in(Some(booking.tenant_id), mail, now)
                .await?;
        }
        conn.audit_staff_in(by_staff, booking.tenant_id, booking_id, now)
            .await?;
        Ok(Changed::Changed)
    });
    match outcome {
        Ok(changed) => Ok(changed),
        Err(DbError::Conflict("hold expired")) => {
            // On PostgreSQL a concurrent replay waits on the hold row and then finds it
            // converted: look again now that the first request has committed.
            let replayed = db_read!(db, |conn| {
                conn.hold_became_booking_in(hold_id, booking_id).await
            })?;
            if replayed {
                return Ok(Changed::Replayed);
            }
            // As in `confirm`: the refused hold's places are free at once.
            super::holds::expire(db, hold_id, now).await?;
            Ok(Changed::HoldExpired)
        }
        Err(DbError::Conflict(_)) => Ok(Changed::NotActive),
        Err(e) => Err(e),
    }
}

/// Cancelling one booking inside a caller's write transaction.
trait BookingCancel {
    fn cancel_in(
        &mut self,
        booking_id: i64,
        now: i64,
        mails: &[OutgoingMail],
        by_staff: Option<&ByStaff<'_>>,
    ) -> impl Future<Output = Result<bool, DbError>> + Send;
}

crate::impl_for_both_backends!(BookingCancel {
    async fn cancel_in(
        &mut self,
        booking_id: i64,
        now: i64,
        mails: &[OutgoingMail],
        by_staff: Option<&ByStaff<'_>>,
    ) -> Result<bool, DbError> {
        let updated = diesel::update(
            bookings::table
                .find(booking_id)
                .filter(bookings::status.eq("booked")),
        )
        .set((
            bookings::status.eq("cancelled"),
            bookings::cancelled_at.eq(now),
            bookings::updated_at.eq(now),
        ))
        .returning((bookings::tenant_id, bookings::service_id))
        .get_result::<(i64, i64)>(self)
        .await
        .optional()?;
        let Some((tenant_id, service_id)) = updated else {
            return Ok(false);
        };
        let slot_ids: Vec<i64> = booking_slots::table
            .filter(booking_slots::booking_id.eq(booking_id))
            .select(booking_slots::slot_id)
            .load(self)
            .await?;
        self.release_places_in(&slot_ids).await?;
        // The freed places are the waitlist's (seed 001's キャンセル枠): its next notice lists
        // them while they stay free. One place in each slot of the run.
        for slot_id in &slot_ids {
            diesel::insert_into(waitlist_places::table)
                .values((
                    waitlist_places::tenant_id.eq(tenant_id),
                    waitlist_places::service_id.eq(service_id),
                    waitlist_places::slot_id.eq(*slot_id),
                    waitlist_places::places.eq(1),
                    waitlist_places::source.eq("cancel"),
                    waitlist_places::created_at.eq(now),
                ))
                .execute(self)
                .await?;
        }
        diesel::update(booking_people::table.filter(booking_people::booking_id.eq(booking_id)))
            .set((
                booking_people::active.eq(false),
                booking_people::status.eq("cancelled"),
            ))
            .execute(self)
            .await?;
        for mail in mails {
            self.enqueue_mail_in(Some(tenant_id), mail, now).await?;
        }
        self.audit_staff_in(by_staff, tenant_id, booking_id, now)
            .await?;
        Ok(true)
    }
});

/// Cancels a booking and gives its places back; false when it was not active.
pub async fn cancel(
    db: &Db,
    booking_id: i64,
    now: i64,
    mails: &[OutgoingMail],
    by_staff: Option<&ByStaff<'_>>,
) -> Result<bool, DbError> {
    db_write!(db, |conn| {
        conn.cancel_in(booking_id, now, mails, by_staff).await
    })
}

/// One booking of [`cancel_many`] and the mails that tell of its cancellation.
pub struct Cancellation<'a> {
    pub booking_id: i64,
    pub mails: &'a [OutgoingMail],
}

/// Cancels several bookings in one transaction (a ticket's dose 1 and the dose 2 counted
/// from it): all or none, so a failure never leaves dose 2 booked without its base or
/// dose 1 cancelled without its mail. For each, whether it was active.
pub async fn cancel_many(
    db: &Db,
    cancellations: &[Cancellation<'_>],
    now: i64,
    by_staff: Option<&ByStaff<'_>>,
) -> Result<Vec<bool>, DbError> {
    db_write!(db, |conn| {
        let mut done = Vec::with_capacity(cancellations.len());
        for c in cancellations {
            done.push(conn.cancel_in(c.booking_id, now, c.mails, by_staff).await?);
        }
        Ok(done)
    })
}

/// A new lookup password for a booking.
pub struct PasswordChange<'a> {
    /// Replace only while this is still the stored hash: a form posted twice, or by two
    /// clerks at once, reissues once. None replaces whatever is stored.
    pub expected_hash: Option<&'a str>,
    pub new_hash: &'a str,
    pub now: i64,
}

/// Replaces the lookup password (a resend of the completion mail carries a new one, since
/// only its hash is kept; a clerk reissues one for a caller who lost theirs), queues the
/// mail when there is one and writes the clerk's audit entry, in one transaction. False
/// when the stored hash was no longer `expected_hash`: nothing was written.
pub async fn replace_password(
    db: &Db,
    booking_id: i64,
    change: &PasswordChange<'_>,
    mails: &[OutgoingMail],
    by_staff: Option<&ByStaff<'_>>,
) -> Result<bool, DbError> {
    db_write!(db, |conn| {
        let mut target = diesel::update(bookings::table)
            .filter(bookings::id.eq(booking_id))
            .into_boxed();
        if let Some(expected) = change.expected_hash {
            target = target.filter(bookings::password_hash.eq(expected));
        }
        let tenant_id: Option<i64> = target
            .set((
                bookings::password_hash.eq(change.new_hash),
                bookings::updated_at.eq(change.now),
            ))
            .returning(bookings::tenant_id)
            .get_result(conn)
            .await
            .optional()?;
        let Some(tenant_id) = tenant_id else {
            if change.expected_hash.is_none() {
                return Err(DbError::Query(diesel::result::Error::NotFound));
            }
            return Ok(false);
        };
        for mail in mails {
            conn.enqueue_mail_in(Some(tenant_id), mail, change.now)
                .await?;
        }
        conn.audit_staff_in(by_staff, tenant_id, booking_id, change.now)
            .await?;
        Ok(true)
    })
}

/// The counter of a booking, for its page and mails.
pub async fn counter_of(db: &Db, counter_id: i64) -> Result<super::tenants::Counter, DbError> {
    db_read!(db, |conn| {
        Ok(counters::table
            .find(counter_id)
            .select(super::tenants::Counter::as_select())
            .get_result(conn)
            .await?)
    })
}
