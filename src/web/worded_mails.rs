//! The mails a municipality words on the console (メールの文面), for every service: the
//! shipped template rendered with a mail's facts, and the parts the municipality has
//! worded rendered in the sandbox in their place (`core::mail_wording::check`). Each
//! service's mail module gathers the facts; this is what they share.
use crate::app::App;
use crate::core::mail_wording::check::{self, Part, Problem};
use crate::core::mail_wording::{MailKind, Wording};
use crate::db::mail_templates;
use crate::db::outbox::OutgoingMail;
use crate::db::tenants::Tenant;
use crate::i18n::Lang;
use crate::web::error::WebError;

/// Why the parts of a municipality's wording were not used (empty when they were, or when
/// there is none): the shipped part went out instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refused {
    pub subject: Vec<Problem>,
    pub body: Vec<Problem>,
}

impl Refused {
    pub fn is_empty(&self) -> bool {
        self.subject.is_empty() && self.body.is_empty()
    }
}

/// Mail `kind` from the shipped templates, with the parts `wording` words rendered in the
/// sandbox instead where they pass its check.
pub fn render(
    app: &App,
    tenant: &Tenant,
    lang: Lang,
    kind: MailKind,
    ctx: &tera::Context,
    to: &str,
    wording: &Wording,
) -> Result<(OutgoingMail, Refused), WebError> {
    let internal =
        |e: tera::Error| WebError::Internal(format!("mail template {}: {e:?}", kind.code()));
    let mut mail = app
        .mail_templates
        .render_in(lang, kind.code(), ctx, to, Some(&tenant.slug))
        .map_err(internal)?;
    let mut refused = Refused::default();
    if let Some(source) = &wording.subject {
        match check::render(kind, Part::Subject, source, ctx) {
            Ok(subject) => mail.subject = crate::mail::one_line(&subject),
            Err(problems) => refused.subject = problems,
        }
    }
    if let Some(source) = &wording.body {
        match check::render(kind, Part::Body, source, ctx) {
            Ok(text) => {
                mail = app
                    .mail_templates
                    .with_worded_body(lang, ctx, mail, &text)
                    .map_err(internal)?;
            }
            Err(problems) => refused.body = problems,
        }
    }
    Ok((mail, refused))
}

/// The wording `tenant` has saved for `kind` in `lang`, read now.
pub async fn saved(
    app: &App,
    tenant: &Tenant,
    kind: MailKind,
    lang: Lang,
) -> Result<Wording, WebError> {
    Ok(mail_templates::wording(&app.db, tenant.id, kind, lang).await?)
}

/// The mail to send. The console refuses a wording that does not pass the check, so a
/// refusal here means it stopped passing (an upgrade changed a placeholder, say): the mail
/// goes out in the shipped wording, and the log says which mail, without anything personal.
pub fn to_send(
    tenant: &Tenant,
    kind: MailKind,
    lang: Lang,
    built: (OutgoingMail, Refused),
) -> OutgoingMail {
    let (mail, refused) = built;
    if !refused.is_empty() {
        tracing::warn!(
            tenant = %tenant.slug,
            mail = kind.code(),
            lang = lang.code(),
            subject_refused = !refused.subject.is_empty(),
            body_refused = !refused.body.is_empty(),
            "the municipality's wording of this mail no longer passes the check; sent in the shipped wording"
        );
    }
    mail
}

/// Mail `kind` in the wording `tenant` has saved for `lang` (read now), built by `build`
/// from that wording: what every service's mail builder does before queueing a mail.
pub async fn in_saved_wording(
    app: &App,
    tenant: &Tenant,
    kind: MailKind,
    lang: Lang,
    build: impl FnOnce(&Wording) -> Result<(OutgoingMail, Refused), WebError>,
) -> Result<OutgoingMail, WebError> {
    let wording = saved(app, tenant, kind, lang).await?;
    Ok(to_send(tenant, kind, lang, build(&wording)?))
}
