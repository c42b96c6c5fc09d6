//! Steps 2–3: who is booking (番号1 + 誕生日 per person, 番号2 when needed) and the
//! address the check mail goes to; then メール送信完了.
use std::collections::{BTreeMap, HashMap};

use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Serialize;

use super::{base_context, load_tenant, mails};
use crate::app::AppState;
use crate::core::resident_input::{
    self, EmailAddress, NumberFormat, birthdate_from_parts, format_date_in, parse_birthdate,
    year_label_in,
};
use crate::core::throttle;
use crate::db::notices::{self, Notice};
use crate::db::tenants::Tenant;
use crate::db::{bookings, verifications};
use crate::i18n::{Lang, Msg};
use crate::secrets::random_token;
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::limits::{self, Admission, ChallengeView, Client, Counted};
use crate::web::render;
use crate::web::session::{self, ResidentData, check_csrf};

/// Also said by the confirmation page when the notice was booked meanwhile (Japanese, for
/// the console; residents get the message id `already-booked`).
pub const ALREADY_BOOKED: &str = "この交付通知書はすでに予約済みです。予約内容の確認・変更・取消は「予約を照会する」から行ってください。";

/// One person's block on the entry form, as typed, with its messages.
#[derive(Debug, Clone, Default, Serialize)]
struct PersonEntry {
    index: usize,
    number1: String,
    birth_text: String,
    birth_year: String,
    birth_month: String,
    birth_day: String,
    number2: String,
    show_number2: bool,
    /// "1972年4月15日(昭和47年)" once the birthdate parsed: show what was understood.
    understood: Option<String>,
    errors: BTreeMap<&'static str, Msg>,
}

#[derive(Serialize)]
struct YearOption {
    value: i32,
    label: String,
}

fn field(form: &HashMap<String, String>, name: &str) -> String {
    form.get(name).cloned().unwrap_or_default()
}

fn party_options(tenant: &Tenant) -> Vec<i32> {
    (1..=tenant.max_party_size.max(1)).collect()
}

fn parse_party(input: &str, tenant: &Tenant) -> Option<usize> {
    let n: i32 = resident_input::fold_digits(input).parse().ok()?;
    (1..=tenant.max_party_size)
        .contains(&n)
        .then_some(n as usize)
}

struct EntryPage {
    party: usize,
    /// The number of people was just changed: the form is shown again, not checked.
    party_changed: bool,
    people: Vec<PersonEntry>,
    email: String,
    email_confirm: String,
    errors: BTreeMap<&'static str, Msg>,
    /// A proof-of-work challenge to solve before the numbers are checked again.
    challenge: Option<ChallengeView>,
    /// A message for the whole form (a rate limit), not for one field.
    notice: Option<Msg>,
}

fn render_entry(
    app: &AppState,
    tenant: &Tenant,
    jar: CookieJar,
    page: &EntryPage,
) -> Result<Response, WebError> {
    let (jar, mut ctx) = base_context(app, tenant, jar);
    let lang = Lang::current();
    let this_year = app.clock.today().year();
    let years: Vec<YearOption> = (1900..=this_year)
        .rev()
        .map(|y| YearOption {
            value: y,
            label: year_label_in(lang, y),
        })
        .collect();
    let number1_help = NumberFormat::parse(&tenant.number1_format)
        .map(|f| f.describe_in(lang))
        .unwrap_or_default();
    let number2_help = NumberFormat::parse(&tenant.number2_format)
        .map(|f| f.describe_in(lang))
        .unwrap_or_default();
    // In the order of the fields on the page: the number of people, each person, the
    // addresses (a screen reader user goes down the summary as down the form).
    debug_assert!(
        page.errors
            .keys()
            .all(|k| ["party", "email", "email_confirm"].contains(k))
    );
    let mut summary: Vec<(String, Msg)> = Vec::new();
    if let Some(message) = page.errors.get("party") {
        summary.push(("party".to_string(), message.clone()));
    }
    for p in &page.people {
        // Every field with an error is one the summary knows the place of.
        debug_assert!(
            p.errors
                .keys()
                .all(|k| ["number1", "birthdate", "number2"].contains(k))
        );
        let in_page_order = ["number1", "birthdate", "number2"]
            .into_iter()
            .filter_map(|f| p.errors.get_key_value(f));
        for (field, message) in in_page_order {
            summary.push((
                format!("{field}_{}", p.index),
                Msg::new("summary-person")
                    .arg("n", p.index)
                    .arg("message", message.clone()),
            ));
        }
    }
    for field in ["email", "email_confirm"] {
        if let Some(message) = page.errors.get(field) {
            summary.push((field.to_string(), message.clone()));
        }
    }
    // The language switch sends this form, so what was typed survives the switch.
    ctx.insert("lang_form", "entry-form");
    ctx.insert("party", &page.party);
    ctx.insert("challenge", &page.challenge);
    ctx.insert("error_notice", &page.notice);
    ctx.insert("party_changed", &page.party_changed);
    ctx.insert("party_options", &party_options(tenant));
    ctx.insert("people", &page.people);
    ctx.insert("email", &page.email);
    ctx.insert("email_confirm", &page.email_confirm);
    ctx.insert("errors", &page.errors);
    ctx.insert("error_summary", &summary);
    ctx.insert("years", &years);
    ctx.insert("months", &(1..=12).collect::<Vec<_>>());
    ctx.insert("days", &(1..=31).collect::<Vec<_>>());
    ctx.insert("number1_help", &number1_help);
    ctx.insert("number2_help", &number2_help);
    let status = if page.notice.is_some() || page.challenge.is_some() {
        axum::http::StatusCode::TOO_MANY_REQUESTS
    } else if summary.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, jar, render(app, "pickup/entry.html", &ctx)?).into_response())
}

#[derive(serde::Deserialize)]
pub struct PartyQuery {
    party: Option<String>,
}

/// GET: the empty form; `?party=N` shows N people (the select works without JavaScript
/// through its own small form).
pub async fn show(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    Query(q): Query<PartyQuery>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    let party = q
        .party
        .as_deref()
        .and_then(|p| parse_party(p, &tenant))
        .unwrap_or(1);
    let people = (1..=party)
        .map(|index| PersonEntry {
            index,
            ..PersonEntry::default()
        })
        .collect();
    render_entry(
        &app,
        &tenant,
        jar,
        &EntryPage {
            party,
            party_changed: false,
            people,
            email: String::new(),
            email_confirm: String::new(),
            errors: BTreeMap::new(),
            challenge: None,
            notice: None,
        },
    )
}

/// Finds each person's notice (番号2 when given, else 番号1, with the birthdate), noting
/// on the form who could not be identified, who was entered twice, and whose notice is
/// booked already. Returns the 番号1 of those that matched no notice at all: those are the
/// failed identifications (an ambiguous 番号1 asks for 番号2 but is no failure).
async fn identify(
    app: &AppState,
    tenant: &Tenant,
    people: &mut [PersonEntry],
    parsed: &[(Option<String>, Option<time::Date>, Option<String>)],
    found: &mut [Option<Notice>],
) -> Result<Vec<String>, WebError> {
    let mut unknown = Vec::new();
    for ((p, (number1, birthdate, number2)), slot) in
        people.iter_mut().zip(parsed).zip(found.iter_mut())
    {
        let (Some(number1), Some(birthdate)) = (number1, birthdate) else {
            continue;
        };
        if let Some(number2) = number2 {
            match notices::find_by_number2(&app.db, tenant.id, number2, *birthdate).await? {
                Some(n) => *slot = Some(n),
                None => {
                    unknown.push(number1.clone());
                    p.errors
                        .insert("number2", Msg::new("not-found-with-number2"));
                }
            }
            continue;
        }
        let mut matches = notices::find_by_number1(&app.db, tenant.id, number1, *birthdate).await?;
        if matches.len() == 1 {
            *slot = Some(matches.remove(0));
        } else {
            if matches.is_empty() {
                unknown.push(number1.clone());
            }
            // The same words either way: they must not tell whether the number exists.
            p.show_number2 = true;
            p.errors.insert("number2", Msg::new("not-identified"));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (p, n) in people.iter_mut().zip(found.iter()) {
        if let Some(n) = n
            && !seen.insert(n.id)
        {
            p.errors.insert("number1", Msg::new("duplicate-notice"));
        }
    }
    if people.iter().all(|p| p.errors.is_empty()) && found.iter().all(Option::is_some) {
        let ids: Vec<i64> = found.iter().flatten().map(|n| n.id).collect();
        let booked = bookings::notices_with_active_booking(&app.db, &ids).await?;
        for (p, n) in people.iter_mut().zip(found.iter()) {
            if n.as_ref().is_some_and(|n| booked.contains(&n.id)) {
                p.errors.insert("number1", Msg::new("already-booked"));
            }
        }
    }
    Ok(unknown)
}

/// One person's fields as typed.
fn typed_person(form: &HashMap<String, String>, index: usize) -> PersonEntry {
    PersonEntry {
        index,
        number1: field(form, &format!("number1_{index}")),
        birth_text: field(form, &format!("birth_text_{index}")),
        birth_year: field(form, &format!("birth_year_{index}")),
        birth_month: field(form, &format!("birth_month_{index}")),
        birth_day: field(form, &format!("birth_day_{index}")),
        number2: field(form, &format!("number2_{index}")),
        show_number2: field(form, &format!("show_number2_{index}")) == "1",
        ..PersonEntry::default()
    }
}

/// The form again for `wanted` people, keeping what was typed for the first ones.
/// `party_changed`: say that the number of people changed (not when only the language did).
fn render_party_change(
    app: &AppState,
    tenant: &Tenant,
    jar: CookieJar,
    form: &HashMap<String, String>,
    (wanted, shown): (usize, usize),
    party_changed: bool,
) -> Result<Response, WebError> {
    let people = (1..=wanted)
        .map(|index| {
            if index <= shown {
                typed_person(form, index)
            } else {
                PersonEntry {
                    index,
                    ..PersonEntry::default()
                }
            }
        })
        .collect();
    render_entry(
        app,
        tenant,
        jar,
        &EntryPage {
            party: wanted,
            party_changed,
            people,
            email: field(form, "email"),
            email_confirm: field(form, "email_confirm"),
            errors: BTreeMap::new(),
            challenge: None,
            notice: None,
        },
    )
}

/// POST: check every field, identify each notice, then mail the link.
pub async fn submit(
    State(app): State<AppState>,
    client: Client,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    let form: HashMap<String, String> = fields.into_iter().collect();
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    // The language switch in the header: remember the choice and show the same form, as
    // typed and unchecked, in the new language.
    if let Some(to) = Lang::parse(&field(&form, "switch_lang")) {
        let shown = parse_party(&field(&form, "shown_party"), &tenant).unwrap_or(1);
        let jar = jar.add(crate::web::lang::cookie(&app, to));
        let here = crate::i18n::current_here();
        return crate::i18n::REQUEST
            .sync_scope(crate::i18n::RequestLang { lang: to, here }, || {
                render_party_change(&app, &tenant, jar, &form, (shown, shown), false)
            });
    }
    let today = app.clock.today();
    let mut errors = BTreeMap::new();
    // The form shows `shown_party` people; `party` is what the select says now. They differ
    // when [人数を決定] was pressed, or when the select was changed and [送信する] pressed
    // without it: either way the form comes back with the new number of people and all
    // that was typed, rather than checking fields for a number nobody meant.
    let shown = parse_party(&field(&form, "shown_party"), &tenant);
    let party = match (parse_party(&field(&form, "party"), &tenant), shown) {
        (Some(wanted), Some(shown)) if wanted != shown => {
            return render_party_change(&app, &tenant, jar, &form, (wanted, shown), true);
        }
        (Some(n), _) => n,
        (None, _) => {
            errors.insert(
                "party",
                Msg::new("party-range").arg("max", tenant.max_party_size),
            );
            shown.unwrap_or(1)
        }
    };
    let number1_format = NumberFormat::parse(&tenant.number1_format)
        .map_err(|e| WebError::Internal(format!("tenant number1 format: {e}")))?;
    let number2_format = NumberFormat::parse(&tenant.number2_format)
        .map_err(|e| WebError::Internal(format!("tenant number2 format: {e}")))?;

    // First pass: the shape of every field.
    let mut people = Vec::with_capacity(party);
    let mut parsed = Vec::with_capacity(party);
    for index in 1..=party {
        let mut p = typed_person(&form, index);
        let number1 = number1_format
            .parse_number("番号1", &p.number1)
            .map_err(|e| p.errors.insert("number1", e.msg()))
            .ok();
        let birthdate = if !p.birth_text.trim().is_empty() {
            parse_birthdate(&p.birth_text, today)
        } else {
            birthdate_from_parts(&p.birth_year, &p.birth_month, &p.birth_day, today)
        };
        let birthdate = match birthdate {
            Ok(d) => {
                p.understood = Some(format_date_in(Lang::current(), d));
                Some(d)
            }
            Err(e) => {
                p.errors.insert("birthdate", e.msg());
                None
            }
        };
        let number2 = if p.show_number2 && !p.number2.trim().is_empty() {
            number2_format
                .parse_number("番号2", &p.number2)
                .map_err(|e| p.errors.insert("number2", e.msg()))
                .ok()
        } else {
            None
        };
        parsed.push((number1, birthdate, number2));
        people.push(p);
    }
    let email_input = field(&form, "email");
    let email_confirm = field(&form, "email_confirm");
    let email = match EmailAddress::parse(&email_input) {
        Ok(e) => {
            if !resident_input::confirm_matches(&e, &email_confirm) {
                errors.insert("email_confirm", Msg::new("email-mismatch"));
            }
            Some(e)
        }
        Err(e) => {
            errors.insert("email", e.msg());
            None
        }
    };

    // Second pass, only when every field is well formed: find the notices. This checks
    // secrets (a number and a birthdate), so it is counted per client and per number, and
    // after a run of failures it waits for a solved challenge.
    let fields_ok = errors.is_empty() && people.iter().all(|p| p.errors.is_empty());
    let mut found: Vec<Option<Notice>> = vec![None; party];
    let mut challenge = None;
    let mut notice = None;
    if fields_ok {
        let mut counted = vec![Counted::client(&app, "entry:client", client)];
        for (number1, _, _) in &parsed {
            if let Some(n) = number1 {
                counted.push(Counted::new(&app, "entry:number", n));
            }
        }
        let checks = Counted::client(&app, "check:client", client);
        match limits::within(&app, &checks, &throttle::SECRET_CHECKS_PER_CLIENT).await? {
            Err(message) => notice = Some(message),
            Ok(()) => match limits::admit(
                &app,
                &counted,
                &throttle::IDENTIFICATION,
                &field(&form, "pow"),
            )
            .await?
            {
                Admission::Go => {
                    let unknown = identify(&app, &tenant, &mut people, &parsed, &mut found).await?;
                    if unknown.is_empty() {
                        limits::succeeded(&app, &counted).await?;
                    } else {
                        // The client and the numbers that matched nothing, not the others.
                        let mut against = vec![Counted::client(&app, "entry:client", client)];
                        against.extend(
                            unknown
                                .iter()
                                .map(|n| Counted::new(&app, "entry:number", n)),
                        );
                        limits::failed(&app, &against, &throttle::IDENTIFICATION).await?;
                    }
                }
                Admission::Challenge(c) => challenge = Some(c),
                Admission::Locked(message) => notice = Some(message),
            },
        }
    }
    let all_ok = errors.is_empty()
        && notice.is_none()
        && challenge.is_none()
        && people.iter().all(|p| p.errors.is_empty())
        && found.iter().all(Option::is_some);
    if all_ok && let Some(email) = &email {
        // A mail form must not flood anyone's inbox: per address, and per client.
        let to_address = Counted::new(&app, "mail:address", email.as_str());
        let from_client = Counted::client(&app, "mail:client", client);
        match limits::within_each(
            &app,
            &[
                (&to_address, &throttle::MAILS_PER_ADDRESS),
                (&from_client, &throttle::MAILS_PER_CLIENT),
            ],
        )
        .await?
        {
            Ok(()) => {}
            Err((0, message)) => {
                errors.insert("email", message);
            }
            Err((_, message)) => notice = Some(message),
        }
    }
    let all_ok = all_ok && errors.is_empty() && notice.is_none();
    let (true, Some(email)) = (all_ok, email) else {
        return render_entry(
            &app,
            &tenant,
            jar,
            &EntryPage {
                party,
                party_changed: false,
                people,
                email: email_input,
                email_confirm,
                errors,
                challenge,
                notice,
            },
        );
    };
    let found: Vec<Notice> = found.into_iter().flatten().collect();

    let token = random_token(20);
    let now = app.clock.now_unix();
    let expires_at = now + i64::from(tenant.verification_ttl_min) * 60;
    let lang = Lang::current();
    let mail = mails::verification(&app, &tenant, email.as_str(), &token, expires_at, lang).await?;
    let notice_ids: Vec<i64> = found.iter().map(|n| n.id).collect();
    let notice_ids_json = serde_json::to_string(&notice_ids).expect("ids serialise");
    verifications::create(
        &app.db,
        &verifications::NewVerification {
            tenant_id: tenant.id,
            token_hash: &app.secrets.keyed_hash("verification", &token),
            email: email.as_str(),
            notice_ids: &notice_ids_json,
            expires_at,
            created_at: now,
            lang: lang.code(),
        },
        &mail,
    )
    .await?;
    app.mail_wakeup.notify_one();
    // The flash is put into words now, in the language of the page that sent the form.
    let summary = people
        .iter()
        .map(|p| {
            Msg::new("sent-birthdate")
                .arg("n", p.index)
                .arg("date", p.understood.clone().unwrap_or_default())
                .resolve(lang)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let (jar, _) = session::start(
        &app,
        jar,
        tenant.id,
        ResidentData {
            flash: Some(format!(
                "{}\n{}",
                summary,
                Msg::new("sent-to")
                    .arg("email", email.as_str())
                    .resolve(lang)
            )),
            ..ResidentData::default()
        },
    )
    .await?;
    Ok((jar, Redirect::to(&format!("/t/{}/entry/sent", tenant.slug))).into_response())
}

/// メール送信完了.
pub async fn sent(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let tenant = load_tenant(&app, &slug).await?;
    let mut summary: Vec<String> = Vec::new();
    if let Some(mut s) = session::load(&app, &jar, tenant.id).await? {
        if let Some(flash) = s.take_flash() {
            summary = flash.lines().map(str::to_string).collect();
        }
        session::save(&app, &s).await?;
    }
    let (jar, mut ctx) = base_context(&app, &tenant, jar);
    ctx.insert("summary", &summary);
    ctx.insert("ttl_min", &tenant.verification_ttl_min);
    Ok((jar, render(&app, "pickup/entry_sent.html", &ctx)?).into_response())
}
