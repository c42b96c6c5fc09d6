//! Vaccination booking (ワクチン接種予約), the resident's pages (seeds 002, 003, 000): the
//! terms, the ticket login (接種券番号 + 生年月日), the マイページ with the doses and their
//! bookings, choosing by place (場所から決める) or by date (日時から決める) on a month
//! calendar of ○△× days, the day's times, 連絡先, 内容確認 and 完了 (with 2件目), and the
//! booking's 詳細, 編集 and キャンセル. The engine beneath (slots, holds, bookings) is shared
//! with card pickup.
pub mod book;
pub mod browse;
pub mod change;
pub mod choose;
pub mod confirm;
pub mod contact;
pub mod hold;
pub mod login;
pub mod mails;
pub mod mybooking;
pub mod mypage;
pub mod terms;
pub mod verify;
pub mod visit;

use axum::Router;
use axum::response::Redirect;
use axum::routing::{get, post};

use crate::app::{App, AppState};
use crate::db::tenants::Tenant;
use crate::db::vaccination::{self, Settings};
use crate::web::booking::load_tenant;
use crate::web::error::WebError;
pub use visit::Visit;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/t/{tenant}/vaccination",
            get(
                |axum::extract::Path(t): axum::extract::Path<String>| async move {
                    Redirect::permanent(&format!("/t/{t}/vaccination/"))
                },
            ),
        )
        .route(
            "/t/{tenant}/vaccination/",
            get(terms::show).post(terms::agree),
        )
        .route(
            "/t/{tenant}/vaccination/login",
            get(login::show).post(login::submit),
        )
        .route("/t/{tenant}/vaccination/logout", post(login::logout))
        .route("/t/{tenant}/vaccination/mypage", get(mypage::show))
        .route("/t/{tenant}/vaccination/book", get(book::start))
        .route("/t/{tenant}/vaccination/browse", get(browse::show))
        .route("/t/{tenant}/vaccination/venues", get(choose::venues_page))
        .route(
            "/t/{tenant}/vaccination/venues/{venue}",
            get(choose::venue_calendar),
        )
        .route(
            "/t/{tenant}/vaccination/venues/{venue}/{day}",
            get(choose::day_times),
        )
        .route("/t/{tenant}/vaccination/dates", get(choose::dates_calendar))
        .route(
            "/t/{tenant}/vaccination/dates/{day}",
            get(choose::date_venues),
        )
        .route("/t/{tenant}/vaccination/hold", post(hold::place))
        .route("/t/{tenant}/vaccination/hold/extend", post(hold::extend))
        .route(
            "/t/{tenant}/vaccination/contact",
            get(contact::show).post(contact::submit),
        )
        // The address check of 連絡先: the page after it, and the link in the mail.
        .route(
            "/t/{tenant}/vaccination/contact/verify",
            get(verify::sent).post(verify::sent_submit),
        )
        .route(
            "/t/{tenant}/vaccination/verify/{token}",
            get(verify::link).post(verify::link_submit),
        )
        .route(
            "/t/{tenant}/vaccination/confirm",
            get(confirm::show).post(confirm::submit),
        )
        .route("/t/{tenant}/vaccination/done", get(confirm::done))
        // A booking's 詳細, キャンセル and 編集 (step 8).
        .route(
            "/t/{tenant}/vaccination/bookings/{id}",
            get(mybooking::show),
        )
        .route(
            "/t/{tenant}/vaccination/bookings/{id}/cancel",
            get(mybooking::confirm_page).post(mybooking::cancel),
        )
        // 編集: the choice as for booking, then 「予約の変更」 (before → after).
        .route(
            "/t/{tenant}/vaccination/bookings/{id}/change",
            get(change::start),
        )
        .route(
            "/t/{tenant}/vaccination/change",
            get(change::show).post(change::submit),
        )
}

/// A page of this service: the municipality and its vaccination settings; 404 when the
/// municipality does not offer vaccination booking.
pub async fn load_service(app: &App, slug: &str) -> Result<(Tenant, Settings), WebError> {
    let tenant = load_tenant(app, slug).await?;
    let settings = vaccination::settings(&app.db, tenant.id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((tenant, settings))
}

/// `/t/{slug}/vaccination{rest}`.
pub fn url(tenant: &Tenant, rest: &str) -> String {
    format!("/t/{}/vaccination{}", tenant.slug, rest)
}

/// The call centre (予約相談センター) as the pages show it: name, phone, 受付時間.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CallCentre {
    pub name: String,
    pub phone: String,
    pub hours: String,
}

impl CallCentre {
    pub fn of(settings: &Settings) -> CallCentre {
        CallCentre {
            name: settings.call_centre_name.clone(),
            phone: settings.call_centre_phone.clone(),
            hours: settings.call_centre_hours.clone(),
        }
    }
}

/// What every page of the service starts from: the booking pages' context
/// (`base_context`: the municipality, the CSRF token, the language), the service's name in
/// the header (「デモ市 ワクチン接種予約」, linking to the service's first page, not card
/// pickup's) and the call centre.
pub fn service_context(
    app: &App,
    tenant: &Tenant,
    settings: &Settings,
    jar: axum_extra::extract::CookieJar,
) -> (axum_extra::extract::CookieJar, tera::Context) {
    let (jar, mut ctx) = crate::web::booking::base_context(app, tenant, jar);
    ctx.insert(
        "service_site_name",
        &crate::i18n::Msg::new("vx-site-name")
            .arg("tenant", tenant.name.as_str())
            .resolve(crate::i18n::Lang::current()),
    );
    ctx.insert("service_home", &format!("/t/{}/vaccination/", tenant.slug));
    ctx.insert("call_centre", &CallCentre::of(settings));
    (jar, ctx)
}
