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
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    // 2026-12-01 is a Tuesday.
    const TUE: Date = date!(2026 - 12 - 01);
    const WED: Date = date!(2026 - 12 - 02);
    const THU: Date = date!(2026 - 12 - 03);
    const SAT: Date = date!(2026 - 12 - 05);
    const SUN: Date = date!(2026 - 12 - 06);

    fn rules_at(now: PrimitiveDateTime) -> BookingRules {
        BookingRules {
            now,
            window_days: 56,
            booking_cutoff: Cutoff::MinutesBefore(0),
            change_cutoff: Cutoff::MinutesBefore(0),
            late_booking_allowed: true,
        }
    }

    /// Early Monday morning before the week shown: nothing is past.
    fn rules() -> BookingRules {
        rules_at(datetime!(2026-11-30 07:00))
    }

    fn slot(
        id: i64,
        day: Date,
        start_min: i32,
        end_min: i32,
        capacity: i32,
        taken: i32,
    ) -> SlotView {
        SlotView {
            id,
            day,
            start_min,
            end_min,
            capacity,
            taken,
        }
    }

    /// Back-to-back 30-minute slots with 1 place each from `from` to `to`, ids from `first_id`.
    fn half_hours(day: Date, first_id: i64, from: i32, to: i32) -> Vec<SlotView> {
        (from..to)
            .step_by(30)
            .zip(first_id..)
            .map(|(start, id)| slot(id, day, start, start + 30, 1, 0))
            .collect()
    }

    /// A weekday: 09:00–12:00 (ids 1..=6), lunch, 13:00–17:00 (ids 7..=14).
    fn weekday(day: Date, id_base: i64) -> Vec<SlotView> {
        let mut slots = half_hours(day, id_base + 1, 9 * 60, 12 * 60);
        slots.extend(half_hours(day, id_base + 7, 13 * 60, 17 * 60));
        slots
    }

    fn cell_at(grid: &Grid, day: Date, start_min: i32) -> &Cell {
        let col = grid.days.iter().position(|&d| d == day).expect("day shown");
        let row = grid
            .times
            .iter()
            .position(|&(s, _)| s == start_min)
            .expect("time shown");
        &grid.rows[row][col]
    }

    #[test]
    fn free_is_capacity_minus_taken_and_never_negative() {
        assert_eq!(slot(1, TUE, 540, 570, 3, 1).free(), 2);
        assert_eq!(slot(1, TUE, 540, 570, 3, 3).free(), 0);
        assert_eq!(slot(1, TUE, 540, 570, 2, 5).free(), 0);
    }

    #[test]
    fn window_ends_today_plus_window_days() {
        let r = rules_at(datetime!(2026-12-01 10:00));
        assert_eq!(r.today(), TUE);
        assert_eq!(r.last_bookable_day(), date!(2027 - 01 - 26));
        let r = BookingRules {
            window_days: -3,
            ..r
        };
        assert_eq!(r.last_bookable_day(), TUE);
    }

    #[test]
    fn single_person_takes_just_the_chosen_slot() {
        let slots = weekday(TUE, 0);
        assert_eq!(contiguous_run(&slots, 3, 1, &rules()), Some(vec![3]));
        // Even the last slot of the day works for one person.
        assert_eq!(contiguous_run(&slots, 14, 1, &rules()), Some(vec![14]));
    }

    #[test]
    fn pair_takes_two_back_to_back_slots() {
        let slots = weekday(TUE, 0);
        assert_eq!(contiguous_run(&slots, 1, 2, &rules()), Some(vec![1, 2]));
    }

    #[test]
    fn four_people_take_four_back_to_back_slots_in_order() {
        // Input order must not matter.
        let mut slots = weekday(TUE, 0);
        slots.reverse();
        assert_eq!(
            contiguous_run(&slots, 2, 4, &rules()),
            Some(vec![2, 3, 4, 5])
        );
    }

    #[test]
    fn a_gap_between_slots_breaks_the_run() {
        // 09:00–09:30, then 09:40–10:10 after a ten-minute break.
        let slots = vec![
            slot(1, TUE, 540, 570, 1, 0),
            slot(2, TUE, 580, 610, 1, 0),
            slot(3, TUE, 610, 640, 1, 0),
        ];
        assert_eq!(contiguous_run(&slots, 1, 2, &rules()), None);
        assert_eq!(contiguous_run(&slots, 2, 2, &rules()), Some(vec![2, 3]));
        assert_eq!(contiguous_run(&slots, 1, 1, &rules()), Some(vec![1]));
    }

    #[test]
    fn a_full_slot_in_the_middle_breaks_the_run() {
        let mut slots = weekday(TUE, 0);
        slots[2].taken = 1; // 10:00 full
        assert_eq!(contiguous_run(&slots, 1, 4, &rules()), None);
        assert_eq!(contiguous_run(&slots, 1, 2, &rules()), Some(vec![1, 2]));
        assert_eq!(contiguous_run(&slots, 4, 3, &rules()), Some(vec![4, 5, 6]));
    }

    #[test]
    fn a_run_does_not_cross_the_lunch_break() {
        let slots = weekday(TUE, 0);
        // 11:00, 11:30 then lunch: three people starting at 11:00 do not fit.
        assert_eq!(contiguous_run(&slots, 5, 2, &rules()), Some(vec![5, 6]));
        assert_eq!(contiguous_run(&slots, 5, 3, &rules()), None);
        assert_eq!(contiguous_run(&slots, 6, 2, &rules()), None);
    }

    #[test]
    fn a_pair_cannot_start_in_the_last_slot_of_the_day() {
        let mut slots = weekday(TUE, 0);
        slots.extend(weekday(WED, 100));
        // 16:30 Tuesday is followed by 09:00 Wednesday, which is not contiguous.
        assert_eq!(contiguous_run(&slots, 14, 2, &rules()), None);
        assert_eq!(contiguous_run(&slots, 13, 2, &rules()), Some(vec![13, 14]));
    }

    #[test]
    fn a_run_stays_within_the_same_day() {
        // A slot ending at midnight and another day's slot starting at 00:00 are not contiguous.
        let slots = vec![slot(1, TUE, 1410, 1440, 1, 0), slot(2, WED, 0, 30, 1, 0)];
        assert_eq!(contiguous_run(&slots, 1, 2, &rules()), None);
    }

    #[test]
    fn unknown_slot_or_empty_party_gives_no_run() {
        let slots = weekday(TUE, 0);
        assert_eq!(contiguous_run(&slots, 999, 1, &rules()), None);
        assert_eq!(contiguous_run(&slots, 1, 0, &rules()), None);
        assert_eq!(contiguous_run(&slots, 1, -2, &rules()), None);
    }

    #[test]
    fn larger_slots_take_one_person_each() {
        // Capacity 3 does not let a group of 2 share one slot: one person per slot.
        let slots = vec![slot(1, TUE, 540, 570, 3, 0)];
        assert_eq!(contiguous_run(&slots, 1, 2, &rules()), None);
    }

    #[test]
    fn zero_length_slot_is_ignored() {
        let slots = vec![slot(1, TUE, 540, 540, 1, 0)];
        assert_eq!(contiguous_run(&slots, 1, 1, &rules()), None);
        assert_eq!(contiguous_run(&slots, 1, 3, &rules()), None);
        let grid = build_grid(&slots, 1, &rules(), TUE, 7);
        assert!(grid.times.is_empty());
    }

    #[test]
    fn past_slots_today_are_not_bookable() {
        let r = rules_at(datetime!(2026-12-01 10:15));
        let slots = weekday(TUE, 0);
        assert!(!r.is_bookable(&slots[2])); // 10:00 has started
        assert!(r.is_bookable(&slots[3])); // 10:30
        // Started exactly now still counts as bookable with no cut-off.
        let r = rules_at(datetime!(2026-12-01 10:30));
        assert!(r.is_bookable(&slots[3]));
        let r = rules_at(datetime!(2026-12-01 10:30:01));
        assert!(!r.is_bookable(&slots[3]));
        assert!(!r.is_bookable(&slots[2]));
    }

    #[test]
    fn same_day_cutoff_is_inclusive_at_its_edge() {
        let r = BookingRules {
            booking_cutoff: Cutoff::minutes_before(60),
            ..rules_at(datetime!(2026-12-01 09:30))
        };
        let slots = weekday(TUE, 0);
        assert!(!r.is_bookable(&slots[1])); // 09:30: now
        assert!(!r.is_bookable(&slots[2])); // 10:00: 30 min away
        assert!(r.is_bookable(&slots[3])); // 10:30: exactly 60 min away
        let r = BookingRules {
            now: datetime!(2026-12-01 09:30:01),
            ..r
        };
        assert!(!r.is_bookable(&slots[3])); // one second short of the cut-off
    }

    #[test]
    fn cutoff_reaches_into_tomorrow_late_in_the_evening() {
        // At 22:00 with a 12-hour cut-off, tomorrow 09:00 is too soon and 10:00 is fine.
        let r = BookingRules {
            booking_cutoff: Cutoff::minutes_before(12 * 60),
            ..rules_at(datetime!(2026-11-30 22:00))
        };
        let slots = weekday(TUE, 0);
        assert!(!r.is_bookable(&slots[0]));
        assert!(r.is_bookable(&slots[2]));
    }

    #[test]
    fn negative_cutoff_does_not_reopen_started_slots() {
        let r = BookingRules {
            booking_cutoff: Cutoff::minutes_before(-30),
            ..rules_at(datetime!(2026-12-01 09:10))
        };
        assert!(!r.is_bookable(&slot(1, TUE, 540, 570, 1, 0)));
    }

    #[test]
    fn last_bookable_day_is_inclusive_and_the_next_day_is_not() {
        let r = BookingRules {
            window_days: 14,
            ..rules_at(datetime!(2026-12-01 12:00))
        };
        assert_eq!(r.last_bookable_day(), date!(2026 - 12 - 15));
        assert!(r.is_bookable(&slot(1, date!(2026 - 12 - 15), 990, 1020, 1, 0)));
        assert!(!r.is_bookable(&slot(2, date!(2026 - 12 - 16), 540, 570, 1, 0)));
    }

    #[test]
    fn a_run_needs_every_slot_bookable() {
        // With a cut-off at 09:30, a pair starting 09:00 fails on its first slot and a
        // pair starting 09:30 works.
        let r = BookingRules {
            booking_cutoff: Cutoff::minutes_before(30),
            ..rules_at(datetime!(2026-12-01 09:00))
        };
        let slots = weekday(TUE, 0);
        assert_eq!(contiguous_run(&slots, 1, 2, &r), None);
        assert_eq!(contiguous_run(&slots, 2, 2, &r), Some(vec![2, 3]));
    }

    #[test]
    fn grid_shows_selectable_full_and_group_does_not_fit() {
        let mut slots = weekday(TUE, 0);
        slots[0].capacity = 2; // 09:00: 2 places
        slots[2].taken = 1; // 10:00 full
        let grid = build_grid(&slots, 2, &rules(), TUE, 7);
        assert_eq!(
            cell_at(&grid, TUE, 540),
            &Cell::Selectable {
                slot_id: 1,
                free: 2,
                past_change_deadline: false
            }
        );
        // 09:30 has a place but the next slot is full.
        assert_eq!(
            cell_at(&grid, TUE, 570),
            &Cell::Unavailable {
                free: 1,
                reason: Unavailability::GroupDoesNotFit
            }
        );
        assert_eq!(
            cell_at(&grid, TUE, 600),
            &Cell::Unavailable {
                free: 0,
                reason: Unavailability::Full
            }
        );
        // Last slots before lunch and of the day.
        assert_eq!(
            cell_at(&grid, TUE, 690),
            &Cell::Unavailable {
                free: 1,
                reason: Unavailability::GroupDoesNotFit
            }
        );
        assert_eq!(
            cell_at(&grid, TUE, 990),
            &Cell::Unavailable {
                free: 1,
                reason: Unavailability::GroupDoesNotFit
            }
        );
        assert_eq!(
            cell_at(&grid, TUE, 960),
            &Cell::Selectable {
                slot_id: 13,
                free: 1,
                past_change_deadline: false
            }
        );
        assert!(grid.has_selectable());
    }

    #[test]
    fn grid_for_one_person_selects_every_free_slot() {
        let mut slots = weekday(TUE, 0);
        slots[2].taken = 1;
        let grid = build_grid(&slots, 1, &rules(), TUE, 7);
        let selectable = grid
            .rows
            .iter()
            .flatten()
            .filter(|c| matches!(c, Cell::Selectable { .. }))
            .count();
        assert_eq!(selectable, 13);
        assert_eq!(
            cell_at(&grid, TUE, 990),
            &Cell::Selectable {
                slot_id: 14,
                free: 1,
                past_change_deadline: false
            }
        );
    }

    #[test]
    fn grid_for_four_people() {
        let slots = weekday(TUE, 0);
        let grid = build_grid(&slots, 4, &rules(), TUE, 7);
        // Morning 09:00–11:30: starts at 09:00, 09:30 and 10:00 fit four.
        let morning_ok: Vec<bool> = [540, 570, 600, 630]
            .iter()
            .map(|&t| matches!(cell_at(&grid, TUE, t), Cell::Selectable { .. }))
            .collect();
        assert_eq!(morning_ok, vec![true, true, true, false]);
        // Afternoon 13:00–16:30: the last start that fits four is 15:00.
        assert!(matches!(cell_at(&grid, TUE, 900), Cell::Selectable { .. }));
        assert!(matches!(
            cell_at(&grid, TUE, 930),
            Cell::Unavailable {
                reason: Unavailability::GroupDoesNotFit,
                ..
            }
        ));
    }

    #[test]
    fn grid_marks_past_and_cutoff_slots_today_as_past() {
        let r = BookingRules {
            booking_cutoff: Cutoff::minutes_before(60),
            ..rules_at(datetime!(2026-12-01 10:00))
        };
        let mut slots = weekday(TUE, 0);
        slots[0].taken = 1; // a full past slot still shows 0
        let grid = build_grid(&slots, 1, &r, TUE, 7);
        assert_eq!(
            cell_at(&grid, TUE, 540),
            &Cell::Unavailable {
                free: 0,
                reason: Unavailability::Past
            }
        );
        assert_eq!(
            cell_at(&grid, TUE, 570),
            &Cell::Unavailable {
                free: 1,
                reason: Unavailability::Past
            }
        );
        // 10:30 is within the one-hour cut-off; 11:00 is exactly on it.
        assert_eq!(
            cell_at(&grid, TUE, 630),
            &Cell::Unavailable {
                free: 1,
                reason: Unavailability::Past
            }
        );
        assert_eq!(
            cell_at(&grid, TUE, 660),
            &Cell::Selectable {
                slot_id: 5,
                free: 1,
                past_change_deadline: false
            }
        );
    }

    // ---- cut-offs in days and late booking (issue 11) ----

    /// 「予約日前日の17:00まで」 for booking, 「予約日の3日前まで」 for changes.
    fn seed_rules(now: PrimitiveDateTime, late_booking_allowed: bool) -> BookingRules {
        BookingRules {
            booking_cutoff: Cutoff::DaysBefore {
                days: 1,
                until: 17 * 60,
            },
            change_cutoff: Cutoff::DaysBefore {
                days: 3,
                until: crate::core::deadline::END_OF_DAY,
            },
            late_booking_allowed,
            ..rules_at(now)
        }
    }

    #[test]
    fn booking_closes_the_evening_before_at_five() {
        // Monday 16:27: Tuesday is still open, at 17:00 it is not.
        let slots = weekday(TUE, 0);
        let r = seed_rules(datetime!(2026-11-30 16:27), true);
        assert!(r.is_bookable(&slots[0]));
        // 17:00 itself still books (「17時まで」, and as the minutes cut-off always did);
        // a second later it does not.
        let r = seed_rules(datetime!(2026-11-30 17:00), true);
        assert!(r.is_bookable(&slots[0]));
        let r = seed_rules(datetime!(2026-11-30 17:00:01), true);
        assert!(!r.is_bookable(&slots[0]));
        assert!(!r.is_bookable(&slots[13])); // 16:30 the next day: the same evening's cut-off
        let grid = build_grid(&slots, 1, &r, TUE, 7);
        assert_eq!(
            cell_at(&grid, TUE, 540),
            &Cell::Unavailable {
                free: 1,
                reason: Unavailability::Past
            }
        );
    }

    #[test]
    fn late_slots_are_marked_when_late_booking_is_allowed() {
        // Monday 16:27: Tuesday and Wednesday are inside 「3日前まで」, Friday is not.
        let r = seed_rules(datetime!(2026-11-30 16:27), true);
        let mut slots = weekday(TUE, 0);
        slots.extend(weekday(WED, 100));
        slots.extend(weekday(date!(2026 - 12 - 04), 200));
        let grid = build_grid(&slots, 1, &r, TUE, 7);
        assert_eq!(
            cell_at(&grid, TUE, 540),
            &Cell::Selectable {
                slot_id: 1,
                free: 1,
                past_change_deadline: true
            }
        );
        assert_eq!(
            cell_at(&grid, date!(2026 - 12 - 04), 540),
            &Cell::Selectable {
                slot_id: 201,
                free: 1,
                past_change_deadline: false
            }
        );
        // Wednesday's deadline was the end of Sunday; Thursday's is the end of this Monday.
        assert!(r.past_change_deadline(datetime!(2026-12-02 09:00)));
        assert!(!r.past_change_deadline(datetime!(2026-12-03 09:00)));
        // Friday's deadline is the end of Tuesday: still open on Monday.
        assert!(!r.past_change_deadline(datetime!(2026-12-04 09:00)));
    }

    #[test]
    fn late_slots_are_not_offered_when_late_booking_is_not_allowed() {
        let r = seed_rules(datetime!(2026-11-30 16:27), false);
        let mut slots = weekday(TUE, 0);
        slots.extend(weekday(date!(2026 - 12 - 04), 200));
        let grid = build_grid(&slots, 1, &r, TUE, 7);
        assert_eq!(
            cell_at(&grid, TUE, 540),
            &Cell::Unavailable {
                free: 1,
                reason: Unavailability::Past
            }
        );
        assert!(!r.booking_open(datetime!(2026-12-02 16:30)));
        assert!(r.booking_open(datetime!(2026-12-03 09:00)));
        assert_eq!(contiguous_run(&slots, 1, 1, &r), None);
        // Friday stays bookable until the end of Tuesday, its change deadline.
        assert_eq!(contiguous_run(&slots, 201, 1, &r), Some(vec![201]));
        let r = seed_rules(datetime!(2026-12-01 23:59:59), false);
        assert!(r.booking_open(datetime!(2026-12-04 09:00)));
        let r = seed_rules(datetime!(2026-12-02 00:00), false);
        assert!(!r.booking_open(datetime!(2026-12-04 09:00)));
    }

    #[test]
    fn a_slot_that_has_started_is_never_bookable_whatever_the_cutoff() {
        let r = BookingRules {
            booking_cutoff: Cutoff::DaysBefore {
                days: 0,
                until: crate::core::deadline::END_OF_DAY,
            },
            ..rules_at(datetime!(2026-12-01 09:10))
        };
        assert!(!r.is_bookable(&slot(1, TUE, 540, 570, 1, 0)));
        assert!(r.is_bookable(&slot(2, TUE, 570, 600, 1, 0)));
    }

    #[test]
    fn grid_marks_days_after_the_window() {
        let r = BookingRules {
            window_days: 1,
            ..rules_at(datetime!(2026-12-01 08:00))
        };
        let mut slots = weekday(TUE, 0);
        slots.extend(weekday(WED, 100));
        slots.extend(weekday(THU, 200));
        let grid = build_grid(&slots, 1, &r, TUE, 7);
        assert_eq!(
            cell_at(&grid, WED, 540),
            &Cell::Selectable {
                slot_id: 101,
                free: 1,
                past_change_deadline: false
            }
        );
        assert_eq!(
            cell_at(&grid, THU, 540),
            &Cell::Unavailable {
                free: 1,
                reason: Unavailability::BeyondWindow
            }
        );
    }

    #[test]
    fn rows_are_the_union_of_saturday_morning_and_weekday_evening() {
        // Saturday 09:00–11:00 and a Thursday evening 17:00–19:00 in the same grid.
        let mut slots = half_hours(SAT, 1, 9 * 60, 11 * 60);
        slots.extend(half_hours(THU, 11, 17 * 60, 19 * 60));
        let grid = build_grid(&slots, 1, &rules(), TUE, 7);
        assert_eq!(
            grid.times,
            vec![
                (540, 570),
                (570, 600),
                (600, 630),
                (630, 660),
                (1020, 1050),
                (1050, 1080),
                (1080, 1110),
                (1110, 1140)
            ]
        );
        assert_eq!(
            grid.days,
            (1..=7)
                .map(|d| date!(2026 - 12 - 01).replace_day(d).unwrap())
                .collect::<Vec<_>>()
        );
        assert_eq!(
            cell_at(&grid, SAT, 540),
            &Cell::Selectable {
                slot_id: 1,
                free: 1,
                past_change_deadline: false
            }
        );
        assert_eq!(cell_at(&grid, SAT, 1020), &Cell::Empty);
        assert_eq!(
            cell_at(&grid, THU, 1020),
            &Cell::Selectable {
                slot_id: 11,
                free: 1,
                past_change_deadline: false
            }
        );
        assert_eq!(cell_at(&grid, THU, 540), &Cell::Empty);
        // Closed days are a column of Empty.
        let sunday = grid.days.iter().position(|&d| d == SUN).unwrap();
        assert!(grid.rows.iter().all(|row| row[sunday] == Cell::Empty));
        assert!(grid.rows.iter().all(|row| row.len() == 7));
    }

    #[test]
    fn rows_ignore_slots_outside_the_shown_days() {
        let mut slots = weekday(TUE, 0);
        slots.push(slot(50, date!(2026 - 12 - 20), 1200, 1230, 1, 0));
        let grid = build_grid(&slots, 1, &rules(), TUE, 7);
        assert!(!grid.times.contains(&(1200, 1230)));
        assert_eq!(grid.times.len(), 14);
    }

    #[test]
    fn two_week_grid_has_fourteen_columns() {
        let grid = build_grid(&weekday(TUE, 0), 1, &rules(), TUE, 14);
        assert_eq!(grid.days.len(), 14);
        assert_eq!(grid.days[13], date!(2026 - 12 - 14));
        assert!(grid.rows.iter().all(|row| row.len() == 14));
    }

    #[test]
    fn grid_without_slots_has_nothing_selectable() {
        let grid = build_grid(&[], 1, &rules(), TUE, 7);
        assert_eq!(grid.days.len(), 7);
        assert!(grid.times.is_empty());
        assert!(!grid.has_selectable());
        let late = rules_at(datetime!(2026-12-01 18:00));
        assert!(!build_grid(&weekday(TUE, 0), 1, &late, TUE, 1).has_selectable());
    }

    // Paging: today is Tue 2026-12-01 with an eight-week window, so the last bookable
    // day is Tue 2027-01-26.
    fn paging_rules() -> BookingRules {
        rules_at(datetime!(2026-12-01 11:00))
    }

    fn expect_page(
        width: GridWidth,
        requested: Option<Date>,
        first_day: Date,
        prev: Option<Date>,
        next: Option<Date>,
        prev_far: Option<Date>,
        next_far: Option<Date>,
    ) {
        let days = match width {
            GridWidth::Wide => 14,
            GridWidth::Narrow => 7,
        };
        assert_eq!(
            page(width, requested, &paging_rules()),
            GridPage {
                first_day,
                days,
                prev,
                next,
                prev_far,
                next_far
            },
            "{width:?} requested {requested:?}"
        );
    }

    #[test]
    fn wide_page_from_today() {
        expect_page(
            GridWidth::Wide,
            None,
            TUE,
            None,
            Some(date!(2026 - 12 - 15)),
            None,
            Some(date!(2027 - 01 - 01)),
        );
        // Asking for a day before today starts at today.
        expect_page(
            GridWidth::Wide,
            Some(date!(2026 - 11 - 20)),
            TUE,
            None,
            Some(date!(2026 - 12 - 15)),
            None,
            Some(date!(2027 - 01 - 01)),
        );
    }

    #[test]
    fn wide_page_in_the_middle() {
        expect_page(
            GridWidth::Wide,
            Some(date!(2026 - 12 - 29)),
            date!(2026 - 12 - 29),
            Some(date!(2026 - 12 - 15)),
            Some(date!(2027 - 01 - 12)),
            Some(TUE),                   // Nov 29 is before today
            Some(date!(2027 - 01 - 26)), // Jan 29 is past the window
        );
        // A back link never goes before today.
        expect_page(
            GridWidth::Wide,
            Some(date!(2026 - 12 - 08)),
            date!(2026 - 12 - 08),
            Some(TUE),
            Some(date!(2026 - 12 - 22)),
            Some(TUE),
            Some(date!(2027 - 01 - 08)),
        );
    }

    #[test]
    fn wide_page_at_the_end_of_the_window() {
        // Jan 12–25 does not yet reach Jan 26.
        expect_page(
            GridWidth::Wide,
            Some(date!(2027 - 01 - 12)),
            date!(2027 - 01 - 12),
            Some(date!(2026 - 12 - 29)),
            Some(date!(2027 - 01 - 26)),
            Some(date!(2026 - 12 - 12)),
            Some(date!(2027 - 01 - 26)),
        );
        // Jan 13–26 reaches it: no forward links.
        expect_page(
            GridWidth::Wide,
            Some(date!(2027 - 01 - 13)),
            date!(2027 - 01 - 13),
            Some(date!(2026 - 12 - 30)),
            None,
            Some(date!(2026 - 12 - 13)),
            None,
        );
        // Asking past the window starts on the last bookable day.
        expect_page(
            GridWidth::Wide,
            Some(date!(2027 - 03 - 01)),
            date!(2027 - 01 - 26),
            Some(date!(2027 - 01 - 12)),
            None,
            Some(date!(2026 - 12 - 26)),
            None,
        );
    }

    #[test]
    fn narrow_page_from_today() {
        expect_page(
            GridWidth::Narrow,
            None,
            TUE,
            None,
            Some(date!(2026 - 12 - 08)),
            None,
            Some(date!(2026 - 12 - 15)),
        );
    }

    #[test]
    fn narrow_page_in_the_middle() {
        expect_page(
            GridWidth::Narrow,
            Some(date!(2026 - 12 - 22)),
            date!(2026 - 12 - 22),
            Some(date!(2026 - 12 - 15)),
            Some(date!(2026 - 12 - 29)),
            Some(date!(2026 - 12 - 08)),
            Some(date!(2027 - 01 - 05)),
        );
        expect_page(
            GridWidth::Narrow,
            Some(date!(2026 - 12 - 03)),
            date!(2026 - 12 - 03),
            Some(TUE),
            Some(date!(2026 - 12 - 10)),
            Some(TUE),
            Some(date!(2026 - 12 - 17)),
        );
    }

    #[test]
    fn narrow_page_at_the_end_of_the_window() {
        expect_page(
            GridWidth::Narrow,
            Some(date!(2027 - 01 - 19)),
            date!(2027 - 01 - 19),
            Some(date!(2027 - 01 - 12)),
            Some(date!(2027 - 01 - 26)),
            Some(date!(2027 - 01 - 05)),
            Some(date!(2027 - 01 - 26)),
        );
        expect_page(
            GridWidth::Narrow,
            Some(date!(2027 - 01 - 20)),
            date!(2027 - 01 - 20),
            Some(date!(2027 - 01 - 13)),
            None,
            Some(date!(2027 - 01 - 06)),
            None,
        );
        expect_page(
            GridWidth::Narrow,
            Some(date!(2027 - 01 - 26)),
            date!(2027 - 01 - 26),
            Some(date!(2027 - 01 - 19)),
            None,
            Some(date!(2027 - 01 - 12)),
            None,
        );
    }

    #[test]
    fn month_links_clamp_to_month_end() {
        let r = BookingRules {
            window_days: 120,
            ..rules_at(datetime!(2027-01-31 09:00))
        };
        let p = page(GridWidth::Wide, None, &r);
        assert_eq!(p.next_far, Some(date!(2027 - 02 - 28)));
        let p = page(GridWidth::Wide, Some(date!(2027 - 03 - 31)), &r);
        assert_eq!(p.prev_far, Some(date!(2027 - 02 - 28)));
        assert_eq!(p.next_far, Some(date!(2027 - 04 - 30)));
        // Leap year.
        let r = BookingRules {
            now: datetime!(2028-01-30 09:00),
            ..r
        };
        assert_eq!(
            page(GridWidth::Wide, None, &r).next_far,
            Some(date!(2028 - 02 - 29))
        );
        // Across the year end, both ways.
        let r = BookingRules {
            now: datetime!(2026-12-31 09:00),
            ..r
        };
        assert_eq!(
            page(GridWidth::Wide, None, &r).next_far,
            Some(date!(2027 - 01 - 31))
        );
        let p = page(GridWidth::Wide, Some(date!(2027 - 01 - 31)), &r);
        assert_eq!(p.prev_far, Some(date!(2026 - 12 - 31)));
        assert_eq!(p.next_far, Some(date!(2027 - 02 - 28)));
    }

    #[test]
    fn window_of_zero_days_is_a_single_page() {
        let r = BookingRules {
            window_days: 0,
            ..paging_rules()
        };
        let p = page(GridWidth::Narrow, Some(date!(2026 - 12 - 10)), &r);
        assert_eq!(
            p,
            GridPage {
                first_day: TUE,
                days: 7,
                prev: None,
                next: None,
                prev_far: None,
                next_far: None
            }
        );
    }

    #[test]
    fn formats_minutes_as_clock_time() {
        assert_eq!(format_hhmm(510), "08:30");
        assert_eq!(format_hhmm(0), "00:00");
        assert_eq!(format_hhmm(17 * 60 + 5), "17:05");
        assert_eq!(format_hhmm(1440), "24:00");
    }

    #[test]
    fn party_notice_only_for_groups() {
        assert_eq!(party_notice(1), None);
        assert_eq!(party_notice(0), None);
        assert_eq!(
            party_notice(2).as_deref(),
            Some("2名様分の予約のため、連続して2枠の予約枠が必要です。")
        );
        assert_eq!(
            party_notice(4).as_deref(),
            Some("4名様分の予約のため、連続して4枠の予約枠が必要です。")
        );
    }

    /// Up to three days of 30-minute slots between 09:00 and 13:00, some missing, some full.
    fn arb_slots() -> impl Strategy<Value = Vec<SlotView>> {
        proptest::collection::vec((0i64..3, 0i32..8, 0i32..3, 0i32..3), 0..30).prop_map(|raw| {
            let mut seen = std::collections::HashSet::new();
            raw.into_iter()
                .filter(|&(day, idx, _, _)| seen.insert((day, idx)))
                .enumerate()
                .map(|(i, (day, idx, capacity, taken))| {
                    let start = 540 + idx * 30;
                    slot(
                        i as i64 + 1,
                        TUE + Duration::days(day),
                        start,
                        start + 30,
                        capacity,
                        taken,
                    )
                })
                .collect()
        })
    }

    fn arb_rules() -> impl Strategy<Value = BookingRules> {
        (0i64..3 * 24 * 60, 0i32..60, 0i32..180).prop_map(|(minutes, window_days, cutoff)| {
            BookingRules {
                now: datetime!(2026-12-01 00:00) + Duration::minutes(minutes),
                window_days,
                booking_cutoff: Cutoff::minutes_before(cutoff),
                change_cutoff: Cutoff::MinutesBefore(0),
                late_booking_allowed: true,
            }
        })
    }

    proptest! {
        #[test]
        fn selectable_cells_are_exactly_the_starts_of_runs(
            slots in arb_slots(),
            party in 1i32..5,
            rules in arb_rules(),
        ) {
            let grid = build_grid(&slots, party, &rules, TUE, 7);
            prop_assert!(grid.times.windows(2).all(|w| w[0] < w[1]));
            prop_assert_eq!(grid.rows.len(), grid.times.len());
            for (row, &(start, end)) in grid.rows.iter().zip(&grid.times) {
                prop_assert_eq!(row.len(), 7);
                for (cell, &day) in row.iter().zip(&grid.days) {
                    let slot = slots.iter().find(|s| s.day == day && s.start_min == start && s.end_min == end);
                    match (cell, slot) {
                        (Cell::Empty, None) => {}
                        (Cell::Selectable { slot_id, free, .. }, Some(s)) => {
                            prop_assert_eq!(*slot_id, s.id);
                            prop_assert_eq!(*free, s.free());
                            let run = contiguous_run(&slots, s.id, party, &rules).unwrap();
                            prop_assert_eq!(run.len(), party as usize);
                            for (k, id) in run.iter().enumerate() {
                                let member = slots.iter().find(|m| m.id == *id).unwrap();
                                prop_assert!(rules.is_bookable(member) && member.free() >= 1);
                                prop_assert_eq!(member.day, s.day);
                                prop_assert_eq!(member.start_min, s.start_min + 30 * k as i32);
                            }
                        }
                        (Cell::Unavailable { free, .. }, Some(s)) => {
                            prop_assert_eq!(*free, s.free());
                            prop_assert_eq!(contiguous_run(&slots, s.id, party, &rules), None);
                        }
                        (cell, slot) => prop_assert!(false, "{:?} for {:?}", cell, slot),
                    }
                }
            }
        }

        #[test]
        fn page_and_its_links_stay_in_the_window(
            rules in arb_rules(),
            offset in -30i64..90,
            wide in any::<bool>(),
        ) {
            let width = if wide { GridWidth::Wide } else { GridWidth::Narrow };
            let requested = rules.today() + Duration::days(offset);
            let p = page(width, Some(requested), &rules);
            let (today, last) = (rules.today(), rules.last_bookable_day());
            prop_assert!(p.first_day >= today && p.first_day <= last);
            for back in [p.prev, p.prev_far].into_iter().flatten() {
                prop_assert!(back >= today && back < p.first_day);
            }
            for fwd in [p.next, p.next_far].into_iter().flatten() {
                prop_assert!(fwd > p.first_day && fwd <= last);
            }
            prop_assert_eq!(p.prev.is_none(), p.first_day == today);
            let page_last = p.first_day + Duration::days(i64::from(p.days) - 1);
            prop_assert_eq!(p.next.is_none(), page_last >= last);
            // Following [次へ>] never skips a day.
            if let Some(next) = p.next {
                prop_assert!(next <= page_last + Duration::days(1));
            }
        }
    }
}
