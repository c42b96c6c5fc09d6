//! Steps 4–8: the booking form (窓口予約申込), the grid and the hold, 予約入力確認, and
//! 予約入力完了. The application lives in the resident's session.
use std::collections::{BTreeMap, HashMap};

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};

use super::grid_view;
use super::recipients::{self, AnswerView, BuiltinOptional, ExtraInput, PersonErrors};
use super::{base_context, booking_rules, load_tenant};
use crate::app::AppState;
use crate::core::deadline;
use crate::core::recipient_fields::RecipientForm;
use crate::core::resident_input::{EmailAddress, NumberFormat};
use crate::db::bookings::{self};
use crate::db::holds::{self, Hold, NewHold};
use crate::db::notices;
use crate::db::tenants::{self, Counter, Tenant};
use crate::db::verifications::{self, Consumed};
use crate::i18n::{self, Lang, Msg};
use crate::secrets::random_token;
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::render;
use crate::web::session::{
    self, Application, PersonForm, ResidentData, ResidentSession, check_csrf,
};

mod confirm;
pub use confirm::{book, confirm_page, done};

/// Japanese, for the console; residents get the message ids `hold-expired`, `slot-taken`.
pub const HOLD_EXPIRED: &str =
    "仮押さえの有効期限が切れました。入力へ戻って予約日時を再設定してください。";
pub const SLOT_TAKEN: &str = "選択された日時は、ほかの方の予約が入ったため予約できませんでした。別の日時を選択してください。";
// The hold's view and extension are every service's: they live in `web::booking::hold`.
pub use crate::web::booking::hold::{
    HoldView, extended_message, extension_of, hold_view, not_extended_message,
};

/// "○名様分の予約のため、連続して○枠の予約枠が必要です。" for groups.
pub fn party_notice(party: i32) -> Option<String> {
    (party >= 2).then(|| {
        Msg::new("party-notice")
            .arg("n", party)
            .resolve(Lang::current())
    })
}

fn field(form: &HashMap<String, String>, name: &str) -> String {
    form.get(name).cloned().unwrap_or_default()
}

fn apply_url(tenant: &Tenant, rest: &str) -> String {
    format!("/t/{}/apply{}", tenant.slug, rest)
}

/// The page shown when there is no application in this browser (expired session, or the
/// link was opened in another browser).
fn no_application(app: &AppState, tenant: &Tenant, jar: CookieJar) -> Result<Response, WebError> {
    let (jar, mut ctx) = base_context(app, tenant, jar);
    ctx.insert("title", "no-application-title");
    ctx.insert("message", "no-application");
    ctx.insert("restart", &true);
    Ok((
        StatusCode::NOT_FOUND,
        jar,
        render(app, "pickup/message.html", &ctx)?,
    )
        .into_response())
}

async fn application_session(
    app: &AppState,
    jar: &CookieJar,
    tenant: &Tenant,
) -> Result<Option<ResidentSession>, WebError> {
    Ok(session::load(app, jar, tenant.id)
        .await?
        .filter(|s| s.data.application.is_some()))
}

fn app_of(s: &mut ResidentSession) -> &mut Application {
    s.data.application.as_mut().expect("filtered on load")
}

// ---- the link in the mail ----------------------------------------------------------

/// GET of the mailed link: say whether it is still good and offer the button that uses it.
pub async fn link_landing(
    State(app): State<AppState>,
    PathParams((slug, token)): PathParams<(String, String)>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    let hash = app.secrets.keyed_hash("verification", &token);
    let state = verifications::peek(&app.db, tenant.id, &hash, app.clock.now_unix()).await?;
    link_page(&app, &tenant, jar, &state, &token)
}

fn link_page(
    app: &AppState,
    tenant: &Tenant,
    jar: CookieJar,
    state: &Consumed,
    token: &str,
) -> Result<Response, WebError> {
    let (jar, mut ctx) = base_context(app, tenant, jar);
    let (status, title, message) = match state {
        Consumed::Valid(_) => {
            ctx.insert("token", token);
            return Ok((jar, render(app, "pickup/link.html", &ctx)?).into_response());
        }
        Consumed::Expired => (StatusCode::GONE, "link-expired-title", "link-expired"),
        Consumed::AlreadyUsed => (StatusCode::GONE, "link-used-title", "link-used"),
        Consumed::Unknown => (StatusCode::NOT_FOUND, "link-unknown-title", "link-unknown"),
    };
    ctx.insert("title", title);
    ctx.insert("message", message);
    ctx.insert("restart", &true);
    Ok((status, jar, render(app, "pickup/message.html", &ctx)?).into_response())
}

/// POST of the landing page's button: use the link once and start the application.
pub async fn link_use(
    State(app): State<AppState>,
    PathParams((slug, token)): PathParams<(String, String)>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let hash = app.secrets.keyed_hash("verification", &token);
    let state = verifications::consume(&app.db, tenant.id, &hash, app.clock.now_unix()).await?;
    let Consumed::Valid(v) = state else {
        return link_page(&app, &tenant, jar, &state, &token);
    };
    let notice_ids: Vec<i64> = serde_json::from_str(&v.notice_ids).unwrap_or_default();
    if notice_ids.is_empty() {
        return Err(WebError::Internal("verification without notices".into()));
    }
    let counters = tenants::active_counters(&app.db, tenant.id).await?;
    let application = Application {
        email: v.email,
        people: vec![PersonForm::default(); notice_ids.len()],
        notice_ids,
        counter_id: fixed_counter(&tenant, &counters).map(|c| c.id),
        idempotency_key: random_token(16),
        ..Application::default()
    };
    let (jar, _) = session::start(
        &app,
        jar,
        tenant.id,
        ResidentData {
            application: Some(application),
            ..ResidentData::default()
        },
    )
    .await?;
    Ok((jar, Redirect::to(&apply_url(&tenant, ""))).into_response())
}

/// The counter when there is no choice: the tenant pins one, or there is only one.
fn fixed_counter<'a>(tenant: &Tenant, counters: &'a [Counter]) -> Option<&'a Counter> {
    if let Some(pinned) = tenant.pinned_counter_id {
        return counters.iter().find(|c| c.id == pinned);
    }
    match counters {
        [only] => Some(only),
        _ => None,
    }
}

// ---- the booking form ----------------------------------------------------------------

#[derive(Serialize)]
struct PersonView {
    index: usize,
    number1: String,
    name: String,
    kana: String,
    phone: String,
    /// Which built-in fields may be left empty for this person.
    optional: BuiltinOptional,
    /// The inputs of the municipality's own fields (the form).
    extras: Vec<ExtraInput>,
    /// The answers to them (the confirmation).
    answers: Vec<AnswerView>,
    errors: PersonErrors,
}

#[derive(Serialize)]
struct CounterOption {
    id: i64,
    name: String,
    address: String,
    selected: bool,
}

/// Whether the built-in fields are asked, for the templates (`ask_name`...).
pub fn insert_asked(ctx: &mut tera::Context, asked: &RecipientForm) {
    ctx.insert("ask_name", &asked.name.is_some());
    ctx.insert("ask_kana", &asked.kana.is_some());
    ctx.insert("ask_phone", &asked.phone.is_some());
}

async fn live_hold(app: &AppState, application: &Application) -> Result<Option<Hold>, WebError> {
    let Some(id) = application.hold_id else {
        return Ok(None);
    };
    Ok(holds::find_as_of(&app.db, id, app.clock.now_unix()).await?)
}

async fn render_form(
    app: &AppState,
    tenant: &Tenant,
    jar: CookieJar,
    s: &mut ResidentSession,
    person_errors: Vec<PersonErrors>,
    errors: BTreeMap<&'static str, Msg>,
) -> Result<Response, WebError> {
    let flash = s.take_flash();
    let asked = recipients::asked(app, tenant.id).await?;
    let lang = Lang::current();
    session::save(app, s).await?;
    let application = app_of(s).clone();
    let now = app.clock.now_unix();
    let notices = notices::find_many(&app.db, tenant.id, &application.notice_ids).await?;
    let number1_format = NumberFormat::parse(&tenant.number1_format).ok();
    let people: Vec<PersonView> = application
        .notice_ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let typed = application.people.get(i).cloned().unwrap_or_default();
            let number1 = notices
                .iter()
                .find(|n| n.id == *id)
                .map(|n| match &number1_format {
                    Some(f) => f.display(&n.number1),
                    None => n.number1.clone(),
                })
                .unwrap_or_default();
            let errors = person_errors.get(i).cloned().unwrap_or_default();
            PersonView {
                index: i + 1,
                number1,
                optional: recipients::builtin_optional(&asked, i + 1),
                extras: recipients::extra_inputs(&asked, &typed, i + 1, &errors, lang),
                answers: Vec::new(),
                name: typed.name,
                kana: typed.kana,
                phone: typed.phone,
                errors,
            }
        })
        .collect();
    let counters = tenants::active_counters(&app.db, tenant.id).await?;
    let fixed = fixed_counter(tenant, &counters).map(|c| c.id);
    let options: Vec<CounterOption> = counters
        .iter()
        .filter(|c| fixed.is_none_or(|f| f == c.id))
        .map(|c| CounterOption {
            id: c.id,
            name: c.name.clone(),
            address: c.address.clone(),
            selected: application.counter_id == Some(c.id),
        })
        .collect();
    let hold = live_hold(app, &application)
        .await?
        .map(|h| hold_view(&h, now, tenant.hold_ttl_min));
    // In the order of the fields on the page: each person, then counter, time, address.
    debug_assert!(
        errors
            .keys()
            .all(|k| ["counter", "hold", "email2"].contains(k))
    );
    let keys = recipients::keys_in_page_order(&asked);
    let mut summary: Vec<(String, Msg)> = Vec::new();
    for p in &people {
        // Every field with an error is one the summary knows the place of.
        debug_assert!(p.errors.keys().all(|k| keys.contains(k)));
        let in_page_order = keys.iter().filter_map(|f| p.errors.get_key_value(f));
        for (k, v) in in_page_order {
            summary.push((
                recipients::input_name(k, p.index),
                Msg::new("summary-person")
                    .arg("n", p.index)
                    .arg("message", v.clone()),
            ));
        }
    }
    for field in ["counter", "hold", "email2"] {
        if let Some(v) = errors.get(field) {
            summary.push((field.to_string(), v.clone()));
        }
    }
    let status = if summary.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let (jar, mut ctx) = base_context(app, tenant, jar);
    // The language switch sends this form, so what was typed survives the switch.
    ctx.insert("lang_form", "apply-form");
    ctx.insert("people", &people);
    insert_asked(&mut ctx, &asked);
    ctx.insert("counters", &options);
    ctx.insert("counter_fixed", &fixed.is_some());
    ctx.insert("hold", &hold);
    ctx.insert("email", &application.email);
    ctx.insert("email2", &application.email2);
    ctx.insert("errors", &errors);
    ctx.insert("error_summary", &summary);
    ctx.insert("flash", &flash);
    ctx.insert(
        "party_notice",
        &party_notice(application.notice_ids.len() as i32),
    );
    Ok((status, jar, render(app, "pickup/apply.html", &ctx)?).into_response())
}

pub async fn form(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    let Some(mut s) = application_session(&app, &jar, &tenant).await? else {
        return no_application(&app, &tenant, jar);
    };
    if app_of(&mut s).booking_id.is_some() {
        return Ok(Redirect::to(&apply_url(&tenant, "/done")).into_response());
    }
    render_form(&app, &tenant, jar, &mut s, Vec::new(), BTreeMap::new()).await
}

/// POST of the booking form: keep what was typed, then go to the grid, extend the hold, or
/// go on to the confirmation.
pub async fn form_submit(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    let form: HashMap<String, String> = fields.into_iter().collect();
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let Some(mut s) = application_session(&app, &jar, &tenant).await? else {
        return no_application(&app, &tenant, jar);
    };
    let counters = tenants::active_counters(&app.db, tenant.id).await?;
    let fixed = fixed_counter(&tenant, &counters).map(|c| c.id);
    let asked = recipients::asked(&app, tenant.id).await?;
    {
        let a = app_of(&mut s);
        if a.booking_id.is_some() {
            return Ok(Redirect::to(&apply_url(&tenant, "/done")).into_response());
        }
        for (i, p) in a.people.iter_mut().enumerate() {
            *p = recipients::read_person(&form, i + 1, &asked);
        }
        a.email2 = field(&form, "email2");
        a.counter_id = fixed.or_else(|| {
            field(&form, "counter")
                .parse::<i64>()
                .ok()
                .filter(|id| counters.iter().any(|c| c.id == *id))
        });
    }
    // The language switch in the header: what was typed is kept in the session (above)
    // and the hold is untouched; the form comes back, unchecked, in the new language.
    if let Some(to) = Lang::parse(&field(&form, "switch_lang")) {
        session::save(&app, &s).await?;
        let jar = jar.add(crate::web::lang::cookie(&app, to));
        return Ok((jar, Redirect::to(&apply_url(&tenant, ""))).into_response());
    }
    let action = field(&form, "action");
    let mut errors = BTreeMap::new();
    if app_of(&mut s).counter_id.is_none() {
        errors.insert("counter", Msg::new("counter-required"));
    }
    match action.as_str() {
        "choose" if errors.is_empty() => {
            session::save(&app, &s).await?;
            return Ok(Redirect::to(&apply_url(&tenant, "/slots")).into_response());
        }
        "extend" => {
            let now = app.clock.now_unix();
            match live_hold(&app, app_of(&mut s)).await? {
                Some(h) if !h.is_live(now) => {
                    errors.insert("hold", Msg::new("hold-expired"));
                }
                Some(h) => match extension_of(&h, now, tenant.hold_ttl_min) {
                    Some(new_expiry) if holds::extend(&app.db, h.id, new_expiry, now).await? => {
                        s.data.flash = Some(extended_message(new_expiry));
                    }
                    Some(_) => {
                        errors.insert("hold", Msg::new("hold-expired"));
                    }
                    None => {
                        s.data.flash = Some(not_extended_message(&h, tenant.hold_ttl_min));
                    }
                },
                None => {
                    errors.insert("hold", Msg::new("hold-expired"));
                }
            }
        }
        "confirm" => {
            let person_errors =
                match recipients::check_people(&asked, &app_of(&mut s).people, Lang::current()) {
                    Ok(_) => Vec::new(),
                    Err(e) => e,
                };
            let email2 = app_of(&mut s).email2.clone();
            if !email2.trim().is_empty()
                && let Err(e) = EmailAddress::parse(&email2)
            {
                errors.insert("email2", e.msg());
            }
            let now = app.clock.now_unix();
            match live_hold(&app, app_of(&mut s)).await? {
                Some(h) if h.is_live(now) && Some(h.counter_id) == app_of(&mut s).counter_id => {}
                Some(h) if h.has_expired(now) => {
                    errors.insert("hold", Msg::new("hold-expired"));
                }
                _ => {
                    errors.insert("hold", Msg::new("hold-required"));
                }
            }
            if errors.is_empty() && person_errors.iter().all(BTreeMap::is_empty) {
                session::save(&app, &s).await?;
                return Ok(Redirect::to(&apply_url(&tenant, "/confirm")).into_response());
            }
            return render_form(&app, &tenant, jar, &mut s, person_errors, errors).await;
        }
        _ => {}
    }
    render_form(&app, &tenant, jar, &mut s, Vec::new(), errors).await
}

// ---- the grid and the hold -----------------------------------------------------------

#[derive(Deserialize)]
pub struct GridQuery {
    from: Option<String>,
}

pub async fn slots_page(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    Query(q): Query<GridQuery>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    let Some(mut s) = application_session(&app, &jar, &tenant).await? else {
        return no_application(&app, &tenant, jar);
    };
    let Some(counter_id) = app_of(&mut s).counter_id else {
        return Ok(Redirect::to(&apply_url(&tenant, "")).into_response());
    };
    let party = app_of(&mut s).notice_ids.len() as i32;
    let flash = s.take_flash();
    session::save(&app, &s).await?;
    render_grid(
        &app,
        &tenant,
        jar,
        GridPageSpec {
            counter_id,
            party,
            from: grid_view::parse_from(q.from.as_deref()),
            action: apply_url(&tenant, "/slots"),
            back: apply_url(&tenant, ""),
            flash,
        },
    )
    .await
}

pub struct GridPageSpec {
    pub counter_id: i64,
    pub party: i32,
    pub from: Option<time::Date>,
    /// Where the chosen cell is posted, and where the paging links point.
    pub action: String,
    pub back: String,
    pub flash: Option<String>,
}

pub async fn render_grid(
    app: &AppState,
    tenant: &Tenant,
    jar: CookieJar,
    spec: GridPageSpec,
) -> Result<Response, WebError> {
    let rules = booking_rules(app, tenant);
    let grids = grid_view::build(&app.db, spec.counter_id, spec.party, &rules, spec.from).await?;
    let counter = bookings::counter_of(&app.db, spec.counter_id).await?;
    let (jar, mut ctx) = base_context(app, tenant, jar);
    ctx.insert("grids", &grids);
    ctx.insert("counter_name", &counter.name);
    ctx.insert("action", &spec.action);
    ctx.insert("back", &spec.back);
    ctx.insert("flash", &spec.flash);
    ctx.insert("party", &spec.party);
    ctx.insert("party_notice", &party_notice(spec.party));
    ctx.insert("cutoff_rules", &super::cutoffs::rules_view(tenant));
    Ok((jar, render(app, "pickup/slots.html", &ctx)?).into_response())
}

/// The outcome of choosing a cell.
pub enum HoldOutcome {
    Held(Hold),
    Taken(time::Date),
    /// Online booking of that time has closed meanwhile (its cut-off passed): why, and the day.
    Closed(Msg, time::Date),
}

/// Checks the run from `slot_id` and holds it, replacing `replaces`.
pub async fn hold_run(
    app: &AppState,
    tenant: &Tenant,
    counter_id: i64,
    slot_id: i64,
    party: i32,
    replaces: Option<i64>,
) -> Result<Option<HoldOutcome>, WebError> {
    let Some(first) = crate::db::slots::find(&app.db, slot_id).await? else {
        return Ok(None);
    };
    if let Some(why) = super::cutoffs::closed(app, tenant, first.day, first.start_min) {
        return Ok(Some(HoldOutcome::Closed(why, first.day)));
    }
    let rules = booking_rules(app, tenant);
    let Some(run) = grid_view::run_from(&app.db, counter_id, slot_id, party, &rules).await? else {
        return Ok(Some(HoldOutcome::Taken(first.day)));
    };
    let now = app.clock.now_unix();
    let placed = holds::place(
        &app.db,
        &NewHold {
            tenant_id: tenant.id,
            counter_id,
            slot_ids: &run,
            replaces,
            now,
            expires_at: deadline::hold_expiry(now, tenant.hold_ttl_min),
        },
    )
    .await?;
    match placed {
        Some(id) => Ok(holds::find_as_of(&app.db, id, app.clock.now_unix())
            .await?
            .map(HoldOutcome::Held)),
        None => Ok(Some(HoldOutcome::Taken(first.day))),
    }
}

pub async fn slots_choose(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let Some(mut s) = application_session(&app, &jar, &tenant).await? else {
        return no_application(&app, &tenant, jar);
    };
    let Some(counter_id) = app_of(&mut s).counter_id else {
        return Ok(Redirect::to(&apply_url(&tenant, "")).into_response());
    };
    let Ok(slot_id) = field(&form, "slot").parse::<i64>() else {
        return Ok(Redirect::to(&apply_url(&tenant, "/slots")).into_response());
    };
    let party = app_of(&mut s).notice_ids.len() as i32;
    let replaces = app_of(&mut s).hold_id;
    match hold_run(&app, &tenant, counter_id, slot_id, party, replaces).await? {
        Some(HoldOutcome::Held(hold)) => {
            app_of(&mut s).hold_id = Some(hold.id);
            let lang = Lang::current();
            s.data.flash = Some(
                Msg::new("hold-placed")
                    .arg("date", i18n::date_with_weekday(lang, hold.day))
                    .arg("time", i18n::time_range(lang, hold.start_min, hold.end_min))
                    .arg(
                        "until",
                        deadline::format_hhmm_ja(deadline::jst_from_unix(hold.expires_at)),
                    )
                    .resolve(lang),
            );
            session::save(&app, &s).await?;
            Ok(Redirect::to(&apply_url(&tenant, "#hold")).into_response())
        }
        Some(HoldOutcome::Taken(day)) => {
            s.data.flash = Some(i18n::tr("slot-taken"));
            session::save(&app, &s).await?;
            Ok(Redirect::to(&apply_url(&tenant, &format!("/slots?from={day}"))).into_response())
        }
        Some(HoldOutcome::Closed(why, day)) => {
            s.data.flash = Some(why.resolve(Lang::current()));
            session::save(&app, &s).await?;
            Ok(Redirect::to(&apply_url(&tenant, &format!("/slots?from={day}"))).into_response())
        }
        None => Ok(Redirect::to(&apply_url(&tenant, "/slots")).into_response()),
    }
}
