//! Steps 7–8: 予約入力確認 and [予約する] (one booking however often pressed), and
//! 予約入力完了.
use std::collections::{BTreeMap, HashMap};

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use super::*;
use crate::app::AppState;
use crate::core::receipt;
use crate::core::recipient_fields::reading::check_person;
use crate::core::resident_input::{EmailAddress, NumberFormat};
use crate::db::bookings::{self, Confirmed, NewBooking, NewPerson};
use crate::db::notices;
use crate::db::tenants::{self, CARD_PICKUP, Tenant};
use crate::i18n::{Lang, Msg};
use crate::secrets::{random_digits, random_token};
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::pickup::recipients::{self, BuiltinOptional, PersonErrors};
use crate::web::pickup::{base_context, load_tenant, mails};
use crate::web::render;
use crate::web::session::{self, ResidentSession, check_csrf};

async fn render_confirm(
    app: &AppState,
    tenant: &Tenant,
    jar: CookieJar,
    s: &mut ResidentSession,
    error: Option<&'static str>,
) -> Result<Response, WebError> {
    let application = app_of(s).clone();
    let now = app.clock.now_unix();
    let hold = live_hold(app, &application).await?;
    let asked = recipients::asked(app, tenant.id).await?;
    let lang = Lang::current();
    let notices = notices::find_many(&app.db, tenant.id, &application.notice_ids).await?;
    let number1_format = NumberFormat::parse(&tenant.number1_format).ok();
    let people: Vec<PersonView> = application
        .notice_ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let typed = application.people.get(i).cloned().unwrap_or_default();
            // As it will be stored (and as the counter will read it), not as typed.
            let stored = check_person(&asked, i, recipients::typed(&typed), lang).ok();
            PersonView {
                index: i + 1,
                number1: notices
                    .iter()
                    .find(|n| n.id == *id)
                    .map(|n| match &number1_format {
                        Some(f) => f.display(&n.number1),
                        None => n.number1.clone(),
                    })
                    .unwrap_or_default(),
                optional: BuiltinOptional::default(),
                extras: Vec::new(),
                answers: recipients::answer_views(
                    &recipients::preview_answers(&asked, &typed, lang),
                    lang,
                ),
                name: stored.as_ref().map_or(typed.name, |c| c.name.clone()),
                kana: stored.as_ref().map_or(typed.kana, |c| c.kana.clone()),
                phone: stored.as_ref().map_or(typed.phone, |c| c.phone.clone()),
                errors: PersonErrors::new(),
            }
        })
        .collect();
    let counter = match application.counter_id {
        Some(id) => Some(bookings::counter_of(&app.db, id).await?),
        None => None,
    };
    // A live hold on a time whose booking has closed meanwhile is refused with the rule.
    let error = error.map(Msg::new).or_else(|| match &hold {
        Some(h) if h.is_live(now) => {
            crate::web::pickup::cutoffs::closed(app, tenant, h.day, h.start_min)
        }
        _ => Some(Msg::new("hold-expired")),
    });
    let late = hold
        .as_ref()
        .and_then(|h| crate::web::pickup::cutoffs::late_notice(app, tenant, h.day, h.start_min));
    let (jar, mut ctx) = base_context(app, tenant, jar);
    ctx.insert("people", &people);
    insert_asked(&mut ctx, &asked);
    ctx.insert(
        "hold",
        &hold
            .as_ref()
            .map(|h| hold_view(h, now, tenant.hold_ttl_min)),
    );
    ctx.insert("counter", &counter.map(mails::CounterView::from));
    ctx.insert("email", &application.email);
    let email2 = EmailAddress::parse(&application.email2)
        .map(|e| e.as_str().to_string())
        .unwrap_or_default();
    ctx.insert("email2", &email2);
    ctx.insert("error", &error);
    ctx.insert("late", &late);
    let status = if error.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    Ok((status, jar, render(app, "pickup/confirm.html", &ctx)?).into_response())
}

pub async fn confirm_page(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    let Some(mut s) = application_session(&app, &jar, &tenant).await? else {
        return no_application(&app, &tenant, jar);
    };
    if app_of(&mut s).booking_id.is_some() {
        return Ok(Redirect::to(&apply_url(&tenant, "/done")).into_response());
    }
    render_confirm(&app, &tenant, jar, &mut s, None).await
}

/// [予約する]: one booking however often it is pressed.
pub async fn book(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let Some(mut s) = application_session(&app, &jar, &tenant).await? else {
        return no_application(&app, &tenant, jar);
    };
    let application = app_of(&mut s).clone();
    if application.booking_id.is_some() {
        return Ok(Redirect::to(&apply_url(&tenant, "/done")).into_response());
    }
    // Checked again: the municipality may have changed its fields since the form.
    let asked = recipients::asked(&app, tenant.id).await?;
    let checked = match recipients::check_people(&asked, &application.people, Lang::current()) {
        Ok(checked) => checked,
        Err(person_errors) => {
            return render_form(&app, &tenant, jar, &mut s, person_errors, BTreeMap::new()).await;
        }
    };
    let Some(hold) = live_hold(&app, &application).await? else {
        return render_confirm(&app, &tenant, jar, &mut s, Some("hold-expired")).await;
    };
    if crate::web::pickup::cutoffs::closed(&app, &tenant, hold.day, hold.start_min).is_some() {
        // The confirmation page says why (the cut-off's rule) and offers to go back.
        return render_confirm(&app, &tenant, jar, &mut s, None).await;
    }
    let service_id = tenants::service_id(&app.db, tenant.id, CARD_PICKUP).await?;
    let people: Vec<NewPerson> = application
        .notice_ids
        .iter()
        .zip(checked)
        .map(|(id, p)| NewPerson {
            notice_id: Some(*id),
            name: p.name,
            kana: p.kana,
            phone: p.phone,
            answers: p.answers,
        })
        .collect();
    let email2 = EmailAddress::parse(&application.email2).ok();
    let counter = bookings::counter_of(&app.db, hold.counter_id).await?;
    let notices = notices::find_many(&app.db, tenant.id, &application.notice_ids).await?;
    // The booking keeps the language it was made in: all its mails are written in it.
    let lang = Lang::current();
    // A receipt number is drawn at random; on the rare collision, draw again.
    for _ in 0..5 {
        let receipt_number = random_digits(receipt::RECEIPT_DIGITS);
        let password = random_token(receipt::PASSWORD_BYTES);
        let password_hash = mails::password_hash(&app, tenant.id, &receipt_number, &password);
        let facts = mails::BookingFacts {
            receipt_number: &receipt_number,
            password: Some(&password),
            day: hold.day,
            start_min: hold.start_min,
            end_min: hold.end_min,
            people: &people,
            notices: &notices,
            lang,
        };
        // The completion mail to the address the link was sent to, and a copy to
        // 連絡先メールアドレス2 when one was given.
        let mut mails = Vec::new();
        for to in
            std::iter::once(application.email.as_str()).chain(email2.as_ref().map(|e| e.as_str()))
        {
            mails.push(mails::booking_confirmed(&app, &tenant, &counter, &facts, to).await?);
        }
        let outcome = bookings::confirm(
            &app.db,
            &NewBooking {
                tenant_id: tenant.id,
                service_id,
                counter_id: hold.counter_id,
                hold_id: hold.id,
                receipt_number: &receipt_number,
                password_hash: &password_hash,
                email: Some(&application.email),
                email2: email2.as_ref().map(|e| e.as_str()),
                idempotency_key: &application.idempotency_key,
                people: &people,
                source: "web",
                lang: lang.code(),
                now: app.clock.now_unix(),
                by_staff: None,
                ticket: None,
                waitlist: None,
            },
            &mails,
        )
        .await?;
        match outcome {
            Confirmed::Booked(id) | Confirmed::Replayed(id) => {
                app.mail_wakeup.notify_one();
                app_of(&mut s).booking_id = Some(id);
                app_of(&mut s).hold_id = None;
                s.data.lookup_booking_id = Some(id);
                session::save(&app, &s).await?;
                return Ok(Redirect::to(&apply_url(&tenant, "/done")).into_response());
            }
            Confirmed::HoldExpired => {
                app_of(&mut s).hold_id = None;
                session::save(&app, &s).await?;
                return render_confirm(&app, &tenant, jar, &mut s, Some("hold-expired")).await;
            }
            // A card-pickup booking has no ticket: only the notice can be taken.
            Confirmed::NoticeAlreadyBooked | Confirmed::DoseAlreadyBooked => {
                return render_confirm(&app, &tenant, jar, &mut s, Some("already-booked")).await;
            }
            Confirmed::ReceiptTaken => continue,
        }
    }
    Err(WebError::Internal(
        "could not draw a free receipt number".into(),
    ))
}

/// 予約入力完了.
pub async fn done(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    let Some(mut s) = application_session(&app, &jar, &tenant).await? else {
        return no_application(&app, &tenant, jar);
    };
    let Some(booking_id) = app_of(&mut s).booking_id else {
        return Ok(Redirect::to(&apply_url(&tenant, "")).into_response());
    };
    let booking = bookings::find(&app.db, booking_id)
        .await?
        .ok_or(WebError::NotFound)?;
    let (jar, mut ctx) = base_context(&app, &tenant, jar);
    ctx.insert(
        "receipt_number",
        &receipt::format_receipt(&booking.receipt_number),
    );
    ctx.insert("email", &app_of(&mut s).email);
    crate::web::pickup::insert_receipt_qr(&mut ctx, &booking.receipt_number)?;
    let mut response = (jar, render(&app, "pickup/done.html", &ctx)?).into_response();
    // The visit is over: the waiting room may let the next resident in.
    response
        .extensions_mut()
        .insert(crate::web::admission::VisitFinished);
    Ok(response)
}
