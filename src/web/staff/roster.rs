//! 予約一覧: the day roster per counter, its A4 print view, its CSV for Excel, and the
//! clerk's check-in (来庁 / 不在 / 元に戻す). Clerks and admins alike; every query is
//! filtered by the logged-in member of staff's tenant.
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Serialize;
use time::Date;

use super::day_roster::{
    Params, change_status, csv_download, encoding_label, param, parse_day, printed_at, read_day,
    record_export,
};
use super::{Denied, Staff, no_store, require};
use crate::app::AppState;
use crate::core::grid::format_hhmm;
use crate::core::receipt::{format_receipt, mask_number};
use crate::core::recipient_fields::{Answer, RecipientForm, answer_columns};
use crate::core::resident_input::format_date_with_weekday;
use crate::core::roster_csv::{self, CsvEncoding};
use crate::db::roster::{self, RosterBooking, status_label};
use crate::db::tenants::Counter;
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::render;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff/roster", get(page))
        .route("/t/{tenant}/staff/roster/print", get(print))
        .route("/t/{tenant}/staff/roster.csv", get(csv))
        .route("/t/{tenant}/staff/bookings/{id}/status", post(set_status))
        .route(
            "/t/{tenant}/staff/roster/scan",
            post(super::roster_scan::scan),
        )
}

/// Which day and counter(s) a request asks for.
struct Selection {
    day: Date,
    date_error: Option<&'static str>,
    counters: Vec<Counter>,
    /// The chosen counter; None means every active counter (print and CSV only).
    counter: Option<Counter>,
}

impl Selection {
    fn query(&self) -> String {
        match &self.counter {
            Some(c) => format!("date={}&counter={}", self.day, c.id),
            None => format!("date={}", self.day),
        }
    }

    /// Which counter(s) a print view or CSV covers, for the audit log.
    fn place_label(&self) -> String {
        match &self.counter {
            Some(c) => format!("窓口「{}」", c.name),
            None => "全窓口".to_string(),
        }
    }

    /// The counters to show: the chosen one, or every active one.
    fn shown(&self) -> Vec<&Counter> {
        match &self.counter {
            Some(c) => vec![c],
            None => self.counters.iter().filter(|c| c.active).collect(),
        }
    }
}

/// Reads `date` and `counter`. A counter that is not this tenant's is a 404; without one,
/// `first_by_default` picks the first active counter, else all of them are meant.
async fn select(
    app: &AppState,
    staff: &Staff,
    q: &Params,
    first_by_default: bool,
) -> Result<Selection, Denied> {
    let (day, date_error) = read_day(q, app.clock.today());
    let counters = roster::counters_of(&app.db, staff.tenant.id).await?;
    let counter = match param(q, "counter") {
        Some(id) => {
            let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
            let found = counters.iter().find(|c| c.id == id).cloned();
            Some(found.ok_or(WebError::NotFound)?)
        }
        None if first_by_default => counters.iter().find(|c| c.active).cloned(),
        None => None,
    };
    Ok(Selection {
        day,
        date_error,
        counters,
        counter,
    })
}

#[derive(Serialize)]
struct PersonView {
    name: String,
    kana: String,
    number1: String,
    phone: String,
    /// Answers to the municipality's own fields, each under the label it was given under.
    answers: Vec<AnswerLine>,
}

#[derive(Serialize)]
struct AnswerLine {
    label: String,
    text: String,
}

fn answer_lines(answers: &[Answer]) -> Vec<AnswerLine> {
    answers
        .iter()
        .map(|a| AnswerLine {
            label: a.label_ja.clone(),
            text: a.text(crate::i18n::Lang::Ja).0,
        })
        .collect()
}

/// Whether the roster has a column for the municipality's own fields: when it has any,
/// or the day's bookings carry answers to fields deleted since.
fn has_answer_column(asked: &RecipientForm, list: &[RosterBooking]) -> bool {
    !asked.extras.is_empty()
        || list
            .iter()
            .any(|b| b.people.iter().any(|p| !p.person.answers.is_empty()))
}

#[derive(Serialize)]
struct ActionView {
    value: &'static str,
    label: &'static str,
    /// Read after the label by screen readers, so each button says which booking it is for.
    detail: String,
}

#[derive(Serialize)]
struct RowView {
    id: i64,
    time: String,
    receipt: String,
    party: i32,
    status: String,
    status_label: String,
    cancelled: bool,
    people: Vec<PersonView>,
    actions: Vec<ActionView>,
    /// Why a booked row has no 来庁/不在 buttons yet.
    note: Option<&'static str>,
}

#[derive(Serialize, Default, Debug, PartialEq, Eq)]
struct Totals {
    /// Bookings not cancelled.
    bookings: usize,
    /// People in those bookings.
    people: usize,
    visited: usize,
    no_show: usize,
    /// People still expected (予約済).
    waiting: usize,
    cancelled: usize,
}

fn totals(list: &[RosterBooking]) -> Totals {
    let mut t = Totals::default();
    for b in list {
        if b.is_cancelled() {
            t.cancelled += 1;
            continue;
        }
        let n = b.people.len().max(b.booking.party_size.max(0) as usize);
        t.bookings += 1;
        t.people += n;
        match b.booking.status.as_str() {
            roster::VISITED => t.visited += n,
            roster::NO_SHOW => t.no_show += n,
            _ => t.waiting += n,
        }
    }
    t
}

fn time_range(b: &RosterBooking) -> String {
    format!(
        "{}〜{}",
        format_hhmm(b.booking.start_min),
        format_hhmm(b.booking.end_min)
    )
}

fn masked(number1: &Option<String>) -> String {
    number1.as_deref().map(mask_number).unwrap_or_default()
}

/// Said where the buttons would be, and when a 来庁/不在 comes too early.
const NOT_BEFORE_THE_DAY: &str = "来庁済・不在は予約日の当日から記録できます。";

fn row_view(b: &RosterBooking, today: Date) -> RowView {
    let receipt = format_receipt(&b.booking.receipt_number);
    let status = b.booking.status.clone();
    let detail = format!("(受付番号 {receipt})");
    let action = |value, label| ActionView {
        value,
        label,
        detail: detail.clone(),
    };
    let before_the_day = b.booking.day > today;
    let actions = match status.as_str() {
        roster::BOOKED if before_the_day => Vec::new(),
        roster::BOOKED => vec![
            action(roster::VISITED, "来庁"),
            action(roster::NO_SHOW, "不在"),
        ],
        roster::VISITED | roster::NO_SHOW => vec![action(roster::BOOKED, "元に戻す")],
        _ => Vec::new(),
    };
    let note = (status == roster::BOOKED && before_the_day).then_some(NOT_BEFORE_THE_DAY);
    let mut people: Vec<PersonView> = b
        .people
        .iter()
        .map(|p| PersonView {
            name: p.person.name.clone(),
            kana: p.person.kana.clone(),
            number1: masked(&p.number1),
            phone: roster_csv::format_phone(&p.person.phone),
            answers: answer_lines(&p.person.answers),
        })
        .collect();
    if people.is_empty() {
        // Never expected; keeps the row (and its rowspans) well formed.
        people.push(PersonView {
            name: String::new(),
            kana: String::new(),
            number1: String::new(),
            phone: String::new(),
            answers: Vec::new(),
        });
    }
    RowView {
        id: b.booking.id,
        time: time_range(b),
        receipt,
        party: b.booking.party_size,
        status_label: status_label(&status).to_string(),
        cancelled: b.is_cancelled(),
        status,
        people,
        actions,
        note,
    }
}

/// The message after a status change, from the fixed codes the redirect carries, about
/// the booking it names when that booking is on the page shown.
fn result_message(result: &str, booking: Option<&RosterBooking>) -> Option<(String, bool)> {
    let which = booking
        .map(|b| format!("受付番号 {} ", format_receipt(&b.booking.receipt_number)))
        .unwrap_or_else(|| "この予約".to_string());
    let (text, warning) = match result {
        roster::VISITED => (format!("{which}を来庁済にしました。"), false),
        roster::NO_SHOW => (format!("{which}を不在にしました。"), false),
        roster::BOOKED => (format!("{which}を予約済に戻しました。"), false),
        "cancelled" => (
            format!("{which}は取り消されているため、状態を変更できません。"),
            true,
        ),
        "stale" => (
            format!(
                "{which}の状態はすでに変更されていました(いまは「{}」です)。画面を最新にしました。",
                booking
                    .map(|b| status_label(&b.booking.status))
                    .unwrap_or("不明")
            ),
            true,
        ),
        "rebooked" => (
            format!("{which}の方は新しい予約をすでにお持ちのため、予約済に戻せません。"),
            true,
        ),
        "before_the_day" => (
            match booking {
                Some(b) => format!(
                    "{which}は{}の予約のため、まだ来庁済・不在にできません。{NOT_BEFORE_THE_DAY}",
                    format_date_with_weekday(b.booking.day)
                ),
                None => format!(
                    "{which}はまだ予約日前のため、来庁済・不在にできません。{NOT_BEFORE_THE_DAY}"
                ),
            },
            true,
        ),
        _ => return None,
    };
    Some((text, warning))
}

#[derive(Serialize)]
struct CounterOption {
    id: i64,
    name: String,
    selected: bool,
}

pub async fn page(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Query(q): Query<Params>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    let sel = select(&app, &staff, &q, true).await?;
    let mut ctx = staff.context();
    ctx.insert("date", &sel.day.to_string());
    ctx.insert("date_label", &format_date_with_weekday(sel.day));
    ctx.insert("date_error", &sel.date_error);
    ctx.insert("is_today", &(sel.day == app.clock.today()));
    let nav = |d: Option<Date>| {
        d.map(|d| match &sel.counter {
            Some(c) => format!("?date={d}&counter={}", c.id),
            None => format!("?date={d}"),
        })
    };
    ctx.insert("prev_query", &nav(sel.day.previous_day()));
    ctx.insert("next_query", &nav(sel.day.next_day()));
    ctx.insert("today_query", &nav(Some(app.clock.today())));
    let options: Vec<CounterOption> = sel
        .counters
        .iter()
        .filter(|c| c.active || sel.counter.as_ref().is_some_and(|s| s.id == c.id))
        .map(|c| CounterOption {
            id: c.id,
            name: if c.active {
                c.name.clone()
            } else {
                format!("{}(休止中)", c.name)
            },
            selected: sel.counter.as_ref().is_some_and(|s| s.id == c.id),
        })
        .collect();
    ctx.insert("counters", &options);
    ctx.insert("query", &sel.query());
    ctx.insert("all_query", &format!("date={}", sel.day));
    match &sel.counter {
        None => {
            ctx.insert("answer_column", &false);
            ctx.insert("counter_name", &Option::<String>::None);
            ctx.insert("counter_id", &0);
            ctx.insert("rows", &Vec::<RowView>::new());
            ctx.insert("totals", &Totals::default());
            ctx.insert("message", &Option::<String>::None);
            ctx.insert("message_warning", &false);
        }
        Some(counter) => {
            let list = roster::day(&app.db, staff.tenant.id, sel.day, Some(counter.id)).await?;
            let asked = crate::db::recipient_fields::form(&app.db, staff.tenant.id).await?;
            ctx.insert("answer_column", &has_answer_column(&asked, &list));
            let message = param(&q, "result").and_then(|result| {
                let booking: Option<i64> = param(&q, "booking").and_then(|b| b.parse().ok());
                let found = booking.and_then(|id| list.iter().find(|b| b.booking.id == id));
                result_message(result, found)
            });
            ctx.insert("counter_name", &Some(&counter.name));
            ctx.insert("counter_id", &counter.id);
            let today = app.clock.today();
            ctx.insert(
                "rows",
                &list.iter().map(|b| row_view(b, today)).collect::<Vec<_>>(),
            );
            ctx.insert("totals", &totals(&list));
            ctx.insert("message", &message.as_ref().map(|m| &m.0));
            ctx.insert("message_warning", &message.as_ref().is_some_and(|m| m.1));
            // 来庁受付 by receipt number, on every day's roster: on a day still to come it
            // says why it records nothing, as the 来庁 button's rule does.
            let scan =
                super::roster_scan::result_view(&app, &staff, &q, sel.day, counter, &sel.counters)
                    .await?;
            ctx.insert("scan", &scan);
        }
    }
    Ok(no_store(
        render(&app, "staff/roster.html", &ctx)?.into_response(),
    ))
}

#[derive(Serialize)]
struct SectionView {
    counter_name: String,
    rows: Vec<RowView>,
    totals: Totals,
}

pub async fn print(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Query(q): Query<Params>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    let sel = select(&app, &staff, &q, false).await?;
    let shown = sel.shown();
    let single = sel.counter.as_ref().map(|c| c.id);
    let list = roster::day(&app.db, staff.tenant.id, sel.day, single).await?;
    let asked = crate::db::recipient_fields::form(&app.db, staff.tenant.id).await?;
    let today = app.clock.today();
    let sections: Vec<SectionView> = shown
        .iter()
        .map(|c| {
            let mine: Vec<RosterBooking> = list
                .iter()
                .filter(|b| b.booking.counter_id == c.id)
                .cloned()
                .collect();
            SectionView {
                counter_name: c.name.clone(),
                rows: mine.iter().map(|b| row_view(b, today)).collect(),
                totals: totals(&mine),
            }
        })
        .collect();
    let shown_bookings: usize = sections.iter().map(|s| s.totals.bookings).sum();
    record_export(
        &app,
        &staff,
        "roster_print",
        &format!(
            "予約一覧の印刷用表示: {} {} {}件",
            format_date_with_weekday(sel.day),
            sel.place_label(),
            shown_bookings
        ),
    )
    .await?;
    let mut ctx = staff.context();
    ctx.insert("date_label", &format_date_with_weekday(sel.day));
    ctx.insert("date_error", &sel.date_error);
    ctx.insert("printed_at", &printed_at(&app));
    ctx.insert("sections", &sections);
    ctx.insert("answer_column", &has_answer_column(&asked, &list));
    ctx.insert("query", &sel.query());
    let back = match &sel.counter {
        Some(c) => format!("date={}&counter={}", sel.day, c.id),
        None => format!("date={}", sel.day),
    };
    ctx.insert("back_query", &back);
    Ok(no_store(
        render(&app, "staff/roster_print.html", &ctx)?.into_response(),
    ))
}

/// The CSV's columns, one row per person; then a column for each of the municipality's own
/// fields (see [`answer_columns`]).
const CSV_HEADER: [&str; 11] = [
    "日付",
    "窓口",
    "時間",
    "受付番号",
    "人数",
    "順",
    "氏名",
    "フリガナ",
    "番号1",
    "電話番号",
    "状態",
];

fn csv_rows(
    day: Date,
    counters: &[Counter],
    asked: &RecipientForm,
    list: &[RosterBooking],
) -> Vec<Vec<String>> {
    let counter_name = |id: i64| {
        counters
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    let columns = answer_columns(
        &asked.extras,
        list.iter()
            .flat_map(|b| b.people.iter().flat_map(|p| p.person.answers.iter())),
    );
    let answer_cells = |answers: &[Answer]| -> Vec<String> {
        columns
            .iter()
            .map(|c| {
                answers
                    .iter()
                    .find(|a| a.field_id == c.field_id)
                    .map(|a| a.text(crate::i18n::Lang::Ja).0)
                    .unwrap_or_default()
            })
            .collect()
    };
    let mut header: Vec<String> = CSV_HEADER.iter().map(|h| h.to_string()).collect();
    header.extend(columns.iter().map(|c| c.header.clone()));
    let mut rows = vec![header];
    for b in list {
        let common = [
            day.to_string(),
            counter_name(b.booking.counter_id),
            time_range(b),
            format_receipt(&b.booking.receipt_number),
            b.booking.party_size.to_string(),
        ];
        let status = status_label(&b.booking.status).to_string();
        if b.people.is_empty() {
            let mut row = common.to_vec();
            row.extend([
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                status.clone(),
            ]);
            row.extend(answer_cells(&[]));
            rows.push(row);
        }
        for p in &b.people {
            let mut row = common.to_vec();
            row.extend([
                (p.person.position + 1).to_string(),
                p.person.name.clone(),
                p.person.kana.clone(),
                masked(&p.number1),
                roster_csv::format_phone(&p.person.phone),
                status.clone(),
            ]);
            row.extend(answer_cells(&p.person.answers));
            rows.push(row);
        }
    }
    rows
}

pub async fn csv(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Query(q): Query<Params>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    let sel = select(&app, &staff, &q, false).await?;
    let encoding = CsvEncoding::from_param(param(&q, "encoding"));
    let single = sel.counter.as_ref().map(|c| c.id);
    let mut list = roster::day(&app.db, staff.tenant.id, sel.day, single).await?;
    if single.is_none() {
        // Every active counter, in their display order.
        let order: Vec<i64> = sel.shown().iter().map(|c| c.id).collect();
        list.retain(|b| order.contains(&b.booking.counter_id));
        list.sort_by_key(|b| order.iter().position(|&id| id == b.booking.counter_id));
    }
    let asked = crate::db::recipient_fields::form(&app.db, staff.tenant.id).await?;
    let rows = csv_rows(sel.day, &sel.counters, &asked, &list);
    record_export(
        &app,
        &staff,
        "roster_csv",
        &format!(
            "予約一覧CSV({})の出力: {} {} {}件・{}人分",
            encoding_label(encoding),
            format_date_with_weekday(sel.day),
            sel.place_label(),
            list.len(),
            rows.len() - 1
        ),
    )
    .await?;
    let which = match single {
        Some(id) => format!("counter{id}"),
        None => "all".to_string(),
    };
    Ok(csv_download(
        rows,
        encoding,
        &format!("roster-{}-{which}", sel.day),
    )?)
}

/// 来庁 / 不在 / 元に戻す from the roster, then back to the same day and counter.
pub async fn set_status(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Params>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    let booking_id = id;
    let result = change_status(&app, &staff, &jar, booking_id, &form).await?;
    // Only what parses goes back into the URL.
    let mut back = format!("/t/{}/staff/roster?", staff.tenant.slug);
    if let Some(day) = param(&form, "date").and_then(parse_day) {
        back.push_str(&format!("date={day}&"));
    }
    if let Some(counter) = param(&form, "counter").and_then(|c| c.parse::<i64>().ok()) {
        back.push_str(&format!("counter={counter}&"));
    }
    back.push_str(&format!(
        "result={result}&booking={booking_id}#booking-{booking_id}"
    ));
    Ok(Redirect::to(&back).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_come_only_from_fixed_codes() {
        assert_eq!(
            result_message("visited", None).unwrap().0,
            "この予約を来庁済にしました。"
        );
        assert!(result_message("stale", None).unwrap().1);
        assert!(result_message("before_the_day", None).unwrap().1);
        assert!(result_message("<script>", None).is_none());
    }
}
