//! The 予約日選択 grid: which counter slots a group may pick (days as columns, times as rows) and how the grid pages.

use std::collections::HashMap;

use time::{Date, Duration, PrimitiveDateTime};

use crate::core::deadline::{Cutoff, slot_start};
use crate::core::month_calendar::add_months;

/// One bookable time slot at one counter, as the grid sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotView {
    pub id: i64,
    pub day: Date,
    /// Minutes after local (JST) midnight.
    pub start_min: i32,
    pub end_min: i32,
    pub capacity: i32,
    pub taken: i32,
}

impl SlotView {
    /// Places still free. Never negative: an over-booked slot (capacity lowered after
    /// bookings were made) is simply full.
    pub fn free(&self) -> i32 {
        self.capacity.saturating_sub(self.taken).max(0)
    }

    /// A slot that does not end after it starts is corrupt data; it is never shown or booked,
    /// and excluding it also stops a zero-length slot from "following" itself in a run.
    fn is_well_formed(&self) -> bool {
        self.end_min > self.start_min
    }

    fn starts_at(&self) -> PrimitiveDateTime {
        slot_start(self.day, self.start_min)
    }
}

/// The time rules a municipality sets for online booking, evaluated at `now` (JST).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingRules {
    pub now: PrimitiveDateTime,
    /// The last bookable day is today + `window_days` (inclusive).
    pub window_days: i32,
    /// When online booking of a slot closes (「予約日前日の17:00まで」, 「60分前まで」), so the
    /// counter can prepare the card.
    pub booking_cutoff: Cutoff,
    /// When a booking can no longer be changed or cancelled online.
    pub change_cutoff: Cutoff,
    /// Whether a slot already past `change_cutoff` may still be booked (then it is marked,
    /// and the resident is told before booking that it cannot be changed online).
    pub late_booking_allowed: bool,
}

impl BookingRules {
    pub fn today(&self) -> Date {
        self.now.date()
    }

    /// Today + `window_days`. A negative window is treated as 0 (today only) so the
    /// paging range is never empty.
    pub fn last_bookable_day(&self) -> Date {
        self.today()
            .saturating_add(Duration::days(i64::from(self.window_days.max(0))))
    }

    /// Whether the slot's time may be chosen at all (capacity is not considered): its
    /// booking cut-off has not passed (nor, unless late booking is allowed, its change
    /// deadline) and it lies on or before the last bookable day.
    ///
    /// A slot that has already started is never bookable, whatever the cut-off says.
    pub fn is_bookable(&self, slot: &SlotView) -> bool {
        self.time_unavailability(slot).is_none()
    }

    /// Whether online booking of a visit starting at `start` is still open; the same test
    /// as the grid's, for a hold or a confirmation that arrives later.
    ///
    /// Booking is still open at its cut-off moment itself (a slot exactly 60 minutes away
    /// with a 60-minute cut-off, as `same_day_cutoff_min` always meant), while a change is
    /// already too late at its deadline (as `cancel_deadline_hours` always meant): both
    /// keep what the settings stored before the days form existed.
    pub fn booking_open(&self, start: PrimitiveDateTime) -> bool {
        self.booking_cutoff.is_open_through(start, self.now)
            && (self.late_booking_allowed || self.change_cutoff.is_open(start, self.now))
    }

    /// Whether a booking made now for `start` could no longer be changed or cancelled online.
    pub fn past_change_deadline(&self, start: PrimitiveDateTime) -> bool {
        !self.change_cutoff.is_open(start, self.now)
    }

    /// Why the slot's time rules it out, if they do. Too soon is reported as `Past`: to the
    /// resident a slot inside the cut-off is just as gone as one that has started.
    fn time_unavailability(&self, slot: &SlotView) -> Option<Unavailability> {
        if slot.day > self.last_bookable_day() {
            Some(Unavailability::BeyondWindow)
        } else if !self.booking_open(slot.starts_at()) {
            Some(Unavailability::Past)
        } else {
            None
        }
    }

    /// A slot a person could actually be put into right now.
    fn is_usable(&self, slot: &SlotView) -> bool {
        slot.is_well_formed() && self.is_bookable(slot) && slot.free() >= 1
    }
}

/// Slots of one counter keyed by where they start, so a run can find "the slot that starts
/// where this one ends" directly. With duplicates (which one counter should never have)
/// the first in the input wins, so results do not depend on hashing.
struct SlotIndex<'a> {
    by_start: HashMap<(Date, i32), &'a SlotView>,
    by_id: HashMap<i64, &'a SlotView>,
}

impl<'a> SlotIndex<'a> {
    fn new(slots: &'a [SlotView]) -> Self {
        let mut by_start = HashMap::new();
        let mut by_id = HashMap::new();
        for slot in slots.iter().filter(|s| s.is_well_formed()) {
            by_start.entry((slot.day, slot.start_min)).or_insert(slot);
            by_id.entry(slot.id).or_insert(slot);
        }
        Self { by_start, by_id }
    }

    /// The N slots a group starting at `first` would occupy, one person per slot.
    fn run_from(&self, first: &'a SlotView, party: i32, rules: &BookingRules) -> Option<Vec<i64>> {
        if party < 1 || !rules.is_usable(first) {
            return None;
        }
        let mut ids = Vec::with_capacity(usize::try_from(party).unwrap_or(0));
        ids.push(first.id);
        let mut current = first;
        for _ in 1..party {
            // Only a slot starting exactly at the previous end counts: a break (lunch,
            // cleaning) in between would split the group across two separate visits.
            let next = self.by_start.get(&(current.day, current.end_min))?;
            if !rules.is_usable(next) {
                return None;
            }
            ids.push(next.id);
            current = next;
        }
        Some(ids)
    }
}

/// The slots a group of `party` people would take if they start at `first_slot_id`:
/// `Some(ids, in order)` only if all N are contiguous (same day, each starting where the
/// previous ends), bookable and each has a free place. `slots` are one counter's slots.
pub fn contiguous_run(
    slots: &[SlotView],
    first_slot_id: i64,
    party: i32,
    rules: &BookingRules,
) -> Option<Vec<i64>> {
    let index = SlotIndex::new(slots);
    let first = index.by_id.get(&first_slot_id)?;
    index.run_from(first, party, rules)
}

/// What one grid cell shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// No slot at this day/time (closed, outside hours).
    Empty,
    /// A slot exists but cannot be chosen; `free` is shown greyed (0 when full, or the count
    /// when the group does not fit / it is past).
    Unavailable { free: i32, reason: Unavailability },
    Selectable {
        slot_id: i64,
        free: i32,
        /// Bookable, but past the change/cancel deadline already (late booking allowed):
        /// the booking could not be changed or cancelled online.
        past_change_deadline: bool,
    },
}

/// Why an existing slot cannot be chosen, in the order it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailability {
    /// Already started, or starts within the same-day cut-off.
    Past,
    /// After the last bookable day.
    BeyondWindow,
    /// No free place left.
    Full,
    /// This slot has a place but the group's further contiguous slots do not.
    GroupDoesNotFit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub days: Vec<Date>,
    /// Distinct (start_min, end_min) rows across the shown days, sorted.
    pub times: Vec<(i32, i32)>,
    /// `rows[time][day]`.
    pub rows: Vec<Vec<Cell>>,
}

impl Grid {
    /// False means the page shows "no available slots" guidance instead of a dead grid.
    pub fn has_selectable(&self) -> bool {
        self.rows
            .iter()
            .flatten()
            .any(|cell| matches!(cell, Cell::Selectable { .. }))
    }
}

/// The grid for `days` columns (7 or 14) from `first_day`. `slots` are one counter's slots
/// for (at least) the days shown.
///
/// Rows are the union of the distinct (start, end) pairs across the shown days, so that days
/// with different hours (a Saturday morning, a weekday evening) line up by time.
pub fn build_grid(
    slots: &[SlotView],
    party: i32,
    rules: &BookingRules,
    first_day: Date,
    days: u32,
) -> Grid {
    let days: Vec<Date> = (0..i64::from(days))
        .map_while(|offset| first_day.checked_add(Duration::days(offset)))
        .collect();
    let (Some(&shown_first), Some(&shown_last)) = (days.first(), days.last()) else {
        return Grid {
            days,
            times: Vec::new(),
            rows: Vec::new(),
        };
    };
    let shown = |slot: &SlotView| slot.day >= shown_first && slot.day <= shown_last;

    let index = SlotIndex::new(slots);
    let mut times: Vec<(i32, i32)> = slots
        .iter()
        .filter(|s| s.is_well_formed() && shown(s))
        .map(|s| (s.start_min, s.end_min))
        .collect();
    times.sort_unstable();
    times.dedup();

    let mut cells: HashMap<(Date, i32, i32), &SlotView> = HashMap::new();
    for slot in slots.iter().filter(|s| s.is_well_formed() && shown(s)) {
        cells
            .entry((slot.day, slot.start_min, slot.end_min))
            .or_insert(slot);
    }

    let rows = times
        .iter()
        .map(|&(start, end)| {
            days.iter()
                .map(|&day| match cells.get(&(day, start, end)) {
                    None => Cell::Empty,
                    Some(slot) => cell_for(slot, &index, party, rules),
                })
                .collect()
        })
        .collect();

    Grid { days, times, rows }
}

fn cell_for(slot: &SlotView, index: &SlotIndex<'_>, party: i32, rules: &BookingRules) -> Cell {
    let free = slot.free();
    let unavailable = |reason| Cell::Unavailable { free, reason };
    if let Some(reason) = rules.time_unavailability(slot) {
        return unavailable(reason);
    }
    if free == 0 {
        return unavailable(Unavailability::Full);
    }
    match index.run_from(slot, party, rules) {
        Some(_) => Cell::Selectable {
            slot_id: slot.id,
            free,
            past_change_deadline: rules.past_change_deadline(slot.starts_at()),
        },
        None => unavailable(Unavailability::GroupDoesNotFit),
    }
}

/// How many columns the screen shows: wide screens two weeks, phones one week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridWidth {
    /// 14 days; [<前へ]/[次へ>] move two weeks, [<<]/[>>] a month.
    Wide,
    /// 7 days; [<前へ]/[次へ>] move one week, [<<]/[>>] two weeks.
    Narrow,
}

impl GridWidth {
    fn days(self) -> u32 {
        match self {
            GridWidth::Wide => 14,
            GridWidth::Narrow => 7,
        }
    }
}

/// One page of the grid and where its navigation links lead (`None` = link not shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridPage {
    pub first_day: Date,
    pub days: u32,
    /// [<前へ]
    pub prev: Option<Date>,
    /// [次へ>]
    pub next: Option<Date>,
    /// [<<]
    pub prev_far: Option<Date>,
    /// [>>]
    pub next_far: Option<Date>,
}

/// The page starting at `requested` (None = today). The page never starts before today nor
/// after the last bookable day; a link is None when it would show nothing new (back links
/// when already at today; forward links when the page already reaches the last bookable
/// day). "A month" is the same day number in the next/previous month (clamped to that
/// month's end), then clamped to [today, last bookable day].
pub fn page(width: GridWidth, requested: Option<Date>, rules: &BookingRules) -> GridPage {
    let today = rules.today();
    let last = rules.last_bookable_day();
    let days = width.days();
    let first_day = requested.unwrap_or(today).clamp(today, last);
    let clamp = |d: Date| d.clamp(today, last);
    let shift = |n: i64| clamp(first_day.saturating_add(Duration::days(n)));
    let step = i64::from(days);

    let at_start = first_day == today;
    let page_last = first_day.saturating_add(Duration::days(step - 1));
    let at_end = page_last >= last;

    let (prev_far, next_far) = match width {
        GridWidth::Wide => (
            // Beyond the calendar's limits the page is clamped to the window anyway.
            clamp(add_months(first_day, -1).unwrap_or(Date::MIN)),
            clamp(add_months(first_day, 1).unwrap_or(Date::MAX)),
        ),
        GridWidth::Narrow => (shift(-14), shift(14)),
    };

    GridPage {
        first_day,
        days,
        prev: (!at_start).then(|| shift(-step)),
        next: (!at_end).then(|| shift(step)),
        prev_far: (!at_start).then_some(prev_far),
        next_far: (!at_end).then_some(next_far),
    }
}

/// "08:30". End times of 24:00 and beyond (a slot ending at midnight) print as 24:00, as
/// Japanese timetables do, rather than wrapping to 00:00.
pub fn format_hhmm(min: i32) -> String {
    format!("{:02}:{:02}", min.div_euclid(60), min.rem_euclid(60))
}

/// The notice shown above the grid for groups, from the resident manual.
pub fn party_notice(party: i32) -> Option<String> {
    (party >= 2)
        .then(|| format!("{party}名様分の予約のため、連続して{party}枠の予約枠が必要です。"))
}

#[cfg(test)]
mod paging_tests;
#[cfg(test)]
mod tests;
