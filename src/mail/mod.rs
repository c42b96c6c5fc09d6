//! Mail: building messages with lettre, the three transports, mail templates and the
//! outbox worker step.
//!
//! Handlers never send mail. They render a mail with [`MailTemplates::render`] and queue it
//! with [`crate::db::outbox::OutboxWrites::enqueue_mail_in`] inside the transaction of the
//! change it reports; [`deliver_due`] sends it afterwards, outside any transaction, and
//! retries with backoff when the SMTP server fails.
pub mod dev_mailbox;
pub mod templates;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::Context as _;
use futures_util::StreamExt as _;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

use crate::config::{MailSettings, MailTransportKind};
use crate::db::outbox::{self, OutboxMail};
use crate::db::{Db, DbError};

pub use crate::db::outbox::OutgoingMail;
pub use dev_mailbox::{read_dev_mail, read_dev_mailbox, text_to_html_with_links};
pub use templates::MailTemplates;

/// File name of the calendar attachment.
pub const ICS_FILENAME: &str = "yoyaku.ics";
/// Content type of the calendar attachment.
pub const ICS_CONTENT_TYPE: &str = "text/calendar; charset=utf-8; method=PUBLISH";
/// The Content-ID of a mail's inline picture ([`OutgoingMail::inline_png`]); its HTML part
/// shows it as `<img src="cid:...">`. One per mail, so a fixed id is unique in it.
pub const INLINE_PNG_CID: &str = "receipt-qr@madoguchi";

/// How long one SMTP command may take before the attempt counts as failed.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one whole attempt (connect, commands, the message) may take: a server that
/// answers each command just within [`SMTP_TIMEOUT`] must not hold a batch for long.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);
/// Mails one [`deliver_due`] claim takes at a time.
const CLAIM_BATCH: i64 = 32;
/// Mails of a batch sent at once, each over its own pooled SMTP connection. One SMTP
/// exchange spends most of its time waiting on the network (and, on Linux, up to 40 ms on a
/// delayed ACK after lettre writes the message and its final dot separately), so mails one
/// after the other cap delivery at a few dozen a second; concurrently they do not.
const SEND_CONCURRENCY: usize = 16;
/// SMTP connections kept open for reuse: one per concurrent send.
const SMTP_POOL_SIZE: u32 = SEND_CONCURRENCY as u32;
/// The lease on a claimed batch: comfortably longer than sending [`CLAIM_BATCH`] mails,
/// [`SEND_CONCURRENCY`] at a time, each bounded by [`ATTEMPT_TIMEOUT`] (2 rounds of 60 s),
/// so that another instance does not send them a second time.
const CLAIM_LEASE_SECS: i64 = 600;
const _: () = assert!(
    (CLAIM_BATCH as u64).div_ceil(SEND_CONCURRENCY as u64) * ATTEMPT_TIMEOUT.as_secs()
        < CLAIM_LEASE_SECS as u64 / 2,
    "the lease must outlast the sending of a whole batch, with room"
);
/// [`deliver_due`] claims no further batch after running this long: its `now` (and so the
/// leases it sets) must not fall far behind the real time; the rest goes at the next run.
const MAX_RUN: Duration = Duration::from_secs(60);

/// A mail as a transport received it: what the development mailbox stores and the
/// in-memory transport keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub ics: Option<String>,
    /// The picture the HTML part shows inline (sent only with an HTML part).
    #[serde(default)]
    pub inline_png: Option<Vec<u8>>,
}

impl From<&OutgoingMail> for SentMail {
    fn from(m: &OutgoingMail) -> SentMail {
        SentMail {
            to: m.to.clone(),
            subject: m.subject.clone(),
            text: m.text.clone(),
            html: m.html.clone(),
            ics: m.ics.clone(),
            inline_png: m.html.as_ref().and(m.inline_png.clone()),
        }
    }
}

pub enum Transport {
    /// Real delivery.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// One JSON file per mail in this folder, readable at /dev/mailbox: development only.
    DevMailbox(PathBuf),
    /// Kept in memory for tests.
    Memory(Arc<Mutex<Vec<SentMail>>>),
}

impl Transport {
    /// The transport `settings.transport` names.
    ///
    /// For SMTP, `smtp_url` is read by lettre's `AsyncSmtpTransport::from_url`:
    ///
    /// | URL | connection |
    /// | --- | --- |
    /// | `smtp://host:port` | plain SMTP, never TLS (default port 25): only for a relay on the same machine or a test server |
    /// | `smtp://host:587?tls=required` | STARTTLS, refused if the server does not offer it (default port 587) |
    /// | `smtp://host:587?tls=opportunistic` | STARTTLS when offered, else plain: open to a man in the middle |
    /// | `smtps://host:465` | TLS from the first byte (default port 465): preferred |
    ///
    /// `user:password@` before the host logs in (percent-encode special characters); a path
    /// (`smtps://host/mail.example.jp`) sets the EHLO name. Any other scheme or `tls` value is
    /// refused here, at start-up. TLS uses rustls with the Mozilla root certificates.
    ///
    /// Call it inside a Tokio runtime: the SMTP connection pool starts a task on it that
    /// closes idle connections.
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<Transport> {
        Ok(match settings.transport {
            MailTransportKind::Smtp => {
                let url = settings.smtp_url.trim();
                if url.is_empty() {
                    anyhow::bail!("mail.smtp_url must be set when mail.transport is \"smtp\"");
                }
                // The URL may hold a password: lettre's errors do not repeat it, and neither
                // does this message.
                let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("mail.smtp_url is not a usable SMTP URL: {e}"))?;
                Transport::Smtp(
                    builder
                        .timeout(Some(SMTP_TIMEOUT))
                        .pool_config(
                            lettre::transport::smtp::PoolConfig::new().max_size(SMTP_POOL_SIZE),
                        )
                        .build(),
                )
            }
            MailTransportKind::DevMailbox => {
                Transport::DevMailbox(PathBuf::from(&settings.dev_mailbox_dir))
            }
            MailTransportKind::Memory => Transport::Memory(Arc::new(Mutex::new(Vec::new()))),
        })
    }
}

pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl Mailer {
    pub fn new(settings: &MailSettings) -> anyhow::Result<Mailer> {
        let from = settings
            .from
            .parse::<Mailbox>()
            .with_context(|| format!("mail.from is not a mail address: {:?}", settings.from))?;
        Ok(Mailer {
            from,
            transport: Transport::from_settings(settings)?,
        })
    }

    pub fn with_transport(from: Mailbox, transport: Transport) -> Mailer {
        Mailer { from, transport }
    }

    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// The development mailbox folder, when that is the transport.
    pub fn dev_mailbox_dir(&self) -> Option<&Path> {
        match &self.transport {
            Transport::DevMailbox(dir) => Some(dir),
            _ => None,
        }
    }

    /// What the in-memory transport has received so far (None for other transports).
    pub fn memory_mailbox(&self) -> Option<Vec<SentMail>> {
        match &self.transport {
            Transport::Memory(sent) => {
                Some(sent.lock().unwrap_or_else(PoisonError::into_inner).clone())
            }
            _ => None,
        }
    }

    /// Sends one mail. The error is a short description without secrets, fit to store
    /// as the outbox row's `last_error`. Every transport builds the real message first, so
    /// a mail that SMTP would refuse to build fails in development and tests too.
    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), String> {
        let message = self.build_message(mail)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                // Logged and shown to admins: the server's reply may quote the recipient.
                .map_err(|e| crate::core::redact::mail_addresses(&format!("SMTP: {e}"))),
            Transport::DevMailbox(dir) => dev_mailbox::write(dir, &SentMail::from(mail))
                .await
                .map_err(|e| format!("development mailbox: {e}")),
            Transport::Memory(sent) => {
                sent.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(SentMail::from(mail));
                Ok(())
            }
        }
    }

    /// The MIME message: text/plain, or multipart/alternative text and HTML, wrapped in
    /// multipart/mixed with the calendar attachment when there is one. An inline picture
    /// goes with the HTML in multipart/related (RFC 2387), as the part its `cid:` names,
    /// so that clients which show only the text never offer it as a stray attachment.
    /// lettre writes the subject and names as RFC 2047 encoded words and picks base64 or
    /// quoted-printable for UTF-8 bodies.
    pub fn build_message(&self, mail: &OutgoingMail) -> Result<Message, String> {
        let to: Mailbox = mail
            .to
            .trim()
            .parse()
            .map_err(|_| "the recipient is not a valid mail address".to_string())?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(one_line(&mail.subject))
            .message_id(Some(self.new_message_id()));
        let content = match (&mail.html, &mail.inline_png) {
            (Some(html), None) => Content::Multi(MultiPart::alternative_plain_html(
                mail.text.clone(),
                html.clone(),
            )),
            (Some(html), Some(png)) => {
                let png_type = ContentType::parse("image/png").map_err(|e| e.to_string())?;
                let picture =
                    Attachment::new_inline(INLINE_PNG_CID.to_string()).body(png.clone(), png_type);
                Content::Multi(
                    MultiPart::alternative()
                        .singlepart(SinglePart::plain(mail.text.clone()))
                        .multipart(
                            MultiPart::related()
                                .singlepart(SinglePart::html(html.clone()))
                                .singlepart(picture),
                        ),
                )
            }
            (None, _) => Content::Single(SinglePart::plain(mail.text.clone())),
        };
        let content = match &mail.ics {
            None => content,
            Some(ics) => {
                let content_type =
                    ContentType::parse(ICS_CONTENT_TYPE).map_err(|e| e.to_string())?;
                let attachment =
                    Attachment::new(ICS_FILENAME.to_string()).body(ics.clone(), content_type);
                let mixed = MultiPart::mixed();
                let mixed = match content {
                    Content::Single(part) => mixed.singlepart(part),
                    Content::Multi(part) => mixed.multipart(part),
                };
                Content::Multi(mixed.singlepart(attachment))
            }
        };
        match content {
            Content::Single(part) => builder.singlepart(part),
            Content::Multi(part) => builder.multipart(part),
        }
        .map_err(|e| format!("building the message: {e}"))
    }

    /// `<random@domain-of-the-sender>`: no host name of ours leaks into the header.
    fn new_message_id(&self) -> String {
        format!(
            "<{:032x}@{}>",
            rand::random::<u128>(),
            self.from.email.domain()
        )
    }
}

enum Content {
    Single(SinglePart),
    Multi(MultiPart),
}

/// A subject on one line: other control characters become spaces, lines are trimmed and
/// joined with a space.
pub fn one_line(s: &str) -> String {
    s.lines()
        .map(|line| {
            line.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect::<String>()
        })
        .map(|line| line.trim().to_string())
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sends what is due at `now`: claims batches from the outbox, sends each mail outside any
/// transaction, and records it as sent or failed (with backoff). Returns how many were sent.
/// Safe to run on several instances at once. Call it every few seconds (and when a mail was
/// queued); one run stops claiming after about a minute and leaves the rest to the next.
/// A database error stops the run; mails it had claimed but not sent are taken again when
/// their lease ends (10 minutes).
pub async fn deliver_due(db: &Db, mailer: &Mailer, now: i64) -> Result<usize, DbError> {
    let started = std::time::Instant::now();
    let mut sent = 0;
    loop {
        let batch = outbox::claim_due(db, now, CLAIM_LEASE_SECS, CLAIM_BATCH).await?;
        let full = batch.len() as i64 == CLAIM_BATCH;
        // Each mail is sent and recorded on its own; a database error stops the run after
        // the sends already under way have been recorded (the rest wait for their lease).
        // The futures are made first: a closure inside the stream trips the compiler's
        // proof that the spawned worker is Send.
        let sends: Vec<_> = batch
            .iter()
            .map(|mail| deliver_one(db, mailer, mail, now))
            .collect();
        let results: Vec<Result<bool, DbError>> = futures_util::stream::iter(sends)
            .buffer_unordered(SEND_CONCURRENCY)
            .collect()
            .await;
        for result in results {
            if result? {
                sent += 1;
            }
        }
        if !full || started.elapsed() > MAX_RUN {
            return Ok(sent);
        }
    }
}

async fn deliver_one(
    db: &Db,
    mailer: &Mailer,
    mail: &OutboxMail,
    now: i64,
) -> Result<bool, DbError> {
    let attempt = tokio::time::timeout(ATTEMPT_TIMEOUT, mailer.send(&mail.to_outgoing()))
        .await
        .unwrap_or_else(|_| Err(format!("no answer within {} s", ATTEMPT_TIMEOUT.as_secs())));
    match attempt {
        Ok(()) => {
            outbox::mark_sent(db, mail.id, now).await?;
            Ok(true)
        }
        Err(error) => {
            let attempts = mail.attempts + 1;
            if attempts >= outbox::MAX_ATTEMPTS {
                tracing::error!(outbox_id = mail.id, attempts, %error, "mail not sent; giving up");
            } else {
                tracing::warn!(outbox_id = mail.id, attempts, %error, "mail not sent; will retry");
            }
            outbox::mark_failed(db, mail.id, &error, now).await?;
            Ok(false)
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod transport_tests;
