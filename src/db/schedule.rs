//! Opening templates and closures: what slots are materialised from.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::Date;

use super::schema::{closures, opening_templates};
use super::{Db, DbError};
use crate::db_write;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = opening_templates)]
pub struct NewOpeningTemplate {
    pub counter_id: i64,
    pub service_id: i64,
    /// 1 = Monday .. 7 = Sunday.
    pub weekday: i32,
    pub opens_min: i32,
    pub closes_min: i32,
    pub slot_min: i32,
    pub clerks: i32,
}

pub async fn add_opening_templates(db: &Db, rows: &[NewOpeningTemplate]) -> Result<(), DbError> {
    db_write!(db, |conn| {
        // One statement per row: diesel's multi-row insert is not available for SQLite
        // through the async wrapper.
        for row in rows {
            diesel::insert_into(opening_templates::table)
                .values(row)
                .execute(conn)
                .await?;
        }
        Ok(())
    })
}

/// Sets the number of parallel clerks on every template of a counter for one weekday.
pub async fn set_clerks(
    db: &Db,
    counter_id: i64,
    weekday: i32,
    clerks: i32,
) -> Result<usize, DbError> {
    db_write!(db, |conn| {
        Ok(diesel::update(
            opening_templates::table
                .filter(opening_templates::counter_id.eq(counter_id))
                .filter(opening_templates::weekday.eq(weekday)),
        )
        .set(opening_templates::clerks.eq(clerks))
        .execute(conn)
        .await?)
    })
}

/// Removes a counter's templates for one weekday (the counter no longer opens that day).
pub async fn remove_weekday(db: &Db, counter_id: i64, weekday: i32) -> Result<usize, DbError> {
    db_write!(db, |conn| {
        Ok(diesel::delete(
            opening_templates::table
                .filter(opening_templates::counter_id.eq(counter_id))
                .filter(opening_templates::weekday.eq(weekday)),
        )
        .execute(conn)
        .await?)
    })
}

/// Closes one counter (or, with `counter_id` None, every counter) from `first_day` to
/// `last_day` inclusive.
pub async fn add_closure(
    db: &Db,
    tenant_id: i64,
    counter_id: Option<i64>,
    first_day: Date,
    last_day: Date,
    reason: &str,
) -> Result<i64, DbError> {
    db_write!(db, |conn| {
        Ok(diesel::insert_into(closures::table)
            .values((
                closures::tenant_id.eq(tenant_id),
                closures::counter_id.eq(counter_id),
                closures::first_day.eq(first_day),
                closures::last_day.eq(last_day),
                closures::reason.eq(reason),
            ))
            .returning(closures::id)
            .get_result(conn)
            .await?)
    })
}
