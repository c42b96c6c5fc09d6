//! 利用規約 (seed 003): the municipality's terms and 個人情報の取扱い, 「利用規約に同意する」
//! and 「予約をはじめる」. The version agreed to is kept in the session and stored with
//! the booking.
use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use super::visit::visit_of;
use super::{load_service, service_context, url};
use crate::app::AppState;
use crate::db::tenants::Tenant;
use crate::db::vaccination::Settings;
use crate::i18n::{Lang, Msg};
use crate::web::error::WebError;
use crate::web::session::{self, ResidentData, check_csrf};
use crate::web::{PathParams, render};

fn render_terms(
    app: &AppState,
    tenant: &Tenant,
    settings: &Settings,
    jar: CookieJar,
    error: Option<Msg>,
) -> Result<Response, WebError> {
    let lang = Lang::current();
    let (jar, mut ctx) = service_context(app, tenant, settings, jar);
    ctx.insert(
        "terms",
        settings.text(lang, &settings.terms_ja, &settings.terms_en),
    );
    ctx.insert(
        "privacy",
        settings.text(lang, &settings.privacy_ja, &settings.privacy_en),
    );
    let summary: Vec<(String, Msg)> = error
        .iter()
        .map(|m| ("agree".to_string(), m.clone()))
        .collect();
    ctx.insert("error_summary", &summary);
    ctx.insert("agree_error", &error);
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, jar, render(app, "vaccination/terms.html", &ctx)?).into_response())
}

pub async fn show(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    render_terms(&app, &tenant, &settings, jar, None)
}

/// [予約をはじめる]: only with 「利用規約に同意する」 ticked.
pub async fn agree(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    check_csrf(&app, &jar, form.get("csrf").map_or("", String::as_str))?;
    if form.get("agree").map(String::as_str) != Some("1") {
        return render_terms(
            &app,
            &tenant,
            &settings,
            jar,
            Some(Msg::new("vx-terms-not-agreed")),
        );
    }
    let jar = match session::load(&app, &jar, tenant.id).await? {
        Some(mut s) => {
            visit_of(&mut s).terms_version = Some(settings.terms_version);
            session::save(&app, &s).await?;
            jar
        }
        None => {
            let data = ResidentData {
                vaccination: Some(super::Visit {
                    terms_version: Some(settings.terms_version),
                    ..Default::default()
                }),
                ..ResidentData::default()
            };
            session::start(&app, jar, tenant.id, data).await?.0
        }
    };
    Ok((jar, Redirect::to(&url(&tenant, "/login"))).into_response())
}
