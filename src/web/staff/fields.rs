//! 受取人情報の項目 (admin only): how the built-in 氏名, フリガナ and 電話番号 are asked, and
//! the municipality's own fields (add, edit, reorder, stop asking, delete). Every change
//! is written with its audit entry (before → after) and read by the booking forms from
//! the database, so it shows at once on every instance.
use std::collections::HashMap;

use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Serialize;

use super::admin_post;
use super::schedule::{Fields, FormView, typed};
use super::{Staff, require};
use crate::app::AppState;
use crate::core::recipient_fields::admin::{
    Definition, DefinitionInput, asked_value, describe_builtin_changes, parse_asked,
    parse_definition,
};
use crate::core::recipient_fields::{
    Builtin, ExtraField, ExtraKind, MAX_CHOICES, MAX_EXTRA_FIELDS, RecipientForm,
};
use crate::db::recipient_fields::{self as storage, FieldSaved};
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::render;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff/fields", get(page))
        .route("/t/{tenant}/staff/fields/builtin", post(save_builtins))
        .route("/t/{tenant}/staff/fields/extra", post(add_extra))
        .route("/t/{tenant}/staff/fields/extra/{id}", post(edit_extra))
        .route(
            "/t/{tenant}/staff/fields/extra/{id}/delete",
            post(delete_extra),
        )
}

/// The names of a field's form.
const EXTRA_FIELDS: [&str; 8] = [
    "label_ja",
    "label_en",
    "help_ja",
    "help_en",
    "kind",
    "choices_ja",
    "choices_en",
    "position",
];

/// Each name's label, for the error summary.
fn field_label(name: &str) -> &'static str {
    match name {
        "name" => "氏名",
        "kana" => "フリガナ",
        "phone" => "電話番号",
        "label_ja" => "見出し",
        "label_en" => "見出し(英語)",
        "help_ja" => "説明",
        "help_en" => "説明(英語)",
        "kind" => "種類",
        "choices_ja" => "選択肢",
        "choices_en" => "選択肢(英語)",
        "position" => "表示順",
        _ => "入力",
    }
}

fn summary(view: &FormView) -> Vec<(String, String)> {
    view.errors
        .iter()
        .map(|(name, message)| {
            (
                format!("{}-{name}", view.key),
                format!("{}: {message}", field_label(name)),
            )
        })
        .collect()
}

fn done_message(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "builtin_saved" => "基本の項目を保存しました。予約画面にすぐ反映されます。",
        "extra_added" => "項目を追加しました。予約画面にすぐ反映されます。",
        "extra_saved" => "項目を保存しました。予約画面にすぐ反映されます。",
        "extra_deleted" => "項目を削除しました。受け付けた予約の回答は残ります。",
        "unchanged" => "変更はありませんでした。",
        _ => return None,
    })
}

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: &'static str,
}

fn asked_choices(which: Builtin) -> Vec<Choice> {
    let mut out = vec![
        Choice {
            value: "off",
            label: "尋ねない",
        },
        Choice {
            value: "optional",
            label: "任意",
        },
    ];
    if which == Builtin::Phone {
        out.push(Choice {
            value: "first",
            label: "1人目のみ必須(2人目からは任意)",
        });
        out.push(Choice {
            value: "required",
            label: "全員必須",
        });
    } else {
        out.push(Choice {
            value: "required",
            label: "必須",
        });
    }
    out
}

fn kind_choices() -> Vec<Choice> {
    ExtraKind::ALL
        .into_iter()
        .map(|k| Choice {
            value: k.as_str(),
            label: match k {
                ExtraKind::Text => "文字(1行、100文字まで)",
                ExtraKind::Number => "数字(整数)",
                ExtraKind::Choice => "選択肢から1つ選ぶ",
                ExtraKind::YesNo => "はい・いいえ",
            },
        })
        .collect()
}

fn builtin_form(asked: &RecipientForm) -> FormView {
    FormView::new(
        "builtin",
        &Builtin::ALL.map(|b| (b.code(), asked_value(asked.builtin(b)).to_string())),
    )
}

fn lines_of(choices: &[crate::core::recipient_fields::Choice], en: bool) -> String {
    let mut lines: Vec<&str> = choices
        .iter()
        .map(|c| if en { c.en.as_str() } else { c.ja.as_str() })
        .collect();
    if en {
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
    }
    lines.join("\n")
}

fn extra_form(key: String, f: &ExtraField) -> FormView {
    let flag = |b: bool| if b { "1" } else { "" }.to_string();
    FormView::new(
        key,
        &[
            ("label_ja", f.label.ja.clone()),
            ("label_en", f.label.en.clone()),
            ("help_ja", f.help.ja.clone()),
            ("help_en", f.help.en.clone()),
            ("kind", f.kind.as_str().to_string()),
            ("choices_ja", lines_of(&f.choices, false)),
            ("choices_en", lines_of(&f.choices, true)),
            ("required", flag(f.required)),
            ("active", flag(f.active)),
            ("position", f.position.to_string()),
        ],
    )
}

#[derive(Serialize)]
struct ExtraView {
    id: i64,
    label: String,
    kind: &'static str,
    required: bool,
    active: bool,
    form: FormView,
}

async fn render_page(
    app: &AppState,
    staff: &Staff,
    failed: Option<FormView>,
    done: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let asked = storage::form(&app.db, staff.tenant.id).await?;
    let failed = failed.as_ref();
    let extras: Vec<ExtraView> = asked
        .extras
        .iter()
        .map(|f| ExtraView {
            id: f.id,
            label: f.label.ja.clone(),
            kind: f.kind.label_ja(),
            required: f.required,
            active: f.active,
            form: extra_form(format!("extra{}", f.id), f).or_failed(failed),
        })
        .collect();
    let next_position = asked.extras.iter().map(|f| f.position).max().unwrap_or(0) + 1;
    let mut new_extra = FormView::new(
        "newextra",
        &[
            ("kind", "text".to_string()),
            ("active", "1".to_string()),
            ("position", next_position.min(99).to_string()),
        ],
    );
    new_extra = new_extra.or_failed(failed);
    let mut ctx = staff.context();
    ctx.insert("builtin", &builtin_form(&asked).or_failed(failed));
    ctx.insert("name_choices", &asked_choices(Builtin::Name));
    ctx.insert("kana_choices", &asked_choices(Builtin::Kana));
    ctx.insert("phone_choices", &asked_choices(Builtin::Phone));
    ctx.insert("kind_choices", &kind_choices());
    ctx.insert("extras", &extras);
    ctx.insert("can_add", &(asked.extras.len() < MAX_EXTRA_FIELDS));
    ctx.insert("max_extras", &MAX_EXTRA_FIELDS);
    ctx.insert("max_choices", &MAX_CHOICES);
    ctx.insert("new_extra", &new_extra);
    ctx.insert("done", &done);
    ctx.insert("error_summary", &failed.map(summary).unwrap_or_default());
    ctx.insert("refusal", &None::<()>);
    Ok((status, render(app, "staff/fields.html", &ctx)?).into_response())
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
    Redirect::to(&staff.url(&format!("/fields?done={code}#{anchor}"))).into_response()
}

async fn invalid(app: &AppState, staff: &Staff, view: FormView) -> Response {
    render_page(
        app,
        staff,
        Some(view),
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
    .into_response()
}

pub async fn save_builtins(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let codes = Builtin::ALL.map(Builtin::code);
    let mut view = FormView::typed("builtin", &form, &codes);
    let asked = Builtin::ALL.map(|b| view.check(b.code(), parse_asked(b, &typed(&form, b.code()))));
    let [Some(name), Some(kana), Some(phone)] = asked else {
        return invalid(&app, &staff, view).await;
    };
    let old = match storage::form(&app.db, staff.tenant.id).await {
        Ok(f) => f,
        Err(e) => return WebError::from(e).into_response(),
    };
    let what = describe_builtin_changes(Builtin::ALL.map(|b| old.builtin(b)), [name, kana, phone]);
    if what.is_empty() {
        return redirect_done(&staff, "unchanged", "builtin");
    }
    let detail = format!("受取人情報の項目を変更: {}", what.join("、"));
    match storage::save_builtins(&app.db, &staff.action(&app), [name, kana, phone], &detail).await {
        Ok(()) => redirect_done(&staff, "builtin_saved", "builtin"),
        Err(e) => WebError::from(e).into_response(),
    }
}

/// A field's form as it was posted, to show again.
fn typed_view(key: String, form: &Fields) -> FormView {
    let mut view = FormView::typed(key, form, &EXTRA_FIELDS);
    for flag in ["required", "active"] {
        let on = if form.contains_key(flag) { "1" } else { "" };
        view.values.insert(flag.to_string(), on.to_string());
    }
    view
}

/// The definition typed into `key`'s form, or the form with its messages.
fn read_definition(key: String, form: &Fields) -> Result<Definition, FormView> {
    let mut view = typed_view(key, form);
    let t = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let input = DefinitionInput {
        label_ja: t("label_ja"),
        label_en: t("label_en"),
        help_ja: t("help_ja"),
        help_en: t("help_en"),
        kind: t("kind"),
        choices_ja: t("choices_ja"),
        choices_en: t("choices_en"),
        required: form.contains_key("required"),
        active: form.contains_key("active"),
        position: t("position"),
    };
    parse_definition(&input).map_err(|errors| {
        for (name, message) in errors {
            view.error(name, message);
        }
        view
    })
}

pub async fn add_extra(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let def = match read_definition("newextra".to_string(), &form) {
        Ok(def) => def,
        Err(view) => return invalid(&app, &staff, view).await,
    };
    match storage::add_extra(&app.db, &staff.action(&app), &def).await {
        Ok(FieldSaved::TooMany) => {
            let mut view = typed_view("newextra".to_string(), &form);
            view.error(
                "label_ja",
                format!(
                    "独自の項目は{MAX_EXTRA_FIELDS}つまでです。使わない項目を削除してから追加してください。"
                ),
            );
            invalid(&app, &staff, view).await
        }
        Ok(_) => redirect_done(&staff, "extra_added", "extras"),
        Err(e) => WebError::from(e).into_response(),
    }
}

fn saved(staff: &Staff, result: Result<FieldSaved, crate::db::DbError>, done: &str) -> Response {
    match result {
        Ok(FieldSaved::Saved) => redirect_done(staff, done, "extras"),
        Ok(FieldSaved::Unchanged) => redirect_done(staff, "unchanged", "extras"),
        Ok(FieldSaved::NotFound | FieldSaved::TooMany) => WebError::NotFound.into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

pub async fn edit_extra(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let def = match read_definition(format!("extra{id}"), &form) {
        Ok(def) => def,
        Err(view) => {
            // A field of another municipality is not found, typed errors or not.
            let known = storage::form(&app.db, staff.tenant.id)
                .await
                .map(|f| f.extras.iter().any(|e| e.id == id));
            return match known {
                Ok(true) => invalid(&app, &staff, view).await,
                Ok(false) => WebError::NotFound.into_response(),
                Err(e) => WebError::from(e).into_response(),
            };
        }
    };
    let result = storage::update_extra(&app.db, &staff.action(&app), id, &def).await;
    saved(&staff, result, "extra_saved")
}

pub async fn delete_extra(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let result = storage::delete_extra(&app.db, &staff.action(&app), id).await;
    saved(&staff, result, "extra_deleted")
}
