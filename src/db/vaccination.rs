//! The vaccination service of a municipality: whether it is offered, and its rules and
//! wording (`vaccination_settings`, one row per municipality that offers it).
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{services, vaccination_settings};
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

/// Replaces the wording. A change of the terms or the privacy text raises the terms
/// version, so a booking records which text was agreed to.
pub async fn set_wording(db: &Db, service_id: i64, w: &Wording, now: i64) -> Result<(), DbError> {
    db_write!(db, |conn| {
        let (terms_ja, terms_en, privacy_ja, privacy_en): (String, String, String, String) =
            vaccination_settings::table
                .find(service_id)
                .select((
                    vaccination_settings::terms_ja,
                    vaccination_settings::terms_en,
                    vaccination_settings::privacy_ja,
                    vaccination_settings::privacy_en,
                ))
                .get_result(conn)
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
            .execute(conn)
            .await?;
        if terms_changed {
            diesel::update(vaccination_settings::table.find(service_id))
                .set(
                    vaccination_settings::terms_version.eq(vaccination_settings::terms_version + 1),
                )
                .execute(conn)
                .await?;
        }
        Ok(())
    })
}

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
