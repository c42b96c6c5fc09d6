//! Opening templates and closures: what slots are materialised from; and the admin's
//! schedule changes, each saved with its re-materialised slots in one transaction.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::Date;

use super::audit::{AuditEntry, AuditWrites};
use super::schema::{closures, counters, opening_templates, services, tenants};
use super::slots::{MaterialiseReport, MaterialiseWrites};
use super::vaccination::VACCINATION;
use super::{Db, DbError};
use crate::core::grid::format_hhmm;
use crate::core::resident_input::format_date_with_weekday;
use crate::core::schedule::SlotConflict;
use crate::{db_read, db_write};

mod refusal;

use refusal::RefusalReads;
pub use refusal::{AffectedBooking, Refusal};

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
    /// Without a counter: `None` closes every counter and venue, `Some(kind)` every counter
    /// of that service (`CARD_PICKUP`, `VACCINATION`).
    pub service_kind: Option<String>,
}

impl ClosureRecord {
    /// Where the closure applies, in the words of the console's lists and audit log.
    pub fn place_label(&self, counter_name: Option<&str>) -> String {
        closure_place(counter_name, self.service_kind.as_deref())
    }
}

/// 「すべての窓口・接種会場」, 「すべての窓口」, 「すべての接種会場」 or the counter's name.
pub fn closure_place(counter_name: Option<&str>, service_kind: Option<&str>) -> String {
    match (counter_name, service_kind) {
        (Some(name), _) => name.to_string(),
        (None, Some(crate::db::vaccination::VACCINATION)) => "すべての接種会場".to_string(),
        (None, Some(_)) => "すべての窓口".to_string(),
        (None, None) => "すべての窓口・接種会場".to_string(),
    }
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

/// The tenant's closures that end on or after `from`, earliest first: those of the counters
/// serving `service_kind` (card pickup's counters or vaccination's venues), those that close
/// every counter of that service, and those that close every counter of the municipality.
pub async fn closures_from(
    db: &Db,
    tenant_id: i64,
    from: Date,
    service_kind: &str,
) -> Result<Vec<ClosureRecord>, DbError> {
    db_read!(db, |conn| {
        Ok(closures::table
            .left_join(counters::table)
            .filter(closures::tenant_id.eq(tenant_id))
            .filter(closures::last_day.ge(from))
            .filter(
                closures::counter_id
                    .is_null()
                    .and(
                        closures::service_kind
                            .is_null()
                            .or(closures::service_kind.eq(service_kind)),
                    )
                    .or(counters::service_kind.eq(service_kind)),
            )
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
    /// `counter_id` None closes every counter: of `service_kind` when given, else every
    /// counter and venue of the municipality.
    AddClosure {
        counter_id: Option<i64>,
        service_kind: Option<&'static str>,
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

/// 「窓口「本庁舎」」 for a card-pickup counter, 「接種会場「保健センター」」 for a venue: the
/// audit entry says which service's place changed.
fn place_label(name: &str, service_kind: &str) -> String {
    if service_kind == VACCINATION {
        format!("接種会場「{name}」")
    } else {
        format!("窓口「{name}」")
    }
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
    /// The tenant's counter as the audit entry names it (「窓口「本庁舎」」, 「接種会場「保健センター」」),
    /// None when the id is not the tenant's.
    fn place_in(
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
}

crate::impl_for_both_backends!(ScheduleWrites {
    async fn place_in(
        &mut self,
        tenant_id: i64,
        counter_id: i64,
    ) -> Result<Option<String>, DbError> {
        let row: Option<(String, String)> = counters::table
            .filter(counters::id.eq(counter_id))
            .filter(counters::tenant_id.eq(tenant_id))
            .select((counters::name, counters::service_kind))
            .get_result(self)
            .await
            .optional()?;
        Ok(row.map(|(name, kind)| place_label(&name, &kind)))
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
                let old: Option<(String, String, bool)> = counters::table
                    .filter(counters::id.eq(id))
                    .filter(counters::tenant_id.eq(tenant_id))
                    .select((counters::name, counters::service_kind, counters::active))
                    .get_result(self)
                    .await
                    .optional()?;
                let Some((name, kind, was_active)) = old else {
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
                Ok(Done::saved(
                    None,
                    format!("{}の{what}", place_label(&name, &kind)),
                ))
            }
            ScheduleChange::AddTemplate { counter_id, fields } => {
                let Some(place) = self.place_in(tenant_id, *counter_id).await? else {
                    return Ok(None);
                };
                // The template belongs to the service its counter serves: a card-pickup
                // counter's to card pickup, a venue's to vaccination.
                let service_id: i64 = services::table
                    .inner_join(
                        counters::table.on(counters::tenant_id
                            .eq(services::tenant_id)
                            .and(counters::service_kind.eq(services::kind))),
                    )
                    .filter(services::tenant_id.eq(tenant_id))
                    .filter(counters::id.eq(counter_id))
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
                        "{place}の受付時間を追加: {}",
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
                let place = self
                    .place_in(tenant_id, old.counter_id)
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
                        "{place}の受付時間を変更: {} → {}",
                        describe_template(&before),
                        describe_template(fields)
                    ),
                ))
            }
            ScheduleChange::DeleteTemplate { id } => {
                let Some(old) = self.template_in(tenant_id, *id).await? else {
                    return Ok(None);
                };
                let place = self
                    .place_in(tenant_id, old.counter_id)
                    .await?
                    .unwrap_or_default();
                diesel::delete(opening_templates::table.filter(opening_templates::id.eq(id)))
                    .execute(self)
                    .await?;
                Ok(Done::saved(
                    None,
                    format!(
                        "{place}の受付時間を削除: {}",
                        describe_template(&fields_of(&old))
                    ),
                ))
            }
            ScheduleChange::AddClosure {
                counter_id,
                service_kind,
                first_day,
                last_day,
                reason,
            } => {
                let place = match counter_id {
                    Some(c) => match self.place_in(tenant_id, *c).await? {
                        Some(place) => place,
                        None => return Ok(None),
                    },
                    None => closure_place(None, *service_kind),
                };
                let service_kind = counter_id.is_none().then_some(*service_kind).flatten();
                let id: i64 = diesel::insert_into(closures::table)
                    .values((
                        closures::tenant_id.eq(tenant_id),
                        closures::counter_id.eq(counter_id),
                        closures::first_day.eq(first_day),
                        closures::last_day.eq(last_day),
                        closures::reason.eq(reason),
                        closures::service_kind.eq(service_kind),
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
                    Some(c) => self.place_in(tenant_id, c).await?.unwrap_or_default(),
                    None => old.place_label(None),
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
});
