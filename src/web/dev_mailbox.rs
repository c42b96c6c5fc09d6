//! Development mailbox pages: the mails the app has "sent" with the `dev_mailbox` transport,
//! so a developer can read them and follow their links without an SMTP server. Only with
//! the demo pages on (development mode) and that transport; otherwise these URLs do not exist.
use std::path::PathBuf;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::error::WebError;
use super::render;
use crate::app::AppState;
use crate::mail::{self, dev_mailbox};
use crate::web::PathParams;

#[derive(Serialize)]
struct MailRow {
    id: String,
    sent_at: String,
    to: String,
    subject: String,
    has_ics: bool,
}

pub async fn list(State(app): State<AppState>) -> Result<Response, WebError> {
    let dir = mailbox_dir(&app)?;
    let shown = dir.display().to_string();
    let mails = tokio::task::spawn_blocking(move || mail::read_dev_mailbox(&dir))
        .await
        .map_err(|e| WebError::Internal(format!("reading the development mailbox: {e}")))?;
    let rows: Vec<MailRow> = mails
        .into_iter()
        .map(|(id, m, sent_at)| MailRow {
            id,
            sent_at: format_sent_at(sent_at),
            to: m.to,
            subject: m.subject,
            has_ics: m.ics.is_some(),
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("mails", &rows);
    ctx.insert("limit", &dev_mailbox::LIST_LIMIT);
    ctx.insert("dir", &shown);
    Ok(render(&app, "dev_mailbox.html", &ctx)?.into_response())
}

pub async fn show(
    State(app): State<AppState>,
    PathParams(id): PathParams<String>,
) -> Result<Response, WebError> {
    let dir = mailbox_dir(&app)?;
    let (m, sent_at) = tokio::task::spawn_blocking(move || mail::read_dev_mail(&dir, &id))
        .await
        .map_err(|e| WebError::Internal(format!("reading the development mailbox: {e}")))?
        .ok_or(WebError::NotFound)?;
    let mut ctx = tera::Context::new();
    ctx.insert("sent_at", &format_sent_at(sent_at));
    ctx.insert("to", &m.to);
    ctx.insert("subject", &m.subject);
    // Escaped in full by text_to_html_with_links, links added: the one `| safe` in the template.
    ctx.insert("body_html", &mail::text_to_html_with_links(&m.text));
    // The HTML version is never rendered here: only noted.
    ctx.insert("has_html", &m.html.is_some());
    ctx.insert("ics", &m.ics);
    ctx.insert("ics_filename", mail::ICS_FILENAME);
    // The picture the HTML version shows (the receipt's QR code), so that a developer can
    // scan it at the counter page; the page's CSP allows data: images.
    ctx.insert(
        "inline_png",
        &m.inline_png.as_ref().map(|png| {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.encode(png)
        }),
    );
    Ok(render(&app, "dev_mail.html", &ctx)?.into_response())
}

/// The mailbox folder, or 404 when these pages are off.
fn mailbox_dir(app: &AppState) -> Result<PathBuf, WebError> {
    if !app.demo_pages_enabled() {
        return Err(WebError::NotFound);
    }
    app.mailer
        .dev_mailbox_dir()
        .map(|d| d.to_path_buf())
        .ok_or(WebError::NotFound)
}

/// "2026年12月1日(火) 09:30:05" in JST.
fn format_sent_at(unix: i64) -> String {
    let t = crate::core::deadline::jst_from_unix(unix);
    format!(
        "{}:{:02}",
        crate::core::deadline::format_deadline_ja(t),
        t.second()
    )
}
