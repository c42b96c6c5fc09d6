//! The schedule (admin only): counters, weekly opening hours, closures, the holiday rules
//! and the booking window. Every save re-materialises the slots from today on in the same
//! transaction, and is refused, with the bookings in the way listed, when it would take a
//! slot from people who booked it.
use std::collections::{BTreeMap, HashMap};

use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Serialize;
use time::Date;
use time::macros::date;

use super::admin_post;
use super::{Staff, require};
use crate::app::AppState;
use crate::core::grid::format_hhmm;
use crate::core::receipt::format_receipt;
use crate::core::resident_input::{
    clean_text, fold_digits, format_date_with_weekday, parse_birthdate,
};
use crate::db::schedule::{
    self, Applied, ChangeContext, CounterFields, Refusal, ScheduleChange, TemplateFields,
    TemplateRecord, weekday_label,
};
use crate::db::slots::MaterialiseReport;
use crate::db::tenants;
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::render;

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

// ---- what people type --------------------------------------------------------------------

pub(super) type Fields = HashMap<String, String>;

/// The typed value of `name`, as typed (the form shows it again on an error).
pub(super) fn typed(form: &Fields, name: &str) -> String {
    form.get(name).cloned().unwrap_or_default()
}

/// A whole number in `min..=max`, typed in any width, with or without its unit ("60分").
pub(super) fn parse_number(input: &str, min: i32, max: i32, units: &[&str]) -> Result<i32, String> {
    let folded = fold_digits(input).replace([',', ' '], "");
    let mut text = folded.as_str();
    for unit in units {
        if let Some(rest) = text.strip_suffix(unit) {
            text = rest.trim_end();
            break;
        }
    }
    if text.is_empty() {
        return Err("入力してください。".to_string());
    }
    let range = format!("{min}から{max}までの数字で入力してください。");
    if text.len() > 9 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(range);
    }
    let n: i32 = text.parse().map_err(|_| range.clone())?;
    if (min..=max).contains(&n) {
        Ok(n)
    } else {
        Err(range)
    }
}

/// A time of day as minutes after midnight: "9:00", "09:00", "９：００", "900", "9時30分",
/// "9時"; 24:00 is allowed as a closing time.
pub(super) fn parse_time(input: &str) -> Result<i32, String> {
    const HOW: &str = "「9:00」「17:15」のように、時と分をコロンで区切って入力してください。";
    let text = fold_digits(input);
    if text.is_empty() {
        return Err("時刻を入力してください。".to_string());
    }
    let digits = |s: &str, max_len: usize| -> Option<i32> {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (hours, minutes) = if let Some((h, m)) = text.split_once(':') {
        if m.len() != 2 {
            return Err(HOW.to_string());
        }
        (digits(h.trim(), 2), digits(m.trim(), 2))
    } else if let Some((h, m)) = text.split_once('時') {
        let m = m.trim().trim_end_matches('分').trim();
        let minutes = match m {
            "" => Some(0),
            "半" => Some(30),
            m => digits(m, 2),
        };
        (digits(h.trim(), 2), minutes)
    } else {
        match text.len() {
            1 | 2 => (digits(&text, 2), Some(0)),
            3 | 4 if text.bytes().all(|b| b.is_ascii_digit()) => {
                let (h, m) = text.split_at(text.len() - 2);
                (digits(h, 2), digits(m, 2))
            }
            _ => (None, None),
        }
    };
    let (Some(hours), Some(minutes)) = (hours, minutes) else {
        return Err(HOW.to_string());
    };
    if minutes > 59 || hours > 24 || (hours == 24 && minutes > 0) {
        return Err("0:00から24:00までの時刻を入力してください。".to_string());
    }
    Ok(hours * 60 + minutes)
}

/// A day: "2026-12-24", "2026/12/24", "20261224", "2026年12月24日", "令和8年12月24日", in any
/// width. Only days from last year to five years ahead make sense for a schedule.
pub(super) fn parse_day(input: &str, today: Date) -> Result<Date, String> {
    if fold_digits(input).is_empty() {
        return Err("日付を入力してください。".to_string());
    }
    // The birthdate reader knows every way a Japanese date is written; with a "today" at the
    // end of time it does not refuse future days.
    let day = parse_birthdate(input, date!(9999 - 12 - 31)).map_err(|_| {
        "「2026-12-24」や「2026年12月24日」のように、年月日で入力してください。".to_string()
    })?;
    let earliest =
        Date::from_calendar_date(today.year() - 1, time::Month::January, 1).unwrap_or(Date::MIN);
    let latest =
        Date::from_calendar_date(today.year() + 5, time::Month::December, 31).unwrap_or(Date::MAX);
    if day < earliest || day > latest {
        return Err(format!(
            "{}年から{}年までの日付を入力してください。",
            earliest.year(),
            latest.year()
        ));
    }
    Ok(day)
}

/// An optional web address shown to residents as a link: http or https only.
pub(super) fn parse_url(input: &str) -> Result<Option<String>, String> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || "「https://」で始まるURLを入力してください。".to_string();
    if text.chars().count() > 500 || text.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    let url = url::Url::parse(text).map_err(|_| bad())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(bad());
    }
    Ok(Some(text.to_string()))
}

/// A one-line text: trimmed, no control characters, at most `max` characters.
pub(super) fn parse_line(input: &str, max: usize, required: bool) -> Result<String, String> {
    let text = clean_text(input, max).map_err(|e| e.message())?;
    if required && text.is_empty() {
        return Err("入力してください。".to_string());
    }
    Ok(text)
}

/// A form's keep-what-was-typed state: the values to show and the message per field.
#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct FormView {
    pub key: String,
    pub values: BTreeMap<String, String>,
    pub errors: BTreeMap<String, String>,
}

impl FormView {
    pub fn new(key: impl Into<String>, values: &[(&str, String)]) -> FormView {
        FormView {
            key: key.into(),
            values: values
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect(),
            errors: BTreeMap::new(),
        }
    }

    /// The same form filled with what was typed, for `names`.
    pub fn typed(key: impl Into<String>, form: &Fields, names: &[&str]) -> FormView {
        FormView {
            key: key.into(),
            values: names
                .iter()
                .map(|n| ((*n).to_string(), typed(form, n)))
                .collect(),
            errors: BTreeMap::new(),
        }
    }

    /// Records `result`'s message under `name`, giving back the value when there is one.
    pub fn check<T>(&mut self, name: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(message) => {
                self.errors.insert(name.to_string(), message);
                None
            }
        }
    }

    pub fn error(&mut self, name: &str, message: impl Into<String>) {
        self.errors.insert(name.to_string(), message.into());
    }

    /// Replaces this form with `failed` when it is the same form.
    pub fn or_failed(self, failed: Option<&FormView>) -> FormView {
        match failed {
            Some(f) if f.key == self.key => f.clone(),
            _ => self,
        }
    }

    /// (field id, "label: message") for the error summary.
    pub fn summary(&self) -> Vec<(String, String)> {
        self.errors
            .iter()
            .map(|(field, message)| {
                (
                    format!("{}-{field}", self.key),
                    format!("{}: {message}", field_label(field)),
                )
            })
            .collect()
    }
}

/// The label of a field on the schedule and settings pages, for the error summary.
fn field_label(field: &str) -> &'static str {
    match field {
        "name" => "窓口名",
        "address" => "住所",
        "directions" => "案内",
        "map_url" => "地図のURL",
        "active" => "受付の停止",
        "weekday" => "曜日",
        "opens" => "開始",
        "closes" => "終了",
        "slot_min" => "1枠の分数",
        "clerks" => "職員数",
        "first_day" => "開始日",
        "last_day" => "終了日",
        "counter" => "窓口",
        "reason" => "理由",
        "booking_window_days" => "予約受付期間",
        "contact" => "お問い合わせ先",
        "faq_url" => "FAQのURL",
        "number1_format" => "番号1の書式",
        "number2_format" => "番号2の書式",
        "verification_ttl_min" => "確認メールの有効期限",
        "hold_ttl_min" => "仮押さえ時間",
        "max_party_size" => "同時予約の最大人数",
        // ---- cut-offs (issue 11: settings, 予約と変更・取消の締切) ----
        "booking_cutoff_form" => "予約の受付締切の指定方法",
        "booking_cutoff_min" => "予約の受付締切(分前)",
        "booking_cutoff_days" => "予約の受付締切(日前)",
        "booking_cutoff_until" => "予約の受付締切(時刻)",
        "change_cutoff_form" => "変更・取消の期限の指定方法",
        "cancel_deadline_hours" => "変更・取消の期限(時間前)",
        "cancel_deadline_days" => "変更・取消の期限(日前)",
        "cancel_deadline_until" => "変更・取消の期限(時刻)",
        "late_booking_allowed" => "期限を過ぎた枠の予約",
        // ---- end of cut-offs ----
        "pinned_counter_id" => "窓口の固定",
        "title" => "題名",
        "body" => "本文",
        "position" => "表示順",
        _ => "入力",
    }
}

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
struct Choice {
    value: String,
    label: String,
}

#[derive(Serialize)]
struct AffectedView {
    /// For the link to the booking's console page, where it can be moved or cancelled.
    booking_id: i64,
    receipt: String,
    when: String,
    counter: String,
    party: i32,
}

#[derive(Serialize)]
struct RefusalView {
    bookings: Vec<AffectedView>,
    held: bool,
}

fn refusal_view(r: &Refusal) -> RefusalView {
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

fn weekdays() -> Vec<Choice> {
    (1..=7)
        .map(|n| Choice {
            value: n.to_string(),
            label: weekday_label(n).to_string(),
        })
        .collect()
}

fn template_values(t: &TemplateRecord) -> FormView {
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

fn new_template_form(counter_id: i64) -> FormView {
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
    let closures = schedule::closures_from(&app.db, tenant.id, today).await?;
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
            place: match c.counter_id {
                Some(id) => names.get(&id).copied().unwrap_or("").to_string(),
                None => "すべての窓口".to_string(),
            },
            reason: c.reason.clone(),
        })
        .collect();
    let mut closure_places = vec![Choice {
        value: String::new(),
        label: "すべての窓口".to_string(),
    }];
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
fn form_id(raw: &str) -> Option<i64> {
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

const TEMPLATE_FIELDS: [&str; 5] = ["weekday", "opens", "closes", "slot_min", "clerks"];

/// Checks the typed hours; `others` are the counter's other templates, which must not overlap.
fn template_fields(
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
    let counter_id = match typed(&form, "counter").trim() {
        "" => Some(None),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_as_people_type_them() {
        for (input, want) in [
            ("9:00", 540),
            ("09:00", 540),
            ("９：００", 540),
            ("１７:１５", 1035),
            (" 8:30 ", 510),
            ("900", 540),
            ("0830", 510),
            ("9", 540),
            ("9時", 540),
            ("9時30分", 570),
            ("9時半", 570),
            ("24:00", 1440),
            ("0:00", 0),
        ] {
            assert_eq!(parse_time(input), Ok(want), "{input}");
        }
        for bad in [
            "", "9:0", "25:00", "24:30", "9:60", "abc", "9:00pm", "12345", "-1:00",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_accept_full_width_and_units_within_range() {
        assert_eq!(parse_number("１５", 5, 240, &["分"]), Ok(15));
        assert_eq!(parse_number("30分", 5, 240, &["分"]), Ok(30));
        assert_eq!(parse_number("1,440", 5, 1440, &[]), Ok(1440));
        assert_eq!(
            parse_number("4", 5, 1440, &[]),
            Err("5から1440までの数字で入力してください。".to_string())
        );
        assert_eq!(
            parse_number("", 5, 1440, &[]),
            Err("入力してください。".to_string())
        );
        assert!(parse_number("-3", 0, 10, &[]).is_err());
        assert!(parse_number("99999999999", 0, 10, &[]).is_err());
        assert!(parse_number("1.5", 0, 10, &[]).is_err());
    }

    #[test]
    fn days_in_the_usual_shapes() {
        let today = date!(2026 - 12 - 01);
        for input in [
            "2026-12-24",
            "2026/12/24",
            "20261224",
            "２０２６年１２月２４日",
            "令和8年12月24日",
        ] {
            assert_eq!(
                parse_day(input, today),
                Ok(date!(2026 - 12 - 24)),
                "{input}"
            );
        }
        assert!(parse_day("2026-02-30", today).is_err());
        assert!(parse_day("2099-01-01", today).is_err());
        assert!(parse_day("12/24", today).is_err());
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(parse_url(""), Ok(None));
        assert_eq!(
            parse_url(" https://example.jp/faq "),
            Ok(Some("https://example.jp/faq".to_string()))
        );
        for bad in [
            "javascript:alert(1)",
            "example.jp",
            "ftp://example.jp/",
            "https://a b",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
    }
}
