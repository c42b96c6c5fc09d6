//! Opening templates and closures: what slots are materialised from; and the admin's
//! schedule changes, each saved with its re-materialised slots in one transaction.
use std::collections::{BTreeMap, HashMap, HashSet};

use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::Date;

use super::audit::{AuditEntry, AuditWrites};
use super::schema::{
    booking_slots, bookings, closures, counters, opening_templates, services, tenants,
};
use super::slots::{MaterialiseReport, MaterialiseWrites};
use super::tenants::CARD_PICKUP;
use super::{Db, DbError};
use crate::core::grid::format_hhmm;
use crate::core::resident_input::format_date_with_weekday;
use crate::core::schedule::SlotConflict;
use crate::{db_read, db_write};

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = opening_templates)]
pub struct NewOpeningTemplate {
    pub counter_id: i64,
    pub service_id: i64,
    /// 1 = Monday .. 7 = Sunday.
    pub weekday: i32,
    pub opens_min: i32,
    pub closes_min: i32,
    pub slot_min: i32,
    pub clerks: i32,
}

pub async fn add_opening_templates(db: &Db, rows: &[NewOpeningTemplate]) -> Result<(), DbError> {
    db_write!(db, |conn| {
        // One statement per row: diesel's multi-row insert is not available for SQLite
        // through the async wrapper.
        for row in rows {
            diesel::insert_into(opening_templates::table)
                .values(row)
                .execute(conn)
                .await?;
        }
        Ok(())
    })
}

// ---- the admin's schedule page ----------------------------------------------------------

/// A weekly opening as stored, for the schedule page.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = opening_templates)]
pub struct TemplateRecord {
    pub id: i64,
    pub counter_id: i64,
    /// 1 = Monday .. 7 = Sunday.
    pub weekday: i32,
    pub opens_min: i32,
    pub closes_min: i32,
    pub slot_min: i32,
    pub clerks: i32,
    pub valid_from: Option<Date>,
    pub valid_until: Option<Date>,
}

/// A closure as stored, for the schedule page.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = closures)]
pub struct ClosureRecord {
    pub id: i64,
    pub counter_id: Option<i64>,
    pub first_day: Date,
    pub last_day: Date,
    pub reason: String,
}

/// Every opening template of the tenant's counters, by counter, weekday and time.
pub async fn templates(db: &Db, tenant_id: i64) -> Result<Vec<TemplateRecord>, DbError> {
    db_read!(db, |conn| {
        Ok(opening_templates::table
            .inner_join(counters::table)
            .filter(counters::tenant_id.eq(tenant_id))
            .order((
                opening_templates::counter_id,
                opening_templates::weekday,
                opening_templates::opens_min,
                opening_templates::id,
            ))
            .select(TemplateRecord::as_select())
            .load(conn)
            .await?)
    })
}

/// The tenant's closures that end on or after `from`, earliest first.
pub async fn closures_from(
    db: &Db,
    tenant_id: i64,
    from: Date,
) -> Result<Vec<ClosureRecord>, DbError> {
    db_read!(db, |conn| {
        Ok(closures::table
            .filter(closures::tenant_id.eq(tenant_id))
            .filter(closures::last_day.ge(from))
            .order((closures::first_day, closures::id))
            .select(ClosureRecord::as_select())
            .load(conn)
            .await?)
    })
}

/// A counter's details as typed on the schedule page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterFields {
    pub name: String,
    pub address: String,
    pub directions: String,
    pub map_url: Option<String>,
}

/// The times of a weekly opening as typed on the schedule page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateFields {
    /// 1 = Monday .. 7 = Sunday.
    pub weekday: i32,
    pub opens_min: i32,
    pub closes_min: i32,
    pub slot_min: i32,
    pub clerks: i32,
}

/// One change an administrator saves on the schedule page. Every id is checked against
/// the tenant: an id of another municipality is "not found".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleChange {
    AddCounter(CounterFields),
    EditCounter {
        id: i64,
        fields: CounterFields,
    },
    /// Deactivating takes the counter's slots away (refused while people are booked there);
    /// reactivating brings them back.
    SetCounterActive {
        id: i64,
        active: bool,
    },
    AddTemplate {
        counter_id: i64,
        fields: TemplateFields,
    },
    EditTemplate {
        id: i64,
        fields: TemplateFields,
    },
    DeleteTemplate {
        id: i64,
    },
    /// `counter_id` None closes every counter.
    AddClosure {
        counter_id: Option<i64>,
        first_day: Date,
        last_day: Date,
        reason: String,
    },
    DeleteClosure {
        id: i64,
    },
    SetCalendar {
        close_on_holidays: bool,
        close_year_end: bool,
    },
    SetWindow {
        booking_window_days: i32,
    },
}

/// Who saves a change, and when.
#[derive(Debug, Clone, Copy)]
pub struct ChangeContext {
    pub tenant_id: i64,
    pub staff_user_id: Option<i64>,
    /// Slots from this day on are re-materialised.
    pub today: Date,
    pub now: i64,
}

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

/// What became of a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Saved with its audit entry; `id` is the new row's for additions.
    Saved {
        id: Option<i64>,
        report: MaterialiseReport,
    },
    /// The values are what is stored already: nothing written.
    Unchanged,
    /// The id does not exist for this tenant.
    NotFound,
    /// Nothing was saved: the new schedule would take slots from people who booked them.
    Refused(Refusal),
}

/// The error that rolls a refused change back; its details travel beside it.
const STRANDS_BOOKINGS: &str = "schedule change strands bookings";

/// Saves `change`, re-materialises the tenant's slots from `ctx.today` on and writes the
/// `schedule_change` audit entry, all in one write transaction. When the new schedule
/// would remove or shrink a slot with places taken, everything is rolled back and the
/// bookings in the way are returned. Conflicts that existed before the change (e.g. a
/// holiday added to the calendar after people booked) do not block unrelated changes.
pub async fn apply(
    db: &Db,
    ctx: &ChangeContext,
    change: &ScheduleChange,
) -> Result<Applied, DbError> {
    let mut refusal: Option<Refusal> = None;
    let refusal_out = &mut refusal;
    let outcome = db_write!(db, |conn| {
        let before = conn.slot_plan_in(ctx.tenant_id, ctx.today).await?.conflicts;
        let Some(done) = conn.change_in(ctx, change).await? else {
            return Ok(Applied::NotFound);
        };
        let Some(detail) = done.detail else {
            return Ok(Applied::Unchanged);
        };
        let mut report = conn.materialise_in(ctx.tenant_id, ctx.today).await?;
        if report.skipped > 0 {
            // Places were taken while this ran: what stands in the way now is the truth.
            report.conflicts = conn.slot_plan_in(ctx.tenant_id, ctx.today).await?.conflicts;
        }
        let new_conflicts: Vec<SlotConflict> = report
            .conflicts
            .iter()
            .filter(|c| !before.contains(c))
            .cloned()
            .collect();
        if !new_conflicts.is_empty() {
            *refusal_out = Some(conn.refusal_in(ctx.tenant_id, &new_conflicts).await?);
            return Err(DbError::Conflict(STRANDS_BOOKINGS));
        }
        let detail = format!("{detail}{}", report_note(&report));
        conn.audit_in(&AuditEntry {
            tenant_id: ctx.tenant_id,
            staff_user_id: ctx.staff_user_id,
            action: "schedule_change",
            booking_id: None,
            detail: &detail,
            now: ctx.now,
        })
        .await?;
        Ok(Applied::Saved {
            id: done.id,
            report,
        })
    });
    match outcome {
        Err(DbError::Conflict(STRANDS_BOOKINGS)) => {
            Ok(Applied::Refused(refusal.unwrap_or_default()))
        }
        other => other,
    }
}

/// Changes the schedule left unapplied because places are taken (e.g. a holiday added to
/// the calendar after people booked that day): for the schedule page to show.
pub async fn pending_conflicts(db: &Db, tenant_id: i64, today: Date) -> Result<Refusal, DbError> {
    db_read!(db, |conn| {
        let plan = conn.slot_plan_in(tenant_id, today).await?;
        if plan.conflicts.is_empty() {
            return Ok(Refusal::default());
        }
        conn.refusal_in(tenant_id, &plan.conflicts).await
    })
}

/// "(予約枠: 追加35・削除0・定員変更0)" for the audit entry; empty when no slot changed.
fn report_note(report: &MaterialiseReport) -> String {
    if report.created + report.deleted + report.capacity_changed == 0 {
        return String::new();
    }
    format!(
        "(予約枠: 追加{}・削除{}・定員変更{})",
        report.created, report.deleted, report.capacity_changed
    )
}

/// What a change did inside the transaction.
struct Done {
    id: Option<i64>,
    /// The audit detail; None when nothing changed.
    detail: Option<String>,
}

impl Done {
    fn saved(id: Option<i64>, detail: String) -> Option<Done> {
        Some(Done {
            id,
            detail: Some(detail),
        })
    }
    fn unchanged() -> Option<Done> {
        Some(Done {
            id: None,
            detail: None,
        })
    }
}

/// "月曜" for 1.
pub fn weekday_label(weekday: i32) -> &'static str {
    const LABELS: [&str; 7] = ["月曜", "火曜", "水曜", "木曜", "金曜", "土曜", "日曜"];
    usize::try_from(weekday - 1)
        .ok()
        .and_then(|i| LABELS.get(i))
        .copied()
        .unwrap_or("?")
}

fn describe_template(t: &TemplateFields) -> String {
    format!(
        "{} {}〜{}({}分枠・職員{}人)",
        weekday_label(t.weekday),
        format_hhmm(t.opens_min),
        format_hhmm(t.closes_min),
        t.slot_min,
        t.clerks
    )
}

fn describe_days(first: Date, last: Date) -> String {
    if first == last {
        format_date_with_weekday(first)
    } else {
        format!(
            "{}〜{}",
            format_date_with_weekday(first),
            format_date_with_weekday(last)
        )
    }
}

fn on_off(closed: bool) -> &'static str {
    if closed { "休業" } else { "受付" }
}

fn fields_of(t: &TemplateRecord) -> TemplateFields {
    TemplateFields {
        weekday: t.weekday,
        opens_min: t.opens_min,
        closes_min: t.closes_min,
        slot_min: t.slot_min,
        clerks: t.clerks,
    }
}

/// The schedule's storage steps inside `apply`'s transaction.
trait ScheduleWrites {
    /// Applies the change; None when an id is not the tenant's.
    fn change_in(
        &mut self,
        ctx: &ChangeContext,
        change: &ScheduleChange,
    ) -> impl Future<Output = Result<Option<Done>, DbError>> + Send;
    /// The tenant's counter name, None when the id is not the tenant's.
    fn counter_name_in(
        &mut self,
        tenant_id: i64,
        counter_id: i64,
    ) -> impl Future<Output = Result<Option<String>, DbError>> + Send;
    /// The template, when its counter is the tenant's.
    fn template_in(
        &mut self,
        tenant_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<Option<TemplateRecord>, DbError>> + Send;
    /// The bookings in the conflicting slots, in one query.
    fn refusal_in(
        &mut self,
        tenant_id: i64,
        conflicts: &[SlotConflict],
    ) -> impl Future<Output = Result<Refusal, DbError>> + Send;
}

crate::impl_for_both_backends!(ScheduleWrites {
    async fn counter_name_in(
        &mut self,
        tenant_id: i64,
        counter_id: i64,
    ) -> Result<Option<String>, DbError> {
        Ok(counters::table
            .filter(counters::id.eq(counter_id))
            .filter(counters::tenant_id.eq(tenant_id))
            .select(counters::name)
            .get_result(self)
            .await
            .optional()?)
    }

    async fn template_in(
        &mut self,
        tenant_id: i64,
        id: i64,
    ) -> Result<Option<TemplateRecord>, DbError> {
        Ok(opening_templates::table
            .inner_join(counters::table)
            .filter(opening_templates::id.eq(id))
            .filter(counters::tenant_id.eq(tenant_id))
            .select(TemplateRecord::as_select())
            .get_result(self)
            .await
            .optional()?)
    }

    async fn change_in(
        &mut self,
        ctx: &ChangeContext,
        change: &ScheduleChange,
    ) -> Result<Option<Done>, DbError> {
        let tenant_id = ctx.tenant_id;
        match change {
            ScheduleChange::AddCounter(fields) => {
                let position: Option<i32> = counters::table
                    .filter(counters::tenant_id.eq(tenant_id))
                    .select(diesel::dsl::max(counters::position))
                    .get_result(self)
                    .await?;
                let id: i64 = diesel::insert_into(counters::table)
                    .values((
                        counters::tenant_id.eq(tenant_id),
                        counters::name.eq(&fields.name),
                        counters::address.eq(&fields.address),
                        counters::directions.eq(&fields.directions),
                        counters::map_url.eq(fields.map_url.as_deref()),
                        counters::position.eq(position.unwrap_or(0) + 1),
                    ))
                    .returning(counters::id)
                    .get_result(self)
                    .await?;
                Ok(Done::saved(
                    Some(id),
                    format!("窓口「{}」を追加", fields.name),
                ))
            }
            ScheduleChange::EditCounter { id, fields } => {
                let old: Option<(String, String, String, Option<String>)> = counters::table
                    .filter(counters::id.eq(id))
                    .filter(counters::tenant_id.eq(tenant_id))
                    .select((
                        counters::name,
                        counters::address,
                        counters::directions,
                        counters::map_url,
                    ))
                    .get_result(self)
                    .await
                    .optional()?;
                let Some((name, address, directions, map_url)) = old else {
                    return Ok(None);
                };
                let mut what = Vec::new();
                if name != fields.name {
                    what.push(format!("名称を「{}」に", fields.name));
                }
                if address != fields.address {
                    what.push("住所".to_string());
                }
                if directions != fields.directions {
                    what.push("案内".to_string());
                }
                if map_url != fields.map_url {
                    what.push("地図URL".to_string());
                }
                if what.is_empty() {
                    return Ok(Done::unchanged());
                }
                diesel::update(counters::table.filter(counters::id.eq(id)))
                    .set((
                        counters::name.eq(&fields.name),
                        counters::address.eq(&fields.address),
                        counters::directions.eq(&fields.directions),
                        counters::map_url.eq(fields.map_url.as_deref()),
                    ))
                    .execute(self)
                    .await?;
                Ok(Done::saved(
                    None,
                    format!("窓口「{name}」を変更: {}", what.join("、")),
                ))
            }
            ScheduleChange::SetCounterActive { id, active } => {
                let old: Option<(String, bool)> = counters::table
                    .filter(counters::id.eq(id))
                    .filter(counters::tenant_id.eq(tenant_id))
                    .select((counters::name, counters::active))
                    .get_result(self)
                    .await
                    .optional()?;
                let Some((name, was_active)) = old else {
                    return Ok(None);
                };
                if was_active == *active {
                    return Ok(Done::unchanged());
                }
                diesel::update(counters::table.filter(counters::id.eq(id)))
                    .set(counters::active.eq(active))
                    .execute(self)
                    .await?;
                let what = if *active {
                    "受付を再開"
                } else {
                    "受付を停止"
                };
                Ok(Done::saved(None, format!("窓口「{name}」の{what}")))
            }
            ScheduleChange::AddTemplate { counter_id, fields } => {
                let Some(name) = self.counter_name_in(tenant_id, *counter_id).await? else {
                    return Ok(None);
                };
                let service_id: i64 = services::table
                    .filter(services::tenant_id.eq(tenant_id))
                    .filter(services::kind.eq(CARD_PICKUP))
                    .select(services::id)
                    .get_result(self)
                    .await?;
                let id: i64 = diesel::insert_into(opening_templates::table)
                    .values(&NewOpeningTemplate {
                        counter_id: *counter_id,
                        service_id,
                        weekday: fields.weekday,
                        opens_min: fields.opens_min,
                        closes_min: fields.closes_min,
                        slot_min: fields.slot_min,
                        clerks: fields.clerks,
                    })
                    .returning(opening_templates::id)
                    .get_result(self)
                    .await?;
                Ok(Done::saved(
                    Some(id),
                    format!(
                        "窓口「{name}」の受付時間を追加: {}",
                        describe_template(fields)
                    ),
                ))
            }
            ScheduleChange::EditTemplate { id, fields } => {
                let Some(old) = self.template_in(tenant_id, *id).await? else {
                    return Ok(None);
                };
                let before = fields_of(&old);
                if before == *fields {
                    return Ok(Done::unchanged());
                }
                let name = self
                    .counter_name_in(tenant_id, old.counter_id)
                    .await?
                    .unwrap_or_default();
                diesel::update(opening_templates::table.filter(opening_templates::id.eq(id)))
                    .set((
                        opening_templates::weekday.eq(fields.weekday),
                        opening_templates::opens_min.eq(fields.opens_min),
                        opening_templates::closes_min.eq(fields.closes_min),
                        opening_templates::slot_min.eq(fields.slot_min),
                        opening_templates::clerks.eq(fields.clerks),
                    ))
                    .execute(self)
                    .await?;
                Ok(Done::saved(
                    None,
                    format!(
                        "窓口「{name}」の受付時間を変更: {} → {}",
                        describe_template(&before),
                        describe_template(fields)
                    ),
                ))
            }
            ScheduleChange::DeleteTemplate { id } => {
                let Some(old) = self.template_in(tenant_id, *id).await? else {
                    return Ok(None);
                };
                let name = self
                    .counter_name_in(tenant_id, old.counter_id)
                    .await?
                    .unwrap_or_default();
                diesel::delete(opening_templates::table.filter(opening_templates::id.eq(id)))
                    .execute(self)
                    .await?;
                Ok(Done::saved(
                    None,
                    format!(
                        "窓口「{name}」の受付時間を削除: {}",
                        describe_template(&fields_of(&old))
                    ),
                ))
            }
            ScheduleChange::AddClosure {
                counter_id,
                first_day,
                last_day,
                reason,
            } => {
                let place = match counter_id {
                    Some(c) => match self.counter_name_in(tenant_id, *c).await? {
                        Some(name) => format!("窓口「{name}」"),
                        None => return Ok(None),
                    },
                    None => "全窓口".to_string(),
                };
                let id: i64 = diesel::insert_into(closures::table)
                    .values((
                        closures::tenant_id.eq(tenant_id),
                        closures::counter_id.eq(counter_id),
                        closures::first_day.eq(first_day),
                        closures::last_day.eq(last_day),
                        closures::reason.eq(reason),
                    ))
                    .returning(closures::id)
                    .get_result(self)
                    .await?;
                Ok(Done::saved(
                    Some(id),
                    format!(
                        "休業日を追加: {} {place}「{reason}」",
                        describe_days(*first_day, *last_day)
                    ),
                ))
            }
            ScheduleChange::DeleteClosure { id } => {
                let old: Option<ClosureRecord> = closures::table
                    .filter(closures::id.eq(id))
                    .filter(closures::tenant_id.eq(tenant_id))
                    .select(ClosureRecord::as_select())
                    .get_result(self)
                    .await
                    .optional()?;
                let Some(old) = old else {
                    return Ok(None);
                };
                let place = match old.counter_id {
                    Some(c) => format!(
                        "窓口「{}」",
                        self.counter_name_in(tenant_id, c)
                            .await?
                            .unwrap_or_default()
                    ),
                    None => "全窓口".to_string(),
                };
                diesel::delete(closures::table.filter(closures::id.eq(id)))
                    .execute(self)
                    .await?;
                Ok(Done::saved(
                    None,
                    format!(
                        "休業日を削除: {} {place}「{}」",
                        describe_days(old.first_day, old.last_day),
                        old.reason
                    ),
                ))
            }
            ScheduleChange::SetCalendar {
                close_on_holidays,
                close_year_end,
            } => {
                let (holidays_was, year_end_was): (bool, bool) = tenants::table
                    .find(tenant_id)
                    .select((tenants::close_on_holidays, tenants::close_year_end))
                    .get_result(self)
                    .await?;
                let mut what = Vec::new();
                if holidays_was != *close_on_holidays {
                    what.push(format!(
                        "祝日: {}→{}",
                        on_off(holidays_was),
                        on_off(*close_on_holidays)
                    ));
                }
                if year_end_was != *close_year_end {
                    what.push(format!(
                        "年末年始: {}→{}",
                        on_off(year_end_was),
                        on_off(*close_year_end)
                    ));
                }
                if what.is_empty() {
                    return Ok(Done::unchanged());
                }
                diesel::update(tenants::table.find(tenant_id))
                    .set((
                        tenants::close_on_holidays.eq(close_on_holidays),
                        tenants::close_year_end.eq(close_year_end),
                    ))
                    .execute(self)
                    .await?;
                Ok(Done::saved(
                    None,
                    format!("休業日の設定を変更: {}", what.join("、")),
                ))
            }
            ScheduleChange::SetWindow {
                booking_window_days,
            } => {
                let window_was: i32 = tenants::table
                    .find(tenant_id)
                    .select(tenants::booking_window_days)
                    .get_result(self)
                    .await?;
                let mut what = Vec::new();
                if window_was != *booking_window_days {
                    what.push(format!(
                        "予約受付期間: {window_was}日先まで→{booking_window_days}日先まで"
                    ));
                }
                if what.is_empty() {
                    return Ok(Done::unchanged());
                }
                diesel::update(tenants::table.find(tenant_id))
                    .set(tenants::booking_window_days.eq(booking_window_days))
                    .execute(self)
                    .await?;
                Ok(Done::saved(None, what.join("、")))
            }
        }
    }

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
