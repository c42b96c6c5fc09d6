//! キャンセル待ち (issue 13, seed 001) in the console: how many wait, the set times of
//! 空き枠のお知らせ (admin), a venue's 「キャンセル枠」 (a day, a time and a number of places
//! added for the waitlist: any member of staff, as the clinic does), and the キャンセルリスト:
//! per venue, the 希望者 who booked through the waitlist with their phone and birthdate, by
//! which the venue identifies them (seed FAQ).
use std::collections::HashMap;

use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Serialize;

use super::require_vaccination;
use crate::app::AppState;
use crate::core::reminders::{format_hhmm, parse_hhmm};
use crate::core::waitlist::{
    MAX_NOTICES_PER_DAY, TimesProblem, format_notice_times, parse_notice_times,
};
use crate::db::vaccination::Settings;
use crate::db::venues;
use crate::db::waitlist::{self, Posted};
use crate::i18n::Lang;
use crate::web::error::WebError;
use crate::web::session::check_csrf;
use crate::web::staff::day_roster::parse_day;
use crate::web::staff::forms::{FormView, parse_number, typed};
use crate::web::staff::schedule::Fields;
use crate::web::staff::{Staff, no_store};
use crate::web::waitlist::registration::{birthdate_text, dose_label};
use crate::web::{PathParams, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff/vaccination/waitlist", get(page))
        .route(
            "/t/{tenant}/staff/vaccination/waitlist/places",
            post(post_places),
        )
        .route(
            "/t/{tenant}/staff/vaccination/waitlist/times",
            post(save_times),
        )
}

fn done_message(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "posted" => {
            "キャンセル枠を登録しました。次の空き枠のお知らせで、キャンセル待ちの方にお知らせします。"
        }
        "times" => "空き枠のお知らせの時刻を保存しました。",
        _ => return None,
    })
}

fn label(field: &str) -> &'static str {
    match field {
        "venue" => "会場",
        "day" => "日付",
        "at" => "時刻",
        "places" => "人数",
        "times" => "お知らせの時刻",
        _ => "入力",
    }
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

#[derive(Serialize)]
struct ListedBooking {
    when: String,
    receipt: String,
    name: String,
    birthdate: String,
    phone: String,
    dose: String,
    cancelled: bool,
}

#[derive(Serialize)]
struct VenueList {
    name: String,
    bookings: Vec<ListedBooking>,
}

async fn render_page(
    app: &AppState,
    staff: &Staff,
    settings: &Settings,
    failed: Option<FormView>,
    done: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let tenant = &staff.tenant;
    let (registered, waiting) = waitlist::counts(&app.db, settings.service_id).await?;
    let venues = venues::active(&app.db, tenant.id).await?;
    let bookings = waitlist::bookings_from(&app.db, settings.service_id, app.clock.today()).await?;
    let lists: Vec<VenueList> = venues
        .iter()
        .map(|v| VenueList {
            name: v.name.clone(),
            bookings: bookings
                .iter()
                .filter(|b| b.venue_id == v.id)
                .map(|b| ListedBooking {
                    when: format!(
                        "{} {}",
                        crate::i18n::date_with_weekday(Lang::Ja, b.day),
                        format_hhmm(b.start_min)
                    ),
                    receipt: b.receipt_number.clone(),
                    name: b.name.clone(),
                    birthdate: b
                        .birthdate
                        .map(|d| birthdate_text(Lang::Ja, d))
                        .unwrap_or_else(|| "(登録削除済み)".to_string()),
                    phone: b.phone.clone(),
                    dose: b
                        .dose_number
                        .map(|d| dose_label(Lang::Ja, d))
                        .unwrap_or_default(),
                    cancelled: b.status != "booked",
                })
                .collect(),
        })
        .collect();
    let venue_choices: Vec<Choice> = venues
        .iter()
        .map(|v| Choice {
            value: v.id.to_string(),
            label: v.name.clone(),
        })
        .collect();
    let times = waitlist::notice_times(&app.db, settings.service_id).await?;
    let failed = failed.as_ref();
    let places_form = FormView::new("places", &[("places", "1".to_string())]).or_failed(failed);
    let times_form =
        FormView::new("times", &[("times", format_notice_times(&times))]).or_failed(failed);
    let mut ctx = staff.context();
    ctx.insert("registered", &registered);
    ctx.insert("waiting", &waiting);
    ctx.insert("venues", &venue_choices);
    ctx.insert("lists", &lists);
    ctx.insert("places_form", &places_form);
    ctx.insert("times_form", &times_form);
    ctx.insert("max_notices", &MAX_NOTICES_PER_DAY);
    ctx.insert("done", &done);
    ctx.insert(
        "error_summary",
        &failed.map(|f| f.summary_with(label)).unwrap_or_default(),
    );
    ctx.insert("refusal", &None::<()>);
    let page = render(app, "staff/vaccination/waitlist.html", &ctx)?;
    // Names, birthdates and phone numbers: not for a shared PC's cache.
    Ok(no_store((status, page).into_response()))
}

pub async fn page(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    Query(q): Query<HashMap<String, String>>,
    jar: CookieJar,
) -> Response {
    let (staff, settings) = match require_vaccination(&app, &jar, &slug, false).await {
        Ok(s) => s,
        Err(denied) => return denied.into_response(),
    };
    render_page(
        &app,
        &staff,
        &settings,
        None,
        done_message(q.get("done").map(String::as_str)),
        StatusCode::OK,
    )
    .await
    .into_response()
}

fn redirect_done(staff: &Staff, code: &str) -> Response {
    Redirect::to(&staff.url(&format!("/vaccination/waitlist?done={code}"))).into_response()
}

async fn invalid(app: &AppState, staff: &Staff, settings: &Settings, view: FormView) -> Response {
    render_page(
        app,
        staff,
        settings,
        Some(view),
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
    .into_response()
}

/// 「キャンセル枠を登録」: the venue, the day, the time, how many places.
pub async fn post_places(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let (staff, settings) = match require_vaccination(&app, &jar, &slug, false).await {
        Ok(s) => s,
        Err(denied) => return denied.into_response(),
    };
    if let Err(e) = check_csrf(
        &app,
        &jar,
        form.get("csrf").map(String::as_str).unwrap_or(""),
    ) {
        return e.into_response();
    }
    let mut view = FormView::typed("places", &form, &["venue", "day", "at", "places"]);
    let venue = typed(&form, "venue").parse::<i64>().ok();
    let venue = match venue {
        Some(id) => match venues::find(&app.db, staff.tenant.id, id).await {
            Ok(v) => v,
            Err(e) => return WebError::from(e).into_response(),
        },
        None => None,
    };
    if venue.is_none() {
        view.error("venue", "会場を選んでください。");
    }
    let day = view.check(
        "day",
        parse_day(&typed(&form, "day"))
            .ok_or_else(|| "日付は「2026-12-03」のように入力してください。".to_string()),
    );
    let at = view.check(
        "at",
        parse_hhmm(&typed(&form, "at"))
            .ok_or_else(|| "時刻は「14:00」のように入力してください。".to_string()),
    );
    let places = view.check(
        "places",
        parse_number(&typed(&form, "places"), 1, 20, &["人分", "人"]),
    );
    let (Some(venue), Some(day), Some(at), Some(places)) = (venue, day, at, places) else {
        return invalid(&app, &staff, &settings, view).await;
    };
    let slot = match waitlist::slot_at(&app.db, settings.service_id, venue.id, day, at).await {
        Ok(s) => s,
        Err(e) => return WebError::from(e).into_response(),
    };
    let Some(slot_id) = slot.filter(|_| day >= app.clock.today()) else {
        view.error(
            "at",
            "その会場・日時の接種枠がありません。会場の受付時間の枠の開始時刻を入力してください。",
        );
        return invalid(&app, &staff, &settings, view).await;
    };
    match waitlist::post_places(
        &app.db,
        &staff.action(&app),
        settings.service_id,
        slot_id,
        places,
    )
    .await
    {
        Ok(Posted::Posted) => redirect_done(&staff, "posted"),
        Ok(Posted::NoSuchSlot) => {
            view.error("at", "その会場・日時の接種枠がありません。");
            invalid(&app, &staff, &settings, view).await
        }
        Err(e) => WebError::from(e).into_response(),
    }
}

/// 空き枠のお知らせの時刻 (admin).
pub async fn save_times(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let (staff, settings) = match require_vaccination(&app, &jar, &slug, true).await {
        Ok(s) => s,
        Err(denied) => return denied.into_response(),
    };
    if let Err(e) = check_csrf(
        &app,
        &jar,
        form.get("csrf").map(String::as_str).unwrap_or(""),
    ) {
        return e.into_response();
    }
    let mut view = FormView::typed("times", &form, &["times"]);
    let times = match parse_notice_times(&typed(&form, "times")) {
        Ok(t) => t,
        Err(problem) => {
            view.error(
                "times",
                match problem {
                    TimesProblem::Empty => "お知らせの時刻を1つ以上入力してください。".to_string(),
                    TimesProblem::TooMany => format!("お知らせは1日{MAX_NOTICES_PER_DAY}回までです。"),
                    TimesProblem::NotATime(part) => format!("「{part}」は時刻として読めません。「9:00、12:00、18:00」のように入力してください。"),
                },
            );
            return invalid(&app, &staff, &settings, view).await;
        }
    };
    match waitlist::set_notice_times(&app.db, &staff.action(&app), settings.service_id, &times)
        .await
    {
        Ok(()) => redirect_done(&staff, "times"),
        Err(e) => WebError::from(e).into_response(),
    }
}
