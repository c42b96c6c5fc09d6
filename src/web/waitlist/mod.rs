//! The cancellation-slot waitlist, the resident's pages (issue 13; seed 001, Kanagawa's
//! キャンセル枠有効活用システム, with a checked mail address where the seed has LINE):
//! 「キャンセル待ち申請」 (the address, then each person's details), 「キャンセル待ち予約確認」
//! (the registrations and their bookings), 「ユーザー情報登録修正」, the 空き枠 with
//! 「申し込む」 (first come, first served), and 登録情報の削除. The notices at the set times are
//! the job's (`web::waitlist::notices`).
//!
//! Who the resident is: the address whose link they opened. The session keeps that address;
//! every registration is looked up with it, so a session reaches only its own family's.
pub mod entry;
pub mod mails;
pub mod notices;
pub mod places;
pub mod registration;

use axum::Router;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;

use crate::app::{App, AppState};
use crate::db::tenants::Tenant;
use crate::db::vaccination::{self, Settings};
use crate::web::booking::load_tenant;
use crate::web::error::WebError;
use crate::web::session::{self, ResidentSession};

/// The dose numbers a registrant may ask for: Japan's programme went to a 7th dose.
pub const DOSES: std::ops::RangeInclusive<i32> = 1..=7;

/// One option of a select.
#[derive(serde::Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The 接種回 select's options: 「1回目」… in the page's language.
pub fn dose_choices(lang: crate::i18n::Lang) -> Vec<Choice> {
    DOSES
        .map(|d| Choice {
            value: d.to_string(),
            label: registration::dose_label(lang, d),
        })
        .collect()
}

/// The error summary's rows: each field's message, in page order.
pub fn error_summary(
    errors: &std::collections::BTreeMap<&'static str, crate::i18n::Msg>,
    order: &[&str],
) -> Vec<(String, crate::i18n::Msg)> {
    order
        .iter()
        .filter_map(|f| errors.get(f).map(|m| (f.to_string(), m.clone())))
        .collect()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/waitlist", get(entry::start).post(entry::send))
        .route(
            "/t/{tenant}/waitlist/verify/{token}",
            get(entry::link).post(entry::link_submit),
        )
        .route("/t/{tenant}/waitlist/logout", post(entry::logout))
        .route("/t/{tenant}/waitlist/me", get(registration::mine))
        .route(
            "/t/{tenant}/waitlist/register",
            get(registration::new_form).post(registration::create),
        )
        .route(
            "/t/{tenant}/waitlist/r/{id}/edit",
            get(registration::edit_form).post(registration::update),
        )
        .route(
            "/t/{tenant}/waitlist/r/{id}/delete",
            get(registration::delete_form).post(registration::delete),
        )
        .route("/t/{tenant}/waitlist/places", get(places::list))
        .route("/t/{tenant}/waitlist/apply", post(places::apply))
}

/// A page of the waitlist: the municipality and its vaccination settings; 404 when it does
/// not offer vaccination booking (the waitlist books vaccination places).
pub async fn load_service(app: &App, slug: &str) -> Result<(Tenant, Settings), WebError> {
    let tenant = load_tenant(app, slug).await?;
    let settings = vaccination::settings(&app.db, tenant.id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((tenant, settings))
}

/// `/t/{slug}/waitlist{rest}`.
pub fn url(tenant: &Tenant, rest: &str) -> String {
    format!("/t/{}/waitlist{rest}", tenant.slug)
}

/// The same, absolute, for mails.
pub fn public_url(app: &App, tenant: &Tenant, rest: &str) -> String {
    format!(
        "{}{}",
        app.settings.server.public_url.trim_end_matches('/'),
        url(tenant, rest)
    )
}

/// The resident whose address is checked, or the way to the start page.
pub enum Visitor {
    In(Box<ResidentSession>, String),
    Out(Response),
}

pub async fn require_address(
    app: &App,
    jar: &CookieJar,
    tenant: &Tenant,
) -> Result<Visitor, WebError> {
    let session = session::load(app, jar, tenant.id).await?;
    match session {
        Some(s) if s.data.waitlist_email.is_some() => {
            let email = s.data.waitlist_email.clone().unwrap_or_default();
            Ok(Visitor::In(Box::new(s), email))
        }
        _ => Ok(Visitor::Out(Redirect::to(&url(tenant, "")).into_response())),
    }
}

/// The context of every waitlist page.
pub fn page_context(app: &App, tenant: &Tenant, jar: CookieJar) -> (CookieJar, tera::Context) {
    let (jar, mut ctx) = crate::web::booking::base_context(app, tenant, jar);
    ctx.insert(
        "service_site_name",
        &crate::i18n::Msg::new("wl-site-name")
            .arg("tenant", tenant.name.as_str())
            .resolve(crate::i18n::Lang::current()),
    );
    ctx.insert("service_home", &url(tenant, ""));
    (jar, ctx)
}
