//! One card-pickup booking in the console: its page, and cancelling or changing it for a
//! caller, audited.
use std::collections::HashMap;

use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use super::*;
use crate::app::AppState;
use crate::core::grid::format_hhmm;
use crate::core::receipt;
use crate::core::resident_input::format_date_with_weekday;
use crate::db::bookings::{self, ByStaff, Changed};
use crate::db::holds;
use crate::db::tenants::{self, CARD_PICKUP};
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::pickup::apply::{
    GridPageSpec, HOLD_EXPIRED, HoldOutcome, SLOT_TAKEN, hold_run, hold_view, render_grid,
};
use crate::web::pickup::grid_view;
use crate::web::pickup::mails::{self, AboutBooking};
use crate::web::render;
use crate::web::session::check_csrf;
use crate::web::staff::{Denied, Staff, require};

/// A card-pickup booking of this municipality. A vaccination booking is a 404 here: its
/// cancel and change keep the dose rules, on its own page (`staff::vaccination::booking`).
pub(super) async fn tenant_booking(
    app: &AppState,
    staff: &Staff,
    id: i64,
) -> Result<bookings::Booking, Denied> {
    let booking = bookings::find(&app.db, id)
        .await?
        .filter(|b| b.tenant_id == staff.tenant.id)
        .ok_or(Denied::Error(WebError::NotFound))?;
    let pickup = match tenants::service_id(&app.db, staff.tenant.id, CARD_PICKUP).await {
        Ok(id) => Some(id),
        Err(crate::db::DbError::Query(diesel::result::Error::NotFound)) => None,
        Err(e) => return Err(e.into()),
    };
    if pickup != Some(booking.service_id) {
        return Err(Denied::Error(WebError::NotFound));
    }
    Ok(booking)
}

pub(super) async fn booking_context(
    app: &AppState,
    staff: &Staff,
    b: &bookings::Booking,
) -> Result<tera::Context, WebError> {
    let mut ctx = staff.context();
    crate::web::pickup::lookup::booking_context(app, &staff.tenant, b, &mut ctx).await?;
    ctx.insert("booking_id", &b.id);
    ctx.insert("source", if b.source == "phone" { "電話" } else { "Web" });
    Ok(ctx)
}

pub async fn booking_page(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    let b = tenant_booking(&app, &staff, id).await?;
    let mut data = data_of(&staff);
    let flash = data.flash.take();
    save(&app, &staff, &data).await?;
    let mut ctx = booking_context(&app, &staff, &b).await?;
    ctx.insert("flash", &flash);
    Ok(render(&app, "staff/booking.html", &ctx)?.into_response())
}

pub async fn cancel_page(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    let b = tenant_booking(&app, &staff, id).await?;
    let ctx = booking_context(&app, &staff, &b).await?;
    Ok(render(&app, "staff/booking_cancel.html", &ctx)?.into_response())
}

pub async fn cancel(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let b = tenant_booking(&app, &staff, id).await?;
    let mail = mails::about_booking(
        &app,
        &staff.tenant,
        &b,
        AboutBooking::Cancelled,
        (b.day, b.start_min, b.end_min),
        None,
    )
    .await?;
    let detail = format!(
        "代理取消: 受付番号{} {} {}",
        receipt::format_receipt(&b.receipt_number),
        format_date_with_weekday(b.day),
        format_hhmm(b.start_min)
    );
    let done = bookings::cancel(
        &app.db,
        b.id,
        app.clock.now_unix(),
        &mail,
        Some(&ByStaff {
            staff_user_id: staff.user.id,
            action: "cancel_booking",
            detail: &detail,
        }),
    )
    .await?;
    app.mail_wakeup.notify_one();
    let mut data = data_of(&staff);
    data.flash = Some(if done {
        "予約を取り消しました。".to_string()
    } else {
        "この予約はすでに取り消されているか、変更できない状態です。".to_string()
    });
    save(&app, &staff, &data).await?;
    Ok(Redirect::to(&staff.url(&format!("/bookings/{id}"))).into_response())
}

pub async fn change_slots(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    Query(q): Query<FromQuery>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    let b = tenant_booking(&app, &staff, id).await?;
    let mut data = data_of(&staff);
    let flash = data.flash.take();
    save(&app, &staff, &data).await?;
    Ok(render_grid(
        &app,
        &staff.tenant,
        jar,
        GridPageSpec {
            counter_id: b.counter_id,
            party: b.party_size,
            from: grid_view::parse_from(q.from.as_deref()),
            action: staff.url(&format!("/bookings/{id}/slots")),
            back: staff.url(&format!("/bookings/{id}")),
            flash,
        },
    )
    .await?)
}

pub async fn change_hold(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let b = tenant_booking(&app, &staff, id).await?;
    let Ok(slot_id) = field(&form, "slot").parse::<i64>() else {
        return Ok(Redirect::to(&staff.url(&format!("/bookings/{id}/slots"))).into_response());
    };
    let mut data = data_of(&staff);
    let replaces = data.change.filter(|(bid, _)| *bid == id).map(|(_, h)| h);
    let to = match hold_run(
        &app,
        &staff.tenant,
        b.counter_id,
        slot_id,
        b.party_size,
        replaces,
    )
    .await?
    {
        Some(HoldOutcome::Held(h)) => {
            data.change = Some((id, h.id));
            staff.url(&format!("/bookings/{id}/change"))
        }
        Some(HoldOutcome::Taken(day)) => {
            data.flash = Some(SLOT_TAKEN.to_string());
            staff.url(&format!("/bookings/{id}/slots?from={day}"))
        }
        Some(HoldOutcome::Closed(why, day)) => {
            data.flash = Some(why.resolve(crate::i18n::Lang::Ja));
            staff.url(&format!("/bookings/{id}/slots?from={day}"))
        }
        None => staff.url(&format!("/bookings/{id}/slots")),
    };
    save(&app, &staff, &data).await?;
    Ok(Redirect::to(&to).into_response())
}

pub async fn change_page(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    let b = tenant_booking(&app, &staff, id).await?;
    let data = data_of(&staff);
    let hold = match data.change.filter(|(bid, _)| *bid == id) {
        Some((_, h)) => holds::find_as_of(&app.db, h, app.clock.now_unix()).await?,
        None => None,
    };
    let Some(hold) = hold else {
        return Ok(Redirect::to(&staff.url(&format!("/bookings/{id}/slots"))).into_response());
    };
    let now = app.clock.now_unix();
    let mut ctx = booking_context(&app, &staff, &b).await?;
    ctx.insert("hold", &hold_view(&hold, now, staff.tenant.hold_ttl_min));
    ctx.insert("error", &(!hold.is_live(now)).then_some(HOLD_EXPIRED));
    ctx.insert(
        "late",
        &crate::web::pickup::cutoffs::late_notice(&app, &staff.tenant, hold.day, hold.start_min),
    );
    Ok(render(&app, "staff/booking_change.html", &ctx)?.into_response())
}

pub async fn change(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let b = tenant_booking(&app, &staff, id).await?;
    let mut data = data_of(&staff);
    let Some((_, hold_id)) = data.change.filter(|(bid, _)| *bid == id) else {
        return Ok(Redirect::to(&staff.url(&format!("/bookings/{id}/slots"))).into_response());
    };
    let Some(hold) = holds::find_as_of(&app.db, hold_id, app.clock.now_unix()).await? else {
        return Ok(Redirect::to(&staff.url(&format!("/bookings/{id}/slots"))).into_response());
    };
    let mail = mails::about_booking(
        &app,
        &staff.tenant,
        &b,
        AboutBooking::Changed,
        (hold.day, hold.start_min, hold.end_min),
        None,
    )
    .await?;
    let detail = format!(
        "代理変更: 受付番号{} {} {} → {} {}",
        receipt::format_receipt(&b.receipt_number),
        format_date_with_weekday(b.day),
        format_hhmm(b.start_min),
        format_date_with_weekday(hold.day),
        format_hhmm(hold.start_min)
    );
    let outcome = bookings::change_time(
        &app.db,
        b.id,
        hold_id,
        app.clock.now_unix(),
        &mail,
        Some(&ByStaff {
            staff_user_id: staff.user.id,
            action: "change_booking",
            detail: &detail,
        }),
    )
    .await?;
    app.mail_wakeup.notify_one();
    data.change = None;
    data.flash = Some(match outcome {
        Changed::Changed | Changed::Replayed => format!(
            "予約日時を {} {}〜{} に変更しました。",
            format_date_with_weekday(hold.day),
            format_hhmm(hold.start_min),
            format_hhmm(hold.end_min)
        ),
        Changed::HoldExpired => HOLD_EXPIRED.to_string(),
        Changed::NotActive => "この予約は変更できない状態です。".to_string(),
    });
    save(&app, &staff, &data).await?;
    Ok(Redirect::to(&staff.url(&format!("/bookings/{id}"))).into_response())
}
