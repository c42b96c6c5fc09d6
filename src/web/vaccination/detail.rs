//! 予約の詳細 and キャンセル from the マイページ (seed 003): 「キャンセルしますか？」 → はい,
//! until the change/cancel deadline of the settings (default 「予約日の3日前まで」); past it
//! the page says so and shows the 予約相談センター. The booking is found by the dose of the
//! session's ticket, never by an id from the URL: a login reaches its own bookings only.
use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use super::mypage::{BookingView, booking_view, ticket_bookings};
use super::visit::{Login, require_login};
use super::{insert_service, load_service, url};
use crate::app::{App, AppState};
use crate::core::deadline;
use crate::core::vaccination::dose::DoseNumber;
use crate::db::bookings::{self, Booking};
use crate::db::tenants::Tenant;
use crate::db::tickets::Ticket;
use crate::db::vaccination::Settings;
use crate::i18n::{self, Lang};
use crate::web::booking::base_context;
use crate::web::error::WebError;
use crate::web::session::{self, ResidentSession, check_csrf};
use crate::web::{PathParams, render};

struct Found {
    session: Box<ResidentSession>,
    dose: DoseNumber,
    booking: Booking,
    view: BookingView,
}

/// The session's booking of `dose`, or where to go instead.
async fn find(
    app: &App,
    jar: &CookieJar,
    tenant: &Tenant,
    settings: &Settings,
    dose: &str,
) -> Result<Result<Found, Box<Response>>, WebError> {
    let (session, ticket): (Box<ResidentSession>, Ticket) =
        match require_login(app, jar, tenant, settings).await? {
            Login::In(s, t) => (s, t),
            Login::Out(r) => return Ok(Err(Box::new(r))),
        };
    let to_mypage = || {
        Err(Box::new(
            Redirect::to(&url(tenant, "/mypage")).into_response(),
        ))
    };
    let Some(dose) = DoseNumber::parse(dose).ok() else {
        return Ok(to_mypage());
    };
    let Some((_, id, _)) = ticket_bookings(app, &ticket)
        .await?
        .into_iter()
        .find(|(d, _, _)| *d == dose)
    else {
        return Ok(to_mypage());
    };
    let (Some(booking), Some(view)) = (
        bookings::find(&app.db, id).await?,
        booking_view(app, tenant, id).await?,
    ) else {
        return Ok(to_mypage());
    };
    Ok(Ok(Found {
        session,
        dose,
        booking,
        view,
    }))
}

/// Whether the resident may still cancel online.
fn cancellable(app: &App, settings: &Settings, b: &Booking) -> bool {
    settings.change_cutoff().is_open(
        deadline::slot_start(b.day, b.start_min),
        app.clock.now_jst(),
    )
}

fn render_page(
    app: &AppState,
    tenant: &Tenant,
    settings: &Settings,
    jar: CookieJar,
    found: &Found,
    template: &str,
) -> Result<Response, WebError> {
    let lang = Lang::current();
    let (jar, mut ctx) = base_context(app, tenant, jar);
    insert_service(&mut ctx, settings);
    ctx.insert("booking", &found.view);
    ctx.insert("dose", &found.dose.get());
    ctx.insert("dose_label", &found.dose.label(lang));
    ctx.insert("cancellable", &cancellable(app, settings, &found.booking));
    ctx.insert(
        "cancel_rule",
        &i18n::deadline_rule(lang, settings.change_cutoff()),
    );
    Ok((jar, render(app, template, &ctx)?).into_response())
}

/// 詳細.
pub async fn show(
    State(app): State<AppState>,
    PathParams((slug, dose)): PathParams<(String, String)>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let found = match find(&app, &jar, &tenant, &settings, &dose).await? {
        Ok(f) => f,
        Err(r) => return Ok(*r),
    };
    render_page(
        &app,
        &tenant,
        &settings,
        jar,
        &found,
        "vaccination/detail.html",
    )
}

/// 「キャンセルしますか？」.
pub async fn cancel_page(
    State(app): State<AppState>,
    PathParams((slug, dose)): PathParams<(String, String)>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let found = match find(&app, &jar, &tenant, &settings, &dose).await? {
        Ok(f) => f,
        Err(r) => return Ok(*r),
    };
    render_page(
        &app,
        &tenant,
        &settings,
        jar,
        &found,
        "vaccination/cancel.html",
    )
}

/// [はい]: cancelled, its place given back; past the deadline the page says why instead.
pub async fn cancel(
    State(app): State<AppState>,
    PathParams((slug, dose)): PathParams<(String, String)>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    check_csrf(&app, &jar, form.get("csrf").map_or("", String::as_str))?;
    let mut found = match find(&app, &jar, &tenant, &settings, &dose).await? {
        Ok(f) => f,
        Err(r) => return Ok(*r),
    };
    if !cancellable(&app, &settings, &found.booking) {
        return render_page(
            &app,
            &tenant,
            &settings,
            jar,
            &found,
            "vaccination/detail.html",
        );
    }
    bookings::cancel(&app.db, found.booking.id, app.clock.now_unix(), &[], None).await?;
    found.session.data.flash = Some(
        crate::i18n::Msg::new("vx-cancelled")
            .arg("dose", found.dose.label(Lang::current()))
            .resolve(Lang::current()),
    );
    session::save(&app, &found.session).await?;
    Ok(Redirect::to(&url(&tenant, "/mypage")).into_response())
}
