//! What the console's forms share: the values people type (numbers in any width, times,
//! days, web addresses, one-line texts) read into what is stored with a Japanese message
//! when they cannot be, and [`FormView`], which keeps what was typed and the message per
//! field for the page shown again.
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use time::Date;
use time::macros::date;

use crate::core::resident_input::{clean_text, fold_digits, parse_birthdate};

pub(in crate::web::staff) type Fields = HashMap<String, String>;

/// The typed value of `name`, as typed (the form shows it again on an error).
pub(in crate::web::staff) fn typed(form: &Fields, name: &str) -> String {
    form.get(name).cloned().unwrap_or_default()
}

/// A whole number in `min..=max`, typed in any width, with or without its unit ("60分").
pub(in crate::web::staff) fn parse_number(
    input: &str,
    min: i32,
    max: i32,
    units: &[&str],
) -> Result<i32, String> {
    let folded = fold_digits(input).replace([',', ' '], "");
    let mut text = folded.as_str();
    for unit in units {
        if let Some(rest) = text.strip_suffix(unit) {
            text = rest.trim_end();
            break;
        }
    }
    if text.is_empty() {
        return Err("入力してください。".to_string());
    }
    let range = format!("{min}から{max}までの数字で入力してください。");
    if text.len() > 9 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(range);
    }
    let n: i32 = text.parse().map_err(|_| range.clone())?;
    if (min..=max).contains(&n) {
        Ok(n)
    } else {
        Err(range)
    }
}

/// A time of day as minutes after midnight: "9:00", "09:00", "９：００", "900", "9時30分",
/// "9時"; 24:00 is allowed as a closing time.
pub(in crate::web::staff) fn parse_time(input: &str) -> Result<i32, String> {
    const HOW: &str = "「9:00」「17:15」のように、時と分をコロンで区切って入力してください。";
    let text = fold_digits(input);
    if text.is_empty() {
        return Err("時刻を入力してください。".to_string());
    }
    let digits = |s: &str, max_len: usize| -> Option<i32> {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (hours, minutes) = if let Some((h, m)) = text.split_once(':') {
        if m.len() != 2 {
            return Err(HOW.to_string());
        }
        (digits(h.trim(), 2), digits(m.trim(), 2))
    } else if let Some((h, m)) = text.split_once('時') {
        let m = m.trim().trim_end_matches('分').trim();
        let minutes = match m {
            "" => Some(0),
            "半" => Some(30),
            m => digits(m, 2),
        };
        (digits(h.trim(), 2), minutes)
    } else {
        match text.len() {
            1 | 2 => (digits(&text, 2), Some(0)),
            3 | 4 if text.bytes().all(|b| b.is_ascii_digit()) => {
                let (h, m) = text.split_at(text.len() - 2);
                (digits(h, 2), digits(m, 2))
            }
            _ => (None, None),
        }
    };
    let (Some(hours), Some(minutes)) = (hours, minutes) else {
        return Err(HOW.to_string());
    };
    if minutes > 59 || hours > 24 || (hours == 24 && minutes > 0) {
        return Err("0:00から24:00までの時刻を入力してください。".to_string());
    }
    Ok(hours * 60 + minutes)
}

/// A day: "2026-12-24", "2026/12/24", "20261224", "2026年12月24日", "令和8年12月24日", in any
/// width. Only days from last year to five years ahead make sense for a schedule.
pub(in crate::web::staff) fn parse_day(input: &str, today: Date) -> Result<Date, String> {
    if fold_digits(input).is_empty() {
        return Err("日付を入力してください。".to_string());
    }
    // The birthdate reader knows every way a Japanese date is written; with a "today" at the
    // end of time it does not refuse future days.
    let day = parse_birthdate(input, date!(9999 - 12 - 31)).map_err(|_| {
        "「2026-12-24」や「2026年12月24日」のように、年月日で入力してください。".to_string()
    })?;
    let earliest =
        Date::from_calendar_date(today.year() - 1, time::Month::January, 1).unwrap_or(Date::MIN);
    let latest =
        Date::from_calendar_date(today.year() + 5, time::Month::December, 31).unwrap_or(Date::MAX);
    if day < earliest || day > latest {
        return Err(format!(
            "{}年から{}年までの日付を入力してください。",
            earliest.year(),
            latest.year()
        ));
    }
    Ok(day)
}

/// An optional web address shown to residents as a link: http or https only.
pub(in crate::web::staff) fn parse_url(input: &str) -> Result<Option<String>, String> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || "「https://」で始まるURLを入力してください。".to_string();
    if text.chars().count() > 500 || text.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    let url = url::Url::parse(text).map_err(|_| bad())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(bad());
    }
    Ok(Some(text.to_string()))
}

/// A one-line text: trimmed, no control characters, at most `max` characters.
pub(in crate::web::staff) fn parse_line(
    input: &str,
    max: usize,
    required: bool,
) -> Result<String, String> {
    let text = clean_text(input, max).map_err(|e| e.message())?;
    if required && text.is_empty() {
        return Err("入力してください。".to_string());
    }
    Ok(text)
}

/// A form's keep-what-was-typed state: the values to show and the message per field.
#[derive(Debug, Clone, Default, Serialize)]
pub(in crate::web::staff) struct FormView {
    pub key: String,
    pub values: BTreeMap<String, String>,
    pub errors: BTreeMap<String, String>,
}

impl FormView {
    pub fn new(key: impl Into<String>, values: &[(&str, String)]) -> FormView {
        FormView {
            key: key.into(),
            values: values
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect(),
            errors: BTreeMap::new(),
        }
    }

    /// The same form filled with what was typed, for `names`.
    pub fn typed(key: impl Into<String>, form: &Fields, names: &[&str]) -> FormView {
        FormView {
            key: key.into(),
            values: names
                .iter()
                .map(|n| ((*n).to_string(), typed(form, n)))
                .collect(),
            errors: BTreeMap::new(),
        }
    }

    /// Records `result`'s message under `name`, giving back the value when there is one.
    pub fn check<T>(&mut self, name: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(message) => {
                self.errors.insert(name.to_string(), message);
                None
            }
        }
    }

    pub fn error(&mut self, name: &str, message: impl Into<String>) {
        self.errors.insert(name.to_string(), message.into());
    }

    /// Replaces this form with `failed` when it is the same form.
    pub fn or_failed(self, failed: Option<&FormView>) -> FormView {
        match failed {
            Some(f) if f.key == self.key => f.clone(),
            _ => self,
        }
    }

    /// (field id, "label: message") for the error summary.
    pub fn summary(&self) -> Vec<(String, String)> {
        self.summary_with(field_label)
    }

    /// The error summary with a page's own labels (a venue's 「会場名」, not 「窓口名」).
    pub fn summary_with(&self, label: impl Fn(&str) -> &'static str) -> Vec<(String, String)> {
        self.errors
            .iter()
            .map(|(field, message)| {
                (
                    format!("{}-{field}", self.key),
                    format!("{}: {message}", label(field)),
                )
            })
            .collect()
    }
}

/// The label of a field on the schedule and settings pages, for the error summary.
pub(in crate::web::staff) fn field_label(field: &str) -> &'static str {
    match field {
        "name" => "窓口名",
        "address" => "住所",
        "directions" => "案内",
        "map_url" => "地図のURL",
        "active" => "受付の停止",
        "weekday" => "曜日",
        "opens" => "開始",
        "closes" => "終了",
        "slot_min" => "1枠の分数",
        "clerks" => "職員数",
        "first_day" => "開始日",
        "last_day" => "終了日",
        "counter" => "窓口",
        "reason" => "理由",
        "booking_window_days" => "予約受付期間",
        "contact" => "お問い合わせ先",
        "faq_url" => "FAQのURL",
        "number1_format" => "番号1の書式",
        "number2_format" => "番号2の書式",
        "verification_ttl_min" => "確認メールの有効期限",
        "hold_ttl_min" => "仮押さえ時間",
        "max_party_size" => "同時予約の最大人数",
        // ---- cut-offs (issue 11: settings, 予約と変更・取消の締切) ----
        "booking_cutoff_form" => "予約の受付締切の指定方法",
        "booking_cutoff_min" => "予約の受付締切(分前)",
        "booking_cutoff_days" => "予約の受付締切(日前)",
        "booking_cutoff_until" => "予約の受付締切(時刻)",
        "change_cutoff_form" => "変更・取消の期限の指定方法",
        "cancel_deadline_hours" => "変更・取消の期限(時間前)",
        "cancel_deadline_days" => "変更・取消の期限(日前)",
        "cancel_deadline_until" => "変更・取消の期限(時刻)",
        "late_booking_allowed" => "期限を過ぎた枠の予約",
        // ---- end of cut-offs ----
        "pinned_counter_id" => "窓口の固定",
        "title" => "題名",
        "body" => "本文",
        "position" => "表示順",
        _ => "入力",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_as_people_type_them() {
        for (input, want) in [
            ("9:00", 540),
            ("09:00", 540),
            ("９：００", 540),
            ("１７:１５", 1035),
            (" 8:30 ", 510),
            ("900", 540),
            ("0830", 510),
            ("9", 540),
            ("9時", 540),
            ("9時30分", 570),
            ("9時半", 570),
            ("24:00", 1440),
            ("0:00", 0),
        ] {
            assert_eq!(parse_time(input), Ok(want), "{input}");
        }
        for bad in [
            "", "9:0", "25:00", "24:30", "9:60", "abc", "9:00pm", "12345", "-1:00",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_accept_full_width_and_units_within_range() {
        assert_eq!(parse_number("１５", 5, 240, &["分"]), Ok(15));
        assert_eq!(parse_number("30分", 5, 240, &["分"]), Ok(30));
        assert_eq!(parse_number("1,440", 5, 1440, &[]), Ok(1440));
        assert_eq!(
            parse_number("4", 5, 1440, &[]),
            Err("5から1440までの数字で入力してください。".to_string())
        );
        assert_eq!(
            parse_number("", 5, 1440, &[]),
            Err("入力してください。".to_string())
        );
        assert!(parse_number("-3", 0, 10, &[]).is_err());
        assert!(parse_number("99999999999", 0, 10, &[]).is_err());
        assert!(parse_number("1.5", 0, 10, &[]).is_err());
    }

    #[test]
    fn days_in_the_usual_shapes() {
        let today = date!(2026 - 12 - 01);
        for input in [
            "2026-12-24",
            "2026/12/24",
            "20261224",
            "２０２６年１２月２４日",
            "令和8年12月24日",
        ] {
            assert_eq!(
                parse_day(input, today),
                Ok(date!(2026 - 12 - 24)),
                "{input}"
            );
        }
        assert!(parse_day("2026-02-30", today).is_err());
        assert!(parse_day("2099-01-01", today).is_err());
        assert!(parse_day("12/24", today).is_err());
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(parse_url(""), Ok(None));
        assert_eq!(
            parse_url(" https://example.jp/faq "),
            Ok(Some("https://example.jp/faq".to_string()))
        );
        for bad in [
            "javascript:alert(1)",
            "example.jp",
            "ftp://example.jp/",
            "https://a b",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
    }
}
