//! 予約確認のお知らせ (admin only; issue 13): each offered service's list of reminders, each
//! "N days before the visit at HH:MM", which the reminder job (`web::reminders`) sends. An
//! admin adds a time, switches one off and on, or deletes it; each change writes its audit
//! entry in the same transaction. The mail itself is worded under メールの文面.
use std::collections::HashMap;

use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Serialize;

use super::schedule::{Fields, FormView, typed};
use super::{Staff, admin_post, require};
use crate::app::AppState;
use crate::core::reminders::{self as timing, MAX_DAYS_BEFORE, TimeProblem};
use crate::db::reminders::{self, Added};
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::render;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff/reminders", get(page).post(add))
        .route("/t/{tenant}/staff/reminders/{id}/active", post(switch))
        .route("/t/{tenant}/staff/reminders/{id}/delete", post(delete))
}

/// The add form's fields (its key is `add` and the service's id, one form per service).
const FIELDS: [&str; 2] = ["days_before", "at"];

fn add_key(service_id: i64) -> String {
    format!("add{service_id}")
}

fn done_message(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "added" => "お知らせの送信時刻を追加しました。",
        "stopped" => "お知らせの送信を停止しました。",
        "resumed" => "お知らせの送信を再開しました。",
        "deleted" => "お知らせの送信時刻を削除しました。",
        _ => return None,
    })
}

fn label(field: &str) -> &'static str {
    match field {
        "days_before" => "何日前",
        "at" => "送信時刻",
        _ => "入力",
    }
}

#[derive(Serialize)]
struct RuleView {
    id: i64,
    /// 「前日 12:00」.
    when: String,
    active: bool,
}

#[derive(Serialize)]
struct ServiceView {
    id: i64,
    name: String,
    rules: Vec<RuleView>,
    form: FormView,
}

async fn render_page(
    app: &AppState,
    staff: &Staff,
    failed: Option<FormView>,
    done: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let services = reminders::services_of(&app.db, staff.tenant.id).await?;
    let rules = reminders::rules_of(&app.db, staff.tenant.id).await?;
    let views: Vec<ServiceView> = services
        .into_iter()
        .map(|service| ServiceView {
            rules: rules
                .iter()
                .filter(|r| r.service_id == service.id)
                .map(|r| RuleView {
                    id: r.id,
                    when: r.time.describe_ja(),
                    active: r.active,
                })
                .collect(),
            form: FormView::new(add_key(service.id), &[]).or_failed(failed.as_ref()),
            id: service.id,
            name: service.name,
        })
        .collect();
    let mut ctx = staff.context();
    ctx.insert("services", &views);
    ctx.insert("max_days_before", &MAX_DAYS_BEFORE);
    ctx.insert("done", &done);
    ctx.insert(
        "error_summary",
        &failed
            .as_ref()
            .map(|f| f.summary_with(label))
            .unwrap_or_default(),
    );
    ctx.insert("refusal", &None::<()>);
    Ok((status, render(app, "staff/reminders.html", &ctx)?).into_response())
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
        None,
        done_message(q.get("done").map(String::as_str)),
        StatusCode::OK,
    )
    .await
    .into_response()
}

fn redirect_done(staff: &Staff, code: &str, anchor: &str) -> Response {
    Redirect::to(&staff.url(&format!("/reminders?done={code}#{anchor}"))).into_response()
}

async fn invalid(app: &AppState, staff: &Staff, view: FormView) -> Response {
    render_page(
        app,
        staff,
        Some(view),
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
    .into_response()
}

/// The messages next to the add form's fields.
fn problem_message(problem: TimeProblem) -> (&'static str, String) {
    match problem {
        TimeProblem::DaysBefore => (
            "days_before",
            format!("0から{MAX_DAYS_BEFORE}までの数字で入力してください(0は予約日当日、1は前日)。"),
        ),
        TimeProblem::AtTime => (
            "at",
            "時刻は「12:00」のように、時と分をコロンで区切って入力してください。".to_string(),
        ),
    }
}

pub async fn add(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    // A service id that is not a number, or not one of this municipality's services, is
    // not found: the form only ever sends its own.
    let Ok(service_id) = typed(&form, "service").parse::<i64>() else {
        return WebError::NotFound.into_response();
    };
    let mut view = FormView::typed(add_key(service_id), &form, &FIELDS);
    let time = match timing::parse(&typed(&form, "days_before"), &typed(&form, "at")) {
        Ok(time) => time,
        Err(problems) => {
            for (field, message) in problems.into_iter().map(problem_message) {
                view.error(field, message);
            }
            return match reminders::services_of(&app.db, staff.tenant.id).await {
                Ok(s) if s.iter().any(|s| s.id == service_id) => invalid(&app, &staff, view).await,
                Ok(_) => WebError::NotFound.into_response(),
                Err(e) => WebError::from(e).into_response(),
            };
        }
    };
    match reminders::add(&app.db, &staff.action(&app), service_id, time).await {
        Ok(Added::Added) => redirect_done(&staff, "added", &format!("service{service_id}")),
        Ok(Added::AlreadyListed) => {
            view.error(
                "at",
                format!("{}のお知らせはすでにあります。", time.describe_ja()),
            );
            invalid(&app, &staff, view).await
        }
        Ok(Added::NoSuchService) => WebError::NotFound.into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

pub async fn switch(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let active = match typed(&form, "active").as_str() {
        "1" => true,
        "0" => false,
        _ => return WebError::BadInput.into_response(),
    };
    match reminders::set_active(&app.db, &staff.action(&app), id, active).await {
        Ok(true) => redirect_done(
            &staff,
            if active { "resumed" } else { "stopped" },
            &format!("reminder{id}"),
        ),
        Ok(false) => WebError::NotFound.into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

pub async fn delete(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match reminders::delete(&app.db, &staff.action(&app), id).await {
        Ok(true) => redirect_done(&staff, "deleted", "reminders"),
        Ok(false) => WebError::NotFound.into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}
