//! 連絡先 (seed 002): お名前(カナ) and 電話番号 required, メールアドレス optional, 予約者の
//! 情報 (name and phone) when the booker is not the person, 「接種日の繰上げを希望する」.
//! Read with the card-pickup readers (kana, phone, address); errors beside the fields,
//! what was typed kept.
use std::collections::{BTreeMap, HashMap};

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use super::book::{Booking, require_draft};
use super::verify;
use super::visit::{Contact, visit_of};
use super::{load_service, service_context, url};
use crate::app::AppState;
use crate::core::resident_input::{EmailAddress, clean_text, parse_kana, parse_phone};
use crate::db::holds::{self, Hold};
use crate::db::tenants::Tenant;
use crate::db::vaccination::Settings;
use crate::db::venues;
use crate::i18n::{Lang, Msg};
use crate::web::booking::hold::hold_view;
use crate::web::error::WebError;
use crate::web::limits::Client;
use crate::web::session::{self, check_csrf};
use crate::web::{PathParams, render};

/// The fields in page order (the error summary follows it).
const FIELDS: [&str; 6] = [
    "kana",
    "phone",
    "email",
    "booker_name",
    "booker_phone",
    "wants_earlier",
];

/// 連絡先 as it will be stored.
pub struct Checked {
    pub kana: String,
    pub phone: String,
    pub email: Option<EmailAddress>,
    pub booker: Option<(String, String)>,
    pub wants_earlier: bool,
}

/// Checks 連絡先 as typed.
pub fn check(c: &Contact) -> Result<Checked, BTreeMap<&'static str, Msg>> {
    let mut errors = BTreeMap::new();
    let kana = parse_kana(&c.kana)
        .map_err(|e| errors.insert("kana", e.msg()))
        .ok();
    let phone = parse_phone(&c.phone)
        .map_err(|e| errors.insert("phone", e.msg()))
        .ok();
    let email = if c.email.trim().is_empty() {
        None
    } else {
        EmailAddress::parse(&c.email)
            .map_err(|e| errors.insert("email", e.msg()))
            .ok()
    };
    let booker = if c.booker_other {
        let name = match clean_text(&c.booker_name, 50) {
            Ok(n) if !n.is_empty() => Some(n),
            Ok(_) => {
                errors.insert("booker_name", Msg::new("vx-booker-name-empty"));
                None
            }
            Err(e) => {
                errors.insert("booker_name", e.msg());
                None
            }
        };
        let phone = parse_phone(&c.booker_phone)
            .map_err(|e| errors.insert("booker_phone", e.msg()))
            .ok();
        name.zip(phone)
    } else {
        None
    };
    let wants_earlier = match c.wants_earlier.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.insert("wants_earlier", Msg::new("vx-wants-earlier-empty"));
            None
        }
    };
    match (kana, phone, wants_earlier) {
        (Some(kana), Some(phone), Some(wants_earlier)) if errors.is_empty() => Ok(Checked {
            kana,
            phone,
            email,
            booker,
            wants_earlier,
        }),
        _ => Err(errors),
    }
}

/// The draft's hold, live or not.
pub async fn draft_hold(app: &AppState, booking: &mut Booking) -> Result<Option<Hold>, WebError> {
    match visit_of(&mut booking.session)
        .draft
        .as_ref()
        .and_then(|d| d.hold_id)
    {
        Some(id) => Ok(holds::find_as_of(&app.db, id, app.clock.now_unix()).await?),
        None => Ok(None),
    }
}

/// The hold, its venue and the dose for a page's context.
pub async fn insert_choice(
    app: &AppState,
    tenant: &Tenant,
    ctx: &mut tera::Context,
    booking: &Booking,
    hold: &Hold,
) -> Result<(), WebError> {
    let now = app.clock.now_unix();
    ctx.insert("dose_label", &booking.dose.label(Lang::current()));
    ctx.insert("hold", &hold_view(hold, now, tenant.hold_ttl_min));
    let venue = venues::find(&app.db, tenant.id, hold.counter_id).await?;
    ctx.insert("venue_name", &venue.as_ref().map(|v| v.name.clone()));
    ctx.insert("venue_address", &venue.as_ref().map(|v| v.address.clone()));
    ctx.insert("vaccine", &venue.map(|v| v.vaccine));
    Ok(())
}

async fn render_contact(
    app: &AppState,
    tenant: &Tenant,
    settings: &Settings,
    jar: CookieJar,
    mut booking: Booking,
    errors: BTreeMap<&'static str, Msg>,
) -> Result<Response, WebError> {
    let flash = booking.session.take_flash();
    session::save(app, &booking.session).await?;
    let Some(hold) = draft_hold(app, &mut booking).await? else {
        return Ok(Redirect::to(&url(tenant, "/venues")).into_response());
    };
    let contact = visit_of(&mut booking.session)
        .draft
        .as_ref()
        .map(|d| d.contact.clone())
        .unwrap_or_default();
    let (jar, mut ctx) = service_context(app, tenant, settings, jar);
    insert_choice(app, tenant, &mut ctx, &booking, &hold).await?;
    let summary: Vec<(String, Msg)> = FIELDS
        .iter()
        .filter_map(|f| errors.get(f).map(|m| (f.to_string(), m.clone())))
        .collect();
    let expired = !hold.is_live(app.clock.now_unix());
    ctx.insert("person_name", &booking.ticket.name);
    ctx.insert("c", &contact);
    ctx.insert("errors", &errors);
    ctx.insert("error_summary", &summary);
    ctx.insert("flash", &flash);
    ctx.insert("hold_expired", &expired);
    let status = if summary.is_empty() && !expired {
        StatusCode::OK
    } else if expired {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, jar, render(app, "vaccination/contact.html", &ctx)?).into_response())
}

pub async fn show(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let booking = match require_draft(&app, &jar, &tenant, &settings).await? {
        Ok(b) => b,
        Err(r) => return Ok(*r),
    };
    if let Some(r) = booking.change_redirect(&tenant) {
        return Ok(r);
    }
    render_contact(&app, &tenant, &settings, jar, booking, BTreeMap::new()).await
}

pub async fn submit(
    State(app): State<AppState>,
    client: Client,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    check_csrf(&app, &jar, &field("csrf"))?;
    let mut booking = match require_draft(&app, &jar, &tenant, &settings).await? {
        Ok(b) => b,
        Err(r) => return Ok(*r),
    };
    if let Some(r) = booking.change_redirect(&tenant) {
        return Ok(r);
    }
    let contact = Contact {
        kana: field("kana"),
        phone: field("phone"),
        email: field("email"),
        booker_other: field("booker_other") == "1",
        booker_name: field("booker_name"),
        booker_phone: field("booker_phone"),
        wants_earlier: field("wants_earlier"),
    };
    let result = check(&contact);
    if let Some(draft) = visit_of(&mut booking.session).draft.as_mut() {
        draft.contact = contact;
        draft.contact_done = result.is_ok();
    }
    session::save(&app, &booking.session).await?;
    let checked = match result {
        Ok(c) => c,
        Err(errors) => return render_contact(&app, &tenant, &settings, jar, booking, errors).await,
    };
    // An address not yet checked in this draft gets the link mail first.
    if let Some(email) = &checked.email
        && !verify::address_ready(&mut booking)
    {
        return match verify::send_check(&app, &tenant, client, &mut booking, email).await? {
            Ok(()) => Ok(Redirect::to(&url(&tenant, "/contact/verify")).into_response()),
            Err(limited) => {
                let errors = BTreeMap::from([("email", limited)]);
                render_contact(&app, &tenant, &settings, jar, booking, errors).await
            }
        };
    }
    Ok(Redirect::to(&url(&tenant, "/confirm")).into_response())
}
