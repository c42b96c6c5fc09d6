//! Japanese national holidays (国民の祝日・休日) and the 年末年始 closure, from a shipped list rather than rules.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use time::macros::{date, format_description};
use time::{Date, Month};

/// One line per holiday, `YYYY-MM-DD,名前`, no header. It was generated from the
/// 祝日法 rules (Happy Monday, equinox formula, 振替休日, 国民の休日) and checked against
/// the Cabinet Office list for 2024–2027; a substitute or sandwiched day is named 「休日」
/// as that list does. 2028's equinoxes are the formula's prediction until the 官報
/// announces them in February 2027. We ship data instead of rules because the rule-based
/// crate needs a newer compiler, and equinox days are only fixed a year ahead anyway.
const HOLIDAYS_CSV: &str = include_str!("holidays_jp.csv");

/// Last day the list is complete to. Beyond it `is_national_holiday` answers `false`
/// for every day, so callers must not plan past it without extending the CSV.
const COVERED_UNTIL: Date = date!(2028 - 12 - 31);

fn holiday_table() -> &'static BTreeMap<Date, &'static str> {
    static TABLE: OnceLock<BTreeMap<Date, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The CSV is compiled in and every line is checked by the tests, so a failure here
        // can only mean someone edited it without running them.
        parse_holiday_csv(HOLIDAYS_CSV).unwrap_or_else(|err| panic!("holidays_jp.csv: {err}"))
    })
}

/// Parses the shipped list, insisting on strictly increasing dates so that a duplicated
/// or misplaced line is caught instead of silently overwriting another holiday.
fn parse_holiday_csv(csv: &'static str) -> Result<BTreeMap<Date, &'static str>, String> {
    let iso_date = format_description!("[year]-[month]-[day]");
    let mut table = BTreeMap::new();
    let mut previous: Option<Date> = None;
    for (index, line) in csv.lines().enumerate() {
        let line_no = index + 1;
        let (day, name) = line
            .split_once(',')
            .ok_or_else(|| format!("line {line_no}: expected `YYYY-MM-DD,名前`, got {line:?}"))?;
        let day = Date::parse(day, iso_date)
            .map_err(|err| format!("line {line_no}: bad date {day:?}: {err}"))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("line {line_no}: holiday {day} has no name"));
        }
        if previous.is_some_and(|before| before >= day) {
            return Err(format!(
                "line {line_no}: {day} is not after the line before it"
            ));
        }
        previous = Some(day);
        table.insert(day, name);
    }
    Ok(table)
}

/// The holiday's Japanese name (e.g. 「春分の日」, or 「休日」 for a 振替休日/国民の休日).
pub fn holiday_name(day: Date) -> Option<&'static str> {
    holiday_table().get(&day).copied()
}

/// Whether `day` is a national holiday, substitute holidays included.
pub fn is_national_holiday(day: Date) -> bool {
    holiday_table().contains_key(&day)
}

/// The holidays on `first..=last`, in date order; empty when `first > last`.
pub fn holidays_between(first: Date, last: Date) -> Vec<(Date, &'static str)> {
    if first > last {
        // BTreeMap::range panics on an inverted range; an empty window simply has no holidays.
        return Vec::new();
    }
    holiday_table()
        .range(first..=last)
        .map(|(&day, &name)| (day, name))
        .collect()
}

/// The last day the holiday data is complete for.
pub fn covered_until() -> Date {
    COVERED_UNTIL
}

/// 年末年始: municipal offices close from 29 December to 3 January inclusive by ordinance
/// (地方自治法第4条の2), whatever the weekday.
pub fn is_year_end_closure(day: Date) -> bool {
    match day.month() {
        Month::December => day.day() >= 29,
        Month::January => day.day() <= 3,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holidays_in_year(year: i32) -> Vec<(Date, &'static str)> {
        holidays_between(
            Date::from_calendar_date(year, Month::January, 1).unwrap(),
            Date::from_calendar_date(year, Month::December, 31).unwrap(),
        )
    }

    fn days_in_year(year: i32) -> Vec<String> {
        holidays_in_year(year)
            .into_iter()
            .map(|(day, name)| {
                format!(
                    "{}-{:02}-{:02} {name}",
                    day.year(),
                    day.month() as u8,
                    day.day()
                )
            })
            .collect()
    }

    #[test]
    fn every_line_parses_sorted_and_unique() {
        let table = parse_holiday_csv(HOLIDAYS_CSV).expect("shipped CSV parses");
        assert_eq!(table.len(), HOLIDAYS_CSV.lines().count());
        assert_eq!(table.len(), 21 + 19 + 18 + 17 + 16);
    }

    #[test]
    fn parser_rejects_duplicates_disorder_and_garbage() {
        assert!(parse_holiday_csv("2024-01-01,元日\n2024-01-01,元日\n").is_err());
        assert!(parse_holiday_csv("2024-02-11,建国記念の日\n2024-01-01,元日\n").is_err());
        assert!(parse_holiday_csv("2024-01-01 元日\n").is_err());
        assert!(parse_holiday_csv("2024-13-01,元日\n").is_err());
        assert!(parse_holiday_csv("2024-01-01,\n").is_err());
        assert_eq!(parse_holiday_csv("2024-01-01,元日\n").unwrap().len(), 1);
    }

    #[test]
    fn data_spans_exactly_the_covered_years() {
        let table = holiday_table();
        let (&first, _) = table.first_key_value().unwrap();
        let (&last, _) = table.last_key_value().unwrap();
        assert_eq!(first, date!(2024 - 01 - 01));
        assert_eq!(last.year(), covered_until().year());
        assert_eq!(covered_until(), date!(2028 - 12 - 31));
    }

    #[test]
    fn year_2024_has_21_holidays() {
        assert_eq!(
            days_in_year(2024),
            [
                "2024-01-01 元日",
                "2024-01-08 成人の日",
                "2024-02-11 建国記念の日",
                "2024-02-12 休日",
                "2024-02-23 天皇誕生日",
                "2024-03-20 春分の日",
                "2024-04-29 昭和の日",
                "2024-05-03 憲法記念日",
                "2024-05-04 みどりの日",
                "2024-05-05 こどもの日",
                "2024-05-06 休日",
                "2024-07-15 海の日",
                "2024-08-11 山の日",
                "2024-08-12 休日",
                "2024-09-16 敬老の日",
                "2024-09-22 秋分の日",
                "2024-09-23 休日",
                "2024-10-14 スポーツの日",
                "2024-11-03 文化の日",
                "2024-11-04 休日",
                "2024-11-23 勤労感謝の日",
            ]
        );
    }

    #[test]
    fn year_2025_has_19_holidays() {
        assert_eq!(
            days_in_year(2025),
            [
                "2025-01-01 元日",
                "2025-01-13 成人の日",
                "2025-02-11 建国記念の日",
                "2025-02-23 天皇誕生日",
                "2025-02-24 休日",
                "2025-03-20 春分の日",
                "2025-04-29 昭和の日",
                "2025-05-03 憲法記念日",
                "2025-05-04 みどりの日",
                "2025-05-05 こどもの日",
                "2025-05-06 休日",
                "2025-07-21 海の日",
                "2025-08-11 山の日",
                "2025-09-15 敬老の日",
                "2025-09-23 秋分の日",
                "2025-10-13 スポーツの日",
                "2025-11-03 文化の日",
                "2025-11-23 勤労感謝の日",
                "2025-11-24 休日",
            ]
        );
    }

    #[test]
    fn year_2026_has_18_holidays() {
        assert_eq!(
            days_in_year(2026),
            [
                "2026-01-01 元日",
                "2026-01-12 成人の日",
                "2026-02-11 建国記念の日",
                "2026-02-23 天皇誕生日",
                "2026-03-20 春分の日",
                "2026-04-29 昭和の日",
                "2026-05-03 憲法記念日",
                "2026-05-04 みどりの日",
                "2026-05-05 こどもの日",
                "2026-05-06 休日",
                "2026-07-20 海の日",
                "2026-08-11 山の日",
                "2026-09-21 敬老の日",
                "2026-09-22 休日",
                "2026-09-23 秋分の日",
                "2026-10-12 スポーツの日",
                "2026-11-03 文化の日",
                "2026-11-23 勤労感謝の日",
            ]
        );
    }

    #[test]
    fn year_2027_has_17_holidays() {
        assert_eq!(
            days_in_year(2027),
            [
                "2027-01-01 元日",
                "2027-01-11 成人の日",
                "2027-02-11 建国記念の日",
                "2027-02-23 天皇誕生日",
                "2027-03-21 春分の日",
                "2027-03-22 休日",
                "2027-04-29 昭和の日",
                "2027-05-03 憲法記念日",
                "2027-05-04 みどりの日",
                "2027-05-05 こどもの日",
                "2027-07-19 海の日",
                "2027-08-11 山の日",
                "2027-09-20 敬老の日",
                "2027-09-23 秋分の日",
                "2027-10-11 スポーツの日",
                "2027-11-03 文化の日",
                "2027-11-23 勤労感謝の日",
            ]
        );
    }

    #[test]
    fn year_2028_has_16_holidays() {
        // 2028's equinoxes are the formula's prediction (官報 announces them in Feb 2027).
        // No holiday falls on a Sunday that year, so there is no 休日 at all.
        assert_eq!(
            days_in_year(2028),
            [
                "2028-01-01 元日",
                "2028-01-10 成人の日",
                "2028-02-11 建国記念の日",
                "2028-02-23 天皇誕生日",
                "2028-03-20 春分の日",
                "2028-04-29 昭和の日",
                "2028-05-03 憲法記念日",
                "2028-05-04 みどりの日",
                "2028-05-05 こどもの日",
                "2028-07-17 海の日",
                "2028-08-11 山の日",
                "2028-09-18 敬老の日",
                "2028-09-22 秋分の日",
                "2028-10-09 スポーツの日",
                "2028-11-03 文化の日",
                "2028-11-23 勤労感謝の日",
            ]
        );
    }

    #[test]
    fn substitute_and_sandwiched_days_are_named_kyujitsu() {
        for anchor in [
            date!(2024 - 02 - 12),
            date!(2024 - 05 - 06),
            date!(2024 - 08 - 12),
            date!(2024 - 09 - 23),
            date!(2024 - 11 - 04),
            date!(2025 - 02 - 24),
            date!(2025 - 05 - 06),
            date!(2026 - 05 - 06),
            date!(2026 - 09 - 22),
            date!(2027 - 03 - 22),
        ] {
            assert_eq!(holiday_name(anchor), Some("休日"), "{anchor}");
        }
    }

    #[test]
    fn equinox_days_match_the_announced_dates() {
        for (day, name) in [
            (date!(2024 - 03 - 20), "春分の日"),
            (date!(2024 - 09 - 22), "秋分の日"),
            (date!(2025 - 03 - 20), "春分の日"),
            (date!(2025 - 09 - 23), "秋分の日"),
            (date!(2026 - 03 - 20), "春分の日"),
            (date!(2026 - 09 - 23), "秋分の日"),
            (date!(2027 - 03 - 21), "春分の日"),
            (date!(2027 - 09 - 23), "秋分の日"),
        ] {
            assert_eq!(holiday_name(day), Some(name), "{day}");
        }
    }

    #[test]
    fn happy_monday_holidays_fall_on_mondays() {
        for (day, name) in holiday_table() {
            if matches!(*name, "成人の日" | "海の日" | "敬老の日" | "スポーツの日")
            {
                assert_eq!(day.weekday(), time::Weekday::Monday, "{day} {name}");
            }
        }
    }

    #[test]
    fn substitute_holidays_never_fall_on_sunday() {
        for (day, name) in holiday_table() {
            if *name == "休日" {
                assert_ne!(day.weekday(), time::Weekday::Sunday, "{day}");
            }
        }
    }

    #[test]
    fn ordinary_days_are_not_holidays() {
        assert!(!is_national_holiday(date!(2024 - 01 - 02)));
        assert!(!is_national_holiday(date!(2025 - 05 - 07)));
        // 2024-09-22 is a Sunday 秋分の日, 2024-09-21 an ordinary Saturday.
        assert!(!is_national_holiday(date!(2024 - 09 - 21)));
        assert!(is_national_holiday(date!(2024 - 09 - 22)));
        assert_eq!(holiday_name(date!(2024 - 06 - 14)), None);
    }

    #[test]
    fn holidays_between_is_inclusive_and_tolerates_inverted_ranges() {
        let golden_week = holidays_between(date!(2025 - 05 - 03), date!(2025 - 05 - 06));
        assert_eq!(
            golden_week,
            vec![
                (date!(2025 - 05 - 03), "憲法記念日"),
                (date!(2025 - 05 - 04), "みどりの日"),
                (date!(2025 - 05 - 05), "こどもの日"),
                (date!(2025 - 05 - 06), "休日"),
            ]
        );
        assert!(holidays_between(date!(2025 - 05 - 06), date!(2025 - 05 - 03)).is_empty());
        assert_eq!(
            holidays_between(date!(2026 - 09 - 22), date!(2026 - 09 - 22)),
            vec![(date!(2026 - 09 - 22), "休日")]
        );
    }

    #[test]
    fn nothing_is_known_beyond_coverage() {
        assert!(holidays_between(date!(2029 - 01 - 01), date!(2029 - 12 - 31)).is_empty());
    }

    #[test]
    fn year_end_closure_runs_from_29_december_to_3_january() {
        assert!(!is_year_end_closure(date!(2025 - 12 - 28)));
        assert!(is_year_end_closure(date!(2025 - 12 - 29)));
        assert!(is_year_end_closure(date!(2025 - 12 - 31)));
        assert!(is_year_end_closure(date!(2026 - 01 - 01)));
        assert!(is_year_end_closure(date!(2026 - 01 - 03)));
        assert!(!is_year_end_closure(date!(2026 - 01 - 04)));
        assert!(!is_year_end_closure(date!(2026 - 03 - 01)));
    }
}
