//! 接種予約一覧: the day roster per venue with each booking's dose (接種回), the venue's
//! vaccine and the ticket (接種券番号, masked), its A4 print view, its CSV for Excel, and
//! check-in (受付 / 不在 / 元に戻す) on the engine's roster storage (`db::roster`). Clerks
//! and admins alike; a venue or booking of another municipality is a 404.
use std::collections::HashMap;

use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Serialize;
use time::Date;

use crate::app::AppState;
use crate::core::grid::format_hhmm;
use crate::core::receipt::{format_receipt, mask_number};
use crate::core::resident_input::format_date_with_weekday;
use crate::core::roster_csv::{CsvEncoding, format_phone};
use crate::core::vaccination::dose::DoseNumber;
use crate::core::vaccination::ticket_number::TicketNumber;
use crate::db::dose_bookings::{self, DoseFacts};
use crate::db::roster::{self, RosterBooking};
use crate::db::venues::{self, Venue};
use crate::i18n::Lang;
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::render;
use crate::web::staff::day_roster::{
    Params, change_status, csv_download, encoding_label, param, parse_day, printed_at, read_day,
    record_export,
};
use crate::web::staff::{Denied, Staff, no_store, require};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff/vaccination/roster", get(page))
        .route("/t/{tenant}/staff/vaccination/roster/print", get(print))
        .route("/t/{tenant}/staff/vaccination/roster.csv", get(csv))
        .route(
            "/t/{tenant}/staff/vaccination/bookings/{id}/status",
            post(set_status),
        )
}

/// The roster's word for a booking's status: at a venue the person is 受付済み once the
/// reception has checked them in.
pub fn status_label(status: &str) -> &str {
    match status {
        roster::BOOKED => "予約済",
        roster::VISITED => "受付済み",
        roster::NO_SHOW => "不在",
        roster::CANCELLED => "取消",
        other => other,
    }
}

/// 「123-*****90」: the ticket number as rosters, lists and files show it.
pub fn masked_ticket(number: &str) -> String {
    TicketNumber::parse(number)
        .map(|t| t.masked())
        .unwrap_or_else(|_| mask_number(number))
}

/// 「1回目」, or the stored number as is if it is none (never expected).
pub fn dose_label(dose: i32) -> String {
    u8::try_from(dose)
        .ok()
        .and_then(DoseNumber::new)
        .map(|d| d.label(Lang::Ja))
        .unwrap_or_else(|| dose.to_string())
}

/// Which day and venue(s) a request asks for.
struct Selection {
    day: Date,
    date_error: Option<&'static str>,
    venues: Vec<Venue>,
    /// The chosen venue; None means every active venue (print and CSV only).
    venue: Option<Venue>,
}

impl Selection {
    fn query(&self) -> String {
        match &self.venue {
            Some(v) => format!("date={}&venue={}", self.day, v.id),
            None => format!("date={}", self.day),
        }
    }

    fn place_label(&self) -> String {
        match &self.venue {
            Some(v) => format!("会場「{}」", v.name),
            None => "全会場".to_string(),
        }
    }

    fn shown(&self) -> Vec<&Venue> {
        match &self.venue {
            Some(v) => vec![v],
            None => self.venues.iter().filter(|v| v.active).collect(),
        }
    }
}

/// Reads `date` and `venue`. A venue that is not this tenant's is a 404; without one,
/// `first_by_default` picks the first active venue, else all of them are meant.
async fn select(
    app: &AppState,
    staff: &Staff,
    q: &Params,
    first_by_default: bool,
) -> Result<Selection, Denied> {
    let (day, date_error) = read_day(q, app.clock.today());
    let mut venues = venues::all(&app.db, staff.tenant.id).await?;
    // Active ones first, each group in display order (`all` is in display order).
    venues.sort_by_key(|v| !v.active);
    let venue = match param(q, "venue") {
        Some(id) => {
            let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
            let found = venues.iter().find(|v| v.id == id).cloned();
            Some(found.ok_or(WebError::NotFound)?)
        }
        None if first_by_default => venues.iter().find(|v| v.active).cloned(),
        None => None,
    };
    Ok(Selection {
        day,
        date_error,
        venues,
        venue,
    })
}

/// One booking of the day with what a vaccination booking adds.
struct DoseRow<'a> {
    booking: &'a RosterBooking,
    facts: Option<&'a DoseFacts>,
    vaccine: &'a str,
}

#[derive(Serialize)]
struct ActionView {
    value: &'static str,
    label: &'static str,
    detail: String,
}

#[derive(Serialize)]
struct RowView {
    id: i64,
    time: String,
    receipt: String,
    dose: String,
    vaccine: String,
    ticket: String,
    name: String,
    kana: String,
    phone: String,
    booker: Option<String>,
    wants_earlier: bool,
    status: String,
    status_label: String,
    cancelled: bool,
    actions: Vec<ActionView>,
    note: Option<&'static str>,
}

const NOT_BEFORE_THE_DAY: &str = "受付済・不在は接種日の当日から記録できます。";

fn time_range(b: &RosterBooking) -> String {
    format!(
        "{}〜{}",
        format_hhmm(b.booking.start_min),
        format_hhmm(b.booking.end_min)
    )
}

fn booker(facts: Option<&DoseFacts>) -> Option<String> {
    let f = facts?;
    let name = f.booker_name.as_deref().unwrap_or("").trim();
    let phone = f
        .booker_phone
        .as_deref()
        .map(format_phone)
        .unwrap_or_default();
    match (name.is_empty(), phone.is_empty()) {
        (true, true) => None,
        (false, true) => Some(name.to_string()),
        (true, false) => Some(phone),
        (false, false) => Some(format!("{name}({phone})")),
    }
}

fn row_view(r: &DoseRow<'_>, today: Date) -> RowView {
    let b = r.booking;
    let receipt = format_receipt(&b.booking.receipt_number);
    let status = b.booking.status.clone();
    let detail = format!("(予約ID {receipt})");
    let action = |value, label| ActionView {
        value,
        label,
        detail: detail.clone(),
    };
    let before_the_day = b.booking.day > today;
    let actions = match status.as_str() {
        roster::BOOKED if before_the_day => Vec::new(),
        roster::BOOKED => vec![
            action(roster::VISITED, "受付"),
            action(roster::NO_SHOW, "不在"),
        ],
        roster::VISITED | roster::NO_SHOW => vec![action(roster::BOOKED, "元に戻す")],
        _ => Vec::new(),
    };
    let person = b.people.first().map(|p| &p.person);
    RowView {
        id: b.booking.id,
        time: time_range(b),
        receipt,
        dose: r
            .facts
            .map(|f| dose_label(f.dose_number))
            .unwrap_or_default(),
        vaccine: r.vaccine.to_string(),
        ticket: r
            .facts
            .map(|f| masked_ticket(&f.ticket_number))
            .unwrap_or_default(),
        name: person.map(|p| p.name.clone()).unwrap_or_default(),
        kana: person.map(|p| p.kana.clone()).unwrap_or_default(),
        phone: person.map(|p| format_phone(&p.phone)).unwrap_or_default(),
        booker: booker(r.facts),
        wants_earlier: r.facts.is_some_and(|f| f.wants_earlier),
        status_label: status_label(&status).to_string(),
        cancelled: status == roster::CANCELLED,
        note: (status == roster::BOOKED && before_the_day).then_some(NOT_BEFORE_THE_DAY),
        status,
        actions,
    }
}

#[derive(Serialize, Default)]
struct Totals {
    bookings: usize,
    visited: usize,
    no_show: usize,
    waiting: usize,
    cancelled: usize,
}

fn totals(list: &[RosterBooking]) -> Totals {
    let mut t = Totals::default();
    for b in list {
        match b.booking.status.as_str() {
            roster::CANCELLED => {
                t.cancelled += 1;
                continue;
            }
            roster::VISITED => t.visited += 1,
            roster::NO_SHOW => t.no_show += 1,
            _ => t.waiting += 1,
        }
        t.bookings += 1;
    }
    t
}

/// The day's bookings at `venue_id` (all venues: None) with their tickets and doses.
async fn day_list(
    app: &AppState,
    staff: &Staff,
    day: Date,
    venue_id: Option<i64>,
    venues: &[Venue],
) -> Result<(Vec<RosterBooking>, HashMap<i64, DoseFacts>), Denied> {
    let mut list = roster::day(&app.db, staff.tenant.id, day, venue_id).await?;
    // The whole day's list holds card-pickup bookings too: only the venues' stay.
    list.retain(|b| venues.iter().any(|v| v.id == b.booking.counter_id));
    let ids: Vec<i64> = list.iter().map(|b| b.booking.id).collect();
    let facts = dose_bookings::facts(&app.db, staff.tenant.id, &ids).await?;
    Ok((list, facts))
}

fn rows_of(
    list: &[RosterBooking],
    facts: &HashMap<i64, DoseFacts>,
    venue: &Venue,
    today: Date,
) -> Vec<RowView> {
    list.iter()
        .filter(|b| b.booking.counter_id == venue.id)
        .map(|b| {
            row_view(
                &DoseRow {
                    booking: b,
                    facts: facts.get(&b.booking.id),
                    vaccine: &venue.vaccine,
                },
                today,
            )
        })
        .collect()
}

/// The message after a status change, from the fixed codes the redirect carries.
fn result_message(result: &str, booking: Option<&RosterBooking>) -> Option<(String, bool)> {
    let which = booking
        .map(|b| format!("予約ID {} ", format_receipt(&b.booking.receipt_number)))
        .unwrap_or_else(|| "この予約".to_string());
    let (text, warning) = match result {
        roster::VISITED => (format!("{which}を受付済みにしました。"), false),
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
            format!(
                "{which}の方は同じ接種回の新しい予約をすでにお持ちのため、予約済に戻せません。"
            ),
            true,
        ),
        "before_the_day" => (
            format!("{which}はまだ接種日前のため、受付済・不在にできません。{NOT_BEFORE_THE_DAY}"),
            true,
        ),
        _ => return None,
    };
    Some((text, warning))
}

#[derive(Serialize)]
struct VenueOption {
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
    let today = app.clock.today();
    let mut ctx = staff.context();
    ctx.insert("vx_page", "roster");
    ctx.insert("date", &sel.day.to_string());
    ctx.insert("date_label", &format_date_with_weekday(sel.day));
    ctx.insert("date_error", &sel.date_error);
    ctx.insert("is_today", &(sel.day == today));
    let nav = |d: Option<Date>| {
        d.map(|d| match &sel.venue {
            Some(v) => format!("?date={d}&venue={}", v.id),
            None => format!("?date={d}"),
        })
    };
    ctx.insert("prev_query", &nav(sel.day.previous_day()));
    ctx.insert("next_query", &nav(sel.day.next_day()));
    ctx.insert("today_query", &nav(Some(today)));
    let options: Vec<VenueOption> = sel
        .venues
        .iter()
        .filter(|v| v.active || sel.venue.as_ref().is_some_and(|s| s.id == v.id))
        .map(|v| VenueOption {
            id: v.id,
            name: if v.active {
                format!("{}({})", v.name, v.vaccine)
            } else {
                format!("{}(休止中)", v.name)
            },
            selected: sel.venue.as_ref().is_some_and(|s| s.id == v.id),
        })
        .collect();
    ctx.insert("venues", &options);
    ctx.insert("query", &sel.query());
    ctx.insert("all_query", &format!("date={}", sel.day));
    let (rows, totals, message, venue) = match &sel.venue {
        None => (Vec::new(), Totals::default(), None, None),
        Some(venue) => {
            let (list, facts) =
                day_list(&app, &staff, sel.day, Some(venue.id), &sel.venues).await?;
            let message = param(&q, "result").and_then(|result| {
                let booking: Option<i64> = param(&q, "booking").and_then(|b| b.parse().ok());
                let found = booking.and_then(|id| list.iter().find(|b| b.booking.id == id));
                result_message(result, found)
            });
            (
                rows_of(&list, &facts, venue, today),
                totals(&list),
                message,
                Some(venue),
            )
        }
    };
    ctx.insert("venue_name", &venue.map(|v| &v.name));
    ctx.insert("venue_id", &venue.map(|v| v.id).unwrap_or(0));
    ctx.insert("vaccine", &venue.map(|v| &v.vaccine));
    ctx.insert("rows", &rows);
    ctx.insert("totals", &totals);
    ctx.insert("message", &message.as_ref().map(|m| &m.0));
    ctx.insert("message_warning", &message.as_ref().is_some_and(|m| m.1));
    Ok(no_store(
        render(&app, "staff/vaccination/roster.html", &ctx)?.into_response(),
    ))
}

#[derive(Serialize)]
struct SectionView {
    venue_name: String,
    vaccine: String,
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
    let single = sel.venue.as_ref().map(|v| v.id);
    let (list, facts) = day_list(&app, &staff, sel.day, single, &sel.venues).await?;
    let today = app.clock.today();
    let sections: Vec<SectionView> = sel
        .shown()
        .into_iter()
        .map(|v| {
            let mine: Vec<RosterBooking> = list
                .iter()
                .filter(|b| b.booking.counter_id == v.id)
                .cloned()
                .collect();
            SectionView {
                venue_name: v.name.clone(),
                vaccine: v.vaccine.clone(),
                rows: rows_of(&mine, &facts, v, today),
                totals: totals(&mine),
            }
        })
        .collect();
    let shown: usize = sections.iter().map(|s| s.totals.bookings).sum();
    record_export(
        &app,
        &staff,
        "vaccination_roster_print",
        &format!(
            "接種予約一覧の印刷用表示: {} {} {}件",
            format_date_with_weekday(sel.day),
            sel.place_label(),
            shown
        ),
    )
    .await?;
    let mut ctx = staff.context();
    ctx.insert("date_label", &format_date_with_weekday(sel.day));
    ctx.insert("date_error", &sel.date_error);
    ctx.insert("printed_at", &printed_at(&app));
    ctx.insert("sections", &sections);
    ctx.insert("back_query", &sel.query());
    Ok(no_store(
        render(&app, "staff/vaccination/roster_print.html", &ctx)?.into_response(),
    ))
}

/// The CSV's columns, one row per booking.
pub const CSV_HEADER: [&str; 14] = [
    "日付",
    "会場",
    "ワクチン",
    "時間",
    "予約ID",
    "接種回",
    "接種券番号",
    "氏名",
    "フリガナ",
    "電話番号",
    "予約者",
    "予約者電話番号",
    "繰上げ希望",
    "状態",
];

fn csv_rows(
    day: Date,
    shown: &[&Venue],
    list: &[RosterBooking],
    facts: &HashMap<i64, DoseFacts>,
) -> Vec<Vec<String>> {
    let mut rows = vec![CSV_HEADER.iter().map(|h| h.to_string()).collect()];
    for venue in shown {
        for b in list.iter().filter(|b| b.booking.counter_id == venue.id) {
            let f = facts.get(&b.booking.id);
            let person = b.people.first().map(|p| &p.person);
            rows.push(vec![
                day.to_string(),
                venue.name.clone(),
                venue.vaccine.clone(),
                time_range(b),
                format_receipt(&b.booking.receipt_number),
                f.map(|f| dose_label(f.dose_number)).unwrap_or_default(),
                f.map(|f| masked_ticket(&f.ticket_number))
                    .unwrap_or_default(),
                person.map(|p| p.name.clone()).unwrap_or_default(),
                person.map(|p| p.kana.clone()).unwrap_or_default(),
                person.map(|p| format_phone(&p.phone)).unwrap_or_default(),
                f.and_then(|f| f.booker_name.clone()).unwrap_or_default(),
                f.and_then(|f| f.booker_phone.as_deref().map(format_phone))
                    .unwrap_or_default(),
                if f.is_some_and(|f| f.wants_earlier) {
                    "希望する".to_string()
                } else {
                    "希望しない".to_string()
                },
                status_label(&b.booking.status).to_string(),
            ]);
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
    let single = sel.venue.as_ref().map(|v| v.id);
    let (list, facts) = day_list(&app, &staff, sel.day, single, &sel.venues).await?;
    let rows = csv_rows(sel.day, &sel.shown(), &list, &facts);
    record_export(
        &app,
        &staff,
        "vaccination_roster_csv",
        &format!(
            "接種予約一覧CSV({})の出力: {} {} {}件",
            encoding_label(encoding),
            format_date_with_weekday(sel.day),
            sel.place_label(),
            rows.len() - 1
        ),
    )
    .await?;
    let which = match single {
        Some(id) => format!("venue{id}"),
        None => "all".to_string(),
    };
    Ok(csv_download(
        rows,
        encoding,
        &format!("vaccination-roster-{}-{which}", sel.day),
    )?)
}

/// 受付 / 不在 / 元に戻す from the roster, then back to the same day and venue. Only
/// vaccination bookings of this tenant: anything else is a 404.
pub async fn set_status(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Params>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    if dose_bookings::facts(&app.db, staff.tenant.id, &[id])
        .await?
        .is_empty()
    {
        return Err(WebError::NotFound.into());
    }
    let result = change_status(&app, &staff, &jar, id, &form).await?;
    let mut back = staff.url("/vaccination/roster?");
    if let Some(day) = param(&form, "date").and_then(parse_day) {
        back.push_str(&format!("date={day}&"));
    }
    if let Some(venue) = param(&form, "venue").and_then(|v| v.parse::<i64>().ok()) {
        back.push_str(&format!("venue={venue}&"));
    }
    back.push_str(&format!("result={result}&booking={id}#booking-{id}"));
    Ok(Redirect::to(&back).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_come_only_from_fixed_codes() {
        assert_eq!(
            result_message("visited", None).unwrap().0,
            "この予約を受付済みにしました。"
        );
        assert!(result_message("rebooked", None).unwrap().1);
        assert!(result_message("<script>", None).is_none());
    }

    #[test]
    fn tickets_and_doses_as_the_roster_writes_them() {
        assert_eq!(masked_ticket("2026000001"), "202-*****01");
        assert_eq!(dose_label(1), "1回目");
        assert_eq!(dose_label(0), "0");
        assert_eq!(status_label(roster::VISITED), "受付済み");
    }
}
