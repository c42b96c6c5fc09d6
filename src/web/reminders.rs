//! The reminder job (issue 13): every minute or so, each switched-on reminder of each
//! service reads the bookings that can be due ([`ReminderTime::last_due_day`]), keeps the
//! ones [`ReminderTime::is_due`] says, builds their 【予約確認のお知らせメール】 in the
//! booking's language and the municipality's wording, and queues each exactly once
//! ([`db::reminders::queue`]). Safe on several instances at once and after a restart: what
//! one instance queued, another finds recorded.
use crate::app::App;
use crate::core::deadline;
use crate::core::vaccination::dose::DoseNumber;
use crate::db::outbox::OutgoingMail;
use crate::db::reminders::{self as db_reminders, Candidate};
use crate::db::tenants::{self, CARD_PICKUP, Tenant};
use crate::db::vaccination::{self as vaccination_db, Settings};
use crate::db::{tickets, venues};
use crate::i18n::Lang;
use crate::web::error::WebError;
use crate::web::pickup::mails::{self as pickup_mails, AboutBooking};
use crate::web::vaccination::mails as vx_mails;
use crate::web::worded_mails::{saved, to_send};

/// What one run queued.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunReport {
    /// Reminders recorded and their mails queued by this run.
    pub queued: usize,
    /// Due bookings with no address to send to: recorded, so they are not read again.
    pub without_address: usize,
}

/// Queues every reminder due at the app clock's present moment.
pub async fn queue_due(app: &App) -> Result<RunReport, WebError> {
    let now_unix = app.clock.now_unix();
    let now = deadline::jst_from_unix(now_unix);
    let mut report = RunReport::default();
    let mut tenant: Option<Tenant> = None;
    for rule in db_reminders::active_rules(&app.db).await? {
        let candidates =
            db_reminders::candidates(&app.db, &rule, now.date(), rule.time.last_due_day(now))
                .await?;
        let due: Vec<Candidate> = candidates
            .into_iter()
            .filter(|c| {
                rule.time.is_due(
                    deadline::slot_start(c.booking.day, c.booking.start_min),
                    deadline::jst_from_unix(c.timed_at),
                    now,
                )
            })
            .collect();
        if due.is_empty() {
            continue;
        }
        if tenant.as_ref().is_none_or(|t| t.id != rule.tenant_id) {
            tenant = Some(tenants::find(&app.db, rule.tenant_id).await?);
        }
        let Some(tenant) = tenant.as_ref() else {
            continue;
        };
        let settings = if rule.service_kind == CARD_PICKUP {
            None
        } else {
            match vaccination_db::settings(&app.db, tenant.id).await? {
                Some(settings) => Some(settings),
                // Not offered any more: nothing to remind of.
                None => continue,
            }
        };
        for candidate in &due {
            let mails = mails_for(app, tenant, settings.as_ref(), candidate).await?;
            if db_reminders::queue(&app.db, candidate, rule.time, &mails, now_unix).await? {
                if mails.is_empty() {
                    report.without_address += 1;
                } else {
                    report.queued += 1;
                }
            }
        }
    }
    if report.queued > 0 {
        app.mail_wakeup.notify_one();
    }
    Ok(report)
}

/// The reminder mails of one booking (none when it left no address): card pickup's when
/// `settings` is None, else vaccination's.
async fn mails_for(
    app: &App,
    tenant: &Tenant,
    settings: Option<&Settings>,
    candidate: &Candidate,
) -> Result<Vec<OutgoingMail>, WebError> {
    let booking = &candidate.booking;
    let visit = (booking.day, booking.start_min, booking.end_min);
    match settings {
        None => {
            pickup_mails::about_booking(app, tenant, booking, AboutBooking::Reminder, visit, None)
                .await
        }
        Some(settings) => vaccination_mail(app, tenant, settings, candidate).await,
    }
}

async fn vaccination_mail(
    app: &App,
    tenant: &Tenant,
    settings: &Settings,
    candidate: &Candidate,
) -> Result<Vec<OutgoingMail>, WebError> {
    let booking = &candidate.booking;
    let Some(to) = booking.email.as_deref().filter(|a| !a.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    let lang = Lang::from_stored(&booking.lang);
    let facts = crate::db::dose_bookings::facts(&app.db, tenant.id, &[booking.id])
        .await?
        .remove(&booking.id);
    let person = match facts.as_ref() {
        Some(f) => tickets::find(&app.db, tenant.id, f.ticket_id)
            .await?
            .map(|t| t.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let dose = facts
        .as_ref()
        .and_then(|f| u8::try_from(f.dose_number).ok())
        .and_then(DoseNumber::new)
        .map(|d| d.label(lang))
        .unwrap_or_default();
    let venue = venues::find(&app.db, tenant.id, booking.counter_id).await?;
    let (venue_name, address, vaccine) = venue
        .map(|v| (v.name, v.address, v.vaccine))
        .unwrap_or_default();
    let kind = crate::core::mail_wording::MailKind::VaccinationReminder;
    let wording = saved(app, tenant, kind, lang).await?;
    let built = vx_mails::reminder_worded(
        app,
        tenant,
        settings,
        &vx_mails::Facts {
            receipt_number: &booking.receipt_number,
            person_name: &person,
            dose_label: &dose,
            day: booking.day,
            start_min: booking.start_min,
            end_min: booking.end_min,
            venue: &venue_name,
            address: &address,
            vaccine: &vaccine,
        },
        to,
        lang,
        &wording,
    )?;
    Ok(vec![to_send(tenant, kind, lang, built)])
}
