//! The audit log for admins: every staff action, newest first, a page at a time, narrowed
//! by date range, member of staff or booking. Everything is in the GET query, so a page
//! can be bookmarked, reloaded and sent to a colleague.
use std::collections::{BTreeMap, HashMap};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use serde::Serialize;
use time::Date;

use super::day_roster::parse_day;
use super::{Denied, Staff, require};
use crate::app::AppState;
use crate::core::deadline;
use crate::core::receipt;
use crate::db::audit::{self, AuditCursor, AuditFilter};
use crate::db::{bookings, staff as staff_db};
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::render;

/// Entries per page: a screenful to scan, small enough to load at once.
pub const PAGE_SIZE: i64 = 100;

const BAD_DATE: &str = "日付を読み取れませんでした。「2026-12-01」の形で入力してください。";
const TO_BEFORE_FROM: &str = "終了日は開始日と同じ日か、それより後の日付にしてください。";
const UNKNOWN_STAFF: &str = "職員は一覧から選んでください。";

pub fn routes() -> Router<AppState> {
    Router::new().route("/t/{tenant}/staff/audit", get(list))
}

#[derive(Serialize)]
struct Row {
    at: String,
    staff: String,
    action: &'static str,
    booking_id: Option<i64>,
    detail: String,
}

/// The action codes in words.
fn action_label(code: &str) -> &'static str {
    match code {
        "login" => "ログイン",
        "login_failed" => "ログイン失敗",
        "logout" => "ログアウト",
        "check_in" => "来庁",
        "no_show" => "不在",
        "undo_status" => "状態を戻す",
        "phone_booking" => "電話予約",
        "cancel_booking" => "代理取消",
        "change_booking" => "代理変更",
        "reissue_password" => "パスワード再発行",
        "roster_print" => "予約一覧の印刷",
        "roster_csv" => "予約一覧のCSV出力",
        "import_notices" => "交付対象者取込",
        "schedule_change" => "スケジュール変更",
        "settings_change" => "設定変更",
        "resend_mail" => "メール再送",
        // 画面の文言 (issue 11)
        "pages_change" => "画面の文言の変更",
        "header_image_change" => "ヘッダー画像の変更",
        // 接種券 (issue 12, tickets)
        "import_tickets" => "接種券取込",
        "ticket_change" => "接種券の修正",
        _ => "その他",
    }
}

#[derive(Serialize)]
struct StaffOption {
    id: i64,
    label: String,
    selected: bool,
}

/// The filter as typed, and what it means once every field parsed.
struct Asked {
    from: String,
    to: String,
    staff: String,
    booking: Option<i64>,
    errors: BTreeMap<&'static str, &'static str>,
    filter: AuditFilter,
}

fn param<'a>(q: &'a HashMap<String, String>, name: &str) -> &'a str {
    q.get(name).map(|s| s.trim()).unwrap_or("")
}

/// Midnight (JST) at the start of `day`, in Unix seconds.
fn day_start(day: Date) -> i64 {
    deadline::unix_from_jst(deadline::slot_start(day, 0))
}

fn read_filter(q: &HashMap<String, String>, staff_ids: &[i64], booking: Option<i64>) -> Asked {
    let mut errors = BTreeMap::new();
    let mut day = |name: &'static str| -> Option<Date> {
        let typed = param(q, name);
        if typed.is_empty() {
            return None;
        }
        let parsed = parse_day(typed);
        if parsed.is_none() {
            errors.insert(name, BAD_DATE);
        }
        parsed
    };
    let from = day("from");
    let to = day("to");
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        errors.insert("to", TO_BEFORE_FROM);
    }
    let typed_staff = param(q, "staff");
    let staff_user_id = if typed_staff.is_empty() {
        None
    } else {
        let id = typed_staff
            .parse::<i64>()
            .ok()
            .filter(|id| staff_ids.contains(id));
        if id.is_none() {
            errors.insert("staff", UNKNOWN_STAFF);
        }
        id
    };
    Asked {
        from: param(q, "from").to_string(),
        to: param(q, "to").to_string(),
        staff: typed_staff.to_string(),
        booking,
        filter: AuditFilter {
            booking_id: booking,
            staff_user_id,
            from: from.map(day_start),
            // The whole of the last day.
            until: to.and_then(|t| t.next_day()).map(day_start),
        },
        errors,
    }
}

impl Asked {
    /// The page's URL with this filter (as normalised) and a cursor.
    fn url(&self, staff: &Staff, cursor: Option<(&str, i64)>) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        if let Some(b) = self.booking {
            q.append_pair("booking", &b.to_string());
        }
        for (name, value) in [
            ("from", &self.from),
            ("to", &self.to),
            ("staff", &self.staff),
        ] {
            if !value.is_empty() {
                q.append_pair(name, value);
            }
        }
        if let Some((name, id)) = cursor {
            q.append_pair(name, &id.to_string());
        }
        let q = q.finish();
        if q.is_empty() {
            staff.url("/audit")
        } else {
            staff.url(&format!("/audit?{q}"))
        }
    }
}

/// `older=ID` or `newer=ID` from the paging links; anything else is the newest page.
fn read_cursor(q: &HashMap<String, String>) -> AuditCursor {
    let id = |name| param(q, name).parse::<i64>().ok();
    match (id("older"), id("newer")) {
        (Some(id), _) => AuditCursor::OlderThan(id),
        (None, Some(id)) => AuditCursor::NewerThan(id),
        (None, None) => AuditCursor::Newest,
    }
}

pub async fn list(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    Query(q): Query<HashMap<String, String>>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, true).await?;
    // The booking comes from the roster's and booking page's links: one that is not
    // this municipality's (or not a number) is a page that does not exist.
    let booking = match param(&q, "booking") {
        "" => None,
        raw => {
            let id = raw.parse::<i64>().map_err(|_| WebError::NotFound)?;
            Some(
                bookings::find(&app.db, id)
                    .await?
                    .filter(|b| b.tenant_id == staff.tenant.id)
                    .ok_or(WebError::NotFound)?,
            )
        }
    };
    let colleagues = staff_db::of_tenant(&app.db, staff.tenant.id).await?;
    let ids: Vec<i64> = colleagues.iter().map(|u| u.id).collect();
    let asked = read_filter(&q, &ids, booking.as_ref().map(|b| b.id));
    let mut ctx = staff.context();
    let status = if asked.errors.is_empty() {
        let found = audit::page(
            &app.db,
            staff.tenant.id,
            &asked.filter,
            read_cursor(&q),
            PAGE_SIZE,
        )
        .await?;
        let older = found
            .has_older
            .then(|| {
                found
                    .rows
                    .last()
                    .map(|r| asked.url(&staff, Some(("older", r.id))))
            })
            .flatten();
        let newer = found
            .has_newer
            .then(|| {
                found
                    .rows
                    .first()
                    .map(|r| asked.url(&staff, Some(("newer", r.id))))
            })
            .flatten()
            // An empty page past the newest end still leads back.
            .or_else(|| found.has_newer.then(|| asked.url(&staff, None)));
        let rows: Vec<Row> = found
            .rows
            .into_iter()
            .map(|r| Row {
                at: deadline::format_deadline_ja(deadline::jst_from_unix(r.at)),
                staff: r.staff_name.unwrap_or_else(|| "—".to_string()),
                action: action_label(&r.action),
                booking_id: r.booking_id,
                detail: r.detail,
            })
            .collect();
        ctx.insert("rows", &rows);
        ctx.insert("older_url", &older);
        ctx.insert("newer_url", &newer);
        StatusCode::OK
    } else {
        ctx.insert("rows", &Vec::<Row>::new());
        ctx.insert("older_url", &Option::<String>::None);
        ctx.insert("newer_url", &Option::<String>::None);
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let options: Vec<StaffOption> = colleagues
        .iter()
        .map(|u| StaffOption {
            id: u.id,
            label: if u.active {
                u.display_name.clone()
            } else {
                format!("{}(無効)", u.display_name)
            },
            selected: asked.filter.staff_user_id == Some(u.id),
        })
        .collect();
    ctx.insert("staff_options", &options);
    ctx.insert("from", &asked.from);
    ctx.insert("to", &asked.to);
    ctx.insert("errors", &asked.errors);
    ctx.insert(
        "filtered",
        &(!asked.from.is_empty() || !asked.to.is_empty() || !asked.staff.is_empty()),
    );
    ctx.insert("page_size", &PAGE_SIZE);
    ctx.insert(
        "booking_receipt",
        &booking
            .as_ref()
            .map(|b| receipt::format_receipt(&b.receipt_number)),
    );
    ctx.insert("booking_id", &booking.as_ref().map(|b| b.id));
    let clear = Asked {
        from: String::new(),
        to: String::new(),
        staff: String::new(),
        booking: asked.booking,
        errors: BTreeMap::new(),
        filter: AuditFilter::default(),
    };
    ctx.insert("clear_url", &clear.url(&staff, None));
    Ok((status, render(&app, "staff/audit.html", &ctx)?).into_response())
}
