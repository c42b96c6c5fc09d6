//! The console's vaccination pages: venues and their vaccine, the ticket list (import,
//! search, edit), the service's settings, the roster per venue with dose and vaccine, and
//! booking for a caller. Card pickup's pages are the files beside this folder.
pub mod booking;
pub mod phone;
pub mod phone_confirm;
pub mod roster;
// キャンセル待ち (issue 13, seed 001).
pub mod waitlist;

use axum::Router;
use axum_extra::extract::CookieJar;

use crate::app::AppState;
use crate::db::vaccination::{self, Settings};
use crate::web::error::WebError;
use crate::web::staff::{Denied, Staff, require};

// 接種券 (issue 12, tickets): the list, search, edit and import.
pub mod ticket_import;
pub mod tickets;

// ---- venues and settings (issue 12, vx-venues) ----
pub mod settings;
mod venue_changes;
pub mod venues;
// ---- end of venues and settings ----

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(venues::routes())
        .merge(settings::routes())
        .merge(roster::routes())
        .merge(phone::routes())
        .merge(booking::routes())
        // 接種券 (issue 12, tickets)
        .merge(tickets::routes())
        .merge(ticket_import::routes())
        .merge(waitlist::routes())
}

/// Routes that take large uploads, merged outside the general body limit (web::router).
pub fn upload_routes() -> Router<AppState> {
    Router::new()
        // 接種券 (issue 12, tickets)
        .merge(ticket_import::upload_routes())
}

/// The member of staff, as [`require`] gives them, for a municipality that offers
/// vaccination booking; any other municipality has no such pages (404).
pub async fn require_vaccination(
    app: &AppState,
    jar: &CookieJar,
    slug: &str,
    admin: bool,
) -> Result<(Staff, Settings), Denied> {
    let staff = require(app, jar, slug, admin).await?;
    let settings = vaccination::settings(&app.db, staff.tenant.id)
        .await?
        .ok_or(Denied::Error(WebError::NotFound))?;
    Ok((staff, settings))
}
