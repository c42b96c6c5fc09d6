//! Municipalities (tenants), their services, counters, announcements and staff accounts.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::audit::{AuditEntry, AuditWrites};
use super::reminders::ReminderWrites as _;
use super::schema::{announcements, counters, services, staff_users, tenants};
use super::{Db, DbError};
use crate::core::deadline::Cutoff;
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
    pub pinned_counter_id: Option<i64>,
    pub close_on_holidays: bool,
    pub close_year_end: bool,
    pub created_at: i64,
    /// The call-centre line in English; '' = not given (the Japanese `contact` is shown).
    pub contact_en: String,
    /// Grows with every change of the 画面の文言 or the header image (see
    /// `web::municipality_pages`).
    pub pages_version: i64,
    pub booking_cutoff_days: Option<i32>,
    pub booking_cutoff_until_min: i32,
    pub cancel_deadline_days: Option<i32>,
    pub cancel_deadline_until_min: i32,
    pub late_booking_allowed: bool,
}

impl Tenant {
    /// When online booking of a slot closes (「予約日前日の17:00まで」 or minutes before it).
    pub fn booking_cutoff(&self) -> Cutoff {
        Cutoff::from_columns(
            self.same_day_cutoff_min,
            self.booking_cutoff_days,
            self.booking_cutoff_until_min,
        )
    }

    /// Until when a resident may change or cancel online (「予約日の3日前まで」 or hours before).
    pub fn change_cutoff(&self) -> Cutoff {
        Cutoff::from_columns(
            self.cancel_deadline_hours.max(0).saturating_mul(60),
            self.cancel_deadline_days,
            self.cancel_deadline_until_min,
        )
    }
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
        let service_id: i64 = diesel::insert_into(services::table)
            .values((
                services::tenant_id.eq(id),
                services::kind.eq(CARD_PICKUP),
                services::name.eq("マイナンバーカード受取予約"),
            ))
            .returning(services::id)
            .get_result(conn)
            .await?;
        conn.ensure_default_in(id, service_id, now).await?;
        Ok(id)
    })
}

pub async fn find_by_slug(db: &Db, slug: &str) -> Result<Option<Tenant>, DbError> {
    db_read!(db, |conn| {
        Ok(tenants::table
            .filter(tenants::slug.eq(slug))
            .select(Tenant::as_select())
            .get_result(conn)
            .await
            .optional()?)
    })
}

pub async fn find(db: &Db, id: i64) -> Result<Tenant, DbError> {
    db_read!(db, |conn| {
        Ok(tenants::table
            .find(id)
            .select(Tenant::as_select())
            .get_result(conn)
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
            .get_result(conn)
            .await?)
    })
}

/// The card-pickup counters open for booking (venues are `db::venues`).
pub async fn active_counters(db: &Db, tenant_id: i64) -> Result<Vec<Counter>, DbError> {
    db_read!(db, |conn| {
        Ok(counters::table
            .filter(counters::tenant_id.eq(tenant_id))
            .filter(counters::service_kind.eq(CARD_PICKUP))
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

// ---- the admin's pages: counters, settings, announcements ---------------------------------

/// Every counter of the tenant, inactive ones too, in display order.
pub async fn all_counters(db: &Db, tenant_id: i64) -> Result<Vec<Counter>, DbError> {
    db_read!(db, |conn| {
        Ok(counters::table
            .filter(counters::tenant_id.eq(tenant_id))
            .filter(counters::service_kind.eq(CARD_PICKUP))
            .order((counters::position, counters::id))
            .select(Counter::as_select())
            .load(conn)
            .await?)
    })
}

/// Who does something on the console, for the audit entry written with it.
#[derive(Debug, Clone, Copy)]
pub struct StaffAction {
    pub tenant_id: i64,
    pub staff_user_id: Option<i64>,
    pub now: i64,
}

impl StaffAction {
    pub(super) fn entry<'a>(&self, action: &'a str, detail: &'a str) -> AuditEntry<'a> {
        AuditEntry {
            tenant_id: self.tenant_id,
            staff_user_id: self.staff_user_id,
            action,
            booking_id: None,
            detail,
            now: self.now,
        }
    }
}

/// The settings page's values (everything on the tenant row but the schedule's and the
/// cut-offs, which are `deadlines::DeadlineSettings`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantSettings {
    pub faq_url: Option<String>,
    pub number1_format: String,
    pub number2_format: String,
    pub verification_ttl_min: i32,
    pub hold_ttl_min: i32,
    pub max_party_size: i32,
    pub pinned_counter_id: Option<i64>,
}

impl TenantSettings {
    pub fn of(tenant: &Tenant) -> TenantSettings {
        TenantSettings {
            faq_url: tenant.faq_url.clone(),
            number1_format: tenant.number1_format.clone(),
            number2_format: tenant.number2_format.clone(),
            verification_ttl_min: tenant.verification_ttl_min,
            hold_ttl_min: tenant.hold_ttl_min,
            max_party_size: tenant.max_party_size,
            pinned_counter_id: tenant.pinned_counter_id,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsSaved {
    Saved,
    /// The pinned counter is not an active counter of this tenant (deactivated meanwhile).
    PinnedCounterUnavailable,
}

const PINNED_UNAVAILABLE: &str = "pinned counter unavailable";

/// Stores the settings with the `settings_change` audit entry (`detail` says what changed)
/// in one transaction.
pub async fn update_settings(
    db: &Db,
    by: &StaffAction,
    settings: &TenantSettings,
    detail: &str,
) -> Result<SettingsSaved, DbError> {
    let outcome = db_write!(db, |conn| {
        if let Some(counter_id) = settings.pinned_counter_id {
            let usable: i64 = counters::table
                .filter(counters::id.eq(counter_id))
                .filter(counters::tenant_id.eq(by.tenant_id))
                .filter(counters::active.eq(true))
                .count()
                .get_result(conn)
                .await?;
            if usable == 0 {
                return Err(DbError::Conflict(PINNED_UNAVAILABLE));
            }
        }
        diesel::update(tenants::table.find(by.tenant_id))
            .set((
                tenants::faq_url.eq(settings.faq_url.as_deref()),
                tenants::number1_format.eq(&settings.number1_format),
                tenants::number2_format.eq(&settings.number2_format),
                tenants::verification_ttl_min.eq(settings.verification_ttl_min),
                tenants::hold_ttl_min.eq(settings.hold_ttl_min),
                tenants::max_party_size.eq(settings.max_party_size),
                tenants::pinned_counter_id.eq(settings.pinned_counter_id),
            ))
            .execute(conn)
            .await?;
        conn.audit_in(&by.entry("settings_change", detail)).await?;
        Ok(())
    });
    match outcome {
        Ok(()) => Ok(SettingsSaved::Saved),
        Err(DbError::Conflict(PINNED_UNAVAILABLE)) => Ok(SettingsSaved::PinnedCounterUnavailable),
        Err(e) => Err(e),
    }
}

/// An announcement with what the admin page needs.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = announcements)]
pub struct AnnouncementRecord {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub position: i32,
    pub published: bool,
    pub created_at: i64,
}

/// Every announcement of the tenant, published or not, in home-page order.
pub async fn all_announcements(
    db: &Db,
    tenant_id: i64,
) -> Result<Vec<AnnouncementRecord>, DbError> {
    db_read!(db, |conn| {
        Ok(announcements::table
            .filter(announcements::tenant_id.eq(tenant_id))
            .order((announcements::position, announcements::id))
            .select(AnnouncementRecord::as_select())
            .load(conn)
            .await?)
    })
}

/// What the admin types for an announcement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnouncementFields {
    pub title: String,
    pub body: String,
    pub position: i32,
}

/// The audit action of every announcement change: announcements are part of the settings
/// page, so they share its code (the detail starts with 「お知らせ」).
pub const ANNOUNCEMENT_CHANGE: &str = "settings_change";

/// Adds an announcement with its audit entry; returns its id.
pub async fn create_announcement(
    db: &Db,
    by: &StaffAction,
    fields: &AnnouncementFields,
    published: bool,
) -> Result<i64, DbError> {
    db_write!(db, |conn| {
        let id: i64 = diesel::insert_into(announcements::table)
            .values((
                announcements::tenant_id.eq(by.tenant_id),
                announcements::title.eq(&fields.title),
                announcements::body.eq(&fields.body),
                announcements::position.eq(fields.position),
                announcements::published.eq(published),
                announcements::created_at.eq(by.now),
            ))
            .returning(announcements::id)
            .get_result(conn)
            .await?;
        let state = if published { "公開" } else { "非公開" };
        let detail = format!("お知らせ「{}」を追加({state})", fields.title);
        conn.audit_in(&by.entry(ANNOUNCEMENT_CHANGE, &detail))
            .await?;
        Ok(id)
    })
}

/// What became of a change to an existing announcement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnouncementSaved {
    Saved,
    Unchanged,
    /// No such announcement for this tenant.
    NotFound,
}

/// Changes an announcement's title, body and position, with its audit entry.
pub async fn update_announcement(
    db: &Db,
    by: &StaffAction,
    id: i64,
    fields: &AnnouncementFields,
) -> Result<AnnouncementSaved, DbError> {
    db_write!(db, |conn| {
        let old: Option<(String, String, i32)> = announcements::table
            .filter(announcements::id.eq(id))
            .filter(announcements::tenant_id.eq(by.tenant_id))
            .select((
                announcements::title,
                announcements::body,
                announcements::position,
            ))
            .get_result(conn)
            .await
            .optional()?;
        let Some((title, body, position)) = old else {
            return Ok(AnnouncementSaved::NotFound);
        };
        let mut what = Vec::new();
        if title != fields.title {
            what.push(format!("題名を「{}」に", fields.title));
        }
        if body != fields.body {
            what.push("本文".to_string());
        }
        if position != fields.position {
            what.push(format!("表示順 {position}→{}", fields.position));
        }
        if what.is_empty() {
            return Ok(AnnouncementSaved::Unchanged);
        }
        diesel::update(announcements::table.filter(announcements::id.eq(id)))
            .set((
                announcements::title.eq(&fields.title),
                announcements::body.eq(&fields.body),
                announcements::position.eq(fields.position),
            ))
            .execute(conn)
            .await?;
        let detail = format!("お知らせ「{title}」を変更: {}", what.join("、"));
        conn.audit_in(&by.entry(ANNOUNCEMENT_CHANGE, &detail))
            .await?;
        Ok(AnnouncementSaved::Saved)
    })
}

/// Publishes or withdraws an announcement, with its audit entry.
pub async fn set_announcement_published(
    db: &Db,
    by: &StaffAction,
    id: i64,
    published: bool,
) -> Result<AnnouncementSaved, DbError> {
    db_write!(db, |conn| {
        let old: Option<(String, bool)> = announcements::table
            .filter(announcements::id.eq(id))
            .filter(announcements::tenant_id.eq(by.tenant_id))
            .select((announcements::title, announcements::published))
            .get_result(conn)
            .await
            .optional()?;
        let Some((title, was)) = old else {
            return Ok(AnnouncementSaved::NotFound);
        };
        if was == published {
            return Ok(AnnouncementSaved::Unchanged);
        }
        diesel::update(announcements::table.filter(announcements::id.eq(id)))
            .set(announcements::published.eq(published))
            .execute(conn)
            .await?;
        let what = if published { "公開" } else { "非公開に" };
        let detail = format!("お知らせ「{title}」を{what}");
        conn.audit_in(&by.entry(ANNOUNCEMENT_CHANGE, &detail))
            .await?;
        Ok(AnnouncementSaved::Saved)
    })
}

/// Deletes an announcement, with its audit entry.
pub async fn delete_announcement(
    db: &Db,
    by: &StaffAction,
    id: i64,
) -> Result<AnnouncementSaved, DbError> {
    db_write!(db, |conn| {
        let title: Option<String> = diesel::delete(
            announcements::table
                .filter(announcements::id.eq(id))
                .filter(announcements::tenant_id.eq(by.tenant_id)),
        )
        .returning(announcements::title)
        .get_result(conn)
        .await
        .optional()?;
        let Some(title) = title else {
            return Ok(AnnouncementSaved::NotFound);
        };
        let detail = format!("お知らせ「{title}」を削除");
        conn.audit_in(&by.entry(ANNOUNCEMENT_CHANGE, &detail))
            .await?;
        Ok(AnnouncementSaved::Saved)
    })
}

/// Deletes a municipality and everything that belongs to it (bookings, notices, staff, the
/// audit log, queued mail), in one transaction: all of it or nothing. For an operator who
/// must take the demo municipality, or a test installation, off a production database.
/// Returns how many rows went.
pub async fn remove_tenant(db: &Db, tenant_id: i64) -> Result<usize, DbError> {
    use super::schema::{
        audit_log, booking_people, booking_slots, bookings, closures, email_verifications,
        hold_slots, holds, line_links, mail_outbox, mail_templates, notice_imports, notices,
        opening_templates, recipient_fields, reminder_rules, reminders, resident_tickets, slots,
        vaccination_settings, waitlist_notice_times, waitlist_notices, waitlist_places,
        waitlist_registrations, web_sessions,
    };
    db_write!(db, |conn| {
        let tenant_bookings = || {
            bookings::table
                .filter(bookings::tenant_id.eq(tenant_id))
                .select(bookings::id)
        };
        let tenant_holds = || {
            holds::table
                .filter(holds::tenant_id.eq(tenant_id))
                .select(holds::id)
        };
        let tenant_counters = || {
            counters::table
                .filter(counters::tenant_id.eq(tenant_id))
                .select(counters::id)
        };
        // Children before parents, so no foreign key is ever left dangling.
        let mut removed = 0;
        removed += diesel::delete(
            reminders::table.filter(reminders::booking_id.eq_any(tenant_bookings())),
        )
        .execute(conn)
        .await?;
        removed +=
            diesel::delete(reminder_rules::table.filter(reminder_rules::tenant_id.eq(tenant_id)))
                .execute(conn)
                .await?;
        let tenant_registrations = || {
            waitlist_registrations::table
                .filter(waitlist_registrations::tenant_id.eq(tenant_id))
                .select(waitlist_registrations::id)
        };
        removed += diesel::delete(
            waitlist_notices::table
                .filter(waitlist_notices::registration_id.eq_any(tenant_registrations())),
        )
        .execute(conn)
        .await?;
        removed += diesel::delete(
            waitlist_registrations::table.filter(waitlist_registrations::tenant_id.eq(tenant_id)),
        )
        .execute(conn)
        .await?;
        removed +=
            diesel::delete(waitlist_places::table.filter(waitlist_places::tenant_id.eq(tenant_id)))
                .execute(conn)
                .await?;
        removed += diesel::delete(
            waitlist_notice_times::table.filter(waitlist_notice_times::tenant_id.eq(tenant_id)),
        )
        .execute(conn)
        .await?;
        removed += diesel::delete(line_links::table.filter(line_links::tenant_id.eq(tenant_id)))
            .execute(conn)
            .await?;
        removed += diesel::delete(audit_log::table.filter(audit_log::tenant_id.eq(tenant_id)))
            .execute(conn)
            .await?;
        removed += diesel::delete(
            booking_slots::table.filter(booking_slots::booking_id.eq_any(tenant_bookings())),
        )
        .execute(conn)
        .await?;
        removed += diesel::delete(
            booking_people::table.filter(booking_people::booking_id.eq_any(tenant_bookings())),
        )
        .execute(conn)
        .await?;
        removed += diesel::delete(bookings::table.filter(bookings::tenant_id.eq(tenant_id)))
            .execute(conn)
            .await?;
        // After the bookings, which name their ticket.
        removed += diesel::delete(
            resident_tickets::table.filter(resident_tickets::tenant_id.eq(tenant_id)),
        )
        .execute(conn)
        .await?;
        removed +=
            diesel::delete(hold_slots::table.filter(hold_slots::hold_id.eq_any(tenant_holds())))
                .execute(conn)
                .await?;
        removed += diesel::delete(holds::table.filter(holds::tenant_id.eq(tenant_id)))
            .execute(conn)
            .await?;
        removed += diesel::delete(slots::table.filter(slots::tenant_id.eq(tenant_id)))
            .execute(conn)
            .await?;
        removed += diesel::delete(
            opening_templates::table
                .filter(opening_templates::counter_id.eq_any(tenant_counters())),
        )
        .execute(conn)
        .await?;
        removed += diesel::delete(closures::table.filter(closures::tenant_id.eq(tenant_id)))
            .execute(conn)
            .await?;
        removed += diesel::delete(counters::table.filter(counters::tenant_id.eq(tenant_id)))
            .execute(conn)
            .await?;
        removed +=
            diesel::delete(notice_imports::table.filter(notice_imports::tenant_id.eq(tenant_id)))
                .execute(conn)
                .await?;
        removed += diesel::delete(notices::table.filter(notices::tenant_id.eq(tenant_id)))
            .execute(conn)
            .await?;
        removed += diesel::delete(
            email_verifications::table.filter(email_verifications::tenant_id.eq(tenant_id)),
        )
        .execute(conn)
        .await?;
        removed +=
            diesel::delete(web_sessions::table.filter(web_sessions::tenant_id.eq(tenant_id)))
                .execute(conn)
                .await?;
        removed += diesel::delete(mail_outbox::table.filter(mail_outbox::tenant_id.eq(tenant_id)))
            .execute(conn)
            .await?;
        removed += diesel::delete(staff_users::table.filter(staff_users::tenant_id.eq(tenant_id)))
            .execute(conn)
            .await?;
        removed +=
            diesel::delete(announcements::table.filter(announcements::tenant_id.eq(tenant_id)))
                .execute(conn)
                .await?;
        removed += diesel::delete(
            recipient_fields::table.filter(recipient_fields::tenant_id.eq(tenant_id)),
        )
        .execute(conn)
        .await?;
        removed +=
            diesel::delete(mail_templates::table.filter(mail_templates::tenant_id.eq(tenant_id)))
                .execute(conn)
                .await?;
        removed += diesel::delete(
            vaccination_settings::table.filter(vaccination_settings::tenant_id.eq(tenant_id)),
        )
        .execute(conn)
        .await?;
        removed += diesel::delete(services::table.filter(services::tenant_id.eq(tenant_id)))
            .execute(conn)
            .await?;
        removed += diesel::delete(tenants::table.find(tenant_id))
            .execute(conn)
            .await?;
        Ok(removed)
    })
}
