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
    GridPageSpec, HOLD_EXPIRED, HoldOutcome, SLOT_TAKEN, extended_message, extension_of, hold_run,
    hold_view, not_extended_message, render_grid,
};
use super::mails::AboutBooking;
use super::{base_context, grid_view, load_tenant, mails};
use crate::app::AppState;
use crate::core::deadline;
use crate::core::grid::format_hhmm;
use crate::core::receipt;
use crate::core::resident_input::{NumberFormat, fold_number_input, format_date_with_weekday};
use crate::core::throttle;
use crate::db::bookings::{self, Booking, Changed, PasswordChange};
use crate::db::holds;
use crate::db::tenants::Tenant;
use crate::secrets::random_token;
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::limits::{self, Admission, ChallengeView, Client, Counted};
use crate::web::render;
use crate::web::session::{self, ResidentData, ResidentSession, check_csrf, constant_time_eq};

/// Said for every failed lookup, whichever of the two was wrong.
pub const LOOKUP_FAILED: &str = "受付番号またはパスワードが正しくありません。メールに記載された受付番号とパスワードをご確認ください。";

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
    Notice(String),
}

/// What was wrong with a lookup: a field left empty (said next to it), or a pair that
/// matches no booking (said once for both, without telling which was wrong).
#[derive(Default, Serialize)]
struct LookupErrors {
    receipt_number: Option<&'static str>,
    password: Option<&'static str>,
    mismatch: Option<&'static str>,
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
    let mut summary: Vec<(&str, &str)> = Vec::new();
    if let Some(m) = errors.mismatch {
        summary.push(("receipt_number", m));
    }
    for (id, message) in [
        ("receipt_number", errors.receipt_number),
        ("password", errors.password),
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
    Ok((status, jar, render(app, "resident/lookup.html", &ctx)?).into_response())
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
                .then_some("受付番号を入力してください。"),
            password: password
                .is_empty()
                .then_some("パスワードを入力してください。"),
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
            mismatch: Some(LOOKUP_FAILED),
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
}

#[derive(Serialize)]
struct BookingView {
    receipt_number: String,
    status: String,
    status_label: &'static str,
    date: String,
    time: String,
    party_size: i32,
    email: String,
    email2: String,
    cancel_deadline: String,
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
    let rows: Vec<PersonRow> = people
        .into_iter()
        .enumerate()
        .map(|(i, (p, number1))| PersonRow {
            index: i + 1,
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
    let deadline_at = deadline::cancellation_deadline(start, tenant.cancel_deadline_hours);
    let can_change = booking.status == "booked"
        && deadline::can_cancel(start, tenant.cancel_deadline_hours, app.clock.now_jst());
    let view = BookingView {
        receipt_number: receipt::format_receipt(&booking.receipt_number),
        status: booking.status.clone(),
        status_label: match booking.status.as_str() {
            "booked" => "予約済",
            "visited" => "来庁済",
            "no_show" => "不在",
            _ => "取消済",
        },
        date: format_date_with_weekday(booking.day),
        time: format!(
            "{}〜{}",
            format_hhmm(booking.start_min),
            format_hhmm(booking.end_min)
        ),
        party_size: booking.party_size,
        email: booking.email.clone().unwrap_or_default(),
        email2: booking.email2.clone().unwrap_or_default(),
        cancel_deadline: deadline::format_deadline_ja(deadline_at),
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
    Ok((jar, render(&app, "resident/booking.html", &ctx)?).into_response())
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
    ctx.insert(
        "printed_at",
        &deadline::format_deadline_ja(app.clock.now_jst()),
    );
    Ok((jar, render(&app, "resident/booking_print.html", &ctx)?).into_response())
}

/// Past the deadline (or not active): back to the details with the reason.
async fn refuse_change(
    app: &AppState,
    tenant: &Tenant,
    mut s: ResidentSession,
    booking: &Booking,
) -> Result<Response, WebError> {
    s.data.flash = Some(if booking.status == "cancelled" {
        // Also what a repeated [取り消す] (double click, back button) ends on.
        "この予約は取り消し済みです。".to_string()
    } else if booking.status != "booked" {
        "この予約は変更・取消できません。".to_string()
    } else {
        let start = deadline::slot_start(booking.day, booking.start_min);
        format!(
            "変更・取消の受付期限({})を過ぎています。{}",
            deadline::format_deadline_ja(deadline::cancellation_deadline(
                start,
                tenant.cancel_deadline_hours
            )),
            if tenant.contact.is_empty() {
                "窓口までお問い合わせください。".to_string()
            } else {
                format!("{}までお問い合わせください。", tenant.contact)
            }
        )
    });
    session::save(app, &s).await?;
    Ok(Redirect::to(&url(tenant, "")).into_response())
}

fn changeable(app: &AppState, tenant: &Tenant, booking: &Booking) -> bool {
    booking.status == "booked"
        && deadline::can_cancel(
            deadline::slot_start(booking.day, booking.start_min),
            tenant.cancel_deadline_hours,
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
            s.data.flash = Some(SLOT_TAKEN.to_string());
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
        Some(id) => holds::find(&app.db, id).await?,
        None => None,
    };
    let Some(hold) = hold else {
        return Ok(Redirect::to(&url(&tenant, "/slots")).into_response());
    };
    let now = app.clock.now_unix();
    let (jar, mut ctx) = base_context(&app, &tenant, jar);
    booking_context(&app, &tenant, &booking, &mut ctx).await?;
    ctx.insert("hold", &hold_view(&hold, now, tenant.hold_ttl_min));
    ctx.insert("error", &(!hold.is_live(now)).then_some(HOLD_EXPIRED));
    if let Some(flash) = s.take_flash() {
        ctx.insert("flash", &flash);
        session::save(&app, &s).await?;
    }
    Ok((jar, render(&app, "resident/change.html", &ctx)?).into_response())
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
        Some(id) => holds::find(&app.db, id).await?,
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
        return Ok(Redirect::to(&url(&tenant, "/slots")).into_response());
    };
    let Some(hold) = holds::find(&app.db, hold_id).await? else {
        return Ok(Redirect::to(&url(&tenant, "/slots")).into_response());
    };
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
            s.data.flash = Some(format!(
                "予約日時を {} {}〜{} に変更しました。受付番号は変わりません。",
                format_date_with_weekday(hold.day),
                format_hhmm(hold.start_min),
                format_hhmm(hold.end_min)
            ));
            session::save(&app, &s).await?;
            Ok(Redirect::to(&url(&tenant, "")).into_response())
        }
        Changed::HoldExpired => {
            s.data.change_hold_id = None;
            s.data.flash = Some(HOLD_EXPIRED.to_string());
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
    Ok((jar, render(&app, "resident/cancel.html", &ctx)?).into_response())
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
    s.data.flash = Some("予約を取り消しました。".to_string());
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
            s.data.flash = Some(message);
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
        s.data.flash = Some("この予約にはメールアドレスが登録されていません。".to_string());
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
    s.data.flash = Some(
        "予約完了通知メールを再送しました。パスワードは新しいものに変わりました。以前のパスワードは使えません。"
            .to_string(),
    );
    session::save(&app, &s).await?;
    Ok(Redirect::to(&url(&tenant, "")).into_response())
}
