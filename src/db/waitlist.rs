//! The cancellation-slot waitlist (issue 13, seed 001): the registrations (one person each;
//! a family registers each person from one checked address), the places freed for it (a
//! cancelled booking's, a venue's posted キャンセル枠), the set times of 空き枠のお知らせ and
//! the record of each notice sent, which makes a notice go out once across instances.
//!
//! A registration is reached only with the address it was registered from (the session's
//! checked address), never by its id alone.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::Date;

use super::audit::AuditWrites;
use super::outbox::{OutboxWrites, OutgoingMail};
use super::schema::{
    booking_people, bookings, counters, services, slots, waitlist_notice_times, waitlist_notices,
    waitlist_places, waitlist_registrations,
};
use super::tenants::StaffAction;
use super::{Db, DbError};
use crate::core::waitlist::DEFAULT_NOTICE_TIMES;
use crate::{db_read, db_write};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = waitlist_registrations)]
pub struct Registration {
    pub id: i64,
    pub tenant_id: i64,
    pub service_id: i64,
    pub email: String,
    pub name: String,
    pub birthdate: Date,
    pub phone: String,
    pub dose_number: i32,
    pub notify: bool,
    pub booking_id: Option<i64>,
    pub lang: String,
    pub created_at: i64,
}

/// What the registration form sets (「ユーザー情報登録修正」 changes the same).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationFields {
    pub name: String,
    pub birthdate: Date,
    pub phone: String,
    pub dose_number: i32,
    pub notify: bool,
}

/// The registrations made from `email`, oldest first.
pub async fn of_email(db: &Db, tenant_id: i64, email: &str) -> Result<Vec<Registration>, DbError> {
    db_read!(db, |conn| {
        Ok(waitlist_registrations::table
            .filter(waitlist_registrations::tenant_id.eq(tenant_id))
            .filter(waitlist_registrations::email.eq(email))
            .order(waitlist_registrations::id)
            .select(Registration::as_select())
            .load(conn)
            .await?)
    })
}

/// Registration `id` if `email` made it.
pub async fn find(
    db: &Db,
    tenant_id: i64,
    email: &str,
    id: i64,
) -> Result<Option<Registration>, DbError> {
    Ok(of_email(db, tenant_id, email)
        .await?
        .into_iter()
        .find(|r| r.id == id))
}

pub async fn create(
    db: &Db,
    tenant_id: i64,
    service_id: i64,
    email: &str,
    lang: &str,
    f: &RegistrationFields,
    now: i64,
) -> Result<i64, DbError> {
    db_write!(db, |conn| {
        Ok(diesel::insert_into(waitlist_registrations::table)
            .values((
                waitlist_registrations::tenant_id.eq(tenant_id),
                waitlist_registrations::service_id.eq(service_id),
                waitlist_registrations::email.eq(email),
                waitlist_registrations::name.eq(&f.name),
                waitlist_registrations::birthdate.eq(f.birthdate),
                waitlist_registrations::phone.eq(&f.phone),
                waitlist_registrations::dose_number.eq(f.dose_number),
                waitlist_registrations::notify.eq(f.notify),
                waitlist_registrations::lang.eq(lang),
                waitlist_registrations::created_at.eq(now),
                waitlist_registrations::updated_at.eq(now),
            ))
            .returning(waitlist_registrations::id)
            .get_result(conn)
            .await?)
    })
}

/// 「修正する」; false when `email` has no such registration.
pub async fn update(
    db: &Db,
    tenant_id: i64,
    email: &str,
    id: i64,
    f: &RegistrationFields,
    now: i64,
) -> Result<bool, DbError> {
    db_write!(db, |conn| {
        let changed = diesel::update(
            waitlist_registrations::table
                .find(id)
                .filter(waitlist_registrations::tenant_id.eq(tenant_id))
                .filter(waitlist_registrations::email.eq(email)),
        )
        .set((
            waitlist_registrations::name.eq(&f.name),
            waitlist_registrations::birthdate.eq(f.birthdate),
            waitlist_registrations::phone.eq(&f.phone),
            waitlist_registrations::dose_number.eq(f.dose_number),
            waitlist_registrations::notify.eq(f.notify),
            waitlist_registrations::updated_at.eq(now),
        ))
        .execute(conn)
        .await?;
        Ok(changed == 1)
    })
}

/// 「データの削除」: the registration and the record of its notices go; a booking made
/// through it stays (the seed: 登録解除は、接種予約のキャンセルではありません). False when
/// `email` has no such registration.
pub async fn delete(db: &Db, tenant_id: i64, email: &str, id: i64) -> Result<bool, DbError> {
    db_write!(db, |conn| {
        let owned: i64 = waitlist_registrations::table
            .find(id)
            .filter(waitlist_registrations::tenant_id.eq(tenant_id))
            .filter(waitlist_registrations::email.eq(email))
            .count()
            .get_result(conn)
            .await?;
        if owned == 0 {
            return Ok(false);
        }
        diesel::delete(waitlist_notices::table.filter(waitlist_notices::registration_id.eq(id)))
            .execute(conn)
            .await?;
        diesel::delete(waitlist_registrations::table.find(id))
            .execute(conn)
            .await?;
        Ok(true)
    })
}

/// How many are registered for the service, and how many of them wait for a notice
/// (opted in, not booked): the console's count.
pub async fn counts(db: &Db, service_id: i64) -> Result<(i64, i64), DbError> {
    db_read!(db, |conn| {
        let all: i64 = waitlist_registrations::table
            .filter(waitlist_registrations::service_id.eq(service_id))
            .count()
            .get_result(conn)
            .await?;
        let waiting: i64 = waitlist_registrations::table
            .filter(waitlist_registrations::service_id.eq(service_id))
            .filter(waitlist_registrations::notify.eq(true))
            .filter(waitlist_registrations::booking_id.is_null())
            .count()
            .get_result(conn)
            .await?;
        Ok((all, waiting))
    })
}

/// A slot with places freed for the waitlist, as the notice and the 空き枠 page list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreedSlot {
    pub slot_id: i64,
    pub venue_id: i64,
    pub day: Date,
    pub start_min: i32,
    pub end_min: i32,
    /// Places not taken by a booking or a hold now.
    pub free: i32,
}

/// The open slots from `from` on that places were freed in, each once.
pub async fn freed_slots(db: &Db, service_id: i64, from: Date) -> Result<Vec<FreedSlot>, DbError> {
    type Row = (i64, i64, Date, i32, i32, i32, i32);
    let rows: Vec<Row> = db_read!(db, |conn| {
        Ok::<_, DbError>(
            slots::table
                .filter(
                    slots::id.eq_any(
                        waitlist_places::table
                            .filter(waitlist_places::service_id.eq(service_id))
                            .select(waitlist_places::slot_id),
                    ),
                )
                .filter(slots::day.ge(from))
                .filter(slots::closed.eq(false))
                .order((slots::day, slots::start_min, slots::id))
                .select((
                    slots::id,
                    slots::counter_id,
                    slots::day,
                    slots::start_min,
                    slots::end_min,
                    slots::capacity,
                    slots::taken,
                ))
                .load(conn)
                .await?,
        )
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(slot_id, venue_id, day, start_min, end_min, capacity, taken)| FreedSlot {
                slot_id,
                venue_id,
                day,
                start_min,
                end_min,
                free: capacity - taken,
            },
        )
        .collect())
}

/// The set times of the service's notices, minutes after midnight, earliest first.
pub async fn notice_times(db: &Db, service_id: i64) -> Result<Vec<i32>, DbError> {
    db_read!(db, |conn| {
        Ok(waitlist_notice_times::table
            .filter(waitlist_notice_times::service_id.eq(service_id))
            .order(waitlist_notice_times::at_min)
            .select(waitlist_notice_times::at_min)
            .load(conn)
            .await?)
    })
}

/// Replaces the set times, with the audit entry (before → after).
pub async fn set_notice_times(
    db: &Db,
    by: &StaffAction,
    service_id: i64,
    times: &[i32],
) -> Result<(), DbError> {
    db_write!(db, |conn| {
        let before: Vec<i32> = waitlist_notice_times::table
            .filter(waitlist_notice_times::service_id.eq(service_id))
            .order(waitlist_notice_times::at_min)
            .select(waitlist_notice_times::at_min)
            .load(conn)
            .await?;
        if before == times {
            return Ok(());
        }
        diesel::delete(
            waitlist_notice_times::table.filter(waitlist_notice_times::service_id.eq(service_id)),
        )
        .execute(conn)
        .await?;
        for at in times {
            diesel::insert_into(waitlist_notice_times::table)
                .values((
                    waitlist_notice_times::tenant_id.eq(by.tenant_id),
                    waitlist_notice_times::service_id.eq(service_id),
                    waitlist_notice_times::at_min.eq(*at),
                ))
                .execute(conn)
                .await?;
        }
        let detail = format!(
            "空き枠のお知らせの時刻 {}→{}",
            crate::core::waitlist::format_notice_times(&before),
            crate::core::waitlist::format_notice_times(times)
        );
        conn.audit_in(&by.entry("settings_change", &detail)).await?;
        Ok(())
    })
}

/// Steps inside a caller's write transaction.
pub trait WaitlistWrites {
    /// Gives a newly offered service the seed's three set times, unless it has some.
    fn ensure_notice_times_in(
        &mut self,
        tenant_id: i64,
        service_id: i64,
    ) -> impl Future<Output = Result<(), DbError>> + Send;
}

crate::impl_for_both_backends!(WaitlistWrites {
    async fn ensure_notice_times_in(
        &mut self,
        tenant_id: i64,
        service_id: i64,
    ) -> Result<(), DbError> {
        let listed: i64 = waitlist_notice_times::table
            .filter(waitlist_notice_times::service_id.eq(service_id))
            .count()
            .get_result(self)
            .await?;
        if listed == 0 {
            for at in DEFAULT_NOTICE_TIMES {
                diesel::insert_into(waitlist_notice_times::table)
                    .values((
                        waitlist_notice_times::tenant_id.eq(tenant_id),
                        waitlist_notice_times::service_id.eq(service_id),
                        waitlist_notice_times::at_min.eq(at),
                    ))
                    .execute(self)
                    .await?;
            }
        }
        Ok(())
    }
});

/// A registrant the notice of a set time may go to, with the notices sent since `since`.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub registration: Registration,
    pub sent_since: usize,
    /// This set time's notice is recorded for them already.
    pub has_this_one: bool,
}

/// Every opted-in registrant of the service without a booking, with their notices since
/// `since` (the day's start) and whether the notice of `notice_at` went out already.
pub async fn recipients(
    db: &Db,
    service_id: i64,
    since: i64,
    notice_at: i64,
) -> Result<Vec<Recipient>, DbError> {
    type Read = (Vec<Registration>, Vec<(i64, i64)>);
    let (registrations, sent): Read = db_read!(db, |conn| {
        let registrations: Vec<Registration> = waitlist_registrations::table
            .filter(waitlist_registrations::service_id.eq(service_id))
            .filter(waitlist_registrations::notify.eq(true))
            .filter(waitlist_registrations::booking_id.is_null())
            .order(waitlist_registrations::id)
            .select(Registration::as_select())
            .load(conn)
            .await?;
        let sent: Vec<(i64, i64)> = waitlist_notices::table
            .inner_join(waitlist_registrations::table)
            .filter(waitlist_registrations::service_id.eq(service_id))
            .filter(waitlist_notices::notice_at.ge(since))
            .select((
                waitlist_notices::registration_id,
                waitlist_notices::notice_at,
            ))
            .load(conn)
            .await?;
        Ok::<_, DbError>((registrations, sent))
    })?;
    Ok(registrations
        .into_iter()
        .map(|registration| {
            let mine = sent.iter().filter(|(id, _)| *id == registration.id);
            Recipient {
                sent_since: mine.clone().count(),
                has_this_one: mine.clone().any(|(_, at)| *at == notice_at),
                registration,
            }
        })
        .collect())
}

/// Records the notice of `notice_at` for the registrant and queues its mail, in one
/// transaction; false (and nothing queued) when another instance recorded it first, or the
/// registrant booked, opted out or was deleted meanwhile. A family registered from one
/// address gets one mail per set time: the first of them to be recorded queues it.
pub async fn queue_notice(
    db: &Db,
    registration_id: i64,
    notice_at: i64,
    mail: &OutgoingMail,
    now: i64,
) -> Result<bool, DbError> {
    db_write!(db, |conn| {
        let Some((tenant_id, email)) = waitlist_registrations::table
            .find(registration_id)
            .select((
                waitlist_registrations::tenant_id,
                waitlist_registrations::email,
            ))
            .first::<(i64, String)>(conn)
            .await
            .optional()?
        else {
            return Ok(false);
        };
        // Locks the family's rows (a no-op write): a 申し込む, a 修正 or the same notice for
        // another of them, in flight on another instance, is waited for and seen.
        let family: Vec<i64> = diesel::update(
            waitlist_registrations::table
                .filter(waitlist_registrations::tenant_id.eq(tenant_id))
                .filter(waitlist_registrations::email.eq(&email)),
        )
        .set(waitlist_registrations::email.eq(&email))
        .returning(waitlist_registrations::id)
        .get_results(conn)
        .await?;
        let still_waiting: i64 = waitlist_registrations::table
            .find(registration_id)
            .filter(waitlist_registrations::notify.eq(true))
            .filter(waitlist_registrations::booking_id.is_null())
            .count()
            .get_result(conn)
            .await?;
        if still_waiting == 0 {
            return Ok(false);
        }
        let mailed: i64 = waitlist_notices::table
            .filter(waitlist_notices::registration_id.eq_any(&family))
            .filter(waitlist_notices::notice_at.eq(notice_at))
            .count()
            .get_result(conn)
            .await?;
        let recorded = diesel::insert_into(waitlist_notices::table)
            .values((
                waitlist_notices::registration_id.eq(registration_id),
                waitlist_notices::notice_at.eq(notice_at),
                waitlist_notices::queued_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        if recorded == 0 {
            return Ok(false);
        }
        if mailed == 0 {
            conn.enqueue_mail_in(Some(tenant_id), mail, now).await?;
        }
        Ok(mailed == 0)
    })
}

/// What became of a venue's posted キャンセル枠.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posted {
    Posted,
    /// No open slot of this municipality's service has that id.
    NoSuchSlot,
}

/// A venue's 「キャンセル枠」: `places` more places in the slot, for the waitlist, with the
/// audit entry. The slot plan keeps them (`slots::materialise`).
pub async fn post_places(
    db: &Db,
    by: &StaffAction,
    service_id: i64,
    slot_id: i64,
    places: i32,
) -> Result<Posted, DbError> {
    db_write!(db, |conn| {
        let slot: Option<(Date, i32, String)> = slots::table
            .inner_join(counters::table)
            .filter(slots::id.eq(slot_id))
            .filter(slots::tenant_id.eq(by.tenant_id))
            .filter(slots::service_id.eq(service_id))
            .filter(slots::closed.eq(false))
            .select((slots::day, slots::start_min, counters::name))
            .first(conn)
            .await
            .optional()?;
        let Some((day, start_min, venue)) = slot else {
            return Ok(Posted::NoSuchSlot);
        };
        diesel::update(slots::table.find(slot_id))
            .set(slots::capacity.eq(slots::capacity + places))
            .execute(conn)
            .await?;
        diesel::insert_into(waitlist_places::table)
            .values((
                waitlist_places::tenant_id.eq(by.tenant_id),
                waitlist_places::service_id.eq(service_id),
                waitlist_places::slot_id.eq(slot_id),
                waitlist_places::places.eq(places),
                waitlist_places::source.eq("venue"),
                waitlist_places::staff_user_id.eq(by.staff_user_id),
                waitlist_places::created_at.eq(by.now),
            ))
            .execute(conn)
            .await?;
        let detail = format!(
            "キャンセル枠を登録:{venue} {}月{}日 {} {places}人分",
            u8::from(day.month()),
            day.day(),
            crate::core::reminders::format_hhmm(start_min)
        );
        conn.audit_in(&by.entry("settings_change", &detail)).await?;
        Ok(Posted::Posted)
    })
}

/// One booking made through the waitlist, as the キャンセルリスト shows it: the clinic
/// identifies the 希望者 by phone and birthdate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitlistBooking {
    pub booking_id: i64,
    pub receipt_number: String,
    pub venue_id: i64,
    pub day: Date,
    pub start_min: i32,
    pub dose_number: Option<i32>,
    pub status: String,
    pub name: String,
    pub phone: String,
    /// None once the registrant deleted their registration.
    pub birthdate: Option<Date>,
}

/// The bookings made through the waitlist from `from` on, per day and time.
pub async fn bookings_from(
    db: &Db,
    service_id: i64,
    from: Date,
) -> Result<Vec<WaitlistBooking>, DbError> {
    type Row = (
        i64,
        String,
        i64,
        Date,
        i32,
        Option<i32>,
        String,
        String,
        String,
        Option<Date>,
    );
    let rows: Vec<Row> = db_read!(db, |conn| {
        Ok::<_, DbError>(
            bookings::table
                .inner_join(booking_people::table)
                .left_join(
                    waitlist_registrations::table
                        .on(waitlist_registrations::booking_id.eq(bookings::id.nullable())),
                )
                .filter(bookings::service_id.eq(service_id))
                .filter(bookings::source.eq(SOURCE))
                .filter(bookings::day.ge(from))
                .order((bookings::day, bookings::start_min, bookings::id))
                .select((
                    bookings::id,
                    bookings::receipt_number,
                    bookings::counter_id,
                    bookings::day,
                    bookings::start_min,
                    bookings::dose_number,
                    bookings::status,
                    booking_people::name,
                    booking_people::phone,
                    waitlist_registrations::birthdate.nullable(),
                ))
                .load(conn)
                .await?,
        )
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(
                booking_id,
                receipt_number,
                venue_id,
                day,
                start_min,
                dose_number,
                status,
                name,
                phone,
                birthdate,
            )| WaitlistBooking {
                booking_id,
                receipt_number,
                venue_id,
                day,
                start_min,
                dose_number,
                status,
                name,
                phone,
                birthdate,
            },
        )
        .collect())
}

/// `bookings.source` of a booking made with 「申し込む」.
pub const SOURCE: &str = "waitlist";

/// The services that have a waitlist: the offered vaccination services, with their tenant.
pub async fn services_with_waitlist(db: &Db) -> Result<Vec<(i64, i64)>, DbError> {
    db_read!(db, |conn| {
        Ok(services::table
            .filter(services::kind.eq("vaccination"))
            .filter(services::active.eq(true))
            .select((services::tenant_id, services::id))
            .load(conn)
            .await?)
    })
}

/// The open slot of the service at `venue_id` starting at `day` `start_min`.
pub async fn slot_at(
    db: &Db,
    service_id: i64,
    venue_id: i64,
    day: Date,
    start_min: i32,
) -> Result<Option<i64>, DbError> {
    db_read!(db, |conn| {
        Ok(slots::table
            .filter(slots::service_id.eq(service_id))
            .filter(slots::counter_id.eq(venue_id))
            .filter(slots::day.eq(day))
            .filter(slots::start_min.eq(start_min))
            .filter(slots::closed.eq(false))
            .select(slots::id)
            .first(conn)
            .await
            .optional()?)
    })
}
