//! What a vaccination booking records beyond the engine's booking (the ticket, the dose,
//! 予約者 and 繰上げ希望), read for the resident's 予約詳細.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::bookings;
use super::{Db, DbError};
use crate::db_read;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct DoseFacts {
    pub ticket_id: Option<i64>,
    pub dose_number: Option<i32>,
    pub booker_name: Option<String>,
    pub booker_phone: Option<String>,
    pub wants_earlier: bool,
}

pub async fn dose_facts(db: &Db, booking_id: i64) -> Result<Option<DoseFacts>, DbError> {
    db_read!(db, |conn| {
        Ok(bookings::table
            .find(booking_id)
            .select((
                bookings::ticket_id,
                bookings::dose_number,
                bookings::booker_name,
                bookings::booker_phone,
                bookings::wants_earlier,
            ))
            .get_result::<DoseFacts>(conn)
            .await
            .optional()?)
    })
}
