//! Staff login and logout. Passwords are Argon2 hashes; every login gets a new session id;
//! a session ends after 30 idle minutes.
use std::collections::HashMap;

use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};

use crate::app::{App, AppState};
use crate::core::throttle;
use crate::db::audit::{self, AuditEntry};
use crate::db::{sessions, staff, tenants};
use crate::secrets::{random_token, verify_password};
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::limits::{self, Admission, ChallengeView, Client, Counted};
use crate::web::render;
use crate::web::session::{check_csrf, csrf_token};

pub const IDLE_SECS: i64 = 30 * 60;
pub const LOGIN_FAILED: &str = "ログインIDまたはパスワードが正しくありません。";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff", get(home))
        .route("/t/{tenant}/staff/", get(home))
        .route("/t/{tenant}/staff/login", get(login_form).post(login))
        .route("/t/{tenant}/staff/logout", post(logout))
}

fn cookie_name(app: &App) -> &'static str {
    if app.settings.security.https {
        "__Host-mdg_staff"
    } else {
        "mdg_staff"
    }
}

pub struct StaffSession {
    pub id_hash: String,
    pub staff_user_id: i64,
    /// JSON the console keeps between requests (a phone booking in progress).
    pub data: String,
}

/// Whose console a request's staff cookie opens.
pub enum SessionFor {
    /// No cookie, or its session ended (logged out, idle too long).
    Nobody,
    /// A live session of this municipality, its idle timeout slid.
    This(StaffSession),
    /// A live session of another municipality: its holder is told nothing about this one.
    OtherTenant,
}

/// The live staff session behind the cookie, as seen from `tenant_id`.
pub async fn load_session(
    app: &App,
    jar: &CookieJar,
    tenant_id: i64,
) -> Result<SessionFor, WebError> {
    let Some(cookie) = jar.get(cookie_name(app)) else {
        return Ok(SessionFor::Nobody);
    };
    let id_hash = app.secrets.keyed_hash("staff-session", cookie.value());
    let now = app.clock.now_unix();
    let Some(row) = sessions::load(&app.db, &id_hash, now).await? else {
        return Ok(SessionFor::Nobody);
    };
    let (Some(staff_user_id), "staff") = (row.staff_user_id, row.kind.as_str()) else {
        return Ok(SessionFor::Nobody);
    };
    if row.tenant_id != tenant_id {
        // Not slid: using another municipality's URLs does not keep this session alive.
        return Ok(SessionFor::OtherTenant);
    }
    sessions::save(&app.db, &id_hash, &row.data, now + IDLE_SECS).await?;
    Ok(SessionFor::This(StaffSession {
        id_hash,
        staff_user_id,
        data: row.data,
    }))
}

pub async fn home(PathParams(slug): PathParams<String>) -> Redirect {
    Redirect::to(&format!("/t/{slug}/staff/roster"))
}

fn render_login(
    app: &AppState,
    tenant: &tenants::Tenant,
    jar: CookieJar,
    login: &str,
    error: Option<&str>,
    challenge: Option<&ChallengeView>,
) -> Result<Response, WebError> {
    let (jar, csrf) = csrf_token(app, jar);
    let mut ctx = tera::Context::new();
    ctx.insert("challenge", &challenge);
    ctx.insert("tenant_name", &tenant.name);
    ctx.insert("tenant_slug", &tenant.slug);
    ctx.insert("csrf", &csrf);
    ctx.insert("login", login);
    ctx.insert("error", &error);
    let status = if challenge.is_some() {
        StatusCode::TOO_MANY_REQUESTS
    } else if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, jar, render(app, "staff/login.html", &ctx)?).into_response())
}

pub async fn login_form(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let tenant = tenants::find_by_slug(&app.db, &slug)
        .await?
        .ok_or(WebError::NotFound)?;
    render_login(&app, &tenant, jar, "", None, None)
}

pub async fn login(
    State(app): State<AppState>,
    client: Client,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let tenant = tenants::find_by_slug(&app.db, &slug)
        .await?
        .ok_or(WebError::NotFound)?;
    check_csrf(
        &app,
        &jar,
        form.get("csrf").map(String::as_str).unwrap_or(""),
    )?;
    let login = form
        .get("login")
        .map(|s| s.trim())
        .unwrap_or("")
        .to_string();
    let password = form.get("password").cloned().unwrap_or_default();
    // A password is a secret: the login locks after a run of failures (whether or not it
    // exists, so a lock tells nothing), and the client then has to solve a challenge.
    let by_login = [Counted::new(
        &app,
        "staff:login",
        &format!("{}\0{}", tenant.id, login.to_lowercase()),
    )];
    let by_client = [Counted::client(&app, "staff:client", client)];
    let checks = Counted::client(&app, "check:client", client);
    if let Err(message) = limits::within(&app, &checks, &throttle::SECRET_CHECKS_PER_CLIENT).await?
    {
        return render_login(
            &app,
            &tenant,
            jar,
            &login,
            Some(&message.resolve(crate::i18n::Lang::Ja)),
            None,
        );
    }
    if let Admission::Locked(message) =
        limits::admit(&app, &by_login, &throttle::STAFF_LOGIN, "").await?
    {
        return render_login(
            &app,
            &tenant,
            jar,
            &login,
            Some(&message.resolve(crate::i18n::Lang::Ja)),
            None,
        );
    }
    match limits::admit(
        &app,
        &by_client,
        &throttle::IDENTIFICATION,
        form.get("pow").map(String::as_str).unwrap_or(""),
    )
    .await?
    {
        Admission::Go => {}
        Admission::Challenge(c) => {
            return render_login(&app, &tenant, jar, &login, None, Some(&c));
        }
        Admission::Locked(message) => {
            return render_login(
                &app,
                &tenant,
                jar,
                &login,
                Some(&message.resolve(crate::i18n::Lang::Ja)),
                None,
            );
        }
    }
    let user = staff::find_by_login(&app.db, tenant.id, &login).await?;
    // Hash even when the login is unknown, so timing does not tell which part was wrong.
    let phc = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_string());
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &phc))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let Some(user) = user.filter(|u| ok && u.active) else {
        // Who tried which login and when, for the admin reviewing attempts on accounts;
        // never the password, and no staff id (the login may not exist at all).
        let detail = format!(
            "ログイン失敗(ログインID「{}」)",
            typed_login_for_log(&login)
        );
        audit::record(
            &app.db,
            &AuditEntry {
                tenant_id: tenant.id,
                staff_user_id: None,
                action: "login_failed",
                booking_id: None,
                detail: &detail,
                now: app.clock.now_unix(),
            },
        )
        .await?;
        limits::failed(&app, &by_login, &throttle::STAFF_LOGIN).await?;
        limits::failed(&app, &by_client, &throttle::IDENTIFICATION).await?;
        return render_login(&app, &tenant, jar, &login, Some(LOGIN_FAILED), None);
    };
    limits::succeeded(&app, &by_login).await?;
    limits::succeeded(&app, &by_client).await?;
    // A fresh id at every login: a session id planted before login is worthless after it.
    if let Some(old) = jar.get(cookie_name(&app)) {
        sessions::delete(
            &app.db,
            &app.secrets.keyed_hash("staff-session", old.value()),
        )
        .await?;
    }
    let id = random_token(20);
    let now = app.clock.now_unix();
    sessions::create(
        &app.db,
        &app.secrets.keyed_hash("staff-session", &id),
        tenant.id,
        "staff",
        "{}",
        now + IDLE_SECS,
        now,
    )
    .await?;
    sessions::set_staff_user(
        &app.db,
        &app.secrets.keyed_hash("staff-session", &id),
        user.id,
    )
    .await?;
    audit::record(
        &app.db,
        &AuditEntry {
            tenant_id: tenant.id,
            staff_user_id: Some(user.id),
            action: "login",
            booking_id: None,
            detail: "ログイン",
            now,
        },
    )
    .await?;
    let mut c = Cookie::new(cookie_name(&app), id);
    c.set_http_only(true);
    c.set_same_site(SameSite::Strict);
    c.set_path("/");
    c.set_secure(app.settings.security.https);
    Ok((
        jar.add(c),
        Redirect::to(&format!("/t/{}/staff/roster", tenant.slug)),
    )
        .into_response())
}

pub async fn logout(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let tenant = tenants::find_by_slug(&app.db, &slug)
        .await?
        .ok_or(WebError::NotFound)?;
    check_csrf(
        &app,
        &jar,
        form.get("csrf").map(String::as_str).unwrap_or(""),
    )?;
    match load_session(&app, &jar, tenant.id).await? {
        SessionFor::This(session) => {
            audit::record(
                &app.db,
                &AuditEntry {
                    tenant_id: tenant.id,
                    staff_user_id: Some(session.staff_user_id),
                    action: "logout",
                    booking_id: None,
                    detail: "ログアウト",
                    now: app.clock.now_unix(),
                },
            )
            .await?;
            sessions::delete(&app.db, &session.id_hash).await?;
        }
        // Another municipality's session is neither ended nor acknowledged from here.
        SessionFor::OtherTenant => return Err(WebError::NotFound),
        SessionFor::Nobody => {}
    }
    let mut gone = Cookie::from(cookie_name(&app));
    gone.set_path("/");
    Ok((
        jar.remove(gone),
        Redirect::to(&format!("/t/{}/staff/login", tenant.slug)),
    )
        .into_response())
}

/// The login as typed, fit for the audit log: control characters dropped and cut to a
/// length no real login reaches, so a pasted essay does not end up in the log.
fn typed_login_for_log(login: &str) -> String {
    let kept: String = login.chars().filter(|c| !c.is_control()).take(64).collect();
    if kept.chars().count() < login.chars().filter(|c| !c.is_control()).count() {
        format!("{kept}…")
    } else {
        kept
    }
}

/// An Argon2 hash of a random password nobody knows, verified against when the login does
/// not exist, so both cases cost the same.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| crate::secrets::hash_password(&random_token(16)))
}

/// Stores the console's working data for this session.
pub async fn save_data(app: &App, session: &StaffSession, data: &str) -> Result<(), WebError> {
    sessions::save(
        &app.db,
        &session.id_hash,
        data,
        app.clock.now_unix() + IDLE_SECS,
    )
    .await?;
    Ok(())
}
