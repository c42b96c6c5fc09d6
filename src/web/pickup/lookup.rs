//! Step 9: 予約照会 with 受付番号 and パスワード, the booking's details and print view,
//! moving it to another time, cancelling it, and sending its mail again.
use std::collections::HashMap;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Serialize;

use super::apply::{
    GridPageSpec, HoldOutcome, extended_message, extension_of, hold_run, hold_view,
    not_extended_message, render_grid,
};
use super::mails::AboutBooking;
use super::{base_context, grid_view, load_tenant, mails};
use crate::app::AppState;
use crate::core::deadline;
use crate::core::receipt;
use crate::core::resident_input::{NumberFormat, fold_number_input};
use crate::core::throttle;
use crate::db::bookings::{self, Booking, Changed, PasswordChange};
use crate::db::holds;
use crate::db::tenants::Tenant;
use crate::i18n::{self, Lang, Msg};
use crate::secrets::random_token;
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::limits::{self, Admission, ChallengeView, Client, Counted};
use crate::web::render;
use crate::web::session::{self, ResidentData, ResidentSession, check_csrf, constant_time_eq};

/// Said for every failed lookup, whichever of the two was wrong (a message id).
pub const LOOKUP_FAILED: &str = "lookup-failed";

fn field(form: &HashMap<String, String>, name: &str) -> String {
    form.get(name).cloned().unwrap_or_default()
}

fn url(tenant: &Tenant, rest: &str) -> String {
    format!("/t/{}/booking{}", tenant.slug, rest)
}

pub async fn form(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    render_lookup(
        &app,
        &tenant,
        jar,
        "",
        &LookupErrors::default(),
        &Throttled::None,
    )
}

/// What limits had to say about a lookup.
enum Throttled {
    None,
    Challenge(ChallengeView),
    Notice(Msg),
}

/// What was wrong with a lookup: a field left empty (said next to it), or a pair that
/// matches no booking (said once for both, without telling which was wrong).
#[derive(Default, Serialize)]
struct LookupErrors {
    receipt_number: Option<Msg>,
    password: Option<Msg>,
    mismatch: Option<Msg>,
}

impl LookupErrors {
    fn any(&self) -> bool {
        self.receipt_number.is_some() || self.password.is_some() || self.mismatch.is_some()
    }
}

fn render_lookup(
    app: &AppState,
    tenant: &Tenant,
    jar: CookieJar,
    receipt_number: &str,
    errors: &LookupErrors,
    throttled: &Throttled,
) -> Result<Response, WebError> {
    let (jar, mut ctx) = base_context(app, tenant, jar);
    match throttled {
        Throttled::None => {}
        Throttled::Challenge(c) => ctx.insert("challenge", c),
        Throttled::Notice(n) => ctx.insert("error_notice", n),
    }
    ctx.insert("receipt_number", receipt_number);
    ctx.insert("errors", errors);
    let mut summary: Vec<(&str, &Msg)> = Vec::new();
    if let Some(m) = &errors.mismatch {
        summary.push(("receipt_number", m));
    }
    for (id, message) in [
        ("receipt_number", &errors.receipt_number),
        ("password", &errors.password),
    ] {
        if let Some(m) = message {
            summary.push((id, m));
        }
    }
    ctx.insert("error_summary", &summary);
    let status = if !matches!(throttled, Throttled::None) {
        StatusCode::TOO_MANY_REQUESTS
    } else if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, jar, render(app, "pickup/lookup.html", &ctx)?).into_response())
}

pub async fn submit(
    State(app): State<AppState>,
    client: Client,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let typed_receipt = field(&form, "receipt_number");
    let receipt_number = fold_number_input(&typed_receipt);
    let password = fold_number_input(&field(&form, "password"));
    if receipt_number.is_empty() || password.is_empty() {
        let errors = LookupErrors {
            receipt_number: receipt_number
                .is_empty()
                .then(|| Msg::new("receipt-required")),
            password: password.is_empty().then(|| Msg::new("password-required")),
            mismatch: None,
        };
        return render_lookup(
            &app,
            &tenant,
            jar,
            &typed_receipt,
            &errors,
            &Throttled::None,
        );
    }
    // Receipt + password is a secret: counted per client and per receipt number, and after
    // a run of failures it waits for a solved challenge.
    let counted = [
        Counted::client(&app, "lookup:client", client),
        Counted::new(&app, "lookup:receipt", &receipt_number),
    ];
    let checks = Counted::client(&app, "check:client", client);
    let throttled = match limits::within(&app, &checks, &throttle::SECRET_CHECKS_PER_CLIENT).await?
    {
        Err(message) => Throttled::Notice(message),
        Ok(()) => match limits::admit(
            &app,
            &counted,
            &throttle::IDENTIFICATION,
            &field(&form, "pow"),
        )
        .await?
        {
            Admission::Go => Throttled::None,
            Admission::Challenge(c) => Throttled::Challenge(c),
            Admission::Locked(message) => Throttled::Notice(message),
        },
    };
    if !matches!(throttled, Throttled::None) {
        return render_lookup(
            &app,
            &tenant,
            jar,
            &typed_receipt,
            &LookupErrors::default(),
            &throttled,
        );
    }
    let found = bookings::find_by_receipt(&app.db, tenant.id, &receipt_number).await?;
    let expected = mails::password_hash(&app, tenant.id, &receipt_number, &password);
    let booking =
        found.filter(|b| constant_time_eq(b.password_hash.as_bytes(), expected.as_bytes()));
    let Some(booking) = booking else {
        limits::failed(&app, &counted, &throttle::IDENTIFICATION).await?;
        let errors = LookupErrors {
            mismatch: Some(Msg::new(LOOKUP_FAILED)),
            ..LookupErrors::default()
        };
        return render_lookup(
            &app,
            &tenant,
            jar,
            &typed_receipt,
            &errors,
            &Throttled::None,
        );
    };
    limits::succeeded(&app, &counted).await?;
    // A new session at every successful lookup: an earlier cookie never gains access.
    let (jar, _) = session::start(
        &app,
        jar,
        tenant.id,
        ResidentData {
            lookup_booking_id: Some(booking.id),
            ..ResidentData::default()
        },
    )
    .await?;
    Ok((jar, Redirect::to(&url(&tenant, ""))).into_response())
}

/// The looked-up booking of this session, or the lookup form.
async fn looked_up(
    app: &AppState,
    tenant: &Tenant,
    jar: &CookieJar,
) -> Result<Option<(ResidentSession, Booking)>, WebError> {
    let Some(s) = session::load(app, jar, tenant.id).await? else {
        return Ok(None);
    };
    let Some(id) = s.data.lookup_booking_id else {
        return Ok(None);
    };
    let booking = bookings::find(&app.db, id).await?;
    Ok(booking.filter(|b| b.tenant_id == tenant.id).map(|b| (s, b)))
}

fn to_lookup(tenant: &Tenant) -> Response {
    Redirect::to(&format!("/t/{}/lookup", tenant.slug)).into_response()
}

#[derive(Serialize)]
struct PersonRow {
    index: usize,
    name: String,
    kana: String,
    phone: String,
    number1: String,
    answers: Vec<super::recipients::AnswerView>,
}

#[derive(Serialize)]
struct BookingView {
    receipt_number: String,
    status: String,
    status_label: String,
    date: String,
    time: String,
    party_size: i32,
    email: String,
    email2: String,
    cancel_deadline: String,
    /// The rule behind it: "予約日の3日前まで".
    cancel_rule: String,
    can_change: bool,
}

pub async fn booking_context(
    app: &AppState,
    tenant: &Tenant,
    booking: &Booking,
    ctx: &mut tera::Context,
) -> Result<(), WebError> {
    let people = bookings::people(&app.db, booking.id).await?;
    let format = NumberFormat::parse(&tenant.number1_format).ok();
    let lang = Lang::current();
    let rows: Vec<PersonRow> = people
        .into_iter()
        .enumerate()
        .map(|(i, (p, number1))| PersonRow {
            index: i + 1,
            answers: super::recipients::answer_views(&p.answers, lang),
            name: p.name,
            kana: p.kana,
            phone: p.phone,
            number1: number1
                .map(|n| match &format {
                    Some(f) => f.display(&n),
                    None => n,
                })
                .unwrap_or_default(),
        })
        .collect();
    let start = deadline::slot_start(booking.day, booking.start_min);
    let deadline_at = tenant.change_cutoff().shown_deadline(start);
    let can_change = changeable(app, tenant, booking);
    let view = BookingView {
        receipt_number: receipt::format_receipt(&booking.receipt_number),
        status: booking.status.clone(),
        status_label: lang.t(match booking.status.as_str() {
            "booked" => "status-booked",
            "visited" => "status-visited",
            "no_show" => "status-no-show",
            _ => "status-cancelled",
        }),
        date: i18n::date_with_weekday(lang, booking.day),
        time: i18n::time_range(lang, booking.start_min, booking.end_min),
        party_size: booking.party_size,
        email: booking.email.clone().unwrap_or_default(),
        email2: booking.email2.clone().unwrap_or_default(),
        cancel_deadline: i18n::date_time(lang, deadline_at),
        cancel_rule: i18n::deadline_rule(lang, tenant.change_cutoff()),
        can_change,
    };
    let counter = bookings::counter_of(&app.db, booking.counter_id).await?;
    ctx.insert("booking", &view);
    ctx.insert("people", &rows);
    ctx.insert("counter", &mails::CounterView::from(counter));
    Ok(())
}

pub async fn details(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    let Some((mut s, booking)) = looked_up(&app, &tenant, &jar).await? else {
        return Ok(to_lookup(&tenant));
    };
    let flash = s.take_flash();
    session::save(&app, &s).await?;
    let (jar, mut ctx) = base_context(&app, &tenant, jar);
    booking_context(&app, &tenant, &booking, &mut ctx).await?;
    ctx.insert("flash", &flash);
    Ok((jar, render(&app, "pickup/booking.html", &ctx)?).into_response())
}

pub async fn print(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    let Some((_, booking)) = looked_up(&app, &tenant, &jar).await? else {
        return Ok(to_lookup(&tenant));
    };
    let (jar, mut ctx) = base_context(&app, &tenant, jar);
    booking_context(&app, &tenant, &booking, &mut ctx).await?;
    // Only a booking still to come is checked in with it: a printout of a cancelled or
    // past one carries no code to scan.
    if booking.status == "booked" {
        super::insert_receipt_qr(&mut ctx, &booking.receipt_number)?;
    }
    ctx.insert(
        "printed_at",
        &i18n::date_time(Lang::current(), app.clock.now_jst()),
    );
    Ok((jar, render(&app, "pickup/booking_print.html", &ctx)?).into_response())
}

/// Past the deadline (or not active): back to the details with the reason.
async fn refuse_change(
    app: &AppState,
    tenant: &Tenant,
    mut s: ResidentSession,
    booking: &Booking,
) -> Result<Response, WebError> {
    let lang = Lang::current();
    s.data.flash = Some(if booking.status == "cancelled" {
        // Also what a repeated [取り消す] (double click, back button) ends on.
        lang.t("already-cancelled")
    } else if booking.status != "booked" {
        lang.t("cannot-change")
    } else {
        let start = deadline::slot_start(booking.day, booking.start_min);
        let passed = Msg::new("deadline-passed")
            .arg(
                "deadline",
                i18n::date_time(lang, tenant.change_cutoff().shown_deadline(start)),
            )
            .resolve(lang);
        let contact = crate::web::municipality_pages::call_centre(tenant, lang);
        let ask = if contact.is_empty() {
            lang.t("ask-counter")
        } else {
            Msg::new("ask-contact")
                .arg("contact", contact)
                .resolve(lang)
        };
        // Two sentences: Japanese runs them together, English puts a space between.
        match lang {
            Lang::Ja => format!("{passed}{ask}"),
            Lang::En => format!("{passed} {ask}"),
        }
    });
    session::save(app, &s).await?;
    Ok(Redirect::to(&url(tenant, "")).into_response())
}

fn changeable(app: &AppState, tenant: &Tenant, booking: &Booking) -> bool {
    booking.status == "booked"
        && tenant.change_cutoff().is_open(
            deadline::slot_start(booking.day, booking.start_min),
            app.clock.now_jst(),
        )
}

#[derive(serde::Deserialize)]
pub struct GridQuery {
    from: Option<String>,
}

pub async fn change_slots(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    Query(q): Query<GridQuery>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    let Some((mut s, booking)) = looked_up(&app, &tenant, &jar).await? else {
        return Ok(to_lookup(&tenant));
    };
    if !changeable(&app, &tenant, &booking) {
        return refuse_change(&app, &tenant, s, &booking).await;
    }
    let flash = s.take_flash();
    session::save(&app, &s).await?;
    render_grid(
        &app,
        &tenant,
        jar,
        GridPageSpec {
            counter_id: booking.counter_id,
            party: booking.party_size,
            from: grid_view::parse_from(q.from.as_deref()),
            action: url(&tenant, "/slots"),
            back: url(&tenant, ""),
            flash,
        },
    )
    .await
}

pub async fn change_choose(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let Some((mut s, booking)) = looked_up(&app, &tenant, &jar).await? else {
        return Ok(to_lookup(&tenant));
    };
    if !changeable(&app, &tenant, &booking) {
        return refuse_change(&app, &tenant, s, &booking).await;
    }
    let Ok(slot_id) = field(&form, "slot").parse::<i64>() else {
        return Ok(Redirect::to(&url(&tenant, "/slots")).into_response());
    };
    let replaces = s.data.change_hold_id;
    match hold_run(
        &app,
        &tenant,
        booking.counter_id,
        slot_id,
        booking.party_size,
        replaces,
    )
    .await?
    {
        Some(HoldOutcome::Held(hold)) => {
            s.data.change_hold_id = Some(hold.id);
            session::save(&app, &s).await?;
            Ok(Redirect::to(&url(&tenant, "/change")).into_response())
        }
        Some(HoldOutcome::Taken(day)) => {
            s.data.flash = Some(i18n::tr("slot-taken"));
            session::save(&app, &s).await?;
            Ok(Redirect::to(&url(&tenant, &format!("/slots?from={day}"))).into_response())
        }
        Some(HoldOutcome::Closed(why, day)) => {
            s.data.flash = Some(why.resolve(Lang::current()));
            session::save(&app, &s).await?;
            Ok(Redirect::to(&url(&tenant, &format!("/slots?from={day}"))).into_response())
        }
        None => Ok(Redirect::to(&url(&tenant, "/slots")).into_response()),
    }
}

pub async fn change_confirm(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    let Some((mut s, booking)) = looked_up(&app, &tenant, &jar).await? else {
        return Ok(to_lookup(&tenant));
    };
    let hold = match s.data.change_hold_id {
        Some(id) => holds::find_as_of(&app.db, id, app.clock.now_unix()).await?,
        None => None,
    };
    let Some(hold) = hold else {
        return Ok(Redirect::to(&url(&tenant, "/slots")).into_response());
    };
    let now = app.clock.now_unix();
    let (jar, mut ctx) = base_context(&app, &tenant, jar);
    booking_context(&app, &tenant, &booking, &mut ctx).await?;
    ctx.insert("hold", &hold_view(&hold, now, tenant.hold_ttl_min));
    let error = if hold.is_live(now) {
        super::cutoffs::closed(&app, &tenant, hold.day, hold.start_min)
    } else {
        Some(Msg::new("hold-expired"))
    };
    ctx.insert("error", &error);
    ctx.insert(
        "late",
        &super::cutoffs::late_notice(&app, &tenant, hold.day, hold.start_min),
    );
    if let Some(flash) = s.take_flash() {
        ctx.insert("flash", &flash);
        session::save(&app, &s).await?;
    }
    Ok((jar, render(&app, "pickup/change.html", &ctx)?).into_response())
}

/// [仮押さえを延長する] on the change page: more time on the new time's hold.
pub async fn change_extend(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let Some((mut s, _booking)) = looked_up(&app, &tenant, &jar).await? else {
        return Ok(to_lookup(&tenant));
    };
    let hold = match s.data.change_hold_id {
        Some(id) => holds::find_as_of(&app.db, id, app.clock.now_unix()).await?,
        None => None,
    };
    let Some(hold) = hold else {
        return Ok(Redirect::to(&url(&tenant, "/slots")).into_response());
    };
    let now = app.clock.now_unix();
    // An expired hold needs no message here: the change page says so itself.
    if let Some(new_expiry) = extension_of(&hold, now, tenant.hold_ttl_min) {
        if holds::extend(&app.db, hold.id, new_expiry, now).await? {
            s.data.flash = Some(extended_message(new_expiry));
        }
    } else if hold.is_live(now) {
        s.data.flash = Some(not_extended_message(&hold, tenant.hold_ttl_min));
    }
    session::save(&app, &s).await?;
    Ok(Redirect::to(&url(&tenant, "/change")).into_response())
}

/// How long after a change a repeated [変更する] without a hold is taken for the same press.
const REPLAYED_CHANGE_SECS: i64 = 60;

pub async fn change_submit(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let Some((mut s, booking)) = looked_up(&app, &tenant, &jar).await? else {
        return Ok(to_lookup(&tenant));
    };
    if !changeable(&app, &tenant, &booking) {
        return refuse_change(&app, &tenant, s, &booking).await;
    }
    let Some(hold_id) = s.data.change_hold_id else {
        // Another press of the same change finished first and ended the hold in the
        // session: the change was made, so this press shows it too.
        let now = app.clock.now_unix();
        if s.data
            .changed_at
            .is_some_and(|at| now - at < REPLAYED_CHANGE_SECS)
        {
            return Ok(Redirect::to(&url(&tenant, "")).into_response());
        }
        return Ok(Redirect::to(&url(&tenant, "/slots")).into_response());
    };
    let Some(hold) = holds::find_as_of(&app.db, hold_id, app.clock.now_unix()).await? else {
        return Ok(Redirect::to(&url(&tenant, "/slots")).into_response());
    };
    if let Some(why) = super::cutoffs::closed(&app, &tenant, hold.day, hold.start_min) {
        s.data.flash = Some(why.resolve(Lang::current()));
        session::save(&app, &s).await?;
        return Ok(
            Redirect::to(&url(&tenant, &format!("/slots?from={}", hold.day))).into_response(),
        );
    }
    let mail = mails::about_booking(
        &app,
        &tenant,
        &booking,
        AboutBooking::Changed,
        (hold.day, hold.start_min, hold.end_min),
        None,
    )
    .await?;
    let now = app.clock.now_unix();
    match bookings::change_time(&app.db, booking.id, hold_id, now, &mail, None).await? {
        Changed::Changed | Changed::Replayed => {
            app.mail_wakeup.notify_one();
            s.data.change_hold_id = None;
            s.data.changed_at = Some(now);
            let lang = Lang::current();
            s.data.flash = Some(
                Msg::new("booking-changed")
                    .arg("date", i18n::date_with_weekday(lang, hold.day))
                    .arg("time", i18n::time_range(lang, hold.start_min, hold.end_min))
                    .resolve(lang),
            );
            session::save(&app, &s).await?;
            Ok(Redirect::to(&url(&tenant, "")).into_response())
        }
        Changed::HoldExpired => {
            s.data.change_hold_id = None;
            s.data.flash = Some(i18n::tr("hold-expired"));
            session::save(&app, &s).await?;
            Ok(Redirect::to(&url(&tenant, "/slots")).into_response())
        }
        Changed::NotActive => refuse_change(&app, &tenant, s, &booking).await,
    }
}

pub async fn cancel_confirm(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    let Some((s, booking)) = looked_up(&app, &tenant, &jar).await? else {
        return Ok(to_lookup(&tenant));
    };
    if !changeable(&app, &tenant, &booking) {
        return refuse_change(&app, &tenant, s, &booking).await;
    }
    let (jar, mut ctx) = base_context(&app, &tenant, jar);
    booking_context(&app, &tenant, &booking, &mut ctx).await?;
    Ok((jar, render(&app, "pickup/cancel.html", &ctx)?).into_response())
}

pub async fn cancel_submit(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let Some((mut s, booking)) = looked_up(&app, &tenant, &jar).await? else {
        return Ok(to_lookup(&tenant));
    };
    if !changeable(&app, &tenant, &booking) {
        return refuse_change(&app, &tenant, s, &booking).await;
    }
    let mail = mails::about_booking(
        &app,
        &tenant,
        &booking,
        AboutBooking::Cancelled,
        (booking.day, booking.start_min, booking.end_min),
        None,
    )
    .await?;
    // False when a concurrent press of [取り消す] got there first: cancelled all the same.
    let cancelled_now =
        bookings::cancel(&app.db, booking.id, app.clock.now_unix(), &mail, None).await?;
    if cancelled_now {
        app.mail_wakeup.notify_one();
    }
    if let Some(hold_id) = s.data.change_hold_id.take() {
        holds::release(&app.db, hold_id).await?;
    }
    s.data.flash = Some(i18n::tr("booking-cancelled"));
    session::save(&app, &s).await?;
    Ok(Redirect::to(&url(&tenant, "")).into_response())
}

/// Sends the completion mail again with a new password (only the old one's hash is kept,
/// so it cannot be sent again as it was).
pub async fn resend(
    State(app): State<AppState>,
    client: Client,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let Some((mut s, booking)) = looked_up(&app, &tenant, &jar).await? else {
        return Ok(to_lookup(&tenant));
    };
    if booking.status != "booked" {
        return refuse_change(&app, &tenant, s, &booking).await;
    }
    // Each press mails again: a few times an hour per booking, and per client.
    let per_booking = Counted::new(&app, "resend:booking", &booking.id.to_string());
    let per_client = Counted::client(&app, "mail:client", client);
    for (counted, limit) in [
        (&per_booking, &throttle::RESENDS_PER_BOOKING),
        (&per_client, &throttle::MAILS_PER_CLIENT),
    ] {
        if let Err(message) = limits::within(&app, counted, limit).await? {
            s.data.flash = Some(message.resolve(Lang::current()));
            session::save(&app, &s).await?;
            return Ok(Redirect::to(&url(&tenant, "")).into_response());
        }
    }
    let password = random_token(receipt::PASSWORD_BYTES);
    let mail = mails::about_booking(
        &app,
        &tenant,
        &booking,
        AboutBooking::Confirmed,
        (booking.day, booking.start_min, booking.end_min),
        Some(&password),
    )
    .await?;
    if mail.is_empty() {
        s.data.flash = Some(i18n::tr("no-email-registered"));
        session::save(&app, &s).await?;
        return Ok(Redirect::to(&url(&tenant, "")).into_response());
    };
    let hash = mails::password_hash(&app, tenant.id, &booking.receipt_number, &password);
    bookings::replace_password(
        &app.db,
        booking.id,
        &PasswordChange {
            expected_hash: None,
            new_hash: &hash,
            now: app.clock.now_unix(),
        },
        &mail,
        None,
    )
    .await?;
    app.mail_wakeup.notify_one();
    s.data.flash = Some(i18n::tr("mail-resent"));
    session::save(&app, &s).await?;
    Ok(Redirect::to(&url(&tenant, "")).into_response())
}
