//! The vaccination service of a municipality: whether it is offered, and its rules and
//! wording (`vaccination_settings`, one row per municipality that offers it).
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::audit::AuditWrites;
use super::reminders::ReminderWrites as _;
use super::schema::{services, vaccination_settings};
use super::slots::MaterialiseWrites;
use super::tenants::StaffAction;
use super::waitlist::WaitlistWrites as _;
use super::{Db, DbError};
use crate::core::availability::MarkThresholds;
use crate::core::deadline::Cutoff;
use crate::core::vaccination::interval::IntervalRules;
use crate::i18n::Lang;
use crate::{db_read, db_write};

/// The service kind of vaccination booking in `services.kind` and `counters.service_kind`.
pub const VACCINATION: &str = "vaccination";

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = vaccination_settings)]
pub struct Settings {
    pub service_id: i64,
    pub tenant_id: i64,
    pub intervals: String,
    pub few_below_percent: i32,
    pub few_at_or_below: Option<i32>,
    pub booking_window_days: i32,
    pub booking_cutoff_min: i32,
    pub booking_cutoff_days: Option<i32>,
    pub booking_cutoff_until_min: i32,
    pub cancel_deadline_hours: i32,
    pub cancel_deadline_days: Option<i32>,
    pub cancel_deadline_until_min: i32,
    pub session_idle_min: i32,
    pub terms_version: i32,
    pub terms_ja: String,
    pub terms_en: String,
    pub privacy_ja: String,
    pub privacy_en: String,
    pub notice_ja: String,
    pub notice_en: String,
    pub items_ja: String,
    pub items_en: String,
    pub call_centre_name: String,
    pub call_centre_phone: String,
    pub call_centre_hours: String,
    pub updated_at: i64,
}

impl Settings {
    /// The interval rules; a stored setting that no longer parses (it was checked when
    /// saved) falls back to none and says so in the log, so no page fails over it.
    pub fn interval_rules(&self) -> IntervalRules {
        IntervalRules::parse_setting(&self.intervals).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "stored vaccination intervals do not parse");
            IntervalRules::none()
        })
    }

    pub fn thresholds(&self) -> MarkThresholds {
        let percent = u32::try_from(self.few_below_percent).unwrap_or(20);
        let at_or_below = self.few_at_or_below.and_then(|n| u32::try_from(n).ok());
        MarkThresholds::new(percent, at_or_below).unwrap_or_default()
    }

    /// When online booking of a time closes (default 「予約日の前日まで」).
    pub fn booking_cutoff(&self) -> Cutoff {
        Cutoff::from_columns(
            self.booking_cutoff_min,
            self.booking_cutoff_days,
            self.booking_cutoff_until_min,
        )
    }

    /// Until when a resident may change or cancel online (default 「予約日の3日前まで」).
    pub fn change_cutoff(&self) -> Cutoff {
        Cutoff::from_columns(
            self.cancel_deadline_hours.saturating_mul(60),
            self.cancel_deadline_days,
            self.cancel_deadline_until_min,
        )
    }

    /// A text in the page's language; English left empty falls back to the Japanese.
    pub fn text<'a>(&'a self, lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
        if lang == Lang::En && !en.trim().is_empty() {
            en
        } else {
            ja
        }
    }
}

/// Starts offering vaccination booking: the service row and its settings with the
/// defaults. Offering it again is a no-op. Returns the service id.
pub async fn offer(db: &Db, tenant_id: i64, now: i64) -> Result<i64, DbError> {
    db_write!(db, |conn| {
        let existing: Option<i64> = services::table
            .filter(services::tenant_id.eq(tenant_id))
            .filter(services::kind.eq(VACCINATION))
            .select(services::id)
            .get_result(conn)
            .await
            .optional()?;
        let service_id = match existing {
            Some(id) => {
                diesel::update(services::table.find(id))
                    .set(services::active.eq(true))
                    .execute(conn)
                    .await?;
                id
            }
            None => {
                diesel::insert_into(services::table)
                    .values((
                        services::tenant_id.eq(tenant_id),
                        services::kind.eq(VACCINATION),
                        services::name.eq("ワクチン接種予約"),
                    ))
                    .returning(services::id)
                    .get_result(conn)
                    .await?
            }
        };
        let has_settings: i64 = vaccination_settings::table
            .filter(vaccination_settings::service_id.eq(service_id))
            .count()
            .get_result(conn)
            .await?;
        if has_settings == 0 {
            diesel::insert_into(vaccination_settings::table)
                .values((
                    vaccination_settings::service_id.eq(service_id),
                    vaccination_settings::tenant_id.eq(tenant_id),
                    vaccination_settings::updated_at.eq(now),
                ))
                .execute(conn)
                .await?;
        }
        conn.ensure_default_in(tenant_id, service_id, now).await?;
        conn.ensure_notice_times_in(tenant_id, service_id).await?;
        Ok(service_id)
    })
}

/// The municipality's vaccination settings, or `None` when it does not offer vaccination
/// booking (its pages answer 404 then).
pub async fn settings(db: &Db, tenant_id: i64) -> Result<Option<Settings>, DbError> {
    db_read!(db, |conn| {
        Ok(vaccination_settings::table
            .inner_join(services::table)
            .filter(vaccination_settings::tenant_id.eq(tenant_id))
            .filter(services::active.eq(true))
            .select(Settings::as_select())
            .get_result(conn)
            .await
            .optional()?)
    })
}

/// The municipality's wording and rules as an admin writes them (demo and tests set them
/// here; the settings page saves through it too).
#[derive(Debug, Clone, Default)]
pub struct Wording {
    pub terms_ja: String,
    pub terms_en: String,
    pub privacy_ja: String,
    pub privacy_en: String,
    pub notice_ja: String,
    pub notice_en: String,
    pub items_ja: String,
    pub items_en: String,
    pub call_centre_name: String,
    pub call_centre_phone: String,
    pub call_centre_hours: String,
}

impl Wording {
    pub fn of(s: &Settings) -> Wording {
        Wording {
            terms_ja: s.terms_ja.clone(),
            terms_en: s.terms_en.clone(),
            privacy_ja: s.privacy_ja.clone(),
            privacy_en: s.privacy_en.clone(),
            notice_ja: s.notice_ja.clone(),
            notice_en: s.notice_en.clone(),
            items_ja: s.items_ja.clone(),
            items_en: s.items_en.clone(),
            call_centre_name: s.call_centre_name.clone(),
            call_centre_phone: s.call_centre_phone.clone(),
            call_centre_hours: s.call_centre_hours.clone(),
        }
    }
}

/// Replaces the wording. A change of the terms or the privacy text raises the terms
/// version, so a booking records which text was agreed to.
pub async fn set_wording(db: &Db, service_id: i64, w: &Wording, now: i64) -> Result<(), DbError> {
    db_write!(db, |conn| { conn.set_wording_in(service_id, w, now).await })
}

/// The console's settings page saves the wording with its audit entry (`detail`: what
/// changed) in one transaction; the terms version rises as in [`set_wording`].
pub async fn update_wording(
    db: &Db,
    by: &StaffAction,
    service_id: i64,
    w: &Wording,
    detail: &str,
) -> Result<(), DbError> {
    db_write!(db, |conn| {
        conn.set_wording_in(service_id, w, by.now).await?;
        conn.audit_in(&by.entry("settings_change", detail)).await?;
        Ok(())
    })
}

/// The service's rules as the settings page edits them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub intervals: IntervalRules,
    pub thresholds: MarkThresholds,
    pub booking_window_days: i32,
    pub booking: Cutoff,
    pub change: Cutoff,
    pub session_idle_min: i32,
}

impl Rules {
    pub fn of(s: &Settings) -> Rules {
        Rules {
            intervals: s.interval_rules(),
            thresholds: s.thresholds(),
            booking_window_days: s.booking_window_days,
            booking: s.booking_cutoff(),
            change: s.change_cutoff(),
            session_idle_min: s.session_idle_min,
        }
    }
}

/// Saves the rules with their `settings_change` audit entry (`detail`: before → after) and
/// brings the municipality's slots in line with the booking window, all in one transaction:
/// a longer window gets its slots at once. (A shorter one strands nobody: slots with places
/// taken beyond the window are kept, see `slots::MaterialiseWrites::slot_plan_in`.)
pub async fn update_rules(
    db: &Db,
    by: &StaffAction,
    service_id: i64,
    rules: &Rules,
    today: time::Date,
    detail: &str,
) -> Result<(), DbError> {
    let (booking_min, booking_days, booking_until) = super::deadlines::columns(rules.booking, 1);
    let (change_hours, change_days, change_until) = super::deadlines::columns(rules.change, 60);
    let intervals = rules.intervals.to_setting();
    let percent = i32::from(rules.thresholds.few_below_percent());
    let at_or_below = rules
        .thresholds
        .few_at_or_below()
        .map(|n| i32::try_from(n).unwrap_or(i32::MAX));
    db_write!(db, |conn| {
        let row = vaccination_settings::table.find(service_id);
        diesel::update(row)
            .set((
                vaccination_settings::intervals.eq(&intervals),
                vaccination_settings::few_below_percent.eq(percent),
                vaccination_settings::few_at_or_below.eq(at_or_below),
                vaccination_settings::booking_window_days.eq(rules.booking_window_days),
                vaccination_settings::booking_cutoff_days.eq(booking_days),
                vaccination_settings::booking_cutoff_until_min.eq(booking_until),
                vaccination_settings::cancel_deadline_days.eq(change_days),
                vaccination_settings::cancel_deadline_until_min.eq(change_until),
                vaccination_settings::session_idle_min.eq(rules.session_idle_min),
                vaccination_settings::updated_at.eq(by.now),
            ))
            .execute(conn)
            .await?;
        // The relative forms' values stay as they were while the days form is in force, so
        // switching back offers them again (as card pickup's cut-offs do).
        if let Some(minutes) = booking_min {
            diesel::update(row)
                .set(vaccination_settings::booking_cutoff_min.eq(minutes))
                .execute(conn)
                .await?;
        }
        if let Some(hours) = change_hours {
            diesel::update(row)
                .set(vaccination_settings::cancel_deadline_hours.eq(hours))
                .execute(conn)
                .await?;
        }
        conn.materialise_in(by.tenant_id, today).await?;
        conn.audit_in(&by.entry("settings_change", detail)).await?;
        Ok(())
    })
}

/// Whether the municipality offers vaccination booking now: the console shows its menu.
pub async fn is_offered(db: &Db, tenant_id: i64) -> Result<bool, DbError> {
    db_read!(db, |conn| {
        let n: i64 = services::table
            .filter(services::tenant_id.eq(tenant_id))
            .filter(services::kind.eq(VACCINATION))
            .filter(services::active.eq(true))
            .count()
            .get_result(conn)
            .await?;
        Ok(n > 0)
    })
}

/// The settings' storage steps inside a caller's write transaction.
trait SettingsWrites {
    fn set_wording_in(
        &mut self,
        service_id: i64,
        w: &Wording,
        now: i64,
    ) -> impl Future<Output = Result<(), DbError>> + Send;
}

crate::impl_for_both_backends!(SettingsWrites {
    async fn set_wording_in(&mut self, service_id: i64, w: &Wording, now: i64) -> Result<(), DbError> {
        let (terms_ja, terms_en, privacy_ja, privacy_en): (String, String, String, String) =
            vaccination_settings::table
                .find(service_id)
                .select((
                    vaccination_settings::terms_ja,
                    vaccination_settings::terms_en,
                    vaccination_settings::privacy_ja,
                    vaccination_settings::privacy_en,
                ))
                .get_result(self)
                .await?;
        let terms_changed = terms_ja != w.terms_ja
            || terms_en != w.terms_en
            || privacy_ja != w.privacy_ja
            || privacy_en != w.privacy_en;
        diesel::update(vaccination_settings::table.find(service_id))
            .set((
                vaccination_settings::terms_ja.eq(&w.terms_ja),
                vaccination_settings::terms_en.eq(&w.terms_en),
                vaccination_settings::privacy_ja.eq(&w.privacy_ja),
                vaccination_settings::privacy_en.eq(&w.privacy_en),
                vaccination_settings::notice_ja.eq(&w.notice_ja),
                vaccination_settings::notice_en.eq(&w.notice_en),
                vaccination_settings::items_ja.eq(&w.items_ja),
                vaccination_settings::items_en.eq(&w.items_en),
                vaccination_settings::call_centre_name.eq(&w.call_centre_name),
                vaccination_settings::call_centre_phone.eq(&w.call_centre_phone),
                vaccination_settings::call_centre_hours.eq(&w.call_centre_hours),
                vaccination_settings::updated_at.eq(now),
            ))
            .execute(self)
            .await?;
        if terms_changed {
            diesel::update(vaccination_settings::table.find(service_id))
                .set(
                    vaccination_settings::terms_version.eq(vaccination_settings::terms_version + 1),
                )
                .execute(self)
                .await?;
        }
        Ok(())
    }
});

/// The services a municipality offers now, as (kind, name), card pickup first: what its
/// home page lists.
pub async fn offered_services(db: &Db, tenant_id: i64) -> Result<Vec<(String, String)>, DbError> {
    db_read!(db, |conn| {
        Ok(services::table
            .filter(services::tenant_id.eq(tenant_id))
            .filter(services::active.eq(true))
            .order(services::id)
            .select((services::kind, services::name))
            .load(conn)
            .await?)
    })
}
