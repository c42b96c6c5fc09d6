//! Cookies, CSRF tokens and the resident's session (an application in progress, a booking
//! looked up). Session data lives in the database; the cookie only holds a random id.
use std::collections::BTreeMap;

use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::{Deserialize, Serialize};

use super::error::WebError;
use crate::app::App;
use crate::db::sessions;
use crate::secrets::random_token;

/// How long a resident session lives after its last change.
const SESSION_SECS: i64 = 60 * 60;

fn cookie_name(app: &App, base: &'static str) -> String {
    // __Host- pins the cookie to this exact host over HTTPS; browsers refuse it on http.
    if app.settings.security.https {
        format!("__Host-{base}")
    } else {
        base.to_string()
    }
}

fn build_cookie(app: &App, name: String, value: String) -> Cookie<'static> {
    let mut c = Cookie::new(name, value);
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_path("/");
    c.set_secure(app.settings.security.https);
    c
}

/// The CSRF token for forms on this page, setting the CSRF cookie when it is missing. The
/// token is a keyed hash of the cookie's random value, so a forged cookie cannot carry a
/// matching token.
pub fn csrf_token(app: &App, jar: CookieJar) -> (CookieJar, String) {
    let name = cookie_name(app, "mdg_csrf");
    if let Some(c) = jar.get(&name) {
        let token = app.secrets.keyed_hash("csrf", c.value());
        return (jar, token);
    }
    let value = random_token(20);
    let token = app.secrets.keyed_hash("csrf", &value);
    (jar.add(build_cookie(app, name, value)), token)
}

/// Refuses a form post whose token does not match the cookie.
pub fn check_csrf(app: &App, jar: &CookieJar, submitted: &str) -> Result<(), WebError> {
    let name = cookie_name(app, "mdg_csrf");
    let expected = jar
        .get(&name)
        .map(|c| app.secrets.keyed_hash("csrf", c.value()));
    match expected {
        Some(e) if constant_time_eq(e.as_bytes(), submitted.as_bytes()) => Ok(()),
        _ => Err(WebError::Forbidden),
    }
}

pub use crate::secrets::constant_time_eq;

/// What a resident types on the booking form for one person, kept as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PersonForm {
    pub name: String,
    pub kana: String,
    pub phone: String,
    /// The municipality's own fields, by field id; a field left empty has no entry.
    #[serde(default)]
    pub answers: BTreeMap<i64, String>,
}

/// An application between the verified link and the booking.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Application {
    pub email: String,
    pub notice_ids: Vec<i64>,
    pub people: Vec<PersonForm>,
    pub counter_id: Option<i64>,
    pub email2: String,
    pub hold_id: Option<i64>,
    /// One key per application: a repeated [予約する] finds the booking the first one made.
    pub idempotency_key: String,
    pub booking_id: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ResidentData {
    pub application: Option<Application>,
    /// The booking opened with 受付番号 and パスワード (or just made).
    pub lookup_booking_id: Option<i64>,
    /// A hold for moving that booking to another time.
    pub change_hold_id: Option<i64>,
    /// When that hold last became the booking's time: a [変更する] pressed again (double
    /// click, a second tab, a retry) after the session lost the hold shows the booking,
    /// whose time has changed, instead of asking for a new time.
    #[serde(default)]
    pub changed_at: Option<i64>,
    /// A one-time message for the next page.
    pub flash: Option<String>,
    /// Field errors carried over a redirect (rare: most forms re-render directly).
    #[serde(default)]
    pub errors: BTreeMap<String, String>,
    /// The vaccination service's visit: terms agreed, the ticket logged in, the booking
    /// being made (see `web::vaccination::visit`).
    #[serde(default)]
    pub vaccination: Option<crate::web::vaccination::Visit>,
    /// The waitlist's checked address (`web::waitlist`): its registrations are reached
    /// with it, never by an id alone.
    #[serde(default)]
    pub waitlist_email: Option<String>,
}

pub struct ResidentSession {
    id_hash: String,
    pub tenant_id: i64,
    pub data: ResidentData,
    /// The data as stored and when the stored session expires: a page that changed nothing
    /// writes nothing (most pages only read the session), unless the expiry is due to be
    /// pushed on.
    stored: Option<(String, i64)>,
}

/// An unchanged session is written again (to push its expiry on) once this much of its
/// lifetime has passed since the last write, not on every page.
const RENEW_AFTER_SECS: i64 = 5 * 60;

impl ResidentSession {
    pub fn take_flash(&mut self) -> Option<String> {
        self.data.flash.take()
    }
}

/// The resident's live session for this tenant, if any.
pub async fn load(
    app: &App,
    jar: &CookieJar,
    tenant_id: i64,
) -> Result<Option<ResidentSession>, WebError> {
    let Some(cookie) = jar.get(&cookie_name(app, "mdg_sid")) else {
        return Ok(None);
    };
    let id_hash = app.secrets.keyed_hash("session", cookie.value());
    let Some(row) = sessions::load(&app.db, &id_hash, app.clock.now_unix()).await? else {
        return Ok(None);
    };
    if row.tenant_id != tenant_id || row.kind != "resident" {
        return Ok(None);
    }
    let data = serde_json::from_str(&row.data).unwrap_or_default();
    Ok(Some(ResidentSession {
        id_hash,
        tenant_id,
        data,
        stored: Some((row.data, row.expires_at)),
    }))
}

/// Starts a fresh session (a new id every time, so an old cookie never carries over).
pub async fn start(
    app: &App,
    jar: CookieJar,
    tenant_id: i64,
    data: ResidentData,
) -> Result<(CookieJar, ResidentSession), WebError> {
    let id = random_token(20);
    let id_hash = app.secrets.keyed_hash("session", &id);
    let now = app.clock.now_unix();
    let json = serde_json::to_string(&data).map_err(|e| WebError::Internal(e.to_string()))?;
    sessions::create(
        &app.db,
        &id_hash,
        tenant_id,
        "resident",
        &json,
        now + SESSION_SECS,
        now,
    )
    .await?;
    let jar = jar.add(build_cookie(app, cookie_name(app, "mdg_sid"), id));
    Ok((
        jar,
        ResidentSession {
            id_hash,
            tenant_id,
            data,
            stored: Some((json, now + SESSION_SECS)),
        },
    ))
}

pub async fn save(app: &App, session: &ResidentSession) -> Result<(), WebError> {
    let json =
        serde_json::to_string(&session.data).map_err(|e| WebError::Internal(e.to_string()))?;
    let now = app.clock.now_unix();
    if let Some((stored, expires_at)) = &session.stored
        && *stored == json
        && expires_at - now > SESSION_SECS - RENEW_AFTER_SECS
    {
        return Ok(());
    }
    sessions::save(&app.db, &session.id_hash, &json, now + SESSION_SECS).await?;
    Ok(())
}
