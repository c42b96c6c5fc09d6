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
mod tests;
