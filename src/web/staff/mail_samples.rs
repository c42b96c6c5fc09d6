//! The made-up facts メールの文面 previews a mail with (and checks a wording against on
//! saving): the municipality's own name, contact, first counter or venue and settings,
//! with sample people, receipt and times, so the preview is the mail as it would go out.
use time::Duration;

use super::Staff;
use crate::app::AppState;
use crate::core::deadline;
use crate::core::mail_wording::{MailKind, MailService, Wording};
use crate::core::vaccination::dose::DoseNumber;
use crate::db::bookings::NewPerson;
use crate::db::notices::Notice;
use crate::db::outbox::OutgoingMail;
use crate::db::tenants::{self, Counter};
use crate::db::{vaccination as vaccination_db, venues};
use crate::i18n::{self, Lang};
use crate::web::error::WebError;
use crate::web::pickup::mails::{self, BookingFacts, Refused};
use crate::web::vaccination::mails as vx_mails;

/// The facts the preview (and the check on saving) fills the mail with: the municipality's
/// own name, contact and first counter, and made-up people, receipt and time.
struct Sample {
    counter: Counter,
    people: Vec<NewPerson>,
    notices: Vec<Notice>,
}

async fn sample(app: &AppState, staff: &Staff, lang: Lang) -> Result<Sample, WebError> {
    let counter = tenants::active_counters(&app.db, staff.tenant.id)
        .await?
        .into_iter()
        .next()
        .unwrap_or(Counter {
            id: 0,
            tenant_id: staff.tenant.id,
            name: "本庁舎 市民課".into(),
            address: String::new(),
            directions: String::new(),
            map_url: None,
            active: true,
            position: 0,
        });
    let names: [(&str, &str); 2] = match lang {
        Lang::Ja => [("見本 花子", "ABC123456"), ("見本 太郎", "DEF654321")],
        Lang::En => [("Hanako Mihon", "ABC123456"), ("Taro Mihon", "DEF654321")],
    };
    let mut people = Vec::new();
    let mut notices = Vec::new();
    for (i, (name, number1)) in names.into_iter().enumerate() {
        let id = -(i as i64) - 1;
        people.push(NewPerson {
            notice_id: Some(id),
            name: name.into(),
            kana: String::new(),
            phone: String::new(),
            answers: Vec::new(),
        });
        notices.push(Notice {
            id,
            tenant_id: staff.tenant.id,
            number1: number1.into(),
            number2: String::new(),
            birthdate: time::macros::date!(1980 - 01 - 01),
            name: name.into(),
            kana: String::new(),
            status: "issued".into(),
        });
    }
    Ok(Sample {
        counter,
        people,
        notices,
    })
}

/// A sample receipt number and password, in the shapes the real ones have.
const SAMPLE_RECEIPT: &str = "1234567890";
const SAMPLE_PASSWORD: &str = "ABCDEFGHJKLMNPQR";
const SAMPLE_TO: &str = "sample@example.jp";

/// The mail as it would go out with `wording` and the sample facts, and what of the wording
/// was refused.
pub async fn build(
    app: &AppState,
    staff: &Staff,
    kind: MailKind,
    lang: Lang,
    wording: &Wording,
) -> Result<(OutgoingMail, Refused), WebError> {
    let now = app.clock.now_unix();
    if kind.service() == MailService::Vaccination {
        return vaccination(app, staff, kind, lang, wording).await;
    }
    if kind == MailKind::Verification {
        let expires_at = now + i64::from(staff.tenant.verification_ttl_min) * 60;
        return mails::verification_worded(
            app,
            &staff.tenant,
            SAMPLE_TO,
            "SAMPLETOKENSAMPLETOKEN",
            expires_at,
            lang,
            wording,
        );
    }
    let sample = sample(app, staff, lang).await?;
    let facts = BookingFacts {
        receipt_number: SAMPLE_RECEIPT,
        password: Some(SAMPLE_PASSWORD),
        day: deadline::jst_from_unix(now).date() + Duration::days(7),
        start_min: 10 * 60,
        end_min: 10 * 60 + 15,
        people: &sample.people,
        notices: &sample.notices,
        lang,
    };
    let (tenant, counter) = (&staff.tenant, &sample.counter);
    match kind {
        MailKind::Verification => unreachable!("built above"),
        MailKind::VaccinationVerification
        | MailKind::VaccinationConfirmed
        | MailKind::VaccinationChanged
        | MailKind::VaccinationCancelled
        | MailKind::VaccinationReminder => unreachable!("built above"),
        MailKind::BookingConfirmed => {
            mails::booking_confirmed_worded(app, tenant, counter, &facts, SAMPLE_TO, wording)
        }
        MailKind::BookingChanged => {
            mails::booking_changed_worded(app, tenant, counter, &facts, SAMPLE_TO, wording)
        }
        MailKind::BookingCancelled => {
            mails::booking_cancelled_worded(app, tenant, counter, &facts, SAMPLE_TO, wording)
        }
        MailKind::Reminder => {
            let facts = BookingFacts {
                password: None,
                ..facts
            };
            mails::reminder_worded(app, tenant, counter, &facts, SAMPLE_TO, wording)
        }
    }
}

/// A vaccination mail with sample facts: the municipality's first venue (or a made-up
/// one before it has any) and its own call centre. 404 when it does not offer the service.
async fn vaccination(
    app: &AppState,
    staff: &Staff,
    kind: MailKind,
    lang: Lang,
    wording: &Wording,
) -> Result<(OutgoingMail, Refused), WebError> {
    let tenant = &staff.tenant;
    let settings = vaccination_db::settings(&app.db, tenant.id)
        .await?
        .ok_or(WebError::NotFound)?;
    let venues = venues::active(&app.db, tenant.id).await?;
    let (venue, address, vaccine) = venues
        .first()
        .map(|v| (v.name.clone(), v.address.clone(), v.vaccine.clone()))
        .unwrap_or_else(|| ("中央公民館".into(), String::new(), "ファイザー".into()));
    let earlier = venues.get(1).map_or(venue.clone(), |v| v.name.clone());
    let now = app.clock.now_unix();
    let day = deadline::jst_from_unix(now).date() + Duration::days(7);
    let dose = DoseNumber::new(1)
        .map(|d| d.label(lang))
        .unwrap_or_default();
    let person = match lang {
        Lang::Ja => "見本 花子",
        Lang::En => "Hanako Mihon",
    };
    let (start, end) = (10 * 60, 10 * 60 + 30);
    match kind {
        MailKind::VaccinationVerification => {
            let expires_at = now + i64::from(tenant.verification_ttl_min) * 60;
            let link = format!(
                "{}/t/{}/vaccination/verify/SAMPLETOKENSAMPLETOKEN",
                app.settings.server.public_url.trim_end_matches('/'),
                tenant.slug
            );
            vx_mails::verification_worded(app, tenant, SAMPLE_TO, &link, expires_at, lang, wording)
        }
        MailKind::VaccinationConfirmed | MailKind::VaccinationReminder => {
            let facts = vx_mails::Facts {
                receipt_number: SAMPLE_RECEIPT,
                person_name: person,
                dose_label: &dose,
                day,
                start_min: start,
                end_min: end,
                venue: &venue,
                address: &address,
                vaccine: &vaccine,
            };
            let build = if kind == MailKind::VaccinationReminder {
                vx_mails::reminder_worded
            } else {
                vx_mails::completion_worded
            };
            build(app, tenant, &settings, &facts, SAMPLE_TO, lang, wording)
        }
        MailKind::VaccinationChanged => {
            let before_date = i18n::date_with_weekday(lang, day - Duration::days(2));
            let before_time = i18n::time_range(lang, 14 * 60, 14 * 60 + 30);
            let after_date = i18n::date_with_weekday(lang, day);
            let after_time = i18n::time_range(lang, start, end);
            vx_mails::changed_worded(
                app,
                tenant,
                &settings,
                &vx_mails::Change {
                    receipt_number: SAMPLE_RECEIPT,
                    dose_label: &dose,
                    before: (&before_date, &before_time, &earlier),
                    after: (&after_date, &after_time, &venue),
                },
                SAMPLE_TO,
                lang,
                wording,
            )
        }
        _ => vx_mails::cancelled_worded(
            app,
            tenant,
            &settings,
            &vx_mails::Cancelled {
                receipt_number: SAMPLE_RECEIPT,
                dose_label: &dose,
                day,
                start_min: start,
                end_min: end,
                venue: &venue,
            },
            SAMPLE_TO,
            lang,
            wording,
        ),
    }
}
