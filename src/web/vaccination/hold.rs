//! Choosing a time holds it (仮押さえ), as card pickup does: the engine's hold with the
//! municipality's hold time, shown with its end and the offer to extend it
//! (`web::booking::hold`). A move (編集) goes on to 「予約の変更」 instead of 連絡先.
use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use super::book::require_draft;
use super::choose::{day_param, slot_bookable};
use super::visit::visit_of;
use super::{load_service, url};
use crate::app::AppState;
use crate::core::deadline;
use crate::core::vaccination::open_places::SlotPlaces;
use crate::db::holds::{self, NewHold};
use crate::db::{slots, venues};
use crate::i18n;
use crate::web::PathParams;
use crate::web::booking::hold::{
    extended_message, extension_of, not_extended_message, placed_message,
};
use crate::web::error::WebError;
use crate::web::session::{self, check_csrf};

/// POST of a time: hold it for the draft (replacing the hold it had), then 連絡先.
pub async fn place(
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
    let slot = match form.get("slot").and_then(|s| s.parse::<i64>().ok()) {
        Some(id) => slots::find(&app.db, id).await?,
        None => None,
    };
    let Some(slot) = slot else {
        return Ok(Redirect::to(&url(&tenant, "/venues")).into_response());
    };
    let venue = venues::find(&app.db, tenant.id, slot.counter_id)
        .await?
        .filter(|v| v.active)
        .ok_or(WebError::NotFound)?;
    let back = url(
        &tenant,
        &format!("/venues/{}/{}", venue.id, day_param(slot.day)),
    );
    let s = &mut booking.session;
    // The day must be one the dose may take, and the time still open online.
    let open = SlotPlaces {
        capacity: slot.capacity,
        taken: 0,
        closed: slot.closed,
        bookable: slot_bookable(&app, &settings, &slot),
    }
    .places()
    .total()
        > 0;
    if booking
        .rules
        .status(slot.day, crate::core::availability::Places::new(1, 1))
        .refusal()
        .is_some()
        || !open
    {
        return Ok(Redirect::to(&back).into_response());
    }
    let now = app.clock.now_unix();
    let replaces = visit_of(s).draft.as_ref().and_then(|d| d.hold_id);
    let placed = holds::place(
        &app.db,
        &NewHold {
            tenant_id: tenant.id,
            counter_id: venue.id,
            slot_ids: &[slot.id],
            replaces,
            now,
            expires_at: deadline::hold_expiry(now, tenant.hold_ttl_min),
        },
    )
    .await?;
    let hold = match placed {
        Some(id) => holds::find_as_of(&app.db, id, now).await?,
        None => None,
    };
    let Some(hold) = hold else {
        s.data.flash = Some(i18n::tr("slot-taken"));
        session::save(&app, s).await?;
        return Ok(Redirect::to(&back).into_response());
    };
    if let Some(draft) = visit_of(s).draft.as_mut() {
        draft.hold_id = Some(hold.id);
    }
    s.data.flash = Some(placed_message(&hold));
    session::save(&app, s).await?;
    // A move (編集) keeps its 連絡先: straight to 「予約の変更」.
    let next = if booking.changes().is_some() {
        "/change"
    } else {
        "/contact"
    };
    Ok(Redirect::to(&url(&tenant, next)).into_response())
}

/// [仮押さえを延長する], as card pickup extends.
pub async fn extend(
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
    let s = &mut booking.session;
    let now = app.clock.now_unix();
    let hold = match visit_of(s).draft.as_ref().and_then(|d| d.hold_id) {
        Some(id) => holds::find_as_of(&app.db, id, now).await?,
        None => None,
    };
    let back = match form.get("back").map(String::as_str) {
        Some("confirm") => "/confirm",
        Some("change") => "/change",
        _ => "/contact",
    };
    if let Some(hold) = hold {
        match extension_of(&hold, now, tenant.hold_ttl_min) {
            Some(new_expiry) if holds::extend(&app.db, hold.id, new_expiry, now).await? => {
                s.data.flash = Some(extended_message(new_expiry));
            }
            Some(_) => s.data.flash = Some(i18n::tr("hold-expired")),
            None if hold.is_live(now) => {
                s.data.flash = Some(not_extended_message(&hold, tenant.hold_ttl_min));
            }
            None => s.data.flash = Some(i18n::tr("hold-expired")),
        }
        session::save(&app, s).await?;
    }
    Ok(Redirect::to(&url(&tenant, back)).into_response())
}
