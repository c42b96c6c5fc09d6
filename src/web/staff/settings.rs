//! Settings (admin only): the municipality's FAQ link, notice number formats, time
//! limits, party size and pinned counter; and the お知らせ on its home page. Each save
//! writes its audit entry in the same transaction. (The recipient fields have their own
//! page, `fields.rs`; the call-centre line and the other wording, `pages.rs`.)
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
use super::schedule::{Fields, FormView, parse_line, parse_number, parse_url, typed};
use super::{Staff, require};
use crate::app::AppState;
use crate::core::resident_input::{NumberFormat, fold_digits};
use crate::db::tenants::{
    self, AnnouncementFields, AnnouncementSaved, Counter, SettingsSaved, TenantSettings,
};
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::render;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/t/{tenant}/staff/settings", get(page).post(save_settings))
        .route(
            "/t/{tenant}/staff/settings/announcements",
            post(add_announcement),
        )
        .route(
            "/t/{tenant}/staff/settings/announcements/{id}",
            post(edit_announcement),
        )
        .route(
            "/t/{tenant}/staff/settings/announcements/{id}/published",
            post(publish_announcement),
        )
        .route(
            "/t/{tenant}/staff/settings/announcements/{id}/delete",
            post(delete_announcement),
        )
}

const SETTINGS_FIELDS: [&str; 7] = [
    "faq_url",
    "number1_format",
    "number2_format",
    "verification_ttl_min",
    "hold_ttl_min",
    "max_party_size",
    "pinned_counter_id",
];

fn settings_form(s: &TenantSettings) -> FormView {
    FormView::new(
        "settings",
        &[
            ("faq_url", s.faq_url.clone().unwrap_or_default()),
            ("number1_format", s.number1_format.clone()),
            ("number2_format", s.number2_format.clone()),
            ("verification_ttl_min", s.verification_ttl_min.to_string()),
            ("hold_ttl_min", s.hold_ttl_min.to_string()),
            ("max_party_size", s.max_party_size.to_string()),
            (
                "pinned_counter_id",
                s.pinned_counter_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            ),
        ],
    )
}

fn done_message(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "settings_saved" => "設定を保存しました。",
        "announcement_added" => "お知らせを追加しました。",
        "announcement_saved" => "お知らせを保存しました。",
        "announcement_published" => "お知らせを公開しました。",
        "announcement_unpublished" => "お知らせを非公開にしました。",
        "announcement_deleted" => "お知らせを削除しました。",
        "unchanged" => "変更はありませんでした。",
        "deadlines_saved" => "予約と変更・取消の締切を保存しました。",
        _ => return None,
    })
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

#[derive(Serialize)]
struct AnnouncementView {
    id: i64,
    title: String,
    published: bool,
    form: FormView,
}

fn announcement_form(key: String, title: &str, body: &str, position: i32) -> FormView {
    FormView::new(
        key,
        &[
            ("title", title.to_string()),
            ("body", body.to_string()),
            ("position", position.to_string()),
        ],
    )
}

async fn render_page(
    app: &AppState,
    staff: &Staff,
    failed: Option<FormView>,
    done: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let tenant = &staff.tenant;
    let failed = failed.as_ref();
    let counters = tenants::all_counters(&app.db, tenant.id).await?;
    let announcements = tenants::all_announcements(&app.db, tenant.id).await?;
    let mut pinned_choices = vec![Choice {
        value: String::new(),
        label: "固定しない(住民が選ぶ)".to_string(),
    }];
    pinned_choices.extend(
        counters
            .iter()
            .filter(|c| c.active || tenant.pinned_counter_id == Some(c.id))
            .map(|c: &Counter| Choice {
                value: c.id.to_string(),
                label: if c.active {
                    c.name.clone()
                } else {
                    format!("{}(受付停止中)", c.name)
                },
            }),
    );
    let next_position = announcements.iter().map(|a| a.position).max().unwrap_or(0) + 1;
    let mut new_announcement =
        announcement_form("newannouncement".to_string(), "", "", next_position);
    new_announcement
        .values
        .insert("published".to_string(), "1".to_string());
    let announcement_views: Vec<AnnouncementView> = announcements
        .iter()
        .map(|a| AnnouncementView {
            id: a.id,
            title: a.title.clone(),
            published: a.published,
            form: announcement_form(
                format!("announcement{}", a.id),
                &a.title,
                &a.body,
                a.position,
            )
            .or_failed(failed),
        })
        .collect();

    let mut ctx = staff.context();
    ctx.insert(
        "settings",
        &settings_form(&TenantSettings::of(tenant)).or_failed(failed),
    );
    ctx.insert("pinned_choices", &pinned_choices);
    // 予約と変更・取消の締切 (its own form, `deadlines.rs`).
    ctx.insert(
        "deadlines",
        &super::deadlines::form(tenant).or_failed(failed),
    );
    ctx.insert("deadlines_in_force", &super::deadlines::in_force(tenant));
    ctx.insert("announcements", &announcement_views);
    ctx.insert("new_announcement", &new_announcement.or_failed(failed));
    ctx.insert("done", &done);
    ctx.insert(
        "error_summary",
        &failed.map(FormView::summary).unwrap_or_default(),
    );
    ctx.insert("refusal", &None::<()>);
    Ok((status, render(app, "staff/settings.html", &ctx)?).into_response())
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
    Redirect::to(&staff.url(&format!("/settings?done={code}#{anchor}"))).into_response()
}

pub(super) async fn invalid(app: &AppState, staff: &Staff, view: FormView) -> Response {
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

/// A notice number format as typed: any width, any case.
fn parse_format(input: &str) -> Result<String, String> {
    let text = fold_digits(input).to_ascii_uppercase();
    NumberFormat::parse(&text)?;
    Ok(text)
}

/// What changed, in words, for the audit entry: "同時予約の最大人数 4人→2人、お問い合わせ先".
fn describe_changes(
    old: &TenantSettings,
    new: &TenantSettings,
    counters: &[Counter],
) -> Vec<String> {
    let mut what = Vec::new();
    let mut number = |label: &str, unit: &str, a: i32, b: i32| {
        if a != b {
            what.push(format!("{label} {a}{unit}→{b}{unit}"));
        }
    };
    number(
        "確認メールの有効期限",
        "分",
        old.verification_ttl_min,
        new.verification_ttl_min,
    );
    number("仮押さえ時間", "分", old.hold_ttl_min, new.hold_ttl_min);
    number(
        "同時予約の最大人数",
        "人",
        old.max_party_size,
        new.max_party_size,
    );
    if old.faq_url != new.faq_url {
        what.push("FAQのURL".to_string());
    }
    if old.number1_format != new.number1_format {
        what.push(format!(
            "番号1の書式 {}→{}",
            old.number1_format, new.number1_format
        ));
    }
    if old.number2_format != new.number2_format {
        what.push(format!(
            "番号2の書式 {}→{}",
            old.number2_format, new.number2_format
        ));
    }
    if old.pinned_counter_id != new.pinned_counter_id {
        let name = |id: Option<i64>| match id {
            None => "なし".to_string(),
            Some(id) => counters
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.name.clone())
                .unwrap_or_else(|| "?".to_string()),
        };
        what.push(format!(
            "窓口の固定 {}→{}",
            name(old.pinned_counter_id),
            name(new.pinned_counter_id)
        ));
    }
    what
}

pub async fn save_settings(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut view = FormView::typed("settings", &form, &SETTINGS_FIELDS);
    let counters = match tenants::all_counters(&app.db, staff.tenant.id).await {
        Ok(c) => c,
        Err(e) => return WebError::from(e).into_response(),
    };
    let faq_url = view.check("faq_url", parse_url(&typed(&form, "faq_url")));
    let number1_format = view.check(
        "number1_format",
        parse_format(&typed(&form, "number1_format")),
    );
    let number2_format = view.check(
        "number2_format",
        parse_format(&typed(&form, "number2_format")),
    );
    let verification_ttl_min = view.check(
        "verification_ttl_min",
        parse_number(&typed(&form, "verification_ttl_min"), 5, 1440, &["分"]),
    );
    let hold_ttl_min = view.check(
        "hold_ttl_min",
        parse_number(&typed(&form, "hold_ttl_min"), 3, 60, &["分"]),
    );
    let max_party_size = view.check(
        "max_party_size",
        parse_number(&typed(&form, "max_party_size"), 1, 10, &["人", "名"]),
    );
    let pinned_counter_id = match typed(&form, "pinned_counter_id").trim() {
        "" => Some(None),
        raw => view.check(
            "pinned_counter_id",
            raw.parse::<i64>()
                .ok()
                .filter(|id| counters.iter().any(|c| c.id == *id && c.active))
                .map(Some)
                .ok_or_else(|| "受付中の窓口を選んでください。".to_string()),
        ),
    };
    let (
        Some(faq_url),
        Some(number1_format),
        Some(number2_format),
        Some(verification_ttl_min),
        Some(hold_ttl_min),
        Some(max_party_size),
        Some(pinned_counter_id),
    ) = (
        faq_url,
        number1_format,
        number2_format,
        verification_ttl_min,
        hold_ttl_min,
        max_party_size,
        pinned_counter_id,
    )
    else {
        return invalid(&app, &staff, view).await;
    };
    let new = TenantSettings {
        faq_url,
        number1_format,
        number2_format,
        verification_ttl_min,
        hold_ttl_min,
        max_party_size,
        pinned_counter_id,
    };
    let what = describe_changes(&TenantSettings::of(&staff.tenant), &new, &counters);
    if what.is_empty() {
        return redirect_done(&staff, "unchanged", "settings");
    }
    let detail = format!("設定を変更: {}", what.join("、"));
    match tenants::update_settings(&app.db, &staff.action(&app), &new, &detail).await {
        Ok(SettingsSaved::Saved) => redirect_done(&staff, "settings_saved", "settings"),
        Ok(SettingsSaved::PinnedCounterUnavailable) => {
            view.error("pinned_counter_id", "受付中の窓口を選んでください。");
            invalid(&app, &staff, view).await
        }
        Err(e) => WebError::from(e).into_response(),
    }
}

// ---- announcements -----------------------------------------------------------------------

/// A multi-line text: line breaks kept (as "\n"), other control characters refused.
pub(in crate::web::staff) fn parse_body(input: &str, max: usize) -> Result<String, String> {
    let text = input.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    if text.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    }) {
        return Err("入力できない文字(制御文字など)が含まれています。".to_string());
    }
    let got = text.chars().count();
    if got > max {
        return Err(format!(
            "{max}文字以内で入力してください(いまは{got}文字です)。"
        ));
    }
    Ok(text.to_string())
}

fn announcement_fields(view: &mut FormView, form: &Fields) -> Option<AnnouncementFields> {
    let title = view.check("title", parse_line(&typed(form, "title"), 100, true));
    let body = view.check("body", parse_body(&typed(form, "body"), 2000));
    let position = view.check(
        "position",
        parse_number(&typed(form, "position"), 0, 999, &["番目", "番"]),
    );
    Some(AnnouncementFields {
        title: title?,
        body: body?,
        position: position?,
    })
}

pub async fn add_announcement(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut view = FormView::typed("newannouncement", &form, &["title", "body", "position"]);
    let published = form.contains_key("published");
    view.values.insert(
        "published".to_string(),
        if published { "1" } else { "" }.to_string(),
    );
    let Some(fields) = announcement_fields(&mut view, &form) else {
        return invalid(&app, &staff, view).await;
    };
    match tenants::create_announcement(&app.db, &staff.action(&app), &fields, published).await {
        Ok(_) => redirect_done(&staff, "announcement_added", "announcements"),
        Err(e) => WebError::from(e).into_response(),
    }
}

fn announcement_result(
    staff: &Staff,
    result: Result<AnnouncementSaved, crate::db::DbError>,
    done: &str,
) -> Response {
    match result {
        Ok(AnnouncementSaved::Saved) => redirect_done(staff, done, "announcements"),
        Ok(AnnouncementSaved::Unchanged) => redirect_done(staff, "unchanged", "announcements"),
        Ok(AnnouncementSaved::NotFound) => WebError::NotFound.into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

pub async fn edit_announcement(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let mut view = FormView::typed(
        format!("announcement{id}"),
        &form,
        &["title", "body", "position"],
    );
    let Some(fields) = announcement_fields(&mut view, &form) else {
        // An id of another municipality is not found, typed errors or not.
        let known = tenants::all_announcements(&app.db, staff.tenant.id)
            .await
            .map(|all| all.iter().any(|a| a.id == id));
        return match known {
            Ok(true) => invalid(&app, &staff, view).await,
            Ok(false) => WebError::NotFound.into_response(),
            Err(e) => WebError::from(e).into_response(),
        };
    };
    let result = tenants::update_announcement(&app.db, &staff.action(&app), id, &fields).await;
    announcement_result(&staff, result, "announcement_saved")
}

pub async fn publish_announcement(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let published = typed(&form, "published") == "1";
    let result =
        tenants::set_announcement_published(&app.db, &staff.action(&app), id, published).await;
    let done = if published {
        "announcement_published"
    } else {
        "announcement_unpublished"
    };
    announcement_result(&staff, result, done)
}

pub async fn delete_announcement(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Fields>,
) -> Response {
    let staff = match admin_post(&app, &jar, &slug, &form).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let result = tenants::delete_announcement(&app.db, &staff.action(&app), id).await;
    announcement_result(&staff, result, "announcement_deleted")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_folded_then_checked() {
        assert_eq!(
            parse_format("ａａａ－９９９９９９"),
            Ok("AAA-999999".to_string())
        );
        assert!(
            parse_format("AAA?999")
                .unwrap_err()
                .contains("使えない文字")
        );
        assert_eq!(parse_format(""), Err("番号の書式が空です。".to_string()));
    }

    #[test]
    fn bodies_keep_line_breaks_but_not_control_characters() {
        assert_eq!(parse_body(" a\r\nb ", 10), Ok("a\nb".to_string()));
        assert!(parse_body("a\u{0007}b", 10).is_err());
        assert!(parse_body("abcdef", 5).is_err());
    }

    #[test]
    fn changes_are_described_with_before_and_after() {
        let old = TenantSettings {
            faq_url: None,
            number1_format: "AAA-999999".into(),
            number2_format: "AAAAAAAAAAAAAAAAAA".into(),
            verification_ttl_min: 60,
            hold_ttl_min: 10,
            max_party_size: 4,
            pinned_counter_id: None,
        };
        let new = TenantSettings {
            max_party_size: 2,
            faq_url: Some("https://example.jp/faq".into()),
            ..old.clone()
        };
        assert_eq!(
            describe_changes(&old, &new, &[]),
            vec![
                "同時予約の最大人数 4人→2人".to_string(),
                "FAQのURL".to_string(),
            ]
        );
        assert!(describe_changes(&old, &old, &[]).is_empty());
    }
}
