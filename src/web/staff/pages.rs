//! 画面の文言 (admin only): the municipality's header image and the texts of the resident
//! pages that seed 004 says differ by municipality, in Japanese and English, each back to
//! its shipped default in one press. Every change is written with its audit entry (before
//! → after) and bumps the tenant's `pages_version`, so every instance shows it on the next
//! page (see `web::municipality_pages`).
use std::collections::HashMap;

use axum::Form;
use axum::Router;
use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::admin_post;
use super::schedule::{Fields, FormView, typed};
use super::{Denied, Staff, require};
use crate::app::AppState;
use crate::core::municipality_pages::header_image::{self, ImageProblem, MAX_BYTES};
use crate::core::municipality_pages::{PageText, Written, parse_text, written_from_form};
use crate::db::municipality_pages::{self as storage, NewImage, Saved, call_centre_of};
use crate::i18n::Lang;
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::municipality_pages::{default_text, image_url};
use crate::web::render;
use crate::web::session::check_csrf;

/// The page and its text forms (under the site's 1 MB body limit).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff/pages", get(page))
        .route("/t/{tenant}/staff/pages/texts/{key}", post(save_text))
        .route(
            "/t/{tenant}/staff/pages/texts/{key}/reset",
            post(reset_text),
        )
        .route("/t/{tenant}/staff/pages/image/delete", post(remove_image))
}

/// The request may be this much larger than the picture: the multipart framing, the CSRF
/// field and the alternative texts.
const MAX_UPLOAD_BYTES: usize = MAX_BYTES + 64 * 1024;

/// The image upload, merged outside the site's 1 MB limit (see `web::router`) so that a
/// picture just over the limit gets a message next to its field, not a bare 413.
pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff/pages/image", post(save_image))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
}

const ALT_MAX_CHARS: usize = 100;

fn done_message(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "text_saved" => "文言を保存しました。住民の画面にすぐ反映されます。",
        "text_reset" => "文言を初期値に戻しました。",
        "image_saved" => "ヘッダー画像を保存しました。住民の画面にすぐ反映されます。",
        "image_removed" => "ヘッダー画像を削除しました。",
        "unchanged" => "変更はありませんでした。",
        _ => return None,
    })
}

/// One text's section on the page.
#[derive(Serialize)]
struct TextView {
    key: &'static str,
    label: &'static str,
    multiline: bool,
    /// The limits, under each field.
    ja_hint: String,
    en_hint: String,
    /// Written by the municipality (the reset button is offered).
    customised: bool,
    default_ja: String,
    default_en: String,
    where_shown: &'static str,
    form: FormView,
}

fn where_shown(which: PageText) -> &'static str {
    match which {
        PageText::SiteName => "すべての住民向け画面の上部と、トップページの見出し。",
        PageText::Number1Where => {
            "メールアドレス入力画面の[番号1を入力してください]の下。番号の桁の説明(設定の「番号1の書式」から作ります)がこの後に続きます。"
        }
        PageText::Number2Where => {
            "番号2の入力欄([番号2を入力してください])の下。番号の桁の説明がこの後に続きます。"
        }
        PageText::Bring => "予約詳細画面、印刷用の画面、よくある質問(当日の持ち物)。",
        PageText::DoneNote => "予約入力完了画面の最後。",
        PageText::CallCentre => {
            "住民向けの画面の下、変更・取消の期限を過ぎた予約の案内、メール。空欄なら表示しません(「窓口までお問い合わせください」と案内します)。"
        }
    }
}

/// The limits of a text's field, said under it.
fn field_hint(which: PageText) -> String {
    let mut hint = format!("{}文字まで。", which.max_chars());
    hint.push_str(if which.multiline() {
        "改行はそのまま表示します。"
    } else {
        "1行で入力します。"
    });
    if which.may_be_empty() {
        hint.push_str("空欄にすると表示しません。");
    }
    hint
}

fn text_form(which: PageText, written: &Written, default_ja: &str) -> FormView {
    FormView::new(
        format!("text-{}", which.key()),
        &[
            (
                "ja",
                written.ja.clone().unwrap_or_else(|| default_ja.to_string()),
            ),
            ("en", written.en.clone().unwrap_or_default()),
        ],
    )
}

#[derive(Serialize)]
struct ImageView {
    url: String,
    alt_ja: String,
    file_name: String,
    width: i32,
    height: i32,
    kind: &'static str,
}

async fn render_page(
    app: &AppState,
    staff: &Staff,
    failed: Option<FormView>,
    done: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let tenant = &staff.tenant;
    let stored = storage::load(&app.db, tenant.id).await?;
    let failed = failed.as_ref();
    let texts: Vec<TextView> = PageText::ALL
        .into_iter()
        .map(|which| {
            let written = if which == PageText::CallCentre {
                call_centre_of(&tenant.contact, &tenant.contact_en)
            } else {
                stored.written(which)
            };
            let default_ja = default_text(which, Lang::Ja, tenant);
            TextView {
                key: which.key(),
                label: which.label_ja(),
                multiline: which.multiline(),
                ja_hint: field_hint(which),
                en_hint: format!(
                    "{}英語の初期値:{}",
                    field_hint(which).replace("空欄にすると表示しません。", ""),
                    match default_text(which, Lang::En, tenant) {
                        t if t.is_empty() => "なし".to_string(),
                        t => t,
                    }
                ),
                customised: !written.is_default(),
                default_en: default_text(which, Lang::En, tenant),
                where_shown: where_shown(which),
                form: text_form(which, &written, &default_ja).or_failed(failed),
                default_ja,
            }
        })
        .collect();
    let image = stored.image.as_ref().map(|i| ImageView {
        url: image_url(&tenant.slug, i),
        alt_ja: i.alt_ja.clone(),
        file_name: i.file_name.clone(),
        width: i.width,
        height: i.height,
        kind: header_image::ImageKind::from_content_type(&i.content_type)
            .map(header_image::ImageKind::name)
            .unwrap_or(""),
    });
    let image_form = FormView::new(
        "image",
        &[
            (
                "alt_ja",
                stored
                    .image
                    .as_ref()
                    .map(|i| i.alt_ja.clone())
                    .unwrap_or_default(),
            ),
            (
                "alt_en",
                stored
                    .image
                    .as_ref()
                    .map(|i| i.alt_en.clone())
                    .unwrap_or_default(),
            ),
        ],
    )
    .or_failed(failed);
    let mut ctx = staff.context();
    ctx.insert("texts", &texts);
    ctx.insert("image", &image);
    ctx.insert("image_form", &image_form);
    ctx.insert("max_kb", &(MAX_BYTES / 1024));
    ctx.insert("max_width", &header_image::MAX_WIDTH);
    ctx.insert("max_height", &header_image::MAX_HEIGHT);
    ctx.insert("alt_max", &ALT_MAX_CHARS);
    ctx.insert("done", &done);
    ctx.insert("error_summary", &failed.map(summary).unwrap_or_default());
    ctx.insert("refusal", &None::<()>);
    Ok((status, render(app, "staff/pages.html", &ctx)?).into_response())
}

/// (field id, "label: message") for the error summary, in the page's order.
fn summary(view: &FormView) -> Vec<(String, String)> {
    let label = |name: &str| -> String {
        if view.key == "image" {
            return match name {
                "file" => "画像ファイル",
                "alt_ja" => "代替テキスト",
                "alt_en" => "代替テキスト(英語)",
                _ => "入力",
            }
            .to_string();
        }
        let text = view
            .key
            .strip_prefix("text-")
            .and_then(PageText::from_key)
            .map(PageText::label_ja)
            .unwrap_or("文言");
        match name {
            "en" => format!("{text}(英語)"),
            _ => format!("{text}(日本語)"),
        }
    };
    ["file", "alt_ja", "alt_en", "ja", "en"]
        .into_iter()
        .filter_map(|name| {
            let message = view.errors.get(name)?;
            Some((
                format!("{}-{name}", view.key),
                format!("{}: {message}", label(name)),
            ))
        })
        .collect()
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
        None,
        done_message(q.get("done").map(String::as_str)),
        StatusCode::OK,
    )
    .await
    .into_response()
}

fn redirect_done(staff: &Staff, code: &str, anchor: &str) -> Response {
    Redirect::to(&staff.url(&format!("/pages?done={code}#{anchor}"))).into_response()
}

async fn invalid(app: &AppState, staff: &Staff, view: FormView, status: StatusCode) -> Response {
    render_page(app, staff, Some(view), None, status)
        .await
        .into_response()
}

fn saved(
    staff: &Staff,
    result: Result<Saved, crate::db::DbError>,
    done: &str,
    anchor: &str,
) -> Response {
    match result {
        Ok(Saved::Saved) => redirect_done(staff, done, anchor),
        Ok(Saved::Unchanged | Saved::NoImage) => redirect_done(staff, "unchanged", anchor),
        Err(e) => WebError::from(e).into_response(),
    }
}

pub async fn save_text(
    State(app): State<AppState>,
    PathParams((slug, key)): PathParams<(String, String)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(which) = PageText::from_key(&key) else {
        return WebError::NotFound.into_response();
    };
    let mut view = FormView::typed(format!("text-{key}"), &form, &["ja", "en"]);
    let ja = view.check("ja", parse_text(which, &typed(&form, "ja")));
    let en = view.check("en", parse_text(which, &typed(&form, "en")));
    if let Some(ja) = &ja
        && ja.is_empty()
        && !which.may_be_empty()
    {
        view.error("ja", format!("{}を入力してください。", which.label_ja()));
    }
    let (Some(ja), Some(en)) = (ja, en) else {
        return invalid(&app, &staff, view, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    if !view.errors.is_empty() {
        return invalid(&app, &staff, view, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let default_ja = default_text(which, Lang::Ja, &staff.tenant);
    let new = written_from_form(ja, en, &default_ja);
    let result = storage::save_text(&app.db, &staff.action(&app), which, &new).await;
    saved(&staff, result, "text_saved", &format!("text-{key}"))
}

pub async fn reset_text(
    State(app): State<AppState>,
    PathParams((slug, key)): PathParams<(String, String)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(which) = PageText::from_key(&key) else {
        return WebError::NotFound.into_response();
    };
    let result = storage::save_text(&app.db, &staff.action(&app), which, &Written::default()).await;
    saved(&staff, result, "text_reset", &format!("text-{key}"))
}

pub async fn remove_image(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let result = storage::remove_image(&app.db, &staff.action(&app)).await;
    saved(&staff, result, "image_removed", "image")
}

// ---- the image upload ---------------------------------------------------------------------

/// What the upload form sent.
#[derive(Default)]
struct Upload {
    csrf: String,
    alt_ja: String,
    alt_en: String,
    /// (file name as sent, declared type, bytes); None when no file was chosen.
    file: Option<(String, String, Vec<u8>)>,
    /// The file went over the limit (its bytes were not kept).
    too_large: bool,
}

/// Reads a field to its end, keeping at most `max` bytes; None when there were more.
async fn read_field(field: &mut Field<'_>, max: usize) -> Result<Option<Vec<u8>>, MultipartError> {
    let mut bytes = Vec::new();
    let mut over = false;
    while let Some(chunk) = field.chunk().await? {
        if over || bytes.len() + chunk.len() > max {
            over = true;
            continue;
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((!over).then_some(bytes))
}

/// Why the form could not be read to its end.
enum UploadFailed {
    /// More than the route takes (the file, surely).
    TooLarge,
    /// Cut off or not multipart as a browser sends it.
    Broken,
}

impl From<MultipartError> for UploadFailed {
    fn from(e: MultipartError) -> UploadFailed {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            UploadFailed::TooLarge
        } else {
            UploadFailed::Broken
        }
    }
}

async fn read_upload(multipart: &mut Multipart) -> Result<Upload, UploadFailed> {
    let mut upload = Upload::default();
    let text =
        |bytes: Option<Vec<u8>>| String::from_utf8_lossy(&bytes.unwrap_or_default()).into_owned();
    while let Some(mut field) = multipart.next_field().await? {
        match field.name() {
            Some("csrf") => upload.csrf = text(read_field(&mut field, 1024).await?),
            Some("alt_ja") => upload.alt_ja = text(read_field(&mut field, 4096).await?),
            Some("alt_en") => upload.alt_en = text(read_field(&mut field, 4096).await?),
            Some("file") => {
                let name = shown_file_name(field.file_name().unwrap_or(""));
                let declared = field.content_type().unwrap_or("").to_string();
                match read_field(&mut field, MAX_BYTES).await? {
                    // A form sent without choosing a file has a nameless, empty file part.
                    Some(bytes) if name.is_empty() && bytes.is_empty() => {}
                    Some(bytes) => upload.file = Some((name, declared, bytes)),
                    None => upload.too_large = true,
                }
            }
            // Anything else is skipped: dropping the field skips its data.
            _ => {}
        }
    }
    Ok(upload)
}

/// The file's own name (no folders), without characters that cannot be shown or stored,
/// at most 100 characters: it is shown on the console and in the audit log.
fn shown_file_name(sent: &str) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or("");
    base.chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .take(100)
        .collect()
}

fn parse_alt(input: &str, required: bool) -> Result<String, String> {
    let text =
        crate::core::resident_input::clean_text(input, ALT_MAX_CHARS).map_err(|e| e.message())?;
    if required && text.is_empty() {
        return Err("画像の代わりに読み上げる文を入力してください(例:デモ市のロゴ)。".to_string());
    }
    Ok(text)
}

pub async fn save_image(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, true).await?;
    let too_large = |view: &mut FormView, bytes: usize| {
        view.error("file", ImageProblem::TooLarge { bytes }.to_string());
    };
    // Refused from the header, before a byte of the body is read (what was typed in the
    // other fields cannot be shown again: it was not read).
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(length) = declared
        && length > MAX_UPLOAD_BYTES
    {
        let mut view = FormView::new("image", &[]);
        too_large(&mut view, length);
        return Ok(invalid(&app, &staff, view, StatusCode::PAYLOAD_TOO_LARGE).await);
    }
    let Ok(mut multipart) = multipart else {
        let mut view = FormView::new("image", &[]);
        view.error(
            "file",
            "画像を受け取れませんでした。この画面から画像ファイルを選んで送ってください。",
        );
        return Ok(invalid(&app, &staff, view, StatusCode::BAD_REQUEST).await);
    };
    let upload = match read_upload(&mut multipart).await {
        Ok(upload) => upload,
        Err(failed) => {
            let mut view = FormView::new("image", &[]);
            let status = match failed {
                UploadFailed::TooLarge => {
                    too_large(&mut view, MAX_UPLOAD_BYTES + 1);
                    StatusCode::PAYLOAD_TOO_LARGE
                }
                UploadFailed::Broken => {
                    view.error(
                        "file",
                        "画像を受け取れませんでした(通信が途中で切れた可能性があります)。もう一度画像ファイルを選んでください。",
                    );
                    StatusCode::BAD_REQUEST
                }
            };
            return Ok(invalid(&app, &staff, view, status).await);
        }
    };
    check_csrf(&app, &jar, &upload.csrf)?;
    let mut view = FormView::new(
        "image",
        &[
            ("alt_ja", upload.alt_ja.clone()),
            ("alt_en", upload.alt_en.clone()),
        ],
    );
    let alt_ja = view.check("alt_ja", parse_alt(&upload.alt_ja, true));
    let alt_en = view.check("alt_en", parse_alt(&upload.alt_en, false));
    if upload.too_large {
        too_large(&mut view, MAX_BYTES + 1);
        return Ok(invalid(&app, &staff, view, StatusCode::PAYLOAD_TOO_LARGE).await);
    }
    // Decoding a picture is a moment of CPU: off the async workers.
    let checked = match upload.file {
        None => None,
        Some((name, declared, bytes)) => {
            let result = tokio::task::spawn_blocking(move || {
                let checked = header_image::check(&bytes, &name, &declared);
                (checked, name, bytes)
            })
            .await
            .map_err(|e| WebError::Internal(format!("image check: {e}")))?;
            match result {
                (Ok(checked), name, bytes) => Some((checked, name, bytes)),
                (Err(problem), _, _) => {
                    view.error("file", problem.to_string());
                    None
                }
            }
        }
    };
    let (Some(alt_ja), Some(alt_en)) = (alt_ja, alt_en) else {
        return Ok(invalid(&app, &staff, view, StatusCode::UNPROCESSABLE_ENTITY).await);
    };
    if !view.errors.is_empty() {
        return Ok(invalid(&app, &staff, view, StatusCode::UNPROCESSABLE_ENTITY).await);
    }
    let new = checked.as_ref().map(|(checked, name, bytes)| NewImage {
        bytes,
        checked: *checked,
        sha256: hex::encode(Sha256::digest(bytes)),
        file_name: name,
    });
    match storage::save_image(&app.db, &staff.action(&app), new.as_ref(), &alt_ja, &alt_en).await {
        Ok(Saved::NoImage) => {
            view.error("file", "画像ファイルを選んでください(PNG、JPEG、WebP)。");
            Ok(invalid(&app, &staff, view, StatusCode::UNPROCESSABLE_ENTITY).await)
        }
        result => Ok(saved(&staff, result, "image_saved", "image")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_shown_without_folders_or_control_characters() {
        assert_eq!(shown_file_name("C:\\Users\\a\\logo.png"), "logo.png");
        assert_eq!(shown_file_name("/tmp/x/\u{202E}gnp.exe"), "gnp.exe");
        assert_eq!(shown_file_name(&"a".repeat(300)).len(), 100);
    }

    #[test]
    fn the_japanese_alternative_text_is_required() {
        assert!(parse_alt("  ", true).unwrap_err().contains("読み上げる文"));
        assert_eq!(parse_alt(" デモ市 ", true), Ok("デモ市".into()));
        assert_eq!(parse_alt("", false), Ok(String::new()));
        assert!(parse_alt(&"あ".repeat(101), false).is_err());
    }
}
