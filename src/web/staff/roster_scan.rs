//! 来庁受付 on the roster: the clerk scans the receipt's QR code (a USB or handheld scanner
//! types the number and Enter, i.e. submits the form) or types the number, and the booking
//! of the roster's day and counter is checked in in one step. Without JavaScript: the form
//! posts, the answer comes back as the roster with the result next to the field, which is
//! empty and focused for the next scan. Clerks and admins alike, as the roster's 来庁 button.
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Serialize;
use time::{Date, PrimitiveDateTime};

use super::day_roster::parse_day;
use super::{Denied, Staff, require};
use crate::app::AppState;
use crate::core::deadline;
use crate::core::grid::format_hhmm;
use crate::core::receipt::{self, ReceiptInputError, format_receipt};
use crate::core::resident_input::format_date_with_weekday;
use crate::db::bookings;
use crate::db::roster::{self, ScanAt, ScanOutcome};
use crate::db::tenants::Counter;
use crate::web::PathParams;
use crate::web::error::WebError;
use crate::web::session::check_csrf;

type Params = std::collections::HashMap<String, String>;

fn param<'a>(q: &'a Params, name: &str) -> Option<&'a str> {
    q.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// The result codes the redirect carries (`scan=`): only these are read back, and only a
/// booking id and a digit count go with them; never the typed number or a name.
mod code {
    pub const CHECKED_IN: &str = "checked_in";
    pub const ALREADY: &str = "already";
    pub const ELSEWHERE: &str = "elsewhere";
    pub const CANCELLED: &str = "cancelled";
    pub const ANONYMISED: &str = "anonymised";
    pub const NO_SHOW: &str = "no_show";
    pub const BEFORE_THE_DAY: &str = "before_the_day";
    pub const NOT_FOUND: &str = "not_found";
    pub const EMPTY: &str = "empty";
    pub const NOT_DIGITS: &str = "not_digits";
    pub const LENGTH: &str = "length";
    pub const ALL: [&str; 11] = [
        CHECKED_IN,
        ALREADY,
        ELSEWHERE,
        CANCELLED,
        ANONYMISED,
        NO_SHOW,
        BEFORE_THE_DAY,
        NOT_FOUND,
        EMPTY,
        NOT_DIGITS,
        LENGTH,
    ];
}

/// POST /t/{tenant}/staff/roster/scan: check in by receipt number, then back to the roster
/// of the same day and counter with the result.
pub async fn scan(
    State(app): State<AppState>,
    PathParams(slug): PathParams<String>,
    jar: CookieJar,
    Form(form): Form<Params>,
) -> Result<Response, Denied> {
    let staff = require(&app, &jar, &slug, false).await?;
    check_csrf(&app, &jar, param(&form, "csrf").unwrap_or(""))?;
    let today = app.clock.today();
    let day = param(&form, "date").and_then(parse_day).unwrap_or(today);
    // The roster's counter: this tenant's, or nothing happens (404, as for the roster).
    let counter_id: i64 = param(&form, "counter")
        .and_then(|c| c.parse().ok())
        .ok_or(WebError::NotFound)?;
    let counters = roster::counters_of(&app.db, staff.tenant.id).await?;
    if !counters.iter().any(|c| c.id == counter_id) {
        return Err(WebError::NotFound.into());
    }
    let typed = form.get("receipt").map(String::as_str).unwrap_or("");
    let (result, booking_id, digits) = match receipt::parse_receipt(typed) {
        Err(ReceiptInputError::Empty) => (code::EMPTY, None, None),
        Err(ReceiptInputError::NotDigits) => (code::NOT_DIGITS, None, None),
        Err(ReceiptInputError::WrongLength { digits }) => (code::LENGTH, None, Some(digits)),
        Ok(number) => {
            let outcome = roster::check_in_by_receipt(
                &app.db,
                staff.tenant.id,
                &number,
                ScanAt { day, counter_id },
                staff.user.id,
                (today, app.clock.now_unix()),
            )
            .await?;
            let (result, id) = match outcome {
                ScanOutcome::NotFound => (code::NOT_FOUND, None),
                ScanOutcome::CheckedIn { booking_id } => (code::CHECKED_IN, Some(booking_id)),
                ScanOutcome::AlreadyCheckedIn { booking_id } => (code::ALREADY, Some(booking_id)),
                ScanOutcome::Elsewhere { booking_id } => (code::ELSEWHERE, Some(booking_id)),
                ScanOutcome::Cancelled { booking_id } => (code::CANCELLED, Some(booking_id)),
                ScanOutcome::Anonymised { booking_id } => (code::ANONYMISED, Some(booking_id)),
                ScanOutcome::NoShow { booking_id } => (code::NO_SHOW, Some(booking_id)),
                ScanOutcome::BeforeTheDay { booking_id } => {
                    (code::BEFORE_THE_DAY, Some(booking_id))
                }
            };
            (result, id, None)
        }
    };
    let mut back = format!(
        "/t/{}/staff/roster?date={day}&counter={counter_id}&scan={result}",
        staff.tenant.slug
    );
    if let Some(id) = booking_id {
        back.push_str(&format!("&booking={id}"));
    }
    if let Some(n) = digits {
        back.push_str(&format!("&digits={}", n.min(999)));
    }
    // No "#scan" fragment: a browser skips autofocus on a page opened at a fragment, and the
    // focused field is scrolled into view anyway.
    Ok(Redirect::to(&back).into_response())
}

/// One person of the scanned booking, as the roster shows them.
#[derive(Debug, Serialize)]
pub struct PersonView {
    name: String,
    kana: String,
}

/// Who the scanned booking is for, shown under the message.
#[derive(Debug, Serialize)]
pub struct FoundView {
    receipt: String,
    date: String,
    time: String,
    counter_name: String,
    party: i32,
    status_label: String,
    people: Vec<PersonView>,
}

/// The result of the last scan, for the roster page.
#[derive(Debug, Serialize)]
pub struct ScanView {
    message: String,
    /// Nothing was recorded: shown as a warning.
    warning: bool,
    found: Option<FoundView>,
}

/// What the message says about the booking a scan found.
struct Facts<'a> {
    receipt: String,
    day: Date,
    counter_name: &'a str,
    /// When it was checked in (JST), for a repeated scan.
    checked_in_at: Option<PrimitiveDateTime>,
}

/// Where the scan was made: the roster's day and counter, and today.
struct Here<'a> {
    day: Date,
    counter_name: &'a str,
    today: Date,
}

const NOT_RECORDED: &str = "来庁は記録していません。";

/// The sentence next to the field for a result code, about the booking it found (None for
/// the codes that find none, or when the booking is not this tenant's). Only fixed codes
/// give a message; anything else gives none.
fn message(
    result: &str,
    facts: Option<&Facts<'_>>,
    here: &Here<'_>,
    digits: Option<usize>,
) -> Option<(String, bool)> {
    const NOT_FOUND: &str = "この受付番号の予約は見つかりませんでした。番号を確かめて、もう一度読み取るか入力してください。";
    if !code::ALL.contains(&result) {
        return None;
    }
    let needs_booking = !matches!(
        result,
        code::NOT_FOUND | code::EMPTY | code::NOT_DIGITS | code::LENGTH
    );
    let f = match facts {
        Some(f) => f,
        // A booking id that is not (or no longer) this tenant's: nothing to say about it.
        None if needs_booking => return Some((NOT_FOUND.to_string(), true)),
        None => &Facts {
            receipt: String::new(),
            day: here.day,
            counter_name: "",
            checked_in_at: None,
        },
    };
    let r = &f.receipt;
    let date = format_date_with_weekday(f.day);
    let text = match result {
        code::CHECKED_IN => return Some((format!("受付番号 {r} を来庁済にしました。"), false)),
        code::ALREADY => match f.checked_in_at {
            Some(at) if at.date() == here.today => format!(
                "受付番号 {r} はすでに{}に来庁済になっています。重ねて記録はしていません。",
                deadline::format_hhmm_ja(at)
            ),
            Some(at) => format!(
                "受付番号 {r} はすでに{} {}に来庁済になっています。重ねて記録はしていません。",
                format_date_with_weekday(at.date()),
                deadline::format_hhmm_ja(at)
            ),
            None => format!(
                "受付番号 {r} はすでに来庁済になっています。重ねて記録はしていません。"
            ),
        },
        code::ELSEWHERE => {
            let other_day = f.day != here.day;
            let other_counter = f.counter_name != here.counter_name;
            let this_roster = format!(
                "{} {}",
                here.counter_name,
                format_date_with_weekday(here.day)
            );
            match (other_day, other_counter) {
                (true, false) => format!(
                    "受付番号 {r} は{date}の予約です。この一覧({this_roster})の予約ではないため、{NOT_RECORDED}"
                ),
                (false, _) => format!(
                    "受付番号 {r} は窓口「{}」の予約です。この一覧({this_roster})の予約ではないため、{NOT_RECORDED}",
                    f.counter_name
                ),
                (true, true) => format!(
                    "受付番号 {r} は{date}、窓口「{}」の予約です。この一覧({this_roster})の予約ではないため、{NOT_RECORDED}",
                    f.counter_name
                ),
            }
        }
        code::CANCELLED => {
            format!("受付番号 {r} の予約は取り消されています。{NOT_RECORDED}")
        }
        code::ANONYMISED => format!(
            "受付番号 {r} は{date}の予約で、保存期間を過ぎたため個人情報を消去済みです。{NOT_RECORDED}"
        ),
        code::NO_SHOW => format!(
            "受付番号 {r} は不在として記録されています。来庁済にするには、一覧でこの予約の「元に戻す」を押してから「来庁」を押してください。"
        ),
        code::BEFORE_THE_DAY => format!(
            "受付番号 {r} は{date}の予約のため、まだ来庁済にできません。来庁済・不在は予約日の当日から記録できます。"
        ),
        code::NOT_FOUND => NOT_FOUND.to_string(),
        code::EMPTY => "受付番号を入力するか、QRコードを読み取ってください。".to_string(),
        code::NOT_DIGITS => "受付番号として読み取れませんでした。受付番号は10桁の数字です(例:1234-5678-90)。別のQRコードを読み取っていないか確かめてください。".to_string(),
        code::LENGTH => match digits {
            Some(n) => format!(
                "受付番号は10桁の数字です。読み取った数字は{n}桁でした。もう一度読み取るか、入力し直してください。"
            ),
            None => "受付番号は10桁の数字です。もう一度読み取るか、入力し直してください。"
                .to_string(),
        },
        _ => return None,
    };
    Some((text, true))
}

/// The result of the scan the roster page was redirected with (`scan`, `booking`, `digits`
/// in its query), about the booking as it is now; None without a scan. The booking is
/// looked up in the logged-in tenant only.
pub async fn result_view(
    app: &AppState,
    staff: &Staff,
    q: &Params,
    day: Date,
    counter: &Counter,
    counters: &[Counter],
) -> Result<Option<ScanView>, WebError> {
    let Some(result) = param(q, "scan") else {
        return Ok(None);
    };
    let booking = match param(q, "booking").and_then(|b| b.parse::<i64>().ok()) {
        Some(id) => bookings::find(&app.db, id)
            .await?
            .filter(|b| b.tenant_id == staff.tenant.id),
        None => None,
    };
    let checked_in_at = match &booking {
        Some(b) if result == code::ALREADY => roster::checked_in_at(&app.db, staff.tenant.id, b.id)
            .await?
            .map(deadline::jst_from_unix),
        _ => None,
    };
    let counter_name = |id: i64| {
        counters
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.as_str())
            .unwrap_or("")
    };
    let facts = booking.as_ref().map(|b| Facts {
        receipt: format_receipt(&b.receipt_number),
        day: b.day,
        counter_name: counter_name(b.counter_id),
        checked_in_at,
    });
    let here = Here {
        day,
        counter_name: &counter.name,
        today: app.clock.today(),
    };
    let digits = param(q, "digits").and_then(|d| d.parse().ok());
    let Some((message, warning)) = message(result, facts.as_ref(), &here, digits) else {
        return Ok(None);
    };
    // Who it is, for every booking found whose people are still on record.
    let found = match booking {
        Some(b) if result != code::ANONYMISED && result != code::NOT_FOUND => {
            let people = bookings::people(&app.db, b.id).await?;
            Some(FoundView {
                receipt: format_receipt(&b.receipt_number),
                date: format_date_with_weekday(b.day),
                time: format!("{}〜{}", format_hhmm(b.start_min), format_hhmm(b.end_min)),
                counter_name: counter_name(b.counter_id).to_string(),
                party: b.party_size,
                status_label: roster::status_label(&b.status).to_string(),
                people: people
                    .into_iter()
                    .map(|(p, _)| PersonView {
                        name: p.name,
                        kana: p.kana,
                    })
                    .collect(),
            })
        }
        _ => None,
    };
    Ok(Some(ScanView {
        message,
        warning,
        found,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    const HERE: Here<'static> = Here {
        day: date!(2026 - 12 - 03),
        counter_name: "本庁舎 市民課",
        today: date!(2026 - 12 - 03),
    };

    fn facts(day: Date, counter_name: &str) -> Facts<'_> {
        Facts {
            receipt: "1234-5678-90".into(),
            day,
            counter_name,
            checked_in_at: Some(datetime!(2026-12-03 10:02)),
        }
    }

    fn say(result: &str, f: Option<&Facts<'_>>) -> String {
        message(result, f, &HERE, Some(9)).unwrap().0
    }

    #[test]
    fn each_wrong_receipt_says_what_is_wrong() {
        let today = date!(2026 - 12 - 03);
        let tomorrow = date!(2026 - 12 - 04);
        let f = facts(today, "本庁舎 市民課");
        assert_eq!(
            message(code::CHECKED_IN, Some(&f), &HERE, None),
            Some(("受付番号 1234-5678-90 を来庁済にしました。".into(), false))
        );
        assert_eq!(
            say(code::ALREADY, Some(&f)),
            "受付番号 1234-5678-90 はすでに10:02に来庁済になっています。重ねて記録はしていません。"
        );
        assert!(
            say(code::ELSEWHERE, Some(&facts(tomorrow, "本庁舎 市民課")))
                .starts_with("受付番号 1234-5678-90 は2026年12月4日(金)の予約です。")
        );
        assert!(
            say(code::ELSEWHERE, Some(&facts(today, "北支所")))
                .starts_with("受付番号 1234-5678-90 は窓口「北支所」の予約です。")
        );
        assert!(
            say(code::ELSEWHERE, Some(&facts(tomorrow, "北支所"))).starts_with(
                "受付番号 1234-5678-90 は2026年12月4日(金)、窓口「北支所」の予約です。"
            )
        );
        assert!(say(code::CANCELLED, Some(&f)).contains("取り消されています"));
        assert!(say(code::ANONYMISED, Some(&f)).contains("個人情報を消去済み"));
        assert!(say(code::NO_SHOW, Some(&f)).contains("不在として記録されています"));
        assert!(say(code::LENGTH, None).contains("読み取った数字は9桁でした"));
        // Every refusal is a warning.
        for result in [
            code::ALREADY,
            code::ELSEWHERE,
            code::CANCELLED,
            code::ANONYMISED,
            code::NO_SHOW,
            code::BEFORE_THE_DAY,
        ] {
            assert!(
                message(result, Some(&f), &HERE, None).unwrap().1,
                "{result}"
            );
        }
    }

    #[test]
    fn a_booking_that_is_not_this_tenants_reads_as_not_found() {
        let not_found = say(code::NOT_FOUND, None);
        assert!(not_found.starts_with("この受付番号の予約は見つかりませんでした。"));
        for result in [
            code::CHECKED_IN,
            code::ALREADY,
            code::ELSEWHERE,
            code::CANCELLED,
        ] {
            assert_eq!(say(result, None), not_found, "{result}");
        }
        assert!(message("<script>", None, &HERE, None).is_none());
    }
}
