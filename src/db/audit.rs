//! The audit log: who did what, when, to which booking. Written in the same transaction
//! as the action it records, so neither exists without the other.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{audit_log, staff_users};
use super::{Db, DbError};
use crate::{db_read, db_write};

/// One action by a member of staff.
pub struct AuditEntry<'a> {
    pub tenant_id: i64,
    pub staff_user_id: Option<i64>,
    /// A short code: login, logout, check_in, no_show, undo_status, phone_booking,
    /// cancel_booking, change_booking, import_notices, schedule_change, settings_change...
    pub action: &'a str,
    pub booking_id: Option<i64>,
    /// What changed, in words a colleague understands; no full notice numbers.
    pub detail: &'a str,
    pub now: i64,
}

pub trait AuditWrites {
    fn audit_in(
        &mut self,
        entry: &AuditEntry<'_>,
    ) -> impl Future<Output = Result<(), DbError>> + Send;
}

crate::impl_for_both_backends!(AuditWrites {
    async fn audit_in(&mut self, entry: &AuditEntry<'_>) -> Result<(), DbError> {
        diesel::insert_into(audit_log::table)
            .values((
                audit_log::tenant_id.eq(entry.tenant_id),
                audit_log::staff_user_id.eq(entry.staff_user_id),
                audit_log::at.eq(entry.now),
                audit_log::action.eq(entry.action),
                audit_log::booking_id.eq(entry.booking_id),
                audit_log::detail.eq(entry.detail),
            ))
            .execute(self)
            .await?;
        Ok(())
    }
});

/// Records an action that has no other write of its own (a login, a view worth noting).
pub async fn record(db: &Db, entry: &AuditEntry<'_>) -> Result<(), DbError> {
    db_write!(db, |conn| { conn.audit_in(entry).await })
}

#[derive(Debug, Clone, Queryable)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub action: String,
    pub booking_id: Option<i64>,
    pub detail: String,
    pub staff_name: Option<String>,
}

/// The tenant's newest entries, optionally for one booking only.
pub async fn list(
    db: &Db,
    tenant_id: i64,
    booking_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>, DbError> {
    db_read!(db, |conn| {
        let mut q = audit_log::table
            .left_join(staff_users::table)
            .filter(audit_log::tenant_id.eq(tenant_id))
            .into_boxed();
        if let Some(b) = booking_id {
            q = q.filter(audit_log::booking_id.eq(b));
        }
        Ok(q.order(audit_log::id.desc())
            .limit(limit)
            .select((
                audit_log::id,
                audit_log::at,
                audit_log::action,
                audit_log::booking_id,
                audit_log::detail,
                staff_users::display_name.nullable(),
            ))
            .load(conn)
            .await?)
    })
}
