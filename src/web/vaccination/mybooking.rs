//! A booking's pages from the マイページ (issue 12, resident step 8; seeds 002, 003, 000):
//! 予約詳細 with [編集] (`change`) and [キャンセル] while the change/cancel deadline allows
//! (「予約日の3日前まで」), past it the 予約相談センター instead; 「キャンセルしますか？」 →
//! はい, which for dose 1 with dose 2 booked first asks what to do with dose 2
//! (`core::vaccination::cancel_plan`). Only the logged-in ticket's own bookings are
//! reachable: any other id is a 404, whichever ticket or municipality it belongs to.
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};

use super::mails;
use super::mypage::ticket_bookings;
use super::visit::{Login, require_login};
use super::{load_service, service_context, url};
use crate::app::{App, AppState};
use crate::core::deadline;
use crate::core::receipt;
use crate::core::vaccination::cancel_plan::{self, CancelPlan, NextDoseChoice};
use crate::core::vaccination::dose::DoseNumber;
use crate::db::bookings::{self, Booking, Cancellation};
use crate::db::outbox::OutgoingMail;
use crate::db::tenants::Tenant;
use crate::db::ticket_bookings::{DoseFacts, dose_facts};
use crate::db::tickets::Ticket;
use crate::db::vaccination::Settings;
use crate::db::venues;
use crate::i18n::{self, Lang, Msg};
use crate::web::error::WebError;
use crate::web::session::{self, check_csrf};
use crate::web::{PathParams, render};

/// The ticket's own booking `id` in this municipality, still booked; None for anything
/// else (another ticket's, another municipality's, a card-pickup booking, no such id).
pub async fn own_booking(
    app: &App,
    tenant: &Tenant,
    ticket: &Ticket,
    id: i64,
) -> Result<Option<(Booking, DoseNumber, DoseFacts)>, WebError> {
    let Some(booking) = bookings::find(&app.db, id).await? else {
        return Ok(None);
    };
    if booking.tenant_id != tenant.id {
        return Ok(None);
    }
    let Some(facts) = dose_facts(&app.db, id).await? else {
        return Ok(None);
    };
    if facts.ticket_id != Some(ticket.id) {
        return Ok(None);
    }
    let Some(dose) = facts
        .dose_number
        .and_then(|d| u8::try_from(d).ok())
        .and_then(DoseNumber::new)
    else {
        return Ok(None);
    };
    Ok(Some((booking, dose, facts)))
}

/// Whether the booking may still be changed or cancelled on this site now.
pub fn changeable(app: &App, settings: &Settings, booking: &Booking) -> bool {
    let start = deadline::slot_start(booking.day, booking.start_min);
    settings.change_cutoff().is_open(start, app.clock.now_jst())
}

#[derive(Debug, Serialize)]
struct DetailView {
    id: i64,
    receipt: String,
    dose: String,
    date: String,
    time: String,
    venue: String,
    address: String,
    directions: String,
    vaccine: String,
    venue_notice: String,
    kana: String,
    phone: String,
    email: String,
    booker_name: String,
    booker_phone: String,
    wants_earlier: bool,
    /// 「予約日の3日前まで」 and its moment for this booking.
    rule: String,
    deadline: String,
    changeable: bool,
}

async fn detail_view(
    app: &App,
    tenant: &Tenant,
    settings: &Settings,
    booking: &Booking,
    dose: DoseNumber,
    facts: &DoseFacts,
) -> Result<DetailView, WebError> {
    let lang = Lang::current();
    let venue = venues::find(&app.db, tenant.id, booking.counter_id).await?;
    let person = bookings::people(&app.db, booking.id)
        .await?
        .into_iter()
        .next()
        .map(|(p, _)| p);
    let cutoff = settings.change_cutoff();
    let start = deadline::slot_start(booking.day, booking.start_min);
    Ok(DetailView {
        id: booking.id,
        receipt: receipt::format_receipt(&booking.receipt_number),
        dose: dose.label(lang),
        date: i18n::date_with_weekday(lang, booking.day),
        time: i18n::time_range(lang, booking.start_min, booking.end_min),
        venue: venue.as_ref().map(|v| v.name.clone()).unwrap_or_default(),
        address: venue
            .as_ref()
            .map(|v| v.address.clone())
            .unwrap_or_default(),
        directions: venue
            .as_ref()
            .map(|v| v.directions.clone())
            .unwrap_or_default(),
        vaccine: venue
            .as_ref()
            .map(|v| v.vaccine.clone())
            .unwrap_or_default(),
        venue_notice: venue.map(|v| v.notice).unwrap_or_default(),
        kana: person.as_ref().map(|p| p.kana.clone()).unwrap_or_default(),
        phone: person.map(|p| p.phone).unwrap_or_default(),
        email: booking.email.clone().unwrap_or_default(),
        booker_name: facts.booker_name.clone().unwrap_or_default(),
        booker_phone: facts.booker_phone.clone().unwrap_or_default(),
        wants_earlier: facts.wants_earlier,
        rule: i18n::deadline_rule(lang, cutoff),
        deadline: i18n::date_time(lang, cutoff.shown_deadline(start)),
        changeable: changeable(app, settings, booking),
    })
}

/// 予約詳細.
pub async fn show(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let (mut s, ticket) = match require_login(&app, &jar, &tenant, &settings).await? {
        Login::In(s, t) => (s, t),
        Login::Out(r) => return Ok(r),
    };
    let Some((booking, dose, facts)) = own_booking(&app, &tenant, &ticket, id).await? else {
        return Err(WebError::NotFound);
    };
    if booking.status != "booked" {
        return Ok(Redirect::to(&url(&tenant, "/mypage")).into_response());
    }
    let flash = s.take_flash();
    if flash.is_some() {
        session::save(&app, &s).await?;
    }
    let view = detail_view(&app, &tenant, &settings, &booking, dose, &facts).await?;
    let (jar, mut ctx) = service_context(&app, &tenant, &settings, jar);
    ctx.insert("b", &view);
    ctx.insert("flash", &flash);
    Ok((jar, render(&app, "vaccination/booking.html", &ctx)?).into_response())
}

/// 「キャンセルしますか？」, or the question about the next dose when it is booked.
fn render_confirm(
    app: &AppState,
    tenant: &Tenant,
    settings: &Settings,
    jar: CookieJar,
    view: &DetailView,
    ask_next: Option<DoseNumber>,
) -> Result<Response, WebError> {
    let lang = Lang::current();
    let (jar, mut ctx) = service_context(app, tenant, settings, jar);
    ctx.insert("b", view);
    ctx.insert("ask_next", &ask_next.map(|d| d.label(lang)));
    Ok((jar, render(app, "vaccination/cancel.html", &ctx)?).into_response())
}

pub async fn confirm_page(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let ticket = match require_login(&app, &jar, &tenant, &settings).await? {
        Login::In(_, t) => t,
        Login::Out(r) => return Ok(r),
    };
    let Some((booking, dose, facts)) = own_booking(&app, &tenant, &ticket, id).await? else {
        return Err(WebError::NotFound);
    };
    if booking.status != "booked" || !changeable(&app, &settings, &booking) {
        return Ok(Redirect::to(&url(&tenant, &format!("/bookings/{id}"))).into_response());
    }
    let view = detail_view(&app, &tenant, &settings, &booking, dose, &facts).await?;
    render_confirm(&app, &tenant, &settings, jar, &view, None)
}

#[derive(Debug, Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    csrf: String,
    /// The answer about the next dose: "cancel" | "keep" (absent until asked).
    #[serde(default)]
    next: String,
}

/// [はい]: cancels (once, however often pressed), with the next dose as the plan says.
pub async fn cancel(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<CancelForm>,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    check_csrf(&app, &jar, &form.csrf)?;
    let (mut s, ticket) = match require_login(&app, &jar, &tenant, &settings).await? {
        Login::In(s, t) => (s, t),
        Login::Out(r) => return Ok(r),
    };
    let Some((booking, dose, facts)) = own_booking(&app, &tenant, &ticket, id).await? else {
        return Err(WebError::NotFound);
    };
    let mypage = Redirect::to(&url(&tenant, "/mypage")).into_response();
    if booking.status != "booked" {
        // The second of a double press: the first one cancelled it.
        return Ok(mypage);
    }
    if !changeable(&app, &settings, &booking) {
        // The detail page says why and shows the call centre.
        return Ok(Redirect::to(&url(&tenant, &format!("/bookings/{id}"))).into_response());
    }
    let booked = ticket_bookings(&app, &ticket).await?;
    let doses: Vec<DoseNumber> = booked.iter().map(|(d, _, _)| *d).collect();
    let choice = NextDoseChoice::parse(&form.next);
    let (next, next_loses_base) = match cancel_plan::plan(dose, &doses, choice) {
        CancelPlan::AskAboutNext { next } => {
            let view = detail_view(&app, &tenant, &settings, &booking, dose, &facts).await?;
            return render_confirm(&app, &tenant, &settings, jar, &view, Some(next));
        }
        CancelPlan::Cancel {
            next,
            next_loses_base,
        } => (next, next_loses_base),
    };
    let now = app.clock.now_unix();
    let mails = cancelled_mails(&app, &tenant, &settings, &booking, dose).await?;
    let next_booking = match next.and_then(|n| booked.iter().find(|(d, _, _)| *d == n)) {
        Some((n, next_id, _)) => match bookings::find(&app.db, *next_id).await? {
            Some(b) => Some((cancelled_mails(&app, &tenant, &settings, &b, *n).await?, b)),
            None => None,
        },
        None => None,
    };
    // Both doses in one transaction: never dose 2 left booked from a cancelled dose 1
    // when the second write fails.
    let mut cancellations = vec![Cancellation {
        booking_id: booking.id,
        mails: &mails,
    }];
    if let Some((next_mails, b)) = &next_booking {
        cancellations.push(Cancellation {
            booking_id: b.id,
            mails: next_mails,
        });
    }
    let done = bookings::cancel_many(&app.db, &cancellations, now, None).await?;
    app.mail_wakeup.notify_one();
    let cancelled = done.first().copied().unwrap_or(false);
    if cancelled {
        let lang = Lang::current();
        let mut flash = Msg::new("vx-mb-cancelled")
            .arg("dose", dose.label(lang))
            .resolve(lang);
        if next_loses_base && let Some(n) = dose.next() {
            flash.push(' ');
            flash.push_str(
                &Msg::new("vx-mb-cancel-kept-next")
                    .arg("dose", n.label(lang))
                    .resolve(lang),
            );
        }
        s.data.flash = Some(flash);
        session::save(&app, &s).await?;
    }
    Ok(mypage)
}

/// 【予約取消通知メール】 for a vaccination booking, to its address when it has one: no
/// password (the マイページ is reached with the ticket), in the language it was booked in.
pub async fn cancelled_mails(
    app: &App,
    tenant: &Tenant,
    settings: &Settings,
    booking: &Booking,
    dose: DoseNumber,
) -> Result<Vec<OutgoingMail>, WebError> {
    let Some(to) = booking.email.as_deref().filter(|a| !a.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    let lang = Lang::from_stored(&booking.lang);
    let venue = venues::find(&app.db, tenant.id, booking.counter_id)
        .await?
        .map(|v| v.name)
        .unwrap_or_default();
    let mail = mails::cancelled(
        app,
        tenant,
        settings,
        &mails::Cancelled {
            receipt_number: &booking.receipt_number,
            dose_label: &dose.label(lang),
            day: booking.day,
            start_min: booking.start_min,
            end_min: booking.end_min,
            venue: &venue,
        },
        to,
        lang,
    )
    .await?;
    Ok(vec![mail])
}
