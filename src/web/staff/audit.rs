//! The audit log for admins: every staff action, newest first, or one booking's.
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};

use super::{Denied, require};
use crate::app::AppState;
use crate::core::deadline;
use crate::core::receipt;
use crate::db::{audit, bookings};
use crate::web::error::WebError;
use crate::web::render;

const LIMIT: i64 = 500;

pub fn routes() -> Router<AppState> {
    Router::new().route("/t/{tenant}/staff/audit", get(list))
}

#[derive(Deserialize)]
pub struct AuditQuery {
    booking: Option<i64>,
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
        "check_in" => "来庁",
        "no_show" => "不在",
        "undo_status" => "状態を戻す",
        "phone_booking" => "電話予約",
        "cancel_booking" => "代理取消",
        "change_booking" => "代理変更",
        "import_notices" => "交付対象者取込",
        "schedule_change" => "スケジュール変更",
        "settings_change" => "設定変更",
        _ => "その他",
    }
}

pub async fn list(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<AuditQuery>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, true).await?;
    let booking = match q.booking {
        Some(id) => Some(
            bookings::find(&app.db, id)
                .await?
                .filter(|b| b.tenant_id == staff.tenant.id)
                .ok_or(Denied::Error(WebError::NotFound))?,
        ),
        None => None,
    };
    let rows: Vec<Row> = audit::list(&app.db, staff.tenant.id, q.booking, LIMIT)
        .await?
        .into_iter()
        .map(|r| Row {
            at: deadline::format_deadline_ja(deadline::jst_from_unix(r.at)),
            staff: r.staff_name.unwrap_or_default(),
            action: action_label(&r.action),
            booking_id: r.booking_id,
            detail: r.detail,
        })
        .collect();
    let mut ctx = staff.context();
    ctx.insert("rows", &rows);
    ctx.insert("limit", &LIMIT);
    ctx.insert(
        "booking_receipt",
        &booking
            .as_ref()
            .map(|b| receipt::format_receipt(&b.receipt_number)),
    );
    ctx.insert("booking_id", &q.booking);
    Ok(render(&app, "staff/audit.html", &ctx)?.into_response())
}
