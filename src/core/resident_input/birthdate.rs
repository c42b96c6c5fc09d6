//! Birthdates (誕生日) as residents type them: Western or 和暦 (era signs, kanji or
//! letters), in one field or three, and the dates as the pages show them.
use std::fmt;

use time::macros::date;
use time::{Date, Month, Weekday};

use super::*;
use crate::i18n::{Lang, Msg};

// ---------------------------------------------------------------------------
// Birthdates (誕生日)
// ---------------------------------------------------------------------------

/// Japanese eras that birthdates of living residents can fall in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Era {
    Meiji,
    Taisho,
    Showa,
    Heisei,
    Reiwa,
}

/// No resident's birthdate is earlier; it also keeps Meiji's pre-Gregorian years out.
pub(super) const EARLIEST_BIRTHDATE: Date = date!(1900 - 01 - 01);

/// `time` cannot represent later years; such an input is a future date anyway.
const LATEST_REPRESENTABLE_YEAR: i32 = 9999;

impl Era {
    /// Oldest first.
    pub const ALL: [Era; 5] = [Era::Meiji, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa];

    pub fn name(&self) -> &'static str {
        match self {
            Era::Meiji => "明治",
            Era::Taisho => "大正",
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    /// The initial used in short forms such as `S47.4.15`.
    pub fn letter(&self) -> char {
        match self {
            Era::Meiji => 'M',
            Era::Taisho => 'T',
            Era::Showa => 'S',
            Era::Heisei => 'H',
            Era::Reiwa => 'R',
        }
    }

    pub fn first_day(&self) -> Date {
        match self {
            // Meiji was proclaimed in October 1868 but applied from the first day of
            // 慶応4年, which is this Gregorian date. Only dates from 1900 are accepted
            // anyway, so the lunar-calendar years never matter here.
            Era::Meiji => date!(1868 - 01 - 25),
            Era::Taisho => date!(1912 - 07 - 30),
            Era::Showa => date!(1926 - 12 - 25),
            Era::Heisei => date!(1989 - 01 - 08),
            Era::Reiwa => date!(2019 - 05 - 01),
        }
    }

    /// `None` for the current era.
    pub fn last_day(&self) -> Option<Date> {
        self.next().and_then(|next| next.first_day().previous_day())
    }

    fn previous(self) -> Option<Era> {
        let index = Era::ALL.iter().position(|&e| e == self)?;
        index.checked_sub(1).map(|i| Era::ALL[i])
    }

    fn next(self) -> Option<Era> {
        let index = Era::ALL.iter().position(|&e| e == self)?;
        Era::ALL.get(index + 1).copied()
    }

    /// The Western year of this era's year `era_year` (1 = 元年).
    fn western_year(self, era_year: i32) -> i32 {
        self.first_day().year() + era_year - 1
    }

    /// "昭和47年", "平成元年".
    pub(super) fn year_text(self, era_year: i32) -> String {
        if era_year == 1 {
            format!("{}元年", self.name())
        } else {
            format!("{}{}年", self.name(), era_year)
        }
    }
}

/// The era a day falls in and its year in that era; `None` before Meiji.
pub fn era_of(day: Date) -> Option<(Era, i32)> {
    Era::ALL
        .iter()
        .rev()
        .find(|era| era.first_day() <= day)
        .map(|&era| (era, day.year() - era.first_day().year() + 1))
}

/// Which of the three separate birthdate fields an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DatePart {
    Year,
    Month,
    Day,
}

impl DatePart {
    fn name(self) -> &'static str {
        match self {
            DatePart::Year => "年",
            DatePart::Month => "月",
            DatePart::Day => "日",
        }
    }
}

/// Why a birthdate was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BirthdateError {
    Empty,
    /// Not in any of the accepted shapes.
    Unrecognized,
    /// One of the three separate fields is blank.
    MissingPart(DatePart),
    /// One of the three separate fields is not a plausible number.
    InvalidPart(DatePart),
    /// Month 13, 2月30日, era year 0 and the like.
    NoSuchDate,
    /// e.g. 昭和70年: the era ended before that year.
    EraYearTooLarge {
        era: Era,
    },
    /// e.g. 平成元年1月7日: still the previous era.
    BeforeEraStart {
        era: Era,
    },
    /// e.g. 昭和64年2月1日: already the next era.
    AfterEraEnd {
        era: Era,
    },
    TooEarly,
    InFuture,
}

impl BirthdateError {
    /// The sentence shown beside the field.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

pub(super) fn month_day_text(day: Date) -> String {
    format!("{}月{}日", u8::from(day.month()), day.day())
}

impl fmt::Display for BirthdateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BirthdateError::Empty => write!(f, "誕生日を入力してください。"),
            BirthdateError::Unrecognized => write!(
                f,
                "誕生日は「19720415」または「昭和47年4月15日」のように入力してください。"
            ),
            BirthdateError::MissingPart(part) => {
                write!(f, "誕生日の{}を入力してください。", part.name())
            }
            BirthdateError::InvalidPart(DatePart::Year) => {
                write!(f, "誕生日の年は西暦4桁(例: 1972)で入力してください。")
            }
            BirthdateError::InvalidPart(DatePart::Month) => {
                write!(f, "誕生日の月は1から12までの数字で入力してください。")
            }
            BirthdateError::InvalidPart(DatePart::Day) => {
                write!(f, "誕生日の日は1から31までの数字で入力してください。")
            }
            BirthdateError::NoSuchDate => write!(f, "存在しない日付です。"),
            BirthdateError::EraYearTooLarge { era } => match era.last_day().and_then(era_of) {
                Some((_, last_year)) => write!(
                    f,
                    "{}は{}年({}年)までです。",
                    era.name(),
                    last_year,
                    era.western_year(last_year)
                ),
                None => write!(f, "存在しない日付です。"),
            },
            BirthdateError::BeforeEraStart { era } => {
                write!(
                    f,
                    "{}は{}からです。",
                    era.year_text(1),
                    month_day_text(era.first_day())
                )?;
                if let Some(last) = era.previous().and_then(|p| p.last_day())
                    && let Some((previous, year)) = era_of(last)
                {
                    write!(
                        f,
                        "{}までは{}です。",
                        month_day_text(last),
                        previous.year_text(year)
                    )?;
                }
                Ok(())
            }
            BirthdateError::AfterEraEnd { era } => {
                let Some(last) = era.last_day() else {
                    return write!(f, "存在しない日付です。");
                };
                let (_, last_year) = era_of(last).unwrap_or((*era, 1));
                write!(
                    f,
                    "{}は{}までです。",
                    era.year_text(last_year),
                    month_day_text(last)
                )?;
                if let Some(next) = era.next() {
                    write!(
                        f,
                        "{}からは{}です。",
                        month_day_text(next.first_day()),
                        next.year_text(1)
                    )?;
                }
                Ok(())
            }
            BirthdateError::TooEarly => write!(f, "1900年1月1日より前の日付は入力できません。"),
            BirthdateError::InFuture => write!(f, "未来の日付は入力できません。"),
        }
    }
}

impl std::error::Error for BirthdateError {}

/// Separators residents put between year, month and day. Hyphen variants matter because
/// a kana-mode IME types `ー` for `-`; `・` appears in "47・4・15".
fn is_date_separator(c: char) -> bool {
    c.is_whitespace()
        || is_hyphen_like(c)
        || is_zero_width(c)
        || matches!(c, '/' | '.' | ',' | '、' | '。' | '・' | '年' | '月' | '日')
}

/// Splits a leading era (kanji name, or its initial in either case) off the text.
fn split_era(text: &str) -> (Option<Era>, &str) {
    for era in Era::ALL {
        if let Some(rest) = text.strip_prefix(era.name()) {
            return (Some(era), rest);
        }
    }
    let mut chars = text.chars();
    if let Some(first) = chars.next()
        && let Some(era) = Era::ALL
            .into_iter()
            .find(|era| era.letter() == first.to_ascii_uppercase())
    {
        return (Some(era), chars.as_str());
    }
    (None, text)
}

/// Reads a birthdate typed in one field. Accepted shapes, in any width and with
/// surrounding spaces: `19720415`, `1972/4/15` (or `-`, `.`, spaces as separators),
/// `1972年4月15日`, `昭和47年4月15日`, `昭和47/4/15`, `S47.4.15`, `s47/04/15`, `平成元年1月8日`.
///
/// `today` comes from the caller because this module has no clock; dates after it are refused.
pub fn parse_birthdate(input: &str, today: Date) -> Result<Date, BirthdateError> {
    let folded = nfkc(input);
    let text = folded.trim_matches(|c: char| c.is_whitespace() || is_zero_width(c));
    if text.is_empty() {
        return Err(BirthdateError::Empty);
    }
    // "西暦" is sometimes written out; it rules out an era after it.
    let (era, rest) = match text.strip_prefix("西暦") {
        Some(rest) => (None, rest),
        None => split_era(text),
    };
    let tokens: Vec<&str> = rest
        .split(is_date_separator)
        .filter(|t| !t.is_empty())
        .collect();
    match (era, tokens.as_slice()) {
        (None, [compact]) => {
            // YYYYMMDD; the all-digit check also makes the byte slicing safe.
            if compact.len() != 8 || !compact.bytes().all(|b| b.is_ascii_digit()) {
                return Err(BirthdateError::Unrecognized);
            }
            let (year, month, day) = (&compact[..4], &compact[4..6], &compact[6..]);
            let (month, day) = month_and_day(month, day)?;
            checked_birthdate(number_or_unrecognized(year, 4)?, month, day, None, today)
        }
        (None, [year, month, day]) => {
            // Two-digit years are ambiguous and month-first orders are not Japanese.
            if year.len() != 4 {
                return Err(BirthdateError::Unrecognized);
            }
            let (month, day) = month_and_day(month, day)?;
            checked_birthdate(number_or_unrecognized(year, 4)?, month, day, None, today)
        }
        (Some(era), [era_year, month, day]) => {
            let era_year = if *era_year == "元" {
                1
            } else {
                number_or_unrecognized(era_year, 4)?
            };
            let (month, day) = month_and_day(month, day)?;
            let year = era.western_year(era_year);
            checked_birthdate(year, month, day, Some((era, era_year)), today)
        }
        _ => Err(BirthdateError::Unrecognized),
    }
}

fn number_or_unrecognized(text: &str, max_digits: usize) -> Result<i32, BirthdateError> {
    ascii_number(text, max_digits)
        .and_then(|n| i32::try_from(n).ok())
        .ok_or(BirthdateError::Unrecognized)
}

fn month_and_day(month: &str, day: &str) -> Result<(i32, i32), BirthdateError> {
    Ok((
        number_or_unrecognized(month, 2)?,
        number_or_unrecognized(day, 2)?,
    ))
}

/// The checks shared by every shape once the numbers are read, most specific first.
fn checked_birthdate(
    year: i32,
    month: i32,
    day: i32,
    era: Option<(Era, i32)>,
    today: Date,
) -> Result<Date, BirthdateError> {
    if let Some((era, era_year)) = era {
        if era_year < 1 {
            return Err(BirthdateError::NoSuchDate);
        }
        if let Some(last) = era.last_day()
            && year > last.year()
        {
            return Err(BirthdateError::EraYearTooLarge { era });
        }
    }
    if year > LATEST_REPRESENTABLE_YEAR {
        return Err(BirthdateError::InFuture);
    }
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(BirthdateError::NoSuchDate)?;
    let day = u8::try_from(day).map_err(|_| BirthdateError::NoSuchDate)?;
    let birthdate =
        Date::from_calendar_date(year, month, day).map_err(|_| BirthdateError::NoSuchDate)?;
    if birthdate < EARLIEST_BIRTHDATE {
        return Err(BirthdateError::TooEarly);
    }
    if let Some((era, _)) = era {
        if birthdate < era.first_day() {
            return Err(BirthdateError::BeforeEraStart { era });
        }
        if era.last_day().is_some_and(|last| birthdate > last) {
            return Err(BirthdateError::AfterEraEnd { era });
        }
    }
    if birthdate > today {
        return Err(BirthdateError::InFuture);
    }
    Ok(birthdate)
}

/// Reads a birthdate entered as three separate fields or selects; the year is Western.
/// Each part may be full-width and may carry its unit ("1972年", "4月").
pub fn birthdate_from_parts(
    year: &str,
    month: &str,
    day: &str,
    today: Date,
) -> Result<Date, BirthdateError> {
    let year = date_part(year, DatePart::Year, 4, 4)?;
    let month = date_part(month, DatePart::Month, 1, 2)?;
    let day = date_part(day, DatePart::Day, 1, 2)?;
    if !(1..=12).contains(&month) {
        return Err(BirthdateError::InvalidPart(DatePart::Month));
    }
    if !(1..=31).contains(&day) {
        return Err(BirthdateError::InvalidPart(DatePart::Day));
    }
    checked_birthdate(year, month, day, None, today)
}

fn date_part(
    input: &str,
    part: DatePart,
    min_digits: usize,
    max_digits: usize,
) -> Result<i32, BirthdateError> {
    let folded = fold_digits(input);
    let digits = folded.strip_suffix(part.name()).unwrap_or(&folded).trim();
    if digits.is_empty() {
        return Err(BirthdateError::MissingPart(part));
    }
    if digits.len() < min_digits {
        return Err(BirthdateError::InvalidPart(part));
    }
    ascii_number(digits, max_digits)
        .and_then(|n| i32::try_from(n).ok())
        .ok_or(BirthdateError::InvalidPart(part))
}

/// A year for a select list, with every era that year belongs to:
/// 1972 → "1972年(昭和47年)", 1989 → "1989年(昭和64年/平成元年)".
pub fn year_label(year: i32) -> String {
    let eras: Vec<String> = Era::ALL
        .into_iter()
        .filter(|era| {
            era.first_day().year() <= year && era.last_day().is_none_or(|last| last.year() >= year)
        })
        .map(|era| era.year_text(year - era.first_day().year() + 1))
        .collect();
    if eras.is_empty() {
        format!("{year}年")
    } else {
        format!("{year}年({})", eras.join("/"))
    }
}

/// "1972年4月15日", the part of [`format_date_ja`] that parses back.
pub(super) fn western_date_text(day: Date) -> String {
    format!("{}年{}", day.year(), month_day_text(day))
}

/// The date as understood, for the resident to check: "1972年4月15日(昭和47年)".
pub fn format_date_ja(day: Date) -> String {
    match era_of(day) {
        Some((era, era_year)) => format!("{}({})", western_date_text(day), era.year_text(era_year)),
        None => western_date_text(day),
    }
}

/// A visit date with its weekday: "2026年12月1日(火)".
pub fn format_date_with_weekday(day: Date) -> String {
    let weekday = match day.weekday() {
        Weekday::Monday => "月",
        Weekday::Tuesday => "火",
        Weekday::Wednesday => "水",
        Weekday::Thursday => "木",
        Weekday::Friday => "金",
        Weekday::Saturday => "土",
        Weekday::Sunday => "日",
    };
    format!("{}({weekday})", western_date_text(day))
}

// The messages as ids for the page's language (`crate::i18n`).

impl Era {
    fn msg(self) -> Msg {
        Msg::new(match self {
            Era::Meiji => "era-meiji",
            Era::Taisho => "era-taisho",
            Era::Showa => "era-showa",
            Era::Heisei => "era-heisei",
            Era::Reiwa => "era-reiwa",
        })
    }

    /// "昭和47年" / "Showa 47".
    fn year_msg(self, era_year: i32) -> Msg {
        Msg::new("era-year")
            .arg("era", self.msg())
            .arg("n", era_year)
    }
}

fn month_day_msg(day: Date) -> Msg {
    Msg::new("month-day")
        .arg("month", u8::from(day.month()))
        .arg("day", day.day())
}

impl BirthdateError {
    /// The message shown beside the field, in the page's language.
    pub fn msg(&self) -> Msg {
        let part_msg = |part: &DatePart| {
            Msg::new(match part {
                DatePart::Year => "part-year",
                DatePart::Month => "part-month",
                DatePart::Day => "part-day",
            })
        };
        match self {
            BirthdateError::Empty => Msg::new("error-birth-empty"),
            BirthdateError::Unrecognized => Msg::new("error-birth-unrecognized"),
            BirthdateError::MissingPart(part) => {
                Msg::new("error-birth-missing-part").arg("part", part_msg(part))
            }
            BirthdateError::InvalidPart(DatePart::Year) => Msg::new("error-birth-invalid-year"),
            BirthdateError::InvalidPart(DatePart::Month) => Msg::new("error-birth-invalid-month"),
            BirthdateError::InvalidPart(DatePart::Day) => Msg::new("error-birth-invalid-day"),
            BirthdateError::NoSuchDate => Msg::new("error-birth-no-such-date"),
            BirthdateError::EraYearTooLarge { era } => match era.last_day().and_then(era_of) {
                Some((_, last_year)) => Msg::new("error-birth-era-too-large")
                    .arg("era", era.msg())
                    .arg("last", last_year)
                    .arg("western", era.western_year(last_year)),
                None => Msg::new("error-birth-no-such-date"),
            },
            BirthdateError::BeforeEraStart { era } => {
                let tail: crate::i18n::Arg = match era.previous().and_then(|p| p.last_day()) {
                    Some(last) => match era_of(last) {
                        Some((previous, year)) => Msg::new("error-birth-before-era-tail")
                            .arg("end", month_day_msg(last))
                            .arg("prev", previous.year_msg(year))
                            .into(),
                        None => "".into(),
                    },
                    None => "".into(),
                };
                Msg::new("error-birth-before-era")
                    .arg("eratext", era.year_msg(1))
                    .arg("start", month_day_msg(era.first_day()))
                    .arg("tail", tail)
            }
            BirthdateError::AfterEraEnd { era } => {
                let Some(last) = era.last_day() else {
                    return Msg::new("error-birth-no-such-date");
                };
                let (_, last_year) = era_of(last).unwrap_or((*era, 1));
                let tail: crate::i18n::Arg = match era.next() {
                    Some(next) => Msg::new("error-birth-after-era-tail")
                        .arg("start", month_day_msg(next.first_day()))
                        .arg("next", next.year_msg(1))
                        .into(),
                    None => "".into(),
                };
                Msg::new("error-birth-after-era")
                    .arg("eratext", era.year_msg(last_year))
                    .arg("end", month_day_msg(last))
                    .arg("tail", tail)
            }
            BirthdateError::TooEarly => Msg::new("error-birth-too-early"),
            BirthdateError::InFuture => Msg::new("error-birth-in-future"),
        }
    }
}

/// [`year_label`] in `lang`: "1972 (Showa 47)".
pub fn year_label_in(lang: Lang, year: i32) -> String {
    if lang == Lang::Ja {
        return year_label(year);
    }
    let eras: Vec<String> = Era::ALL
        .into_iter()
        .filter(|era| {
            era.first_day().year() <= year && era.last_day().is_none_or(|last| last.year() >= year)
        })
        .map(|era| {
            era.year_msg(year - era.first_day().year() + 1)
                .resolve(lang)
        })
        .collect();
    if eras.is_empty() {
        year.to_string()
    } else {
        format!("{year} ({})", eras.join(" / "))
    }
}

/// [`format_date_ja`] in `lang`: "April 15, 1972 (Showa 47)".
pub fn format_date_in(lang: Lang, day: Date) -> String {
    if lang == Lang::Ja {
        return format_date_ja(day);
    }
    let western = format!("{} {}, {}", day.month(), day.day(), day.year());
    match era_of(day) {
        Some((era, era_year)) => format!("{western} ({})", era.year_msg(era_year).resolve(lang)),
        None => western,
    }
}
