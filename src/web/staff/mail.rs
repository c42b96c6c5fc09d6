//! メール送信状況 (admin only): mails the outbox gave up on, with a [再送する] button each,
//! and mails still being retried after a failure, so an administrator learns of a broken
//! SMTP relay or a mistyped address before the resident phones. Addresses are shown
//! masked; the stored error texts had addresses removed when they were written.
use std::collections::HashMap;

use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Serialize;

use super::{Denied, no_store, require};
use crate::app::AppState;
use crate::core::deadline;
use crate::core::redact::mask_mail_address;
use crate::db::outbox::{self, TroubledMail};
use crate::web::PathParams;
use crate::web::render;
use crate::web::session::check_csrf;

/// Rows per list: a broken relay can fail hundreds of mails; the newest say enough.
pub const LIST_LIMIT: i64 = 200;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff/mail", get(page))
        .route("/t/{tenant}/staff/mail/{id}/resend", post(resend))
}

#[derive(Serialize)]
struct Row {
    id: i64,
    to: String,
    subject: String,
    attempts: i32,
    last_error: String,
    created_at: String,
    next_attempt_at: String,
}

fn at(unix: i64) -> String {
    deadline::format_deadline_ja(deadline::jst_from_unix(unix))
}

fn row(m: TroubledMail) -> Row {
    Row {
        id: m.id,
        to: mask_mail_address(&m.to),
        subject: m.subject,
        attempts: m.attempts,
        last_error: m.last_error.unwrap_or_else(|| "—".to_string()),
        created_at: at(m.created_at),
        next_attempt_at: at(m.next_attempt_at),
    }
}

/// The message after a resend, from a fixed code only (the URL is not trusted).
fn result_message(code: &str) -> Option<(&'static str, bool)> {
    match code {
        "resent" => Some(("メールを再送待ちにしました。まもなく送信されます。", false)),
        "stale" => Some((
            "このメールはすでに再送待ちか、送信済みです。一覧を確かめてください。",
            true,
        )),
        _ => None,
    }
}

pub async fn page(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    Query(q): Query<HashMap<String, String>>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, true).await?;
    let (failed, retrying) = outbox::troubled(&app.db, staff.tenant.id, LIST_LIMIT).await?;
    let mut ctx = staff.context();
    ctx.insert("failed", &failed.into_iter().map(row).collect::<Vec<_>>());
    ctx.insert(
        "retrying",
        &retrying.into_iter().map(row).collect::<Vec<_>>(),
    );
    ctx.insert("max_attempts", &outbox::MAX_ATTEMPTS);
    ctx.insert("list_limit", &LIST_LIMIT);
    let result = q.get("result").and_then(|c| result_message(c));
    ctx.insert("result", &result.map(|r| r.0));
    ctx.insert("result_is_warning", &result.is_some_and(|r| r.1));
    Ok(no_store(
        render(&app, "staff/mail.html", &ctx)?.into_response(),
    ))
}

pub async fn resend(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, true).await?;
    check_csrf(
        &app,
        &jar,
        form.get("csrf").map(String::as_str).unwrap_or(""),
    )?;
    let resent = outbox::resend_failed(
        &app.db,
        staff.tenant.id,
        id,
        staff.user.id,
        app.clock.now_unix(),
    )
    .await?;
    if resent {
        // Sent by the next delivery run, not in this request: SMTP may be slow.
        app.mail_wakeup.notify_one();
    }
    let code = if resent { "resent" } else { "stale" };
    Ok(Redirect::to(&staff.url(&format!("/mail?result={code}"))).into_response())
}
