//! The resident's mails, built from `mail_templates/` with the facts of a booking, in the
//! municipality's own wording where it has worded them on the console (read from the
//! database for each mail, so a change is used at once on every instance). Built before
//! the write transaction that queues them (rendering is no work for a transaction). The
//! console sends the same mails when a clerk acts for a resident, and previews them with
//! sample facts (the `*_worded` builders, given the wording being edited).
use serde::Serialize;
use time::Date;

use crate::app::App;
use crate::core::deadline;
use crate::core::mail_wording::{MailKind, Wording};
use crate::core::receipt;
use crate::db::bookings::{self, Booking, NewPerson};
use crate::db::notices;
use crate::db::notices::Notice;
use crate::db::outbox::OutgoingMail;
use crate::db::tenants::{Counter, Tenant};
use crate::i18n::{self, Lang};
use crate::web::error::WebError;
pub use crate::web::worded_mails::Refused;
use crate::web::worded_mails::{in_saved_wording, render, saved, to_send};

/// What pages and mails show of a counter.
#[derive(Serialize)]
pub struct CounterView {
    pub name: String,
    pub address: String,
    pub directions: String,
    pub map_url: Option<String>,
}

impl From<Counter> for CounterView {
    fn from(c: Counter) -> CounterView {
        CounterView {
            name: c.name,
            address: c.address,
            directions: c.directions,
            map_url: c.map_url,
        }
    }
}

/// The keyed hash stored for a lookup password: bound to the tenant and receipt, so a hash
/// copied to another booking is worthless.
pub fn password_hash(app: &App, tenant_id: i64, receipt_number: &str, password: &str) -> String {
    app.secrets.keyed_hash(
        "receipt-password",
        &format!("{tenant_id}:{receipt_number}:{password}"),
    )
}

fn tenant_context(app: &App, tenant: &Tenant, lang: Lang) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("tenant_name", &tenant.name);
    // The call-centre line in the mail's language (画面の文言).
    ctx.insert(
        "contact",
        &crate::web::municipality_pages::call_centre(tenant, lang),
    );
    ctx.insert(
        "lookup_url",
        &format!(
            "{}/t/{}/lookup",
            app.settings.server.public_url.trim_end_matches('/'),
            tenant.slug
        ),
    );
    ctx
}

/// 【連絡先アドレス確認メール】 with the single-use link.
pub async fn verification(
    app: &App,
    tenant: &Tenant,
    to: &str,
    token: &str,
    expires_at: i64,
    lang: Lang,
) -> Result<OutgoingMail, WebError> {
    in_saved_wording(app, tenant, MailKind::Verification, lang, |wording| {
        verification_worded(app, tenant, to, token, expires_at, lang, wording)
    })
    .await
}

/// [`verification`] in `wording`.
pub fn verification_worded(
    app: &App,
    tenant: &Tenant,
    to: &str,
    token: &str,
    expires_at: i64,
    lang: Lang,
    wording: &Wording,
) -> Result<(OutgoingMail, Refused), WebError> {
    let mut ctx = tenant_context(app, tenant, lang);
    ctx.insert(
        "link",
        &format!(
            "{}/t/{}/apply/{}",
            app.settings.server.public_url.trim_end_matches('/'),
            tenant.slug,
            token
        ),
    );
    ctx.insert(
        "expires_at",
        &i18n::date_time(lang, deadline::jst_from_unix(expires_at)),
    );
    render(app, tenant, lang, MailKind::Verification, &ctx, to, wording)
}

pub struct BookingFacts<'a> {
    pub receipt_number: &'a str,
    /// Only in the completion mail (and a resend with a new password).
    pub password: Option<&'a str>,
    pub day: Date,
    pub start_min: i32,
    pub end_min: i32,
    pub people: &'a [NewPerson],
    pub notices: &'a [Notice],
    /// The language the mails are written in (the booking's).
    pub lang: Lang,
}

#[derive(Serialize)]
struct PersonLine {
    name: String,
    number1: String,
}

fn booking_context(
    app: &App,
    tenant: &Tenant,
    counter: &Counter,
    facts: &BookingFacts<'_>,
) -> tera::Context {
    let mut ctx = tenant_context(app, tenant, facts.lang);
    ctx.insert(
        "receipt_number",
        &receipt::format_receipt(facts.receipt_number),
    );
    ctx.insert(
        "password",
        &facts
            .password
            .map(receipt::format_password)
            .unwrap_or_default(),
    );
    ctx.insert("counter_name", &counter.name);
    ctx.insert("counter_address", &counter.address);
    ctx.insert("directions", &counter.directions);
    ctx.insert("date", &i18n::date_with_weekday(facts.lang, facts.day));
    ctx.insert(
        "time",
        &i18n::time_range(facts.lang, facts.start_min, facts.end_min),
    );
    let people: Vec<PersonLine> = facts
        .people
        .iter()
        .map(|p| PersonLine {
            name: p.name.clone(),
            number1: p
                .notice_id
                .and_then(|id| facts.notices.iter().find(|n| n.id == id))
                .map(|n| receipt::mask_number(&n.number1))
                .unwrap_or_default(),
        })
        .collect();
    ctx.insert("people", &people);
    let start = deadline::slot_start(facts.day, facts.start_min);
    let change = tenant.change_cutoff();
    ctx.insert(
        "cancel_deadline",
        &i18n::date_time(facts.lang, change.shown_deadline(start)),
    );
    // The rule as well as the moment ("予約日の3日前まで"), and whether the moment has
    // already passed: a booking made inside the deadline is told it cannot be changed
    // online, rather than "can be changed until" a time gone by.
    ctx.insert("cancel_rule", &i18n::deadline_rule(facts.lang, change));
    ctx.insert(
        "cancel_deadline_passed",
        &!change.is_open(start, app.clock.now_jst()),
    );
    ctx
}

/// The .ics for the visit; `cancelled` makes it the one that takes the visit off the calendar.
fn calendar(
    tenant: &Tenant,
    counter: &Counter,
    facts: &BookingFacts<'_>,
    now: i64,
    cancelled: bool,
) -> String {
    crate::core::ics::to_ics(&crate::core::ics::CalendarEvent {
        uid: format!("{}-{}@madoguchi", tenant.slug, facts.receipt_number),
        summary: match facts.lang {
            Lang::Ja => format!("{} マイナンバーカード受取", tenant.name),
            Lang::En => format!("My Number Card pickup ({})", tenant.name),
        },
        location: format!("{} {}", counter.name, counter.address),
        description: format!(
            "{}: {}\n{}",
            facts.lang.t("receipt-number"),
            receipt::format_receipt(facts.receipt_number),
            counter.directions
        ),
        start: deadline::slot_start(facts.day, facts.start_min),
        end: deadline::slot_start(facts.day, facts.end_min),
        stamp_unix: now,
        cancelled,
    })
}

/// Pixels per module of the QR code in the completion mail: 290 pixels with the quiet zone,
/// shown at 145 (the template's width), so sharp on a phone's double-density screen and
/// halved exactly on a plain one.
const MAIL_QR_SCALE: usize = 10;

/// 【予約完了通知メール】: receipt, password, where and when, who, a calendar file, and the
/// receipt's QR code as a picture the HTML part shows (the text part has the number).
pub async fn booking_confirmed(
    app: &App,
    tenant: &Tenant,
    counter: &Counter,
    facts: &BookingFacts<'_>,
    to: &str,
) -> Result<OutgoingMail, WebError> {
    in_saved_wording(
        app,
        tenant,
        MailKind::BookingConfirmed,
        facts.lang,
        |wording| booking_confirmed_worded(app, tenant, counter, facts, to, wording),
    )
    .await
}

/// [`booking_confirmed`] in `wording`.
pub fn booking_confirmed_worded(
    app: &App,
    tenant: &Tenant,
    counter: &Counter,
    facts: &BookingFacts<'_>,
    to: &str,
    wording: &Wording,
) -> Result<(OutgoingMail, Refused), WebError> {
    let mut ctx = booking_context(app, tenant, counter, facts);
    ctx.insert(
        "receipt_qr_src",
        &format!("cid:{}", crate::mail::INLINE_PNG_CID),
    );
    let (mut mail, refused) = render(
        app,
        tenant,
        facts.lang,
        MailKind::BookingConfirmed,
        &ctx,
        to,
        wording,
    )?;
    // Attached only when the HTML part shows it (a municipality's own HTML may not): an
    // unreferenced picture would be offered as a stray attachment.
    if mail
        .html
        .as_deref()
        .is_some_and(|html| html.contains(crate::mail::INLINE_PNG_CID))
    {
        let qr = crate::core::receipt_qr::ReceiptQr::new(facts.receipt_number)
            .map_err(|_| WebError::Internal("a receipt number too long for a QR code".into()))?;
        mail.inline_png = Some(qr.png(MAIL_QR_SCALE));
    }
    mail.ics = Some(calendar(
        tenant,
        counter,
        facts,
        app.clock.now_unix(),
        false,
    ));
    Ok((mail, refused))
}

/// 【予約変更通知メール】 in `wording`, with the calendar file of the new time.
pub fn booking_changed_worded(
    app: &App,
    tenant: &Tenant,
    counter: &Counter,
    facts: &BookingFacts<'_>,
    to: &str,
    wording: &Wording,
) -> Result<(OutgoingMail, Refused), WebError> {
    let ctx = booking_context(app, tenant, counter, facts);
    let kind = MailKind::BookingChanged;
    let (mut mail, refused) = render(app, tenant, facts.lang, kind, &ctx, to, wording)?;
    mail.ics = Some(calendar(
        tenant,
        counter,
        facts,
        app.clock.now_unix(),
        false,
    ));
    Ok((mail, refused))
}

/// 【予約取消通知メール】 in `wording`, with the calendar file that takes the visit off.
pub fn booking_cancelled_worded(
    app: &App,
    tenant: &Tenant,
    counter: &Counter,
    facts: &BookingFacts<'_>,
    to: &str,
    wording: &Wording,
) -> Result<(OutgoingMail, Refused), WebError> {
    let ctx = booking_context(app, tenant, counter, facts);
    let kind = MailKind::BookingCancelled;
    let (mut mail, refused) = render(app, tenant, facts.lang, kind, &ctx, to, wording)?;
    mail.ics = Some(calendar(tenant, counter, facts, app.clock.now_unix(), true));
    Ok((mail, refused))
}

/// 【予約確認のお知らせメール】 (issue 13) in `wording`: when and where, who, and the lookup
/// page's address, with no password (only its hash is kept) and no calendar file (the
/// completion mail brought it).
pub fn reminder_worded(
    app: &App,
    tenant: &Tenant,
    counter: &Counter,
    facts: &BookingFacts<'_>,
    to: &str,
    wording: &Wording,
) -> Result<(OutgoingMail, Refused), WebError> {
    let ctx = booking_context(app, tenant, counter, facts);
    render(
        app,
        tenant,
        facts.lang,
        MailKind::Reminder,
        &ctx,
        to,
        wording,
    )
}

/// Which mail about a booking that exists already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AboutBooking {
    /// 【予約完了通知メール】 again, with a new password (only its hash is kept, so the old
    /// one cannot be sent again).
    Confirmed,
    Changed,
    Cancelled,
    /// The reminder (issue 13).
    Reminder,
}

/// The mails of `kind` about `booking`, one for each of its addresses (連絡先メールアドレス and
/// the optional 連絡先メールアドレス2), with the facts read from the database; none when it
/// has no address. `(day, start_min, end_min)` is the visit the mail is about: the
/// booking's own, or the new time of a change.
pub async fn about_booking(
    app: &App,
    tenant: &Tenant,
    booking: &Booking,
    kind: AboutBooking,
    (day, start_min, end_min): (Date, i32, i32),
    password: Option<&str>,
) -> Result<Vec<OutgoingMail>, WebError> {
    let addresses: Vec<&str> = [booking.email.as_deref(), booking.email2.as_deref()]
        .into_iter()
        .flatten()
        .filter(|a| !a.trim().is_empty())
        .collect();
    if addresses.is_empty() {
        return Ok(Vec::new());
    }
    let people = bookings::people(&app.db, booking.id).await?;
    let notice_ids: Vec<i64> = people.iter().filter_map(|(p, _)| p.notice_id).collect();
    let notices = notices::find_many(&app.db, tenant.id, &notice_ids).await?;
    let new_people: Vec<NewPerson> = people
        .into_iter()
        .map(|(p, _)| NewPerson {
            notice_id: p.notice_id,
            name: p.name,
            kana: p.kana,
            phone: p.phone,
            answers: p.answers.0,
        })
        .collect();
    let counter = bookings::counter_of(&app.db, booking.counter_id).await?;
    let facts = BookingFacts {
        receipt_number: &booking.receipt_number,
        password,
        day,
        start_min,
        end_min,
        people: &new_people,
        notices: &notices,
        lang: Lang::from_stored(&booking.lang),
    };
    let mail_kind = match kind {
        AboutBooking::Confirmed => MailKind::BookingConfirmed,
        AboutBooking::Changed => MailKind::BookingChanged,
        AboutBooking::Cancelled => MailKind::BookingCancelled,
        AboutBooking::Reminder => MailKind::Reminder,
    };
    let wording = saved(app, tenant, mail_kind, facts.lang).await?;
    let mut mails = Vec::with_capacity(addresses.len());
    for to in addresses {
        let built = match kind {
            AboutBooking::Confirmed => {
                booking_confirmed_worded(app, tenant, &counter, &facts, to, &wording)?
            }
            AboutBooking::Changed => {
                booking_changed_worded(app, tenant, &counter, &facts, to, &wording)?
            }
            AboutBooking::Cancelled => {
                booking_cancelled_worded(app, tenant, &counter, &facts, to, &wording)?
            }
            AboutBooking::Reminder => reminder_worded(app, tenant, &counter, &facts, to, &wording)?,
        };
        mails.push(to_send(tenant, mail_kind, facts.lang, built));
    }
    Ok(mails)
}
