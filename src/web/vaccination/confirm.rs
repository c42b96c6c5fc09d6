//! 内容確認 (「まだ予約は確定していません。」, 「予約を確定する」) and 完了 (「ご予約が完了
//! しました」 with the 予約ID, the mail, and 「2件目の予約をする」 when the next dose can be
//! booked now). One booking however often the button is pressed (the draft's idempotency
//! key), and one booking per ticket and dose however many browsers race (the engine's
//! `Confirmed::DoseAlreadyBooked`).
use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use super::book::{Booking, require_draft};
use super::contact::{check, draft_hold, insert_choice};
use super::mypage::{booking_view, states_of};
use super::verify;
use super::visit::{Login, require_login, visit_of};
use super::{load_service, mails, service_context, url};
use crate::app::AppState;
use crate::core::receipt;
use crate::core::vaccination::my_doses::bookable_now;
use crate::db::bookings::{self, Confirmed, NewBooking, NewPerson, TicketDose};
use crate::db::holds;
use crate::db::tenants::Tenant;
use crate::db::vaccination::Settings;
use crate::db::venues;
use crate::i18n::{Lang, Msg};
use crate::secrets::{random_digits, random_token};
use crate::web::error::WebError;
use crate::web::session::{self, check_csrf};
use crate::web::{PathParams, render};

async fn render_confirm(
    app: &AppState,
    tenant: &Tenant,
    settings: &Settings,
    jar: CookieJar,
    mut booking: Booking,
    error: Option<Msg>,
) -> Result<Response, WebError> {
    let flash = booking.session.take_flash();
    session::save(app, &booking.session).await?;
    let Some(hold) = draft_hold(app, &mut booking).await? else {
        return Ok(Redirect::to(&url(tenant, "/venues")).into_response());
    };
    let contact = visit_of(&mut booking.session)
        .draft
        .as_ref()
        .map(|d| d.contact.clone())
        .unwrap_or_default();
    // As it will be stored, not as typed.
    let Ok(checked) = check(&contact) else {
        return Ok(Redirect::to(&url(tenant, "/contact")).into_response());
    };
    let error =
        error.or_else(|| (!hold.is_live(app.clock.now_unix())).then(|| Msg::new("hold-expired")));
    let (jar, mut ctx) = service_context(app, tenant, settings, jar);
    insert_choice(app, tenant, &mut ctx, &booking, &hold).await?;
    ctx.insert("person_name", &booking.ticket.name);
    ctx.insert("kana", &checked.kana);
    ctx.insert("phone", &checked.phone);
    ctx.insert(
        "email",
        &checked.email.as_ref().map(|e| e.as_str().to_string()),
    );
    ctx.insert("booker", &checked.booker);
    ctx.insert("wants_earlier", &checked.wants_earlier);
    ctx.insert("error", &error);
    ctx.insert("flash", &flash);
    let status = if error.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    Ok((status, jar, render(app, "vaccination/confirm.html", &ctx)?).into_response())
}

pub async fn show(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let mut booking = match require_draft(&app, &jar, &tenant, &settings).await? {
        Ok(b) => b,
        Err(r) => return Ok(*r),
    };
    if let Some(r) = booking.change_redirect(&tenant) {
        return Ok(r);
    }
    if !verify::address_ready(&mut booking) {
        return Ok(Redirect::to(&url(&tenant, "/contact/verify")).into_response());
    }
    render_confirm(&app, &tenant, &settings, jar, booking, None).await
}

/// [予約を確定する].
pub async fn submit(
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
    if let Some(r) = booking.change_redirect(&tenant) {
        return Ok(r);
    }
    if !verify::address_ready(&mut booking) {
        return Ok(Redirect::to(&url(&tenant, "/contact/verify")).into_response());
    }
    let Some(draft) = visit_of(&mut booking.session).draft.clone() else {
        return Ok(Redirect::to(&url(&tenant, "/mypage")).into_response());
    };
    let Ok(checked) = check(&draft.contact) else {
        return Ok(Redirect::to(&url(&tenant, "/contact")).into_response());
    };
    let now = app.clock.now_unix();
    let Some(hold) = draft_hold(&app, &mut booking).await? else {
        return Ok(Redirect::to(&url(&tenant, "/venues")).into_response());
    };
    if !hold.is_live(now) {
        // A second press (another tab, a double click) that came after the first had
        // converted the hold but before the session had its booking: that booking is the
        // answer, not "expired".
        if let Some(id) =
            crate::db::dose_bookings::by_key(&app.db, tenant.id, &draft.idempotency_key).await?
        {
            if let Some(d) = visit_of(&mut booking.session).draft.as_mut() {
                d.booking_id = Some(id);
                d.hold_id = None;
                d.mailed_to = checked.email.as_ref().map(|e| e.as_str().to_string());
            }
            session::save(&app, &booking.session).await?;
            return Ok(Redirect::to(&url(&tenant, "/done")).into_response());
        }
        return render_confirm(
            &app,
            &tenant,
            &settings,
            jar,
            booking,
            Some(Msg::new("hold-expired")),
        )
        .await;
    }
    // The day still one the dose may take (the rules are read again now).
    if booking
        .rules
        .status(hold.day, crate::core::availability::Places::new(1, 1))
        .refusal()
        .is_some()
    {
        return Ok(Redirect::to(&url(&tenant, "/venues")).into_response());
    }
    let venue = venues::find(&app.db, tenant.id, hold.counter_id)
        .await?
        .ok_or(WebError::NotFound)?;
    let lang = Lang::current();
    let terms_version = visit_of(&mut booking.session)
        .terms_version
        .unwrap_or(settings.terms_version);
    let people = [NewPerson {
        notice_id: None,
        name: booking.ticket.name.clone(),
        kana: checked.kana.clone(),
        phone: checked.phone.clone(),
        answers: Vec::new(),
    }];
    let dose_label = booking.dose.label(lang);
    let email = checked.email.as_ref().map(|e| e.as_str().to_string());
    for _ in 0..5 {
        let receipt_number = random_digits(receipt::RECEIPT_DIGITS);
        // Vaccination bookings are reached by the ticket login: the password is never
        // shown or mailed, and stored only because every booking has one.
        let password_hash = crate::web::pickup::mails::password_hash(
            &app,
            tenant.id,
            &receipt_number,
            &random_token(receipt::PASSWORD_BYTES),
        );
        let mut outgoing = Vec::new();
        if let Some(to) = &email {
            outgoing.push(
                mails::completion(
                    &app,
                    &tenant,
                    &settings,
                    &mails::Facts {
                        receipt_number: &receipt_number,
                        person_name: &booking.ticket.name,
                        dose_label: &dose_label,
                        day: hold.day,
                        start_min: hold.start_min,
                        end_min: hold.end_min,
                        venue: &venue.name,
                        address: &venue.address,
                        vaccine: &venue.vaccine,
                    },
                    to,
                    lang,
                )
                .await?,
            );
        }
        let outcome = bookings::confirm(
            &app.db,
            &NewBooking {
                tenant_id: tenant.id,
                service_id: settings.service_id,
                counter_id: hold.counter_id,
                hold_id: hold.id,
                receipt_number: &receipt_number,
                password_hash: &password_hash,
                email: email.as_deref(),
                email2: None,
                idempotency_key: &draft.idempotency_key,
                people: &people,
                source: "web",
                lang: lang.code(),
                now,
                by_staff: None,
                ticket: Some(TicketDose {
                    ticket_id: booking.ticket.id,
                    dose_number: i32::from(booking.dose.get()),
                    terms_version,
                    booker_name: checked.booker.as_ref().map(|b| b.0.as_str()),
                    booker_phone: checked.booker.as_ref().map(|b| b.1.as_str()),
                    wants_earlier: checked.wants_earlier,
                }),
                waitlist: None,
            },
            &outgoing,
        )
        .await?;
        match outcome {
            Confirmed::Booked(id) | Confirmed::Replayed(id) => {
                app.mail_wakeup.notify_one();
                if let Some(d) = visit_of(&mut booking.session).draft.as_mut() {
                    d.booking_id = Some(id);
                    d.hold_id = None;
                    d.mailed_to = email.clone();
                }
                session::save(&app, &booking.session).await?;
                return Ok(Redirect::to(&url(&tenant, "/done")).into_response());
            }
            Confirmed::HoldExpired => {
                return render_confirm(
                    &app,
                    &tenant,
                    &settings,
                    jar,
                    booking,
                    Some(Msg::new("hold-expired")),
                )
                .await;
            }
            Confirmed::DoseAlreadyBooked | Confirmed::NoticeAlreadyBooked => {
                // Booked meanwhile (another tab or device, a clerk): the hold goes back.
                holds::release(&app.db, hold.id).await?;
                if let Some(d) = visit_of(&mut booking.session).draft.as_mut() {
                    d.hold_id = None;
                }
                booking.session.data.flash = Some(
                    Msg::new("vx-dose-already-booked")
                        .arg("dose", dose_label.as_str())
                        .resolve(lang),
                );
                visit_of(&mut booking.session).draft = None;
                session::save(&app, &booking.session).await?;
                return Ok(Redirect::to(&url(&tenant, "/mypage")).into_response());
            }
            Confirmed::ReceiptTaken => continue,
        }
    }
    Err(WebError::Internal(
        "could not draw a free receipt number".into(),
    ))
}

/// 完了.
pub async fn done(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let (mut s, ticket) = match require_login(&app, &jar, &tenant, &settings).await? {
        Login::In(s, t) => (s, t),
        Login::Out(r) => return Ok(r),
    };
    let Some(draft) = visit_of(&mut s).draft.clone() else {
        return Ok(Redirect::to(&url(&tenant, "/mypage")).into_response());
    };
    let Some(booking_id) = draft.booking_id else {
        return Ok(Redirect::to(&url(&tenant, "/confirm")).into_response());
    };
    let view = booking_view(&app, &tenant, booking_id)
        .await?
        .ok_or(WebError::NotFound)?;
    let lang = Lang::current();
    // 「2件目の予約をする」: the next dose of the series, bookable now on the days after
    // this booking's day that the interval allows.
    let states = states_of(&app, &settings, &ticket).await?;
    let next = bookable_now(&states)
        .filter(|(d, _)| i32::from(d.get()) != draft.dose)
        .map(|(d, _)| d);
    let (jar, mut ctx) = service_context(&app, &tenant, &settings, jar);
    ctx.insert("booking", &view);
    ctx.insert("person_name", &ticket.name);
    ctx.insert(
        "dose_label",
        &u8::try_from(draft.dose)
            .ok()
            .and_then(crate::core::vaccination::dose::DoseNumber::new)
            .map(|d| d.label(lang)),
    );
    ctx.insert("mailed_to", &draft.mailed_to);
    ctx.insert("next_dose", &next.map(|d| d.get()));
    ctx.insert("next_label", &next.map(|d| d.label(lang)));
    let mut response = (jar, render(&app, "vaccination/done.html", &ctx)?).into_response();
    response
        .extensions_mut()
        .insert(crate::web::admission::VisitFinished);
    Ok(response)
}
