//! 電話予約(接種), the last steps: the 連絡先 (お名前(カナ) and 電話番号 required, メール
//! optional, 予約者 when someone calls for the person, 繰上げ希望) and 予約を確定する, which
//! turns the clerk's hold into the booking of the ticket's dose with its audit entry. A
//! dose booked meanwhile (another clerk, the resident online) is refused with a clear
//! message; a second press finds the first press's booking.
use std::collections::BTreeMap;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Serialize;

use super::phone::{TicketState, field, problems, ticket_state};
use crate::app::AppState;
use crate::core::deadline;
use crate::core::grid::format_hhmm;
use crate::core::receipt::{self, format_receipt};
use crate::core::resident_input::{
    EmailAddress, clean_text, format_date_with_weekday, parse_kana, parse_phone,
};
use crate::core::vaccination::dose::DoseNumber;
use crate::core::vaccination::ticket_number::TicketNumber;
use crate::db::bookings::{self, ByStaff, Confirmed, NewBooking, NewPerson, TicketDose};
use crate::db::dose_bookings;
use crate::db::holds::{self, Hold};
use crate::db::venues::Venue;
use crate::i18n::Lang;
use crate::secrets::{random_digits, random_token};
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::pickup::apply::HOLD_EXPIRED;
use crate::web::render;
use crate::web::session::check_csrf;
use crate::web::staff::day_roster::{Params, param};
use crate::web::staff::{Denied, Staff, no_store, require};
use crate::web::vaccination::mails;

/// What the clerk typed on the 連絡先 form, kept as typed when it comes back with errors.
#[derive(Serialize, Default)]
struct Contact {
    kana: String,
    phone: String,
    email: String,
    booker_name: String,
    booker_phone: String,
    wants_earlier: bool,
}

impl Contact {
    fn read(form: &Params) -> Contact {
        Contact {
            kana: field(form, "kana"),
            phone: field(form, "phone"),
            email: field(form, "email"),
            booker_name: field(form, "booker_name"),
            booker_phone: field(form, "booker_phone"),
            wants_earlier: field(form, "wants_earlier") == "yes",
        }
    }
}

/// The 連絡先 as stored, or the message beside each field that is not right.
struct CheckedContact {
    kana: String,
    phone: String,
    email: Option<EmailAddress>,
    booker_name: Option<String>,
    booker_phone: Option<String>,
}

fn check_contact(c: &Contact) -> Result<CheckedContact, BTreeMap<&'static str, String>> {
    let mut errors = BTreeMap::new();
    let kana = if c.kana.trim().is_empty() {
        errors.insert("kana", "お名前(カナ)を入力してください。".to_string());
        None
    } else {
        parse_kana(&c.kana)
            .map_err(|e| errors.insert("kana", e.message()))
            .ok()
    };
    let phone = if c.phone.trim().is_empty() {
        errors.insert("phone", "電話番号を入力してください。".to_string());
        None
    } else {
        parse_phone(&c.phone)
            .map_err(|e| errors.insert("phone", e.message()))
            .ok()
    };
    let email = if c.email.trim().is_empty() {
        None
    } else {
        EmailAddress::parse(&c.email)
            .map_err(|e| errors.insert("email", e.message()))
            .ok()
    };
    let booker_name = clean_text(&c.booker_name, 100)
        .map_err(|e| errors.insert("booker_name", e.message()))
        .ok()
        .filter(|n| !n.is_empty());
    let booker_phone = if c.booker_phone.trim().is_empty() {
        None
    } else {
        parse_phone(&c.booker_phone)
            .map_err(|e| errors.insert("booker_phone", e.message()))
            .ok()
    };
    // Seed 002: when someone books for the person, both phone numbers.
    if booker_name.is_some() && booker_phone.is_none() && !errors.contains_key("booker_phone") {
        errors.insert(
            "booker_phone",
            "予約者の電話番号を入力してください。".to_string(),
        );
    }
    match (kana, phone) {
        (Some(kana), Some(phone)) if errors.is_empty() => Ok(CheckedContact {
            kana,
            phone,
            email,
            booker_name,
            booker_phone,
        }),
        _ => Err(errors),
    }
}

/// The hold a confirmation form names, if it is this tenant's at one of its venues.
async fn tenant_hold(
    app: &AppState,
    s: &TicketState,
    staff: &Staff,
    hold_id: Option<i64>,
) -> Result<Option<(Hold, Venue)>, WebError> {
    let Some(hold_id) = hold_id else {
        return Ok(None);
    };
    let Some(hold) = holds::find_as_of(&app.db, hold_id, app.clock.now_unix()).await? else {
        return Ok(None);
    };
    if hold.tenant_id != staff.tenant.id {
        return Ok(None);
    }
    let Some(venue) = s.venues.iter().find(|v| v.id == hold.counter_id).cloned() else {
        return Ok(None);
    };
    Ok(Some((hold, venue)))
}

struct ConfirmForm<'a> {
    dose: DoseNumber,
    hold: &'a Hold,
    venue: &'a Venue,
    contact: &'a Contact,
    draft: &'a str,
    errors: BTreeMap<&'static str, String>,
}

fn render_confirm(
    app: &AppState,
    staff: &Staff,
    s: &TicketState,
    f: ConfirmForm<'_>,
) -> Result<Response, Denied> {
    let now = app.clock.now_unix();
    let mut ctx = staff.context();
    ctx.insert("vx_page", "phone");
    ctx.insert("ticket_id", &s.ticket.id);
    ctx.insert("ticket_number", &s.ticket.ticket_number);
    ctx.insert("name", &s.ticket.name);
    ctx.insert("dose", &f.dose.get());
    ctx.insert("dose_label", &f.dose.label(Lang::Ja));
    ctx.insert("venue_name", &f.venue.name);
    ctx.insert("vaccine", &f.venue.vaccine);
    ctx.insert(
        "when",
        &format!(
            "{} {}〜{}",
            format_date_with_weekday(f.hold.day),
            format_hhmm(f.hold.start_min),
            format_hhmm(f.hold.end_min)
        ),
    );
    ctx.insert("hold_id", &f.hold.id);
    ctx.insert("hold_live", &f.hold.is_live(now));
    ctx.insert(
        "hold_until",
        &deadline::format_hhmm_ja(deadline::jst_from_unix(f.hold.expires_at)),
    );
    ctx.insert(
        "choice",
        &format!(
            "dose={}&venue={}&date={}",
            f.dose.get(),
            f.venue.id,
            f.hold.day
        ),
    );
    ctx.insert("contact", f.contact);
    ctx.insert("draft", f.draft);
    ctx.insert("problems", &problems(&f.errors));
    ctx.insert("has_errors", &!f.errors.is_empty());
    ctx.insert("errors", &f.errors);
    let status = if f.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(no_store(
        (
            status,
            render(app, "staff/vaccination/phone_confirm.html", &ctx)?,
        )
            .into_response(),
    ))
}

fn dose_param(q: &Params) -> Option<DoseNumber> {
    param(q, "dose")
        .and_then(|d| d.parse::<u8>().ok())
        .and_then(DoseNumber::new)
}

pub async fn confirm_page(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Query(q): Query<Params>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    let s = ticket_state(&app, &staff, id).await?;
    let hold_id = param(&q, "hold").and_then(|h| h.parse::<i64>().ok());
    let (Some(dose), Some((hold, venue))) = (
        dose_param(&q),
        tenant_hold(&app, &s, &staff, hold_id).await?,
    ) else {
        return Ok(
            Redirect::to(&staff.url(&format!("/vaccination/phone/tickets/{id}"))).into_response(),
        );
    };
    let mut errors = BTreeMap::new();
    if !hold.is_live(app.clock.now_unix()) {
        errors.insert("hold", HOLD_EXPIRED.to_string());
    }
    let contact = Contact {
        kana: s.ticket.kana.clone(),
        ..Contact::default()
    };
    let draft = random_token(16);
    render_confirm(
        &app,
        &staff,
        &s,
        ConfirmForm {
            dose,
            hold: &hold,
            venue: &venue,
            contact: &contact,
            draft: &draft,
            errors,
        },
    )
}

/// 予約を確定する: the hold becomes the booking of the ticket's dose, with the audit entry
/// in the same transaction. The form's draft key makes a second press the same booking.
pub async fn book(
    State(app): State<AppState>,
    PathParams((slug, id)): PathParams<(String, i64)>,
    jar: CookieJar,
    Form(form): Form<Params>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    check_csrf(&app, &jar, &field(&form, "csrf"))?;
    let s = ticket_state(&app, &staff, id).await?;
    let hold_id = param(&form, "hold").and_then(|h| h.parse::<i64>().ok());
    let (Some(dose), Some((hold, venue))) = (
        dose_param(&form),
        tenant_hold(&app, &s, &staff, hold_id).await?,
    ) else {
        return Ok(
            Redirect::to(&staff.url(&format!("/vaccination/phone/tickets/{id}"))).into_response(),
        );
    };
    let mut draft = field(&form, "draft");
    if draft.len() < 16 || draft.len() > 64 {
        draft = random_token(16);
    }
    // The same press again (double click, a re-sent form): its booking.
    if let Some(done) = bookings_by_key(&app, &staff, &draft).await? {
        return Ok(to_booking(&staff, done, "replayed"));
    }
    let contact = Contact::read(&form);
    let checked = check_contact(&contact);
    let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
    let now = app.clock.now_unix();
    if !hold.is_live(now) {
        errors.insert("hold", HOLD_EXPIRED.to_string());
    }
    match s.eligibility(dose) {
        None => {
            // Booked meanwhile (another tab, another clerk, the resident online): the held
            // place is not needed, give it back now.
            holds::release(&app.db, hold.id).await?;
            errors.insert("hold", already_booked(dose));
        }
        Some(elig) => {
            let window = s.window(app.clock.today());
            if let Err(why) = elig.check_in_window(hold.day, window.0, window.1) {
                errors.insert("hold", why.message(Lang::Ja));
            }
        }
    }
    let form_of = |errors| ConfirmForm {
        dose,
        hold: &hold,
        venue: &venue,
        contact: &contact,
        draft: &draft,
        errors,
    };
    let checked = match checked {
        Ok(c) if errors.is_empty() => c,
        _ => return render_confirm(&app, &staff, &s, form_of(errors)),
    };
    let people = [NewPerson {
        notice_id: None,
        name: s.ticket.name.clone(),
        kana: checked.kana.clone(),
        phone: checked.phone.clone(),
        answers: Vec::new(),
    }];
    for _ in 0..5 {
        let receipt_number = random_digits(receipt::RECEIPT_DIGITS);
        // Vaccination bookings are reached through the ticket, never by a password: it
        // is drawn and thrown away, and only its keyed hash fills the engine's column.
        let password = random_token(receipt::PASSWORD_BYTES);
        let password_hash = crate::web::pickup::mails::password_hash(
            &app,
            staff.tenant.id,
            &receipt_number,
            &password,
        );
        let detail = format!(
            "電話予約(接種): 予約ID {} 接種券 {} {} {} {} {}〜{}",
            format_receipt(&receipt_number),
            TicketNumber::parse(&s.ticket.ticket_number)
                .map(|t| t.masked())
                .unwrap_or_default(),
            dose.label(Lang::Ja),
            venue.name,
            format_date_with_weekday(hold.day),
            format_hhmm(hold.start_min),
            format_hhmm(hold.end_min)
        );
        // The caller who gives an address gets the same completion mail as a booking made
        // online (the 予約ID, venue, 持ち物, the call centre), in the same transaction.
        let dose_label = dose.label(Lang::Ja);
        let completion_mail = match checked.email.as_ref() {
            Some(to) => vec![
                mails::completion(
                    &app,
                    &staff.tenant,
                    &s.settings,
                    &mails::Facts {
                        receipt_number: &receipt_number,
                        person_name: &s.ticket.name,
                        dose_label: &dose_label,
                        day: hold.day,
                        start_min: hold.start_min,
                        end_min: hold.end_min,
                        venue: &venue.name,
                        address: &venue.address,
                        vaccine: &venue.vaccine,
                    },
                    to.as_str(),
                    Lang::Ja,
                )
                .await?,
            ],
            None => Vec::new(),
        };
        let outcome = bookings::confirm(
            &app.db,
            &NewBooking {
                tenant_id: staff.tenant.id,
                service_id: s.settings.service_id,
                counter_id: hold.counter_id,
                hold_id: hold.id,
                receipt_number: &receipt_number,
                password_hash: &password_hash,
                email: checked.email.as_ref().map(|e| e.as_str()),
                email2: None,
                idempotency_key: &draft,
                people: &people,
                source: "phone",
                lang: "ja",
                now,
                by_staff: Some(ByStaff {
                    staff_user_id: staff.user.id,
                    action: "vaccination_phone_booking",
                    detail: &detail,
                }),
                ticket: Some(TicketDose {
                    ticket_id: s.ticket.id,
                    dose_number: i32::from(dose.get()),
                    terms_version: s.settings.terms_version,
                    booker_name: checked.booker_name.as_deref(),
                    booker_phone: checked.booker_phone.as_deref(),
                    wants_earlier: contact.wants_earlier,
                }),
                waitlist: None,
            },
            &completion_mail,
        )
        .await?;
        let mut errors = BTreeMap::new();
        match outcome {
            Confirmed::Booked(booking) => {
                app.mail_wakeup.notify_one();
                return Ok(to_booking(&staff, booking, "booked"));
            }
            Confirmed::Replayed(booking) => return Ok(to_booking(&staff, booking, "replayed")),
            Confirmed::ReceiptTaken => continue,
            Confirmed::HoldExpired => {
                errors.insert("hold", HOLD_EXPIRED.to_string());
            }
            Confirmed::DoseAlreadyBooked | Confirmed::NoticeAlreadyBooked => {
                errors.insert("hold", already_booked(dose));
            }
        }
        return render_confirm(&app, &staff, &s, form_of(errors));
    }
    Err(WebError::Internal("no free receipt number".into()).into())
}

fn already_booked(dose: DoseNumber) -> String {
    format!(
        "この接種券の{}はすでに予約されています。同じ接種回を二重に予約することはできません。予約状況を確認してください。",
        dose.label(Lang::Ja)
    )
}

fn to_booking(staff: &Staff, booking_id: i64, code: &str) -> Response {
    Redirect::to(&staff.url(&format!("/vaccination/bookings/{booking_id}?result={code}")))
        .into_response()
}

/// The booking a draft key made, if it is this tenant's.
async fn bookings_by_key(
    app: &AppState,
    staff: &Staff,
    key: &str,
) -> Result<Option<i64>, WebError> {
    Ok(dose_bookings::by_key(&app.db, staff.tenant.id, key).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(kana: &str, phone: &str) -> Contact {
        Contact {
            kana: kana.into(),
            phone: phone.into(),
            ..Contact::default()
        }
    }

    #[test]
    fn kana_and_phone_are_required_and_mail_is_optional() {
        let ok = check_contact(&contact("やまだ はなこ", "090-1234-5678")).unwrap();
        assert_eq!(ok.kana, "ヤマダ\u{3000}ハナコ");
        assert_eq!(ok.phone, "09012345678");
        assert!(ok.email.is_none() && ok.booker_name.is_none());
        let errors = check_contact(&contact("", "")).err().unwrap();
        assert_eq!(errors["kana"], "お名前(カナ)を入力してください。");
        assert_eq!(errors["phone"], "電話番号を入力してください。");
    }

    #[test]
    fn a_booker_comes_with_a_phone_number() {
        let mut c = contact("ヤマダ ハナコ", "0312345678");
        c.booker_name = "山田 一郎".into();
        let errors = check_contact(&c).err().unwrap();
        assert_eq!(
            errors["booker_phone"],
            "予約者の電話番号を入力してください。"
        );
        c.booker_phone = "080-0000-1111".into();
        let ok = check_contact(&c).unwrap();
        assert_eq!(ok.booker_name.as_deref(), Some("山田 一郎"));
        assert_eq!(ok.booker_phone.as_deref(), Some("08000001111"));
    }
}
