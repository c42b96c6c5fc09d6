//! Starting the booking of one dose: 「予約」 on the マイページ opens the choice between
//! 「場所から決める」 and 「日時から決める」 (seed 003), or says why the dose cannot be
//! booked now. The dose being booked and the days it may take live in the session's draft.
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::mypage::{states_of, window};
use super::visit::{Draft, Login, require_login, visit_of};
use super::{load_service, service_context, url};
use crate::app::App;
use crate::app::AppState;
use crate::core::vaccination::calendar_day::DayRules;
use crate::core::vaccination::dose::DoseNumber;
use crate::core::vaccination::eligibility::DayRefusal;
use crate::core::vaccination::my_doses::DoseState;
use crate::db::tenants::Tenant;
use crate::db::tickets::Ticket;
use crate::db::vaccination::Settings;
use crate::i18n::Lang;
use crate::secrets::random_token;
use crate::web::error::WebError;
use crate::web::session::{self, ResidentSession};
use crate::web::{PathParams, render};

/// The days `dose` of the ticket may take now, or why it may take none.
pub async fn dose_rules(
    app: &App,
    settings: &Settings,
    ticket: &Ticket,
    dose: DoseNumber,
) -> Result<Result<DayRules, Option<DayRefusal>>, WebError> {
    let states = states_of(app, settings, ticket).await?;
    let (first, last) = window(app, settings);
    Ok(
        match states.iter().find(|(d, _)| *d == dose).map(|(_, s)| *s) {
            Some(DoseState::Bookable { eligibility, .. }) => Ok(DayRules {
                window_first: first,
                window_last: last,
                eligibility,
                latest: None,
                thresholds: settings.thresholds(),
            }),
            Some(DoseState::Refused(r)) => Err(Some(r)),
            _ => Err(None),
        },
    )
}

/// A page of the booking after 「予約」: the logged-in session, its ticket, the draft's dose
/// and the days it may take; otherwise where to go (the login, or the マイページ when there
/// is no draft or the dose cannot be booked any more).
pub struct Booking {
    pub session: Box<ResidentSession>,
    pub ticket: Ticket,
    pub dose: DoseNumber,
    pub rules: DayRules,
    /// The booking this draft moves (編集), as read for its days, or `None` for a new one.
    pub moving: Option<crate::db::bookings::Booking>,
}

pub async fn require_draft(
    app: &App,
    jar: &CookieJar,
    tenant: &Tenant,
    settings: &Settings,
) -> Result<Result<Booking, Box<Response>>, WebError> {
    let (mut s, ticket) = match require_login(app, jar, tenant, settings).await? {
        Login::In(s, t) => (s, t),
        Login::Out(r) => return Ok(Err(Box::new(r))),
    };
    let to_mypage = || {
        Err(Box::new(
            Redirect::to(&url(tenant, "/mypage")).into_response(),
        ))
    };
    let Some(draft) = visit_of(&mut s).draft.as_ref() else {
        return Ok(to_mypage());
    };
    if let Some(id) = draft.changes {
        return change_draft(app, tenant, settings, s, ticket, id).await;
    }
    if draft.booking_id.is_some() {
        return Ok(Err(Box::new(
            Redirect::to(&url(tenant, "/done")).into_response(),
        )));
    }
    let Some(dose) = u8::try_from(draft.dose).ok().and_then(DoseNumber::new) else {
        return Ok(to_mypage());
    };
    match dose_rules(app, settings, &ticket, dose).await? {
        Ok(rules) => Ok(Ok(Booking {
            session: s,
            ticket,
            dose,
            rules,
            moving: None,
        })),
        Err(_) => {
            // A press of [予約を確定する] racing this request booked it with this very draft:
            // this one shows the same completion, as a replay does.
            let key = visit_of(&mut s)
                .draft
                .as_ref()
                .map(|d| d.idempotency_key.clone())
                .unwrap_or_default();
            if !key.is_empty()
                && let Some(id) = crate::db::dose_bookings::by_key(&app.db, tenant.id, &key).await?
            {
                let email = crate::db::bookings::find(&app.db, id)
                    .await?
                    .and_then(|b| b.email);
                if let Some(d) = visit_of(&mut s).draft.as_mut() {
                    d.booking_id = Some(id);
                    d.hold_id = None;
                    d.mailed_to = email;
                }
                session::save(app, &s).await?;
                return Ok(Err(Box::new(
                    Redirect::to(&url(tenant, "/done")).into_response(),
                )));
            }
            // Booked meanwhile (another tab or device, a clerk), or no longer bookable: the
            // draft ends, its hold gives the place back, and the マイページ says why.
            let booked = super::mypage::ticket_bookings(app, &ticket)
                .await?
                .iter()
                .any(|(d, _, _)| *d == dose);
            let visit = visit_of(&mut s);
            if let Some(hold_id) = visit.draft.as_ref().and_then(|d| d.hold_id) {
                crate::db::holds::release(&app.db, hold_id).await?;
            }
            visit.draft = None;
            let lang = Lang::current();
            s.data.flash = Some(if booked {
                crate::i18n::Msg::new("vx-dose-already-booked")
                    .arg("dose", dose.label(lang))
                    .resolve(lang)
            } else {
                crate::i18n::tr("vx-dose-not-bookable")
            });
            session::save(app, &s).await?;
            Ok(to_mypage())
        }
    }
}

/// A draft that moves booking `id` (編集): its days now, or where to go once it is moved,
/// cancelled meanwhile or past the deadline (the draft ends, its hold lets its place go).
async fn change_draft(
    app: &App,
    tenant: &Tenant,
    settings: &Settings,
    mut s: Box<ResidentSession>,
    ticket: Ticket,
    id: i64,
) -> Result<Result<Booking, Box<Response>>, WebError> {
    let detail = || Redirect::to(&url(tenant, &format!("/bookings/{id}"))).into_response();
    if visit_of(&mut s)
        .draft
        .as_ref()
        .is_some_and(|d| d.booking_id.is_some())
    {
        // Moved already: a repeated [変更を確定する] shows the booking as it now is.
        return Ok(Err(Box::new(detail())));
    }
    match super::change::change_rules(app, tenant, settings, &ticket, id).await? {
        Ok((moving, dose, rules)) => Ok(Ok(Booking {
            session: s,
            ticket,
            dose,
            rules,
            moving: Some(moving),
        })),
        Err(refused) => {
            let visit = visit_of(&mut s);
            if let Some(hold_id) = visit.draft.as_ref().and_then(|d| d.hold_id) {
                crate::db::holds::release(&app.db, hold_id).await?;
            }
            visit.draft = None;
            session::save(app, &s).await?;
            Ok(Err(Box::new(super::change::refused_redirect(
                tenant, id, &refused,
            ))))
        }
    }
}

impl Booking {
    /// The id of the booking this draft moves, if it moves one.
    pub fn changes(&self) -> Option<i64> {
        self.moving.as_ref().map(|b| b.id)
    }

    /// Where a page of the new booking's way (連絡先, 内容確認) sends a draft that moves a
    /// booking instead: its own 「予約の変更」 page, as 連絡先 stays as booked.
    pub fn change_redirect(&self, tenant: &Tenant) -> Option<Response> {
        self.changes()
            .map(|_| Redirect::to(&url(tenant, "/change")).into_response())
    }
}

#[derive(Deserialize)]
pub struct DoseQuery {
    dose: Option<String>,
}

/// 「予約」: the draft for this dose, then the two ways of choosing.
pub async fn start(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    Query(q): Query<DoseQuery>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let (mut s, ticket) = match require_login(&app, &jar, &tenant, &settings).await? {
        Login::In(s, t) => (s, t),
        Login::Out(r) => return Ok(r),
    };
    let Some(dose) = q.dose.as_deref().and_then(|d| DoseNumber::parse(d).ok()) else {
        return Ok(Redirect::to(&url(&tenant, "/mypage")).into_response());
    };
    let rules = dose_rules(&app, &settings, &ticket, dose).await?;
    let (jar, mut ctx) = service_context(&app, &tenant, &settings, jar);
    ctx.insert("dose_label", &dose.label(Lang::current()));
    match rules {
        Ok(_) => {
            let visit = visit_of(&mut s);
            let same = visit.draft.as_ref().is_some_and(|d| {
                d.dose == i32::from(dose.get()) && d.booking_id.is_none() && d.changes.is_none()
            });
            if !same {
                // Another dose, or the booking before it is done: a new draft (the old
                // hold, if any, lets its place go).
                if let Some(hold_id) = visit.draft.as_ref().and_then(|d| d.hold_id)
                    && visit.draft.as_ref().is_some_and(|d| d.booking_id.is_none())
                {
                    crate::db::holds::release(&app.db, hold_id).await?;
                }
                visit.draft = Some(Draft {
                    dose: i32::from(dose.get()),
                    idempotency_key: random_token(16),
                    ..Draft::default()
                });
                session::save(&app, &s).await?;
            }
            ctx.insert("refusal", &None::<String>);
            ctx.insert("changing", &None::<i64>);
            Ok((jar, render(&app, "vaccination/book.html", &ctx)?).into_response())
        }
        Err(refusal) => {
            let lang = Lang::current();
            ctx.insert(
                "refusal",
                &Some(refusal.map_or_else(
                    || crate::i18n::tr("vx-dose-not-bookable"),
                    |r| r.no_days_message(lang),
                )),
            );
            ctx.insert(
                "show_call_centre",
                &(refusal == Some(DayRefusal::PreviousDoseUnknown)),
            );
            ctx.insert("changing", &None::<i64>);
            Ok((
                StatusCode::CONFLICT,
                jar,
                render(&app, "vaccination/book.html", &ctx)?,
            )
                .into_response())
        }
    }
}
