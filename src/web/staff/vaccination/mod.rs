//! The console's vaccination pages: venues and their vaccine, the ticket list (import,
//! search, edit), the service's settings, the roster per venue with dose and vaccine, and
//! booking for a caller. Card pickup's pages are the files beside this folder.
pub mod booking;
pub mod phone;
pub mod phone_confirm;
pub mod roster;

use axum::Router;

use crate::app::AppState;

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
}
