//! What each form of the schedule page saves: counters, weekly hours, closures, the holiday
//! rules and the booking window, each read from what was typed and saved through
//! [`super::save`], which refuses a change that would strand bookings.
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;

use super::super::forms::{
    Fields, FormView, parse_day, parse_line, parse_number, parse_time, parse_url, typed,
};
use super::super::{Staff, admin_post};
use super::{Outcome, form_id, invalid, render_page, save};
use crate::app::AppState;
use crate::core::grid::format_hhmm;
use crate::core::resident_input::fold_digits;
use crate::db::schedule::{self, CounterFields, ScheduleChange, TemplateFields, TemplateRecord};
use crate::db::tenants;
use crate::db::tenants::CARD_PICKUP;
use crate::web::PathParams;
use crate::web::error::WebError;

const COUNTER_FIELDS: [&str; 4] = ["name", "address", "directions", "map_url"];

fn counter_fields(view: &mut FormView, form: &Fields) -> Option<CounterFields> {
    let name = view.check("name", parse_line(&typed(form, "name"), 50, true));
    let address = view.check("address", parse_line(&typed(form, "address"), 200, false));
    let directions = view.check(
        "directions",
        parse_line(&typed(form, "directions"), 300, false),
    );
    let map_url = view.check("map_url", parse_url(&typed(form, "map_url")));
    Some(CounterFields {
        name: name?,
        address: address?,
        directions: directions?,
        map_url: map_url?,
    })
}

pub async fn add_counter(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut view = FormView::typed("newcounter", &form, &COUNTER_FIELDS);
    let Some(fields) = counter_fields(&mut view, &form) else {
        return invalid(&app, &staff, view).await;
    };
    save(
        &app,
        &staff,
        ScheduleChange::AddCounter(fields),
        view,
        "counter_added",
        "counters",
    )
    .await
}

pub async fn edit_counter(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut view = FormView::typed(format!("counter{id}"), &form, &COUNTER_FIELDS);
    let Some(fields) = counter_fields(&mut view, &form) else {
        return invalid(&app, &staff, view).await;
    };
    save(
        &app,
        &staff,
        ScheduleChange::EditCounter { id, fields },
        view,
        "counter_saved",
        &format!("counter{id}"),
    )
    .await
}

pub async fn set_counter_active(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let active = typed(&form, "active") == "1";
    let mut view = FormView::new(format!("counter{id}"), &[]);
    if !active && staff.tenant.pinned_counter_id == Some(id) {
        // Keep the counter's edit form as stored; only the message is new.
        view.error(
            "active",
            "この窓口は設定画面の「窓口の固定」で選ばれています。先に固定を解除してください。",
        );
        return render_page(
            &app,
            &staff,
            Outcome {
                failed: Some(counter_form_as_stored(&app, &staff, id, view).await),
                refusal: None,
            },
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await
        .into_response();
    }
    let (done, key) = if active {
        ("counter_reactivated", format!("counter{id}"))
    } else {
        ("counter_deactivated", format!("counter{id}"))
    };
    let view = counter_form_as_stored(&app, &staff, id, view).await;
    save(
        &app,
        &staff,
        ScheduleChange::SetCounterActive { id, active },
        view,
        done,
        &key,
    )
    .await
}

/// The counter's edit form with its stored values and `view`'s messages.
async fn counter_form_as_stored(
    app: &AppState,
    staff: &Staff,
    id: i64,
    view: FormView,
) -> FormView {
    let counters = tenants::all_counters(&app.db, staff.tenant.id)
        .await
        .unwrap_or_default();
    let mut stored = match counters.iter().find(|c| c.id == id) {
        Some(c) => FormView::new(
            view.key.clone(),
            &[
                ("name", c.name.clone()),
                ("address", c.address.clone()),
                ("directions", c.directions.clone()),
                ("map_url", c.map_url.clone().unwrap_or_default()),
            ],
        ),
        None => FormView::new(view.key.clone(), &[]),
    };
    stored.errors = view.errors;
    stored
}

pub(in crate::web::staff) const TEMPLATE_FIELDS: [&str; 5] =
    ["weekday", "opens", "closes", "slot_min", "clerks"];

/// Checks the typed hours; `others` are the counter's other templates, which must not overlap.
pub(in crate::web::staff) fn template_fields(
    view: &mut FormView,
    form: &Fields,
    others: &[&TemplateRecord],
) -> Option<TemplateFields> {
    let weekday = view.check(
        "weekday",
        fold_digits(&typed(form, "weekday"))
            .parse::<i32>()
            .ok()
            .filter(|d| (1..=7).contains(d))
            .ok_or_else(|| "曜日を選んでください。".to_string()),
    );
    let opens = view.check("opens", parse_time(&typed(form, "opens")));
    let closes = view.check("closes", parse_time(&typed(form, "closes")));
    let slot_min = view.check(
        "slot_min",
        parse_number(&typed(form, "slot_min"), 5, 240, &["分"]),
    );
    let clerks = view.check(
        "clerks",
        parse_number(&typed(form, "clerks"), 1, 50, &["人", "名"]),
    );
    if let (Some(opens), Some(closes)) = (opens, closes)
        && closes <= opens
    {
        view.error("closes", "終了時刻は開始時刻より後にしてください。");
        return None;
    }
    if let (Some(opens), Some(closes), Some(slot_min)) = (opens, closes, slot_min)
        && closes - opens < slot_min
    {
        view.error(
            "slot_min",
            format!(
                "開始から終了までが{}分しかありません。1枠の分数をそれ以下にしてください。",
                closes - opens
            ),
        );
        return None;
    }
    let fields = TemplateFields {
        weekday: weekday?,
        opens_min: opens?,
        closes_min: closes?,
        slot_min: slot_min?,
        clerks: clerks?,
    };
    if let Some(other) = others.iter().find(|t| {
        t.weekday == fields.weekday
            && t.opens_min < fields.closes_min
            && fields.opens_min < t.closes_min
    }) {
        view.error(
            "opens",
            format!(
                "同じ曜日の受付時間({}〜{})と重なっています。",
                format_hhmm(other.opens_min),
                format_hhmm(other.closes_min)
            ),
        );
        return None;
    }
    Some(fields)
}

pub async fn add_template(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(counter_id) = form_id(&typed(&form, "counter")) else {
        return WebError::NotFound.into_response();
    };
    let templates = match schedule::templates(&app.db, staff.tenant.id).await {
        Ok(t) => t,
        Err(e) => return WebError::from(e).into_response(),
    };
    let others: Vec<&TemplateRecord> = templates
        .iter()
        .filter(|t| t.counter_id == counter_id)
        .collect();
    let mut names = vec!["counter"];
    names.extend(TEMPLATE_FIELDS);
    let mut view = FormView::typed(format!("newtemplate{counter_id}"), &form, &names);
    let Some(fields) = template_fields(&mut view, &form, &others) else {
        return invalid(&app, &staff, view).await;
    };
    save(
        &app,
        &staff,
        ScheduleChange::AddTemplate { counter_id, fields },
        view,
        "template_added",
        &format!("templates{counter_id}"),
    )
    .await
}

pub async fn edit_template(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let templates = match schedule::templates(&app.db, staff.tenant.id).await {
        Ok(t) => t,
        Err(e) => return WebError::from(e).into_response(),
    };
    let Some(this) = templates.iter().find(|t| t.id == id) else {
        return WebError::NotFound.into_response();
    };
    let others: Vec<&TemplateRecord> = templates
        .iter()
        .filter(|t| t.counter_id == this.counter_id && t.id != id)
        .collect();
    let mut view = FormView::typed(format!("template{id}"), &form, &TEMPLATE_FIELDS);
    let Some(fields) = template_fields(&mut view, &form, &others) else {
        return invalid(&app, &staff, view).await;
    };
    save(
        &app,
        &staff,
        ScheduleChange::EditTemplate { id, fields },
        view,
        "template_saved",
        &format!("templates{}", this.counter_id),
    )
    .await
}

pub async fn delete_template(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    // On refusal the row shows as stored: the page builds it from storage.
    let view = FormView::new(format!("template{id}-delete"), &[]);
    save(
        &app,
        &staff,
        ScheduleChange::DeleteTemplate { id },
        view,
        "template_deleted",
        "templates",
    )
    .await
}

const CLOSURE_FIELDS: [&str; 4] = ["first_day", "last_day", "counter", "reason"];

pub async fn add_closure(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let today = app.clock.today();
    let mut view = FormView::typed("newclosure", &form, &CLOSURE_FIELDS);
    let first = view.check("first_day", parse_day(&typed(&form, "first_day"), today));
    let last = if fold_digits(&typed(&form, "last_day")).is_empty() {
        first
    } else {
        view.check("last_day", parse_day(&typed(&form, "last_day"), today))
    };
    // "" closes every counter and venue of the municipality, "all" every card-pickup
    // counter (the venues stay open), a number that counter.
    let service_kind = (typed(&form, "counter").trim() == "all").then_some(CARD_PICKUP);
    let counter_id = match typed(&form, "counter").trim() {
        "" | "all" => Some(None),
        raw => view.check(
            "counter",
            raw.parse::<i64>()
                .map(Some)
                .map_err(|_| "窓口を選んでください。".to_string()),
        ),
    };
    let reason = view.check("reason", parse_line(&typed(&form, "reason"), 100, true));
    if let (Some(first), Some(last)) = (first, last) {
        if last < first {
            view.error(
                "last_day",
                "終了日は開始日と同じか、それより後にしてください。",
            );
        } else if last < today {
            view.error("last_day", "過去の日付だけの休業日は登録できません。");
        }
    }
    let (Some(first_day), Some(last_day), Some(counter_id), Some(reason), true) =
        (first, last, counter_id, reason, view.errors.is_empty())
    else {
        return invalid(&app, &staff, view).await;
    };
    save(
        &app,
        &staff,
        ScheduleChange::AddClosure {
            counter_id,
            service_kind,
            first_day,
            last_day,
            reason,
        },
        view,
        "closure_added",
        "closures",
    )
    .await
}

pub async fn delete_closure(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let view = FormView::new(format!("closure{id}-delete"), &[]);
    save(
        &app,
        &staff,
        ScheduleChange::DeleteClosure { id },
        view,
        "closure_deleted",
        "closures",
    )
    .await
}

pub async fn save_calendar(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let close_on_holidays = form.contains_key("close_on_holidays");
    let close_year_end = form.contains_key("close_year_end");
    let flag = |b: bool| if b { "1".to_string() } else { String::new() };
    let view = FormView::new(
        "calendar",
        &[
            ("close_on_holidays", flag(close_on_holidays)),
            ("close_year_end", flag(close_year_end)),
        ],
    );
    save(
        &app,
        &staff,
        ScheduleChange::SetCalendar {
            close_on_holidays,
            close_year_end,
        },
        view,
        "calendar_saved",
        "calendar",
    )
    .await
}

pub async fn save_window(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut view = FormView::typed("window", &form, &["booking_window_days"]);
    let window = view.check(
        "booking_window_days",
        parse_number(
            &typed(&form, "booking_window_days"),
            0,
            365,
            &["日先まで", "日先", "日"],
        ),
    );
    let Some(booking_window_days) = window else {
        return invalid(&app, &staff, view).await;
    };
    save(
        &app,
        &staff,
        ScheduleChange::SetWindow {
            booking_window_days,
        },
        view,
        "window_saved",
        "window",
    )
    .await
}
