//! Vaccination tickets (接種券): who may book a vaccination, identified by the 10-digit
//! 接種券番号 and birthdate, with the dose the ticket is for and, when known, the day of the
//! previous dose.
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use time::Date;

use super::schema::{bookings, resident_tickets};
use diesel::sql_types::{BigInt, Text};

use super::{Db, DbError, PgConn, SqliteConn};
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
        conn.upsert_tickets_in(tenant_id, service_id, rows, now)
            .await?;
        Ok(rows.len())
    })
}

/// Rows per INSERT on PostgreSQL: 10 bound values a row, far below its 65,535 parameters.
const PG_UPSERT_CHUNK: usize = 2_000;
/// Rows per INSERT on SQLite (one JSON parameter, so only memory bounds it).
const SQLITE_UPSERT_CHUNK: usize = 10_000;

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The steps of a ticket import whose SQL differs between the databases, as for the
/// notice list (db::imports): "how many of these numbers are there already" in one query
/// whatever the number of rows, and the upsert in a few large statements. Call inside a
/// write transaction.
pub trait TicketWrites {
    fn count_existing_tickets_in(
        &mut self,
        tenant_id: i64,
        numbers: &[&str],
    ) -> impl Future<Output = Result<i64, DbError>> + Send;

    fn upsert_tickets_in(
        &mut self,
        tenant_id: i64,
        service_id: i64,
        rows: &[NewTicket],
        now: i64,
    ) -> impl Future<Output = Result<(), DbError>> + Send;
}

fn iso_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

impl TicketWrites for SqliteConn {
    async fn count_existing_tickets_in(
        &mut self,
        tenant_id: i64,
        numbers: &[&str],
    ) -> Result<i64, DbError> {
        let list = serde_json::to_string(numbers).expect("strings always serialise");
        let row: CountRow = diesel::sql_query(
            "SELECT COUNT(*) AS n FROM resident_tickets WHERE tenant_id = ? \
             AND ticket_number IN (SELECT value FROM json_each(?))",
        )
        .bind::<BigInt, _>(tenant_id)
        .bind::<Text, _>(list)
        .get_result(self)
        .await?;
        Ok(row.n)
    }

    /// diesel cannot batch an upsert on SQLite: the rows go in as one JSON parameter per
    /// chunk and SQLite unpacks them (dates as diesel writes them, YYYY-MM-DD; a missing
    /// previous dose is JSON null, so NULL). `WHERE true` is SQLite's required
    /// disambiguation of INSERT … SELECT … ON CONFLICT.
    async fn upsert_tickets_in(
        &mut self,
        tenant_id: i64,
        service_id: i64,
        rows: &[NewTicket],
        now: i64,
    ) -> Result<(), DbError> {
        for chunk in rows.chunks(SQLITE_UPSERT_CHUNK) {
            let json = serde_json::to_string(
                &chunk
                    .iter()
                    .map(|r| {
                        (
                            &r.ticket_number,
                            iso_date(r.birthdate),
                            r.dose_number,
                            &r.name,
                            &r.kana,
                            r.previous_dose_on.map(iso_date),
                        )
                    })
                    .collect::<Vec<_>>(),
            )
            .expect("strings always serialise");
            diesel::sql_query(
                "INSERT INTO resident_tickets (tenant_id, service_id, ticket_number, birthdate, \
                   dose_number, name, kana, previous_dose_on, created_at, updated_at) \
                 SELECT ?, ?, json_extract(value, '$[0]'), json_extract(value, '$[1]'), \
                        json_extract(value, '$[2]'), json_extract(value, '$[3]'), \
                        json_extract(value, '$[4]'), json_extract(value, '$[5]'), ?, ? \
                 FROM json_each(?) WHERE true \
                 ON CONFLICT (tenant_id, ticket_number) DO UPDATE SET \
                   birthdate = excluded.birthdate, dose_number = excluded.dose_number, \
                   name = excluded.name, kana = excluded.kana, \
                   previous_dose_on = excluded.previous_dose_on, updated_at = excluded.updated_at",
            )
            .bind::<BigInt, _>(tenant_id)
            .bind::<BigInt, _>(service_id)
            .bind::<BigInt, _>(now)
            .bind::<BigInt, _>(now)
            .bind::<Text, _>(json)
            .execute(self)
            .await?;
        }
        Ok(())
    }
}

impl TicketWrites for PgConn {
    async fn count_existing_tickets_in(
        &mut self,
        tenant_id: i64,
        numbers: &[&str],
    ) -> Result<i64, DbError> {
        Ok(resident_tickets::table
            .filter(resident_tickets::tenant_id.eq(tenant_id))
            .filter(resident_tickets::ticket_number.eq_any(numbers))
            .count()
            .get_result(self)
            .await?)
    }

    async fn upsert_tickets_in(
        &mut self,
        tenant_id: i64,
        service_id: i64,
        rows: &[NewTicket],
        now: i64,
    ) -> Result<(), DbError> {
        for chunk in rows.chunks(PG_UPSERT_CHUNK) {
            let values: Vec<_> = chunk
                .iter()
                .map(|row| {
                    (
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
                    )
                })
                .collect();
            diesel::insert_into(resident_tickets::table)
                .values(values)
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
                .execute(self)
                .await?;
        }
        Ok(())
    }
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

/// What an admin may change on a ticket (the number is its identity and stays).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketEdit {
    pub birthdate: Date,
    pub dose_number: i32,
    pub name: String,
    pub kana: String,
    pub previous_dose_on: Option<Date>,
}

/// Saves an admin's change to the ticket `id` of `by`'s municipality with its audit entry
/// (`detail`: before → after) in the same transaction. False when there is no such ticket.
pub async fn update(
    db: &Db,
    by: &super::tenants::StaffAction,
    id: i64,
    edit: &TicketEdit,
    detail: &str,
) -> Result<bool, DbError> {
    use super::audit::AuditWrites;
    db_write!(db, |conn| {
        let updated = diesel::update(
            resident_tickets::table
                .filter(resident_tickets::tenant_id.eq(by.tenant_id))
                .filter(resident_tickets::id.eq(id)),
        )
        .set((
            resident_tickets::birthdate.eq(edit.birthdate),
            resident_tickets::dose_number.eq(edit.dose_number),
            resident_tickets::name.eq(&edit.name),
            resident_tickets::kana.eq(&edit.kana),
            resident_tickets::previous_dose_on.eq(edit.previous_dose_on),
            resident_tickets::updated_at.eq(by.now),
        ))
        .execute(conn)
        .await?;
        if updated == 0 {
            return Ok(false);
        }
        conn.audit_in(&by.entry(TICKET_CHANGE, detail)).await?;
        Ok(true)
    })
}

/// The audit action of an admin's change to a ticket.
pub const TICKET_CHANGE: &str = "ticket_change";
