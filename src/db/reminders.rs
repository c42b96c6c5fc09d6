//! Reminders (issue 13): each service's reminder list, the bookings a reminder may be due
//! for, and queueing a reminder exactly once.
//!
//! Exactly once, across instances and restarts: a reminder is queued in one write
//! transaction that inserts its `reminders` row (unique per booking, moment and visit) and
//! its mails into the outbox. A second instance doing the same meets the unique row and
//! queues nothing; a crash before the commit leaves neither, and the next run queues it.
//! From the outbox on, the mail is the outbox's: retried with backoff and listed under
//! メール送信状況.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::Date;

use super::audit::AuditWrites;
use super::bookings::Booking;
use super::outbox::{OutboxWrites, OutgoingMail};
use super::schema::{bookings, reminder_rules, reminders, services};
use super::tenants::StaffAction;
use super::{Db, DbError};
use crate::core::reminders::ReminderTime;
use crate::{db_read, db_write};

/// The channel a reminder went by (LINE joins in issue 14).
pub const CHANNEL_MAIL: &str = "mail";

/// One reminder of a service's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: i64,
    pub tenant_id: i64,
    pub service_id: i64,
    /// `services.kind`: which mail the reminder is.
    pub service_kind: String,
    pub time: ReminderTime,
    pub active: bool,
}

type RuleRow = (i64, i64, i64, String, i32, i32, bool);

fn rule_of(
    (id, tenant_id, service_id, service_kind, days_before, at_min, active): RuleRow,
) -> Rule {
    Rule {
        id,
        tenant_id,
        service_id,
        service_kind,
        time: ReminderTime {
            days_before,
            at_min,
        },
        active,
    }
}

macro_rules! rule_query {
    () => {
        reminder_rules::table
            .inner_join(services::table)
            .order((
                reminder_rules::tenant_id,
                reminder_rules::service_id,
                reminder_rules::days_before.desc(),
                reminder_rules::at_min,
            ))
            .select((
                reminder_rules::id,
                reminder_rules::tenant_id,
                reminder_rules::service_id,
                services::kind,
                reminder_rules::days_before,
                reminder_rules::at_min,
                reminder_rules::active,
            ))
    };
}

/// A municipality's reminders, per service, earliest first (most days before).
pub async fn rules_of(db: &Db, tenant_id: i64) -> Result<Vec<Rule>, DbError> {
    let rows: Vec<RuleRow> = db_read!(db, |conn| {
        rule_query!()
            .filter(reminder_rules::tenant_id.eq(tenant_id))
            .load(conn)
            .await
            .map_err(DbError::from)
    })?;
    Ok(rows.into_iter().map(rule_of).collect())
}

/// Every switched-on reminder of every municipality's offered services: what the job runs.
pub async fn active_rules(db: &Db) -> Result<Vec<Rule>, DbError> {
    let rows: Vec<RuleRow> = db_read!(db, |conn| {
        rule_query!()
            .filter(reminder_rules::active.eq(true))
            .filter(services::active.eq(true))
            .load(conn)
            .await
            .map_err(DbError::from)
    })?;
    Ok(rows.into_iter().map(rule_of).collect())
}

/// Steps that run inside a caller's write transaction.
pub trait ReminderWrites {
    /// Gives a newly offered service the seed's reminder (the day before at 12:00), unless
    /// it has a list already (a service offered again keeps its own).
    fn ensure_default_in(
        &mut self,
        tenant_id: i64,
        service_id: i64,
        now: i64,
    ) -> impl Future<Output = Result<(), DbError>> + Send;
}

crate::impl_for_both_backends!(ReminderWrites {
    async fn ensure_default_in(
        &mut self,
        tenant_id: i64,
        service_id: i64,
        now: i64,
    ) -> Result<(), DbError> {
        let listed: i64 = reminder_rules::table
            .filter(reminder_rules::service_id.eq(service_id))
            .count()
            .get_result(self)
            .await?;
        if listed == 0 {
            let time = ReminderTime::DEFAULT;
            diesel::insert_into(reminder_rules::table)
                .values((
                    reminder_rules::tenant_id.eq(tenant_id),
                    reminder_rules::service_id.eq(service_id),
                    reminder_rules::days_before.eq(time.days_before),
                    reminder_rules::at_min.eq(time.at_min),
                    reminder_rules::active.eq(true),
                    reminder_rules::created_at.eq(now),
                ))
                .execute(self)
                .await?;
        }
        Ok(())
    }
});

/// A service a reminder list belongs to, as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedService {
    pub id: i64,
    pub kind: String,
    pub name: String,
}

/// The services a municipality offers now, card pickup first: whose lists the console shows.
pub async fn services_of(db: &Db, tenant_id: i64) -> Result<Vec<ListedService>, DbError> {
    let rows: Vec<(i64, String, String)> = db_read!(db, |conn| {
        services::table
            .filter(services::tenant_id.eq(tenant_id))
            .filter(services::active.eq(true))
            .order(services::id)
            .select((services::id, services::kind, services::name))
            .load(conn)
            .await
            .map_err(DbError::from)
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, name)| ListedService { id, kind, name })
        .collect())
}

/// The audit action of a change to a reminder list: it is a setting.
const REMINDER_CHANGE: &str = "settings_change";

/// What became of adding a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    Added,
    /// The list has that moment already.
    AlreadyListed,
    /// No offered service of this municipality has that id.
    NoSuchService,
}

/// Adds a reminder to a service's list, with its audit entry.
pub async fn add(
    db: &Db,
    by: &StaffAction,
    service_id: i64,
    time: ReminderTime,
) -> Result<Added, DbError> {
    db_write!(db, |conn| {
        let name: Option<String> = services::table
            .filter(services::id.eq(service_id))
            .filter(services::tenant_id.eq(by.tenant_id))
            .filter(services::active.eq(true))
            .select(services::name)
            .first(conn)
            .await
            .optional()?;
        let Some(name) = name else {
            return Ok(Added::NoSuchService);
        };
        let added = diesel::insert_into(reminder_rules::table)
            .values((
                reminder_rules::tenant_id.eq(by.tenant_id),
                reminder_rules::service_id.eq(service_id),
                reminder_rules::days_before.eq(time.days_before),
                reminder_rules::at_min.eq(time.at_min),
                reminder_rules::active.eq(true),
                reminder_rules::created_at.eq(by.now),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        if added == 0 {
            return Ok(Added::AlreadyListed);
        }
        let detail = format!("予約確認のお知らせ({name})を追加:{}", time.describe_ja());
        conn.audit_in(&by.entry(REMINDER_CHANGE, &detail)).await?;
        Ok(Added::Added)
    })
}

/// One reminder of this municipality with its service's name, inside a write transaction.
macro_rules! rule_and_service {
    ($conn:expr, $by:expr, $rule_id:expr) => {
        reminder_rules::table
            .inner_join(services::table)
            .filter(reminder_rules::id.eq($rule_id))
            .filter(reminder_rules::tenant_id.eq($by.tenant_id))
            .select((
                reminder_rules::days_before,
                reminder_rules::at_min,
                reminder_rules::active,
                services::name,
            ))
            .first::<(i32, i32, bool, String)>($conn)
            .await
            .optional()?
            .map(|(days_before, at_min, active, name)| {
                (
                    ReminderTime {
                        days_before,
                        at_min,
                    },
                    active,
                    name,
                )
            })
    };
}

/// Switches a reminder on or off, with its audit entry (none when it already was); false
/// when the municipality has no such reminder.
pub async fn set_active(
    db: &Db,
    by: &StaffAction,
    rule_id: i64,
    active: bool,
) -> Result<bool, DbError> {
    db_write!(db, |conn| {
        let Some((time, was, name)) = rule_and_service!(conn, by, rule_id) else {
            return Ok(false);
        };
        if was != active {
            diesel::update(reminder_rules::table.filter(reminder_rules::id.eq(rule_id)))
                .set(reminder_rules::active.eq(active))
                .execute(conn)
                .await?;
            let what = if active { "再開" } else { "停止" };
            let detail = format!("予約確認のお知らせ({name})を{what}:{}", time.describe_ja());
            conn.audit_in(&by.entry(REMINDER_CHANGE, &detail)).await?;
        }
        Ok(true)
    })
}

/// Takes a reminder off the list, with its audit entry; false when the municipality has no
/// such reminder. The reminders it sent stay recorded (by moment), so adding it back resends
/// none.
pub async fn delete(db: &Db, by: &StaffAction, rule_id: i64) -> Result<bool, DbError> {
    db_write!(db, |conn| {
        let Some((time, _, name)) = rule_and_service!(conn, by, rule_id) else {
            return Ok(false);
        };
        diesel::delete(reminder_rules::table.filter(reminder_rules::id.eq(rule_id)))
            .execute(conn)
            .await?;
        let detail = format!("予約確認のお知らせ({name})を削除:{}", time.describe_ja());
        conn.audit_in(&by.entry(REMINDER_CHANGE, &detail)).await?;
        Ok(true)
    })
}

/// A booking a reminder may be due for.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub booking: Booking,
    /// When it got its present time (unix seconds).
    pub timed_at: i64,
    /// Its visit's start (unix seconds): the key of the reminder with the moment.
    pub visit_at: i64,
}

/// The service's booked (not cancelled, not yet visited) bookings on `from..=to` that have
/// not had `rule`'s reminder for their present time. Whether each is due is
/// [`ReminderTime::is_due`]'s to say.
pub async fn candidates(
    db: &Db,
    rule: &Rule,
    from: Date,
    to: Date,
) -> Result<Vec<Candidate>, DbError> {
    if from > to {
        return Ok(Vec::new());
    }
    // (booking, timed_at) and (booking id, visit_at) of the reminders already queued.
    type Read = (Vec<(Booking, i64)>, Vec<(i64, i64)>);
    let (rows, sent): Read = db_read!(db, |conn| {
        let rows: Vec<(Booking, i64)> = bookings::table
            .filter(bookings::service_id.eq(rule.service_id))
            .filter(bookings::day.between(from, to))
            .filter(bookings::status.eq("booked"))
            .order((bookings::day, bookings::start_min, bookings::id))
            .select((Booking::as_select(), bookings::timed_at))
            .load(conn)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|(b, _)| b.id).collect();
        let sent: Vec<(i64, i64)> = reminders::table
            .filter(reminders::booking_id.eq_any(&ids))
            .filter(reminders::days_before.eq(rule.time.days_before))
            .filter(reminders::at_min.eq(rule.time.at_min))
            .select((reminders::booking_id, reminders::visit_at))
            .load(conn)
            .await?;
        Ok::<_, DbError>((rows, sent))
    })?;
    let sent: std::collections::HashSet<(i64, i64)> = sent.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|(booking, timed_at)| {
            let visit_at = crate::core::deadline::unix_from_jst(crate::core::deadline::slot_start(
                booking.day,
                booking.start_min,
            ));
            Candidate {
                booking,
                timed_at,
                visit_at,
            }
        })
        .filter(|c| !sent.contains(&(c.booking.id, c.visit_at)))
        .collect())
}

/// Records `time`'s reminder of `candidate`'s visit and queues its `mails`, in one
/// transaction; false (and nothing queued) when it was recorded already, by this instance
/// before a restart or by another one. The booking must still be booked at the same time:
/// a cancel or a move that committed after the candidates were read queues nothing.
pub async fn queue(
    db: &Db,
    candidate: &Candidate,
    time: ReminderTime,
    mails: &[OutgoingMail],
    now: i64,
) -> Result<bool, DbError> {
    let booking = &candidate.booking;
    db_write!(db, |conn| {
        // An UPDATE that changes nothing, for its row lock: on PostgreSQL a cancel or move
        // in flight is waited for and the filter read again after it (a SELECT would see
        // the row as it was); SQLite's write transaction excludes them anyway.
        let unchanged = diesel::update(
            bookings::table
                .filter(bookings::id.eq(booking.id))
                .filter(bookings::status.eq("booked"))
                .filter(bookings::day.eq(booking.day))
                .filter(bookings::start_min.eq(booking.start_min)),
        )
        .set(bookings::timed_at.eq(bookings::timed_at))
        .execute(conn)
        .await?;
        if unchanged == 0 {
            return Ok(false);
        }
        let recorded = diesel::insert_into(reminders::table)
            .values((
                reminders::booking_id.eq(booking.id),
                reminders::days_before.eq(time.days_before),
                reminders::at_min.eq(time.at_min),
                reminders::visit_at.eq(candidate.visit_at),
                reminders::channel.eq(CHANNEL_MAIL),
                reminders::queued_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        if recorded == 0 {
            return Ok(false);
        }
        for mail in mails {
            conn.enqueue_mail_in(Some(booking.tenant_id), mail, now)
                .await?;
        }
        Ok(true)
    })
}
