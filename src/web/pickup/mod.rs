//! Card pickup (マイナンバーカード受取予約), the resident's pages (seed 004): entry and address check, the booking form, the slot
//! grid and hold, confirmation, and the lookup with change and cancellation.
pub mod apply;
pub mod cutoffs;
pub mod entry;
pub mod grid_view;
pub mod lookup;
pub mod mails;
pub mod recipients;

use crate::app::App;
use crate::db::tenants::Tenant;
// The page basics every service's resident pages share live in `web::booking`.
pub use crate::web::booking::{base_context, insert_receipt_qr, load_tenant};

/// The booking rules in force now for this tenant.
pub fn booking_rules(app: &App, tenant: &Tenant) -> crate::core::grid::BookingRules {
    crate::core::grid::BookingRules {
        now: app.clock.now_jst(),
        window_days: tenant.booking_window_days,
        booking_cutoff: tenant.booking_cutoff(),
        change_cutoff: tenant.change_cutoff(),
        late_booking_allowed: tenant.late_booking_allowed,
    }
}
