//! 接種券の取込 (admins): upload the ticket list as CSV, read a preview with every problem
//! listed by line and column, then commit all or nothing. As the notice import does
//! (staff::imports, whose upload reading this reuses), the upload waits in the database
//! between the two steps, so any app instance can take the commit.
use std::collections::HashMap;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};

use super::require_vaccination;
use crate::app::AppState;
use crate::core::deadline;
use crate::core::notice_import::{FileError, MAX_DATA_ROWS, MAX_FILE_BYTES};
use crate::core::resident_input::format_date_ja;
use crate::core::ticket_import::{TicketFileError, TicketPreview, column_help};
use crate::core::vaccination::dose::DoseNumber;
use crate::db::imports::{CommitOutcome, ImportCounts};
use crate::db::ticket_imports;
use crate::i18n::Lang;
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::render;
use crate::web::session::check_csrf;
use crate::web::staff::imports::{
    MAX_UPLOAD_BYTES, PREVIEW_ROWS, UploadError, import_row, preview_context, read_upload,
    too_large, upload_failure,
};
use crate::web::staff::{Denied, Staff};

const IMPORT: &str = "/vaccination/tickets/import";

/// Merged outside the site's 1 MB body limit (see `web::router`): a 20 MB list must get
/// through.
pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/t/{tenant}/staff/vaccination/tickets/import",
            get(form).post(upload),
        )
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
}

/// The rest, under the ordinary limit.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/t/{tenant}/staff/vaccination/tickets/import/{id}",
            get(show),
        )
        .route(
            "/t/{tenant}/staff/vaccination/tickets/import/{id}/commit",
            post(commit),
        )
}

#[derive(Serialize)]
struct ColumnHelp {
    label: &'static str,
    aliases: String,
    required: bool,
    how: String,
}

async fn render_form(
    app: &AppState,
    staff: &Staff,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, Denied> {
    let now = app.clock.now_unix();
    let recent: Vec<_> = ticket_imports::recent(&app.db, staff.tenant.id, 10)
        .await?
        .iter()
        .map(|i| import_row(i, now))
        .collect();
    let columns: Vec<ColumnHelp> = column_help()
        .into_iter()
        .map(|(label, aliases, required, how)| ColumnHelp {
            label,
            aliases,
            required,
            how,
        })
        .collect();
    let mut ctx = staff.context();
    ctx.insert("error", &error);
    ctx.insert("columns", &columns);
    ctx.insert("max_mb", &(MAX_FILE_BYTES / (1024 * 1024)));
    ctx.insert("max_rows", &MAX_DATA_ROWS);
    ctx.insert("recent", &recent);
    Ok((
        status,
        render(app, "staff/vaccination/ticket_import.html", &ctx)?,
    )
        .into_response())
}

pub async fn form(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let (staff, _) = require_vaccination(&app, &jar, &slug, true).await?;
    render_form(&app, &staff, StatusCode::OK, None).await
}

#[derive(Serialize)]
struct SampleRow {
    number: String,
    birthdate: String,
    dose: String,
    previous: String,
    name: String,
    kana: String,
}

fn render_preview(
    app: &AppState,
    staff: &Staff,
    file_name: &str,
    preview: &TicketPreview,
    counts: ImportCounts,
    import_id: Option<i64>,
) -> Result<Response, Denied> {
    let sample: Vec<SampleRow> = preview
        .rows
        .iter()
        .take(PREVIEW_ROWS)
        .map(|r| SampleRow {
            number: r.ticket_number.clone(),
            birthdate: format_date_ja(r.birthdate),
            dose: u8::try_from(r.dose_number)
                .ok()
                .and_then(DoseNumber::new)
                .map(|d| d.label(Lang::Ja))
                .unwrap_or_default(),
            previous: r.previous_dose_on.map(format_date_ja).unwrap_or_default(),
            name: r.name.clone(),
            kana: r.kana.clone(),
        })
        .collect();
    let (mut ctx, status) = preview_context(staff, file_name, preview, counts, import_id);
    ctx.insert("sample", &sample);
    Ok((
        status,
        render(app, "staff/vaccination/ticket_import_preview.html", &ctx)?,
    )
        .into_response())
}

fn render_file_error(
    app: &AppState,
    staff: &Staff,
    file_name: &str,
    error: &TicketFileError,
) -> Result<Response, Denied> {
    let mut ctx = staff.context();
    ctx.insert("file_name", file_name);
    ctx.insert("file_error", &error.to_string());
    let status = match error.0 {
        FileError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok((
        status,
        render(app, "staff/vaccination/ticket_import_preview.html", &ctx)?,
    )
        .into_response())
}

pub async fn upload(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, Denied> {
    let (staff, _) = require_vaccination(&app, &jar, &slug, true).await?;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(length) = declared
        && length > MAX_UPLOAD_BYTES
    {
        let message = Some(too_large(length));
        return render_form(&app, &staff, StatusCode::PAYLOAD_TOO_LARGE, message).await;
    }
    let Ok(mut multipart) = multipart else {
        let message =
            "ファイルを受け取れませんでした。この画面からファイルを選んで送ってください。";
        return render_form(
            &app,
            &staff,
            StatusCode::BAD_REQUEST,
            Some(message.to_string()),
        )
        .await;
    };
    let upload = match read_upload(&mut multipart).await {
        Ok(u) => u,
        Err(UploadError::TooLarge) => {
            let message = Some(too_large(MAX_FILE_BYTES + 1));
            return render_form(&app, &staff, StatusCode::PAYLOAD_TOO_LARGE, message).await;
        }
        Err(UploadError::Failed(e)) => {
            let (status, message) = upload_failure(&e);
            return render_form(&app, &staff, status, Some(message)).await;
        }
    };
    check_csrf(&app, &jar, &upload.csrf)?;
    let Some((file_name, bytes)) = upload.file else {
        let message = Some(FileError::NoFile.to_string());
        return render_form(&app, &staff, StatusCode::UNPROCESSABLE_ENTITY, message).await;
    };
    let today = app.clock.today();
    let preview = tokio::task::spawn_blocking(move || ticket_imports::parse(&bytes, today))
        .await
        .map_err(|e| WebError::Internal(format!("ticket import parser: {e}")))?;
    let preview = match preview {
        Ok(p) => p,
        Err(e) => return render_file_error(&app, &staff, &file_name, &e),
    };
    let counts = ticket_imports::preview_counts(&app.db, staff.tenant.id, &preview.rows).await?;
    let import_id = if preview.is_clean() {
        Some(
            ticket_imports::create_pending(
                &app.db,
                staff.tenant.id,
                Some(staff.user.id),
                preview.encoding,
                &file_name,
                &preview.rows,
                app.clock.now_unix(),
            )
            .await?,
        )
    } else {
        None
    };
    render_preview(&app, &staff, &file_name, &preview, counts, import_id)
}

pub async fn commit(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, Denied> {
    let (staff, settings) = require_vaccination(&app, &jar, &slug, true).await?;
    check_csrf(
        &app,
        &jar,
        form.get("csrf").map(String::as_str).unwrap_or(""),
    )?;
    let outcome = ticket_imports::commit(
        &app.db,
        staff.tenant.id,
        settings.service_id,
        id,
        Some(staff.user.id),
        app.clock.now_unix(),
    )
    .await?;
    let url = staff.url(&format!("{IMPORT}/{id}"));
    match outcome {
        CommitOutcome::Committed(_) | CommitOutcome::Expired => {
            Ok(Redirect::to(&url).into_response())
        }
        CommitOutcome::AlreadyCommitted => {
            Ok(Redirect::to(&format!("{url}?again=1")).into_response())
        }
        CommitOutcome::NotFound => Err(Denied::Error(WebError::NotFound)),
    }
}

#[derive(Deserialize)]
pub struct ShowQuery {
    again: Option<String>,
}

pub async fn show(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    Query(q): Query<ShowQuery>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let (staff, _) = require_vaccination(&app, &jar, &slug, true).await?;
    let import = ticket_imports::find(&app.db, staff.tenant.id, id)
        .await?
        .ok_or(Denied::Error(WebError::NotFound))?;
    let now = app.clock.now_unix();
    let mut ctx = staff.context();
    ctx.insert("import", &import_row(&import, now));
    ctx.insert("committed", &import.is_committed());
    ctx.insert("expired", &import.is_expired(now));
    ctx.insert("encoding", &import.encoding);
    ctx.insert(
        "committed_at",
        &import
            .committed_at
            .map(|t| deadline::format_deadline_ja(deadline::jst_from_unix(t))),
    );
    ctx.insert("again", &q.again.is_some());
    let status = if import.is_expired(now) {
        StatusCode::GONE
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        render(&app, "staff/vaccination/ticket_import_result.html", &ctx)?,
    )
        .into_response())
}
