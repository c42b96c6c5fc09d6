//! Checking the optional メールアドレス of 連絡先 (issue 12 step 5: reminders go there)
//! with the engine's single-use link mail (`db::verifications`, as card pickup checks
//! its address): 連絡先 mails the link and shows 「確認メールを送信しました」; opening the
//! link, on this device or another, and pressing 「メールアドレスを確認する」 marks it; then
//! 「確認しました」 (or the link opened in this browser) goes on to 内容確認. The resident
//! who cannot get the mail goes on without an address. Only the link's POST uses it, so a
//! mail scanner that follows links spends nothing.
use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use super::book::{Booking, require_draft};
use super::visit::visit_of;
use super::{load_service, mails, service_context, url};
use crate::app::{App, AppState};
use crate::core::resident_input::EmailAddress;
use crate::core::throttle;
use crate::db::tenants::Tenant;
use crate::db::vaccination::Settings;
use crate::db::verifications::{self, Consumed, NewVerification};
use crate::i18n::{Lang, Msg};
use crate::secrets::random_token;
use crate::web::error::WebError;
use crate::web::limits::{self, Client, Counted};
use crate::web::session::{self, check_csrf};
use crate::web::{PathParams, render};

/// Whether 内容確認 may show for the draft: no address, or its address checked.
pub fn address_ready(booking: &mut Booking) -> bool {
    let Some(draft) = visit_of(&mut booking.session).draft.as_ref() else {
        return false;
    };
    let typed = draft.contact.email.trim();
    typed.is_empty() || draft.verified_email.as_deref() == Some(typed)
}

/// Mails the check of `email` for the draft, within the mail limits (per address and
/// per client); the limit's message when it is reached.
pub async fn send_check(
    app: &App,
    tenant: &Tenant,
    client: Client,
    booking: &mut Booking,
    email: &EmailAddress,
) -> Result<Result<(), Msg>, WebError> {
    let to_address = Counted::new(app, "mail:address", email.as_str());
    let from_client = Counted::client(app, "mail:client", client);
    if let Err((_, message)) = limits::within_each(
        app,
        &[
            (&to_address, &throttle::MAILS_PER_ADDRESS),
            (&from_client, &throttle::MAILS_PER_CLIENT),
        ],
    )
    .await?
    {
        return Ok(Err(message));
    }
    let token = random_token(20);
    let now = app.clock.now_unix();
    let expires_at = now + i64::from(tenant.verification_ttl_min) * 60;
    let lang = Lang::current();
    let link = format!(
        "{}/t/{}/vaccination/verify/{token}",
        app.settings.server.public_url.trim_end_matches('/'),
        tenant.slug
    );
    let mail = mails::verification(app, tenant, email.as_str(), &link, expires_at, lang).await?;
    let id = verifications::create(
        &app.db,
        &NewVerification {
            tenant_id: tenant.id,
            token_hash: &app.secrets.keyed_hash("verification", &token),
            email: email.as_str(),
            notice_ids: "[]",
            expires_at,
            created_at: now,
            lang: lang.code(),
        },
        &mail,
    )
    .await?;
    app.mail_wakeup.notify_one();
    if let Some(draft) = visit_of(&mut booking.session).draft.as_mut() {
        draft.verification_id = Some(id);
        draft.verified_email = None;
    }
    session::save(app, &booking.session).await?;
    Ok(Ok(()))
}

fn render_waiting(
    app: &AppState,
    tenant: &Tenant,
    settings: &Settings,
    jar: CookieJar,
    booking: &mut Booking,
    not_yet: bool,
) -> Result<Response, WebError> {
    let email = visit_of(&mut booking.session)
        .draft
        .as_ref()
        .map(|d| d.contact.email.trim().to_string())
        .unwrap_or_default();
    let (jar, mut ctx) = service_context(app, tenant, settings, jar);
    ctx.insert("email", &email);
    ctx.insert("ttl_min", &tenant.verification_ttl_min);
    ctx.insert("not_yet", &not_yet);
    let status = if not_yet {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        jar,
        render(app, "vaccination/verify_sent.html", &ctx)?,
    )
        .into_response())
}

/// 「確認メールを送信しました」.
pub async fn sent(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let mut booking = match require_draft(&app, &jar, &tenant, &settings).await? {
        Ok(b) => b,
        Err(r) => return Ok(*r),
    };
    if address_ready(&mut booking) {
        return Ok(Redirect::to(&url(&tenant, "/confirm")).into_response());
    }
    render_waiting(&app, &tenant, &settings, jar, &mut booking, false)
}

/// 「確認しました」 (the link was opened, perhaps on another device), or
/// 「メールアドレスを使わずに進む」 (`action=skip`).
pub async fn sent_submit(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    check_csrf(&app, &jar, form.get("csrf").map_or("", String::as_str))?;
    let mut booking = match require_draft(&app, &jar, &tenant, &settings).await? {
        Ok(b) => b,
        Err(r) => return Ok(*r),
    };
    let to_confirm = Redirect::to(&url(&tenant, "/confirm")).into_response();
    let Some(draft) = visit_of(&mut booking.session).draft.as_mut() else {
        return Ok(to_confirm);
    };
    if form.get("action").is_some_and(|a| a == "skip") {
        draft.contact.email.clear();
        draft.verification_id = None;
        draft.verified_email = None;
        session::save(&app, &booking.session).await?;
        return Ok(to_confirm);
    }
    let typed = draft.contact.email.trim().to_string();
    let checked = match draft.verification_id {
        Some(id) => verifications::find(&app.db, tenant.id, id).await?,
        None => None,
    };
    if let Some(v) = checked
        && v.used_at.is_some()
        && v.email == typed
    {
        draft.verified_email = Some(typed);
        session::save(&app, &booking.session).await?;
        return Ok(to_confirm);
    }
    render_waiting(&app, &tenant, &settings, jar, &mut booking, true)
}

/// What the link's page shows.
#[derive(serde::Serialize)]
struct LinkState {
    /// "valid", "expired", "used", "unknown", or "done" once pressed.
    state: &'static str,
}

fn render_link(
    app: &AppState,
    tenant: &Tenant,
    settings: &Settings,
    jar: CookieJar,
    state: &'static str,
) -> Result<Response, WebError> {
    let (jar, mut ctx) = service_context(app, tenant, settings, jar);
    ctx.insert("link", &LinkState { state });
    let status = match state {
        "valid" | "done" => StatusCode::OK,
        "unknown" => StatusCode::NOT_FOUND,
        _ => StatusCode::GONE,
    };
    Ok((
        status,
        jar,
        render(app, "vaccination/verify_link.html", &ctx)?,
    )
        .into_response())
}

/// The link in the mail: a button, so following the link alone uses nothing.
pub async fn link(
    State(app): State<AppState>,
    PathParams((slug, token)): PathParams<(String, String)>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let hash = app.secrets.keyed_hash("verification", &token);
    let state = verifications::peek(&app.db, tenant.id, &hash, app.clock.now_unix()).await?;
    render_link(&app, &tenant, &settings, jar, state.state())
}

/// 「メールアドレスを確認する」: uses the link once; in the browser that is booking, straight
/// on to 内容確認.
pub async fn link_submit(
    State(app): State<AppState>,
    PathParams((slug, token)): PathParams<(String, String)>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    check_csrf(&app, &jar, form.get("csrf").map_or("", String::as_str))?;
    let hash = app.secrets.keyed_hash("verification", &token);
    let consumed = verifications::consume(&app.db, tenant.id, &hash, app.clock.now_unix()).await?;
    let Consumed::Valid(v) = consumed else {
        return render_link(&app, &tenant, &settings, jar, consumed.state());
    };
    if let Some(mut s) = session::load(&app, &jar, tenant.id).await?
        && let Some(draft) = s.data.vaccination.as_mut().and_then(|vx| vx.draft.as_mut())
        && draft.verification_id == Some(v.id)
        && draft.contact.email.trim() == v.email
    {
        draft.verified_email = Some(v.email.clone());
        s.data.flash = Some(Msg::new("vx-verify-done-here").resolve(Lang::current()));
        session::save(&app, &s).await?;
        return Ok(Redirect::to(&url(&tenant, "/confirm")).into_response());
    }
    render_link(&app, &tenant, &settings, jar, "done")
}
