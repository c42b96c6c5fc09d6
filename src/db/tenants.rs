//! Municipalities (tenants), their services, counters, announcements and staff accounts.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::{announcements, counters, services, staff_users, tenants};
use super::{Db, DbError};
use crate::{db_read, db_write};

/// The service every tenant has today; later flows add their own kinds.
pub const CARD_PICKUP: &str = "card_pickup";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tenants)]
pub struct Tenant {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub contact: String,
    pub faq_url: Option<String>,
    pub number1_format: String,
    pub number2_format: String,
    pub verification_ttl_min: i32,
    pub hold_ttl_min: i32,
    pub booking_window_days: i32,
    pub same_day_cutoff_min: i32,
    pub max_party_size: i32,
    pub cancel_deadline_hours: i32,
    pub recipient_fields: String,
    pub pinned_counter_id: Option<i64>,
    pub close_on_holidays: bool,
    pub close_year_end: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = counters)]
pub struct Counter {
    pub id: i64,
    pub tenant_id: i64,
    pub name: String,
    pub address: String,
    pub directions: String,
    pub map_url: Option<String>,
    pub active: bool,
    pub position: i32,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = counters)]
pub struct NewCounter<'a> {
    pub tenant_id: i64,
    pub name: &'a str,
    pub address: &'a str,
    pub directions: &'a str,
    pub map_url: Option<&'a str>,
    pub position: i32,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = announcements)]
pub struct Announcement {
    pub id: i64,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Clerk,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Admin => "admin",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "clerk" => Some(Role::Clerk),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// Creates a tenant with its card-pickup service; returns the tenant id.
pub async fn create_tenant(db: &Db, slug: &str, name: &str, now: i64) -> Result<i64, DbError> {
    db_write!(db, |conn| {
        let id: i64 = diesel::insert_into(tenants::table)
            .values((
                tenants::slug.eq(slug),
                tenants::name.eq(name),
                tenants::created_at.eq(now),
            ))
            .returning(tenants::id)
            .get_result(conn)
            .await?;
        diesel::insert_into(services::table)
            .values((
                services::tenant_id.eq(id),
                services::kind.eq(CARD_PICKUP),
                services::name.eq("マイナンバーカード受取予約"),
            ))
            .execute(conn)
            .await?;
        Ok(id)
    })
}

pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<Tenant>, DbError> {
    db_read!(db, |conn| {
        Ok(tenants::table
            .filter(tenants::slug.eq(slug))
            .select(Tenant::as_select())
            .first(conn)
            .await
            .optional()?)
    })
}

pub async fn find(db: &Db, id: i64) -> Result<Tenant, DbError> {
    db_read!(db, |conn| {
        Ok(tenants::table
            .find(id)
            .select(Tenant::as_select())
            .first(conn)
            .await?)
    })
}

pub async fn list(db: &Db) -> Result<Vec<Tenant>, DbError> {
    db_read!(db, |conn| {
        Ok(tenants::table
            .order(tenants::id)
            .select(Tenant::as_select())
            .load(conn)
            .await?)
    })
}

/// The id of the tenant's service of `kind`.
pub async fn service_id(db: &Db, tenant_id: i64, kind: &str) -> Result<i64, DbError> {
    db_read!(db, |conn| {
        Ok(services::table
            .filter(services::tenant_id.eq(tenant_id))
            .filter(services::kind.eq(kind))
            .select(services::id)
            .first(conn)
            .await?)
    })
}

pub async fn active_counters(db: &Db, tenant_id: i64) -> Result<Vec<Counter>, DbError> {
    db_read!(db, |conn| {
        Ok(counters::table
            .filter(counters::tenant_id.eq(tenant_id))
            .filter(counters::active.eq(true))
            .order((counters::position, counters::id))
            .select(Counter::as_select())
            .load(conn)
            .await?)
    })
}

pub async fn add_counter(db: &Db, counter: NewCounter<'_>) -> Result<i64, DbError> {
    db_write!(db, |conn| {
        Ok(diesel::insert_into(counters::table)
            .values(&counter)
            .returning(counters::id)
            .get_result(conn)
            .await?)
    })
}

pub async fn published_announcements(
    db: &Db,
    tenant_id: i64,
) -> Result<Vec<Announcement>, DbError> {
    db_read!(db, |conn| {
        Ok(announcements::table
            .filter(announcements::tenant_id.eq(tenant_id))
            .filter(announcements::published.eq(true))
            .order((announcements::position, announcements::id))
            .select(Announcement::as_select())
            .load(conn)
            .await?)
    })
}

pub async fn add_announcement(
    db: &Db,
    tenant_id: i64,
    title: &str,
    body: &str,
    position: i32,
    now: i64,
) -> Result<(), DbError> {
    db_write!(db, |conn| {
        diesel::insert_into(announcements::table)
            .values((
                announcements::tenant_id.eq(tenant_id),
                announcements::title.eq(title),
                announcements::body.eq(body),
                announcements::position.eq(position),
                announcements::created_at.eq(now),
            ))
            .execute(conn)
            .await?;
        Ok(())
    })
}

/// Stores a staff account; `password_hash` is an Argon2 PHC string made by the caller,
/// outside any transaction (hashing is slow on purpose).
pub async fn add_staff(
    db: &Db,
    tenant_id: i64,
    login: &str,
    display_name: &str,
    password_hash: &str,
    role: Role,
    now: i64,
) -> Result<i64, DbError> {
    db_write!(db, |conn| {
        Ok(diesel::insert_into(staff_users::table)
            .values((
                staff_users::tenant_id.eq(tenant_id),
                staff_users::login.eq(login),
                staff_users::display_name.eq(display_name),
                staff_users::password_hash.eq(password_hash),
                staff_users::role.eq(role.as_str()),
                staff_users::created_at.eq(now),
            ))
            .returning(staff_users::id)
            .get_result(conn)
            .await?)
    })
}
