//! Vaccination bookings as the console sees them: each booking's ticket and dose (and its
//! 予約者 and 繰上げ希望), and a ticket's bookings of every status. The bookings, their
//! slots and their people are the engine's (`bookings`, `roster`); this reads the columns
//! a vaccination booking adds. Every query is filtered by the tenant.
use std::collections::HashMap;

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::Date;

use super::schema::{bookings, resident_tickets};
use super::{Db, DbError};
use crate::db_read;

/// What a vaccination booking records beyond the engine's booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoseFacts {
    pub ticket_id: i64,
    /// The ten digits: mask them (`TicketNumber::masked`) wherever the full number is not
    /// needed.
    pub ticket_number: String,
    pub birthdate: Date,
    pub dose_number: i32,
    pub booker_name: Option<String>,
    pub booker_phone: Option<String>,
    pub wants_earlier: bool,
}

type FactsRow = (
    i64,
    Option<i64>,
    Option<i32>,
    Option<String>,
    Option<String>,
    bool,
);

/// The ticket and dose of each of these bookings that is a vaccination booking of
/// `tenant_id`, by booking id. Two queries, however many bookings.
pub async fn facts(
    db: &Db,
    tenant_id: i64,
    booking_ids: &[i64],
) -> Result<HashMap<i64, DoseFacts>, DbError> {
    if booking_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let (rows, tickets) = db_read!(db, |conn| {
        let rows: Vec<FactsRow> = bookings::table
            .filter(bookings::tenant_id.eq(tenant_id))
            .filter(bookings::id.eq_any(booking_ids))
            .filter(bookings::ticket_id.is_not_null())
            .select((
                bookings::id,
                bookings::ticket_id,
                bookings::dose_number,
                bookings::booker_name,
                bookings::booker_phone,
                bookings::wants_earlier,
            ))
            .load(conn)
            .await?;
        let ticket_ids: Vec<i64> = rows.iter().filter_map(|r| r.1).collect();
        let tickets: Vec<(i64, String, Date)> = resident_tickets::table
            .filter(resident_tickets::tenant_id.eq(tenant_id))
            .filter(resident_tickets::id.eq_any(&ticket_ids))
            .select((
                resident_tickets::id,
                resident_tickets::ticket_number,
                resident_tickets::birthdate,
            ))
            .load(conn)
            .await?;
        Ok((rows, tickets))
    })?;
    let tickets: HashMap<i64, (String, Date)> = tickets
        .into_iter()
        .map(|(id, number, birthdate)| (id, (number, birthdate)))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(
            |(id, ticket_id, dose, booker_name, booker_phone, wants_earlier)| {
                let ticket_id = ticket_id?;
                let (ticket_number, birthdate) = tickets.get(&ticket_id)?.clone();
                Some((
                    id,
                    DoseFacts {
                        ticket_id,
                        ticket_number,
                        birthdate,
                        dose_number: dose.unwrap_or(0),
                        booker_name,
                        booker_phone,
                        wants_earlier,
                    },
                ))
            },
        )
        .collect())
}

/// One booking of a ticket, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct TicketBooking {
    pub id: i64,
    pub receipt_number: String,
    pub counter_id: i64,
    pub dose_number: Option<i32>,
    pub day: Date,
    pub start_min: i32,
    pub end_min: i32,
    pub status: String,
}

/// Every booking of the ticket (cancelled and missed ones too), by dose then day: the
/// console's 予約履歴 of one person.
pub async fn of_ticket(
    db: &Db,
    tenant_id: i64,
    ticket_id: i64,
) -> Result<Vec<TicketBooking>, DbError> {
    db_read!(db, |conn| {
        Ok(bookings::table
            .filter(bookings::tenant_id.eq(tenant_id))
            .filter(bookings::ticket_id.eq(ticket_id))
            .order((
                bookings::dose_number,
                bookings::day,
                bookings::start_min,
                bookings::id,
            ))
            .select((
                bookings::id,
                bookings::receipt_number,
                bookings::counter_id,
                bookings::dose_number,
                bookings::day,
                bookings::start_min,
                bookings::end_min,
                bookings::status,
            ))
            .load(conn)
            .await?)
    })
}

/// The booking a confirmation's idempotency key made, if it is this tenant's: a second
/// press of 予約を確定する finds the first press's booking.
pub async fn by_key(db: &Db, tenant_id: i64, key: &str) -> Result<Option<i64>, DbError> {
    db_read!(db, |conn| {
        Ok(bookings::table
            .filter(bookings::tenant_id.eq(tenant_id))
            .filter(bookings::idempotency_key.eq(key))
            .select(bookings::id)
            .get_result(conn)
            .await
            .optional()?)
    })
}
