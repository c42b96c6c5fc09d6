//! The 空き枠 (freed places) and 「申し込む」: first come, first served. The list is always
//! there (the seed: いつでも最新の空き枠情報は確認可能); the notice only points to it. Pressing
//! 「申し込む」 holds the place and books it for the chosen person at once, through the
//! engine's capacity rule: whoever is second finds it taken and is told so. A person has one
//! booking through the waitlist: the booking marks the registration in its own transaction.
use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Serialize;

use super::registration::dose_label;
use super::{
    Choice, DOSES, Visitor, dose_choices, load_service, mails, page_context, require_address, url,
};
use crate::app::{App, AppState};
use crate::core::deadline;
use crate::core::receipt;
use crate::core::waitlist::{FreedPlace, listed};
use crate::db::bookings::{self, Confirmed, NewBooking, NewPerson, WaitlistDose};
use crate::db::holds::{self, NewHold};
use crate::db::tenants::Tenant;
use crate::db::vaccination::Settings;
use crate::db::venues::{self, Venue};
use crate::db::waitlist::{self, FreedSlot};
use crate::i18n::{Lang, Msg};
use crate::secrets::{random_digits, random_token};
use crate::web::error::WebError;
use crate::web::session::{self, check_csrf};
use crate::web::{PathParams, render};

/// The freed places that can be booked now, soonest first, with their venue.
pub async fn open_places(
    app: &App,
    tenant: &Tenant,
    settings: &Settings,
) -> Result<Vec<(FreedSlot, Venue)>, WebError> {
    let now = deadline::jst_from_unix(app.clock.now_unix());
    let slots = waitlist::freed_slots(&app.db, settings.service_id, now.date()).await?;
    let cutoff = settings.booking_cutoff();
    let keep = listed(
        slots
            .iter()
            .map(|s| FreedPlace {
                slot_id: s.slot_id,
                starts: deadline::slot_start(s.day, s.start_min),
                free: s.free,
            })
            .collect(),
        |starts| cutoff.is_open_through(starts, now),
    );
    let venues = venues::active(&app.db, tenant.id).await?;
    Ok(keep
        .iter()
        .filter_map(|p| {
            let slot = slots.iter().find(|s| s.slot_id == p.slot_id)?;
            let venue = venues.iter().find(|v| v.id == slot.venue_id)?;
            Some((slot.clone(), venue.clone()))
        })
        .collect())
}

#[derive(Serialize)]
struct PlaceView {
    slot_id: i64,
    when: String,
    venue: String,
    address: String,
    vaccine: String,
    free: i32,
}

async fn render_list(
    app: &AppState,
    tenant: &Tenant,
    settings: &Settings,
    jar: CookieJar,
    email: &str,
    problem: Option<Msg>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let lang = Lang::current();
    let places: Vec<PlaceView> = open_places(app, tenant, settings)
        .await?
        .into_iter()
        .map(|(s, v)| PlaceView {
            slot_id: s.slot_id,
            when: mails::when(lang, s.day, s.start_min, s.end_min),
            venue: v.name,
            address: v.address,
            vaccine: v.vaccine,
            free: s.free,
        })
        .collect();
    let registrations: Vec<_> = waitlist::of_email(&app.db, tenant.id, email)
        .await?
        .into_iter()
        .filter(|r| r.booking_id.is_none())
        .collect();
    // The dose asked for at registration, chosen to begin with (the first person's).
    let default_dose = registrations
        .first()
        .map(|r| r.dose_number.to_string())
        .unwrap_or_default();
    let waiting: Vec<Choice> = registrations
        .into_iter()
        .map(|r| Choice {
            value: r.id.to_string(),
            label: format!("{}({})", r.name, dose_label(lang, r.dose_number)),
        })
        .collect();
    let doses = dose_choices(lang);
    let (jar, mut ctx) = page_context(app, tenant, jar);
    ctx.insert("places", &places);
    ctx.insert("people", &waiting);
    ctx.insert("doses", &doses);
    ctx.insert("default_dose", &default_dose);
    ctx.insert("error_notice", &problem);
    ctx.insert("error_summary", &Vec::<()>::new());
    Ok((status, jar, render(app, "waitlist/places.html", &ctx)?).into_response())
}

/// The 空き枠.
pub async fn list(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let email = match require_address(&app, &jar, &tenant).await? {
        Visitor::In(_, e) => e,
        Visitor::Out(r) => return Ok(r),
    };
    render_list(&app, &tenant, &settings, jar, &email, None, StatusCode::OK).await
}

/// 「申し込む」.
pub async fn apply(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    check_csrf(&app, &jar, form.get("csrf").map_or("", String::as_str))?;
    let (mut s, email) = match require_address(&app, &jar, &tenant).await? {
        Visitor::In(s, e) => (s, e),
        Visitor::Out(r) => return Ok(r),
    };
    match book(&app, &tenant, &settings, &email, &form).await? {
        Ok(()) => {
            s.data.flash = Some(Msg::new("wl-booked").resolve(Lang::current()));
            session::save(&app, &s).await?;
            Ok(Redirect::to(&url(&tenant, "/me")).into_response())
        }
        Err((id, status)) => {
            render_list(
                &app,
                &tenant,
                &settings,
                jar,
                &email,
                Some(Msg::new(id)),
                status,
            )
            .await
        }
    }
}

/// Why 「申し込む」 did not book: the message id and the status.
type Refusal = (&'static str, StatusCode);

/// Books the chosen place for the chosen person, or says why not.
async fn book(
    app: &App,
    tenant: &Tenant,
    settings: &Settings,
    email: &str,
    form: &HashMap<String, String>,
) -> Result<Result<(), Refusal>, WebError> {
    let number = |name: &str| form.get(name).and_then(|v| v.trim().parse::<i64>().ok());
    let (Some(slot_id), Some(registration_id), Some(dose)) =
        (number("slot"), number("person"), number("dose"))
    else {
        return Ok(Err(("wl-apply-choose", StatusCode::UNPROCESSABLE_ENTITY)));
    };
    let Ok(dose) = i32::try_from(dose) else {
        return Ok(Err(("wl-apply-choose", StatusCode::UNPROCESSABLE_ENTITY)));
    };
    if !DOSES.contains(&dose) {
        return Ok(Err(("wl-apply-choose", StatusCode::UNPROCESSABLE_ENTITY)));
    }
    let Some(person) = waitlist::find(&app.db, tenant.id, email, registration_id).await? else {
        return Err(WebError::NotFound);
    };
    if person.booking_id.is_some() {
        return Ok(Err(("wl-apply-booked-already", StatusCode::CONFLICT)));
    }
    let open = open_places(app, tenant, settings).await?;
    let Some((slot, venue)) = open.into_iter().find(|(s, _)| s.slot_id == slot_id) else {
        return Ok(Err(("wl-apply-taken", StatusCode::CONFLICT)));
    };
    let now = app.clock.now_unix();
    let placed = holds::place(
        &app.db,
        &NewHold {
            tenant_id: tenant.id,
            counter_id: venue.id,
            slot_ids: &[slot.slot_id],
            replaces: None,
            now,
            expires_at: deadline::hold_expiry(now, tenant.hold_ttl_min),
        },
    )
    .await?;
    let Some(hold_id) = placed else {
        return Ok(Err(("wl-apply-taken", StatusCode::CONFLICT)));
    };
    let lang = Lang::from_stored(&person.lang);
    let people = [NewPerson {
        notice_id: None,
        name: person.name.clone(),
        kana: String::new(),
        phone: person.phone.clone(),
        answers: Vec::new(),
    }];
    let dose_text = dose_label(lang, dose);
    let when = mails::when(lang, slot.day, slot.start_min, slot.end_min);
    // One key per registration: a second press, in any tab, finds the first booking.
    let key = format!("waitlist-{}", person.id);
    for _ in 0..5 {
        let receipt_number = random_digits(receipt::RECEIPT_DIGITS);
        // As for every vaccination booking: the password is never shown or mailed.
        let password_hash = crate::web::pickup::mails::password_hash(
            app,
            tenant.id,
            &receipt_number,
            &random_token(receipt::PASSWORD_BYTES),
        );
        let mail = mails::booked(
            app,
            tenant,
            &person.email,
            &mails::Booked {
                person_name: &person.name,
                receipt_number: &receipt_number,
                dose_label: &dose_text,
                when: &when,
                venue: &venue.name,
                address: &venue.address,
                vaccine: &venue.vaccine,
            },
            lang,
        )?;
        let outcome = bookings::confirm(
            &app.db,
            &NewBooking {
                tenant_id: tenant.id,
                service_id: settings.service_id,
                counter_id: venue.id,
                hold_id,
                receipt_number: &receipt_number,
                password_hash: &password_hash,
                email: Some(&person.email),
                email2: None,
                idempotency_key: &key,
                people: &people,
                source: waitlist::SOURCE,
                lang: lang.code(),
                now,
                by_staff: None,
                ticket: None,
                waitlist: Some(WaitlistDose {
                    registration_id: person.id,
                    dose_number: dose,
                }),
            },
            &[mail],
        )
        .await?;
        match outcome {
            Confirmed::Booked(_) | Confirmed::Replayed(_) => {
                // A replay booked with the first press's hold: this one's goes back.
                if matches!(outcome, Confirmed::Replayed(_)) {
                    holds::release(&app.db, hold_id).await?;
                }
                app.mail_wakeup.notify_one();
                return Ok(Ok(()));
            }
            Confirmed::HoldExpired => {
                return Ok(Err(("wl-apply-taken", StatusCode::CONFLICT)));
            }
            Confirmed::DoseAlreadyBooked | Confirmed::NoticeAlreadyBooked => {
                return Ok(Err(("wl-apply-booked-already", StatusCode::CONFLICT)));
            }
            Confirmed::ReceiptTaken => continue,
        }
    }
    Err(WebError::Internal(
        "could not draw a free receipt number".into(),
    ))
}
