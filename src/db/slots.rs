//! Slots: materialising them from opening templates, and taking and giving back places.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::Date;

use std::collections::{BTreeMap, HashSet};

use super::schema::{
    booking_slots, closures, counters, hold_slots, holds, opening_templates, services, slots,
    tenants, vaccination_settings, waitlist_places,
};
use super::{Db, DbError};
use crate::core::schedule::{
    self, CalendarRules, Closure, ExistingSlot, OpeningTemplate, SlotConflict, SlotKey, SlotPlan,
};
use crate::{db_read, db_write};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = slots)]
pub struct Slot {
    pub id: i64,
    pub counter_id: i64,
    pub service_id: i64,
    pub day: Date,
    pub start_min: i32,
    pub end_min: i32,
    pub capacity: i32,
    pub taken: i32,
    /// No new places may be taken: the schedule no longer wants this slot (or wants fewer
    /// places than are taken), but people are booked in it.
    pub closed: bool,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = opening_templates)]
struct TemplateRow {
    counter_id: i64,
    service_id: i64,
    weekday: i32,
    opens_min: i32,
    closes_min: i32,
    slot_min: i32,
    clerks: i32,
    valid_from: Option<Date>,
    valid_until: Option<Date>,
}

impl TemplateRow {
    fn into_template(self) -> Option<OpeningTemplate> {
        Some(OpeningTemplate {
            counter_id: self.counter_id,
            service_id: self.service_id,
            weekday: weekday_from_number(self.weekday)?,
            opens_min: self.opens_min,
            closes_min: self.closes_min,
            slot_min: self.slot_min,
            clerks: self.clerks,
            valid_from: self.valid_from,
            valid_until: self.valid_until,
        })
    }
}

/// What one materialisation run did, and what it refused to do.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MaterialiseReport {
    pub created: usize,
    pub capacity_changed: usize,
    pub deleted: usize,
    /// Slots closed to new bookings because the schedule no longer wants them (or wants
    /// fewer places) while people are booked in them; see [`SlotConflict`].
    pub closed: usize,
    /// Closed slots the schedule wants again, open once more.
    pub reopened: usize,
    /// Changes not applied because places are already taken: for a person to resolve.
    pub conflicts: Vec<SlotConflict>,
    /// Deletions and capacity changes the plan asked for that found places taken when they
    /// ran (somebody held or booked in between, possible on PostgreSQL): those slots are
    /// conflicts now, which planning again shows.
    pub skipped: usize,
}

/// Brings the tenant's slots from `today` to the end of its booking window in line with its
/// opening templates, closures and holiday rules. Idempotent; never lowers capacity below
/// what is taken and never deletes a slot with places taken (those become conflicts).
///
/// This is the background job's entry point: it applies what it safely can and reports the
/// rest. A change made by staff runs [`MaterialiseWrites::materialise_in`] inside its own
/// write transaction instead, so it can refuse the change when it would strand bookings.
pub async fn materialise(
    db: &Db,
    tenant_id: i64,
    today: Date,
) -> Result<MaterialiseReport, DbError> {
    db_write!(db, |conn| { conn.materialise_in(tenant_id, today).await })
}

/// How many ids go into one `IN (...)`: far below SQLite's limit on bound parameters.
const ID_CHUNK: usize = 500;

/// Slot materialisation as steps inside a caller's write transaction.
pub trait MaterialiseWrites {
    /// What materialising now would do, without writing anything.
    ///
    /// The plan covers `today` to the end of the booking window. Stored slots after the
    /// window's end (left there when the window was shortened) are in scope too: a free one
    /// is deleted, one with places taken is kept while the schedule still has it and is a
    /// conflict when a closure or template change removes it, so no booking is ever missed.
    fn slot_plan_in(
        &mut self,
        tenant_id: i64,
        today: Date,
    ) -> impl Future<Output = Result<SlotPlan, DbError>> + Send;

    /// Computes the plan and applies every write in it; conflicts are reported, not applied.
    fn materialise_in(
        &mut self,
        tenant_id: i64,
        today: Date,
    ) -> impl Future<Output = Result<MaterialiseReport, DbError>> + Send;
}

crate::impl_for_both_backends!(MaterialiseWrites {
    async fn slot_plan_in(&mut self, tenant_id: i64, today: Date) -> Result<SlotPlan, DbError> {
        let (window_days, close_on_holidays, close_year_end): (i32, bool, bool) = tenants::table
            .find(tenant_id)
            .select((
                tenants::booking_window_days,
                tenants::close_on_holidays,
                tenants::close_year_end,
            ))
            .get_result(self)
            .await?;
        // Each service books as far ahead as its own window: card pickup the tenant's, the
        // vaccination service its settings' (further ahead, as a month calendar pages).
        let vaccination_window: Option<(i64, i32)> = vaccination_settings::table
            .inner_join(services::table)
            .filter(vaccination_settings::tenant_id.eq(tenant_id))
            .filter(services::active.eq(true))
            .select((vaccination_settings::service_id, vaccination_settings::booking_window_days))
            .get_result(self)
            .await
            .optional()?;
        let until = |days: i32| today.saturating_add(time::Duration::days(days.max(0).into()));
        let pickup_last = until(window_days);
        let last_of = |service_id: i64| match vaccination_window {
            Some((vaccination, days)) if vaccination == service_id => until(days),
            _ => pickup_last,
        };
        let last = pickup_last.max(vaccination_window.map_or(pickup_last, |(_, d)| until(d)));
        let existing: Vec<ExistingSlot> = slots::table
            .filter(slots::tenant_id.eq(tenant_id))
            .filter(slots::day.ge(today))
            .select(Slot::as_select())
            .load(self)
            .await?
            .into_iter()
            .map(|s| ExistingSlot {
                id: s.id,
                key: SlotKey {
                    counter_id: s.counter_id,
                    service_id: s.service_id,
                    day: s.day,
                    start_min: s.start_min,
                },
                end_min: s.end_min,
                capacity: s.capacity,
                taken: s.taken,
                closed: s.closed,
            })
            .collect();
        let horizon = existing
            .iter()
            .map(|s| s.key.day)
            .max()
            .map_or(last, |latest| latest.max(last));

        let templates: Vec<OpeningTemplate> = opening_templates::table
            .inner_join(counters::table)
            .filter(counters::tenant_id.eq(tenant_id))
            .filter(counters::active.eq(true))
            .select(TemplateRow::as_select())
            .load(self)
            .await?
            .into_iter()
            .filter_map(TemplateRow::into_template)
            .collect();

        let closure_rows: Vec<crate::db::schedule::ClosureRecord> = closures::table
            .filter(closures::tenant_id.eq(tenant_id))
            .filter(closures::last_day.ge(today))
            .filter(closures::first_day.le(horizon))
            .select(crate::db::schedule::ClosureRecord::as_select())
            .load(self)
            .await?;
        // A closure of every counter of one service is, to the plan, a closure of each of
        // that service's counters: the plan knows counters, not services.
        let counter_kinds: Vec<(i64, String)> = counters::table
            .filter(counters::tenant_id.eq(tenant_id))
            .select((counters::id, counters::service_kind))
            .load(self)
            .await?;
        let mut closures: Vec<Closure> = Vec::with_capacity(closure_rows.len());
        for row in closure_rows {
            let closure = |counter_id| Closure {
                counter_id,
                first_day: row.first_day,
                last_day: row.last_day,
                reason: row.reason.clone(),
            };
            match (row.counter_id, row.service_kind.clone()) {
                (None, Some(kind)) => closures.extend(
                    counter_kinds
                        .iter()
                        .filter(|(_, k)| *k == kind)
                        .map(|(id, _)| closure(Some(*id))),
                ),
                (counter_id, _) => closures.push(closure(counter_id)),
            }
        }

        let rules = CalendarRules {
            close_on_holidays,
            close_year_end,
        };
        // After the window's end only slots somebody holds or booked are still wanted.
        let taken_beyond: HashSet<SlotKey> = existing
            .iter()
            .filter(|s| s.key.day > last_of(s.key.service_id) && s.taken > 0)
            .map(|s| s.key)
            .collect();
        let mut planned = schedule::planned_slots(&templates, &closures, &rules, today, horizon);
        planned.retain(|p| p.key.day <= last_of(p.key.service_id) || taken_beyond.contains(&p.key));
        // The キャンセル枠 a venue posted for the waitlist (issue 13) are places on top of the
        // timetable's: the plan keeps them, or the next run would take them away again.
        let posted: Vec<(i64, i32)> = waitlist_places::table
            .filter(waitlist_places::tenant_id.eq(tenant_id))
            .filter(waitlist_places::source.eq("venue"))
            .select((waitlist_places::slot_id, waitlist_places::places))
            .load(self)
            .await?;
        if !posted.is_empty() {
            let mut extra: std::collections::HashMap<SlotKey, i32> = Default::default();
            for (slot_id, places) in posted {
                if let Some(slot) = existing.iter().find(|s| s.id == slot_id) {
                    *extra.entry(slot.key).or_default() += places;
                }
            }
            for p in &mut planned {
                if let Some(more) = extra.get(&p.key) {
                    p.capacity += more;
                }
            }
        }
        Ok(schedule::reconcile(&planned, &existing).with_closure_reasons(&closures, &rules))
    }

    async fn materialise_in(
        &mut self,
        tenant_id: i64,
        today: Date,
    ) -> Result<MaterialiseReport, DbError> {
        let plan = self.slot_plan_in(tenant_id, today).await?;
        let mut report = MaterialiseReport {
            conflicts: plan.conflicts,
            ..MaterialiseReport::default()
        };
        let planned_writes = plan.delete.len() + plan.set_capacity.len();
        for (ids, closed) in [(&plan.close, true), (&plan.reopen, false)] {
            for chunk in ids.chunks(ID_CHUNK) {
                let changed = diesel::update(slots::table.filter(slots::id.eq_any(chunk)))
                    .set(slots::closed.eq(closed))
                    .execute(self)
                    .await?;
                if closed {
                    report.closed += changed;
                } else {
                    report.reopened += changed;
                }
            }
        }
        // Deletions first: a slot whose end changed is deleted and created again. Only free
        // slots go (`taken = 0`, checked again by each statement). The rows of released holds
        // and cancelled bookings that still name such a slot would block the delete through
        // their foreign keys; they describe places already given back, so they go with it.
        for chunk in plan.delete.chunks(ID_CHUNK) {
            let free = || {
                slots::table
                    .filter(slots::id.eq_any(chunk))
                    .filter(slots::taken.eq(0))
                    .select(slots::id)
            };
            diesel::delete(hold_slots::table.filter(hold_slots::slot_id.eq_any(free())))
                .execute(self)
                .await?;
            diesel::delete(booking_slots::table.filter(booking_slots::slot_id.eq_any(free())))
                .execute(self)
                .await?;
            // A slot the timetable no longer has is no place for the waitlist either.
            diesel::delete(waitlist_places::table.filter(waitlist_places::slot_id.eq_any(free())))
                .execute(self)
                .await?;
            report.deleted += diesel::delete(
                slots::table
                    .filter(slots::id.eq_any(chunk))
                    .filter(slots::taken.eq(0)),
            )
            .execute(self)
            .await?;
        }
        // One statement per new capacity rather than per slot.
        let mut by_capacity: BTreeMap<i32, Vec<i64>> = BTreeMap::new();
        for (id, capacity) in plan.set_capacity {
            by_capacity.entry(capacity).or_default().push(id);
        }
        for (capacity, ids) in by_capacity {
            for chunk in ids.chunks(ID_CHUNK) {
                report.capacity_changed += diesel::update(
                    slots::table
                        .filter(slots::id.eq_any(chunk))
                        .filter(slots::taken.le(capacity)),
                )
                .set(slots::capacity.eq(capacity))
                .execute(self)
                .await?;
            }
        }
        report.skipped = planned_writes.saturating_sub(report.deleted + report.capacity_changed);
        for slot in plan.create {
            report.created += diesel::insert_into(slots::table)
                .values((
                    slots::tenant_id.eq(tenant_id),
                    slots::counter_id.eq(slot.key.counter_id),
                    slots::service_id.eq(slot.key.service_id),
                    slots::day.eq(slot.key.day),
                    slots::start_min.eq(slot.key.start_min),
                    slots::end_min.eq(slot.end_min),
                    slots::capacity.eq(slot.capacity),
                ))
                .on_conflict_do_nothing()
                .execute(self)
                .await?;
        }
        Ok(report)
    }
});

/// 1 = Monday .. 7 = Sunday, as stored in opening_templates.weekday.
pub fn weekday_from_number(n: i32) -> Option<time::Weekday> {
    use time::Weekday::*;
    Some(match n {
        1 => Monday,
        2 => Tuesday,
        3 => Wednesday,
        4 => Thursday,
        5 => Friday,
        6 => Saturday,
        7 => Sunday,
        _ => return None,
    })
}

/// Takes one place in each of `slot_ids`, all or none. The conditional update is what makes
/// this safe under concurrency on both databases (a read-then-write would oversell under
/// PostgreSQL's READ COMMITTED); the CHECK constraint is the backstop.
pub async fn take_places(db: &Db, slot_ids: &[i64]) -> Result<bool, DbError> {
    let outcome = db_write!(db, |conn| {
        conn.take_places_in(slot_ids).await?;
        Ok(())
    });
    match outcome {
        Ok(()) => Ok(true),
        Err(DbError::Conflict(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Place-taking steps that run inside a caller's write transaction.
pub trait SlotWrites {
    /// One place in each slot, or `DbError::Conflict` (which rolls the transaction back)
    /// when any of them is full.
    fn take_places_in(
        &mut self,
        slot_ids: &[i64],
    ) -> impl Future<Output = Result<(), DbError>> + Send;
    /// Gives one place back in each slot (a released hold, a cancelled booking).
    fn release_places_in(
        &mut self,
        slot_ids: &[i64],
    ) -> impl Future<Output = Result<(), DbError>> + Send;
}

crate::impl_for_both_backends!(SlotWrites {
    async fn take_places_in(&mut self, slot_ids: &[i64]) -> Result<(), DbError> {
        for &id in slot_ids {
            let updated = diesel::update(slots::table)
                .filter(slots::id.eq(id).and(slots::taken.lt(slots::capacity)))
                .filter(slots::closed.eq(false))
                .set(slots::taken.eq(slots::taken + 1))
                .execute(self)
                .await?;
            if updated != 1 {
                return Err(DbError::Conflict("slot full"));
            }
        }
        Ok(())
    }

    async fn release_places_in(&mut self, slot_ids: &[i64]) -> Result<(), DbError> {
        for &id in slot_ids {
            diesel::update(slots::table)
                .filter(slots::id.eq(id).and(slots::taken.gt(0)))
                .set(slots::taken.eq(slots::taken - 1))
                .execute(self)
                .await?;
        }
        Ok(())
    }
});

/// The counter's slots from `first` to `last` as stored. `taken` here still counts the places
/// of holds that expired and were not yet released: for what a resident may take, read
/// [`find_free_by_counter_days`].
/// The counter's slots from `first` to `last` with the places free at `now`: `taken` here
/// leaves out the places of holds past their expiry that nobody has released yet, so an
/// expired hold never makes a slot look full (see [`super::holds`]; the stored counter
/// catches up when the next hold on the slot, the refused confirmation or the job releases
/// it, exactly once).
pub async fn find_free_by_counter_days(
    db: &Db,
    counter_id: i64,
    first: Date,
    last: Date,
    now: i64,
) -> Result<Vec<Slot>, DbError> {
    db_read!(db, |conn| {
        let in_range = slots::counter_id
            .eq(counter_id)
            .and(slots::day.ge(first))
            .and(slots::day.le(last));
        let mut rows: Vec<Slot> = slots::table
            .filter(in_range)
            .order((slots::day, slots::start_min))
            .select(Slot::as_select())
            .load(conn)
            .await?;
        // One row per place an expired hold still counts in `taken`; there are few.
        let expired_places: Vec<i64> = hold_slots::table
            .inner_join(holds::table)
            .inner_join(slots::table)
            .filter(in_range)
            .filter(holds::state.eq("active"))
            .filter(holds::expires_at.le(now))
            .select(hold_slots::slot_id)
            .load(conn)
            .await?;
        if !expired_places.is_empty() {
            let mut per_slot: BTreeMap<i64, i32> = BTreeMap::new();
            for id in expired_places {
                *per_slot.entry(id).or_default() += 1;
            }
            for row in &mut rows {
                if let Some(n) = per_slot.get(&row.id) {
                    row.taken = (row.taken - n).max(0);
                }
            }
        }
        Ok(rows)
    })
}

pub async fn find_by_counter_days(
    db: &Db,
    counter_id: i64,
    first: Date,
    last: Date,
) -> Result<Vec<Slot>, DbError> {
    db_read!(db, |conn| {
        Ok(slots::table
            .filter(slots::counter_id.eq(counter_id))
            .filter(slots::day.ge(first))
            .filter(slots::day.le(last))
            .order((slots::day, slots::start_min))
            .select(Slot::as_select())
            .load(conn)
            .await?)
    })
}

pub async fn find(db: &Db, id: i64) -> Result<Option<Slot>, DbError> {
    db_read!(db, |conn| {
        Ok(slots::table
            .find(id)
            .select(Slot::as_select())
            .get_result(conn)
            .await
            .optional()?)
    })
}
