//! Booking, changing and cancelling on a resident's behalf (phone calls), and the console's
//! page for one booking. The clerk finds the notices, picks a time on the residents' grid,
//! confirms, and reads the receipt number and password out.
use std::collections::{BTreeMap, HashMap};

use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};

use super::{Denied, Staff, auth, no_store, require};
use crate::app::AppState;
use crate::core::grid::format_hhmm;
use crate::core::receipt;
use crate::core::resident_input::{
    EmailAddress, NumberFormat, fold_number_input, format_date_ja, format_date_with_weekday,
    parse_birthdate, parse_kana,
};
use crate::db::bookings::{self, ByStaff, Confirmed, NewBooking, NewPerson};
use crate::db::holds;
use crate::db::notices::{self, Notice};
use crate::db::tenants::{self, CARD_PICKUP};
use crate::i18n::Lang;
use crate::secrets::{random_digits, random_token};
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::pickup::apply::{
    GridPageSpec, HOLD_EXPIRED, HoldOutcome, SLOT_TAKEN, hold_run, hold_view, insert_asked,
    render_grid,
};
use crate::web::pickup::grid_view;
use crate::web::pickup::mails::{self};
use crate::web::pickup::recipients::{self, BuiltinOptional, ExtraInput, PersonErrors};
use crate::web::render;
use crate::web::session::{PersonForm, check_csrf};

mod booking;
mod reissue;

use booking::{
    booking_context, booking_page, cancel, cancel_page, change, change_hold, change_page,
    change_slots, tenant_booking,
};
use reissue::{reissue, reissue_page};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff/phone", get(phone_page))
        .route("/t/{tenant}/staff/phone/add", post(add_person))
        .route("/t/{tenant}/staff/phone/remove", post(remove_person))
        .route("/t/{tenant}/staff/phone/choose", post(choose_counter))
        .route(
            "/t/{tenant}/staff/phone/slots",
            get(phone_slots).post(phone_hold),
        )
        .route(
            "/t/{tenant}/staff/phone/confirm",
            get(confirm_page).post(book),
        )
        .route("/t/{tenant}/staff/bookings/{id}", get(booking_page))
        .route(
            "/t/{tenant}/staff/bookings/{id}/cancel",
            get(cancel_page).post(cancel),
        )
        .route(
            "/t/{tenant}/staff/bookings/{id}/slots",
            get(change_slots).post(change_hold),
        )
        .route(
            "/t/{tenant}/staff/bookings/{id}/change",
            get(change_page).post(change),
        )
        .route(
            "/t/{tenant}/staff/bookings/{id}/password",
            get(reissue_page).post(reissue),
        )
}

/// What the console remembers between a clerk's requests.
#[derive(Debug, Default, Serialize, Deserialize)]
struct ConsoleData {
    #[serde(default)]
    phone: PhoneDraft,
    /// A booking whose time is being changed, and the hold for its new time.
    #[serde(default)]
    change: Option<(i64, i64)>,
    /// The draft booked last, so that the same [予約する] again leads to its booking.
    #[serde(default)]
    last_booked: Option<LastBooked>,
    /// A result message shown once on the next page (never a password: those are shown
    /// only in the response that made them).
    #[serde(default)]
    flash: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct LastBooked {
    /// The draft's idempotency key, which its confirmation form carries.
    draft: String,
    booking_id: i64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct PhoneDraft {
    notice_ids: Vec<i64>,
    counter_id: Option<i64>,
    hold_id: Option<i64>,
    idempotency_key: String,
}

fn data_of(staff: &Staff) -> ConsoleData {
    serde_json::from_str(&staff.session.data).unwrap_or_default()
}

async fn save(app: &AppState, staff: &Staff, data: &ConsoleData) -> Result<(), WebError> {
    let json = serde_json::to_string(data).map_err(|e| WebError::Internal(e.to_string()))?;
    auth::save_data(app, &staff.session, &json).await
}

fn field(form: &HashMap<String, String>, name: &str) -> String {
    form.get(name).cloned().unwrap_or_default()
}

#[derive(Serialize)]
struct NoticeRow {
    id: i64,
    number1: String,
    name: String,
    kana: String,
    birthdate: String,
    booked: bool,
}

fn notice_row(staff: &Staff, n: &Notice, booked: &[i64]) -> NoticeRow {
    let format = NumberFormat::parse(&staff.tenant.number1_format).ok();
    NoticeRow {
        id: n.id,
        number1: format
            .map(|f| f.display(&n.number1))
            .unwrap_or_else(|| n.number1.clone()),
        name: n.name.clone(),
        kana: n.kana.clone(),
        birthdate: format_date_ja(n.birthdate),
        booked: booked.contains(&n.id),
    }
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    number: Option<String>,
    name: Option<String>,
    birthdate: Option<String>,
}

/// Spaces (any width) removed and kana folded, for matching names typed on the phone.
fn name_key(s: &str) -> String {
    let folded = parse_kana(s).unwrap_or_else(|_| s.to_string());
    folded.chars().filter(|c| !c.is_whitespace()).collect()
}

async fn search(
    app: &AppState,
    staff: &Staff,
    q: &SearchQuery,
) -> Result<(Vec<Notice>, Option<String>), WebError> {
    let number = q.number.as_deref().unwrap_or("").trim();
    let name = q.name.as_deref().unwrap_or("").trim();
    let birth = q.birthdate.as_deref().unwrap_or("").trim();
    if number.is_empty() && name.is_empty() && birth.is_empty() {
        return Ok((Vec::new(), None));
    }
    let birthdate = match parse_birthdate(birth, app.clock.today()) {
        Ok(d) => d,
        Err(e) => return Ok((Vec::new(), Some(e.message()))),
    };
    if !number.is_empty() {
        let folded = fold_number_input(number);
        let mut found =
            notices::find_by_number1(&app.db, staff.tenant.id, &folded, birthdate).await?;
        if found.is_empty()
            && let Some(n) =
                notices::find_by_number2(&app.db, staff.tenant.id, &folded, birthdate).await?
        {
            found.push(n);
        }
        return Ok((found, None));
    }
    if name.is_empty() {
        return Ok((
            Vec::new(),
            Some("番号または氏名(フリガナ)を入力してください。".to_string()),
        ));
    }
    let key = name_key(name);
    let found = notices::find_by_birthdate(&app.db, staff.tenant.id, birthdate)
        .await?
        .into_iter()
        .filter(|n| name_key(&n.name).contains(&key) || name_key(&n.kana).contains(&key))
        .collect();
    Ok((found, None))
}

pub async fn phone_page(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    Query(q): Query<SearchQuery>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    let mut data = data_of(&staff);
    let flash = data.flash.take();
    save(&app, &staff, &data).await?;
    let (found, search_error) = search(&app, &staff, &q).await?;
    let chosen = notices::find_many(&app.db, staff.tenant.id, &data.phone.notice_ids).await?;
    let all_ids: Vec<i64> = found.iter().chain(&chosen).map(|n| n.id).collect();
    let booked = bookings::notices_with_active_booking(&app.db, &all_ids).await?;
    let counters = tenants::active_counters(&app.db, staff.tenant.id).await?;
    let mut ctx = staff.context();
    ctx.insert("flash", &flash);
    ctx.insert(
        "results",
        &found
            .iter()
            .map(|n| notice_row(&staff, n, &booked))
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "chosen",
        &chosen
            .iter()
            .map(|n| notice_row(&staff, n, &booked))
            .collect::<Vec<_>>(),
    );
    ctx.insert("searched", &(q.number.is_some() || q.name.is_some()));
    ctx.insert("search_error", &search_error);
    ctx.insert("q_number", q.number.as_deref().unwrap_or(""));
    ctx.insert("q_name", q.name.as_deref().unwrap_or(""));
    ctx.insert("q_birthdate", q.birthdate.as_deref().unwrap_or(""));
    ctx.insert(
        "counters",
        &counters
            .iter()
            .map(|c| (c.id, c.name.clone(), data.phone.counter_id == Some(c.id)))
            .collect::<Vec<_>>(),
    );
    ctx.insert("max_party", &staff.tenant.max_party_size);
    Ok(render(&app, "staff/phone.html", &ctx)?.into_response())
}

pub async fn add_person(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let mut data = data_of(&staff);
    let id: i64 = field(&form, "notice_id").parse().unwrap_or(0);
    let found = notices::find_many(&app.db, staff.tenant.id, &[id]).await?;
    if found.is_empty() {
        return Err(Denied::Error(WebError::NotFound));
    }
    if !bookings::notices_with_active_booking(&app.db, &[id])
        .await?
        .is_empty()
    {
        data.flash = Some("この交付通知書はすでに予約済みです。".to_string());
    } else if data.phone.notice_ids.len() >= staff.tenant.max_party_size as usize {
        data.flash = Some(format!(
            "同時に予約できるのは{}人までです。",
            staff.tenant.max_party_size
        ));
    } else if !data.phone.notice_ids.contains(&id) {
        data.phone.notice_ids.push(id);
        release_phone_hold(&app, &mut data).await?;
    }
    save(&app, &staff, &data).await?;
    Ok(Redirect::to(&staff.url("/phone")).into_response())
}

/// The group changed: a hold for the old group size no longer fits.
async fn release_phone_hold(app: &AppState, data: &mut ConsoleData) -> Result<(), WebError> {
    if let Some(h) = data.phone.hold_id.take() {
        holds::release(&app.db, h).await?;
    }
    Ok(())
}

pub async fn remove_person(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let mut data = data_of(&staff);
    let id: i64 = field(&form, "notice_id").parse().unwrap_or(0);
    data.phone.notice_ids.retain(|n| *n != id);
    release_phone_hold(&app, &mut data).await?;
    save(&app, &staff, &data).await?;
    Ok(Redirect::to(&staff.url("/phone")).into_response())
}

pub async fn choose_counter(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let mut data = data_of(&staff);
    let counters = tenants::active_counters(&app.db, staff.tenant.id).await?;
    let chosen: Option<i64> = field(&form, "counter").parse().ok();
    if data.phone.notice_ids.is_empty() {
        data.flash = Some("予約する人を追加してください。".to_string());
    } else if let Some(c) = chosen.filter(|c| counters.iter().any(|x| x.id == *c)) {
        data.phone.counter_id = Some(c);
        save(&app, &staff, &data).await?;
        return Ok(Redirect::to(&staff.url("/phone/slots")).into_response());
    } else {
        data.flash = Some("交付窓口を選択してください。".to_string());
    }
    save(&app, &staff, &data).await?;
    Ok(Redirect::to(&staff.url("/phone")).into_response())
}

#[derive(Deserialize)]
pub struct FromQuery {
    from: Option<String>,
}

pub async fn phone_slots(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    Query(q): Query<FromQuery>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    let mut data = data_of(&staff);
    let (Some(counter_id), false) = (data.phone.counter_id, data.phone.notice_ids.is_empty())
    else {
        return Ok(Redirect::to(&staff.url("/phone")).into_response());
    };
    let flash = data.flash.take();
    save(&app, &staff, &data).await?;
    Ok(render_grid(
        &app,
        &staff.tenant,
        jar,
        GridPageSpec {
            counter_id,
            party: data.phone.notice_ids.len() as i32,
            from: grid_view::parse_from(q.from.as_deref()),
            action: staff.url("/phone/slots"),
            back: staff.url("/phone"),
            flash,
        },
    )
    .await?)
}

pub async fn phone_hold(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let mut data = data_of(&staff);
    let (Some(counter_id), Ok(slot_id)) =
        (data.phone.counter_id, field(&form, "slot").parse::<i64>())
    else {
        return Ok(Redirect::to(&staff.url("/phone")).into_response());
    };
    let party = data.phone.notice_ids.len() as i32;
    let outcome = hold_run(
        &app,
        &staff.tenant,
        counter_id,
        slot_id,
        party,
        data.phone.hold_id,
    )
    .await?;
    let to = match outcome {
        Some(HoldOutcome::Held(h)) => {
            data.phone.hold_id = Some(h.id);
            if data.phone.idempotency_key.is_empty() {
                data.phone.idempotency_key = random_token(16);
            }
            staff.url("/phone/confirm")
        }
        Some(HoldOutcome::Taken(day)) => {
            data.flash = Some(SLOT_TAKEN.to_string());
            staff.url(&format!("/phone/slots?from={day}"))
        }
        Some(HoldOutcome::Closed(why, day)) => {
            data.flash = Some(why.resolve(crate::i18n::Lang::Ja));
            staff.url(&format!("/phone/slots?from={day}"))
        }
        None => staff.url("/phone/slots"),
    };
    save(&app, &staff, &data).await?;
    Ok(Redirect::to(&to).into_response())
}

#[derive(Serialize)]
struct PersonInput {
    index: usize,
    notice_id: i64,
    number1: String,
    name: String,
    kana: String,
    phone: String,
    #[serde(skip)]
    answers: BTreeMap<i64, String>,
    /// By field (name, kana, phone, f12), shown next to it.
    errors: BTreeMap<String, String>,
    #[serde(skip)]
    problems: PersonErrors,
    /// Filled in when the page is drawn.
    optional: BuiltinOptional,
    extras: Vec<ExtraInput>,
}

impl PersonInput {
    fn typed(&self) -> PersonForm {
        PersonForm {
            name: self.name.clone(),
            kana: self.kana.clone(),
            phone: self.phone.clone(),
            answers: self.answers.clone(),
        }
    }
}

async fn render_confirm(
    app: &AppState,
    staff: &Staff,
    data: &ConsoleData,
    mut people: Vec<PersonInput>,
    email: &str,
    errors: HashMap<&'static str, String>,
) -> Result<Response, Denied> {
    let now = app.clock.now_unix();
    let hold = match data.phone.hold_id {
        Some(id) => holds::find_as_of(&app.db, id, app.clock.now_unix()).await?,
        None => None,
    };
    let Some(hold) = hold else {
        return Ok(Redirect::to(&staff.url("/phone/slots")).into_response());
    };
    let counter = bookings::counter_of(&app.db, hold.counter_id).await?;
    let asked = recipients::asked(app, staff.tenant.id).await?;
    for p in &mut people {
        p.optional = recipients::builtin_optional(&asked, p.index);
        p.extras = recipients::extra_inputs(&asked, &p.typed(), p.index, &p.problems, Lang::Ja);
    }
    let status = if errors.is_empty() && people.iter().all(|p| p.errors.is_empty()) {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut ctx = staff.context();
    ctx.insert("people", &people);
    insert_asked(&mut ctx, &asked);
    ctx.insert("hold", &hold_view(&hold, now, staff.tenant.hold_ttl_min));
    // The clerk reads the deadline out, and is warned when this booking is already past it.
    ctx.insert(
        "change_rule",
        &crate::i18n::deadline_rule(Lang::Ja, staff.tenant.change_cutoff()),
    );
    ctx.insert(
        "late",
        &crate::web::pickup::cutoffs::late_notice(app, &staff.tenant, hold.day, hold.start_min),
    );
    ctx.insert("counter_name", &counter.name);
    ctx.insert("email", email);
    ctx.insert("errors", &errors);
    ctx.insert("has_errors", &(status != StatusCode::OK));
    ctx.insert("draft", &data.phone.idempotency_key);
    Ok((status, render(app, "staff/phone_confirm.html", &ctx)?).into_response())
}

async fn draft_people(
    app: &AppState,
    staff: &Staff,
    data: &ConsoleData,
) -> Result<Vec<PersonInput>, WebError> {
    let found = notices::find_many(&app.db, staff.tenant.id, &data.phone.notice_ids).await?;
    let format = NumberFormat::parse(&staff.tenant.number1_format).ok();
    Ok(data
        .phone
        .notice_ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let n = found.iter().find(|n| n.id == *id)?;
            Some(PersonInput {
                index: i + 1,
                notice_id: n.id,
                number1: format
                    .as_ref()
                    .map(|f| f.display(&n.number1))
                    .unwrap_or_else(|| n.number1.clone()),
                name: n.name.clone(),
                kana: n.kana.clone(),
                phone: String::new(),
                answers: BTreeMap::new(),
                errors: BTreeMap::new(),
                problems: PersonErrors::new(),
                optional: BuiltinOptional::default(),
                extras: Vec::new(),
            })
        })
        .collect())
}

pub async fn confirm_page(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    let data = data_of(&staff);
    let people = draft_people(&app, &staff, &data).await?;
    render_confirm(&app, &staff, &data, people, "", HashMap::new()).await
}

/// A [予約する] that was already done (pressed twice, or the page re-sent): the booking
/// page, saying so. Its password was shown once, on the first response, and is kept
/// nowhere in readable form, so it cannot be shown again; the page offers a new one.
async fn already_booked(
    app: &AppState,
    staff: &Staff,
    mut data: ConsoleData,
    booking_id: i64,
) -> Result<Response, Denied> {
    let b = tenant_booking(app, staff, booking_id).await?;
    data.flash = Some(format!(
        "この電話予約はすでに完了しています(受付番号 {})。パスワードは予約したときの画面に一度だけ表示しました。お客様がお控えでない場合は[パスワードを再発行]で新しいパスワードを発行してください。",
        receipt::format_receipt(&b.receipt_number)
    ));
    save(app, staff, &data).await?;
    Ok(Redirect::to(&staff.url(&format!("/bookings/{booking_id}"))).into_response())
}

/// What the clerk reads out: the receipt number and the password, shown in this one
/// response only (never stored, never in a URL, not kept by the browser's cache).
struct ReadOut<'a> {
    template: &'static str,
    booking_id: i64,
    receipt_number: &'a str,
    password: &'a str,
    mailed_to: Option<&'a str>,
}

async fn render_read_out(
    app: &AppState,
    staff: &Staff,
    read_out: ReadOut<'_>,
) -> Result<Response, Denied> {
    let b = tenant_booking(app, staff, read_out.booking_id).await?;
    let mut ctx = booking_context(app, staff, &b).await?;
    ctx.insert(
        "receipt_to_read",
        &receipt::format_receipt(read_out.receipt_number),
    );
    ctx.insert(
        "password_to_read",
        &receipt::format_password(read_out.password),
    );
    ctx.insert("mailed_to", &read_out.mailed_to);
    Ok(no_store(
        render(app, read_out.template, &ctx)?.into_response(),
    ))
}

pub async fn book(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let mut data = data_of(&staff);
    // Which draft the form was for: the one just booked means the same press again.
    let posted_draft = field(&form, "draft");
    if let Some(done) = &data.last_booked
        && !posted_draft.is_empty()
        && done.draft == posted_draft
    {
        let id = done.booking_id;
        return already_booked(&app, &staff, data, id).await;
    }
    let mut people = draft_people(&app, &staff, &data).await?;
    if people.is_empty() {
        return Ok(Redirect::to(&staff.url("/phone")).into_response());
    }
    if posted_draft != data.phone.idempotency_key {
        // A form for another draft (a tab left open from an earlier call): show the
        // draft as it is now rather than book it with that form's names.
        return Ok(Redirect::to(&staff.url("/phone/confirm")).into_response());
    }
    let asked = recipients::asked(&app, staff.tenant.id).await?;
    let typed: Vec<PersonForm> = people
        .iter()
        .map(|p| recipients::read_person(&form, p.index, &asked))
        .collect();
    // The tenant's recipient fields, checked exactly as on the resident's form: what is
    // optional may stay empty, what is required must be given.
    let checked = recipients::check_people(&asked, &typed, Lang::Ja);
    let person_errors = checked.as_ref().err().cloned().unwrap_or_default();
    for (i, (p, t)) in people.iter_mut().zip(&typed).enumerate() {
        p.name = t.name.clone();
        p.kana = t.kana.clone();
        p.phone = t.phone.clone();
        p.answers = t.answers.clone();
        p.problems = person_errors.get(i).cloned().unwrap_or_default();
        p.errors = p
            .problems
            .iter()
            .map(|(k, m)| (k.clone(), m.resolve(Lang::Ja)))
            .collect();
    }
    let mut errors = HashMap::new();
    let email_input = field(&form, "email");
    let email = if email_input.trim().is_empty() {
        None
    } else {
        match EmailAddress::parse(&email_input) {
            Ok(e) => Some(e),
            Err(e) => {
                errors.insert("email", e.message());
                None
            }
        }
    };
    let Some(hold_id) = data.phone.hold_id else {
        return Ok(Redirect::to(&staff.url("/phone/slots")).into_response());
    };
    let hold = holds::find_as_of(&app.db, hold_id, app.clock.now_unix()).await?;
    match &hold {
        Some(h) if h.is_live(app.clock.now_unix()) => {
            // The same cut-offs as the resident's: a hold placed before them ends at them.
            let closed =
                crate::web::pickup::cutoffs::closed(&app, &staff.tenant, h.day, h.start_min);
            if let Some(why) = closed {
                errors.insert("hold", why.resolve(Lang::Ja));
            }
        }
        _ => {
            errors.insert("hold", HOLD_EXPIRED.to_string());
        }
    }
    if !errors.is_empty() || people.iter().any(|p| !p.errors.is_empty()) {
        return render_confirm(&app, &staff, &data, people, &email_input, errors).await;
    }
    let (Some(hold), Ok(checked)) = (hold, checked) else {
        // Not reached: a dead hold and people with errors went back to the form above.
        return render_confirm(&app, &staff, &data, people, &email_input, errors).await;
    };
    // A field the tenant does not ask for is not on the form, so it is stored empty.
    let new_people: Vec<NewPerson> = people
        .iter()
        .zip(checked)
        .map(|(p, c)| NewPerson {
            notice_id: Some(p.notice_id),
            name: c.name,
            kana: c.kana,
            phone: c.phone,
            answers: c.answers,
        })
        .collect();
    let notice_rows = notices::find_many(&app.db, staff.tenant.id, &data.phone.notice_ids).await?;
    let service_id = tenants::service_id(&app.db, staff.tenant.id, CARD_PICKUP).await?;
    let counter = bookings::counter_of(&app.db, hold.counter_id).await?;
    for _ in 0..5 {
        let receipt_number = random_digits(receipt::RECEIPT_DIGITS);
        let password = random_token(receipt::PASSWORD_BYTES);
        let password_hash = mails::password_hash(&app, staff.tenant.id, &receipt_number, &password);
        let mail = match &email {
            Some(e) => vec![
                mails::booking_confirmed(
                    &app,
                    &staff.tenant,
                    &counter,
                    &mails::BookingFacts {
                        receipt_number: &receipt_number,
                        password: Some(&password),
                        day: hold.day,
                        start_min: hold.start_min,
                        end_min: hold.end_min,
                        people: &new_people,
                        notices: &notice_rows,
                        // A clerk's phone booking: its mails are in Japanese.
                        lang: crate::i18n::Lang::Ja,
                    },
                    e.as_str(),
                )
                .await?,
            ],
            None => Vec::new(),
        };
        let detail = format!(
            "電話予約: 受付番号{} {} {}〜{} {}人",
            receipt::format_receipt(&receipt_number),
            format_date_with_weekday(hold.day),
            format_hhmm(hold.start_min),
            format_hhmm(hold.end_min),
            new_people.len()
        );
        let outcome = bookings::confirm(
            &app.db,
            &NewBooking {
                tenant_id: staff.tenant.id,
                service_id,
                counter_id: hold.counter_id,
                hold_id: hold.id,
                receipt_number: &receipt_number,
                password_hash: &password_hash,
                email: email.as_ref().map(|e| e.as_str()),
                email2: None,
                idempotency_key: &data.phone.idempotency_key,
                people: &new_people,
                source: "phone",
                lang: "ja",
                now: app.clock.now_unix(),
                by_staff: Some(ByStaff {
                    staff_user_id: staff.user.id,
                    action: "phone_booking",
                    detail: &detail,
                }),
                ticket: None,
                waitlist: None,
            },
            &mail,
        )
        .await?;
        match outcome {
            Confirmed::Booked(id) => {
                app.mail_wakeup.notify_one();
                let draft = std::mem::take(&mut data.phone);
                data.last_booked = Some(LastBooked {
                    draft: draft.idempotency_key,
                    booking_id: id,
                });
                save(&app, &staff, &data).await?;
                return render_read_out(
                    &app,
                    &staff,
                    ReadOut {
                        template: "staff/phone_done.html",
                        booking_id: id,
                        receipt_number: &receipt_number,
                        password: &password,
                        mailed_to: email.as_ref().map(|e| e.as_str()),
                    },
                )
                .await;
            }
            Confirmed::Replayed(id) => {
                // A concurrent second press: the first one booked and showed the password.
                let draft = std::mem::take(&mut data.phone);
                data.last_booked = Some(LastBooked {
                    draft: draft.idempotency_key,
                    booking_id: id,
                });
                return already_booked(&app, &staff, data, id).await;
            }
            Confirmed::HoldExpired => {
                errors.insert("hold", HOLD_EXPIRED.to_string());
                return render_confirm(&app, &staff, &data, people, &email_input, errors).await;
            }
            Confirmed::NoticeAlreadyBooked | Confirmed::DoseAlreadyBooked => {
                errors.insert(
                    "hold",
                    "この中にすでに予約済みの交付通知書があります。".to_string(),
                );
                return render_confirm(&app, &staff, &data, people, &email_input, errors).await;
            }
            Confirmed::ReceiptTaken => continue,
        }
    }
    Err(Denied::Error(WebError::Internal(
        "no free receipt number".into(),
    )))
}
