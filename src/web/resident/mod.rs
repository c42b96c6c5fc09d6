//! The resident's pages (seed 004): entry and address check, the booking form, the slot
//! grid and hold, confirmation, and the lookup with change and cancellation.
pub mod apply;
pub mod entry;
pub mod grid_view;
pub mod lookup;
pub mod mails;

use axum_extra::extract::CookieJar;

use super::error::WebError;
use crate::app::App;
use crate::db::tenants::{self, Tenant};

pub async fn load_tenant(app: &App, slug: &str) -> Result<Tenant, WebError> {
    tenants::find_by_slug(&app.db, slug)
        .await?
        .ok_or(WebError::NotFound)
}

/// The context every resident page starts from: tenant, CSRF token.
pub fn base_context(app: &App, tenant: &Tenant, jar: CookieJar) -> (CookieJar, tera::Context) {
    let (jar, csrf) = super::session::csrf_token(app, jar);
    let mut ctx = tera::Context::new();
    ctx.insert("tenant_name", &tenant.name);
    ctx.insert("tenant_slug", &tenant.slug);
    ctx.insert("contact", &tenant.contact);
    ctx.insert("csrf", &csrf);
    (jar, ctx)
}

/// The booking rules in force now for this tenant.
pub fn booking_rules(app: &App, tenant: &Tenant) -> crate::core::grid::BookingRules {
    crate::core::grid::BookingRules {
        now: app.clock.now_jst(),
        window_days: tenant.booking_window_days,
        same_day_cutoff_min: tenant.same_day_cutoff_min,
    }
}
