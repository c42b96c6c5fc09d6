//! 電話予約(接種): booking a vaccination for a caller (the call centre). The clerk finds
//! the ticket by 接種券番号 + 生年月日 (no lockout for staff, every look-up audited), sees
//! its doses and bookings, chooses the dose that can be booked, a venue, a day the interval
//! allows and a free time there (held as any 仮押さえ), takes the 連絡先 and confirms. The
//! booking is the engine's (`db::holds`, `db::bookings`) with the ticket and dose on it;
//! cancelling is on the booking's page (`booking`).
use std::collections::BTreeMap;

use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Serialize;
use time::{Date, Duration};

use super::roster::{dose_label, status_label};
use crate::app::AppState;
use crate::core::deadline;
use crate::core::grid::format_hhmm;
use crate::core::receipt::format_receipt;
use crate::core::resident_input::{format_date_ja, format_date_with_weekday, parse_birthdate};
use crate::core::vaccination::dose::DoseNumber;
use crate::core::vaccination::dose_plan::{DoseState, bookable, dose_plan};
use crate::core::vaccination::eligibility::{DayRefusal, Eligibility};
use crate::core::vaccination::ticket_number::TicketNumber;
use crate::db::audit::{self, AuditEntry};
use crate::db::dose_bookings;
use crate::db::holds::{self, NewHold};
use crate::db::slots::{self, Slot};
use crate::db::tickets::{self, Ticket};
use crate::db::vaccination::{self, Settings};
use crate::db::venues::{self, Venue};
use crate::i18n::Lang;
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::pickup::apply::{HOLD_EXPIRED, SLOT_TAKEN};
use crate::web::render;
use crate::web::session::check_csrf;
use crate::web::staff::day_roster::{Params, param, parse_day};
use crate::web::staff::{Denied, Staff, no_store, require};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/t/{tenant}/staff/vaccination/phone",
            get(lookup_page).post(lookup),
        )
        .route(
            "/t/{tenant}/staff/vaccination/phone/tickets/{id}",
            get(ticket_page),
        )
        .route(
            "/t/{tenant}/staff/vaccination/phone/tickets/{id}/hold",
            post(hold),
        )
        .route(
            "/t/{tenant}/staff/vaccination/phone/tickets/{id}/confirm",
            get(super::phone_confirm::confirm_page).post(super::phone_confirm::book),
        )
}

const NOT_FOUND: &str =
    "入力された情報に該当する接種券が見つかりませんでした。接種券番号と生年月日をご確認ください。";

pub(super) fn field(form: &Params, name: &str) -> String {
    form.get(name).cloned().unwrap_or_default()
}

/// The municipality's vaccination settings: a municipality that does not offer the
/// service has none of these pages.
async fn settings_of(app: &AppState, staff: &Staff) -> Result<Settings, Denied> {
    Ok(vaccination::settings(&app.db, staff.tenant.id)
        .await?
        .ok_or(WebError::NotFound)?)
}

/// An error summary entry: the field's id and its message.
#[derive(Serialize)]
pub(super) struct Problem {
    field: &'static str,
    message: String,
}

pub(super) fn problems(errors: &BTreeMap<&'static str, String>) -> Vec<Problem> {
    errors
        .iter()
        .map(|(field, message)| Problem {
            field,
            message: message.clone(),
        })
        .collect()
}

// ---- 接種券を探す ------------------------------------------------------------------

fn render_lookup(
    app: &AppState,
    staff: &Staff,
    typed: (&str, &str),
    errors: BTreeMap<&'static str, String>,
) -> Result<Response, Denied> {
    let mut ctx = staff.context();
    ctx.insert("vx_page", "phone");
    ctx.insert("number", typed.0);
    ctx.insert("birthdate", typed.1);
    ctx.insert("problems", &problems(&errors));
    ctx.insert("errors", &errors);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(no_store(
        (status, render(app, "staff/vaccination/phone.html", &ctx)?).into_response(),
    ))
}

pub async fn lookup_page(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    settings_of(&app, &staff).await?;
    render_lookup(&app, &staff, ("", ""), BTreeMap::new())
}

/// 接種券番号 + 生年月日 → the ticket's page. Staff are not locked out (they are who
/// residents call when they are), but every look-up is in the audit log, found or not,
/// with the number masked.
pub async fn lookup(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Params>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    settings_of(&app, &staff).await?;
    let (number_in, birthdate_in) = (field(&form, "number"), field(&form, "birthdate"));
    let mut errors = BTreeMap::new();
    let number = TicketNumber::parse(&number_in)
        .map_err(|e| errors.insert("number", e.to_string()))
        .ok();
    let birthdate = parse_birthdate(&birthdate_in, app.clock.today())
        .map_err(|e| errors.insert("birthdate", e.message()))
        .ok();
    let (Some(number), Some(birthdate)) = (number, birthdate) else {
        return render_lookup(&app, &staff, (&number_in, &birthdate_in), errors);
    };
    let found = tickets::find_by_number(&app.db, staff.tenant.id, number.as_str())
        .await?
        .filter(|t| t.birthdate == birthdate);
    let detail = format!(
        "接種券の照会(電話予約): {} {}",
        number.masked(),
        if found.is_some() {
            "該当あり"
        } else {
            "該当なし"
        }
    );
    audit::record(
        &app.db,
        &AuditEntry {
            tenant_id: staff.tenant.id,
            staff_user_id: Some(staff.user.id),
            action: "vaccination_ticket_lookup",
            booking_id: None,
            detail: &detail,
            now: app.clock.now_unix(),
        },
    )
    .await?;
    match found {
        Some(t) => Ok(
            Redirect::to(&staff.url(&format!("/vaccination/phone/tickets/{}", t.id)))
                .into_response(),
        ),
        None => {
            errors.insert("number", NOT_FOUND.to_string());
            render_lookup(&app, &staff, (&number_in, &birthdate_in), errors)
        }
    }
}

// ---- the ticket: doses, bookings, choosing a time -------------------------------------

/// What the ticket page and the steps after it know of one ticket.
pub(super) struct TicketState {
    pub ticket: Ticket,
    pub settings: Settings,
    pub plan: Vec<(DoseNumber, DoseState)>,
    pub venues: Vec<Venue>,
    pub history: Vec<dose_bookings::TicketBooking>,
}

impl TicketState {
    pub fn window(&self, today: Date) -> (Date, Date) {
        let days = i64::from(self.settings.booking_window_days.max(0));
        (today, today.saturating_add(Duration::days(days)))
    }

    pub fn eligibility(&self, dose: DoseNumber) -> Option<Eligibility> {
        bookable(&self.plan, dose)
    }

    fn venue(&self, id: i64) -> Option<&Venue> {
        self.venues.iter().find(|v| v.id == id && v.active)
    }
}

pub(super) async fn ticket_state(
    app: &AppState,
    staff: &Staff,
    id: i64,
) -> Result<TicketState, Denied> {
    let settings = settings_of(app, staff).await?;
    let ticket = tickets::find(&app.db, staff.tenant.id, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let history = dose_bookings::of_ticket(&app.db, staff.tenant.id, ticket.id).await?;
    // Bookings that stand: booked, or given (受付済み). Cancelled and missed ones free
    // their dose again.
    let standing: Vec<(DoseNumber, Date)> = history
        .iter()
        .filter(|b| b.status == "booked" || b.status == "visited")
        .filter_map(|b| {
            let dose = DoseNumber::new(u8::try_from(b.dose_number?).ok()?)?;
            Some((dose, b.day))
        })
        .collect();
    let ticket_dose = u8::try_from(ticket.dose_number)
        .ok()
        .and_then(DoseNumber::new)
        .unwrap_or(DoseNumber::FIRST);
    let plan = dose_plan(
        &settings.interval_rules(),
        ticket_dose,
        ticket.previous_dose_on,
        &standing,
    );
    let venues = venues::all(&app.db, staff.tenant.id).await?;
    Ok(TicketState {
        ticket,
        settings,
        plan,
        venues,
        history,
    })
}

#[derive(Serialize)]
struct DoseRow {
    number: u8,
    label: String,
    state: String,
    bookable: bool,
}

fn dose_rows(plan: &[(DoseNumber, DoseState)]) -> Vec<DoseRow> {
    plan.iter()
        .map(|(dose, state)| {
            let (text, bookable) = match state {
                DoseState::Booked => ("予約済み(または接種済み)".to_string(), false),
                DoseState::AfterPrevious => (
                    format!(
                        "{}を予約したあとで予約できます",
                        dose.previous()
                            .map(|d| d.label(Lang::Ja))
                            .unwrap_or_default()
                    ),
                    false,
                ),
                DoseState::Bookable(Eligibility::AnyDay) => ("予約できます".to_string(), true),
                DoseState::Bookable(Eligibility::From(day)) => (
                    format!("予約できます({}以降)", format_date_with_weekday(*day)),
                    true,
                ),
                DoseState::Bookable(Eligibility::PreviousDoseUnknown) => {
                    (DayRefusal::PreviousDoseUnknown.message(Lang::Ja), true)
                }
            };
            DoseRow {
                number: dose.get(),
                label: dose.label(Lang::Ja),
                state: text,
                bookable,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct HistoryRow {
    id: i64,
    receipt: String,
    dose: String,
    venue: String,
    when: String,
    status_label: String,
    booked: bool,
}

#[derive(Serialize)]
struct TimeOption {
    slot_id: i64,
    time: String,
    free: i32,
}

#[derive(Serialize)]
struct DayLink {
    date: String,
    label: String,
    free: i32,
}

/// The slots of `venue` from `first` to `last` a clerk may still hold now: started ones
/// and those past the booking cut-off (the same as the residents', so the venue can
/// prepare the doses) are left out, and so are full and closed ones.
async fn free_slots(
    app: &AppState,
    s: &TicketState,
    venue: &Venue,
    (first, last): (Date, Date),
) -> Result<Vec<Slot>, WebError> {
    let now = app.clock.now_jst();
    let cutoff = s.settings.booking_cutoff();
    Ok(
        slots::find_free_by_counter_days(&app.db, venue.id, first, last, app.clock.now_unix())
            .await?
            .into_iter()
            .filter(|slot| slot_open(slot, cutoff, now))
            .collect(),
    )
}

fn slot_open(
    slot: &Slot,
    cutoff: crate::core::deadline::Cutoff,
    now: time::PrimitiveDateTime,
) -> bool {
    let start = deadline::slot_start(slot.day, slot.start_min);
    !slot.closed && slot.taken < slot.capacity && start > now && cutoff.is_open_through(start, now)
}

/// The result codes a redirect back to the ticket page carries.
fn hold_error(code: &str, s: &TicketState) -> Option<String> {
    Some(match code {
        "taken" => SLOT_TAKEN.to_string(),
        "closed" => format!(
            "この時間は予約の締切({})を過ぎたため、予約できません。別の時間を選んでください。",
            crate::i18n::deadline_rule(Lang::Ja, s.settings.booking_cutoff())
        ),
        "dose" => {
            "選ばれた接種回は、いまは予約できません(予約済みか、前の接種回の予約がまだです)。"
                .to_string()
        }
        "expired" => HOLD_EXPIRED.to_string(),
        _ => return None,
    })
}

pub async fn ticket_page(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Query(q): Query<Params>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    let s = ticket_state(&app, &staff, id).await?;
    let today = app.clock.today();
    let window = s.window(today);
    let mut ctx = staff.context();
    ctx.insert("vx_page", "phone");
    ctx.insert("ticket_id", &s.ticket.id);
    ctx.insert("ticket_number", &s.ticket.ticket_number);
    ctx.insert("name", &s.ticket.name);
    ctx.insert("kana", &s.ticket.kana);
    ctx.insert("birthdate", &format_date_ja(s.ticket.birthdate));
    ctx.insert("ticket_dose", &dose_label(s.ticket.dose_number));
    ctx.insert(
        "previous_dose_on",
        &s.ticket.previous_dose_on.map(format_date_ja),
    );
    let doses = dose_rows(&s.plan);
    let history: Vec<HistoryRow> = s
        .history
        .iter()
        .map(|b| HistoryRow {
            id: b.id,
            receipt: format_receipt(&b.receipt_number),
            dose: dose_label(b.dose_number.unwrap_or(0)),
            venue: s
                .venues
                .iter()
                .find(|v| v.id == b.counter_id)
                .map(|v| v.name.clone())
                .unwrap_or_default(),
            when: format!(
                "{} {}〜{}",
                format_date_with_weekday(b.day),
                format_hhmm(b.start_min),
                format_hhmm(b.end_min)
            ),
            status_label: status_label(&b.status).to_string(),
            booked: b.status == "booked",
        })
        .collect();
    ctx.insert("history", &history);
    ctx.insert(
        "venues",
        &s.venues
            .iter()
            .filter(|v| v.active)
            .map(|v| (v.id, format!("{}({})", v.name, v.vaccine)))
            .collect::<Vec<_>>(),
    );
    // What the clerk chose so far (every value checked before it is used).
    let bookable_doses: Vec<u8> = doses
        .iter()
        .filter(|d| d.bookable)
        .map(|d| d.number)
        .collect();
    let dose = param(&q, "dose")
        .and_then(|d| d.parse::<u8>().ok())
        .filter(|d| bookable_doses.contains(d))
        .or_else(|| (bookable_doses.len() == 1).then(|| bookable_doses[0]))
        .and_then(DoseNumber::new);
    let venue = param(&q, "venue")
        .and_then(|v| v.parse::<i64>().ok())
        .and_then(|v| s.venue(v));
    let typed_date = param(&q, "date").unwrap_or("").to_string();
    let day = param(&q, "date").and_then(parse_day);
    let mut date_error = None;
    let mut refusal = None;
    let mut times: Vec<TimeOption> = Vec::new();
    let mut days: Vec<DayLink> = Vec::new();
    let mut no_days = None;
    if param(&q, "date").is_some() && day.is_none() {
        date_error = Some("日付を読み取れませんでした。「2026-12-03」の形で入力してください。");
    }
    if let (Some(dose), Some(venue)) = (dose, venue)
        && let Some(elig) = s.eligibility(dose)
    {
        match elig.within(window.0, window.1) {
            Ok(range) => {
                let free = free_slots(&app, &s, venue, range).await?;
                let mut per_day: BTreeMap<Date, i32> = BTreeMap::new();
                for slot in &free {
                    *per_day.entry(slot.day).or_default() += slot.capacity - slot.taken;
                }
                days = per_day
                    .into_iter()
                    .take(14)
                    .map(|(d, free)| DayLink {
                        date: d.to_string(),
                        label: format_date_with_weekday(d),
                        free,
                    })
                    .collect();
            }
            Err(why) => no_days = Some(why.no_days_message(Lang::Ja)),
        }
        if let Some(day) = day {
            match elig.check_in_window(day, window.0, window.1) {
                Err(why) => refusal = Some(why.message(Lang::Ja)),
                Ok(()) => {
                    times = free_slots(&app, &s, venue, (day, day))
                        .await?
                        .into_iter()
                        .map(|slot| TimeOption {
                            slot_id: slot.id,
                            time: format!(
                                "{}〜{}",
                                format_hhmm(slot.start_min),
                                format_hhmm(slot.end_min)
                            ),
                            free: slot.capacity - slot.taken,
                        })
                        .collect();
                }
            }
        }
    }
    ctx.insert("any_bookable", &!bookable_doses.is_empty());
    ctx.insert("doses", &doses);
    ctx.insert("chosen_dose", &dose.map(|d| d.get()));
    ctx.insert("chosen_dose_label", &dose.map(|d| d.label(Lang::Ja)));
    ctx.insert("chosen_venue", &venue.map(|v| v.id));
    ctx.insert("chosen_venue_name", &venue.map(|v| &v.name));
    ctx.insert("date", &typed_date);
    ctx.insert("day", &day.map(|d| d.to_string()));
    ctx.insert("day_label", &day.map(format_date_with_weekday));
    ctx.insert("date_error", &date_error);
    ctx.insert("refusal", &refusal);
    ctx.insert("no_days", &no_days);
    ctx.insert("days", &days);
    ctx.insert("times", &times);
    ctx.insert(
        "window_label",
        &format!(
            "{}〜{}",
            format_date_with_weekday(window.0),
            format_date_with_weekday(window.1)
        ),
    );
    ctx.insert(
        "hold_error",
        &param(&q, "error").and_then(|c| hold_error(c, &s)),
    );
    // Choosing again from the 連絡先 page: the hold placed then is let go when another
    // time is held (see `hold`).
    ctx.insert(
        "replace_hold",
        &param(&q, "hold").and_then(|h| h.parse::<i64>().ok()),
    );
    Ok(no_store(
        render(&app, "staff/vaccination/ticket.html", &ctx)?.into_response(),
    ))
}

/// Back to the ticket page with the choices made and a fixed result code.
fn back_to_ticket(staff: &Staff, ticket_id: i64, choice: &str, code: &str) -> Response {
    Redirect::to(&staff.url(&format!(
        "/vaccination/phone/tickets/{ticket_id}?{choice}&error={code}"
    )))
    .into_response()
}

/// 仮押さえ of the chosen time for the chosen dose, then the 連絡先 form.
pub async fn hold(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Params>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let s = ticket_state(&app, &staff, id).await?;
    let dose = param(&form, "dose")
        .and_then(|d| d.parse::<u8>().ok())
        .and_then(DoseNumber::new);
    let slot = match param(&form, "slot").and_then(|v| v.parse::<i64>().ok()) {
        Some(slot_id) => slots::find(&app.db, slot_id).await?,
        None => None,
    };
    // A slot of another municipality's venue (or of a card-pickup counter) is not there.
    let Some((slot, venue)) = slot.and_then(|slot| {
        let venue = s.venue(slot.counter_id)?.clone();
        Some((slot, venue))
    }) else {
        return Err(WebError::NotFound.into());
    };
    let old_hold = param(&form, "hold").and_then(|h| h.parse::<i64>().ok());
    let mut choice = format!(
        "dose={}&venue={}&date={}",
        dose.map(|d| d.get()).unwrap_or(0),
        venue.id,
        slot.day
    );
    if let Some(h) = old_hold {
        choice.push_str(&format!("&hold={h}"));
    }
    let Some(elig) = dose.and_then(|d| s.eligibility(d)) else {
        return Ok(back_to_ticket(&staff, id, &choice, "dose"));
    };
    let window = s.window(app.clock.today());
    if elig.check_in_window(slot.day, window.0, window.1).is_err() {
        // The page says why, for the day.
        return Ok(
            Redirect::to(&staff.url(&format!("/vaccination/phone/tickets/{id}?{choice}")))
                .into_response(),
        );
    }
    if !slot_open(&slot, s.settings.booking_cutoff(), app.clock.now_jst()) {
        let code = if slot.taken >= slot.capacity || slot.closed {
            "taken"
        } else {
            "closed"
        };
        return Ok(back_to_ticket(&staff, id, &choice, code));
    }
    // The clerk's previous hold for this call, if the form names one: let go in the same
    // step, so choosing another time never keeps two places.
    let replaces = match old_hold {
        Some(h) => holds::find(&app.db, h)
            .await?
            .filter(|old| old.tenant_id == staff.tenant.id && old.state == "active")
            .map(|old| old.id),
        None => None,
    };
    let now = app.clock.now_unix();
    let placed = holds::place(
        &app.db,
        &NewHold {
            tenant_id: staff.tenant.id,
            counter_id: venue.id,
            slot_ids: &[slot.id],
            replaces,
            now,
            expires_at: deadline::hold_expiry(now, staff.tenant.hold_ttl_min),
        },
    )
    .await?;
    let Some(hold_id) = placed else {
        return Ok(back_to_ticket(&staff, id, &choice, "taken"));
    };
    Ok(Redirect::to(&staff.url(&format!(
        "/vaccination/phone/tickets/{id}/confirm?hold={hold_id}&dose={}",
        dose.map(|d| d.get()).unwrap_or(0)
    )))
    .into_response())
}
