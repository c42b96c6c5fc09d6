//! The day roster per counter and the clerk's check-in: the day's bookings with their
//! people (two queries, however many bookings), and the guarded status change written
//! with its audit entry in one transaction. Every query is filtered by the tenant.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::Date;

use super::audit::{AuditEntry, AuditWrites};
use super::bookings::{Booking, Person};
use super::schema::{audit_log, booking_people, bookings, counters, notices};
use super::tenants::Counter;
use super::{Db, DbError};
use crate::core::receipt::format_receipt;
use crate::{db_read, db_write};

/// One person of a booking with their notice's number 1 (None when booked without one).
#[derive(Debug, Clone)]
pub struct RosterPerson {
    pub person: Person,
    pub number1: Option<String>,
}

/// One booking on the roster with its people in order.
#[derive(Debug, Clone)]
pub struct RosterBooking {
    pub booking: Booking,
    pub people: Vec<RosterPerson>,
}

impl RosterBooking {
    pub fn is_cancelled(&self) -> bool {
        self.booking.status == CANCELLED
    }
}

pub const BOOKED: &str = "booked";
pub const VISITED: &str = "visited";
pub const NO_SHOW: &str = "no_show";
pub const CANCELLED: &str = "cancelled";

/// Every card-pickup counter of the tenant, active ones first, in their display order.
/// Inactive ones are included so that a counter closed down later still shows its past
/// rosters. Vaccination venues have their own roster (`web::staff::vaccination::roster`).
pub async fn counters_of(db: &Db, tenant_id: i64) -> Result<Vec<Counter>, DbError> {
    db_read!(db, |conn| {
        Ok(counters::table
            .filter(counters::tenant_id.eq(tenant_id))
            .filter(counters::service_kind.eq(super::tenants::CARD_PICKUP))
            .order((counters::active.desc(), counters::position, counters::id))
            .select(Counter::as_select())
            .load(conn)
            .await?)
    })
}

/// The tenant's bookings on `day` (at one counter, or at all of them), each with its
/// people, ordered by counter, start time, then receipt number, with cancelled bookings
/// after the others of their start time. Two queries in all.
pub async fn day(
    db: &Db,
    tenant_id: i64,
    day: Date,
    counter_id: Option<i64>,
) -> Result<Vec<RosterBooking>, DbError> {
    let (found, people) = db_read!(db, |conn| {
        let mut q = bookings::table
            .filter(bookings::tenant_id.eq(tenant_id))
            .filter(bookings::day.eq(day))
            .into_boxed();
        if let Some(counter_id) = counter_id {
            q = q.filter(bookings::counter_id.eq(counter_id));
        }
        let found: Vec<Booking> = q.select(Booking::as_select()).load(conn).await?;
        let ids: Vec<i64> = found.iter().map(|b| b.id).collect();
        let people: Vec<(i64, Person, Option<String>)> = if ids.is_empty() {
            Vec::new()
        } else {
            booking_people::table
                .left_join(notices::table)
                .filter(booking_people::booking_id.eq_any(&ids))
                .order((booking_people::booking_id, booking_people::position))
                .select((
                    booking_people::booking_id,
                    Person::as_select(),
                    notices::number1.nullable(),
                ))
                .load(conn)
                .await?
        };
        Ok((found, people))
    })?;
    Ok(assemble(found, people))
}

/// Groups the people under their bookings and puts the bookings in roster order.
fn assemble(found: Vec<Booking>, people: Vec<(i64, Person, Option<String>)>) -> Vec<RosterBooking> {
    let mut out: Vec<RosterBooking> = found
        .into_iter()
        .map(|booking| RosterBooking {
            booking,
            people: Vec::new(),
        })
        .collect();
    out.sort_by(|a, b| {
        (a.booking.counter_id, a.booking.start_min, a.is_cancelled())
            .cmp(&(b.booking.counter_id, b.booking.start_min, b.is_cancelled()))
            .then_with(|| a.booking.receipt_number.cmp(&b.booking.receipt_number))
    });
    let index: std::collections::HashMap<i64, usize> = out
        .iter()
        .enumerate()
        .map(|(i, b)| (b.booking.id, i))
        .collect();
    for (booking_id, person, number1) in people {
        if let Some(&i) = index.get(&booking_id) {
            out[i].people.push(RosterPerson { person, number1 });
        }
    }
    out
}

/// The status a clerk sets from the roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewStatus {
    /// 来庁済: the resident came.
    Visited,
    /// 不在: the resident did not come.
    NoShow,
    /// Undo: back to 予約済.
    Booked,
}

impl NewStatus {
    pub fn parse(s: &str) -> Option<NewStatus> {
        match s {
            VISITED => Some(NewStatus::Visited),
            NO_SHOW => Some(NewStatus::NoShow),
            BOOKED => Some(NewStatus::Booked),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NewStatus::Visited => VISITED,
            NewStatus::NoShow => NO_SHOW,
            NewStatus::Booked => BOOKED,
        }
    }

    /// The statuses this one may replace. Never `cancelled`: a cancelled booking gave its
    /// places back and cannot be checked in.
    fn allowed_from(self) -> &'static [&'static str] {
        match self {
            NewStatus::Visited | NewStatus::NoShow => &[BOOKED],
            NewStatus::Booked => &[VISITED, NO_SHOW],
        }
    }

    fn audit_action(self) -> &'static str {
        match self {
            NewStatus::Visited => "check_in",
            NewStatus::NoShow => "no_show",
            NewStatus::Booked => "undo_status",
        }
    }
}

/// The roster's word for a status.
pub fn status_label(status: &str) -> &str {
    match status {
        BOOKED => "予約済",
        VISITED => "来庁済",
        NO_SHOW => "不在",
        CANCELLED => "取消",
        other => other,
    }
}

/// What a status change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusChange {
    Changed {
        from: String,
    },
    /// The booking is no longer in a status the change applies to (someone else changed
    /// it, or it was cancelled); nothing was written.
    NotApplicable {
        current: String,
    },
    /// Undoing 不在 would give a notice a second active booking: the resident has booked
    /// again since. Nothing was written.
    NoticeRebooked,
    /// 来庁済 or 不在 before the booking's day: nobody can have come or stayed away yet,
    /// and a 不在 would free the notice while the slots stay taken. Nothing was written.
    BeforeTheDay {
        day: Date,
    },
    /// No such booking in this tenant.
    NotFound,
}

/// Sets a booking's status (and its people's) as a clerk of `tenant_id`, with the audit
/// entry, in one write transaction. The update is guarded by the status it read, so two
/// clerks pressing at once change it once.
///
/// 不在 releases the people's notices (`active = false`), as a cancellation does, so that
/// a resident who missed the visit can book again; undoing 不在 takes them back, unless
/// the resident has booked again meanwhile. 来庁済 keeps them: the card was handed over.
///
/// 来庁済 and 不在 are for the booking's day or later (`today` is the municipality's date,
/// JST); undoing stays possible on any day, so a mistake can always be put right.
pub async fn set_status(
    db: &Db,
    tenant_id: i64,
    booking_id: i64,
    to: NewStatus,
    staff_user_id: i64,
    (today, now): (Date, i64),
) -> Result<StatusChange, DbError> {
    let outcome = db_write!(db, |conn| {
        let found: Option<(String, String, i32, Date)> = bookings::table
            .filter(bookings::id.eq(booking_id))
            .filter(bookings::tenant_id.eq(tenant_id))
            .select((
                bookings::status,
                bookings::receipt_number,
                bookings::party_size,
                bookings::day,
            ))
            .get_result(conn)
            .await
            .optional()?;
        let Some((from, receipt, party, day)) = found else {
            return Ok(StatusChange::NotFound);
        };
        if !to.allowed_from().contains(&from.as_str()) {
            return Ok(StatusChange::NotApplicable { current: from });
        }
        if to != NewStatus::Booked && day > today {
            return Ok(StatusChange::BeforeTheDay { day });
        }
        let updated = diesel::update(
            bookings::table
                .filter(bookings::id.eq(booking_id))
                .filter(bookings::tenant_id.eq(tenant_id))
                .filter(bookings::status.eq(&from)),
        )
        .set((
            bookings::status.eq(to.as_str()),
            bookings::updated_at.eq(now),
        ))
        .execute(conn)
        .await
        .map_err(|e| {
            // Undoing 不在 of a vaccination booking whose ticket has booked the same dose
            // again since: the one-booking-per-ticket-dose index refuses it.
            let e = DbError::from(e);
            if e.is_unique_violation() {
                DbError::Conflict("notice rebooked")
            } else {
                e
            }
        })?;
        if updated == 0 {
            // Changed by someone else between the read and the update (PostgreSQL's READ
            // COMMITTED lets that happen): report what it is now.
            let current: String = bookings::table
                .filter(bookings::id.eq(booking_id))
                .select(bookings::status)
                .get_result(conn)
                .await?;
            return Ok(StatusChange::NotApplicable { current });
        }
        let reactivate = to == NewStatus::Booked && from == NO_SHOW;
        if reactivate {
            let notice_ids: Vec<i64> = booking_people::table
                .filter(booking_people::booking_id.eq(booking_id))
                .filter(booking_people::notice_id.is_not_null())
                .select(booking_people::notice_id.assume_not_null())
                .load(conn)
                .await?;
            let elsewhere: i64 = booking_people::table
                .filter(booking_people::notice_id.eq_any(&notice_ids))
                .filter(booking_people::active)
                .filter(booking_people::booking_id.ne(booking_id))
                .count()
                .get_result(conn)
                .await?;
            if elsewhere > 0 {
                return Err(DbError::Conflict("notice rebooked"));
            }
        }
        let people =
            diesel::update(booking_people::table.filter(booking_people::booking_id.eq(booking_id)));
        let written = match to {
            NewStatus::NoShow => {
                people
                    .set((
                        booking_people::status.eq(to.as_str()),
                        booking_people::active.eq(false),
                    ))
                    .execute(conn)
                    .await
            }
            NewStatus::Booked if reactivate => {
                people
                    .set((
                        booking_people::status.eq(to.as_str()),
                        booking_people::active.eq(true),
                    ))
                    .execute(conn)
                    .await
            }
            _ => {
                people
                    .set(booking_people::status.eq(to.as_str()))
                    .execute(conn)
                    .await
            }
        };
        if let Err(e) = written {
            // The partial unique index on active notices: a booking made concurrently.
            let e = DbError::from(e);
            return Err(if e.is_unique_violation() {
                DbError::Conflict("notice rebooked")
            } else {
                e
            });
        }
        let detail = audit_detail(to, &from, &format_receipt(&receipt), party);
        conn.audit_in(&AuditEntry {
            tenant_id,
            staff_user_id: Some(staff_user_id),
            action: to.audit_action(),
            booking_id: Some(booking_id),
            detail: &detail,
            now,
        })
        .await?;
        Ok(StatusChange::Changed { from })
    });
    match outcome {
        Err(DbError::Conflict("notice rebooked")) => Ok(StatusChange::NoticeRebooked),
        other => other,
    }
}

/// The roster a receipt is scanned at: its day and counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanAt {
    pub day: Date,
    pub counter_id: i64,
}

/// What checking in by receipt number (a scan, or the number typed) found and did. Every
/// outcome but [`ScanOutcome::CheckedIn`] wrote nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanOutcome {
    /// No booking of this tenant has the number; another municipality's booking with the
    /// same number is not looked at, so the answer is the same for it.
    NotFound,
    /// 来庁済 recorded now, with the same audit entry as the roster's 来庁 button.
    CheckedIn {
        booking_id: i64,
    },
    /// Already 来庁済 (a second scan, a colleague, or the button): not written again.
    AlreadyCheckedIn {
        booking_id: i64,
    },
    /// Another day's or another counter's booking (or both).
    Elsewhere {
        booking_id: i64,
    },
    Cancelled {
        booking_id: i64,
    },
    /// Past retention: its people are erased, nothing is left to check in.
    Anonymised {
        booking_id: i64,
    },
    /// Marked 不在: undoing that is the roster's 元に戻す, a deliberate step of its own.
    NoShow {
        booking_id: i64,
    },
    /// The roster's day is still to come (the rule of the roster's buttons).
    BeforeTheDay {
        booking_id: i64,
    },
}

/// Checks in the booking with `receipt` (digits as stored) as a clerk of `tenant_id` at the
/// roster `at`, in one write transaction: the booking is read, judged, and set 来庁済 with
/// its people and the audit entry only if it is that day's booking at that counter, still
/// 予約済 and not anonymised. The update is guarded by all of that, so two scans at once
/// (or a scan and a change of the booking's time) check in at most once, and a scan never
/// checks in a booking that has just moved to another day or counter.
pub async fn check_in_by_receipt(
    db: &Db,
    tenant_id: i64,
    receipt: &str,
    at: ScanAt,
    staff_user_id: i64,
    (today, now): (Date, i64),
) -> Result<ScanOutcome, DbError> {
    db_write!(db, |conn| {
        let found: Option<(i64, String, i32, Date, i64, Option<i64>)> = bookings::table
            .filter(bookings::tenant_id.eq(tenant_id))
            .filter(bookings::receipt_number.eq(receipt))
            .select((
                bookings::id,
                bookings::status,
                bookings::party_size,
                bookings::day,
                bookings::counter_id,
                bookings::anonymised_at,
            ))
            .get_result(conn)
            .await
            .optional()?;
        let Some((booking_id, status, party, day, counter_id, anonymised_at)) = found else {
            return Ok(ScanOutcome::NotFound);
        };
        let refused = if anonymised_at.is_some() {
            Some(ScanOutcome::Anonymised { booking_id })
        } else if status == CANCELLED {
            Some(ScanOutcome::Cancelled { booking_id })
        } else if day != at.day || counter_id != at.counter_id {
            Some(ScanOutcome::Elsewhere { booking_id })
        } else if status == VISITED {
            Some(ScanOutcome::AlreadyCheckedIn { booking_id })
        } else if status == NO_SHOW {
            Some(ScanOutcome::NoShow { booking_id })
        } else if day > today {
            Some(ScanOutcome::BeforeTheDay { booking_id })
        } else {
            None
        };
        if let Some(refused) = refused {
            return Ok(refused);
        }
        let updated = diesel::update(
            bookings::table
                .filter(bookings::id.eq(booking_id))
                .filter(bookings::tenant_id.eq(tenant_id))
                .filter(bookings::status.eq(BOOKED))
                .filter(bookings::day.eq(at.day))
                .filter(bookings::counter_id.eq(at.counter_id))
                .filter(bookings::anonymised_at.is_null()),
        )
        .set((bookings::status.eq(VISITED), bookings::updated_at.eq(now)))
        .execute(conn)
        .await?;
        if updated == 0 {
            // Changed between the read and the update (PostgreSQL's READ COMMITTED: the
            // other scan committed first, and this update found its row no longer 予約済).
            let (status, day, counter_id): (String, Date, i64) = bookings::table
                .filter(bookings::id.eq(booking_id))
                .select((bookings::status, bookings::day, bookings::counter_id))
                .get_result(conn)
                .await?;
            return Ok(match status.as_str() {
                VISITED if day == at.day && counter_id == at.counter_id => {
                    ScanOutcome::AlreadyCheckedIn { booking_id }
                }
                CANCELLED => ScanOutcome::Cancelled { booking_id },
                NO_SHOW => ScanOutcome::NoShow { booking_id },
                _ => ScanOutcome::Elsewhere { booking_id },
            });
        }
        diesel::update(booking_people::table.filter(booking_people::booking_id.eq(booking_id)))
            .set(booking_people::status.eq(VISITED))
            .execute(conn)
            .await?;
        let detail = audit_detail(NewStatus::Visited, BOOKED, &format_receipt(receipt), party);
        conn.audit_in(&AuditEntry {
            tenant_id,
            staff_user_id: Some(staff_user_id),
            action: NewStatus::Visited.audit_action(),
            booking_id: Some(booking_id),
            detail: &detail,
            now,
        })
        .await?;
        Ok(ScanOutcome::CheckedIn { booking_id })
    })
}

/// When the booking was last set 来庁済 (unix seconds), from the audit log: the booking row
/// keeps no such time, and its `updated_at` moves with a password reissue too.
pub async fn checked_in_at(
    db: &Db,
    tenant_id: i64,
    booking_id: i64,
) -> Result<Option<i64>, DbError> {
    db_read!(db, |conn| {
        Ok(audit_log::table
            .filter(audit_log::tenant_id.eq(tenant_id))
            .filter(audit_log::booking_id.eq(booking_id))
            .filter(audit_log::action.eq(NewStatus::Visited.audit_action()))
            .order(audit_log::id.desc())
            .select(audit_log::at)
            .first(conn)
            .await
            .optional()?)
    })
}

/// The audit log's sentence for a change, with the receipt number a colleague can look up.
fn audit_detail(to: NewStatus, from: &str, receipt: &str, party: i32) -> String {
    match to {
        NewStatus::Visited => format!("受付番号 {receipt}({party}名)を来庁済にしました"),
        NewStatus::NoShow => format!("受付番号 {receipt}({party}名)を不在にしました"),
        NewStatus::Booked => format!(
            "受付番号 {receipt}({party}名)を{}から予約済に戻しました",
            status_label(from)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn booking(id: i64, counter_id: i64, start_min: i32, receipt: &str, status: &str) -> Booking {
        Booking {
            id,
            tenant_id: 1,
            service_id: 1,
            counter_id,
            receipt_number: receipt.into(),
            password_hash: String::new(),
            email: None,
            email2: None,
            party_size: 1,
            day: date!(2026 - 12 - 03),
            start_min,
            end_min: start_min + 15,
            status: status.into(),
            source: "web".into(),
            created_at: 0,
            lang: "ja".into(),
        }
    }

    fn person(id: i64, position: i32) -> Person {
        Person {
            id,
            notice_id: None,
            position,
            name: format!("p{id}"),
            kana: String::new(),
            phone: String::new(),
            status: BOOKED.into(),
            answers: Default::default(),
        }
    }

    #[test]
    fn roster_order_is_counter_time_then_receipt_with_cancelled_last_in_their_time() {
        let found = vec![
            booking(1, 1, 600, "5", BOOKED),
            booking(2, 1, 540, "9", BOOKED),
            booking(3, 1, 600, "1", CANCELLED),
            booking(4, 1, 600, "7", VISITED),
            booking(5, 2, 500, "0", BOOKED),
        ];
        let people = vec![
            (1, person(12, 0), None),
            (1, person(11, 1), Some("AB1234567".to_string())),
            (4, person(10, 0), None),
        ];
        let roster = assemble(found, people);
        let ids: Vec<i64> = roster.iter().map(|b| b.booking.id).collect();
        assert_eq!(ids, [2, 1, 4, 3, 5]);
        let first_people: Vec<i64> = roster[1].people.iter().map(|p| p.person.id).collect();
        assert_eq!(first_people, [12, 11]);
        assert_eq!(roster[1].people[1].number1.as_deref(), Some("AB1234567"));
        assert!(roster[0].people.is_empty());
    }

    #[test]
    fn undo_only_from_visited_or_no_show_and_never_from_cancelled() {
        assert_eq!(NewStatus::Visited.allowed_from(), [BOOKED]);
        assert_eq!(NewStatus::NoShow.allowed_from(), [BOOKED]);
        assert_eq!(NewStatus::Booked.allowed_from(), [VISITED, NO_SHOW]);
        for s in [NewStatus::Visited, NewStatus::NoShow, NewStatus::Booked] {
            assert!(!s.allowed_from().contains(&CANCELLED));
            assert_eq!(NewStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(NewStatus::parse("cancelled"), None);
    }

    #[test]
    fn audit_details_name_the_receipt() {
        assert_eq!(
            audit_detail(NewStatus::Booked, NO_SHOW, "1234-5678-90", 2),
            "受付番号 1234-5678-90(2名)を不在から予約済に戻しました"
        );
        assert_eq!(
            audit_detail(NewStatus::Visited, BOOKED, "1234-5678-90", 1),
            "受付番号 1234-5678-90(1名)を来庁済にしました"
        );
    }
}
