//! The waitlist's mails, from the shipped templates `mail_templates/wl_*` in the
//! registrant's language: the address check, 空き枠のお知らせ and 予約確定通知. Nothing in them
//! but times, places and links, and the booked person's name to the booked address (no
//! birthdate, no phone: the mail may be read by LINE one day, issue 14).
use serde::Serialize;
use time::Date;

use crate::app::App;
use crate::core::deadline;
use crate::db::outbox::OutgoingMail;
use crate::db::tenants::Tenant;
use crate::i18n::{self, Lang};
use crate::web::error::WebError;

fn render(
    app: &App,
    tenant: &Tenant,
    lang: Lang,
    name: &str,
    ctx: &tera::Context,
    to: &str,
) -> Result<OutgoingMail, WebError> {
    app.mail_templates
        .render_in(lang, name, ctx, to, Some(&tenant.slug))
        .map_err(|e| WebError::Internal(format!("mail template {name}: {e:?}")))
}

fn context(tenant: &Tenant) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("tenant_name", &tenant.name);
    ctx
}

/// 「12月3日(木) 10:00〜10:30」.
pub fn when(lang: Lang, day: Date, start_min: i32, end_min: i32) -> String {
    format!(
        "{} {}",
        i18n::date_with_weekday(lang, day),
        i18n::time_range(lang, start_min, end_min)
    )
}

pub fn verification(
    app: &App,
    tenant: &Tenant,
    to: &str,
    link: &str,
    expires_at: i64,
    lang: Lang,
) -> Result<OutgoingMail, WebError> {
    let mut ctx = context(tenant);
    ctx.insert("link", link);
    ctx.insert(
        "expires_at",
        &i18n::date_time(lang, deadline::jst_from_unix(expires_at)),
    );
    render(app, tenant, lang, "wl_verification", &ctx, to)
}

/// One place a notice lists.
#[derive(Debug, Clone, Serialize)]
pub struct ListedPlace {
    pub when: String,
    pub venue: String,
    pub free: i32,
}

/// 空き枠のお知らせ of the set time `noticed_at`, listing `places`.
pub fn notice(
    app: &App,
    tenant: &Tenant,
    to: &str,
    noticed_at: i64,
    places: &[ListedPlace],
    lang: Lang,
) -> Result<OutgoingMail, WebError> {
    let mut ctx = context(tenant);
    ctx.insert("places", places);
    ctx.insert(
        "noticed_at",
        &i18n::date_time(lang, deadline::jst_from_unix(noticed_at)),
    );
    ctx.insert("places_url", &super::public_url(app, tenant, "/places"));
    render(app, tenant, lang, "wl_notice", &ctx, to)
}

/// What 予約確定通知 says.
pub struct Booked<'a> {
    pub person_name: &'a str,
    pub receipt_number: &'a str,
    pub dose_label: &'a str,
    pub when: &'a str,
    pub venue: &'a str,
    pub address: &'a str,
    pub vaccine: &'a str,
}

pub fn booked(
    app: &App,
    tenant: &Tenant,
    to: &str,
    b: &Booked<'_>,
    lang: Lang,
) -> Result<OutgoingMail, WebError> {
    let mut ctx = context(tenant);
    ctx.insert("person_name", b.person_name);
    ctx.insert("receipt_number", b.receipt_number);
    ctx.insert("dose_label", b.dose_label);
    ctx.insert("when", b.when);
    ctx.insert("venue", b.venue);
    ctx.insert("address", b.address);
    ctx.insert("vaccine", b.vaccine);
    ctx.insert("mypage_url", &super::public_url(app, tenant, "/me"));
    render(app, tenant, lang, "wl_booked", &ctx, to)
}
