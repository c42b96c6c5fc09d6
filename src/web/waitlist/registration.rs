//! The registrations of one checked address: 「キャンセル待ち予約確認」 (each person, their
//! details and their booking), registering a person (生年月日, 市町村, 電話番号 starting with
//! 0, the dose wanted, 「キャンセル枠発生通知を希望」), 「ユーザー情報登録修正」 →
//! 「修正する」, and 登録情報の削除 (「削除の確認」 → the checkbox → 「データの削除」), which
//! leaves a booking as it is, as the seed's FAQ says.
use std::collections::{BTreeMap, HashMap};

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Serialize;
use time::Date;

use super::{
    DOSES, Visitor, dose_choices, error_summary, load_service, page_context, require_address, url,
};
use crate::app::AppState;
use crate::core::resident_input::{clean_text, parse_birthdate, parse_phone};
use crate::core::vaccination::dose::DoseNumber;
use crate::db::tenants::Tenant;
use crate::db::waitlist::{self, Registration, RegistrationFields};
use crate::db::{bookings, venues};
use crate::i18n::{Lang, Msg};
use crate::web::error::WebError;
use crate::web::session::{self, check_csrf};
use crate::web::{PathParams, render};

/// The form's fields in page order (the error summary follows it).
const FIELDS: [&str; 5] = ["name", "birthdate", "phone", "dose", "notify"];

/// 「1972年9月15日」 / "September 15, 1972".
pub fn birthdate_text(lang: Lang, d: Date) -> String {
    match lang {
        Lang::Ja => format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day()),
        Lang::En => format!("{} {}, {}", d.month(), d.day(), d.year()),
    }
}

pub fn dose_label(lang: Lang, dose: i32) -> String {
    u8::try_from(dose)
        .ok()
        .and_then(DoseNumber::new)
        .map(|d| d.label(lang))
        .unwrap_or_default()
}

#[derive(Serialize)]
struct BookingView {
    receipt_number: String,
    when: String,
    venue: String,
    cancelled: bool,
}

#[derive(Serialize)]
struct RegistrationView {
    id: i64,
    name: String,
    birthdate: String,
    phone: String,
    dose: String,
    notify: bool,
    booking: Option<BookingView>,
}

async fn view_of(
    app: &AppState,
    tenant: &Tenant,
    r: &Registration,
    lang: Lang,
) -> Result<RegistrationView, WebError> {
    let booking = match r.booking_id {
        Some(id) => match bookings::find(&app.db, id).await? {
            Some(b) => {
                let venue = venues::find(&app.db, tenant.id, b.counter_id)
                    .await?
                    .map(|v| v.name)
                    .unwrap_or_default();
                Some(BookingView {
                    receipt_number: b.receipt_number.clone(),
                    when: super::mails::when(lang, b.day, b.start_min, b.end_min),
                    venue,
                    cancelled: b.status != "booked",
                })
            }
            None => None,
        },
        None => None,
    };
    Ok(RegistrationView {
        id: r.id,
        name: r.name.clone(),
        birthdate: birthdate_text(lang, r.birthdate),
        phone: r.phone.clone(),
        dose: dose_label(lang, r.dose_number),
        notify: r.notify,
        booking,
    })
}

/// 「キャンセル待ち予約確認」: every person registered from this address.
pub async fn mine(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, _) = load_service(&app, &slug).await?;
    let (mut s, email) = match require_address(&app, &jar, &tenant).await? {
        Visitor::In(s, e) => (s, e),
        Visitor::Out(r) => return Ok(r),
    };
    let registrations = waitlist::of_email(&app.db, tenant.id, &email).await?;
    if registrations.is_empty() && s.data.flash.is_none() {
        return Ok(Redirect::to(&url(&tenant, "/register")).into_response());
    }
    let flash = s.take_flash();
    session::save(&app, &s).await?;
    let lang = Lang::current();
    let mut views = Vec::with_capacity(registrations.len());
    for r in &registrations {
        views.push(view_of(&app, &tenant, r, lang).await?);
    }
    let (jar, mut ctx) = page_context(&app, &tenant, jar);
    ctx.insert("email", &email);
    ctx.insert("registrations", &views);
    ctx.insert("flash", &flash);
    Ok((jar, render(&app, "waitlist/mine.html", &ctx)?).into_response())
}

/// What the form shows: as stored, or as typed.
#[derive(Debug, Clone, Default, Serialize)]
struct Typed {
    name: String,
    birthdate: String,
    phone: String,
    dose: String,
    notify: bool,
}

impl Typed {
    /// As stored; the birthdate as 1972-09-15, which reads back in either language.
    fn of(r: &Registration) -> Typed {
        Typed {
            name: r.name.clone(),
            birthdate: format!(
                "{}-{:02}-{:02}",
                r.birthdate.year(),
                u8::from(r.birthdate.month()),
                r.birthdate.day()
            ),
            phone: r.phone.clone(),
            dose: r.dose_number.to_string(),
            notify: r.notify,
        }
    }

    fn from_form(form: &HashMap<String, String>) -> Typed {
        let field = |n: &str| form.get(n).cloned().unwrap_or_default();
        Typed {
            name: field("name"),
            birthdate: field("birthdate"),
            phone: field("phone"),
            dose: field("dose"),
            notify: form.contains_key("notify"),
        }
    }

    /// The fields as stored, or each mistake beside its field.
    fn check(&self, today: Date) -> Result<RegistrationFields, BTreeMap<&'static str, Msg>> {
        let mut errors = BTreeMap::new();
        let name = match clean_text(&self.name, 50) {
            Ok(n) if !n.is_empty() => Some(n),
            Ok(_) => {
                errors.insert("name", Msg::new("wl-name-empty"));
                None
            }
            Err(e) => {
                errors.insert("name", e.msg());
                None
            }
        };
        let birthdate = parse_birthdate(&self.birthdate, today)
            .map_err(|e| errors.insert("birthdate", e.msg()))
            .ok();
        let phone = parse_phone(&self.phone)
            .map_err(|e| errors.insert("phone", e.msg()))
            .ok();
        let dose = match self.dose.trim().parse::<i32>() {
            Ok(d) if DOSES.contains(&d) => Some(d),
            _ => {
                errors.insert("dose", Msg::new("wl-dose-choose"));
                None
            }
        };
        match (name, birthdate, phone, dose) {
            (Some(name), Some(birthdate), Some(phone), Some(dose_number)) if errors.is_empty() => {
                Ok(RegistrationFields {
                    name,
                    birthdate,
                    phone,
                    dose_number,
                    notify: self.notify,
                })
            }
            _ => Err(errors),
        }
    }
}

fn render_form(
    app: &AppState,
    tenant: &Tenant,
    jar: CookieJar,
    editing: Option<i64>,
    typed: &Typed,
    errors: BTreeMap<&'static str, Msg>,
) -> Result<Response, WebError> {
    let lang = Lang::current();
    let (jar, mut ctx) = page_context(app, tenant, jar);
    let summary = error_summary(&errors, &FIELDS);
    let doses = dose_choices(lang);
    ctx.insert("editing", &editing);
    ctx.insert("r", typed);
    ctx.insert("doses", &doses);
    ctx.insert("errors", &errors);
    ctx.insert("error_summary", &summary);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, jar, render(app, "waitlist/form.html", &ctx)?).into_response())
}

/// 「キャンセル待ち申請」's details of one person (the first, or one more of the family).
pub async fn new_form(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, _) = load_service(&app, &slug).await?;
    if let Visitor::Out(r) = require_address(&app, &jar, &tenant).await? {
        return Ok(r);
    }
    let typed = Typed {
        notify: true,
        ..Typed::default()
    };
    render_form(&app, &tenant, jar, None, &typed, BTreeMap::new())
}

pub async fn create(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (tenant, settings) = load_service(&app, &slug).await?;
    check_csrf(&app, &jar, form.get("csrf").map_or("", String::as_str))?;
    let (mut s, email) = match require_address(&app, &jar, &tenant).await? {
        Visitor::In(s, e) => (s, e),
        Visitor::Out(r) => return Ok(r),
    };
    let typed = Typed::from_form(&form);
    let fields = match typed.check(app.clock.today()) {
        Ok(f) => f,
        Err(errors) => return render_form(&app, &tenant, jar, None, &typed, errors),
    };
    let lang = Lang::current();
    waitlist::create(
        &app.db,
        tenant.id,
        settings.service_id,
        &email,
        lang.code(),
        &fields,
        app.clock.now_unix(),
    )
    .await?;
    s.data.flash = Some(Msg::new("wl-registered").resolve(lang));
    session::save(&app, &s).await?;
    Ok(Redirect::to(&url(&tenant, "/me")).into_response())
}

/// The registration `id` of this address, or 404 (another family's, or none).
async fn own(
    app: &AppState,
    tenant: &Tenant,
    email: &str,
    id: i64,
) -> Result<Registration, WebError> {
    waitlist::find(&app.db, tenant.id, email, id)
        .await?
        .ok_or(WebError::NotFound)
}

/// 「ユーザー情報登録修正」.
pub async fn edit_form(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, _) = load_service(&app, &slug).await?;
    let email = match require_address(&app, &jar, &tenant).await? {
        Visitor::In(_, e) => e,
        Visitor::Out(r) => return Ok(r),
    };
    let r = own(&app, &tenant, &email, id).await?;
    let typed = Typed::of(&r);
    render_form(&app, &tenant, jar, Some(id), &typed, BTreeMap::new())
}

/// 「修正する」.
pub async fn update(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (tenant, _) = load_service(&app, &slug).await?;
    check_csrf(&app, &jar, form.get("csrf").map_or("", String::as_str))?;
    let (mut s, email) = match require_address(&app, &jar, &tenant).await? {
        Visitor::In(s, e) => (s, e),
        Visitor::Out(r) => return Ok(r),
    };
    own(&app, &tenant, &email, id).await?;
    let typed = Typed::from_form(&form);
    let fields = match typed.check(app.clock.today()) {
        Ok(f) => f,
        Err(errors) => return render_form(&app, &tenant, jar, Some(id), &typed, errors),
    };
    if !waitlist::update(
        &app.db,
        tenant.id,
        &email,
        id,
        &fields,
        app.clock.now_unix(),
    )
    .await?
    {
        return Err(WebError::NotFound);
    }
    s.data.flash = Some(Msg::new("wl-updated").resolve(Lang::current()));
    session::save(&app, &s).await?;
    Ok(Redirect::to(&url(&tenant, "/me")).into_response())
}

fn render_delete(
    app: &AppState,
    tenant: &Tenant,
    jar: CookieJar,
    view: RegistrationView,
    unconfirmed: bool,
) -> Result<Response, WebError> {
    let (jar, mut ctx) = page_context(app, tenant, jar);
    ctx.insert("r", &view);
    ctx.insert("unconfirmed", &unconfirmed);
    let errors: BTreeMap<&str, Msg> = if unconfirmed {
        BTreeMap::from([("confirm", Msg::new("wl-delete-tick"))])
    } else {
        BTreeMap::new()
    };
    ctx.insert("error_summary", &error_summary(&errors, &["confirm"]));
    ctx.insert("errors", &errors);
    let status = if unconfirmed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, jar, render(app, "waitlist/delete.html", &ctx)?).into_response())
}

/// 「削除の確認」.
pub async fn delete_form(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let (tenant, _) = load_service(&app, &slug).await?;
    let email = match require_address(&app, &jar, &tenant).await? {
        Visitor::In(_, e) => e,
        Visitor::Out(r) => return Ok(r),
    };
    let r = own(&app, &tenant, &email, id).await?;
    let view = view_of(&app, &tenant, &r, Lang::current()).await?;
    render_delete(&app, &tenant, jar, view, false)
}

/// 「データの削除」, once the checkbox is ticked.
pub async fn delete(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (tenant, _) = load_service(&app, &slug).await?;
    check_csrf(&app, &jar, form.get("csrf").map_or("", String::as_str))?;
    let (mut s, email) = match require_address(&app, &jar, &tenant).await? {
        Visitor::In(s, e) => (s, e),
        Visitor::Out(r) => return Ok(r),
    };
    let r = own(&app, &tenant, &email, id).await?;
    if !form.contains_key("confirm") {
        let view = view_of(&app, &tenant, &r, Lang::current()).await?;
        return render_delete(&app, &tenant, jar, view, true);
    }
    waitlist::delete(&app.db, tenant.id, &email, id).await?;
    let message = if r.booking_id.is_some() {
        "wl-deleted-booking-kept"
    } else {
        "wl-deleted"
    };
    s.data.flash = Some(Msg::new(message).resolve(Lang::current()));
    session::save(&app, &s).await?;
    Ok(Redirect::to(&url(&tenant, "/me")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn typed(name: &str, birthdate: &str, phone: &str, dose: &str) -> Typed {
        Typed {
            name: name.into(),
            birthdate: birthdate.into(),
            phone: phone.into(),
            dose: dose.into(),
            notify: true,
        }
    }

    #[test]
    fn the_form_is_read_as_people_type_it() {
        let today = date!(2026 - 12 - 08);
        let f = typed("神奈川 花子", "昭和47年9月15日", "045-210-1111", "3")
            .check(today)
            .unwrap();
        assert_eq!(f.birthdate, date!(1972 - 09 - 15));
        assert_eq!(f.phone, "0452101111");
        assert_eq!(f.dose_number, 3);
        let errors = typed(" ", "1972-13-01", "452101111", "9")
            .check(today)
            .unwrap_err();
        assert_eq!(
            errors.keys().copied().collect::<Vec<_>>(),
            vec!["birthdate", "dose", "name", "phone"]
        );
    }

    #[test]
    fn birthdates_are_shown_in_the_pages_language() {
        let d = date!(1972 - 09 - 15);
        assert_eq!(birthdate_text(Lang::Ja, d), "1972年9月15日");
        assert_eq!(birthdate_text(Lang::En, d), "September 15, 1972");
    }
}
