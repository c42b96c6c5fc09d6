//! Staff accounts as the console sees them.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::staff_users;
use super::{Db, DbError};
use crate::db_read;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = staff_users)]
pub struct StaffUser {
    pub id: i64,
    pub tenant_id: i64,
    pub login: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub active: bool,
}

pub async fn find_by_login(
    db: &Db,
    tenant_id: i64,
    login: &str,
) -> Result<Option<StaffUser>, DbError> {
    db_read!(db, |conn| {
        Ok(staff_users::table
            .filter(staff_users::tenant_id.eq(tenant_id))
            .filter(staff_users::login.eq(login))
            .select(StaffUser::as_select())
            .get_result(conn)
            .await
            .optional()?)
    })
}

pub async fn find(db: &Db, id: i64) -> Result<Option<StaffUser>, DbError> {
    db_read!(db, |conn| {
        Ok(staff_users::table
            .find(id)
            .select(StaffUser::as_select())
            .get_result(conn)
            .await
            .optional()?)
    })
}

/// Every account of the tenant, active or not (a departed colleague's entries stay in the
/// audit log), by name.
pub async fn of_tenant(db: &Db, tenant_id: i64) -> Result<Vec<StaffUser>, DbError> {
    db_read!(db, |conn| {
        Ok(staff_users::table
            .filter(staff_users::tenant_id.eq(tenant_id))
            .order((staff_users::display_name, staff_users::id))
            .select(StaffUser::as_select())
            .load(conn)
            .await?)
    })
}
