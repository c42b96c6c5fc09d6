//! What the day rosters share, card pickup's (`roster`) and vaccination's
//! (`vaccination::roster`): reading the day asked for, recording a print or a CSV in the
//! audit log, the CSV download, and the clerk's status change (受付 / 不在 / 元に戻す) with
//! the fixed result code its redirect carries.
use std::collections::HashMap;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use time::Date;

use super::{Denied, Staff, no_store};
use crate::app::AppState;
use crate::core::grid::format_hhmm;
use crate::core::resident_input::{fold_digits, format_date_with_weekday};
use crate::core::roster_csv::{self, CsvEncoding};
use crate::db::audit::{self, AuditEntry};
use crate::db::roster::{self, NewStatus, StatusChange};
use crate::web::error::WebError;
use crate::web::session::check_csrf;

pub type Params = HashMap<String, String>;

/// A query or form value, trimmed; `None` when absent or blank.
pub fn param<'a>(q: &'a Params, name: &str) -> Option<&'a str> {
    q.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// A date as typed in the address bar or a browser without a date picker: `2026-12-01`,
/// `2026/12/1`, `20261201`, full-width digits too.
pub fn parse_day(input: &str) -> Option<Date> {
    let folded = fold_digits(input.trim());
    let parts: Vec<&str> = folded
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let (y, m, d): (i32, u8, u8) = match parts.as_slice() {
        [y, m, d] => (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
        [all] if all.len() == 8 && all.bytes().all(|b| b.is_ascii_digit()) => (
            all[..4].parse().ok()?,
            all[4..6].parse().ok()?,
            all[6..].parse().ok()?,
        ),
        _ => return None,
    };
    if !(1..=9999).contains(&y) {
        return None;
    }
    Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

pub const BAD_DATE: &str = "日付を読み取れませんでした。「2026-12-01」の形で指定してください。今日の予約を表示しています。";

/// The day a roster request asks for (`date`), today without one; a day that does not
/// read is today with [`BAD_DATE`] to show.
pub fn read_day(q: &Params, today: Date) -> (Date, Option<&'static str>) {
    match param(q, "date") {
        None => (today, None),
        Some(typed) => match parse_day(typed) {
            Some(d) => (d, None),
            None => (today, Some(BAD_DATE)),
        },
    }
}

/// Personal data leaving the system (on paper or as a file) is recorded: who, when, which
/// day and counter, how many. Never the names themselves.
pub async fn record_export(
    app: &AppState,
    staff: &Staff,
    action: &str,
    detail: &str,
) -> Result<(), WebError> {
    audit::record(
        &app.db,
        &AuditEntry {
            tenant_id: staff.tenant.id,
            staff_user_id: Some(staff.user.id),
            action,
            booking_id: None,
            detail,
            now: app.clock.now_unix(),
        },
    )
    .await?;
    Ok(())
}

/// 「2026年12月1日(火) 09:00」: when a print view was made, on every sheet.
pub fn printed_at(app: &AppState) -> String {
    let now = app.clock.now_jst();
    format!(
        "{} {}",
        format_date_with_weekday(now.date()),
        format_hhmm(i32::from(now.hour()) * 60 + i32::from(now.minute()))
    )
}

/// The encoding's name in the audit log.
pub fn encoding_label(encoding: CsvEncoding) -> &'static str {
    match encoding {
        CsvEncoding::Utf8Bom => "UTF-8",
        CsvEncoding::Cp932 => "Shift_JIS",
    }
}

/// The rows as a CSV file to download (`name` without `.csv`; the encoding's suffix is
/// added), never kept by a cache.
pub fn csv_download(
    rows: Vec<Vec<String>>,
    encoding: CsvEncoding,
    name: &str,
) -> Result<Response, WebError> {
    let text = roster_csv::to_csv(rows);
    let bytes = roster_csv::encode(&text, encoding);
    let filename = format!("{name}{}.csv", encoding.file_suffix());
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(no_store(
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(encoding.content_type()),
                ),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            bytes,
        )
            .into_response(),
    ))
}

/// A status change posted from a roster (CSRF checked, the status read from the form's
/// fixed values), done as this clerk; returns the result code for the redirect:
/// `visited`, `no_show`, `booked`, `cancelled`, `stale`, `rebooked` or `before_the_day`.
/// A booking that is not this tenant's is a 404.
pub async fn change_status(
    app: &AppState,
    staff: &Staff,
    jar: &axum_extra::extract::CookieJar,
    booking_id: i64,
    form: &Params,
) -> Result<&'static str, Denied> {
    check_csrf(app, jar, form.get("csrf").map(String::as_str).unwrap_or(""))?;
    let to = param(form, "status")
        .and_then(NewStatus::parse)
        .ok_or(WebError::NotFound)?;
    let change = roster::set_status(
        &app.db,
        staff.tenant.id,
        booking_id,
        to,
        staff.user.id,
        (app.clock.today(), app.clock.now_unix()),
    )
    .await?;
    Ok(match change {
        StatusChange::NotFound => return Err(WebError::NotFound.into()),
        StatusChange::Changed { .. } => to.as_str(),
        StatusChange::NotApplicable { current } if current == roster::CANCELLED => "cancelled",
        StatusChange::NotApplicable { .. } => "stale",
        StatusChange::NoticeRebooked => "rebooked",
        StatusChange::BeforeTheDay { .. } => "before_the_day",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_are_read_as_people_type_them() {
        assert_eq!(parse_day("2026-12-01"), Some(date!(2026 - 12 - 01)));
        assert_eq!(parse_day("2026/12/1"), Some(date!(2026 - 12 - 01)));
        assert_eq!(
            parse_day("２０２６年１２月１日"),
            Some(date!(2026 - 12 - 01))
        );
        assert_eq!(parse_day("20261201"), Some(date!(2026 - 12 - 01)));
        assert_eq!(parse_day("2026-13-01"), None);
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(parse_day("tomorrow"), None);
        assert_eq!(parse_day(""), None);
    }

    #[test]
    fn a_day_that_does_not_read_is_today_with_a_warning() {
        let today = date!(2026 - 12 - 01);
        let q = |v: &str| Params::from([("date".to_string(), v.to_string())]);
        assert_eq!(read_day(&Params::new(), today), (today, None));
        assert_eq!(
            read_day(&q("2026-12-03"), today),
            (date!(2026 - 12 - 03), None)
        );
        assert_eq!(read_day(&q("  "), today), (today, None));
        assert_eq!(read_day(&q("あした"), today), (today, Some(BAD_DATE)));
    }

    proptest::proptest! {
        /// Any day, written as staff write dates (ISO, slashes without zeros, full-width
        /// with 年月日, compact), reads back as that day; any other text never panics.
        #[test]
        fn staff_dates_read_back_in_every_writing(
            julian in 2_400_000i32..2_500_000,
            junk in proptest::prelude::any::<String>(),
        ) {
            let day = Date::from_julian_day(julian).unwrap();
            let (y, m, d) = (day.year(), u8::from(day.month()), day.day());
            let full_width = |s: String| -> String {
                s.chars().map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c }).collect()
            };
            for written in [
                format!("{y:04}-{m:02}-{d:02}"),
                format!("{y}/{m}/{d}"),
                full_width(format!("{y}年{m}月{d}日")),
                format!("{y:04}{m:02}{d:02}"),
            ] {
                proptest::prop_assert_eq!(parse_day(&written), Some(day), "{}", written);
            }
            let _ = parse_day(&junk);
        }
    }
}
