//! Runs of slots for a party, the grid's cells, and the cut-offs.
use super::*;
use time::macros::{date, datetime};

// 2026-12-01 is a Tuesday.
pub(super) const TUE: Date = date!(2026 - 12 - 01);
pub(super) const WED: Date = date!(2026 - 12 - 02);
pub(super) const THU: Date = date!(2026 - 12 - 03);
pub(super) const SAT: Date = date!(2026 - 12 - 05);
pub(super) const SUN: Date = date!(2026 - 12 - 06);

pub(super) fn rules_at(now: PrimitiveDateTime) -> BookingRules {
    BookingRules {
        now,
        window_days: 56,
        booking_cutoff: Cutoff::MinutesBefore(0),
        change_cutoff: Cutoff::MinutesBefore(0),
        late_booking_allowed: true,
    }
}

/// Early Monday morning before the week shown: nothing is past.
pub(super) fn rules() -> BookingRules {
    rules_at(datetime!(2026-11-30 07:00))
}

pub(super) fn slot(
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
pub(super) fn half_hours(day: Date, first_id: i64, from: i32, to: i32) -> Vec<SlotView> {
    (from..to)
        .step_by(30)
        .zip(first_id..)
        .map(|(start, id)| slot(id, day, start, start + 30, 1, 0))
        .collect()
}

/// A weekday: 09:00–12:00 (ids 1..=6), lunch, 13:00–17:00 (ids 7..=14).
pub(super) fn weekday(day: Date, id_base: i64) -> Vec<SlotView> {
    let mut slots = half_hours(day, id_base + 1, 9 * 60, 12 * 60);
    slots.extend(half_hours(day, id_base + 7, 13 * 60, 17 * 60));
    slots
}

pub(super) fn cell_at(grid: &Grid, day: Date, start_min: i32) -> &Cell {
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
pub(super) fn seed_rules(now: PrimitiveDateTime, late_booking_allowed: bool) -> BookingRules {
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
