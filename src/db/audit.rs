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

/// Which entries an admin asks for. Every field narrows; None means "any".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub booking_id: Option<i64>,
    pub staff_user_id: Option<i64>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub until: Option<i64>,
}

/// Where a page of the log starts. Keyset paging by id (ids grow with time), so a page
/// stays the same while new entries are written at the top.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditCursor {
    Newest,
    /// The page of entries just older than this id.
    OlderThan(i64),
    /// The page of entries just newer than this id.
    NewerThan(i64),
}

/// One page of entries, newest first, and whether there is more on either side.
#[derive(Debug, Clone)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub has_older: bool,
    pub has_newer: bool,
}

/// A page of the tenant's entries that match `filter`, at most `limit`, newest first.
pub async fn page(
    db: &Db,
    tenant_id: i64,
    filter: &AuditFilter,
    cursor: AuditCursor,
    limit: i64,
) -> Result<AuditPage, DbError> {
    let limit = limit.max(1);
    db_read!(db, |conn| {
        let matching = || {
            let mut q = audit_log::table
                .left_join(staff_users::table)
                .filter(audit_log::tenant_id.eq(tenant_id))
                .into_boxed();
            if let Some(b) = filter.booking_id {
                q = q.filter(audit_log::booking_id.eq(b));
            }
            if let Some(s) = filter.staff_user_id {
                q = q.filter(audit_log::staff_user_id.eq(s));
            }
            if let Some(from) = filter.from {
                q = q.filter(audit_log::at.ge(from));
            }
            if let Some(until) = filter.until {
                q = q.filter(audit_log::at.lt(until));
            }
            q
        };
        let columns = (
            audit_log::id,
            audit_log::at,
            audit_log::action,
            audit_log::booking_id,
            audit_log::detail,
            staff_users::display_name.nullable(),
        );
        // One row more than asked tells whether there is more in the direction read.
        let mut rows: Vec<AuditRow> = match cursor {
            AuditCursor::Newest => {
                matching()
                    .order(audit_log::id.desc())
                    .limit(limit + 1)
                    .select(columns)
                    .load(conn)
                    .await?
            }
            AuditCursor::OlderThan(id) => {
                matching()
                    .filter(audit_log::id.lt(id))
                    .order(audit_log::id.desc())
                    .limit(limit + 1)
                    .select(columns)
                    .load(conn)
                    .await?
            }
            AuditCursor::NewerThan(id) => {
                matching()
                    .filter(audit_log::id.gt(id))
                    .order(audit_log::id.asc())
                    .limit(limit + 1)
                    .select(columns)
                    .load(conn)
                    .await?
            }
        };
        let more_that_way = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        if let AuditCursor::NewerThan(_) = cursor {
            rows.reverse();
        }
        // The other side: anything beyond the page's edge (or the cursor, on an empty page).
        let (has_older, has_newer) = match cursor {
            AuditCursor::Newest => (more_that_way, false),
            AuditCursor::OlderThan(id) => {
                // `<[_]>::first`: diesel's `RunQueryDsl::first` would be picked otherwise.
                let edge = <[_]>::first(&rows)
                    .map(|r: &AuditRow| r.id)
                    .unwrap_or(id - 1);
                let newer: i64 = matching()
                    .filter(audit_log::id.gt(edge))
                    .count()
                    .get_result(conn)
                    .await?;
                (more_that_way, newer > 0)
            }
            AuditCursor::NewerThan(id) => {
                let edge = rows.last().map(|r| r.id).unwrap_or(id + 1);
                let older: i64 = matching()
                    .filter(audit_log::id.lt(edge))
                    .count()
                    .get_result(conn)
                    .await?;
                (older > 0, more_that_way)
            }
        };
        Ok(AuditPage {
            rows,
            has_older,
            has_newer,
        })
    })
}

/// The tenant's newest entries, optionally for one booking only.
pub async fn list(
    db: &Db,
    tenant_id: i64,
    booking_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>, DbError> {
    let filter = AuditFilter {
        booking_id,
        ..AuditFilter::default()
    };
    Ok(page(db, tenant_id, &filter, AuditCursor::Newest, limit)
        .await?
        .rows)
}
