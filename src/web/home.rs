//! The tenant home page (the services it offers with their entries, お知らせ, FAQ, counters) and the list of
//! municipalities an installation serves.
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use super::error::WebError;
use super::render;
use crate::app::{AppState, static_asset};
use crate::db::tenants;
use crate::web::PathParams;

#[derive(Serialize)]
struct TenantLink {
    slug: String,
    name: String,
}

/// With one municipality, go straight to it; with several, list them.
pub async fn index(State(app): State<AppState>) -> Result<Response, WebError> {
    let all = tenants::list(&app.db).await?;
    if let [only] = all.as_slice() {
        return Ok(Redirect::to(&format!("/t/{}/", only.slug)).into_response());
    }
    let mut ctx = tera::Context::new();
    let links: Vec<TenantLink> = all
        .into_iter()
        .map(|t| TenantLink {
            slug: t.slug,
            name: t.name,
        })
        .collect();
    ctx.insert("tenants", &links);
    Ok(render(&app, "tenant_list.html", &ctx)?.into_response())
}

#[derive(Serialize)]
struct CounterView {
    name: String,
    address: String,
    directions: String,
    map_url: Option<String>,
}

#[derive(Serialize)]
struct AnnouncementView {
    title: String,
    body: String,
}

pub async fn tenant_home(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
) -> Result<Response, WebError> {
    let tenant = crate::web::booking::load_tenant(&app, &slug).await?;
    let counters: Vec<CounterView> = tenants::active_counters(&app.db, tenant.id)
        .await?
        .into_iter()
        .map(|c| CounterView {
            name: c.name,
            address: c.address,
            directions: c.directions,
            map_url: c.map_url,
        })
        .collect();
    let announcements: Vec<AnnouncementView> = tenants::published_announcements(&app.db, tenant.id)
        .await?
        .into_iter()
        .map(|a| AnnouncementView {
            title: a.title,
            body: a.body,
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("tenant_name", &tenant.name);
    ctx.insert("tenant_slug", &tenant.slug);
    let faq_url = tenant
        .faq_url
        .clone()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| format!("/t/{}/faq", tenant.slug));
    ctx.insert("faq_url", &faq_url);
    crate::web::municipality_pages::insert_current(&app, &mut ctx, &tenant).await?;
    ctx.insert("counters", &counters);
    ctx.insert("announcements", &announcements);
    // The services it offers, each with its own entry; with card pickup alone the page is
    // card pickup's home as it always was.
    let kinds: Vec<String> = crate::db::vaccination::offered_services(&app.db, tenant.id)
        .await?
        .into_iter()
        .map(|(kind, _)| kind)
        .collect();
    ctx.insert(
        "offers_card_pickup",
        &kinds.iter().any(|k| k == tenants::CARD_PICKUP),
    );
    ctx.insert(
        "offers_vaccination",
        &kinds
            .iter()
            .any(|k| k == crate::db::vaccination::VACCINATION),
    );
    ctx.insert("demo", &app.demo_pages_enabled());
    Ok(render(&app, "home.html", &ctx)?.into_response())
}

/// よくある質問: the municipality's own FAQ page when it set one, otherwise this one, written
/// from its settings (hold time, party size, deadlines), so the numbers are always its own.
pub async fn faq(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
) -> Result<Response, WebError> {
    let tenant = crate::web::booking::load_tenant(&app, &slug).await?;
    if let Some(url) = tenant.faq_url.as_deref().filter(|u| !u.is_empty()) {
        return Ok(Redirect::to(url).into_response());
    }
    let mut ctx = tera::Context::new();
    ctx.insert("tenant_name", &tenant.name);
    ctx.insert("tenant_slug", &tenant.slug);
    crate::web::municipality_pages::insert_current(&app, &mut ctx, &tenant).await?;
    ctx.insert("verification_ttl_min", &tenant.verification_ttl_min);
    ctx.insert("hold_ttl_min", &tenant.hold_ttl_min);
    ctx.insert("max_party_size", &tenant.max_party_size);
    ctx.insert("booking_window_days", &tenant.booking_window_days);
    ctx.insert(
        "cancel_deadline",
        &crate::i18n::deadline_rule(crate::i18n::Lang::current(), tenant.change_cutoff()),
    );
    ctx.insert(
        "booking_cutoff",
        &crate::i18n::deadline_rule(crate::i18n::Lang::current(), tenant.booking_cutoff()),
    );
    Ok(render(&app, "faq.html", &ctx)?.into_response())
}

pub async fn static_file(PathParams(path): PathParams<String>) -> Response {
    let content_type = if path.ends_with(".css") {
        "text/css; charset=utf-8"
    } else if path.ends_with(".js") {
        "text/javascript; charset=utf-8"
    } else {
        return WebError::NotFound.into_response();
    };
    match static_asset(&path) {
        Some(bytes) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            bytes,
        )
            .into_response(),
        None => WebError::NotFound.into_response(),
    }
}
