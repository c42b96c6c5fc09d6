//! マイページ (seed 002 トップページ, seed 003): the ticket's person, each dose with its
//! booking or the 「予約」 button for the dose that can be booked now, the municipality's
//! お知らせ and 持ち物, and ログアウト.
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::Serialize;
use time::{Date, Duration};

use super::visit::{Login, require_login};
use super::{load_service, service_context};
use crate::app::{App, AppState};
use crate::core::receipt;
use crate::core::vaccination::dose::DoseNumber;
use crate::core::vaccination::eligibility::DayRefusal;
use crate::core::vaccination::my_doses::{DoseState, dose_states};
use crate::db::tenants::Tenant;
use crate::db::tickets::{self, Ticket};
use crate::db::vaccination::Settings;
use crate::db::{bookings, venues};
use crate::i18n::{self, Lang};
use crate::web::error::WebError;
use crate::web::session;
use crate::web::{PathParams, render};

/// A booking as the マイページ and the pages after it show it.
#[derive(Debug, Clone, Serialize)]
pub struct BookingView {
    pub id: i64,
    pub receipt: String,
    pub date: String,
    pub time: String,
    pub venue: String,
    pub address: String,
    pub vaccine: String,
}

pub async fn booking_view(
    app: &App,
    tenant: &Tenant,
    booking_id: i64,
) -> Result<Option<BookingView>, WebError> {
    let Some(b) = bookings::find(&app.db, booking_id).await? else {
        return Ok(None);
    };
    if b.tenant_id != tenant.id {
        return Ok(None);
    }
    let venue = venues::find(&app.db, tenant.id, b.counter_id).await?;
    let lang = Lang::current();
    Ok(Some(BookingView {
        id: b.id,
        receipt: receipt::format_receipt(&b.receipt_number),
        date: i18n::date_with_weekday(lang, b.day),
        time: i18n::time_range(lang, b.start_min, b.end_min),
        venue: venue.as_ref().map(|v| v.name.clone()).unwrap_or_default(),
        address: venue
            .as_ref()
            .map(|v| v.address.clone())
            .unwrap_or_default(),
        vaccine: venue.map(|v| v.vaccine).unwrap_or_default(),
    }))
}

#[derive(Debug, Serialize)]
struct DoseView {
    number: u8,
    label: String,
    booking: Option<BookingView>,
    /// The 「予約」 button: this dose can be booked now.
    bookable: bool,
    /// Why it cannot be booked now.
    refusal: Option<String>,
    /// The reason sends the resident to the call centre.
    call_centre: bool,
    /// Waiting for the dose before it.
    after_previous: bool,
}

/// The days online booking takes now: today to the end of the window (a day past the
/// booking cut-off has no time left to choose and shows so on its own).
pub fn window(app: &App, settings: &Settings) -> (Date, Date) {
    let today = app.clock.today();
    let last = today + Duration::days(i64::from(settings.booking_window_days.max(0)));
    (today, last)
}

/// The ticket's active bookings as (dose, booking id, day).
pub async fn ticket_bookings(
    app: &App,
    ticket: &Ticket,
) -> Result<Vec<(DoseNumber, i64, Date)>, WebError> {
    Ok(tickets::active_bookings(&app.db, ticket.id)
        .await?
        .into_iter()
        .filter_map(|(id, dose, day)| {
            let dose = DoseNumber::new(u8::try_from(dose).ok()?)?;
            Some((dose, id, day))
        })
        .collect())
}

/// The ticket's doses and what each can do now.
pub async fn states_of(
    app: &App,
    settings: &Settings,
    ticket: &Ticket,
) -> Result<Vec<(DoseNumber, DoseState)>, WebError> {
    let booked: Vec<(DoseNumber, Date)> = ticket_bookings(app, ticket)
        .await?
        .into_iter()
        .map(|(d, _, day)| (d, day))
        .collect();
    let ticket_dose =
        DoseNumber::new(u8::try_from(ticket.dose_number).unwrap_or(1)).unwrap_or(DoseNumber::FIRST);
    Ok(dose_states(
        &settings.interval_rules(),
        ticket_dose,
        ticket.previous_dose_on,
        &booked,
        window(app, settings),
    ))
}

pub async fn show(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let (mut s, ticket) = match require_login(&app, &jar, &tenant, &settings).await? {
        Login::In(s, t) => (s, t),
        Login::Out(r) => return Ok(r),
    };
    let flash = s.take_flash();
    if flash.is_some() {
        session::save(&app, &s).await?;
    }
    let lang = Lang::current();
    let bookings = ticket_bookings(&app, &ticket).await?;
    let mut doses = Vec::new();
    for (dose, state) in states_of(&app, &settings, &ticket).await? {
        let booking = match bookings.iter().find(|(d, _, _)| *d == dose) {
            Some((_, id, _)) => booking_view(&app, &tenant, *id).await?,
            None => None,
        };
        let refusal = match state {
            DoseState::Refused(r) => Some(r),
            _ => None,
        };
        doses.push(DoseView {
            number: dose.get(),
            label: dose.label(lang),
            booking,
            bookable: matches!(state, DoseState::Bookable { .. }),
            refusal: refusal.map(|r| r.no_days_message(lang)),
            call_centre: refusal == Some(DayRefusal::PreviousDoseUnknown),
            after_previous: state == DoseState::AfterPrevious,
        });
    }
    let (jar, mut ctx) = service_context(&app, &tenant, &settings, jar);
    ctx.insert("person_name", &ticket.name);
    ctx.insert("doses", &doses);
    ctx.insert(
        "notice",
        settings.text(lang, &settings.notice_ja, &settings.notice_en),
    );
    ctx.insert(
        "items",
        settings.text(lang, &settings.items_ja, &settings.items_en),
    );
    ctx.insert("flash", &flash);
    Ok((jar, render(&app, "vaccination/mypage.html", &ctx)?).into_response())
}
