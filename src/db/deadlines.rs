//! A municipality's cut-offs: when online booking closes and until when a booking can be
//! changed or cancelled online, stored with their audit entry in one transaction.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::audit::AuditWrites;
use super::schema::tenants;
use super::tenants::{StaffAction, Tenant};
use super::{Db, DbError};
use crate::core::deadline::Cutoff;
use crate::db_write;

/// The settings page's 「予約と変更・取消の締切」 section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineSettings {
    pub booking: Cutoff,
    pub change: Cutoff,
    pub late_booking_allowed: bool,
}

impl DeadlineSettings {
    pub fn of(tenant: &Tenant) -> DeadlineSettings {
        DeadlineSettings {
            booking: tenant.booking_cutoff(),
            change: tenant.change_cutoff(),
            late_booking_allowed: tenant.late_booking_allowed,
        }
    }
}

/// The columns one cut-off is kept in: the relative form's value (`None`: left as it is,
/// so switching back to it later offers what was set before) and the days form's day count
/// (`None`: the relative form is in force) and clock time.
pub(super) fn columns(cutoff: Cutoff, minutes_per_unit: u32) -> (Option<i32>, Option<i32>, i32) {
    match cutoff {
        Cutoff::MinutesBefore(m) => (
            Some(i32::try_from(m / minutes_per_unit).unwrap_or(i32::MAX)),
            None,
            i32::from(crate::core::deadline::END_OF_DAY),
        ),
        Cutoff::DaysBefore { days, until } => (None, Some(i32::from(days)), i32::from(until)),
    }
}

/// Stores the cut-offs with the `settings_change` audit entry (`detail` says what changed,
/// before and after) in one transaction. The booking cut-off's relative form is in minutes
/// (`same_day_cutoff_min`), the change deadline's in whole hours (`cancel_deadline_hours`).
pub async fn update(
    db: &Db,
    by: &StaffAction,
    settings: &DeadlineSettings,
    detail: &str,
) -> Result<(), DbError> {
    let (booking_min, booking_days, booking_until) = columns(settings.booking, 1);
    let (change_hours, change_days, change_until) = columns(settings.change, 60);
    let late = settings.late_booking_allowed;
    db_write!(db, |conn| {
        diesel::update(tenants::table.find(by.tenant_id))
            .set((
                tenants::booking_cutoff_days.eq(booking_days),
                tenants::booking_cutoff_until_min.eq(booking_until),
                tenants::cancel_deadline_days.eq(change_days),
                tenants::cancel_deadline_until_min.eq(change_until),
                tenants::late_booking_allowed.eq(late),
            ))
            .execute(conn)
            .await?;
        if let Some(minutes) = booking_min {
            diesel::update(tenants::table.find(by.tenant_id))
                .set(tenants::same_day_cutoff_min.eq(minutes))
                .execute(conn)
                .await?;
        }
        if let Some(hours) = change_hours {
            diesel::update(tenants::table.find(by.tenant_id))
                .set(tenants::cancel_deadline_hours.eq(hours))
                .execute(conn)
                .await?;
        }
        conn.audit_in(&by.entry("settings_change", detail)).await?;
        Ok(())
    })
}
