//! 交付対象者の取込 (admins): upload the issued-notice list as CSV, read a preview with
//! every problem listed by line, then commit. The upload waits in the database between
//! the two steps, so any app instance can take the commit.
use std::collections::HashMap;

use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};

use super::{Denied, Staff, require};
use crate::app::AppState;
use crate::core::deadline;
use crate::core::notice_import::{
    Column, FileError, ImportPreview, KANA_MAX_CHARS, MAX_DATA_ROWS, MAX_FILE_BYTES, NAME_MAX_CHARS,
};
use crate::core::resident_input::{NumberFormat, format_date_ja};
use crate::db::imports::{self, CommitOutcome, ImportCounts, NoticeImport};
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::render;
use crate::web::session::check_csrf;

/// The request may be this much larger than the file: the multipart framing and the
/// CSRF field.
pub const MAX_UPLOAD_BYTES: usize = MAX_FILE_BYTES + 64 * 1024;
/// Rows shown on the preview.
pub const PREVIEW_ROWS: usize = 20;
/// Errors listed on the preview; the rest are counted.
pub const LISTED_ERRORS: usize = 500;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff/import", get(form).post(upload))
        .route("/t/{tenant}/staff/import/{id}", get(show))
        .route("/t/{tenant}/staff/import/{id}/commit", post(commit))
        // A 20 MB list must get through; the rest of the site keeps its small limit.
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
}

#[derive(Serialize)]
struct ColumnHelp {
    label: &'static str,
    aliases: String,
    required: bool,
    how: String,
}

fn column_help(staff: &Staff) -> Vec<ColumnHelp> {
    let number_help = |pattern: &str| {
        NumberFormat::parse(pattern)
            .map(|f| {
                let text = f
                    .describe()
                    .replace("ハガキに印字されたハイフン(-)は入力不要です。", "");
                format!("{text}ハイフンや全角文字があっても読み取ります。")
            })
            .unwrap_or_default()
    };
    Column::ALL
        .iter()
        .map(|&c| ColumnHelp {
            label: c.label(),
            aliases: c
                .aliases()
                .iter()
                .skip(1)
                .copied()
                .collect::<Vec<_>>()
                .join("、"),
            required: c.required(),
            how: match c {
                Column::Number1 => number_help(&staff.tenant.number1_format),
                Column::Number2 => format!(
                    "{}ファイルの中で同じ番号2は1回だけにしてください。",
                    number_help(&staff.tenant.number2_format)
                ),
                Column::Birthdate => {
                    "「19720415」「1972/4/15」「昭和47年4月15日」「S47.4.15」など。".to_string()
                }
                Column::Name => format!("{NAME_MAX_CHARS}文字まで。"),
                Column::Kana => format!(
                    "カタカナ{KANA_MAX_CHARS}文字まで(ひらがな・半角カナはカタカナにします)。"
                ),
            },
        })
        .collect()
}

#[derive(Serialize)]
pub(crate) struct ImportRow {
    id: i64,
    created_at: String,
    file_name: String,
    row_count: i32,
    status: &'static str,
    new_count: Option<i32>,
    updated_count: Option<i32>,
}

pub(crate) fn import_row(i: &NoticeImport, now: i64) -> ImportRow {
    ImportRow {
        id: i.id,
        created_at: deadline::format_deadline_ja(deadline::jst_from_unix(i.created_at)),
        file_name: i.file_name.clone(),
        row_count: i.row_count,
        status: if i.is_committed() {
            "取込済み"
        } else if i.is_expired(now) {
            "期限切れ(未取込)"
        } else {
            "確認中(未取込)"
        },
        new_count: i.new_count,
        updated_count: i.updated_count,
    }
}

/// The upload form, with `error` when an upload was refused before it could be read.
async fn render_form(
    app: &AppState,
    staff: &Staff,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, Denied> {
    let now = app.clock.now_unix();
    let recent: Vec<ImportRow> = imports::recent(&app.db, staff.tenant.id, 10)
        .await?
        .iter()
        .map(|i| import_row(i, now))
        .collect();
    let mut ctx = staff.context();
    ctx.insert("error", &error);
    ctx.insert("columns", &column_help(staff));
    ctx.insert("max_mb", &(MAX_FILE_BYTES / (1024 * 1024)));
    ctx.insert("max_rows", &MAX_DATA_ROWS);
    ctx.insert("recent", &recent);
    Ok((status, render(app, "staff/import.html", &ctx)?).into_response())
}

pub async fn form(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, true).await?;
    render_form(&app, &staff, StatusCode::OK, None).await
}

#[derive(Serialize)]
struct SampleRow {
    line: usize,
    number1: String,
    number2: String,
    birthdate: String,
    name: String,
    kana: String,
}

#[derive(Serialize)]
struct ErrorRow<'a> {
    line: usize,
    field: &'static str,
    reason: &'a str,
}

/// Text fit to show: the last path component (some browsers send "C:\\…\\list.csv"), no
/// control characters, not endlessly long.
pub(crate) fn shown_file_name(name: &str) -> String {
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    name.chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>()
        .trim()
        .to_string()
}

/// What the preview page of any list shows besides its sample rows: the file, its
/// encoding and counts, every problem (the first [`LISTED_ERRORS`]) and the import to
/// commit; with 422 when there are problems.
pub(crate) fn preview_context<R>(
    staff: &Staff,
    file_name: &str,
    preview: &ImportPreview<R>,
    counts: ImportCounts,
    import_id: Option<i64>,
) -> (tera::Context, StatusCode) {
    let errors: Vec<ErrorRow> = preview
        .errors
        .iter()
        .take(LISTED_ERRORS)
        .map(|e| ErrorRow {
            line: e.line,
            field: e.field,
            reason: &e.reason,
        })
        .collect();
    let mut ctx = staff.context();
    ctx.insert("file_name", file_name);
    ctx.insert("file_error", &None::<String>);
    ctx.insert("encoding", preview.encoding);
    ctx.insert("data_lines", &preview.data_lines);
    ctx.insert("valid_rows", &preview.rows.len());
    ctx.insert("new_count", &counts.new);
    ctx.insert("updated_count", &counts.updated);
    ctx.insert("error_count", &preview.errors.len());
    ctx.insert("errors", &errors);
    ctx.insert(
        "more_errors",
        &preview.errors.len().saturating_sub(LISTED_ERRORS),
    );
    ctx.insert("ignored_columns", &preview.ignored_columns.join("、"));
    ctx.insert("import_id", &import_id);
    let status = if preview.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (ctx, status)
}

/// The preview of a readable file: what would be written, and every problem.
fn render_preview(
    app: &AppState,
    staff: &Staff,
    file_name: &str,
    preview: &ImportPreview,
    counts: ImportCounts,
    import_id: Option<i64>,
) -> Result<Response, Denied> {
    let number1 = NumberFormat::parse(&staff.tenant.number1_format).ok();
    let sample: Vec<SampleRow> = preview
        .rows
        .iter()
        .take(PREVIEW_ROWS)
        .enumerate()
        .map(|(i, r)| SampleRow {
            line: i + 1,
            number1: number1
                .as_ref()
                .map(|f| f.display(&r.number1))
                .unwrap_or_else(|| r.number1.clone()),
            number2: r.number2.clone(),
            birthdate: format_date_ja(r.birthdate),
            name: r.name.clone(),
            kana: r.kana.clone(),
        })
        .collect();
    let (mut ctx, status) = preview_context(staff, file_name, preview, counts, import_id);
    ctx.insert("sample", &sample);
    Ok((status, render(app, "staff/import_preview.html", &ctx)?).into_response())
}

/// A file that could not be read as a list: its one message, nothing else.
fn render_file_error(
    app: &AppState,
    staff: &Staff,
    file_name: &str,
    error: &FileError,
) -> Result<Response, Denied> {
    let mut ctx = staff.context();
    ctx.insert("file_name", file_name);
    ctx.insert("file_error", &error.to_string());
    let status = match error {
        FileError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok((status, render(app, "staff/import_preview.html", &ctx)?).into_response())
}

/// Why the upload itself failed, in words for the person at the screen.
pub(crate) fn upload_failure(e: &MultipartError) -> (StatusCode, String) {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            too_large(MAX_UPLOAD_BYTES + 1),
        )
    } else {
        tracing::info!(error = %e.body_text(), "notice import upload failed");
        (
            StatusCode::BAD_REQUEST,
            "ファイルを受け取れませんでした(通信が途中で切れた可能性があります)。もう一度ファイルを選んでください。"
                .to_string(),
        )
    }
}

pub(crate) fn too_large(bytes: usize) -> String {
    FileError::TooLarge {
        bytes,
        max: MAX_FILE_BYTES,
    }
    .to_string()
}

/// Reads a field to its end, refusing more than `max` bytes.
async fn read_field(field: &mut Field<'_>, max: usize) -> Result<Option<Vec<u8>>, MultipartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        if bytes.len() + chunk.len() > max {
            return Ok(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Some(bytes))
}

pub(crate) struct Upload {
    pub csrf: String,
    pub file: Option<(String, Vec<u8>)>,
}

pub(crate) enum UploadError {
    TooLarge,
    Failed(MultipartError),
}

pub(crate) async fn read_upload(multipart: &mut Multipart) -> Result<Upload, UploadError> {
    let mut upload = Upload {
        csrf: String::new(),
        file: None,
    };
    while let Some(mut field) = multipart.next_field().await.map_err(UploadError::Failed)? {
        match field.name() {
            Some("csrf") => {
                let bytes = read_field(&mut field, 1024)
                    .await
                    .map_err(UploadError::Failed)?
                    .unwrap_or_default();
                upload.csrf = String::from_utf8_lossy(&bytes).into_owned();
            }
            Some("file") => {
                let name = shown_file_name(field.file_name().unwrap_or(""));
                let bytes = read_field(&mut field, MAX_FILE_BYTES)
                    .await
                    .map_err(UploadError::Failed)?
                    .ok_or(UploadError::TooLarge)?;
                // A form sent without choosing a file has a nameless, empty file part.
                if !(name.is_empty() && bytes.is_empty()) {
                    upload.file = Some((name, bytes));
                }
            }
            // Anything else is skipped: dropping the field skips its data.
            _ => {}
        }
    }
    Ok(upload)
}

pub async fn upload(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, true).await?;
    // Refused from the header, before a byte of the body is read.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(length) = declared
        && length > MAX_UPLOAD_BYTES
    {
        return render_form(
            &app,
            &staff,
            StatusCode::PAYLOAD_TOO_LARGE,
            Some(too_large(length)),
        )
        .await;
    }
    let Ok(mut multipart) = multipart else {
        return render_form(
            &app,
            &staff,
            StatusCode::BAD_REQUEST,
            Some(
                "ファイルを受け取れませんでした。この画面からファイルを選んで送ってください。"
                    .to_string(),
            ),
        )
        .await;
    };
    let upload = match read_upload(&mut multipart).await {
        Ok(u) => u,
        Err(UploadError::TooLarge) => {
            return render_form(
                &app,
                &staff,
                StatusCode::PAYLOAD_TOO_LARGE,
                Some(too_large(MAX_FILE_BYTES + 1)),
            )
            .await;
        }
        Err(UploadError::Failed(e)) => {
            let (status, message) = upload_failure(&e);
            return render_form(&app, &staff, status, Some(message)).await;
        }
    };
    check_csrf(&app, &jar, &upload.csrf)?;
    let Some((file_name, bytes)) = upload.file else {
        return render_form(
            &app,
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(FileError::NoFile.to_string()),
        )
        .await;
    };

    // Reading 100,000 rows takes a moment of CPU: off the async workers.
    let tenant = staff.tenant.clone();
    let today = app.clock.today();
    let parsed =
        tokio::task::spawn_blocking(move || imports::parse_for_tenant(&tenant, &bytes, today))
            .await
            .map_err(|e| WebError::Internal(format!("import parser: {e}")))?
            .map_err(WebError::Internal)?;
    let preview = match parsed {
        Ok(p) => p,
        Err(e) => return render_file_error(&app, &staff, &file_name, &e),
    };
    let counts = imports::preview_counts(&app.db, staff.tenant.id, &preview.rows).await?;
    let import_id = if preview.is_clean() {
        Some(
            imports::create_pending(
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
    let staff = require(&app, &jar, &slug, true).await?;
    check_csrf(
        &app,
        &jar,
        form.get("csrf").map(String::as_str).unwrap_or(""),
    )?;
    let outcome = imports::commit(
        &app.db,
        staff.tenant.id,
        id,
        Some(staff.user.id),
        app.clock.now_unix(),
    )
    .await?;
    let url = staff.url(&format!("/import/{id}"));
    match outcome {
        CommitOutcome::Committed(_) => Ok(Redirect::to(&url).into_response()),
        CommitOutcome::AlreadyCommitted => {
            Ok(Redirect::to(&format!("{url}?again=1")).into_response())
        }
        CommitOutcome::Expired => Ok(Redirect::to(&url).into_response()),
        CommitOutcome::NotFound => Err(Denied::Error(WebError::NotFound)),
    }
}

#[derive(Deserialize)]
pub struct ShowQuery {
    again: Option<String>,
}

/// One import: its result once committed, or the button while it waits.
pub async fn show(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    Query(q): Query<ShowQuery>,
    jar: CookieJar,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, true).await?;
    let import = imports::find(&app.db, staff.tenant.id, id)
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
    Ok((status, render(&app, "staff/import_result.html", &ctx)?).into_response())
}
