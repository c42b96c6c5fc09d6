//! ワクチン接種の設定 (admin only): the service's rules — 接種間隔, the ○△× thresholds, the
//! booking window, the booking cut-off and the change/cancel deadline (the same fields as
//! card pickup's 「予約と変更・取消の締切」), the login session's idle time — and its
//! wording: 利用規約, 個人情報の取扱い, お知らせ and 持ち物 in Japanese and English, and the
//! 予約相談センター. Two forms, each saved with its audit entry (before → after) in one
//! transaction; bad input is shown next to its field and nothing of that form is saved.
use std::collections::HashMap;

use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;

use crate::app::AppState;
use crate::core::availability::MarkThresholds;
use crate::core::resident_input::fold_digits;
use crate::core::vaccination::interval::IntervalRules;
use crate::db::vaccination::{self, Rules, Settings, Wording};
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::render;
use crate::web::staff::deadlines::{CUTOFF_FIELDS, cutoff_values, read_cutoffs};
use crate::web::staff::forms::{Fields, FormView, field_label, parse_line, parse_number, typed};
use crate::web::staff::settings::parse_body;
use crate::web::staff::{Staff, admin_post, require};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff/vaccination/settings", get(page))
        .route(
            "/t/{tenant}/staff/vaccination/settings/rules",
            post(save_rules),
        )
        .route(
            "/t/{tenant}/staff/vaccination/settings/wording",
            post(save_wording),
        )
}

const RULE_FIELDS: [&str; 5] = [
    "intervals",
    "few_below_percent",
    "few_at_or_below",
    "booking_window_days",
    "session_idle_min",
];

/// (field, label, longest) of the wording form: the texts, then the call centre's lines.
const TEXTS: [(&str, &str, usize); 8] = [
    ("terms_ja", "利用規約(日本語)", 20000),
    ("terms_en", "利用規約(英語)", 20000),
    ("privacy_ja", "個人情報の取扱い(日本語)", 20000),
    ("privacy_en", "個人情報の取扱い(英語)", 20000),
    ("notice_ja", "お知らせ(日本語)", 4000),
    ("notice_en", "お知らせ(英語)", 4000),
    ("items_ja", "持ち物(日本語)", 2000),
    ("items_en", "持ち物(英語)", 2000),
];
const LINES: [(&str, &str, usize); 3] = [
    ("call_centre_name", "予約相談センターの名称", 100),
    ("call_centre_phone", "予約相談センターの電話番号", 30),
    ("call_centre_hours", "予約相談センターの受付時間", 200),
];

fn label(field: &str) -> &'static str {
    match field {
        "intervals" => "接種間隔",
        "few_below_percent" => "残りわずか(△)の割合",
        "few_at_or_below" => "残りわずか(△)の人数",
        "booking_window_days" => "予約受付期間",
        "session_idle_min" => "ログインの有効時間",
        other => TEXTS
            .iter()
            .chain(LINES.iter())
            .find(|(name, _, _)| *name == other)
            .map_or_else(|| field_label(other), |(_, label, _)| label),
    }
}

fn rules_form(s: &Settings) -> FormView {
    let mut values = vec![
        ("intervals", s.interval_rules().to_setting()),
        ("few_below_percent", s.few_below_percent.to_string()),
        (
            "few_at_or_below",
            s.few_at_or_below.map(|n| n.to_string()).unwrap_or_default(),
        ),
        ("booking_window_days", s.booking_window_days.to_string()),
        ("session_idle_min", s.session_idle_min.to_string()),
    ];
    values.extend(cutoff_values(
        (
            s.booking_cutoff_min,
            s.booking_cutoff_days,
            s.booking_cutoff_until_min,
        ),
        (
            s.cancel_deadline_hours,
            s.cancel_deadline_days,
            s.cancel_deadline_until_min,
        ),
    ));
    FormView::new("rules", &values)
}

fn wording_form(w: &Wording) -> FormView {
    FormView::new(
        "wording",
        &[
            ("terms_ja", w.terms_ja.clone()),
            ("terms_en", w.terms_en.clone()),
            ("privacy_ja", w.privacy_ja.clone()),
            ("privacy_en", w.privacy_en.clone()),
            ("notice_ja", w.notice_ja.clone()),
            ("notice_en", w.notice_en.clone()),
            ("items_ja", w.items_ja.clone()),
            ("items_en", w.items_en.clone()),
            ("call_centre_name", w.call_centre_name.clone()),
            ("call_centre_phone", w.call_centre_phone.clone()),
            ("call_centre_hours", w.call_centre_hours.clone()),
        ],
    )
}

fn done_message(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "rules_saved" => "予約の決まりを保存しました。",
        "wording_saved" => "住民向けの文言を保存しました。",
        "unchanged" => "変更はありませんでした。",
        _ => return None,
    })
}

/// The rules in force, in the words of the page.
#[derive(serde::Serialize)]
struct InForce {
    intervals: Vec<String>,
    marks: String,
    booking: String,
    change: String,
    terms_version: i32,
}

fn in_force(s: &Settings) -> InForce {
    let rules = s.interval_rules();
    let entries = rules.entries();
    InForce {
        // The last entry covers every later dose too.
        intervals: entries
            .iter()
            .enumerate()
            .map(|(i, (dose, interval))| {
                format!(
                    "{}{}: {}",
                    dose.label(crate::i18n::Lang::Ja),
                    if i + 1 == entries.len() { "以降" } else { "" },
                    interval.describe(crate::i18n::Lang::Ja)
                )
            })
            .collect(),
        marks: s
            .thresholds()
            .describe_ja()
            .map_or("△は表示しない".to_string(), |d| format!("{d}で△")),
        booking: s.booking_cutoff().describe_ja(),
        change: s.change_cutoff().describe_ja(),
        terms_version: s.terms_version,
    }
}

/// The settings, or 404 when the municipality does not offer vaccination.
async fn settings_of(app: &AppState, staff: &Staff) -> Result<Settings, Response> {
    match vaccination::settings(&app.db, staff.tenant.id).await {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(WebError::NotFound.into_response()),
        Err(e) => Err(WebError::from(e).into_response()),
    }
}

async fn render_page(
    app: &AppState,
    staff: &Staff,
    settings: &Settings,
    failed: Option<FormView>,
    done: Option<&str>,
    status: StatusCode,
) -> Response {
    let failed = failed.as_ref();
    let mut ctx = staff.context();
    ctx.insert("rules", &rules_form(settings).or_failed(failed));
    ctx.insert(
        "wording",
        &wording_form(&Wording::of(settings)).or_failed(failed),
    );
    ctx.insert("in_force", &in_force(settings));
    ctx.insert("done", &done);
    ctx.insert(
        "error_summary",
        &failed.map(|f| f.summary_with(label)).unwrap_or_default(),
    );
    ctx.insert("refusal", &None::<()>);
    match render(app, "staff/vaccination/settings.html", &ctx) {
        Ok(html) => (status, html).into_response(),
        Err(e) => e.into_response(),
    }
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
    let settings = match settings_of(&app, &staff).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let done = done_message(q.get("done").map(String::as_str));
    render_page(&app, &staff, &settings, None, done, StatusCode::OK).await
}

fn redirect_done(staff: &Staff, code: &str, anchor: &str) -> Response {
    Redirect::to(&staff.url(&format!("/vaccination/settings?done={code}#{anchor}"))).into_response()
}

/// 「△」 at or below this many free; empty switches the test off.
fn parse_optional_count(input: &str) -> Result<Option<u32>, String> {
    if fold_digits(input).trim().is_empty() {
        return Ok(None);
    }
    parse_number(input, 0, 10000, &["人以下", "人", "以下"])
        .map(|n| Some(u32::try_from(n).unwrap_or(0)))
}

/// The rules as typed, each with its message next to its field when it cannot be used.
fn read_rules(view: &mut FormView, form: &Fields) -> Option<Rules> {
    let intervals = view.check(
        "intervals",
        IntervalRules::parse_setting(&typed(form, "intervals")).map_err(|e| e.to_string()),
    );
    // The share is read wider than 0..=100 so that MarkThresholds says what is wrong.
    let percent = view.check(
        "few_below_percent",
        parse_number(
            &typed(form, "few_below_percent"),
            0,
            1000,
            &["%未満", "%", "％"],
        ),
    );
    let at_or_below = view.check(
        "few_at_or_below",
        parse_optional_count(&typed(form, "few_at_or_below")),
    );
    let thresholds = match (percent, at_or_below) {
        (Some(p), Some(n)) => view.check(
            "few_below_percent",
            MarkThresholds::new(u32::try_from(p).unwrap_or(u32::MAX), n).map_err(|e| e.to_string()),
        ),
        _ => None,
    };
    let window = view.check(
        "booking_window_days",
        parse_number(
            &typed(form, "booking_window_days"),
            1,
            366,
            &["日先まで", "日先", "日"],
        ),
    );
    let idle = view.check(
        "session_idle_min",
        parse_number(&typed(form, "session_idle_min"), 5, 240, &["分"]),
    );
    let (booking, change) = read_cutoffs(view, form);
    Some(Rules {
        intervals: intervals?,
        thresholds: thresholds?,
        booking_window_days: window?,
        booking: booking?,
        change: change?,
        session_idle_min: idle?,
    })
}

/// What changed, before → after, for the audit entry.
fn describe_rules(old: &Rules, new: &Rules) -> Vec<String> {
    let mut what = Vec::new();
    if old.intervals != new.intervals {
        let shown = |r: &IntervalRules| {
            let s = r.to_setting();
            if s.is_empty() {
                "なし".to_string()
            } else {
                s
            }
        };
        what.push(format!(
            "接種間隔 {}→{}",
            shown(&old.intervals),
            shown(&new.intervals)
        ));
    }
    if old.thresholds != new.thresholds {
        let shown = |t: MarkThresholds| t.describe_ja().unwrap_or_else(|| "なし".to_string());
        what.push(format!(
            "残りわずか(△) {}→{}",
            shown(old.thresholds),
            shown(new.thresholds)
        ));
    }
    if old.booking_window_days != new.booking_window_days {
        what.push(format!(
            "予約受付期間 {}日先まで→{}日先まで",
            old.booking_window_days, new.booking_window_days
        ));
    }
    if old.booking != new.booking {
        what.push(format!(
            "予約の受付締切 {}→{}",
            old.booking.describe_ja(),
            new.booking.describe_ja()
        ));
    }
    if old.change != new.change {
        what.push(format!(
            "変更・取消の期限 {}→{}",
            old.change.describe_ja(),
            new.change.describe_ja()
        ));
    }
    if old.session_idle_min != new.session_idle_min {
        what.push(format!(
            "ログインの有効時間 {}分→{}分",
            old.session_idle_min, new.session_idle_min
        ));
    }
    what
}

pub async fn save_rules(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let settings = match settings_of(&app, &staff).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut names = RULE_FIELDS.to_vec();
    names.extend(CUTOFF_FIELDS);
    let mut view = FormView::typed("rules", &form, &names);
    let Some(new) = read_rules(&mut view, &form) else {
        return render_page(
            &app,
            &staff,
            &settings,
            Some(view),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let what = describe_rules(&Rules::of(&settings), &new);
    if what.is_empty() {
        return redirect_done(&staff, "unchanged", "rules");
    }
    let detail = format!("ワクチン接種の設定を変更: {}", what.join("、"));
    let saved = vaccination::update_rules(
        &app.db,
        &staff.action(&app),
        settings.service_id,
        &new,
        app.clock.today(),
        &detail,
    )
    .await;
    match saved {
        Ok(()) => redirect_done(&staff, "rules_saved", "rules"),
        Err(e) => WebError::from(e).into_response(),
    }
}

/// What changed, for the audit entry: the long texts by name, the call centre's lines
/// before → after.
fn describe_wording(old: &Wording, new: &Wording) -> Vec<String> {
    let pairs = [
        (&old.terms_ja, &new.terms_ja),
        (&old.terms_en, &new.terms_en),
        (&old.privacy_ja, &new.privacy_ja),
        (&old.privacy_en, &new.privacy_en),
        (&old.notice_ja, &new.notice_ja),
        (&old.notice_en, &new.notice_en),
        (&old.items_ja, &new.items_ja),
        (&old.items_en, &new.items_en),
    ];
    let mut what: Vec<String> = TEXTS
        .iter()
        .zip(pairs)
        .filter(|(_, (a, b))| a != b)
        .map(|((_, label, _), _)| (*label).to_string())
        .collect();
    let lines = [
        (&old.call_centre_name, &new.call_centre_name),
        (&old.call_centre_phone, &new.call_centre_phone),
        (&old.call_centre_hours, &new.call_centre_hours),
    ];
    for ((_, label, _), (a, b)) in LINES.iter().zip(lines) {
        if a != b {
            what.push(format!("{label} 「{a}」→「{b}」"));
        }
    }
    what
}

/// A telephone number as it is shown: digits (any width), hyphens, brackets and spaces.
fn parse_phone(input: &str) -> Result<String, String> {
    let text = parse_line(&fold_digits(input), 30, false)?;
    if text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '(' | ')' | ' ' | '+'))
    {
        Ok(text)
    } else {
        Err("「0120-000-000」のように、数字とハイフンで入力してください。".to_string())
    }
}

pub async fn save_wording(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let settings = match settings_of(&app, &staff).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let names: Vec<&str> = TEXTS
        .iter()
        .chain(LINES.iter())
        .map(|(n, _, _)| *n)
        .collect();
    let mut view = FormView::typed("wording", &form, &names);
    let mut texts: HashMap<&str, String> = HashMap::new();
    for (name, _, max) in TEXTS {
        if let Some(t) = view.check(name, parse_body(&typed(&form, name), max)) {
            texts.insert(name, t);
        }
    }
    for (name, _, max) in LINES {
        let read = if name == "call_centre_phone" {
            parse_phone(&typed(&form, name))
        } else {
            parse_line(&typed(&form, name), max, false)
        };
        if let Some(t) = view.check(name, read) {
            texts.insert(name, t);
        }
    }
    if !view.errors.is_empty() {
        return render_page(
            &app,
            &staff,
            &settings,
            Some(view),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let mut take = |name: &str| texts.remove(name).unwrap_or_default();
    let new = Wording {
        terms_ja: take("terms_ja"),
        terms_en: take("terms_en"),
        privacy_ja: take("privacy_ja"),
        privacy_en: take("privacy_en"),
        notice_ja: take("notice_ja"),
        notice_en: take("notice_en"),
        items_ja: take("items_ja"),
        items_en: take("items_en"),
        call_centre_name: take("call_centre_name"),
        call_centre_phone: take("call_centre_phone"),
        call_centre_hours: take("call_centre_hours"),
    };
    let what = describe_wording(&Wording::of(&settings), &new);
    if what.is_empty() {
        return redirect_done(&staff, "unchanged", "wording");
    }
    let detail = format!("ワクチン接種の文言を変更: {}", what.join("、"));
    let saved = vaccination::update_wording(
        &app.db,
        &staff.action(&app),
        settings.service_id,
        &new,
        &detail,
    )
    .await;
    match saved {
        Ok(()) => redirect_done(&staff, "wording_saved", "wording"),
        Err(e) => WebError::from(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    fn good() -> Vec<(&'static str, &'static str)> {
        vec![
            ("intervals", "2:21d 3:5m"),
            ("few_below_percent", "20"),
            ("few_at_or_below", ""),
            ("booking_window_days", "60"),
            ("session_idle_min", "30"),
            ("booking_cutoff_form", "days"),
            ("booking_cutoff_days", "1"),
            ("booking_cutoff_until", ""),
            ("change_cutoff_form", "days"),
            ("cancel_deadline_days", "3"),
            ("cancel_deadline_until", ""),
        ]
    }

    #[test]
    fn rules_are_read_with_a_message_per_bad_field() {
        let form = fields(&good());
        let mut view = FormView::typed("rules", &form, &RULE_FIELDS);
        let rules = read_rules(&mut view, &form).expect("the defaults read back");
        assert_eq!(rules.intervals.to_setting(), "2:21d 3:5m");
        assert!(view.errors.is_empty());

        let mut bad = good();
        bad[0] = ("intervals", "2回目は3週間後");
        bad[1] = ("few_below_percent", "150");
        bad[4] = ("session_idle_min", "1");
        let form = fields(&bad);
        let mut view = FormView::typed("rules", &form, &RULE_FIELDS);
        assert!(read_rules(&mut view, &form).is_none());
        assert!(
            view.errors["intervals"].contains("読み取れません"),
            "{view:?}"
        );
        assert!(view.errors["few_below_percent"].contains("0から100まで"));
        assert!(view.errors["session_idle_min"].contains("5から240まで"));
        assert!(!view.errors.contains_key("booking_window_days"));
    }

    #[test]
    fn changes_are_described_before_and_after() {
        let form = fields(&good());
        let mut view = FormView::typed("rules", &form, &RULE_FIELDS);
        let old = read_rules(&mut view, &form).unwrap();
        let new = Rules {
            intervals: IntervalRules::parse_setting("2:28d 3:6m").unwrap(),
            booking_window_days: 90,
            ..old.clone()
        };
        assert_eq!(
            describe_rules(&old, &new),
            vec![
                "接種間隔 2:21d 3:5m→2:28d 3:6m".to_string(),
                "予約受付期間 60日先まで→90日先まで".to_string(),
            ]
        );
        assert!(describe_rules(&old, &old).is_empty());
    }

    #[test]
    fn phone_numbers_in_any_width() {
        assert_eq!(
            parse_phone("０１２０－１２３－４５６"),
            Ok("0120-123-456".to_string())
        );
        assert_eq!(parse_phone(""), Ok(String::new()));
        assert!(parse_phone("電話してね").is_err());
    }
}
