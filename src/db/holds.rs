//! 仮押さえ: places taken for a few minutes while the resident confirms; released on expiry.
//!
//! An expired hold never stands in anyone's way, and its places are given back exactly once.
//! A hold is expired from the second `expires_at` is reached, whatever its stored state says:
//!
//! - every read of free places (the grid, the run a resident chooses) counts the places of
//!   holds still marked `active` but past their expiry as free ([`super::slots`]);
//! - a new hold first expires the expired holds on the slots it wants ([`place`]), so the
//!   place it counted free is free in the slot's `taken` too;
//! - the confirmation that refuses an expired hold expires it ([`expire`]);
//! - the background job only tidies up what nobody has looked at ([`release_expired`]).
//!
//! All of them go through one guarded step, [`HoldWrites::expire_hold_in`]: the hold's state
//! moves from `active` to `expired` only while it is `active` and past its expiry, and only
//! the statement that moved it gives the places back. On PostgreSQL a second writer waits on
//! the hold's row and then finds it no longer `active`; on SQLite writers take turns. So
//! however many requests and instances see the same expired hold, `taken` goes down once.
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

    /// Past its time: released as expired already, or still marked active but no longer live.
    pub fn has_expired(&self, now: i64) -> bool {
        self.state == "expired" || (self.state == "active" && self.expires_at <= now)
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
///
/// Holds on these slots that expired but were not released yet are released first, so a
/// place the grid showed free is free here too. That happens before, not inside, the
/// transaction that takes the places: each expiry locks one hold and then its slots, like
/// every other release, and holds nothing else (no lock held while waiting for another,
/// hence no deadlock on PostgreSQL with a resident who is changing time meanwhile).
pub async fn place(db: &Db, new: &NewHold<'_>) -> Result<Option<i64>, DbError> {
    expire_on_slots(db, new.slot_ids, new.now).await?;
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

/// The hold as its holder sees it at `now`: one that has expired but was still marked
/// active is expired right here (its places given back, once), so the page that tells the
/// holder 「仮押さえの有効期限が切れました」 has already freed the time they will choose again.
pub async fn find_as_of(db: &Db, hold_id: i64, now: i64) -> Result<Option<Hold>, DbError> {
    let Some(mut hold) = find(db, hold_id).await? else {
        return Ok(None);
    };
    if hold.state == "active" && hold.expires_at <= now {
        expire(db, hold_id, now).await?;
        hold.state = "expired".to_string();
    }
    Ok(Some(hold))
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

/// Gives back the places of holds that expired and that nobody has looked at since (a
/// resident who walked away): the background job's tidying. A hold already expired by a
/// request is not `active` any more and is not touched again. Each hold is expired in a
/// transaction of its own, oldest first, so the job holds no lock while waiting for another.
pub async fn release_expired(db: &Db, now: i64) -> Result<usize, DbError> {
    let expired: Vec<i64> = db_read!(db, |conn| {
        Ok(holds::table
            .filter(holds::state.eq("active"))
            .filter(holds::expires_at.le(now))
            .order(holds::id)
            .select(holds::id)
            .limit(500)
            .load(conn)
            .await?)
    })?;
    let mut released = 0;
    for id in expired {
        if expire(db, id, now).await? {
            released += 1;
        }
    }
    Ok(released)
}

/// Gives back the places of `hold_id` if it has expired and nobody has yet: true when this
/// call did. A live hold, or one already released, booked or expired, is left as it is.
pub async fn expire(db: &Db, hold_id: i64, now: i64) -> Result<bool, DbError> {
    db_write!(db, |conn| { conn.expire_hold_in(hold_id, now).await })
}

/// Expires every hold on any of `slot_ids` that is past its expiry and still `active`;
/// returns how many this call released.
pub async fn expire_on_slots(db: &Db, slot_ids: &[i64], now: i64) -> Result<usize, DbError> {
    let expired: Vec<i64> = db_read!(db, |conn| {
        Ok(hold_slots::table
            .inner_join(holds::table)
            .filter(hold_slots::slot_id.eq_any(slot_ids))
            .filter(holds::state.eq("active"))
            .filter(holds::expires_at.le(now))
            .order(holds::id)
            .select(holds::id)
            .distinct()
            .load(conn)
            .await?)
    })?;
    let mut released = 0;
    for id in expired {
        if expire(db, id, now).await? {
            released += 1;
        }
    }
    Ok(released)
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
    /// Ends a hold that is `active` and past its expiry at `now` (state becomes `expired`)
    /// and gives its places back; false when it is live, or no longer active. The one step
    /// every path that sees an expired hold takes (see the module's comment).
    fn expire_hold_in(
        &mut self,
        hold_id: i64,
        now: i64,
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
        self.give_back_places_of_in(hold_id).await?;
        Ok(true)
    }

    async fn expire_hold_in(&mut self, hold_id: i64, now: i64) -> Result<bool, DbError> {
        // The expiry is in the guard, not only in the caller's read: a hold extended since
        // the caller looked is live again and keeps its places.
        let updated = diesel::update(
            holds::table
                .find(hold_id)
                .filter(holds::state.eq("active"))
                .filter(holds::expires_at.le(now)),
        )
        .set(holds::state.eq("expired"))
        .execute(self)
        .await?;
        if updated != 1 {
            return Ok(false);
        }
        self.give_back_places_of_in(hold_id).await?;
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

/// The places of a hold whose state this transaction has just ended.
trait HeldPlaces {
    fn give_back_places_of_in(
        &mut self,
        hold_id: i64,
    ) -> impl Future<Output = Result<(), DbError>> + Send;
}

crate::impl_for_both_backends!(HeldPlaces {
    async fn give_back_places_of_in(&mut self, hold_id: i64) -> Result<(), DbError> {
        // In the run's order, the order places are taken in, so two writers lock a group's
        // slots in the same order.
        let slot_ids: Vec<i64> = hold_slots::table
            .filter(hold_slots::hold_id.eq(hold_id))
            .order(hold_slots::position)
            .select(hold_slots::slot_id)
            .load(self)
            .await?;
        self.release_places_in(&slot_ids).await
    }
});

/// Releases a hold the resident no longer needs (e.g. they cancelled instead of moving).
pub async fn release(db: &Db, hold_id: i64) -> Result<bool, DbError> {
    db_write!(db, |conn| {
        conn.release_hold_in(hold_id, "released").await
    })
}
