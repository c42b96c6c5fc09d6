//! メールの文面 (admin only): the municipality's own subject and body of each mail, in
//! Japanese and English, with the placeholders each may use, a preview of the real mail
//! with sample facts, a check that refuses a wording that would not render or drops what
//! the mail must carry, and 「初期値に戻す」. Saved in the database with its audit entry
//! (before → after); mails read it when they are built, so it is used at once everywhere.
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Serialize;
use std::collections::HashMap;

use super::mail_samples::build;
use super::schedule::{Fields, FormView, typed};
use super::{Staff, require};
use crate::app::AppState;
use crate::core::mail_wording::{MailKind, MailService, Wording, normalise};
use crate::db::mail_templates::{self as storage, WordingSaved, lang_label};
use crate::db::outbox::OutgoingMail;
use crate::i18n::Lang;
use crate::mail::templates::ShippedWording;
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::pickup::mails::Refused;
use crate::web::render;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff/mails", get(list))
        .route(
            "/t/{tenant}/staff/mails/{mail}/{lang}",
            get(edit).post(save),
        )
        .route(
            "/t/{tenant}/staff/mails/{mail}/{lang}/preview",
            post(preview),
        )
        .route("/t/{tenant}/staff/mails/{mail}/{lang}/reset", post(reset))
}

/// The form's key: its fields are `wording-subject` and `wording-body`.
const FORM: &str = "wording";

#[derive(Serialize)]
struct LangCell {
    lang: &'static str,
    label: &'static str,
    /// 「初期値」, or which parts are the municipality's.
    state: String,
}

#[derive(Serialize)]
struct MailRow {
    code: &'static str,
    title: &'static str,
    /// The title with its service where two services have a mail of that title.
    label: String,
    when_sent: &'static str,
    langs: Vec<LangCell>,
}

/// A service's mails, under its name.
#[derive(Serialize)]
struct ServiceGroup {
    name: &'static str,
    mails: Vec<MailRow>,
}

/// The services whose mails the console lists: card pickup, which every municipality
/// offers, and vaccination while it does (the menu's flag, read with the member of staff).
fn offered_services(staff: &Staff) -> Vec<MailService> {
    MailService::ALL
        .into_iter()
        .filter(|s| *s == MailService::CardPickup || staff.offers_vaccination)
        .collect()
}

/// 「【予約完了通知メール】」, and for another service than card pickup (whose mails came
/// first) 「ワクチン接種予約の【予約完了通知メール】」.
fn label(kind: MailKind) -> String {
    match kind.service() {
        MailService::CardPickup => format!("【{}】", kind.title()),
        service => format!("{}の【{}】", service.name(), kind.title()),
    }
}

fn state_label(subject: bool, body: bool) -> String {
    match (subject, body) {
        (false, false) => "初期値".into(),
        (true, false) => "変更あり(件名)".into(),
        (false, true) => "変更あり(本文)".into(),
        (true, true) => "変更あり(件名・本文)".into(),
    }
}

pub async fn list(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Response {
    let staff = match require(&app, &jar, &slug, true).await {
        Ok(s) => s,
        Err(denied) => return denied.into_response(),
    };
    let worded = match storage::worded(&app.db, staff.tenant.id).await {
        Ok(w) => w,
        Err(e) => return WebError::from(e).into_response(),
    };
    let row = |kind: MailKind| MailRow {
        code: kind.code(),
        title: kind.title(),
        label: label(kind),
        when_sent: kind.when_sent(),
        langs: [Lang::Ja, Lang::En]
            .into_iter()
            .map(|lang| {
                let w = worded.iter().find(|w| w.kind == kind && w.lang == lang);
                LangCell {
                    lang: lang.code(),
                    label: lang_label(lang),
                    state: state_label(w.is_some_and(|w| w.subject), w.is_some_and(|w| w.body)),
                }
            })
            .collect(),
    };
    let groups: Vec<ServiceGroup> = offered_services(&staff)
        .into_iter()
        .map(|service| ServiceGroup {
            name: service.name(),
            mails: MailKind::ALL
                .into_iter()
                .filter(|k| k.service() == service)
                .map(row)
                .collect(),
        })
        .collect();
    let mut ctx = staff.context();
    ctx.insert("services", &groups);
    match render(&app, "staff/mails.html", &ctx) {
        Ok(page) => page.into_response(),
        Err(e) => e.into_response(),
    }
}

/// The mail and language in the URL, or 404 (a mail of a service the municipality does
/// not offer too, as the list does not show it).
fn target(staff: &Staff, mail: &str, lang: &str) -> Result<(MailKind, Lang), WebError> {
    match (MailKind::parse(mail), Lang::parse(lang)) {
        (Some(kind), Some(lang)) if offered_services(staff).contains(&kind.service()) => {
            Ok((kind, lang))
        }
        _ => Err(WebError::NotFound),
    }
}

fn shipped(
    app: &AppState,
    staff: &Staff,
    kind: MailKind,
    lang: Lang,
) -> Result<ShippedWording, WebError> {
    app.mail_templates
        .shipped_wording(lang, kind.code(), Some(&staff.tenant.slug))
        .ok_or_else(|| WebError::Internal(format!("no shipped template for {}", kind.code())))
}

/// The wording typed into the form: a part typed as it ships is the shipped part (so a
/// later upgrade of the shipped text reaches it).
fn typed_wording(form: &Fields, shipped: &ShippedWording) -> Wording {
    let subject = normalise(typed(form, "subject").trim());
    let body = normalise(&typed(form, "body"));
    Wording {
        subject: (subject != shipped.subject).then_some(subject),
        body: (body != shipped.body).then_some(body),
    }
}

/// The form with the refusals' messages beside their fields.
fn with_refusals(mut view: FormView, refused: &Refused) -> FormView {
    let join = |problems: &[crate::core::mail_wording::check::Problem]| {
        problems
            .iter()
            .map(|p| p.message())
            .collect::<Vec<_>>()
            .join(" ")
    };
    if !refused.subject.is_empty() {
        view.error("subject", join(&refused.subject));
    }
    if !refused.body.is_empty() {
        view.error("body", join(&refused.body));
    }
    view
}

#[derive(Serialize)]
struct PlaceholderView {
    name: &'static str,
    meaning: &'static str,
    required: bool,
}

/// What the preview shows of a mail.
#[derive(Serialize)]
struct PreviewView {
    subject: String,
    text: String,
    /// The HTML part's body, to show inside the page (the mail is our own markup: shipped
    /// templates, or the worded text escaped into paragraphs).
    html: Option<String>,
    has_ics: bool,
}

/// The inside of the HTML part's `<body>`, with the inline picture it names (`cid:`) as a
/// `data:` address so the page can show it.
fn html_for_page(mail: &OutgoingMail) -> Option<String> {
    let html = mail.html.as_deref()?;
    let start = html
        .find("<body")
        .and_then(|at| html[at..].find('>').map(|e| at + e + 1))?;
    let end = html.rfind("</body>")?;
    let mut inner = html.get(start..end)?.to_string();
    if let Some(png) = &mail.inline_png {
        use base64::Engine as _;
        let data = format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(png)
        );
        inner = inner.replace(&format!("cid:{}", crate::mail::INLINE_PNG_CID), &data);
    }
    Some(inner)
}

struct EditPage<'a> {
    kind: MailKind,
    lang: Lang,
    form: FormView,
    worded: &'a Wording,
    preview: Option<PreviewView>,
    done: Option<&'static str>,
    status: StatusCode,
}

fn render_edit(app: &AppState, staff: &Staff, page: EditPage<'_>) -> Response {
    let mut ctx = staff.context();
    ctx.insert("title", page.kind.title());
    ctx.insert("label", &label(page.kind));
    ctx.insert("service_name", page.kind.service().name());
    ctx.insert("has_html", &app.mail_templates.has_html(page.kind.code()));
    ctx.insert("when_sent", page.kind.when_sent());
    ctx.insert("lang", page.lang.code());
    ctx.insert("lang_label", lang_label(page.lang));
    ctx.insert("code", page.kind.code());
    ctx.insert("form", &page.form);
    ctx.insert(
        "state",
        &state_label(page.worded.subject.is_some(), page.worded.body.is_some()),
    );
    ctx.insert("worded", &!page.worded.is_shipped());
    ctx.insert(
        "placeholders",
        &page
            .kind
            .placeholders()
            .iter()
            .map(|p| PlaceholderView {
                name: p.name,
                meaning: p.meaning,
                required: p.required,
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "filters",
        &crate::core::mail_wording::check::FILTERS.join("、"),
    );
    ctx.insert("preview", &page.preview);
    ctx.insert("done", &page.done);
    ctx.insert(
        "error_summary",
        &page
            .form
            .errors
            .iter()
            .map(|(name, message)| {
                let label = if name == "subject" {
                    "件名"
                } else {
                    "本文"
                };
                (format!("{FORM}-{name}"), format!("{label}: {message}"))
            })
            .collect::<Vec<_>>(),
    );
    match render(app, "staff/mail_edit.html", &ctx) {
        Ok(html) => (page.status, html).into_response(),
        Err(e) => e.into_response(),
    }
}

fn done_message(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "saved" => "保存しました。これから送るメールはこの文面になります。",
        "reset" => "初期値に戻しました。これから送るメールは初期値の文面になります。",
        "unchanged" => "変更はありませんでした。",
        _ => return None,
    })
}

pub async fn edit(
    State(app): State<AppState>,
    PathParams((slug, mail, lang)): PathParams<(String, String, String)>,
    Query(q): Query<HashMap<String, String>>,
    jar: CookieJar,
) -> Response {
    let staff = match require(&app, &jar, &slug, true).await {
        Ok(s) => s,
        Err(denied) => return denied.into_response(),
    };
    let (kind, lang) = match target(&staff, &mail, &lang) {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let shipped = match shipped(&app, &staff, kind, lang) {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let worded = match storage::wording(&app.db, staff.tenant.id, kind, lang).await {
        Ok(w) => w,
        Err(e) => return WebError::from(e).into_response(),
    };
    let form = FormView::new(
        FORM,
        &[
            (
                "subject",
                worded.subject.clone().unwrap_or(shipped.subject.clone()),
            ),
            ("body", worded.body.clone().unwrap_or(shipped.body.clone())),
        ],
    );
    render_edit(
        &app,
        &staff,
        EditPage {
            kind,
            lang,
            form,
            worded: &worded,
            preview: None,
            done: done_message(q.get("done").map(String::as_str)),
            status: StatusCode::OK,
        },
    )
}

/// The admin behind a POST, its CSRF token checked, and the mail and language it is for.
async fn admin_post(
    app: &AppState,
    jar: &CookieJar,
    (slug, mail, lang): &(String, String, String),
    form: &Fields,
) -> Result<(Staff, MailKind, Lang, ShippedWording), Response> {
    let staff = super::admin_post(app, jar, slug, form).await?;
    let (kind, lang) = target(&staff, mail, lang).map_err(IntoResponse::into_response)?;
    let shipped = shipped(app, &staff, kind, lang).map_err(IntoResponse::into_response)?;
    Ok((staff, kind, lang, shipped))
}

/// The form as typed, and the mail it makes with the sample facts.
async fn typed_and_built(
    app: &AppState,
    staff: &Staff,
    kind: MailKind,
    lang: Lang,
    form: &Fields,
    shipped: &ShippedWording,
) -> Result<(Wording, FormView, OutgoingMail, Refused), Response> {
    let wording = typed_wording(form, shipped);
    let view = FormView::typed(FORM, form, &["subject", "body"]);
    let (mail, refused) = build(app, staff, kind, lang, &wording)
        .await
        .map_err(IntoResponse::into_response)?;
    let view = with_refusals(view, &refused);
    Ok((wording, view, mail, refused))
}

pub async fn preview(
    State(app): State<AppState>,
    PathParams(path): PathParams<(String, String, String)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let (staff, kind, lang, shipped) = match admin_post(&app, &jar, &path, &form).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let (_, view, mail, refused) =
        match typed_and_built(&app, &staff, kind, lang, &form, &shipped).await {
            Ok(t) => t,
            Err(r) => return r,
        };
    let saved = match storage::wording(&app.db, staff.tenant.id, kind, lang).await {
        Ok(w) => w,
        Err(e) => return WebError::from(e).into_response(),
    };
    // A refused wording is not previewed: the mail would go out in the shipped one.
    let preview = refused.is_empty().then(|| PreviewView {
        subject: mail.subject.clone(),
        text: mail.text.clone(),
        html: html_for_page(&mail),
        has_ics: mail.ics.is_some(),
    });
    let status = if refused.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_edit(
        &app,
        &staff,
        EditPage {
            kind,
            lang,
            form: view,
            worded: &saved,
            preview,
            done: None,
            status,
        },
    )
}

fn redirect_done(staff: &Staff, kind: MailKind, lang: Lang, code: &str) -> Response {
    Redirect::to(&staff.url(&format!(
        "/mails/{}/{}?done={code}",
        kind.code(),
        lang.code()
    )))
    .into_response()
}

pub async fn save(
    State(app): State<AppState>,
    PathParams(path): PathParams<(String, String, String)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let (staff, kind, lang, shipped) = match admin_post(&app, &jar, &path, &form).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let (wording, view, _, refused) =
        match typed_and_built(&app, &staff, kind, lang, &form, &shipped).await {
            Ok(t) => t,
            Err(r) => return r,
        };
    if !refused.is_empty() {
        let saved = match storage::wording(&app.db, staff.tenant.id, kind, lang).await {
            Ok(w) => w,
            Err(e) => return WebError::from(e).into_response(),
        };
        return render_edit(
            &app,
            &staff,
            EditPage {
                kind,
                lang,
                form: view,
                worded: &saved,
                preview: None,
                done: None,
                status: StatusCode::UNPROCESSABLE_ENTITY,
            },
        );
    }
    match storage::save(&app.db, &staff.action(&app), kind, lang, &wording, &shipped).await {
        Ok(WordingSaved::Saved) if wording.is_shipped() => {
            redirect_done(&staff, kind, lang, "reset")
        }
        Ok(WordingSaved::Saved) => redirect_done(&staff, kind, lang, "saved"),
        Ok(WordingSaved::Unchanged) => redirect_done(&staff, kind, lang, "unchanged"),
        Err(e) => WebError::from(e).into_response(),
    }
}

pub async fn reset(
    State(app): State<AppState>,
    PathParams(path): PathParams<(String, String, String)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let (staff, kind, lang, shipped) = match admin_post(&app, &jar, &path, &form).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let result = storage::save(
        &app.db,
        &staff.action(&app),
        kind,
        lang,
        &Wording::default(),
        &shipped,
    )
    .await;
    match result {
        Ok(WordingSaved::Saved) => redirect_done(&staff, kind, lang, "reset"),
        Ok(WordingSaved::Unchanged) => redirect_done(&staff, kind, lang, "unchanged"),
        Err(e) => WebError::from(e).into_response(),
    }
}
