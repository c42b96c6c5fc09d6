//! The resident's vaccination visit in the session: the terms version agreed to, the ticket
//! logged in (with the time of the last page, for the idle expiry), and the booking being
//! made. Every page after the login goes through [`require_login`], which is the only
//! place a ticket id comes from: never a URL or a form, so one session reaches one ticket.
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};

use super::url;
use crate::app::App;
use crate::db::tenants::Tenant;
use crate::db::tickets::{self, Ticket};
use crate::db::vaccination::Settings;
use crate::i18n;
use crate::web::error::WebError;
use crate::web::session::{self, ResidentSession};

/// The last-activity time is written again only after this many seconds, so reading
/// pages in a row does not write the session on every one.
const ACTIVITY_GRANULARITY_SECS: i64 = 30;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Visit {
    /// The version of the terms agreed to on the first page (stored with the booking).
    pub terms_version: Option<i32>,
    /// The ticket logged in with 接種券番号 and 生年月日.
    pub ticket_id: Option<i64>,
    /// Unix seconds of the last page seen while logged in.
    #[serde(default)]
    pub last_activity: i64,
    /// The booking being made, from the chosen time to 完了.
    #[serde(default)]
    pub draft: Option<Draft>,
}

/// One dose's booking on its way (or a booking's move): the hold, what 連絡先 said, and once
/// booked the booking.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Draft {
    pub dose: i32,
    /// The booking this draft moves to the chosen time (編集): it keeps its 予約ID and
    /// 連絡先, so 連絡先 is not asked again. `booking_id` is set once it has moved.
    #[serde(default)]
    pub changes: Option<i64>,
    pub hold_id: Option<i64>,
    pub contact: Contact,
    /// 連絡先 was sent and passed its checks.
    pub contact_done: bool,
    /// One key per draft: a repeated [予約を確定する] finds the booking the first one made.
    pub idempotency_key: String,
    pub booking_id: Option<i64>,
    /// The completion mail went to this address.
    pub mailed_to: Option<String>,
    /// The address check mailed for 連絡先's address (`db::verifications`), and the address
    /// once its link was opened: 内容確認 waits for it, so no booking's mail goes to an
    /// address nobody has shown they read.
    #[serde(default)]
    pub verification_id: Option<i64>,
    #[serde(default)]
    pub verified_email: Option<String>,
}

/// 連絡先 as typed (kept across pages and errors).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Contact {
    pub kana: String,
    pub phone: String,
    pub email: String,
    /// 「予約者が接種を受ける本人と異なる」.
    pub booker_other: bool,
    pub booker_name: String,
    pub booker_phone: String,
    /// 「接種日の繰上げを希望する」: "yes", "no" or empty (not answered).
    pub wants_earlier: String,
}

/// A logged-in page's session and ticket, or where to send the browser instead.
pub enum Login {
    In(Box<ResidentSession>, Ticket),
    Out(Response),
}

/// Whether the session's login has been idle longer than the municipality allows.
pub fn idle_expired(last_activity: i64, now: i64, idle_min: i32) -> bool {
    now - last_activity > i64::from(idle_min.max(1)) * 60
}

/// The session's ticket, the login kept alive; an idle login is ended here (its hold let
/// go) and the browser sent to the login page with a message; no login goes to the
/// login page (which sends on to the terms when they were not agreed to).
pub async fn require_login(
    app: &App,
    jar: &CookieJar,
    tenant: &Tenant,
    settings: &Settings,
) -> Result<Login, WebError> {
    let to_login = || Login::Out(Redirect::to(&url(tenant, "/login")).into_response());
    let Some(mut s) = session::load(app, jar, tenant.id).await? else {
        return Ok(to_login());
    };
    let now = app.clock.now_unix();
    let Some(visit) = s.data.vaccination.as_mut() else {
        return Ok(to_login());
    };
    let Some(ticket_id) = visit.ticket_id else {
        return Ok(to_login());
    };
    if idle_expired(visit.last_activity, now, settings.session_idle_min) {
        end_login(app, visit).await?;
        s.data.flash = Some(i18n::tr("vx-session-expired"));
        session::save(app, &s).await?;
        return Ok(to_login());
    }
    let Some(ticket) = tickets::find(&app.db, tenant.id, ticket_id).await? else {
        end_login(app, visit).await?;
        session::save(app, &s).await?;
        return Ok(to_login());
    };
    if now - visit.last_activity >= ACTIVITY_GRANULARITY_SECS {
        visit.last_activity = now;
        session::save(app, &s).await?;
    }
    Ok(Login::In(Box::new(s), ticket))
}

/// Ends the login (logout or idle): the ticket and the draft go, a live hold is let go so
/// its places return at once. The agreed terms stay, so the login page shows again.
pub async fn end_login(app: &App, visit: &mut Visit) -> Result<(), WebError> {
    if let Some(hold_id) = visit.draft.as_ref().and_then(|d| d.hold_id) {
        crate::db::holds::release(&app.db, hold_id).await?;
    }
    visit.ticket_id = None;
    visit.draft = None;
    Ok(())
}

pub fn visit_of(s: &mut ResidentSession) -> &mut Visit {
    s.data.vaccination.get_or_insert_with(Visit::default)
}

#[cfg(test)]
mod tests {
    use super::idle_expired;

    #[test]
    fn idle_expiry_counts_whole_minutes_of_silence() {
        assert!(!idle_expired(1_000, 1_000 + 30 * 60, 30));
        assert!(idle_expired(1_000, 1_000 + 30 * 60 + 1, 30));
        assert!(!idle_expired(1_000, 1_000, 30));
        // A setting of zero (refused by the database) still expires after a minute.
        assert!(idle_expired(1_000, 1_000 + 61, 0));
    }
}
