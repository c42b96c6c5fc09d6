//! 「キャンセル待ち申請」's first step: the mail address, checked with the engine's
//! single-use link (`db::verifications`, as the other services check theirs). Pressing
//! 「メールアドレスを確認する」 on the link's page starts a new session that knows the address
//! (a new session id, so one planted before cannot ride along); from there on the family's
//! registrations are reached with it. Only the link's POST uses it, so a mail scanner that
//! follows links spends nothing.
use std::collections::{BTreeMap, HashMap};

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use super::{Visitor, load_service, mails, page_context, require_address, url};
use crate::app::AppState;
use crate::core::resident_input::EmailAddress;
use crate::core::throttle;
use crate::db::tenants::Tenant;
use crate::db::verifications::{self, Consumed, NewVerification};
use crate::i18n::{Lang, Msg};
use crate::secrets::random_token;
use crate::web::error::WebError;
use crate::web::limits::{self, Client, Counted};
use crate::web::session::{self, ResidentData, check_csrf};
use crate::web::{PathParams, render};

fn render_start(
    app: &AppState,
    tenant: &Tenant,
    jar: CookieJar,
    email: &str,
    errors: BTreeMap<&'static str, Msg>,
    flash: Option<String>,
) -> Result<Response, WebError> {
    let (jar, mut ctx) = page_context(app, tenant, jar);
    let summary = super::error_summary(&errors, &["email"]);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    ctx.insert("email", email);
    ctx.insert("errors", &errors);
    ctx.insert("error_summary", &summary);
    ctx.insert("flash", &flash);
    Ok((status, jar, render(app, "waitlist/start.html", &ctx)?).into_response())
}

/// 「キャンセル待ち申請」: the address form, or the registrations once it is checked.
pub async fn start(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, _) = load_service(&app, &slug).await?;
    let flash = match require_address(&app, &jar, &tenant).await? {
        Visitor::In(..) => return Ok(Redirect::to(&url(&tenant, "/me")).into_response()),
        Visitor::Out(_) => match session::load(&app, &jar, tenant.id).await? {
            Some(mut s) => {
                let flash = s.take_flash();
                session::save(&app, &s).await?;
                flash
            }
            None => None,
        },
    };
    render_start(&app, &tenant, jar, "", BTreeMap::new(), flash)
}

/// 「確認メールを送る」: within the mail limits (per address and per client).
pub async fn send(
    State(app): State<AppState>,
    client: Client,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (tenant, _) = load_service(&app, &slug).await?;
    check_csrf(&app, &jar, form.get("csrf").map_or("", String::as_str))?;
    let typed = form.get("email").cloned().unwrap_or_default();
    let email = match EmailAddress::parse(&typed) {
        Ok(e) => e,
        Err(e) => {
            let errors = BTreeMap::from([("email", e.msg())]);
            return render_start(&app, &tenant, jar, &typed, errors, None);
        }
    };
    let to_address = Counted::new(&app, "mail:address", email.as_str());
    let from_client = Counted::client(&app, "mail:client", client);
    if let Err((_, message)) = limits::within_each(
        &app,
        &[
            (&to_address, &throttle::MAILS_PER_ADDRESS),
            (&from_client, &throttle::MAILS_PER_CLIENT),
        ],
    )
    .await?
    {
        let errors = BTreeMap::from([("email", message)]);
        let mut page = render_start(&app, &tenant, jar, &typed, errors, None)?;
        *page.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return Ok(page);
    }
    let token = random_token(20);
    let now = app.clock.now_unix();
    let expires_at = now + i64::from(tenant.verification_ttl_min) * 60;
    let lang = Lang::current();
    let link = super::public_url(&app, &tenant, &format!("/verify/{token}"));
    let mail = mails::verification(&app, &tenant, email.as_str(), &link, expires_at, lang)?;
    verifications::create(
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
    let (jar, mut ctx) = page_context(&app, &tenant, jar);
    ctx.insert("email", email.as_str());
    ctx.insert("ttl_min", &tenant.verification_ttl_min);
    Ok((jar, render(&app, "waitlist/sent.html", &ctx)?).into_response())
}

fn render_link(
    app: &AppState,
    tenant: &Tenant,
    jar: CookieJar,
    state: &'static str,
) -> Result<Response, WebError> {
    let (jar, mut ctx) = page_context(app, tenant, jar);
    ctx.insert("state", state);
    let status = match state {
        "valid" => StatusCode::OK,
        "unknown" => StatusCode::NOT_FOUND,
        _ => StatusCode::GONE,
    };
    Ok((status, jar, render(app, "waitlist/link.html", &ctx)?).into_response())
}

/// The link in the mail: a button, so following the link alone uses nothing.
pub async fn link(
    State(app): State<AppState>,
    PathParams((slug, token)): PathParams<(String, String)>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, _) = load_service(&app, &slug).await?;
    let hash = app.secrets.keyed_hash("verification", &token);
    let state = verifications::peek(&app.db, tenant.id, &hash, app.clock.now_unix()).await?;
    render_link(&app, &tenant, jar, state.state())
}

/// 「メールアドレスを確認する」: uses the link once and starts the session of that address.
pub async fn link_submit(
    State(app): State<AppState>,
    PathParams((slug, token)): PathParams<(String, String)>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (tenant, _) = load_service(&app, &slug).await?;
    check_csrf(&app, &jar, form.get("csrf").map_or("", String::as_str))?;
    let hash = app.secrets.keyed_hash("verification", &token);
    let consumed = verifications::consume(&app.db, tenant.id, &hash, app.clock.now_unix()).await?;
    let Consumed::Valid(v) = consumed else {
        return render_link(&app, &tenant, jar, consumed.state());
    };
    let data = ResidentData {
        waitlist_email: Some(v.email),
        ..ResidentData::default()
    };
    let (jar, _) = session::start(&app, jar, tenant.id, data).await?;
    Ok((jar, Redirect::to(&url(&tenant, "/me"))).into_response())
}

/// 「ログアウト」: the session forgets the address.
pub async fn logout(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (tenant, _) = load_service(&app, &slug).await?;
    check_csrf(&app, &jar, form.get("csrf").map_or("", String::as_str))?;
    if let Some(mut s) = session::load(&app, &jar, tenant.id).await? {
        s.data.waitlist_email = None;
        s.data.flash = Some(Msg::new("wl-logged-out").resolve(Lang::current()));
        session::save(&app, &s).await?;
    }
    Ok(Redirect::to(&url(&tenant, "")).into_response())
}
