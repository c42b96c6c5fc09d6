//! Turns weekly opening templates, closures and the holiday calendar into bookable slots, and diffs them against stored slots.

use std::collections::BTreeMap;

use time::{Date, Weekday};

use crate::core::holidays;

/// A counter's regular opening on one weekday, cut into slots of `slot_min` minutes.
/// Times are minutes after local midnight (JST).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningTemplate {
    pub counter_id: i64,
    pub service_id: i64,
    pub weekday: Weekday,
    pub opens_min: i32,
    pub closes_min: i32,
    pub slot_min: i32,
    /// Parallel clerks: how many citizens one slot can take.
    pub clerks: i32,
    /// First day the template applies (inclusive); `None` = since always.
    pub valid_from: Option<Date>,
    /// Last day the template applies (inclusive); `None` = until further notice.
    pub valid_until: Option<Date>,
}

/// Days a counter (or every counter) is shut outside the calendar rules, e.g. a system migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    /// `None` closes every counter of the municipality.
    pub counter_id: Option<i64>,
    pub first_day: Date,
    /// Inclusive.
    pub last_day: Date,
    pub reason: String,
}

/// Which calendar days the municipality closes on without listing them as closures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarRules {
    pub close_on_holidays: bool,
    /// 年末年始, 29 December – 3 January.
    pub close_year_end: bool,
}

/// What identifies a slot in storage: at most one slot per counter, service, day and start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SlotKey {
    pub counter_id: i64,
    pub service_id: i64,
    pub day: Date,
    pub start_min: i32,
}

/// A slot the templates say should exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedSlot {
    pub key: SlotKey,
    pub end_min: i32,
    pub capacity: i32,
}

/// A slot already stored, with how many of its places are booked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingSlot {
    pub id: i64,
    pub key: SlotKey,
    pub end_min: i32,
    pub capacity: i32,
    pub taken: i32,
    /// Closed to new bookings (see [`SlotPlan::close`]).
    pub closed: bool,
}

/// A change the plan asks for that would hurt citizens who already booked; left for staff to resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotConflict {
    /// The new plan wants fewer places than are already taken: reported, not applied.
    CapacityBelowTaken {
        slot_id: i64,
        key: SlotKey,
        taken: i32,
        wanted: i32,
    },
    /// The slot disappears from the plan (closure, shorter hours, removed template) but has places taken.
    RemovedWhileTaken {
        slot_id: i64,
        key: SlotKey,
        taken: i32,
        /// The closure's reason / holiday name when that is why; see [`SlotPlan::with_closure_reasons`].
        reason: Option<String>,
    },
}

/// The writes that bring stored slots in line with the plan, plus what could not be done safely.
///
/// Apply `delete` before `create`: a slot whose end moved is deleted and re-created under
/// the same key, which would otherwise collide with the storage's uniqueness on the key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlotPlan {
    pub create: Vec<PlannedSlot>,
    /// `(slot id, new capacity)`.
    pub set_capacity: Vec<(i64, i32)>,
    pub delete: Vec<i64>,
    /// Slots in conflict, closed to new bookings so the free places a closure or a cut in
    /// clerks took away are not offered; the people already in them keep their places.
    pub close: Vec<i64>,
    /// Closed slots the plan wants again without conflict.
    pub reopen: Vec<i64>,
    pub conflicts: Vec<SlotConflict>,
}

impl SlotPlan {
    /// Nothing to write. Conflicts do not count: they stay until staff move the bookings,
    /// so a plan with only conflicts is what a settled schedule looks like on every rerun.
    pub fn is_noop(&self) -> bool {
        self.create.is_empty()
            && self.set_capacity.is_empty()
            && self.delete.is_empty()
            && self.close.is_empty()
            && self.reopen.is_empty()
    }

    /// Fills the `reason` of [`SlotConflict::RemovedWhileTaken`] with why the day is closed,
    /// when a closure or the calendar is why; `reconcile` alone cannot know it.
    pub fn with_closure_reasons(mut self, closures: &[Closure], rules: &CalendarRules) -> Self {
        for conflict in &mut self.conflicts {
            if let SlotConflict::RemovedWhileTaken { key, reason, .. } = conflict
                && reason.is_none()
            {
                *reason = closed_reason(key.day, key.counter_id, closures, rules);
            }
        }
        self
    }
}

/// Name given to the 29 December – 3 January closure.
const YEAR_END_REASON: &str = "年末年始";

/// Minutes in a day: slots live within one local day.
const MINUTES_PER_DAY: i32 = 24 * 60;

/// Why a day is closed for a counter, if it is (closure reason, holiday name, or "年末年始").
///
/// An explicit closure wins over the calendar because its reason is what the municipality
/// chose to tell citizens; among closures the first one listed wins.
pub fn closed_reason(
    day: Date,
    counter_id: i64,
    closures: &[Closure],
    rules: &CalendarRules,
) -> Option<String> {
    if let Some(closure) = closures.iter().find(|closure| {
        closure.counter_id.is_none_or(|closed| closed == counter_id)
            && closure.first_day <= day
            && day <= closure.last_day
    }) {
        return Some(closure.reason.clone());
    }
    if rules.close_on_holidays
        && let Some(name) = holidays::holiday_name(day)
    {
        return Some(name.to_owned());
    }
    if rules.close_year_end && holidays::is_year_end_closure(day) {
        return Some(YEAR_END_REASON.to_owned());
    }
    None
}

/// What the templates, closures and calendar say the slots on days first..=last should be.
///
/// Sorted by key, one slot per key. Holidays are only known up to
/// [`holidays::covered_until`]; later days are treated as ordinary days.
pub fn planned_slots(
    templates: &[OpeningTemplate],
    closures: &[Closure],
    rules: &CalendarRules,
    first: Date,
    last: Date,
) -> Vec<PlannedSlot> {
    let usable: Vec<&OpeningTemplate> = templates.iter().filter(|t| is_usable(t)).collect();
    let mut by_key = BTreeMap::new();
    let mut day = first;
    while day <= last {
        for template in usable.iter().filter(|t| applies_on(t, day)) {
            if closed_reason(day, template.counter_id, closures, rules).is_some() {
                continue;
            }
            for slot in template_slots(template, day) {
                keep_larger(&mut by_key, slot);
            }
        }
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    by_key.into_values().collect()
}

/// Templates that cannot produce a sensible slot are skipped silently; the admin form
/// validates them with proper messages. Slots must also stay within one local day,
/// which also keeps the minute arithmetic far from overflow.
fn is_usable(template: &OpeningTemplate) -> bool {
    template.slot_min > 0
        && template.clerks > 0
        && template.opens_min >= 0
        && template.closes_min <= MINUTES_PER_DAY
        && template.closes_min > template.opens_min
}

fn applies_on(template: &OpeningTemplate, day: Date) -> bool {
    template.weekday == day.weekday()
        && template.valid_from.is_none_or(|from| from <= day)
        && template.valid_until.is_none_or(|until| day <= until)
}

/// Slots start at opening time and follow each other back to back; a remainder shorter
/// than a slot before closing is dropped rather than offered as a short slot.
fn template_slots(template: &OpeningTemplate, day: Date) -> impl Iterator<Item = PlannedSlot> + '_ {
    let last_start = template.closes_min - template.slot_min;
    (template.opens_min..=last_start)
        .step_by(template.slot_min as usize)
        .map(move |start_min| PlannedSlot {
            key: SlotKey {
                counter_id: template.counter_id,
                service_id: template.service_id,
                day,
                start_min,
            },
            end_min: start_min + template.slot_min,
            capacity: template.clerks,
        })
}

/// Two templates producing the same key are a configuration slip (overlapping hours).
/// Taking the larger capacity never strands a booking that the larger one already
/// allowed; on equal capacity the later end wins, so the outcome does not depend on
/// the order the templates were listed in.
fn keep_larger(by_key: &mut BTreeMap<SlotKey, PlannedSlot>, slot: PlannedSlot) {
    match by_key.get_mut(&slot.key) {
        Some(kept) => {
            if (slot.capacity, slot.end_min) > (kept.capacity, kept.end_min) {
                *kept = slot;
            }
        }
        None => {
            by_key.insert(slot.key, slot);
        }
    }
}

/// Compare the plan with the slots already stored for the same days: decide creates,
/// capacity changes and deletions. Every stored slot passed in is in scope, so one the
/// plan no longer has is deleted.
///
/// Bookings are never lost: capacity is never lowered below `taken` and a slot with
/// `taken > 0` is never deleted; those become conflicts instead. A slot whose start is
/// unchanged but whose end moved is deleted and re-created when nobody booked it, and is
/// a [`SlotConflict::RemovedWhileTaken`] when somebody did (their booked time is gone).
/// Idempotent: reconciling again after applying the writes gives a plan that
/// [`SlotPlan::is_noop`]. Every list comes out in key order.
pub fn reconcile(planned: &[PlannedSlot], existing: &[ExistingSlot]) -> SlotPlan {
    let mut wanted = BTreeMap::new();
    for slot in planned {
        keep_larger(&mut wanted, slot.clone());
    }

    // Storage keeps keys unique, but if it ever held two slots under one key, the
    // lowest id is the one matched and the others are treated as no longer planned.
    let mut stored: Vec<&ExistingSlot> = existing.iter().collect();
    stored.sort_by_key(|slot| (slot.key, slot.id));

    let mut plan = SlotPlan::default();
    let mut matched_key: Option<SlotKey> = None;
    for slot in stored {
        let is_duplicate = matched_key == Some(slot.key);
        matched_key = Some(slot.key);
        let target = if is_duplicate {
            None
        } else {
            wanted.remove(&slot.key)
        };
        match target {
            Some(target) if target.end_min == slot.end_min => {
                adjust_capacity(&mut plan, slot, target.capacity);
            }
            Some(target) => {
                if slot.taken > 0 {
                    conflict(&mut plan, slot, removed_while_taken(slot));
                } else {
                    plan.delete.push(slot.id);
                    plan.create.push(target);
                }
            }
            None => {
                if slot.taken > 0 {
                    conflict(&mut plan, slot, removed_while_taken(slot));
                } else {
                    plan.delete.push(slot.id);
                }
            }
        }
    }
    plan.create.extend(wanted.into_values());
    plan.create.sort_by_key(|slot| slot.key);
    plan
}

fn adjust_capacity(plan: &mut SlotPlan, slot: &ExistingSlot, wanted: i32) {
    if wanted < slot.taken {
        let below = SlotConflict::CapacityBelowTaken {
            slot_id: slot.id,
            key: slot.key,
            taken: slot.taken,
            wanted,
        };
        conflict(plan, slot, below);
        return;
    }
    if wanted != slot.capacity {
        plan.set_capacity.push((slot.id, wanted));
    }
    if slot.closed {
        plan.reopen.push(slot.id);
    }
}

/// Reports `conflict` and closes the slot to new bookings (once).
fn conflict(plan: &mut SlotPlan, slot: &ExistingSlot, conflict: SlotConflict) {
    plan.conflicts.push(conflict);
    if !slot.closed {
        plan.close.push(slot.id);
    }
}

fn removed_while_taken(slot: &ExistingSlot) -> SlotConflict {
    SlotConflict::RemovedWhileTaken {
        slot_id: slot.id,
        key: slot.key,
        taken: slot.taken,
        reason: None,
    }
}

#[cfg(test)]
mod tests {
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
}
