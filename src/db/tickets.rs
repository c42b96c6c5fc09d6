//! Vaccination tickets (接種券): who may book a vaccination, identified by the 10-digit
//! 接種券番号 and birthdate, with the dose the ticket is for and, when known, the day of the
//! previous dose.
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use time::Date;

use super::schema::{bookings, resident_tickets};
use super::{Db, DbError};
use crate::{db_read, db_write};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = resident_tickets)]
pub struct Ticket {
    pub id: i64,
    pub tenant_id: i64,
    pub service_id: i64,
    pub ticket_number: String,
    pub birthdate: Date,
    pub dose_number: i32,
    pub name: String,
    pub kana: String,
    pub previous_dose_on: Option<Date>,
}

/// A ticket as the municipality's list (or an admin) gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTicket {
    pub ticket_number: String,
    pub birthdate: Date,
    pub dose_number: i32,
    pub name: String,
    pub kana: String,
    pub previous_dose_on: Option<Date>,
}

/// Inserts the tickets, or updates the one with the same number (re-importing a list
/// updates, never duplicates). All or nothing. Returns the number of rows written.
pub async fn upsert_many(
    db: &Db,
    tenant_id: i64,
    service_id: i64,
    rows: &[NewTicket],
    now: i64,
) -> Result<usize, DbError> {
    db_write!(db, |conn| {
        let mut written = 0;
        for row in rows {
            written += diesel::insert_into(resident_tickets::table)
                .values((
                    resident_tickets::tenant_id.eq(tenant_id),
                    resident_tickets::service_id.eq(service_id),
                    resident_tickets::ticket_number.eq(&row.ticket_number),
                    resident_tickets::birthdate.eq(row.birthdate),
                    resident_tickets::dose_number.eq(row.dose_number),
                    resident_tickets::name.eq(&row.name),
                    resident_tickets::kana.eq(&row.kana),
                    resident_tickets::previous_dose_on.eq(row.previous_dose_on),
                    resident_tickets::created_at.eq(now),
                    resident_tickets::updated_at.eq(now),
                ))
                .on_conflict((resident_tickets::tenant_id, resident_tickets::ticket_number))
                .do_update()
                .set((
                    resident_tickets::birthdate.eq(excluded(resident_tickets::birthdate)),
                    resident_tickets::dose_number.eq(excluded(resident_tickets::dose_number)),
                    resident_tickets::name.eq(excluded(resident_tickets::name)),
                    resident_tickets::kana.eq(excluded(resident_tickets::kana)),
                    resident_tickets::previous_dose_on
                        .eq(excluded(resident_tickets::previous_dose_on)),
                    resident_tickets::updated_at.eq(excluded(resident_tickets::updated_at)),
                ))
                .execute(conn)
                .await?;
        }
        Ok(written)
    })
}

/// The ticket with this number in this municipality, whatever its birthdate: the caller
/// compares the birthdate (and counts a mismatch as a failed login).
pub async fn find_by_number(
    db: &Db,
    tenant_id: i64,
    ticket_number: &str,
) -> Result<Option<Ticket>, DbError> {
    db_read!(db, |conn| {
        Ok(resident_tickets::table
            .filter(resident_tickets::tenant_id.eq(tenant_id))
            .filter(resident_tickets::ticket_number.eq(ticket_number))
            .select(Ticket::as_select())
            .get_result(conn)
            .await
            .optional()?)
    })
}

/// The ticket `id` if it belongs to `tenant_id` (a session or a URL never reaches another
/// municipality's ticket).
pub async fn find(db: &Db, tenant_id: i64, id: i64) -> Result<Option<Ticket>, DbError> {
    db_read!(db, |conn| {
        Ok(resident_tickets::table
            .filter(resident_tickets::tenant_id.eq(tenant_id))
            .filter(resident_tickets::id.eq(id))
            .select(Ticket::as_select())
            .get_result(conn)
            .await
            .optional()?)
    })
}

pub async fn count(db: &Db, tenant_id: i64) -> Result<i64, DbError> {
    db_read!(db, |conn| {
        Ok(resident_tickets::table
            .filter(resident_tickets::tenant_id.eq(tenant_id))
            .count()
            .get_result(conn)
            .await?)
    })
}

/// The tenant's tickets in number order, at most `limit`.
pub async fn list(db: &Db, tenant_id: i64, limit: i64) -> Result<Vec<Ticket>, DbError> {
    db_read!(db, |conn| {
        Ok(resident_tickets::table
            .filter(resident_tickets::tenant_id.eq(tenant_id))
            .order(resident_tickets::ticket_number)
            .limit(limit)
            .select(Ticket::as_select())
            .load(conn)
            .await?)
    })
}

/// The ticket's bookings that are not cancelled, as (booking id, dose number, day): what the
/// マイページ lists and what the interval of the next dose counts from.
pub async fn active_bookings(db: &Db, ticket_id: i64) -> Result<Vec<(i64, i32, Date)>, DbError> {
    db_read!(db, |conn| {
        let rows: Vec<(i64, Option<i32>, Date)> = bookings::table
            .filter(bookings::ticket_id.eq(ticket_id))
            .filter(bookings::status.eq("booked"))
            .order(bookings::dose_number)
            .select((bookings::id, bookings::dose_number, bookings::day))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, dose, day)| dose.map(|d| (id, d, day)))
            .collect())
    })
}
