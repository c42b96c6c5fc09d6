//! 接種券: the municipality's tickets, a search by 接種券番号 (typed as loosely as at the
//! resident's login), each ticket with its bookings, and an admin's correction of the
//! dose, the previous dose, the birthdate and the name, audited before → after. Any member
//! of staff may look a ticket up (a caller on the phone); only admins change one.
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use time::Date;

use super::require_vaccination;
use crate::app::AppState;
use crate::core::notice_import::{NAME_MAX_CHARS, check_kana};
use crate::core::resident_input::parse_birthdate;
use crate::core::resident_input::{clean_text, format_date_ja, format_date_with_weekday};
use crate::core::ticket_import::parse_previous_dose;
use crate::core::vaccination::dose::DoseNumber;
use crate::core::vaccination::ticket_number::TicketNumber;
use crate::db::tickets::{self, Ticket, TicketEdit};
use crate::i18n::Lang;
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::render;
use crate::web::staff::schedule::{Fields, FormView};
use crate::web::staff::{Denied, Staff, admin_post};

/// Tickets listed without a search; the count says how many there are in all.
pub const LISTED: i64 = 200;

const EDIT_FIELDS: [&str; 5] = ["dose", "previous_dose", "birthdate", "name", "kana"];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff/vaccination/tickets", get(list))
        .route(
            "/t/{tenant}/staff/vaccination/tickets/{id}",
            get(show).post(edit),
        )
}

fn dose_label(n: i32) -> String {
    u8::try_from(n)
        .ok()
        .and_then(DoseNumber::new)
        .map(|d| d.label(Lang::Ja))
        .unwrap_or_else(|| format!("{n}回目"))
}

fn masked(number: &str) -> String {
    TicketNumber::parse(number)
        .map(|n| n.masked())
        .unwrap_or_else(|_| number.to_string())
}

#[derive(Serialize)]
struct Row {
    id: i64,
    number: String,
    birthdate: String,
    dose: String,
    previous: String,
    name: String,
}

fn row(t: &Ticket) -> Row {
    Row {
        id: t.id,
        number: masked(&t.ticket_number),
        birthdate: format_date_ja(t.birthdate),
        dose: dose_label(t.dose_number),
        previous: t.previous_dose_on.map(format_date_ja).unwrap_or_default(),
        name: t.name.clone(),
    }
}

#[derive(Deserialize)]
pub struct Search {
    number: Option<String>,
}

pub async fn list(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    Query(q): Query<Search>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let (staff, _) = require_vaccination(&app, &jar, &slug, false).await?;
    let typed = q.number.unwrap_or_default();
    let searched = !typed.trim().is_empty();
    let mut error = None;
    let rows: Vec<Row> = if searched {
        match TicketNumber::parse(&typed) {
            Ok(number) => tickets::find_by_number(&app.db, staff.tenant.id, number.as_str())
                .await?
                .iter()
                .map(row)
                .collect(),
            Err(e) => {
                error = Some(e.to_string());
                Vec::new()
            }
        }
    } else {
        tickets::list(&app.db, staff.tenant.id, LISTED)
            .await?
            .iter()
            .map(row)
            .collect()
    };
    let total = tickets::count(&app.db, staff.tenant.id).await?;
    let mut ctx = staff.context();
    ctx.insert("typed", &typed);
    ctx.insert("searched", &searched);
    ctx.insert("error", &error);
    ctx.insert("rows", &rows);
    ctx.insert("total", &total);
    ctx.insert("listed", &LISTED);
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        render(&app, "staff/vaccination/tickets.html", &ctx)?,
    )
        .into_response())
}

fn iso_or_empty(d: Option<Date>) -> String {
    d.map(|d| format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day()))
        .unwrap_or_default()
}

/// The edit form filled with what is stored.
fn stored_form(t: &Ticket) -> FormView {
    FormView::new(
        "ticket",
        &[
            ("dose", t.dose_number.to_string()),
            ("previous_dose", iso_or_empty(t.previous_dose_on)),
            ("birthdate", iso_or_empty(Some(t.birthdate))),
            ("name", t.name.clone()),
            ("kana", t.kana.clone()),
        ],
    )
}

fn field_label(name: &str) -> &'static str {
    match name {
        "dose" => "接種回",
        "previous_dose" => "前回接種日",
        "birthdate" => "生年月日",
        "name" => "氏名",
        "kana" => "フリガナ",
        _ => "入力",
    }
}

fn done_message(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "saved" => "接種券の内容を保存しました。",
        "unchanged" => "変更はありませんでした。",
        _ => return None,
    })
}

#[derive(Serialize)]
struct BookingRow {
    id: i64,
    dose: String,
    day: String,
}

async fn render_ticket(
    app: &AppState,
    staff: &Staff,
    ticket: &Ticket,
    form: FormView,
    done: Option<&str>,
    status: StatusCode,
) -> Result<Response, Denied> {
    let bookings: Vec<BookingRow> = tickets::active_bookings(&app.db, ticket.id)
        .await?
        .into_iter()
        .map(|(id, dose, day)| BookingRow {
            id,
            dose: dose_label(dose),
            day: format_date_with_weekday(day),
        })
        .collect();
    let summary: Vec<(String, String)> = form
        .errors
        .iter()
        .map(|(name, message)| {
            (
                format!("{}-{name}", form.key),
                format!("{}: {message}", field_label(name)),
            )
        })
        .collect();
    let mut ctx = staff.context();
    ctx.insert("ticket_id", &ticket.id);
    ctx.insert("number", &ticket.ticket_number);
    ctx.insert("birthdate", &format_date_ja(ticket.birthdate));
    ctx.insert("dose", &dose_label(ticket.dose_number));
    ctx.insert(
        "previous",
        &ticket
            .previous_dose_on
            .map(format_date_ja)
            .unwrap_or_default(),
    );
    ctx.insert("name", &ticket.name);
    ctx.insert("kana", &ticket.kana);
    ctx.insert("bookings", &bookings);
    ctx.insert("form", &form);
    ctx.insert("error_summary", &summary);
    ctx.insert("done", &done_message(done));
    Ok((
        status,
        render(app, "staff/vaccination/ticket_record.html", &ctx)?,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn show(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    Query(q): Query<Done>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let (staff, _) = require_vaccination(&app, &jar, &slug, false).await?;
    let ticket = tickets::find(&app.db, staff.tenant.id, id)
        .await?
        .ok_or(Denied::Error(WebError::NotFound))?;
    let form = stored_form(&ticket);
    render_ticket(
        &app,
        &staff,
        &ticket,
        form,
        q.done.as_deref(),
        StatusCode::OK,
    )
    .await
}

/// The typed form read into a change, or the form with a message beside each wrong field.
fn read_edit(form: &Fields, today: Date) -> Result<TicketEdit, FormView> {
    let mut view = FormView::typed("ticket", form, &EDIT_FIELDS);
    let t = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let dose = view.check(
        "dose",
        DoseNumber::parse(t("dose")).map_err(|e| e.to_string()),
    );
    let birthdate = view.check(
        "birthdate",
        parse_birthdate(t("birthdate"), today)
            .map_err(|e| e.message().replace("誕生日", "生年月日")),
    );
    let previous = view.check(
        "previous_dose",
        parse_previous_dose(t("previous_dose"), birthdate, today),
    );
    let name = view.check(
        "name",
        clean_text(t("name"), NAME_MAX_CHARS).map_err(|e| e.message()),
    );
    let kana = view.check("kana", check_kana(t("kana")));
    match (dose, birthdate, previous, name, kana) {
        (Some(dose), Some(birthdate), Some(previous_dose_on), Some(name), Some(kana))
            if view.errors.is_empty() =>
        {
            Ok(TicketEdit {
                birthdate,
                dose_number: i32::from(dose.get()),
                name,
                kana,
                previous_dose_on,
            })
        }
        _ => Err(view),
    }
}

/// What changed, for the audit log: the dose and the previous dose before → after; that the
/// birthdate, name or kana changed, without the values (personal data stays on the ticket).
pub fn describe_changes(before: &Ticket, after: &TicketEdit) -> Vec<String> {
    let mut out = Vec::new();
    if before.dose_number != after.dose_number {
        out.push(format!(
            "接種回 {}→{}",
            dose_label(before.dose_number),
            dose_label(after.dose_number)
        ));
    }
    if before.previous_dose_on != after.previous_dose_on {
        let shown = |d: Option<Date>| d.map(format_date_ja).unwrap_or_else(|| "なし".to_string());
        out.push(format!(
            "前回接種日 {}→{}",
            shown(before.previous_dose_on),
            shown(after.previous_dose_on)
        ));
    }
    if before.birthdate != after.birthdate {
        out.push("生年月日を変更".to_string());
    }
    if before.name != after.name {
        out.push("氏名を変更".to_string());
    }
    if before.kana != after.kana {
        out.push("フリガナを変更".to_string());
    }
    out
}

pub async fn edit(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    match edit_inner(&app, &jar, &slug, id, &form).await {
        Ok(r) | Err(r) => r,
    }
}

async fn edit_inner(
    app: &AppState,
    jar: &CookieJar,
    slug: &str,
    id: i64,
    form: &Fields,
) -> Result<Response, Response> {
    admin_post(app, jar, slug, form).await?;
    let (staff, _) = require_vaccination(app, jar, slug, true)
        .await
        .map_err(IntoResponse::into_response)?;
    let ticket = tickets::find(&app.db, staff.tenant.id, id)
        .await
        .map_err(|e| WebError::from(e).into_response())?
        .ok_or_else(|| WebError::NotFound.into_response())?;
    let edit = match read_edit(form, app.clock.today()) {
        Ok(edit) => edit,
        Err(view) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render_ticket(app, &staff, &ticket, view, None, status)
                .await
                .map_err(IntoResponse::into_response);
        }
    };
    let url = staff.url(&format!("/vaccination/tickets/{id}"));
    let changes = describe_changes(&ticket, &edit);
    if changes.is_empty() {
        return Ok(Redirect::to(&format!("{url}?done=unchanged")).into_response());
    }
    let detail = format!(
        "接種券 {} を修正: {}",
        masked(&ticket.ticket_number),
        changes.join("、")
    );
    let saved = tickets::update(&app.db, &staff.action(app), id, &edit, &detail)
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    if !saved {
        return Err(WebError::NotFound.into_response());
    }
    Ok(Redirect::to(&format!("{url}?done=saved")).into_response())
}
