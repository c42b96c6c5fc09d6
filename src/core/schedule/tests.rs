//! The slot plan: templates, closures and the calendar, then reconciling with what exists.
use super::*;
use time::macros::date;

const COUNTER_A: i64 = 1;
const COUNTER_B: i64 = 2;
const MY_NUMBER_CARD: i64 = 10;

const OPEN: CalendarRules = CalendarRules {
    close_on_holidays: false,
    close_year_end: false,
};
const MUNICIPAL: CalendarRules = CalendarRules {
    close_on_holidays: true,
    close_year_end: true,
};

fn hm(hours: i32, minutes: i32) -> i32 {
    hours * 60 + minutes
}

fn template(
    counter_id: i64,
    weekday: Weekday,
    opens: i32,
    closes: i32,
    slot: i32,
    clerks: i32,
) -> OpeningTemplate {
    OpeningTemplate {
        counter_id,
        service_id: MY_NUMBER_CARD,
        weekday,
        opens_min: opens,
        closes_min: closes,
        slot_min: slot,
        clerks,
        valid_from: None,
        valid_until: None,
    }
}

/// 8:30–17:15 in 15-minute slots with 2 clerks, Monday to Friday.
fn office_hours(counter_id: i64) -> Vec<OpeningTemplate> {
    [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
    ]
    .into_iter()
    .map(|weekday| template(counter_id, weekday, hm(8, 30), hm(17, 15), 15, 2))
    .collect()
}

fn key(counter_id: i64, day: Date, start_min: i32) -> SlotKey {
    SlotKey {
        counter_id,
        service_id: MY_NUMBER_CARD,
        day,
        start_min,
    }
}

fn planned(day: Date, start_min: i32, end_min: i32, capacity: i32) -> PlannedSlot {
    PlannedSlot {
        key: key(COUNTER_A, day, start_min),
        end_min,
        capacity,
    }
}

fn stored(
    id: i64,
    day: Date,
    start_min: i32,
    end_min: i32,
    capacity: i32,
    taken: i32,
) -> ExistingSlot {
    ExistingSlot {
        id,
        key: key(COUNTER_A, day, start_min),
        end_min,
        capacity,
        taken,
        closed: false,
    }
}

fn on_day(slots: &[PlannedSlot], day: Date) -> Vec<&PlannedSlot> {
    slots.iter().filter(|slot| slot.key.day == day).collect()
}

/// What storage looks like after the plan's writes, with fresh ids from 1000 on.
fn apply(plan: &SlotPlan, existing: &[ExistingSlot]) -> Vec<ExistingSlot> {
    let mut after: Vec<ExistingSlot> = existing
        .iter()
        .filter(|slot| !plan.delete.contains(&slot.id))
        .cloned()
        .collect();
    for (id, capacity) in &plan.set_capacity {
        let slot = after.iter_mut().find(|slot| slot.id == *id).unwrap();
        slot.capacity = *capacity;
    }
    for (ids, closed) in [(&plan.close, true), (&plan.reopen, false)] {
        for id in ids {
            after.iter_mut().find(|slot| slot.id == *id).unwrap().closed = closed;
        }
    }
    for (offset, slot) in plan.create.iter().enumerate() {
        after.push(ExistingSlot {
            id: 1000 + offset as i64,
            key: slot.key,
            end_min: slot.end_min,
            capacity: slot.capacity,
            taken: 0,
            closed: false,
        });
    }
    after
}

// 2025-06-02 is a Monday; the week has no holiday.
const MONDAY: Date = date!(2025 - 06 - 02);
const WEDNESDAY: Date = date!(2025 - 06 - 04);
const SATURDAY: Date = date!(2025 - 06 - 07);
const SUNDAY: Date = date!(2025 - 06 - 08);

#[test]
fn weekday_office_hours_give_35_slots_a_day_and_none_at_weekends() {
    let slots = planned_slots(&office_hours(COUNTER_A), &[], &MUNICIPAL, MONDAY, SUNDAY);
    assert_eq!(slots.len(), 5 * 35);
    let monday = on_day(&slots, MONDAY);
    assert_eq!(monday.len(), 35);
    assert_eq!(monday[0], &planned(MONDAY, hm(8, 30), hm(8, 45), 2));
    assert_eq!(monday[34], &planned(MONDAY, hm(17, 0), hm(17, 15), 2));
    assert!(on_day(&slots, SATURDAY).is_empty());
    assert!(on_day(&slots, SUNDAY).is_empty());
}

#[test]
fn output_is_sorted_by_key() {
    let mut templates = office_hours(COUNTER_B);
    templates.extend(office_hours(COUNTER_A));
    let slots = planned_slots(&templates, &[], &MUNICIPAL, MONDAY, SUNDAY);
    assert_eq!(slots.len(), 2 * 5 * 35);
    assert!(slots.windows(2).all(|pair| pair[0].key < pair[1].key));
}

#[test]
fn wednesday_evening_opening_runs_to_seven() {
    let mut templates = office_hours(COUNTER_A);
    templates.push(template(
        COUNTER_A,
        Weekday::Wednesday,
        hm(17, 15),
        hm(19, 0),
        15,
        1,
    ));
    let slots = planned_slots(&templates, &[], &MUNICIPAL, MONDAY, SUNDAY);
    let wednesday = on_day(&slots, WEDNESDAY);
    assert_eq!(wednesday.len(), 35 + 7);
    assert_eq!(
        wednesday[35],
        &planned(WEDNESDAY, hm(17, 15), hm(17, 30), 1)
    );
    assert_eq!(wednesday[41], &planned(WEDNESDAY, hm(18, 45), hm(19, 0), 1));
    assert_eq!(on_day(&slots, MONDAY).len(), 35);
}

#[test]
fn saturday_morning_opening() {
    let mut templates = office_hours(COUNTER_A);
    templates.push(template(
        COUNTER_A,
        Weekday::Saturday,
        hm(9, 0),
        hm(12, 0),
        30,
        1,
    ));
    let slots = planned_slots(&templates, &[], &MUNICIPAL, MONDAY, SUNDAY);
    let saturday: Vec<i32> = on_day(&slots, SATURDAY)
        .iter()
        .map(|s| s.key.start_min)
        .collect();
    assert_eq!(
        saturday,
        [
            hm(9, 0),
            hm(9, 30),
            hm(10, 0),
            hm(10, 30),
            hm(11, 0),
            hm(11, 30)
        ]
    );
    assert!(on_day(&slots, SUNDAY).is_empty());
}

#[test]
fn holiday_closes_only_when_the_rules_say_so() {
    // 2025-07-21 is 海の日, a Monday.
    let umi_no_hi = date!(2025 - 07 - 21);
    let templates = office_hours(COUNTER_A);
    let closed = planned_slots(&templates, &[], &MUNICIPAL, umi_no_hi, umi_no_hi);
    assert!(closed.is_empty());
    assert_eq!(
        closed_reason(umi_no_hi, COUNTER_A, &[], &MUNICIPAL).as_deref(),
        Some("海の日")
    );
    let open = planned_slots(&templates, &[], &OPEN, umi_no_hi, umi_no_hi);
    assert_eq!(open.len(), 35);
    assert_eq!(closed_reason(umi_no_hi, COUNTER_A, &[], &OPEN), None);
}

#[test]
fn substitute_holiday_closes_too() {
    // 2025-11-24 (Mon) is the 休日 for 勤労感謝の日 on Sunday.
    let furikae = date!(2025 - 11 - 24);
    let slots = planned_slots(&office_hours(COUNTER_A), &[], &MUNICIPAL, furikae, furikae);
    assert!(slots.is_empty());
    assert_eq!(
        closed_reason(furikae, COUNTER_A, &[], &MUNICIPAL).as_deref(),
        Some("休日")
    );
}

#[test]
fn year_end_closes_29_december_to_3_january() {
    let templates = office_hours(COUNTER_A);
    let year_end_only = CalendarRules {
        close_on_holidays: false,
        close_year_end: true,
    };
    // Mon 2025-12-29 .. Sun 2026-01-04: weekdays 29, 30, 31 Dec, 1, 2 Jan are all closed.
    let slots = planned_slots(
        &templates,
        &[],
        &year_end_only,
        date!(2025 - 12 - 26),
        date!(2026 - 01 - 05),
    );
    let open_days: Vec<Date> = {
        let mut days: Vec<Date> = slots.iter().map(|s| s.key.day).collect();
        days.dedup();
        days
    };
    assert_eq!(open_days, [date!(2025 - 12 - 26), date!(2026 - 01 - 05)]);
    assert_eq!(
        closed_reason(date!(2025 - 12 - 30), COUNTER_A, &[], &year_end_only).as_deref(),
        Some("年末年始")
    );
    // With holidays closed too, 1 January is named for the holiday.
    assert_eq!(
        closed_reason(date!(2026 - 01 - 01), COUNTER_A, &[], &MUNICIPAL).as_deref(),
        Some("元日")
    );
    // Without the rule the year end is an ordinary working week.
    let open = planned_slots(
        &templates,
        &[],
        &OPEN,
        date!(2025 - 12 - 29),
        date!(2025 - 12 - 31),
    );
    assert_eq!(open.len(), 3 * 35);
}

#[test]
fn closure_for_one_counter_leaves_the_other_open() {
    let mut templates = office_hours(COUNTER_A);
    templates.extend(office_hours(COUNTER_B));
    let closures = [Closure {
        counter_id: Some(COUNTER_A),
        first_day: MONDAY,
        last_day: MONDAY,
        reason: "システム移行".to_owned(),
    }];
    let slots = planned_slots(&templates, &closures, &MUNICIPAL, MONDAY, MONDAY);
    assert_eq!(slots.len(), 35);
    assert!(slots.iter().all(|slot| slot.key.counter_id == COUNTER_B));
    assert_eq!(
        closed_reason(MONDAY, COUNTER_A, &closures, &MUNICIPAL).as_deref(),
        Some("システム移行")
    );
    assert_eq!(
        closed_reason(MONDAY, COUNTER_B, &closures, &MUNICIPAL),
        None
    );
}

#[test]
fn closure_range_is_inclusive_and_can_close_every_counter() {
    let mut templates = office_hours(COUNTER_A);
    templates.extend(office_hours(COUNTER_B));
    let closures = [Closure {
        counter_id: None,
        first_day: date!(2025 - 06 - 03),
        last_day: date!(2025 - 06 - 05),
        reason: "庁舎停電".to_owned(),
    }];
    let slots = planned_slots(&templates, &closures, &MUNICIPAL, MONDAY, SUNDAY);
    let mut open_days: Vec<Date> = slots.iter().map(|s| s.key.day).collect();
    open_days.sort();
    open_days.dedup();
    assert_eq!(open_days, [MONDAY, date!(2025 - 06 - 06)]);
    assert_eq!(slots.len(), 2 * 2 * 35);
    assert_eq!(
        closed_reason(date!(2025 - 06 - 05), COUNTER_B, &closures, &OPEN).as_deref(),
        Some("庁舎停電")
    );
}

#[test]
fn closure_reason_wins_over_holiday_name() {
    let closures = [Closure {
        counter_id: None,
        first_day: date!(2025 - 07 - 21),
        last_day: date!(2025 - 07 - 21),
        reason: "臨時休業".to_owned(),
    }];
    assert_eq!(
        closed_reason(date!(2025 - 07 - 21), COUNTER_A, &closures, &MUNICIPAL).as_deref(),
        Some("臨時休業")
    );
}

#[test]
fn window_edges_are_inclusive() {
    let templates = office_hours(COUNTER_A);
    let slots = planned_slots(&templates, &[], &MUNICIPAL, MONDAY, WEDNESDAY);
    assert_eq!(slots.len(), 3 * 35);
    assert_eq!(slots.first().unwrap().key.day, MONDAY);
    assert_eq!(slots.last().unwrap().key.day, WEDNESDAY);
    assert_eq!(
        planned_slots(&templates, &[], &MUNICIPAL, MONDAY, MONDAY).len(),
        35
    );
    assert!(planned_slots(&templates, &[], &MUNICIPAL, WEDNESDAY, MONDAY).is_empty());
}

#[test]
fn validity_bounds_are_inclusive() {
    // Mondays 2025-06-02, 06-09, 06-16, 06-23.
    let mut monday = template(COUNTER_A, Weekday::Monday, hm(9, 0), hm(10, 0), 30, 1);
    monday.valid_from = Some(date!(2025 - 06 - 09));
    monday.valid_until = Some(date!(2025 - 06 - 16));
    let slots = planned_slots(
        &[monday.clone()],
        &[],
        &MUNICIPAL,
        MONDAY,
        date!(2025 - 06 - 30),
    );
    let mut days: Vec<Date> = slots.iter().map(|s| s.key.day).collect();
    days.dedup();
    assert_eq!(days, [date!(2025 - 06 - 09), date!(2025 - 06 - 16)]);

    monday.valid_from = None;
    let slots = planned_slots(
        &[monday.clone()],
        &[],
        &MUNICIPAL,
        MONDAY,
        date!(2025 - 06 - 30),
    );
    assert_eq!(slots.len(), 3 * 2);

    monday.valid_from = Some(date!(2025 - 06 - 17));
    monday.valid_until = None;
    let slots = planned_slots(&[monday], &[], &MUNICIPAL, MONDAY, date!(2025 - 06 - 30));
    let mut days: Vec<Date> = slots.iter().map(|s| s.key.day).collect();
    days.dedup();
    assert_eq!(days, [date!(2025 - 06 - 23), date!(2025 - 06 - 30)]);
}

#[test]
fn remainder_shorter_than_a_slot_is_dropped() {
    // 9:00–10:50 in 20-minute slots: 9:00 … 10:20 start, 10:40 would end at 11:00.
    let odd = template(COUNTER_A, Weekday::Monday, hm(9, 0), hm(10, 50), 20, 1);
    let slots = planned_slots(&[odd], &[], &MUNICIPAL, MONDAY, MONDAY);
    let starts: Vec<i32> = slots.iter().map(|s| s.key.start_min).collect();
    assert_eq!(
        starts,
        [hm(9, 0), hm(9, 20), hm(9, 40), hm(10, 0), hm(10, 20)]
    );
    assert_eq!(slots.last().unwrap().end_min, hm(10, 40));
}

#[test]
fn nonsensical_templates_produce_nothing() {
    let good = template(COUNTER_A, Weekday::Monday, hm(9, 0), hm(10, 0), 30, 1);
    let broken = [
        OpeningTemplate {
            slot_min: 0,
            ..good.clone()
        },
        OpeningTemplate {
            slot_min: -15,
            ..good.clone()
        },
        OpeningTemplate {
            clerks: 0,
            ..good.clone()
        },
        OpeningTemplate {
            closes_min: hm(9, 0),
            ..good.clone()
        },
        OpeningTemplate {
            closes_min: hm(8, 0),
            ..good.clone()
        },
        OpeningTemplate {
            opens_min: -30,
            ..good.clone()
        },
        OpeningTemplate {
            closes_min: hm(25, 0),
            ..good.clone()
        },
    ];
    for template in &broken {
        let slots = planned_slots(std::slice::from_ref(template), &[], &OPEN, MONDAY, MONDAY);
        assert!(slots.is_empty(), "{template:?}");
    }
    // A slot longer than the opening gives nothing either, without being an error.
    let too_long = OpeningTemplate {
        slot_min: 90,
        ..good.clone()
    };
    assert!(planned_slots(&[too_long], &[], &OPEN, MONDAY, MONDAY).is_empty());
    assert_eq!(planned_slots(&[good], &[], &OPEN, MONDAY, MONDAY).len(), 2);
}

#[test]
fn duplicate_keys_keep_the_larger_capacity() {
    let two_clerks = template(COUNTER_A, Weekday::Monday, hm(9, 0), hm(10, 0), 30, 2);
    let three_clerks_later = template(COUNTER_A, Weekday::Monday, hm(9, 30), hm(11, 0), 30, 3);
    let expected = [
        planned(MONDAY, hm(9, 0), hm(9, 30), 2),
        planned(MONDAY, hm(9, 30), hm(10, 0), 3),
        planned(MONDAY, hm(10, 0), hm(10, 30), 3),
        planned(MONDAY, hm(10, 30), hm(11, 0), 3),
    ];
    let forwards = [two_clerks.clone(), three_clerks_later.clone()];
    let backwards = [three_clerks_later, two_clerks];
    assert_eq!(
        planned_slots(&forwards, &[], &OPEN, MONDAY, MONDAY),
        expected
    );
    assert_eq!(
        planned_slots(&backwards, &[], &OPEN, MONDAY, MONDAY),
        expected
    );
}

#[test]
fn reconcile_creates_missing_slots() {
    let plan_slots = [
        planned(MONDAY, hm(9, 0), hm(9, 30), 2),
        planned(MONDAY, hm(9, 30), hm(10, 0), 2),
    ];
    let existing = [stored(1, MONDAY, hm(9, 0), hm(9, 30), 2, 1)];
    let plan = reconcile(&plan_slots, &existing);
    assert_eq!(
        plan,
        SlotPlan {
            create: vec![planned(MONDAY, hm(9, 30), hm(10, 0), 2)],
            ..SlotPlan::default()
        }
    );
    assert!(!plan.is_noop());
}

#[test]
fn reconcile_leaves_equal_slots_alone() {
    let plan_slots = [planned(MONDAY, hm(9, 0), hm(9, 30), 2)];
    let existing = [stored(1, MONDAY, hm(9, 0), hm(9, 30), 2, 2)];
    let plan = reconcile(&plan_slots, &existing);
    assert_eq!(plan, SlotPlan::default());
    assert!(plan.is_noop());
}

#[test]
fn reconcile_raises_and_lowers_capacity_down_to_taken() {
    let plan_slots = [
        planned(MONDAY, hm(9, 0), hm(9, 30), 3),
        planned(MONDAY, hm(9, 30), hm(10, 0), 1),
    ];
    let existing = [
        stored(1, MONDAY, hm(9, 0), hm(9, 30), 2, 2),
        stored(2, MONDAY, hm(9, 30), hm(10, 0), 2, 1),
    ];
    let plan = reconcile(&plan_slots, &existing);
    assert_eq!(plan.set_capacity, [(1, 3), (2, 1)]);
    assert!(plan.create.is_empty() && plan.delete.is_empty() && plan.conflicts.is_empty());
}

#[test]
fn reconcile_refuses_to_lower_capacity_below_taken() {
    let plan_slots = [planned(MONDAY, hm(9, 0), hm(9, 30), 1)];
    let existing = [stored(7, MONDAY, hm(9, 0), hm(9, 30), 3, 2)];
    let plan = reconcile(&plan_slots, &existing);
    assert!(plan.set_capacity.is_empty());
    assert_eq!(
        plan.conflicts,
        [SlotConflict::CapacityBelowTaken {
            slot_id: 7,
            key: key(COUNTER_A, MONDAY, hm(9, 0)),
            taken: 2,
            wanted: 1,
        }]
    );
    // Its third place is not offered any more: the slot closes to new bookings.
    assert_eq!(plan.close, [7]);
    let again = reconcile(&plan_slots, &apply(&plan, &existing));
    assert!(again.is_noop(), "{again:?}");
    assert_eq!(again.conflicts, plan.conflicts);
}

#[test]
fn a_closed_slot_reopens_once_its_conflict_is_gone() {
    let plan_slots = [planned(MONDAY, hm(9, 0), hm(9, 30), 2)];
    let mut existing = stored(7, MONDAY, hm(9, 0), hm(9, 30), 3, 1);
    existing.closed = true;
    let plan = reconcile(&plan_slots, &[existing]);
    assert_eq!(plan.set_capacity, [(7, 2)]);
    assert_eq!(plan.reopen, [7]);
    assert!(plan.conflicts.is_empty() && plan.close.is_empty());
}

#[test]
fn reconcile_deletes_unbooked_slots_and_reports_booked_ones() {
    let existing = [
        stored(1, MONDAY, hm(9, 0), hm(9, 30), 2, 0),
        stored(2, MONDAY, hm(9, 30), hm(10, 0), 2, 1),
    ];
    let plan = reconcile(&[], &existing);
    assert_eq!(plan.delete, [1]);
    assert!(plan.create.is_empty() && plan.set_capacity.is_empty());
    assert_eq!(
        plan.close,
        [2],
        "the booked slot stays, closed to newcomers"
    );
    assert_eq!(
        plan.conflicts,
        [SlotConflict::RemovedWhileTaken {
            slot_id: 2,
            key: key(COUNTER_A, MONDAY, hm(9, 30)),
            taken: 1,
            reason: None,
        }]
    );
}

#[test]
fn removal_conflicts_can_be_explained_by_the_calendar() {
    let umi_no_hi = date!(2025 - 07 - 21);
    let existing = [
        stored(1, umi_no_hi, hm(9, 0), hm(9, 30), 2, 1),
        stored(2, MONDAY, hm(9, 0), hm(9, 30), 2, 1),
    ];
    let plan_slots = planned_slots(
        &office_hours(COUNTER_A),
        &[],
        &MUNICIPAL,
        umi_no_hi,
        umi_no_hi,
    );
    assert!(plan_slots.is_empty());
    let plan = reconcile(&plan_slots, &existing).with_closure_reasons(&[], &MUNICIPAL);
    let reasons: Vec<Option<&str>> = plan
        .conflicts
        .iter()
        .map(|conflict| match conflict {
            SlotConflict::RemovedWhileTaken { reason, .. } => reason.as_deref(),
            SlotConflict::CapacityBelowTaken { .. } => panic!("unexpected {conflict:?}"),
        })
        .collect();
    // Key order: 2025-06-02 (an ordinary Monday, template removed) before 海の日.
    assert_eq!(reasons, [None, Some("海の日")]);
}

#[test]
fn changed_end_recreates_unbooked_slot_and_reports_booked_one() {
    let plan_slots = [
        planned(MONDAY, hm(9, 0), hm(9, 20), 2),
        planned(MONDAY, hm(9, 30), hm(9, 50), 2),
    ];
    let existing = [
        stored(1, MONDAY, hm(9, 0), hm(9, 30), 2, 0),
        stored(2, MONDAY, hm(9, 30), hm(10, 0), 2, 1),
    ];
    let plan = reconcile(&plan_slots, &existing);
    assert_eq!(plan.delete, [1]);
    assert_eq!(plan.create, [planned(MONDAY, hm(9, 0), hm(9, 20), 2)]);
    assert!(plan.set_capacity.is_empty());
    assert_eq!(
        plan.conflicts,
        [SlotConflict::RemovedWhileTaken {
            slot_id: 2,
            key: key(COUNTER_A, MONDAY, hm(9, 30)),
            taken: 1,
            reason: None,
        }]
    );
}

#[test]
fn duplicate_stored_keys_keep_the_lowest_id() {
    let plan_slots = [planned(MONDAY, hm(9, 0), hm(9, 30), 2)];
    let existing = [
        stored(9, MONDAY, hm(9, 0), hm(9, 30), 2, 0),
        stored(4, MONDAY, hm(9, 0), hm(9, 30), 2, 0),
    ];
    let plan = reconcile(&plan_slots, &existing);
    assert_eq!(plan.delete, [9]);
    assert!(plan.create.is_empty());
}

#[test]
fn reconcile_is_idempotent() {
    let mut templates = office_hours(COUNTER_A);
    templates.push(template(
        COUNTER_A,
        Weekday::Saturday,
        hm(9, 0),
        hm(12, 0),
        30,
        1,
    ));
    let plan_slots = planned_slots(&templates, &[], &MUNICIPAL, MONDAY, SUNDAY);
    // Storage as an older configuration left it: 1 clerk, 30-minute Monday slots,
    // a Sunday slot that no template makes any more, and a few bookings.
    let existing = [
        stored(1, MONDAY, hm(8, 30), hm(9, 0), 1, 1),
        stored(2, MONDAY, hm(9, 0), hm(9, 30), 1, 0),
        stored(3, date!(2025 - 06 - 03), hm(8, 30), hm(8, 45), 1, 1),
        stored(4, date!(2025 - 06 - 03), hm(8, 45), hm(9, 0), 5, 3),
        stored(5, SUNDAY, hm(9, 0), hm(9, 30), 1, 0),
        stored(6, SUNDAY, hm(9, 30), hm(10, 0), 1, 1),
    ];
    let first = reconcile(&plan_slots, &existing);
    assert_eq!(first.delete, [2, 5]);
    assert_eq!(first.set_capacity, [(3, 2)]);
    assert_eq!(first.conflicts.len(), 3, "{:?}", first.conflicts);
    // 175 weekday + 6 Saturday slots planned; ids 3 and 4 already stand, id 1 blocks 8:30 Monday.
    assert_eq!(first.create.len(), 175 + 6 - 3);

    let after = apply(&first, &existing);
    let second = reconcile(&plan_slots, &after);
    assert!(second.is_noop(), "{second:?}");
    assert_eq!(second.conflicts, first.conflicts);

    // Without bookings in the way the second run is fully empty.
    let fresh = apply(&reconcile(&plan_slots, &[]), &[]);
    assert_eq!(reconcile(&plan_slots, &fresh), SlotPlan::default());
}
