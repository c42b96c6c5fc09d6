//! ログイン / 個人の認証 (seeds 002, 003): 接種券番号 and 生年月日 open the マイページ.
//! A wrong pair says the same whichever half was wrong, and is counted by the same
//! identification throttle as the card-pickup entry (a run of failures brings the
//! challenge). ログアウト ends the login.
use std::collections::{BTreeMap, HashMap};

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use super::visit::{Visit, end_login, visit_of};
use super::{load_service, service_context, url};
use crate::app::AppState;
use crate::core::resident_input::parse_birthdate;
use crate::core::throttle;
use crate::core::vaccination::ticket_number::TicketNumber;
use crate::db::tenants::Tenant;
use crate::db::tickets;
use crate::db::vaccination::Settings;
use crate::i18n::Msg;
use crate::web::error::WebError;
use crate::web::limits::{self, Admission, ChallengeView, Client, Counted};
use crate::web::session::{self, check_csrf};
use crate::web::{PathParams, render};

#[derive(Default)]
struct LoginPage {
    ticket_number: String,
    birthdate: String,
    errors: BTreeMap<&'static str, Msg>,
    /// For the whole form: no such ticket, a rate limit or a lockout.
    notice: Option<Msg>,
    challenge: Option<ChallengeView>,
    flash: Option<String>,
}

fn render_login(
    app: &AppState,
    tenant: &Tenant,
    settings: &Settings,
    jar: CookieJar,
    page: LoginPage,
) -> Result<Response, WebError> {
    let (jar, mut ctx) = service_context(app, tenant, settings, jar);
    let summary: Vec<(String, Msg)> = ["ticket_number", "birthdate"]
        .into_iter()
        .filter_map(|f| page.errors.get(f).map(|m| (f.to_string(), m.clone())))
        .collect();
    ctx.insert("ticket_number", &page.ticket_number);
    ctx.insert("birthdate", &page.birthdate);
    ctx.insert("errors", &page.errors);
    ctx.insert("error_summary", &summary);
    ctx.insert("error_notice", &page.notice);
    ctx.insert("challenge", &page.challenge);
    ctx.insert("flash", &page.flash);
    let status = if page.challenge.is_some() {
        StatusCode::TOO_MANY_REQUESTS
    } else if summary.is_empty() && page.notice.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, jar, render(app, "vaccination/login.html", &ctx)?).into_response())
}

/// The terms agreed to in this session, if they were.
fn agreed(s: &session::ResidentSession) -> Option<i32> {
    s.data.vaccination.as_ref().and_then(|v| v.terms_version)
}

pub async fn show(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let Some(mut s) = session::load(&app, &jar, tenant.id).await? else {
        return Ok(Redirect::to(&url(&tenant, "/")).into_response());
    };
    if agreed(&s).is_none() {
        return Ok(Redirect::to(&url(&tenant, "/")).into_response());
    }
    if s.data
        .vaccination
        .as_ref()
        .is_some_and(|v| v.ticket_id.is_some())
    {
        return Ok(Redirect::to(&url(&tenant, "/mypage")).into_response());
    }
    let flash = s.take_flash();
    session::save(&app, &s).await?;
    render_login(
        &app,
        &tenant,
        &settings,
        jar,
        LoginPage {
            flash,
            ..LoginPage::default()
        },
    )
}

pub async fn submit(
    State(app): State<AppState>,
    client: Client,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    check_csrf(&app, &jar, &field("csrf"))?;
    let Some(s) = session::load(&app, &jar, tenant.id).await? else {
        return Ok(Redirect::to(&url(&tenant, "/")).into_response());
    };
    let Some(terms_version) = agreed(&s) else {
        return Ok(Redirect::to(&url(&tenant, "/")).into_response());
    };
    let mut page = LoginPage {
        ticket_number: field("ticket_number"),
        birthdate: field("birthdate"),
        ..LoginPage::default()
    };
    let number = TicketNumber::parse(&page.ticket_number)
        .map_err(|e| page.errors.insert("ticket_number", e.msg()))
        .ok();
    let birthdate = parse_birthdate(&page.birthdate, app.clock.today())
        .map_err(|e| page.errors.insert("birthdate", e.msg()))
        .ok();
    let (Some(number), Some(birthdate)) = (number, birthdate) else {
        return render_login(&app, &tenant, &settings, jar, page);
    };
    // A secret is checked: counted per client and per number, as the card-pickup entry.
    let counted = [
        Counted::client(&app, "vaccination-login:client", client),
        Counted::new(&app, "vaccination-login:number", number.as_str()),
    ];
    let checks = Counted::client(&app, "check:client", client);
    if let Err(message) = limits::within(&app, &checks, &throttle::SECRET_CHECKS_PER_CLIENT).await?
    {
        page.notice = Some(message);
        return render_login(&app, &tenant, &settings, jar, page);
    }
    match limits::admit(&app, &counted, &throttle::IDENTIFICATION, &field("pow")).await? {
        Admission::Go => {}
        Admission::Challenge(c) => {
            page.challenge = Some(c);
            return render_login(&app, &tenant, &settings, jar, page);
        }
        Admission::Locked(message) => {
            page.notice = Some(message);
            return render_login(&app, &tenant, &settings, jar, page);
        }
    }
    let ticket = tickets::find_by_number(&app.db, tenant.id, number.as_str())
        .await?
        .filter(|t| t.birthdate == birthdate && t.service_id == settings.service_id);
    let Some(ticket) = ticket else {
        limits::failed(&app, &counted, &throttle::IDENTIFICATION).await?;
        page.notice = Some(Msg::new("vx-ticket-not-found"));
        return render_login(&app, &tenant, &settings, jar, page);
    };
    limits::succeeded(&app, &counted).await?;
    // A new session id at login, so an id seen before it (a shared computer, a fixed
    // cookie) never carries the login; what the session held otherwise comes along.
    let mut data = s.data.clone();
    data.flash = None;
    data.vaccination = Some(Visit {
        terms_version: Some(terms_version),
        ticket_id: Some(ticket.id),
        last_activity: app.clock.now_unix(),
        draft: None,
    });
    let (jar, _) = session::start(&app, jar, tenant.id, data).await?;
    Ok((jar, Redirect::to(&url(&tenant, "/mypage"))).into_response())
}

/// [ログアウト]: the login ends, and the login page says 「ログアウトしました」 (seed 002).
pub async fn logout(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (tenant, _settings) = load_service(&app, &slug).await?;
    check_csrf(&app, &jar, form.get("csrf").map_or("", String::as_str))?;
    if let Some(mut s) = session::load(&app, &jar, tenant.id).await? {
        end_login(&app, visit_of(&mut s)).await?;
        s.data.flash = Some(crate::i18n::tr("vx-logged-out"));
        session::save(&app, &s).await?;
    }
    Ok(Redirect::to(&url(&tenant, "/login")).into_response())
}
