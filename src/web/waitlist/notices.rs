//! The notice job (issue 13): at each set time of each service's waitlist, 空き枠のお知らせ to
//! every opted-in registrant without a booking who has had fewer than the day's most, when
//! there are freed places to list. Each notice is recorded with its mail in one transaction
//! (`db::waitlist::queue_notice`), so two instances, or a restart, send it once; a set time
//! missed while the server was down goes out when it is back, until the next one comes.
use super::mails::{self, ListedPlace};
use super::places::open_places;
use crate::app::App;
use crate::core::deadline;
use crate::core::waitlist::{Registrant, due_notice, gets_notice};
use crate::db::{tenants, vaccination, waitlist};
use crate::i18n::Lang;
use crate::web::error::WebError;

/// Queues the notices due at the app clock's present moment; how many it queued.
pub async fn send_due(app: &App) -> Result<usize, WebError> {
    let now_unix = app.clock.now_unix();
    let now = deadline::jst_from_unix(now_unix);
    let day_start = deadline::unix_from_jst(now.date().midnight());
    let mut queued = 0;
    for (tenant_id, service_id) in waitlist::services_with_waitlist(&app.db).await? {
        let times = waitlist::notice_times(&app.db, service_id).await?;
        let Some(moment) = due_notice(&times, now) else {
            continue;
        };
        let notice_at = deadline::unix_from_jst(moment);
        let recipients: Vec<_> = waitlist::recipients(&app.db, service_id, day_start, notice_at)
            .await?
            .into_iter()
            .filter(|r| !r.has_this_one)
            .collect();
        if recipients.is_empty() {
            continue;
        }
        let tenant = tenants::find(&app.db, tenant_id).await?;
        let Some(settings) = vaccination::settings(&app.db, tenant_id).await? else {
            continue;
        };
        let places = open_places(app, &tenant, &settings).await?;
        for r in recipients {
            let registrant = Registrant {
                notify: r.registration.notify,
                booked: r.registration.booking_id.is_some(),
                sent_today: r.sent_since,
            };
            if !gets_notice(registrant, places.len()) {
                continue;
            }
            let lang = Lang::from_stored(&r.registration.lang);
            let listed: Vec<ListedPlace> = places
                .iter()
                .map(|(s, v)| ListedPlace {
                    when: mails::when(lang, s.day, s.start_min, s.end_min),
                    venue: v.name.clone(),
                    free: s.free,
                })
                .collect();
            let mail = mails::notice(
                app,
                &tenant,
                &r.registration.email,
                notice_at,
                &listed,
                lang,
            )?;
            if waitlist::queue_notice(&app.db, r.registration.id, notice_at, &mail, now_unix)
                .await?
            {
                queued += 1;
            }
        }
    }
    if queued > 0 {
        app.mail_wakeup.notify_one();
    }
    Ok(queued)
}
