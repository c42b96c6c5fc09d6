//! 接種会場 (admin only): the vaccination service's venues, each a 集団接種会場 or a 医療機関
//! with the vaccine it gives and its 会場からのお知らせ, its weekly hours (with 同時に接種できる
//! 人数, the places per slot) and its closures. The hours, closures and the venue's
//! stopping are schedule changes (`db::schedule::apply`): saved with their re-materialised
//! slots in one transaction and refused, with the bookings in the way listed, when they
//! would take a slot from people who booked it, as on card pickup's schedule page. What
//! each form saves is `venue_changes.rs`.
use std::collections::HashMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Serialize;

use super::venue_changes;
use crate::app::AppState;
use crate::core::grid::format_hhmm;
use crate::core::resident_input::format_date_with_weekday;
use crate::db::schedule::{self, Applied, ChangeContext, Refusal, ScheduleChange, weekday_label};
use crate::db::vaccination::VACCINATION;
use crate::db::venues::{self, Venue};
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::render;
use crate::web::staff::forms::{FormView, field_label};
use crate::web::staff::schedule::{
    Choice, HELD_SLOTS, STRANDS_BOOKINGS, new_template_form, refusal_view, template_values,
    weekdays,
};
use crate::web::staff::{Staff, require};

pub fn routes() -> Router<AppState> {
    let base = "/t/{tenant}/staff/vaccination/venues";
    Router::new()
        .route(base, get(page).post(venue_changes::add_venue))
        .route(&format!("{base}/{{id}}"), post(venue_changes::edit_venue))
        .route(
            &format!("{base}/{{id}}/active"),
            post(venue_changes::set_venue_active),
        )
        .route(
            &format!("{base}/{{id}}/templates"),
            post(venue_changes::add_template),
        )
        .route(
            &format!("{base}/templates/{{id}}"),
            post(venue_changes::edit_template),
        )
        .route(
            &format!("{base}/templates/{{id}}/delete"),
            post(venue_changes::delete_template),
        )
        .route(
            &format!("{base}/closures"),
            post(venue_changes::add_closure),
        )
        .route(
            &format!("{base}/closures/{{id}}/delete"),
            post(venue_changes::delete_closure),
        )
}

/// The venue's 種別 as stored and as the console names it.
pub(super) const VENUE_KINDS: [(&str, &str); 2] =
    [("group", "集団接種会場"), ("clinic", "医療機関")];

/// The labels of this page's fields, for the error summary.
pub(super) fn label(field: &str) -> &'static str {
    match field {
        "name" => "会場名",
        "venue_kind" => "種別",
        "vaccine" => "ワクチンの種類",
        "notice" => "会場からのお知らせ",
        "clerks" => "同時に接種できる人数",
        "counter" => "会場",
        other => field_label(other),
    }
}

/// The one-time message after a redirect, from a fixed list (nothing typed is echoed).
fn done_message(q: &HashMap<String, String>) -> Option<String> {
    let count = |name: &str| {
        q.get(name)
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0)
    };
    let (c, d, u) = (count("c"), count("d"), count("u"));
    let base = match q.get("done").map(String::as_str)? {
        "venue_added" => "接種会場を追加しました。続けて受付時間を追加してください。",
        "venue_saved" => "接種会場を保存しました。",
        "venue_deactivated" => "接種会場の受付を停止しました。",
        "venue_reactivated" => "接種会場の受付を再開しました。",
        "template_added" => "受付時間を追加しました。",
        "template_saved" => "受付時間を保存しました。",
        "template_deleted" => "受付時間を削除しました。",
        "closure_added" => "休業日を追加しました。",
        "closure_deleted" => "休業日を削除しました。",
        "unchanged" => return Some("変更はありませんでした。".to_string()),
        _ => return None,
    };
    if c + d + u == 0 {
        return Some(base.to_string());
    }
    Some(format!(
        "{base}予約枠を{c}件追加、{d}件削除、{u}件の定員を変更しました。"
    ))
}

pub(super) fn venue_form(key: String, v: Option<&Venue>) -> FormView {
    let field = |f: fn(&Venue) -> String| v.map(f).unwrap_or_default();
    FormView::new(
        key,
        &[
            ("name", field(|v| v.name.clone())),
            ("address", field(|v| v.address.clone())),
            ("directions", field(|v| v.directions.clone())),
            ("map_url", field(|v| v.map_url.clone().unwrap_or_default())),
            (
                "venue_kind",
                v.map_or_else(|| "group".to_string(), |v| v.venue_kind.clone()),
            ),
            ("vaccine", field(|v| v.vaccine.clone())),
            ("notice", field(|v| v.notice.clone())),
        ],
    )
}

#[derive(Serialize)]
struct TemplateView {
    id: i64,
    label: String,
    form: FormView,
}

#[derive(Serialize)]
struct VenueView {
    id: i64,
    name: String,
    kind: &'static str,
    vaccine: String,
    active: bool,
    form: FormView,
    templates: Vec<TemplateView>,
    add_template: FormView,
}

#[derive(Serialize)]
struct ClosureView {
    id: i64,
    days: String,
    place: String,
    reason: String,
    /// Set on the schedule page for every counter and venue: listed here, removed there.
    everywhere: bool,
}

/// What a failed save shows again: the form as typed, and the bookings in the way.
#[derive(Default)]
pub(super) struct Outcome {
    pub failed: Option<FormView>,
    pub refusal: Option<Refusal>,
}

pub(super) async fn render_page(
    app: &AppState,
    staff: &Staff,
    outcome: Outcome,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let tenant_id = staff.tenant.id;
    let today = app.clock.today();
    let failed = outcome.failed.as_ref();
    let venues = venues::all(&app.db, tenant_id).await?;
    let templates = schedule::templates(&app.db, tenant_id).await?;
    let closures = schedule::closures_from(&app.db, tenant_id, today, VACCINATION).await?;

    let venue_views: Vec<VenueView> = venues
        .iter()
        .map(|v| VenueView {
            id: v.id,
            name: v.name.clone(),
            kind: kind_label(&v.venue_kind),
            vaccine: v.vaccine.clone(),
            active: v.active,
            form: venue_form(format!("venue{}", v.id), Some(v)).or_failed(failed),
            templates: templates
                .iter()
                .filter(|t| t.counter_id == v.id)
                .map(|t| TemplateView {
                    id: t.id,
                    label: format!(
                        "{} {}〜{}",
                        weekday_label(t.weekday),
                        format_hhmm(t.opens_min),
                        format_hhmm(t.closes_min)
                    ),
                    form: template_values(t).or_failed(failed),
                })
                .collect(),
            add_template: new_template_form(v.id).or_failed(failed),
        })
        .collect();
    let names: HashMap<i64, &str> = venues.iter().map(|v| (v.id, v.name.as_str())).collect();
    let closure_views: Vec<ClosureView> = closures
        .iter()
        .map(|c| ClosureView {
            id: c.id,
            days: if c.first_day == c.last_day {
                format_date_with_weekday(c.first_day)
            } else {
                format!(
                    "{}〜{}",
                    format_date_with_weekday(c.first_day),
                    format_date_with_weekday(c.last_day)
                )
            },
            place: c.place_label(c.counter_id.and_then(|id| names.get(&id).copied())),
            reason: c.reason.clone(),
            // Every counter and venue: changed on the schedule page, not here.
            everywhere: c.counter_id.is_none() && c.service_kind.is_none(),
        })
        .collect();
    let mut closure_places = vec![Choice {
        value: "all".to_string(),
        label: "すべての接種会場".to_string(),
    }];
    closure_places.extend(venues.iter().filter(|v| v.active).map(|v| Choice {
        value: v.id.to_string(),
        label: v.name.clone(),
    }));
    let kinds: Vec<Choice> = VENUE_KINDS
        .iter()
        .map(|(value, label)| Choice {
            value: (*value).to_string(),
            label: (*label).to_string(),
        })
        .collect();
    let new_closure = FormView::new(
        "newclosure",
        &[
            ("first_day", String::new()),
            ("last_day", String::new()),
            (
                "counter",
                closure_places
                    .first()
                    .map(|c| c.value.clone())
                    .unwrap_or_default(),
            ),
            ("reason", String::new()),
        ],
    )
    .or_failed(failed);

    let mut ctx = staff.context();
    ctx.insert("today", &format_date_with_weekday(today));
    ctx.insert("venues", &venue_views);
    ctx.insert("kinds", &kinds);
    ctx.insert("weekdays", &weekdays());
    ctx.insert("closures", &closure_views);
    ctx.insert("closure_places", &closure_places);
    ctx.insert(
        "new_venue",
        &venue_form("newvenue".to_string(), None).or_failed(failed),
    );
    ctx.insert("new_closure", &new_closure);
    ctx.insert("done", &done);
    ctx.insert(
        "error_summary",
        &failed.map(|f| f.summary_with(label)).unwrap_or_default(),
    );
    ctx.insert("refusal", &outcome.refusal.as_ref().map(refusal_view));
    ctx.insert("refused_message", STRANDS_BOOKINGS);
    ctx.insert("held_message", HELD_SLOTS);
    ctx.insert("place_heading", "会場");
    Ok((status, render(app, "staff/vaccination/venues.html", &ctx)?).into_response())
}

fn kind_label(kind: &str) -> &'static str {
    VENUE_KINDS
        .iter()
        .find(|(value, _)| *value == kind)
        .map_or("集団接種会場", |(_, label)| label)
}

pub async fn page(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    Query(q): Query<HashMap<String, String>>,
    jar: CookieJar,
) -> Response {
    let staff = match require(&app, &jar, &slug, true).await {
        Ok(s) => s,
        Err(denied) => return denied.into_response(),
    };
    if !staff.offers_vaccination {
        return WebError::NotFound.into_response();
    }
    render_page(
        &app,
        &staff,
        Outcome::default(),
        done_message(&q),
        StatusCode::OK,
    )
    .await
    .into_response()
}

pub(super) fn redirect_done(
    staff: &Staff,
    code: &str,
    counts: Option<(usize, usize, usize)>,
    anchor: &str,
) -> Response {
    let counts = counts
        .map(|(c, d, u)| format!("&c={c}&d={d}&u={u}"))
        .unwrap_or_default();
    Redirect::to(&staff.url(&format!("/vaccination/venues?done={code}{counts}#{anchor}")))
        .into_response()
}

/// Saves a schedule change of a venue; on refusal shows the page again with what was typed
/// and the bookings in the way.
pub(super) async fn save(
    app: &AppState,
    staff: &Staff,
    change: ScheduleChange,
    typed: FormView,
    done: &str,
    anchor: &str,
) -> Response {
    let ctx = ChangeContext {
        tenant_id: staff.tenant.id,
        staff_user_id: Some(staff.user.id),
        today: app.clock.today(),
        now: app.clock.now_unix(),
    };
    match schedule::apply(&app.db, &ctx, &change).await {
        Ok(Applied::Saved { report, .. }) => redirect_done(
            staff,
            done,
            Some((report.created, report.deleted, report.capacity_changed)),
            anchor,
        ),
        Ok(Applied::Unchanged) => redirect_done(staff, "unchanged", None, anchor),
        Ok(Applied::NotFound) => WebError::NotFound.into_response(),
        Ok(Applied::Refused(refusal)) => render_page(
            app,
            staff,
            Outcome {
                failed: Some(typed),
                refusal: Some(refusal),
            },
            None,
            StatusCode::CONFLICT,
        )
        .await
        .into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

pub(super) async fn invalid(app: &AppState, staff: &Staff, typed: FormView) -> Response {
    render_page(
        app,
        staff,
        Outcome {
            failed: Some(typed),
            refusal: None,
        },
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
    .into_response()
}
