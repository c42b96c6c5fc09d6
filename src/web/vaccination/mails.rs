//! The vaccination mails, queued through the outbox with the booking (as card pickup's
//! mails are), built from `mail_templates/vx_*` in the municipality's own wording where it
//! has worded them under メールの文面 (`web::worded_mails`). They carry no password: a
//! booking is reached by logging in with the ticket, so they give the マイページ's address.
//! The `*_worded` builders take the wording being edited, for the console's preview.
use time::Date;

use crate::app::App;
use crate::core::deadline;
use crate::core::mail_wording::{MailKind, Wording};
use crate::core::receipt;
use crate::db::outbox::OutgoingMail;
use crate::db::tenants::Tenant;
use crate::db::vaccination::Settings;
use crate::i18n::{self, Lang};
use crate::web::error::WebError;
use crate::web::worded_mails::{Refused, in_saved_wording, render};

/// What a completion mail says of the booking.
pub struct Facts<'a> {
    pub receipt_number: &'a str,
    pub person_name: &'a str,
    pub dose_label: &'a str,
    pub day: Date,
    pub start_min: i32,
    pub end_min: i32,
    pub venue: &'a str,
    pub address: &'a str,
    pub vaccine: &'a str,
}

/// What every vaccination mail about a booking may show: the municipality, the マイページ
/// and the call centre of the service's settings.
fn service_context(app: &App, tenant: &Tenant, settings: &Settings, lang: Lang) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("tenant_name", &tenant.name);
    ctx.insert(
        "mypage_url",
        &format!(
            "{}/t/{}/vaccination/",
            app.settings.server.public_url.trim_end_matches('/'),
            tenant.slug
        ),
    );
    // The settings require the call centre's name; a municipality set up before that
    // still gets a sentence that reads.
    let name = match (settings.call_centre_name.trim(), lang) {
        ("", Lang::Ja) => format!("{}の予約相談センター", tenant.name),
        ("", Lang::En) => format!("the booking call centre of {}", tenant.name),
        (name, _) => name.to_string(),
    };
    let line = [
        name.as_str(),
        settings.call_centre_phone.trim(),
        settings.call_centre_hours.trim(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    ctx.insert("call_centre_name", &name);
    ctx.insert("call_centre", &line);
    ctx
}

fn visit(ctx: &mut tera::Context, lang: Lang, (day, start_min, end_min): (Date, i32, i32)) {
    ctx.insert("date", &i18n::date_with_weekday(lang, day));
    ctx.insert("time", &i18n::time_range(lang, start_min, end_min));
}

/// 【予約完了通知メール】: what was booked, where, what to bring, and whom to call.
pub async fn completion(
    app: &App,
    tenant: &Tenant,
    settings: &Settings,
    facts: &Facts<'_>,
    to: &str,
    lang: Lang,
) -> Result<OutgoingMail, WebError> {
    in_saved_wording(
        app,
        tenant,
        MailKind::VaccinationConfirmed,
        lang,
        |wording| completion_worded(app, tenant, settings, facts, to, lang, wording),
    )
    .await
}

/// [`completion`] in `wording`.
pub fn completion_worded(
    app: &App,
    tenant: &Tenant,
    settings: &Settings,
    facts: &Facts<'_>,
    to: &str,
    lang: Lang,
    wording: &Wording,
) -> Result<(OutgoingMail, Refused), WebError> {
    about_visit(
        app,
        tenant,
        settings,
        facts,
        to,
        lang,
        wording,
        MailKind::VaccinationConfirmed,
    )
}

/// 【予約確認のお知らせメール】 (issue 13): the reminder of a booking, with what the completion
/// mail said of it (where, when, what to bring) and the マイページ to look it up.
pub fn reminder_worded(
    app: &App,
    tenant: &Tenant,
    settings: &Settings,
    facts: &Facts<'_>,
    to: &str,
    lang: Lang,
    wording: &Wording,
) -> Result<(OutgoingMail, Refused), WebError> {
    about_visit(
        app,
        tenant,
        settings,
        facts,
        to,
        lang,
        wording,
        MailKind::VaccinationReminder,
    )
}

/// The completion mail and the reminder: the same facts of a visit, in `kind`'s template.
#[allow(clippy::too_many_arguments)]
fn about_visit(
    app: &App,
    tenant: &Tenant,
    settings: &Settings,
    facts: &Facts<'_>,
    to: &str,
    lang: Lang,
    wording: &Wording,
    kind: MailKind,
) -> Result<(OutgoingMail, Refused), WebError> {
    let mut ctx = service_context(app, tenant, settings, lang);
    ctx.insert("person_name", facts.person_name);
    ctx.insert(
        "receipt_number",
        &receipt::format_receipt(facts.receipt_number),
    );
    ctx.insert("dose", facts.dose_label);
    visit(&mut ctx, lang, (facts.day, facts.start_min, facts.end_min));
    ctx.insert("venue_name", facts.venue);
    ctx.insert("venue_address", facts.address);
    ctx.insert("vaccine", facts.vaccine);
    ctx.insert(
        "items",
        settings.text(lang, &settings.items_ja, &settings.items_en),
    );
    render(app, tenant, lang, kind, &ctx, to, wording)
}

/// A booking's move (編集), for [`changed`]: dates, times and venues as the mail shows them.
pub struct Change<'a> {
    pub receipt_number: &'a str,
    pub dose_label: &'a str,
    /// (date, time, venue) before and after.
    pub before: (&'a str, &'a str, &'a str),
    pub after: (&'a str, &'a str, &'a str),
}

/// 【予約変更通知メール】: the booking's 予約ID (unchanged), its time and venue before and
/// after, the マイページ and whom to call if the resident did not make the change.
pub async fn changed(
    app: &App,
    tenant: &Tenant,
    settings: &Settings,
    change: &Change<'_>,
    to: &str,
    lang: Lang,
) -> Result<OutgoingMail, WebError> {
    in_saved_wording(app, tenant, MailKind::VaccinationChanged, lang, |wording| {
        changed_worded(app, tenant, settings, change, to, lang, wording)
    })
    .await
}

/// [`changed`] in `wording`.
pub fn changed_worded(
    app: &App,
    tenant: &Tenant,
    settings: &Settings,
    change: &Change<'_>,
    to: &str,
    lang: Lang,
    wording: &Wording,
) -> Result<(OutgoingMail, Refused), WebError> {
    let mut ctx = service_context(app, tenant, settings, lang);
    ctx.insert(
        "receipt_number",
        &receipt::format_receipt(change.receipt_number),
    );
    ctx.insert("dose", change.dose_label);
    let (date, time, venue) = change.before;
    ctx.insert("before_date", date);
    ctx.insert("before_time", time);
    ctx.insert("before_venue", venue);
    let (date, time, venue) = change.after;
    ctx.insert("date", date);
    ctx.insert("time", time);
    ctx.insert("venue_name", venue);
    let kind = MailKind::VaccinationChanged;
    render(app, tenant, lang, kind, &ctx, to, wording)
}

/// A cancelled booking, for [`cancelled`].
pub struct Cancelled<'a> {
    pub receipt_number: &'a str,
    pub dose_label: &'a str,
    pub day: Date,
    pub start_min: i32,
    pub end_min: i32,
    pub venue: &'a str,
}

/// 【予約取消通知メール】: the booking that was cancelled, how to book again, and whom to call
/// if the resident did not cancel it.
pub async fn cancelled(
    app: &App,
    tenant: &Tenant,
    settings: &Settings,
    facts: &Cancelled<'_>,
    to: &str,
    lang: Lang,
) -> Result<OutgoingMail, WebError> {
    in_saved_wording(
        app,
        tenant,
        MailKind::VaccinationCancelled,
        lang,
        |wording| cancelled_worded(app, tenant, settings, facts, to, lang, wording),
    )
    .await
}

/// [`cancelled`] in `wording`.
pub fn cancelled_worded(
    app: &App,
    tenant: &Tenant,
    settings: &Settings,
    facts: &Cancelled<'_>,
    to: &str,
    lang: Lang,
    wording: &Wording,
) -> Result<(OutgoingMail, Refused), WebError> {
    let mut ctx = service_context(app, tenant, settings, lang);
    ctx.insert(
        "receipt_number",
        &receipt::format_receipt(facts.receipt_number),
    );
    ctx.insert("dose", facts.dose_label);
    visit(&mut ctx, lang, (facts.day, facts.start_min, facts.end_min));
    ctx.insert("venue_name", facts.venue);
    let kind = MailKind::VaccinationCancelled;
    render(app, tenant, lang, kind, &ctx, to, wording)
}

/// The address check of 連絡先 (`web::vaccination::verify`): the link to open and until
/// when. It names no person, venue or day: it goes to an address not yet shown to be
/// the resident's.
pub async fn verification(
    app: &App,
    tenant: &Tenant,
    to: &str,
    link: &str,
    expires_at: i64,
    lang: Lang,
) -> Result<OutgoingMail, WebError> {
    in_saved_wording(
        app,
        tenant,
        MailKind::VaccinationVerification,
        lang,
        |wording| verification_worded(app, tenant, to, link, expires_at, lang, wording),
    )
    .await
}

/// [`verification`] in `wording`.
pub fn verification_worded(
    app: &App,
    tenant: &Tenant,
    to: &str,
    link: &str,
    expires_at: i64,
    lang: Lang,
    wording: &Wording,
) -> Result<(OutgoingMail, Refused), WebError> {
    let mut ctx = tera::Context::new();
    ctx.insert("tenant_name", &tenant.name);
    ctx.insert("link", link);
    ctx.insert(
        "expires_at",
        &i18n::date_time(lang, deadline::jst_from_unix(expires_at)),
    );
    let kind = MailKind::VaccinationVerification;
    render(app, tenant, lang, kind, &ctx, to, wording)
}
