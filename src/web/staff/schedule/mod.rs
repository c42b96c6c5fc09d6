//! The schedule (admin only): counters, weekly opening hours, closures, the holiday rules
//! and the booking window. Every save re-materialises the slots from today on in the same
//! transaction, and is refused, with the bookings in the way listed, when it would take a
//! slot from people who booked it. The page is here; what each form saves, `changes.rs`.
use std::collections::HashMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Serialize;

use super::{Staff, require};
use crate::app::AppState;
use crate::core::grid::format_hhmm;
use crate::core::receipt::format_receipt;
use crate::core::resident_input::format_date_with_weekday;
use crate::db::schedule::{
    self, Applied, ChangeContext, Refusal, ScheduleChange, TemplateRecord, weekday_label,
};
use crate::db::slots::MaterialiseReport;
use crate::db::tenants::{self, CARD_PICKUP};
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::render;

pub(in crate::web::staff) mod changes;

use changes::{
    add_closure, add_counter, add_template, delete_closure, delete_template, edit_counter,
    edit_template, save_calendar, save_window, set_counter_active,
};
// The console's form helpers moved to `forms.rs`; pages that still name them here find them.
pub(super) use super::forms::{Fields, FormView, parse_line, parse_number, parse_url, typed};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff/schedule", get(page))
        .route("/t/{tenant}/staff/schedule/counters", post(add_counter))
        .route(
            "/t/{tenant}/staff/schedule/counters/{id}",
            post(edit_counter),
        )
        .route(
            "/t/{tenant}/staff/schedule/counters/{id}/active",
            post(set_counter_active),
        )
        .route("/t/{tenant}/staff/schedule/templates", post(add_template))
        .route(
            "/t/{tenant}/staff/schedule/templates/{id}",
            post(edit_template),
        )
        .route(
            "/t/{tenant}/staff/schedule/templates/{id}/delete",
            post(delete_template),
        )
        .route("/t/{tenant}/staff/schedule/closures", post(add_closure))
        .route(
            "/t/{tenant}/staff/schedule/closures/{id}/delete",
            post(delete_closure),
        )
        .route("/t/{tenant}/staff/schedule/calendar", post(save_calendar))
        .route("/t/{tenant}/staff/schedule/window", post(save_window))
}

/// Shown when a change would strand bookings.
pub const STRANDS_BOOKINGS: &str = "この変更を保存すると、次の予約が受けられなくなります。";
/// Shown when only short holds are in the way.
pub const HELD_SLOTS: &str = "仮押さえ中の枠があります。数分後にもう一度お試しください。";

/// The one-time message after a redirect, chosen from a fixed list (nothing typed is
/// echoed); `c`, `d` and `u` count the slots created, deleted and resized.
fn done_message(q: &HashMap<String, String>) -> Option<String> {
    let count = |name: &str| {
        q.get(name)
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0)
    };
    let (c, d, u) = (count("c"), count("d"), count("u"));
    let base = match q.get("done").map(String::as_str)? {
        "counter_added" => "窓口を追加しました。",
        "counter_saved" => "窓口を保存しました。",
        "counter_deactivated" => "窓口の受付を停止しました。",
        "counter_reactivated" => "窓口の受付を再開しました。",
        "template_added" => "受付時間を追加しました。",
        "template_saved" => "受付時間を保存しました。",
        "template_deleted" => "受付時間を削除しました。",
        "closure_added" => "休業日を追加しました。",
        "closure_deleted" => "休業日を削除しました。",
        "calendar_saved" => "祝日・年末年始の設定を保存しました。",
        "window_saved" => "予約受付期間を保存しました。",
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

// ---- the page ----------------------------------------------------------------------------

#[derive(Serialize)]
struct TemplateView {
    id: i64,
    label: String,
    form: FormView,
}

#[derive(Serialize)]
struct CounterView {
    id: i64,
    name: String,
    active: bool,
    pinned: bool,
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
}

#[derive(Serialize)]
pub(in crate::web::staff) struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Serialize)]
pub(in crate::web::staff) struct AffectedView {
    /// For the link to the booking's console page, where it can be moved or cancelled.
    booking_id: i64,
    receipt: String,
    when: String,
    counter: String,
    party: i32,
}

#[derive(Serialize)]
pub(in crate::web::staff) struct RefusalView {
    bookings: Vec<AffectedView>,
    held: bool,
}

pub(in crate::web::staff) fn refusal_view(r: &Refusal) -> RefusalView {
    RefusalView {
        bookings: r
            .bookings
            .iter()
            .map(|b| AffectedView {
                booking_id: b.booking_id,
                receipt: format_receipt(&b.receipt_number),
                when: format!(
                    "{} {}〜{}",
                    format_date_with_weekday(b.day),
                    format_hhmm(b.start_min),
                    format_hhmm(b.end_min)
                ),
                counter: b.counter_name.clone(),
                party: b.party_size,
            })
            .collect(),
        held: r.held,
    }
}

pub(in crate::web::staff) fn weekdays() -> Vec<Choice> {
    (1..=7)
        .map(|n| Choice {
            value: n.to_string(),
            label: weekday_label(n).to_string(),
        })
        .collect()
}

pub(in crate::web::staff) fn template_values(t: &TemplateRecord) -> FormView {
    FormView::new(
        format!("template{}", t.id),
        &[
            ("weekday", t.weekday.to_string()),
            ("opens", format_hhmm(t.opens_min)),
            ("closes", format_hhmm(t.closes_min)),
            ("slot_min", t.slot_min.to_string()),
            ("clerks", t.clerks.to_string()),
        ],
    )
}

pub(in crate::web::staff) fn new_template_form(counter_id: i64) -> FormView {
    FormView::new(
        format!("newtemplate{counter_id}"),
        &[
            ("counter", counter_id.to_string()),
            ("weekday", "1".to_string()),
            ("opens", String::new()),
            ("closes", String::new()),
            ("slot_min", "15".to_string()),
            ("clerks", "1".to_string()),
        ],
    )
}

/// What a failed or refused save brings back to the page.
#[derive(Default)]
struct Outcome {
    failed: Option<FormView>,
    refusal: Option<Refusal>,
}

async fn render_page(
    app: &AppState,
    staff: &Staff,
    outcome: Outcome,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let tenant = &staff.tenant;
    let today = app.clock.today();
    let failed = outcome.failed.as_ref();
    let counters = tenants::all_counters(&app.db, tenant.id).await?;
    let templates = schedule::templates(&app.db, tenant.id).await?;
    let closures = schedule::closures_from(&app.db, tenant.id, today, CARD_PICKUP).await?;
    let pending = schedule::pending_conflicts(&app.db, tenant.id, today).await?;

    let counter_views: Vec<CounterView> = counters
        .iter()
        .map(|c| CounterView {
            id: c.id,
            name: c.name.clone(),
            active: c.active,
            pinned: tenant.pinned_counter_id == Some(c.id),
            form: FormView::new(
                format!("counter{}", c.id),
                &[
                    ("name", c.name.clone()),
                    ("address", c.address.clone()),
                    ("directions", c.directions.clone()),
                    ("map_url", c.map_url.clone().unwrap_or_default()),
                ],
            )
            .or_failed(failed),
            templates: templates
                .iter()
                .filter(|t| t.counter_id == c.id)
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
            add_template: new_template_form(c.id).or_failed(failed),
        })
        .collect();
    let names: HashMap<i64, &str> = counters.iter().map(|c| (c.id, c.name.as_str())).collect();
    // Without vaccination, every counter is every card-pickup counter: one choice, named so.
    // With it, closing the counters and closing the venues too are two choices.
    let everywhere = if staff.offers_vaccination {
        "すべての窓口・接種会場"
    } else {
        "すべての窓口"
    };
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
            place: match (c.counter_id, &c.service_kind) {
                (Some(id), _) => names.get(&id).copied().unwrap_or("").to_string(),
                (None, None) => everywhere.to_string(),
                (None, Some(_)) => c.place_label(None),
            },
            reason: c.reason.clone(),
        })
        .collect();
    let mut closure_places = Vec::new();
    if staff.offers_vaccination {
        closure_places.push(Choice {
            value: "all".to_string(),
            label: "すべての窓口(接種会場は除く)".to_string(),
        });
    }
    closure_places.push(Choice {
        value: String::new(),
        label: everywhere.to_string(),
    });
    closure_places.extend(counters.iter().filter(|c| c.active).map(|c| Choice {
        value: c.id.to_string(),
        label: c.name.clone(),
    }));

    let new_counter = FormView::new(
        "newcounter",
        &[
            ("name", String::new()),
            ("address", String::new()),
            ("directions", String::new()),
            ("map_url", String::new()),
        ],
    )
    .or_failed(failed);
    let new_closure = FormView::new(
        "newclosure",
        &[
            ("first_day", String::new()),
            ("last_day", String::new()),
            ("counter", String::new()),
            ("reason", String::new()),
        ],
    )
    .or_failed(failed);
    let flag = |b: bool| if b { "1".to_string() } else { String::new() };
    let calendar = FormView::new(
        "calendar",
        &[
            ("close_on_holidays", flag(tenant.close_on_holidays)),
            ("close_year_end", flag(tenant.close_year_end)),
        ],
    )
    .or_failed(failed);
    let window = FormView::new(
        "window",
        &[(
            "booking_window_days",
            tenant.booking_window_days.to_string(),
        )],
    )
    .or_failed(failed);

    let mut ctx = staff.context();
    ctx.insert("today", &format_date_with_weekday(today));
    ctx.insert("counters", &counter_views);
    ctx.insert("weekdays", &weekdays());
    ctx.insert("closures", &closure_views);
    ctx.insert("closure_places", &closure_places);
    ctx.insert("new_counter", &new_counter);
    ctx.insert("new_closure", &new_closure);
    ctx.insert("calendar", &calendar);
    ctx.insert("window", &window);
    ctx.insert("done", &done);
    ctx.insert(
        "error_summary",
        &failed.map(FormView::summary).unwrap_or_default(),
    );
    ctx.insert("refusal", &outcome.refusal.as_ref().map(refusal_view));
    ctx.insert("refused_message", STRANDS_BOOKINGS);
    ctx.insert("held_message", HELD_SLOTS);
    ctx.insert(
        "pending",
        &(!pending.is_empty()).then(|| refusal_view(&pending)),
    );
    Ok((status, render(app, "staff/schedule.html", &ctx)?).into_response())
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

// ---- saving --------------------------------------------------------------------------------

/// A counter id from a form; None (answered 404) for anything else. Ids in the URL are
/// parsed by [`PathParams`].
pub(in crate::web::staff) fn form_id(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().filter(|id| *id > 0)
}

fn redirect_done(
    staff: &Staff,
    code: &str,
    report: Option<&MaterialiseReport>,
    anchor: &str,
) -> Response {
    let counts = report
        .map(|r| format!("&c={}&d={}&u={}", r.created, r.deleted, r.capacity_changed))
        .unwrap_or_default();
    Redirect::to(&staff.url(&format!("/schedule?done={code}{counts}#{anchor}"))).into_response()
}

/// Saves `change`; on refusal or a clash shows the page again with what was typed.
async fn save(
    app: &AppState,
    staff: &Staff,
    change: ScheduleChange,
    mut typed: FormView,
    done: &str,
    anchor: &str,
) -> Response {
    let ctx = ChangeContext {
        tenant_id: staff.tenant.id,
        staff_user_id: Some(staff.user.id),
        today: app.clock.today(),
        now: app.clock.now_unix(),
    };
    let outcome = match schedule::apply(&app.db, &ctx, &change).await {
        Ok(Applied::Saved { report, .. }) => {
            return redirect_done(staff, done, Some(&report), anchor);
        }
        Ok(Applied::Unchanged) => return redirect_done(staff, "unchanged", None, anchor),
        Ok(Applied::NotFound) => return WebError::NotFound.into_response(),
        Ok(Applied::Refused(refusal)) => Outcome {
            failed: Some(typed),
            refusal: Some(refusal),
        },
        Err(e)
            if e.is_unique_violation()
                && matches!(
                    change,
                    ScheduleChange::AddCounter(_) | ScheduleChange::EditCounter { .. }
                ) =>
        {
            typed.error(
                "name",
                "同じ名前の窓口がすでにあります。別の名前にしてください。",
            );
            Outcome {
                failed: Some(typed),
                refusal: None,
            }
        }
        Err(e) => return WebError::from(e).into_response(),
    };
    let status = if outcome.refusal.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_page(app, staff, outcome, None, status)
        .await
        .into_response()
}

async fn invalid(app: &AppState, staff: &Staff, typed: FormView) -> Response {
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
