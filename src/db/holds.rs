//! 仮押さえ: places taken for a few minutes while the resident confirms; released on expiry.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::Date;

use super::schema::{hold_slots, holds, slots};
use super::slots::SlotWrites;
use super::{Db, DbError};
use crate::{db_read, db_write};

/// An active or past hold with the span of time it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub id: i64,
    pub tenant_id: i64,
    pub counter_id: i64,
    pub party_size: i32,
    pub placed_at: i64,
    pub expires_at: i64,
    pub state: String,
    pub day: Date,
    pub start_min: i32,
    pub end_min: i32,
    pub slot_ids: Vec<i64>,
}

impl Hold {
    pub fn is_live(&self, now: i64) -> bool {
        self.state == "active" && self.expires_at > now
    }
}

/// Where and when a run of slots is: the first slot's start to the last slot's end.
pub struct Span {
    pub counter_id: i64,
    pub day: Date,
    pub start_min: i32,
    pub end_min: i32,
}

pub struct NewHold<'a> {
    pub tenant_id: i64,
    pub counter_id: i64,
    /// The contiguous run, in order: one place in each.
    pub slot_ids: &'a [i64],
    /// The hold this one replaces (the resident chose another time): released in the same
    /// transaction, so a lost race leaves the old hold in place.
    pub replaces: Option<i64>,
    pub now: i64,
    pub expires_at: i64,
}

/// Places a hold, or returns None when any slot of the run was taken meanwhile.
pub async fn place(db: &Db, new: &NewHold<'_>) -> Result<Option<i64>, DbError> {
    let outcome = db_write!(db, |conn| {
        if let Some(old) = new.replaces {
            conn.release_hold_in(old, "released").await?;
        }
        conn.take_places_in(new.slot_ids).await?;
        let id: i64 = diesel::insert_into(holds::table)
            .values((
                holds::tenant_id.eq(new.tenant_id),
                holds::counter_id.eq(new.counter_id),
                holds::party_size.eq(new.slot_ids.len() as i32),
                holds::placed_at.eq(new.now),
                holds::expires_at.eq(new.expires_at),
            ))
            .returning(holds::id)
            .get_result(conn)
            .await?;
        for (position, slot_id) in new.slot_ids.iter().enumerate() {
            diesel::insert_into(hold_slots::table)
                .values((
                    hold_slots::hold_id.eq(id),
                    hold_slots::slot_id.eq(slot_id),
                    hold_slots::position.eq(position as i32),
                ))
                .execute(conn)
                .await?;
        }
        Ok(id)
    });
    match outcome {
        Ok(id) => Ok(Some(id)),
        Err(DbError::Conflict(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn find(db: &Db, hold_id: i64) -> Result<Option<Hold>, DbError> {
    db_read!(db, |conn| {
        let row: Option<(i64, i64, i64, i32, i64, i64, String)> = holds::table
            .find(hold_id)
            .select((
                holds::id,
                holds::tenant_id,
                holds::counter_id,
                holds::party_size,
                holds::placed_at,
                holds::expires_at,
                holds::state,
            ))
            .get_result(conn)
            .await
            .optional()?;
        let Some((id, tenant_id, counter_id, party_size, placed_at, expires_at, state)) = row
        else {
            return Ok(None);
        };
        let spans: Vec<(i64, Date, i32, i32)> = hold_slots::table
            .inner_join(slots::table)
            .filter(hold_slots::hold_id.eq(id))
            .order(hold_slots::position)
            .select((slots::id, slots::day, slots::start_min, slots::end_min))
            .load(conn)
            .await?;
        let (Some(first), Some(last)) = (<[_]>::first(&spans), spans.last()) else {
            return Ok(None);
        };
        Ok(Some(Hold {
            id,
            tenant_id,
            counter_id,
            party_size,
            placed_at,
            expires_at,
            state,
            day: first.1,
            start_min: first.2,
            end_min: last.3,
            slot_ids: spans.iter().map(|s| s.0).collect(),
        }))
    })
}

/// Moves a live hold's expiry; false when it is no longer live.
pub async fn extend(db: &Db, hold_id: i64, new_expiry: i64, now: i64) -> Result<bool, DbError> {
    db_write!(db, |conn| {
        let updated = diesel::update(
            holds::table
                .find(hold_id)
                .filter(holds::state.eq("active"))
                .filter(holds::expires_at.gt(now)),
        )
        .set(holds::expires_at.eq(new_expiry))
        .execute(conn)
        .await?;
        Ok(updated == 1)
    })
}

/// Gives back the places of holds that have expired. Safe with several instances: the
/// state change is guarded, so each hold's places are released exactly once.
pub async fn release_expired(db: &Db, now: i64) -> Result<usize, DbError> {
    db_write!(db, |conn| {
        let expired: Vec<i64> = holds::table
            .filter(holds::state.eq("active"))
            .filter(holds::expires_at.le(now))
            .select(holds::id)
            .limit(500)
            .load(conn)
            .await?;
        let mut released = 0;
        for id in expired {
            if conn.release_hold_in(id, "expired").await? {
                released += 1;
            }
        }
        Ok(released)
    })
}

/// Steps on holds inside a caller's write transaction.
pub trait HoldWrites {
    /// Ends an active hold (state becomes `new_state`) and gives its places back. False when
    /// it was not active (already released, expired or booked).
    fn release_hold_in(
        &mut self,
        hold_id: i64,
        new_state: &'static str,
    ) -> impl Future<Output = Result<bool, DbError>> + Send;
    /// Turns a live hold into a booking's places: the hold ends as `booked` and its slot ids
    /// are returned in order with the time they cover; None when it is no longer live
    /// (expired or gone).
    fn convert_hold_in(
        &mut self,
        hold_id: i64,
        now: i64,
    ) -> impl Future<Output = Result<Option<(Vec<i64>, Span)>, DbError>> + Send;
}

crate::impl_for_both_backends!(HoldWrites {
    async fn release_hold_in(&mut self, hold_id: i64, new_state: &'static str) -> Result<bool, DbError> {
        let updated = diesel::update(
            holds::table.find(hold_id).filter(holds::state.eq("active")),
        )
        .set(holds::state.eq(new_state))
        .execute(self)
        .await?;
        if updated != 1 {
            return Ok(false);
        }
        let slot_ids: Vec<i64> = hold_slots::table
            .filter(hold_slots::hold_id.eq(hold_id))
            .select(hold_slots::slot_id)
            .load(self)
            .await?;
        self.release_places_in(&slot_ids).await?;
        Ok(true)
    }

    async fn convert_hold_in(
        &mut self,
        hold_id: i64,
        now: i64,
    ) -> Result<Option<(Vec<i64>, Span)>, DbError> {
        let updated = diesel::update(
            holds::table
                .find(hold_id)
                .filter(holds::state.eq("active"))
                .filter(holds::expires_at.gt(now)),
        )
        .set(holds::state.eq("booked"))
        .execute(self)
        .await?;
        if updated != 1 {
            return Ok(None);
        }
        // The slots and the time they cover in one statement (a booking is a handful of
        // round trips; each one counts under a rush).
        let held: Vec<(i64, i64, Date, i32, i32)> = hold_slots::table
            .inner_join(slots::table)
            .filter(hold_slots::hold_id.eq(hold_id))
            .order(hold_slots::position)
            .select((
                slots::id,
                slots::counter_id,
                slots::day,
                slots::start_min,
                slots::end_min,
            ))
            .load(self)
            .await?;
        let (Some(first), Some(last)) = (<[_]>::first(&held), held.last()) else {
            return Ok(None);
        };
        let span = Span {
            counter_id: first.1,
            day: first.2,
            start_min: first.3,
            end_min: last.4,
        };
        Ok(Some((held.iter().map(|h| h.0).collect(), span)))
    }
});

/// Releases a hold the resident no longer needs (e.g. they cancelled instead of moving).
pub async fn release(db: &Db, hold_id: i64) -> Result<bool, DbError> {
    db_write!(db, |conn| {
        conn.release_hold_in(hold_id, "released").await
    })
}
