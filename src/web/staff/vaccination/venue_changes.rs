//! What each form of the 接種会場 page saves. Every id is checked to be a venue of this
//! municipality (a card-pickup counter's id is "not found" here, as another
//! municipality's is).
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;

use super::venues::{VENUE_KINDS, invalid, redirect_done, save};
use crate::app::AppState;
use crate::core::resident_input::fold_digits;
use crate::db::schedule::{self, ScheduleChange, TemplateRecord};
use crate::db::vaccination::VACCINATION;
use crate::db::venues::{self, VenueFields, VenueSaved};
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::staff::forms::{Fields, FormView, parse_day, parse_line, parse_url, typed};
use crate::web::staff::schedule::changes::{TEMPLATE_FIELDS, template_fields};
use crate::web::staff::settings::parse_body;
use crate::web::staff::{Staff, admin_post};

/// The admin behind a form post (CSRF checked), when the municipality offers vaccination.
async fn venue_admin(
    app: &AppState,
    jar: &CookieJar,
    slug: &str,
    form: &Fields,
) -> Result<Staff, Response> {
    let staff = admin_post(app, jar, slug, form).await?;
    if !staff.offers_vaccination {
        return Err(WebError::NotFound.into_response());
    }
    Ok(staff)
}

const VENUE_FIELDS: [&str; 7] = [
    "name",
    "address",
    "directions",
    "map_url",
    "venue_kind",
    "vaccine",
    "notice",
];

fn venue_fields(view: &mut FormView, form: &Fields) -> Option<VenueFields> {
    let name = view.check("name", parse_line(&typed(form, "name"), 50, true));
    let address = view.check("address", parse_line(&typed(form, "address"), 200, false));
    let directions = view.check(
        "directions",
        parse_line(&typed(form, "directions"), 300, false),
    );
    let map_url = view.check("map_url", parse_url(&typed(form, "map_url")));
    let kind = typed(form, "venue_kind");
    let venue_kind = view.check(
        "venue_kind",
        VENUE_KINDS
            .iter()
            .find(|(value, _)| *value == kind)
            .map(|(value, _)| (*value).to_string())
            .ok_or_else(|| "集団接種会場か医療機関かを選んでください。".to_string()),
    );
    let vaccine = view.check(
        "vaccine",
        parse_line(&typed(form, "vaccine"), 50, true).map_err(|e| {
            if e == "入力してください。" {
                "この会場で接種するワクチンの種類(例:ファイザー、モデルナ)を入力してください。"
                    .to_string()
            } else {
                e
            }
        }),
    );
    let notice = view.check("notice", parse_body(&typed(form, "notice"), 2000));
    Some(VenueFields {
        name: name?,
        address: address?,
        directions: directions?,
        map_url: map_url?,
        venue_kind: venue_kind?,
        vaccine: vaccine?,
        notice: notice?,
    })
}

const SAME_NAME: &str = "同じ名前の窓口または接種会場がすでにあります。別の名前にしてください。";

pub async fn add_venue(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match venue_admin(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut view = FormView::typed("newvenue", &form, &VENUE_FIELDS);
    let Some(fields) = venue_fields(&mut view, &form) else {
        return invalid(&app, &staff, view).await;
    };
    match venues::create(&app.db, &staff.action(&app), &fields).await {
        Ok(id) => redirect_done(&staff, "venue_added", None, &format!("templates{id}")),
        Err(e) if e.is_unique_violation() => {
            view.error("name", SAME_NAME);
            invalid(&app, &staff, view).await
        }
        Err(e) => WebError::from(e).into_response(),
    }
}

pub async fn edit_venue(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match venue_admin(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut view = FormView::typed(format!("venue{id}"), &form, &VENUE_FIELDS);
    let Some(fields) = venue_fields(&mut view, &form) else {
        return match venues::find(&app.db, staff.tenant.id, id).await {
            Ok(Some(_)) => invalid(&app, &staff, view).await,
            Ok(None) => WebError::NotFound.into_response(),
            Err(e) => WebError::from(e).into_response(),
        };
    };
    let anchor = format!("venue{id}");
    match venues::update(&app.db, &staff.action(&app), id, &fields).await {
        Ok(VenueSaved::Saved) => redirect_done(&staff, "venue_saved", None, &anchor),
        Ok(VenueSaved::Unchanged) => redirect_done(&staff, "unchanged", None, &anchor),
        Ok(VenueSaved::NotFound) => WebError::NotFound.into_response(),
        Err(e) if e.is_unique_violation() => {
            view.error("name", SAME_NAME);
            invalid(&app, &staff, view).await
        }
        Err(e) => WebError::from(e).into_response(),
    }
}

/// Whether `id` is a venue of the municipality; `Err` is the response to give otherwise.
async fn known_venue(app: &AppState, staff: &Staff, id: i64) -> Result<venues::Venue, Response> {
    match venues::find(&app.db, staff.tenant.id, id).await {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(WebError::NotFound.into_response()),
        Err(e) => Err(WebError::from(e).into_response()),
    }
}

pub async fn set_venue_active(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match venue_admin(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let venue = match known_venue(&app, &staff, id).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let active = typed(&form, "active") == "1";
    // On refusal the venue's form shows as stored.
    let view = super::venues::venue_form(format!("venue{id}"), Some(&venue));
    let done = if active {
        "venue_reactivated"
    } else {
        "venue_deactivated"
    };
    save(
        &app,
        &staff,
        ScheduleChange::SetCounterActive { id, active },
        view,
        done,
        &format!("venue{id}"),
    )
    .await
}

/// The venue templates of the municipality (every template of its venues).
async fn venue_templates(app: &AppState, staff: &Staff) -> Result<Vec<TemplateRecord>, Response> {
    let all = schedule::templates(&app.db, staff.tenant.id)
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    let venue_ids: Vec<i64> = venues::all(&app.db, staff.tenant.id)
        .await
        .map_err(|e| WebError::from(e).into_response())?
        .iter()
        .map(|v| v.id)
        .collect();
    Ok(all
        .into_iter()
        .filter(|t| venue_ids.contains(&t.counter_id))
        .collect())
}

pub async fn add_template(
    State(app): State<AppState>,
    PathParams((slug, venue_id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match venue_admin(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(r) = known_venue(&app, &staff, venue_id).await {
        return r;
    }
    let templates = match venue_templates(&app, &staff).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let others: Vec<&TemplateRecord> = templates
        .iter()
        .filter(|t| t.counter_id == venue_id)
        .collect();
    let mut names = vec!["counter"];
    names.extend(TEMPLATE_FIELDS);
    let mut view = FormView::typed(format!("newtemplate{venue_id}"), &form, &names);
    view.values
        .insert("counter".to_string(), venue_id.to_string());
    let Some(fields) = template_fields(&mut view, &form, &others) else {
        return invalid(&app, &staff, view).await;
    };
    save(
        &app,
        &staff,
        ScheduleChange::AddTemplate {
            counter_id: venue_id,
            fields,
        },
        view,
        "template_added",
        &format!("templates{venue_id}"),
    )
    .await
}

pub async fn edit_template(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match venue_admin(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let templates = match venue_templates(&app, &staff).await {
        Ok(t) => t,
        Err(r) => return r,
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
    let staff = match venue_admin(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let templates = match venue_templates(&app, &staff).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let Some(this) = templates.iter().find(|t| t.id == id) else {
        return WebError::NotFound.into_response();
    };
    let view = FormView::new(format!("template{id}-delete"), &[]);
    save(
        &app,
        &staff,
        ScheduleChange::DeleteTemplate { id },
        view,
        "template_deleted",
        &format!("templates{}", this.counter_id),
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
    let staff = match venue_admin(&app, &jar, &slug, &form).await {
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
    // A venue's closure closes that venue only, "all" every venue (card pickup's counters
    // stay open); closing every counter and venue at once is the schedule page's.
    let chosen = typed(&form, "counter");
    let venue_id = match chosen.trim().parse::<i64>() {
        _ if chosen.trim() == "all" => Some(None),
        Ok(id) => match venues::find(&app.db, staff.tenant.id, id).await {
            Ok(Some(_)) => Some(Some(id)),
            Ok(None) => return WebError::NotFound.into_response(),
            Err(e) => return WebError::from(e).into_response(),
        },
        Err(_) => {
            view.error("counter", "会場を選んでください。");
            None
        }
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
    let (Some(first_day), Some(last_day), Some(venue_id), Some(reason), true) =
        (first, last, venue_id, reason, view.errors.is_empty())
    else {
        return invalid(&app, &staff, view).await;
    };
    save(
        &app,
        &staff,
        ScheduleChange::AddClosure {
            counter_id: venue_id,
            service_kind: venue_id.is_none().then_some(VACCINATION),
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
    let staff = match venue_admin(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let closures =
        match schedule::closures_from(&app.db, staff.tenant.id, app.clock.today(), VACCINATION)
            .await
        {
            Ok(c) => c,
            Err(e) => return WebError::from(e).into_response(),
        };
    // Only a closure of venues is removed here (one for every counter and venue, on the
    // schedule page).
    if !closures
        .iter()
        .any(|c| c.id == id && (c.counter_id.is_some() || c.service_kind.is_some()))
    {
        return WebError::NotFound.into_response();
    }
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
