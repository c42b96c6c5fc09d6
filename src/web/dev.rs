//! Development-only pages: the demo's sample notices and vaccination tickets, so a newcomer
//! can book at once.
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::error::WebError;
use super::render;
use crate::app::AppState;
use crate::demo;

#[derive(Serialize)]
struct SampleView {
    number1: String,
    number2: String,
    birthdate_digits: String,
    birthdate_ja: String,
    name: String,
    note: &'static str,
}

#[derive(Serialize)]
struct TicketView {
    ticket_number: String,
    birthdate_digits: String,
    birthdate_ja: String,
    dose: String,
    previous: String,
    name: String,
    note: &'static str,
}

pub async fn samples(State(app): State<AppState>) -> Result<Response, WebError> {
    if !app.demo_pages_enabled() {
        return Err(WebError::NotFound);
    }
    let tenant = crate::db::tenants::find_by_slug(&app.db, demo::SLUG)
        .await?
        .ok_or(WebError::NotFound)?;
    let notices = demo::sample_notices_for_page(&app.db, tenant.id).await?;
    let samples: Vec<SampleView> = notices
        .into_iter()
        .map(|n| SampleView {
            number1: n.number1_display,
            number2: n.number2,
            birthdate_digits: n.birthdate_digits,
            birthdate_ja: n.birthdate_ja,
            name: n.name,
            note: n.note,
        })
        .collect();
    let tickets: Vec<TicketView> = demo::vaccination::sample_tickets_for_page(&app.db, tenant.id)
        .await?
        .into_iter()
        .map(|t| TicketView {
            ticket_number: t.ticket_number,
            birthdate_digits: t.birthdate_digits,
            birthdate_ja: t.birthdate_ja,
            dose: t.dose,
            previous: t.previous,
            name: t.name,
            note: t.note,
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("tickets", &tickets);
    ctx.insert("tenant_name", &tenant.name);
    ctx.insert("tenant_slug", &tenant.slug);
    ctx.insert("samples", &samples);
    ctx.insert("admin_login", demo::ADMIN_LOGIN);
    ctx.insert("admin_password", demo::ADMIN_PASSWORD);
    Ok(render(&app, "dev_samples.html", &ctx)?.into_response())
}
