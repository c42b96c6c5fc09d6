//! Why a schedule change was refused: the bookings in the slots it would remove or shrink,
//! told apart from places only short holds are in.
use std::collections::{BTreeMap, HashMap, HashSet};

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::Date;

use crate::core::schedule::SlotConflict;
use crate::db::DbError;
use crate::db::schema::{booking_slots, bookings, counters};

/// A booking that a refused change would have stranded.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct AffectedBooking {
    pub booking_id: i64,
    /// As stored (digits only); format it for people with `core::receipt::format_receipt`.
    pub receipt_number: String,
    pub day: Date,
    pub start_min: i32,
    pub end_min: i32,
    pub counter_name: String,
    pub party_size: i32,
}

/// Why a change was refused: the bookings it would strand, and whether places held for a
/// few minutes (仮押さえ) are in the way too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refusal {
    pub bookings: Vec<AffectedBooking>,
    /// Some conflicting slot is taken by holds rather than bookings; retry in a few minutes.
    pub held: bool,
}

impl Refusal {
    pub fn is_empty(&self) -> bool {
        self.bookings.is_empty() && !self.held
    }
}

/// The refusal's storage step inside `apply`'s (or the page's) transaction.
pub(super) trait RefusalReads {
    /// The bookings in the conflicting slots, in one query.
    fn refusal_in(
        &mut self,
        tenant_id: i64,
        conflicts: &[SlotConflict],
    ) -> impl Future<Output = Result<Refusal, DbError>> + Send;
}

crate::impl_for_both_backends!(RefusalReads {

    async fn refusal_in(
        &mut self,
        tenant_id: i64,
        conflicts: &[SlotConflict],
    ) -> Result<Refusal, DbError> {
        let slot_ids: Vec<i64> = conflicts.iter().map(conflict_slot).collect();
        let rows: Vec<BookedInSlot> = booking_slots::table
            .inner_join(bookings::table.inner_join(counters::table))
            .filter(booking_slots::slot_id.eq_any(&slot_ids))
            .filter(bookings::tenant_id.eq(tenant_id))
            .filter(bookings::status.eq("booked"))
            .select((
                booking_slots::slot_id,
                (
                    bookings::id,
                    bookings::receipt_number,
                    bookings::day,
                    bookings::start_min,
                    bookings::end_min,
                    counters::name,
                    bookings::party_size,
                ),
            ))
            .load(self)
            .await?;
        Ok(refusal_from(conflicts, rows))
    }
});

/// A booking found in a conflicting slot: the slot, then the booking as listed.
#[derive(Queryable)]
struct BookedInSlot {
    slot_id: i64,
    booking: AffectedBooking,
}

fn conflict_slot(conflict: &SlotConflict) -> i64 {
    match conflict {
        SlotConflict::CapacityBelowTaken { slot_id, .. }
        | SlotConflict::RemovedWhileTaken { slot_id, .. } => *slot_id,
    }
}

/// Sorts the conflicts into those bookings explain (listed) and those only holds explain.
/// A removed slot is in the bookings' way as soon as one is in it; a shrunk slot when more
/// people booked it than the new capacity allows.
fn refusal_from(conflicts: &[SlotConflict], rows: Vec<BookedInSlot>) -> Refusal {
    let mut booked_in: HashMap<i64, i32> = HashMap::new();
    for row in &rows {
        *booked_in.entry(row.slot_id).or_default() += 1;
    }
    let mut blocking_slots = HashSet::new();
    let mut held = false;
    for conflict in conflicts {
        let slot = conflict_slot(conflict);
        let booked = booked_in.get(&slot).copied().unwrap_or(0);
        let by_bookings = match conflict {
            SlotConflict::CapacityBelowTaken { wanted, .. } => booked > *wanted,
            SlotConflict::RemovedWhileTaken { .. } => booked > 0,
        };
        if by_bookings {
            blocking_slots.insert(slot);
        } else {
            held = true;
        }
    }
    let mut bookings: BTreeMap<i64, AffectedBooking> = BTreeMap::new();
    for row in rows {
        if blocking_slots.contains(&row.slot_id) {
            bookings
                .entry(row.booking.booking_id)
                .or_insert(row.booking);
        }
    }
    let mut bookings: Vec<AffectedBooking> = bookings.into_values().collect();
    bookings.sort_by(|a, b| {
        (a.day, a.start_min, &a.counter_name, a.booking_id).cmp(&(
            b.day,
            b.start_min,
            &b.counter_name,
            b.booking_id,
        ))
    });
    Refusal { bookings, held }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::schedule::SlotKey;
    use time::macros::date;

    fn key(start_min: i32) -> SlotKey {
        SlotKey {
            counter_id: 1,
            service_id: 1,
            day: date!(2026 - 12 - 03),
            start_min,
        }
    }

    fn booked(slot_id: i64, booking_id: i64, start_min: i32) -> BookedInSlot {
        BookedInSlot {
            slot_id,
            booking: AffectedBooking {
                booking_id,
                receipt_number: format!("{booking_id:010}"),
                day: date!(2026 - 12 - 03),
                start_min,
                end_min: start_min + 30,
                counter_name: "本庁舎".into(),
                party_size: 2,
            },
        }
    }

    #[test]
    fn bookings_in_the_way_are_listed_once_and_holds_are_told_apart() {
        let conflicts = [
            // Removed with one booking (a pair over two slots) in it.
            SlotConflict::RemovedWhileTaken {
                slot_id: 10,
                key: key(600),
                taken: 1,
                reason: None,
            },
            SlotConflict::RemovedWhileTaken {
                slot_id: 11,
                key: key(615),
                taken: 1,
                reason: None,
            },
            // Two taken, one wanted, but only one of them booked: the other is a hold.
            SlotConflict::CapacityBelowTaken {
                slot_id: 20,
                key: key(540),
                taken: 2,
                wanted: 1,
            },
        ];
        let refusal = refusal_from(
            &conflicts,
            vec![booked(11, 7, 600), booked(10, 7, 600), booked(20, 8, 540)],
        );
        let ids: Vec<i64> = refusal.bookings.iter().map(|b| b.booking_id).collect();
        assert_eq!(
            ids,
            vec![7],
            "booking 8 fits the new capacity; 7 listed once"
        );
        assert!(refusal.held);

        let only_holds = refusal_from(&conflicts[2..], vec![]);
        assert!(only_holds.bookings.is_empty() && only_holds.held);
        assert!(refusal_from(&[], vec![]).is_empty());
    }
}
