//! One vaccination booking in the console: its 詳細 (the full 接種券番号, which the roster
//! masks), and キャンセル for a caller, whatever the online deadline, audited. A booking of
//! another municipality, or one that is not a vaccination booking, is a 404.
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use serde::Serialize;

use super::roster::{dose_label, status_label};
use crate::app::AppState;
use crate::core::grid::format_hhmm;
use crate::core::receipt::format_receipt;
use crate::core::resident_input::{format_date_ja, format_date_with_weekday};
use crate::core::roster_csv::format_phone;
use crate::core::vaccination::dose::DoseNumber;
use crate::db::bookings::{self, Booking, ByStaff};
use crate::db::dose_bookings::{self, DoseFacts};
use crate::db::venues::{self, Venue};
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::render;
use crate::web::session::check_csrf;
use crate::web::staff::day_roster::{Params, param};
use crate::web::staff::{Denied, Staff, no_store, require};
use crate::web::vaccination::mybooking::cancelled_mails;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff/vaccination/bookings/{id}", get(page))
        .route(
            "/t/{tenant}/staff/vaccination/bookings/{id}/cancel",
            get(cancel_page).post(cancel),
        )
}

/// A vaccination booking of this tenant with its ticket, dose and venue.
pub struct DoseBooking {
    pub booking: Booking,
    pub facts: DoseFacts,
    pub venue: Venue,
}

pub async fn find(app: &AppState, staff: &Staff, id: i64) -> Result<DoseBooking, Denied> {
    let booking = bookings::find(&app.db, id)
        .await?
        .filter(|b| b.tenant_id == staff.tenant.id)
        .ok_or(WebError::NotFound)?;
    let facts = dose_bookings::facts(&app.db, staff.tenant.id, &[id])
        .await?
        .remove(&id)
        .ok_or(WebError::NotFound)?;
    let venue = venues::find(&app.db, staff.tenant.id, booking.counter_id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(DoseBooking {
        booking,
        facts,
        venue,
    })
}

/// 「2026年12月3日(木) 09:00〜09:30」
pub fn when(b: &Booking) -> String {
    format!(
        "{} {}〜{}",
        format_date_with_weekday(b.day),
        format_hhmm(b.start_min),
        format_hhmm(b.end_min)
    )
}

#[derive(Serialize)]
struct BookingView {
    id: i64,
    receipt: String,
    status: String,
    status_label: String,
    booked: bool,
    dose: String,
    venue: String,
    venue_id: i64,
    vaccine: String,
    when: String,
    day: String,
    ticket_id: i64,
    ticket_number: String,
    birthdate: String,
    name: String,
    kana: String,
    phone: String,
    email: Option<String>,
    booker_name: Option<String>,
    booker_phone: Option<String>,
    wants_earlier: bool,
    source: &'static str,
}

async fn view(app: &AppState, d: &DoseBooking) -> Result<BookingView, Denied> {
    let people = bookings::people(&app.db, d.booking.id).await?;
    let person = people.first().map(|(p, _)| p);
    let b = &d.booking;
    Ok(BookingView {
        id: b.id,
        receipt: format_receipt(&b.receipt_number),
        status: b.status.clone(),
        status_label: status_label(&b.status).to_string(),
        booked: b.status == "booked",
        dose: dose_label(d.facts.dose_number),
        venue: d.venue.name.clone(),
        venue_id: d.venue.id,
        vaccine: d.venue.vaccine.clone(),
        when: when(b),
        day: b.day.to_string(),
        ticket_id: d.facts.ticket_id,
        ticket_number: d.facts.ticket_number.clone(),
        birthdate: format_date_ja(d.facts.birthdate),
        name: person.map(|p| p.name.clone()).unwrap_or_default(),
        kana: person.map(|p| p.kana.clone()).unwrap_or_default(),
        phone: person.map(|p| format_phone(&p.phone)).unwrap_or_default(),
        email: b.email.clone(),
        booker_name: d.facts.booker_name.clone(),
        booker_phone: d.facts.booker_phone.as_deref().map(format_phone),
        wants_earlier: d.facts.wants_earlier,
        source: if b.source == "phone" { "電話" } else { "Web" },
    })
}

/// The message a redirect's fixed code asks for.
fn result_message(code: &str) -> Option<(&'static str, bool)> {
    Some(match code {
        "booked" => ("電話予約を登録しました。予約IDをお伝えください。", false),
        "replayed" => ("この電話予約はすでに登録されています。", false),
        "cancelled" => ("予約を取り消しました。", false),
        "not_active" => (
            "この予約はすでに取り消されているか、取り消せない状態です。",
            true,
        ),
        _ => return None,
    })
}

pub async fn page(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Query(q): Query<Params>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    let d = find(&app, &staff, id).await?;
    let mut ctx = staff.context();
    ctx.insert("vx_page", "phone");
    ctx.insert("b", &view(&app, &d).await?);
    let message = param(&q, "result").and_then(result_message);
    ctx.insert("message", &message.map(|m| m.0));
    ctx.insert("message_warning", &message.is_some_and(|m| m.1));
    Ok(no_store(
        render(&app, "staff/vaccination/booking.html", &ctx)?.into_response(),
    ))
}

/// The later doses of the same ticket still booked: cancelling this one leaves them, so
/// the clerk is told (the interval of a dose 2 counted from this dose 1).
async fn later_doses(
    app: &AppState,
    staff: &Staff,
    d: &DoseBooking,
) -> Result<Vec<String>, Denied> {
    let all = dose_bookings::of_ticket(&app.db, staff.tenant.id, d.facts.ticket_id).await?;
    Ok(all
        .iter()
        .filter(|t| t.status == "booked" && t.dose_number.unwrap_or(0) > d.facts.dose_number)
        .map(|t| {
            format!(
                "{}(予約ID {})",
                dose_label(t.dose_number.unwrap_or(0)),
                format_receipt(&t.receipt_number)
            )
        })
        .collect())
}

pub async fn cancel_page(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    let d = find(&app, &staff, id).await?;
    let mut ctx = staff.context();
    ctx.insert("vx_page", "phone");
    ctx.insert("b", &view(&app, &d).await?);
    ctx.insert("later_doses", &later_doses(&app, &staff, &d).await?);
    Ok(no_store(
        render(&app, "staff/vaccination/booking_cancel.html", &ctx)?.into_response(),
    ))
}

pub async fn cancel(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Params>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    check_csrf(
        &app,
        &jar,
        form.get("csrf").map(String::as_str).unwrap_or(""),
    )?;
    let d = find(&app, &staff, id).await?;
    let detail = format!(
        "代理取消(接種): 予約ID {} {} {} {}",
        format_receipt(&d.booking.receipt_number),
        dose_label(d.facts.dose_number),
        d.venue.name,
        when(&d.booking)
    );
    // A caller may cancel at any time, past the online deadline too: that is what the
    // call centre is for. The booking's address gets the cancellation mail, as online: a
    // record of what the clerk did, and a warning if the caller was not the resident.
    let mails = match DoseNumber::new(u8::try_from(d.facts.dose_number).unwrap_or(0)) {
        Some(dose) => {
            let settings = crate::db::vaccination::settings(&app.db, staff.tenant.id)
                .await?
                .ok_or(Denied::Error(WebError::NotFound))?;
            cancelled_mails(&app, &staff.tenant, &settings, &d.booking, dose).await?
        }
        None => Vec::new(),
    };
    let done = bookings::cancel(
        &app.db,
        id,
        app.clock.now_unix(),
        &mails,
        Some(&ByStaff {
            staff_user_id: staff.user.id,
            action: "vaccination_cancel",
            detail: &detail,
        }),
    )
    .await?;
    app.mail_wakeup.notify_one();
    let code = if done { "cancelled" } else { "not_active" };
    Ok(
        Redirect::to(&staff.url(&format!("/vaccination/bookings/{id}?result={code}")))
            .into_response(),
    )
}
