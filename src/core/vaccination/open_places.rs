//! The places a day (or a run of days) offers a resident now: the sum over its slots, where
//! a slot that is closed or whose online booking has passed its cut-off offers none. What
//! the ○△× of a calendar day and of a venue are marked from.
use crate::core::availability::Places;

/// One slot as the sum sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotPlaces {
    pub capacity: i32,
    pub taken: i32,
    /// Closed by the municipality (a closure).
    pub closed: bool,
    /// Online booking of its time is still open (the booking cut-off has not passed).
    pub bookable: bool,
}

impl SlotPlaces {
    pub fn places(self) -> Places {
        if self.closed || !self.bookable {
            Places::new(0, 0)
        } else {
            Places::from_capacity(self.capacity, self.taken)
        }
    }
}

pub fn open_places(slots: impl IntoIterator<Item = SlotPlaces>) -> Places {
    slots
        .into_iter()
        .map(SlotPlaces::places)
        .fold(Places::new(0, 0), |a, b| a + b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(capacity: i32, taken: i32, closed: bool, bookable: bool) -> SlotPlaces {
        SlotPlaces {
            capacity,
            taken,
            closed,
            bookable,
        }
    }

    #[test]
    fn closed_and_past_cutoff_slots_offer_nothing() {
        assert_eq!(open_places([]), Places::new(0, 0));
        assert_eq!(
            open_places([slot(6, 2, false, true), slot(6, 6, false, true)]),
            Places::new(4, 12)
        );
        assert_eq!(
            open_places([slot(6, 0, true, true), slot(6, 0, false, false)]),
            Places::new(0, 0)
        );
        // An over-booked slot is full, never negative.
        assert_eq!(open_places([slot(1, 3, false, true)]), Places::new(0, 1));
    }
}
