//! 編集 of a booking from its 詳細 (issue 12, resident step 8; seeds 002, 003): the same
//! choice as booking (「場所から決める」「日時から決める」, the calendar, the times), a hold
//! on the new time, then 「予約の変更」 showing the booking before and after and
//! 「変更を確定する」. The booking keeps its 予約ID and 連絡先; the engine moves it
//! (`db::bookings::change_time`) once however often the button is pressed. The days it may
//! move to keep the intervals on both sides (`core::vaccination::change_days`), and the
//! change/cancel deadline applies as for キャンセル.
use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use time::Date;

use super::book::{Booking as Draft, require_draft};
use super::contact::{draft_hold, insert_choice};
use super::mybooking::{changeable, own_booking};
use super::mypage::{ticket_bookings, window};
use super::visit::{self, Login, require_login, visit_of};
use super::{load_service, mails, service_context, url};
use crate::app::{App, AppState};
use crate::core::availability::Places;
use crate::core::vaccination::calendar_day::DayRules;
use crate::core::vaccination::change_days::change_days;
use crate::core::vaccination::dose::DoseNumber;
use crate::core::vaccination::eligibility::DayRefusal;
use crate::db::bookings::{self, Booking, Changed};
use crate::db::holds;
use crate::db::tenants::Tenant;
use crate::db::tickets::Ticket;
use crate::db::vaccination::Settings;
use crate::db::venues;
use crate::i18n::{self, Lang, Msg};
use crate::secrets::random_token;
use crate::web::error::WebError;
use crate::web::session::{self, check_csrf};
use crate::web::{PathParams, render};

/// Why a booking cannot be moved on this site now.
pub enum Refused {
    /// Not the ticket's own booking, or no longer booked: the マイページ.
    Gone,
    /// Past the change/cancel deadline: the 詳細 says so and shows the call centre.
    PastDeadline,
}

/// The booking `id` of the ticket, its dose and the days it may move to now.
pub async fn change_rules(
    app: &App,
    tenant: &Tenant,
    settings: &Settings,
    ticket: &Ticket,
    id: i64,
) -> Result<Result<(Booking, DoseNumber, DayRules), Refused>, WebError> {
    // Another ticket's booking is not there at all, as on the 詳細.
    let Some((booking, dose, _)) = own_booking(app, tenant, ticket, id).await? else {
        return Err(WebError::NotFound);
    };
    if booking.status != "booked" {
        return Ok(Err(Refused::Gone));
    }
    if !changeable(app, settings, &booking) {
        return Ok(Err(Refused::PastDeadline));
    }
    let booked: Vec<(DoseNumber, Date)> = ticket_bookings(app, ticket)
        .await?
        .into_iter()
        .map(|(d, _, day)| (d, day))
        .collect();
    let ticket_dose =
        DoseNumber::new(u8::try_from(ticket.dose_number).unwrap_or(1)).unwrap_or(DoseNumber::FIRST);
    let days = change_days(
        &settings.interval_rules(),
        ticket_dose,
        ticket.previous_dose_on,
        &booked,
        dose,
    );
    let (window_first, window_last) = window(app, settings);
    Ok(Ok((
        booking,
        dose,
        DayRules {
            window_first,
            window_last,
            eligibility: days.eligibility,
            latest: days.latest,
            thresholds: settings.thresholds(),
        },
    )))
}

/// Where a refused change sends the browser.
pub fn refused_redirect(tenant: &Tenant, id: i64, refused: &Refused) -> Response {
    match refused {
        Refused::Gone => Redirect::to(&url(tenant, "/mypage")).into_response(),
        Refused::PastDeadline => {
            Redirect::to(&url(tenant, &format!("/bookings/{id}"))).into_response()
        }
    }
}

/// [編集]: a draft that moves this booking, then the two ways of choosing (or why no day
/// can be offered).
pub async fn start(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let (mut s, ticket) = match require_login(&app, &jar, &tenant, &settings).await? {
        Login::In(s, t) => (s, t),
        Login::Out(r) => return Ok(r),
    };
    let (_, dose, rules) = match change_rules(&app, &tenant, &settings, &ticket, id).await? {
        Ok(r) => r,
        Err(refused) => return Ok(refused_redirect(&tenant, id, &refused)),
    };
    let lang = Lang::current();
    let (jar, mut ctx) = service_context(&app, &tenant, &settings, jar);
    ctx.insert("dose_label", &dose.label(lang));
    ctx.insert("changing", &Some(id));
    if let Err(refusal) = rules.bookable_range() {
        ctx.insert("refusal", &Some(refusal.no_days_message(lang)));
        ctx.insert(
            "show_call_centre",
            &matches!(
                refusal,
                DayRefusal::PreviousDoseUnknown | DayRefusal::TooLateForNext { .. }
            ),
        );
        return Ok((
            StatusCode::CONFLICT,
            jar,
            render(&app, "vaccination/book.html", &ctx)?,
        )
            .into_response());
    }
    let visit = visit_of(&mut s);
    let same = visit
        .draft
        .as_ref()
        .is_some_and(|d| d.changes == Some(id) && d.booking_id.is_none());
    if !same {
        // A booking on its way, or another change, gives way (its hold lets its place go).
        if let Some(d) = visit.draft.as_ref()
            && d.booking_id.is_none()
            && let Some(hold_id) = d.hold_id
        {
            holds::release(&app.db, hold_id).await?;
        }
        visit.draft = Some(visit::Draft {
            dose: i32::from(dose.get()),
            changes: Some(id),
            idempotency_key: random_token(16),
            ..visit::Draft::default()
        });
        session::save(&app, &s).await?;
    }
    ctx.insert("refusal", &None::<String>);
    Ok((jar, render(&app, "vaccination/book.html", &ctx)?).into_response())
}

/// The draft's booking being moved, with the draft; otherwise where to go.
async fn require_change(
    app: &AppState,
    jar: &CookieJar,
    tenant: &Tenant,
    settings: &Settings,
) -> Result<Result<(Draft, Booking), Box<Response>>, WebError> {
    let draft = match require_draft(app, jar, tenant, settings).await? {
        Ok(d) => d,
        Err(r) => return Ok(Err(r)),
    };
    // The booking as `require_draft` read it for its days: not read again.
    match draft.moving.clone() {
        Some(b) => Ok(Ok((draft, b))),
        None => Ok(Err(Box::new(
            Redirect::to(&url(tenant, "/confirm")).into_response(),
        ))),
    }
}

/// The booking's time and venue as the change page shows them.
#[derive(serde::Serialize)]
struct When {
    date: String,
    time: String,
    venue: String,
}

async fn when_of(
    app: &App,
    tenant: &Tenant,
    counter_id: i64,
    (day, start, end): (Date, i32, i32),
    lang: Lang,
) -> Result<When, WebError> {
    Ok(When {
        date: i18n::date_with_weekday(lang, day),
        time: i18n::time_range(lang, start, end),
        venue: venues::find(&app.db, tenant.id, counter_id)
            .await?
            .map(|v| v.name)
            .unwrap_or_default(),
    })
}

async fn render_change(
    app: &AppState,
    tenant: &Tenant,
    settings: &Settings,
    jar: CookieJar,
    mut draft: Draft,
    booking: &Booking,
    error: Option<Msg>,
) -> Result<Response, WebError> {
    let flash = draft.session.take_flash();
    session::save(app, &draft.session).await?;
    let Some(hold) = draft_hold(app, &mut draft).await? else {
        return Ok(
            Redirect::to(&url(tenant, &format!("/bookings/{}/change", booking.id))).into_response(),
        );
    };
    let error =
        error.or_else(|| (!hold.is_live(app.clock.now_unix())).then(|| Msg::new("hold-expired")));
    let lang = Lang::current();
    let before = when_of(
        app,
        tenant,
        booking.counter_id,
        (booking.day, booking.start_min, booking.end_min),
        lang,
    )
    .await?;
    let (jar, mut ctx) = service_context(app, tenant, settings, jar);
    insert_choice(app, tenant, &mut ctx, &draft, &hold).await?;
    ctx.insert("booking_id", &booking.id);
    ctx.insert("before", &before);
    ctx.insert("error", &error);
    ctx.insert("flash", &flash);
    let status = if error.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    Ok((status, jar, render(app, "vaccination/change.html", &ctx)?).into_response())
}

/// 「予約の変更」: before → after, 「まだ変更は確定していません。」.
pub async fn show(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let (draft, booking) = match require_change(&app, &jar, &tenant, &settings).await? {
        Ok(d) => d,
        Err(r) => return Ok(*r),
    };
    render_change(&app, &tenant, &settings, jar, draft, &booking, None).await
}

/// [変更を確定する].
pub async fn submit(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    check_csrf(&app, &jar, form.get("csrf").map_or("", String::as_str))?;
    let (mut draft, booking) = match require_change(&app, &jar, &tenant, &settings).await? {
        Ok(d) => d,
        Err(r) => return Ok(*r),
    };
    let again = url(&tenant, &format!("/bookings/{}/change", booking.id));
    let now = app.clock.now_unix();
    let Some(hold) = draft_hold(&app, &mut draft).await? else {
        return Ok(Redirect::to(&again).into_response());
    };
    // A hold no longer live may be a press racing this one that has already moved the
    // booking: `change_time` tells that (Replayed) from an expired hold.
    // The new day must still keep the intervals (the rules are read again now: the other
    // dose may have moved in another tab).
    if draft
        .rules
        .status(hold.day, Places::new(1, 1))
        .refusal()
        .is_some()
    {
        return Ok(Redirect::to(&again).into_response());
    }
    let lang = Lang::current();
    let mail = match booking.email.as_deref().filter(|a| !a.trim().is_empty()) {
        Some(to) => {
            let booked_lang = Lang::from_stored(&booking.lang);
            let before = when_of(
                &app,
                &tenant,
                booking.counter_id,
                (booking.day, booking.start_min, booking.end_min),
                booked_lang,
            )
            .await?;
            let after = when_of(
                &app,
                &tenant,
                hold.counter_id,
                (hold.day, hold.start_min, hold.end_min),
                booked_lang,
            )
            .await?;
            vec![
                mails::changed(
                    &app,
                    &tenant,
                    &settings,
                    &mails::Change {
                        receipt_number: &booking.receipt_number,
                        dose_label: &draft.dose.label(booked_lang),
                        before: (&before.date, &before.time, &before.venue),
                        after: (&after.date, &after.time, &after.venue),
                    },
                    to,
                    booked_lang,
                )
                .await?,
            ]
        }
        None => Vec::new(),
    };
    match bookings::change_time(&app.db, booking.id, hold.id, now, &mail, None).await? {
        Changed::Changed | Changed::Replayed => {
            app.mail_wakeup.notify_one();
            if let Some(d) = visit_of(&mut draft.session).draft.as_mut() {
                d.booking_id = Some(booking.id);
                d.hold_id = None;
            }
            draft.session.data.flash = Some(
                Msg::new("vx-change-done")
                    .arg("dose", draft.dose.label(lang))
                    .arg("date", i18n::date_with_weekday(lang, hold.day))
                    .arg("time", i18n::time_range(lang, hold.start_min, hold.end_min))
                    .resolve(lang),
            );
            session::save(&app, &draft.session).await?;
            Ok(Redirect::to(&url(&tenant, &format!("/bookings/{}", booking.id))).into_response())
        }
        Changed::HoldExpired => {
            let error = Some(Msg::new("hold-expired"));
            render_change(&app, &tenant, &settings, jar, draft, &booking, error).await
        }
        Changed::NotActive => {
            // Cancelled meanwhile (another tab, a clerk): the hold goes back.
            holds::release(&app.db, hold.id).await?;
            visit_of(&mut draft.session).draft = None;
            draft.session.data.flash = Some(i18n::tr("vx-change-gone"));
            session::save(&app, &draft.session).await?;
            Ok(Redirect::to(&url(&tenant, "/mypage")).into_response())
        }
    }
}
