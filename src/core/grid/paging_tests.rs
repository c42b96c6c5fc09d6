//! Paging the grid through the booking window, formatting, and properties over any slots.
use super::tests::*;
use super::*;
use proptest::prelude::*;
use time::macros::{date, datetime};

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
