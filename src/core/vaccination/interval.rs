//! A municipality's interval between doses ("21 days after the first dose", "5 months
//! after the last"), as data per dose number, with its stored setting and the first day it
//! allows after a previous dose. What that means for one ticket's days is `eligibility`.
//!
//! How the first allowed day is counted, from `from` (the previous dose's day):
//! - [`Interval::Days`]`(n)`: `from + n` days. 「21日後」 is `Days(21)`, the same weekday three
//!   weeks later. A rule written 「20日以上の間隔をおく」 (20 full days between) is `Days(21)`.
//! - [`Interval::Months`]`(n)`: the same day number `n` months later; when that month is
//!   shorter, its last day (31 Aug + 6 months = 28 Feb, or 29 Feb in a leap year). This is
//!   how municipal guidance counts 「〇か月後の同じ日以降」.
//! - Whatever the rule, a dose is never allowed on or before the previous dose's day.
//!
//! There is no upper limit: a late second dose is still given, as soon as possible.

use std::fmt;

use time::{Date, Duration};

use crate::core::month_calendar::add_months;
use crate::core::resident_input::fold_digits;
use crate::core::vaccination::dose::{DoseError, DoseNumber};
use crate::i18n::Lang;

/// Longest interval accepted in a rule: ten years, in either unit. A longer one is a typo.
const MAX_INTERVAL_DAYS: u16 = 3660;
const MAX_INTERVAL_MONTHS: u16 = 120;

/// The wait after the previous dose before a dose may be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Interval {
    Days(u16),
    Months(u16),
}

impl Interval {
    /// The first day a dose may be given after a previous dose on `from` (see the module
    /// comment for the counting). Saturates at the calendar's end instead of panicking.
    pub fn first_allowed_day(self, from: Date) -> Date {
        let day = match self {
            Interval::Days(n) => from.checked_add(Duration::days(i64::from(n))),
            Interval::Months(n) => add_months(from, i32::from(n)),
        };
        let at_least_next_day = from.next_day().unwrap_or(Date::MAX);
        day.unwrap_or(Date::MAX).max(at_least_next_day)
    }

    /// The rule in words: "前回の接種日の21日後から" / "from 21 days after the previous dose".
    pub fn describe(self, lang: Lang) -> String {
        match (self, lang) {
            (Interval::Days(n), Lang::Ja) => format!("前回の接種日の{n}日後から"),
            (Interval::Months(n), Lang::Ja) => format!("前回の接種日の{n}か月後から"),
            (Interval::Days(n), Lang::En) => format!(
                "from {n} day{} after the previous dose",
                if n == 1 { "" } else { "s" }
            ),
            (Interval::Months(n), Lang::En) => format!(
                "from {n} month{} after the previous dose",
                if n == 1 { "" } else { "s" }
            ),
        }
    }
}

/// "21d" / "5m": the form in the stored setting.
impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Interval::Days(n) => write!(f, "{n}d"),
            Interval::Months(n) => write!(f, "{n}m"),
        }
    }
}

/// A municipality's intervals, per dose number. An entry for dose N applies to N and every
/// later dose up to the next entry: `2:21d 3:5m` is "dose 2: 21 days; dose 3 and later: 5
/// months". Dose 1 has no previous dose and so no entry; a dose below the first entry has
/// no interval beyond "after the previous dose's day".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IntervalRules {
    /// Sorted by dose, one entry per dose, none for dose 1.
    entries: Vec<(DoseNumber, Interval)>,
}

/// Why a municipality's interval setting cannot be used (the console, so Japanese only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntervalRulesError {
    /// Dose 1 has no previous dose to wait after.
    FirstDose,
    DuplicateDose(DoseNumber),
    /// `text` is the entry as written.
    Unrecognized {
        text: String,
    },
    Dose {
        text: String,
        error: DoseError,
    },
    TooLong {
        text: String,
    },
}

impl fmt::Display for IntervalRulesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntervalRulesError::FirstDose => {
                write!(
                    f,
                    "1回目には前回の接種がないため、接種間隔は設定できません。"
                )
            }
            IntervalRulesError::DuplicateDose(dose) => write!(
                f,
                "{}の接種間隔が2回設定されています。",
                dose.label(Lang::Ja)
            ),
            IntervalRulesError::Unrecognized { text } => write!(
                f,
                "「{text}」を読み取れません。「2:21d」(2回目は21日後から)、「3:5m」(3回目以降は5か月後から)のように入力してください。"
            ),
            IntervalRulesError::Dose { text, error } => write!(f, "「{text}」: {error}"),
            IntervalRulesError::TooLong { text } => write!(
                f,
                "「{text}」: 接種間隔は{MAX_INTERVAL_DAYS}日または{MAX_INTERVAL_MONTHS}か月までです。"
            ),
        }
    }
}

impl std::error::Error for IntervalRulesError {}

impl IntervalRules {
    /// No intervals: every dose after the first only needs to come after the previous one.
    pub fn none() -> IntervalRules {
        IntervalRules::default()
    }

    /// From entries in any order; refuses dose 1 and a dose given twice.
    pub fn new(
        mut entries: Vec<(DoseNumber, Interval)>,
    ) -> Result<IntervalRules, IntervalRulesError> {
        entries.sort_by_key(|(dose, _)| *dose);
        if entries
            .first()
            .is_some_and(|(d, _)| *d == DoseNumber::FIRST)
        {
            return Err(IntervalRulesError::FirstDose);
        }
        if let Some(pair) = entries.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(IntervalRulesError::DuplicateDose(pair[0].0));
        }
        Ok(IntervalRules { entries })
    }

    /// The entries, by dose.
    pub fn entries(&self) -> &[(DoseNumber, Interval)] {
        &self.entries
    }

    /// The interval that applies to `dose`: its own entry, or the nearest entry below it.
    pub fn interval_for(&self, dose: DoseNumber) -> Option<Interval> {
        self.entries
            .iter()
            .rev()
            .find(|(d, _)| *d <= dose)
            .map(|(_, interval)| *interval)
    }

    /// Reads the stored setting: entries `dose:interval` separated by spaces, commas,
    /// semicolons or new lines; the interval `21d` / `21日` or `5m` / `5か月` (ヶ月, カ月 and
    /// full-width digits too). An empty setting is [`IntervalRules::none`].
    pub fn parse_setting(text: &str) -> Result<IntervalRules, IntervalRulesError> {
        let folded = fold_digits(text);
        let entries = folded
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '、'))
            .filter(|entry| !entry.is_empty())
            .map(parse_entry)
            .collect::<Result<Vec<_>, _>>()?;
        IntervalRules::new(entries)
    }

    /// The stored setting, which [`IntervalRules::parse_setting`] reads back: "2:21d 3:5m".
    pub fn to_setting(&self) -> String {
        self.entries
            .iter()
            .map(|(dose, interval)| format!("{dose}:{interval}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn parse_entry(entry: &str) -> Result<(DoseNumber, Interval), IntervalRulesError> {
    let unrecognized = || IntervalRulesError::Unrecognized {
        text: entry.to_string(),
    };
    let (dose, interval) = entry.split_once([':', '=']).ok_or_else(unrecognized)?;
    // 「3回目以降:5か月」 reads as the entry for dose 3, which covers the later doses anyway.
    let dose = dose.trim_end().strip_suffix("以降").unwrap_or(dose);
    let dose = DoseNumber::parse(dose).map_err(|error| IntervalRulesError::Dose {
        text: entry.to_string(),
        error,
    })?;
    let (digits, unit) = interval.split_at(
        interval
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(interval.len()),
    );
    if digits.is_empty() || digits.len() > 5 {
        return Err(unrecognized());
    }
    let n: u32 = digits.parse().map_err(|_| unrecognized())?;
    let too_long = || IntervalRulesError::TooLong {
        text: entry.to_string(),
    };
    let interval = match unit {
        "d" | "D" | "日" | "日後" => Interval::Days(
            u16::try_from(n)
                .ok()
                .filter(|n| *n <= MAX_INTERVAL_DAYS)
                .ok_or_else(too_long)?,
        ),
        "m" | "M" | "か月" | "ヶ月" | "カ月" | "ケ月" | "ヵ月" | "か月後" | "ヶ月後" => {
            Interval::Months(
                u16::try_from(n)
                    .ok()
                    .filter(|n| *n <= MAX_INTERVAL_MONTHS)
                    .ok_or_else(too_long)?,
            )
        }
        _ => return Err(unrecognized()),
    };
    Ok((dose, interval))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn dose(n: u8) -> DoseNumber {
        DoseNumber::new(n).unwrap()
    }

    /// The example of the issue: dose 2 21 days after the first, later doses 5 months after the last.
    fn rules() -> IntervalRules {
        IntervalRules::new(vec![
            (dose(3), Interval::Months(5)),
            (dose(2), Interval::Days(21)),
        ])
        .unwrap()
    }

    #[test]
    fn days_count_from_the_previous_dose() {
        let d21 = Interval::Days(21);
        // Friday to Friday three weeks later.
        assert_eq!(
            d21.first_allowed_day(date!(2027 - 01 - 01)),
            date!(2027 - 01 - 22)
        );
        assert_eq!(
            d21.first_allowed_day(date!(2026 - 12 - 20)),
            date!(2027 - 01 - 10)
        );
        assert_eq!(
            d21.first_allowed_day(date!(2028 - 02 - 10)),
            date!(2028 - 03 - 02)
        );
        assert_eq!(
            d21.first_allowed_day(date!(2027 - 02 - 10)),
            date!(2027 - 03 - 03)
        );
        assert_eq!(
            d21.first_allowed_day(date!(2027 - 01 - 01)).weekday(),
            date!(2027 - 01 - 01).weekday()
        );
    }

    #[test]
    fn months_keep_the_day_number_or_take_the_month_end() {
        let m5 = Interval::Months(5);
        assert_eq!(
            m5.first_allowed_day(date!(2026 - 07 - 01)),
            date!(2026 - 12 - 01)
        );
        assert_eq!(
            m5.first_allowed_day(date!(2026 - 09 - 30)),
            date!(2027 - 02 - 28)
        );
        assert_eq!(
            m5.first_allowed_day(date!(2027 - 09 - 30)),
            date!(2028 - 02 - 29)
        );
        assert_eq!(
            m5.first_allowed_day(date!(2026 - 08 - 31)),
            date!(2027 - 01 - 31)
        );
        assert_eq!(
            Interval::Months(1).first_allowed_day(date!(2027 - 01 - 31)),
            date!(2027 - 02 - 28)
        );
        assert_eq!(
            Interval::Months(1).first_allowed_day(date!(2028 - 01 - 31)),
            date!(2028 - 02 - 29)
        );
        assert_eq!(
            Interval::Months(6).first_allowed_day(date!(2027 - 08 - 31)),
            date!(2028 - 02 - 29)
        );
        assert_eq!(
            Interval::Months(12).first_allowed_day(date!(2028 - 02 - 29)),
            date!(2029 - 02 - 28)
        );
        assert_eq!(
            Interval::Months(3).first_allowed_day(date!(2026 - 11 - 30)),
            date!(2027 - 02 - 28)
        );
        assert_eq!(
            Interval::Months(1).first_allowed_day(date!(2026 - 12 - 15)),
            date!(2027 - 01 - 15)
        );
    }

    #[test]
    fn never_on_or_before_the_previous_dose() {
        let from = date!(2027 - 01 - 01);
        assert_eq!(
            Interval::Days(0).first_allowed_day(from),
            date!(2027 - 01 - 02)
        );
        assert_eq!(
            Interval::Months(0).first_allowed_day(from),
            date!(2027 - 01 - 02)
        );
    }

    #[test]
    fn the_end_of_the_calendar_saturates() {
        assert_eq!(Interval::Days(21).first_allowed_day(Date::MAX), Date::MAX);
        assert_eq!(Interval::Months(5).first_allowed_day(Date::MAX), Date::MAX);
        assert_eq!(
            Interval::Months(5).first_allowed_day(date!(9999 - 10 - 01)),
            Date::MAX
        );
    }

    #[test]
    fn intervals_in_words() {
        assert_eq!(
            Interval::Days(21).describe(Lang::Ja),
            "前回の接種日の21日後から"
        );
        assert_eq!(
            Interval::Months(5).describe(Lang::Ja),
            "前回の接種日の5か月後から"
        );
        assert_eq!(
            Interval::Days(21).describe(Lang::En),
            "from 21 days after the previous dose"
        );
        assert_eq!(
            Interval::Months(1).describe(Lang::En),
            "from 1 month after the previous dose"
        );
    }

    #[test]
    fn an_entry_covers_its_dose_and_the_later_ones() {
        let r = rules();
        assert_eq!(r.interval_for(dose(1)), None);
        assert_eq!(r.interval_for(dose(2)), Some(Interval::Days(21)));
        assert_eq!(r.interval_for(dose(3)), Some(Interval::Months(5)));
        assert_eq!(r.interval_for(dose(7)), Some(Interval::Months(5)));
        assert_eq!(
            r.entries(),
            [
                (dose(2), Interval::Days(21)),
                (dose(3), Interval::Months(5))
            ]
        );
        let only_boosters = IntervalRules::new(vec![(dose(3), Interval::Months(6))]).unwrap();
        assert_eq!(only_boosters.interval_for(dose(2)), None);
        assert_eq!(IntervalRules::none().interval_for(dose(5)), None);
    }

    #[test]
    fn rules_refuse_dose_one_and_duplicates() {
        assert_eq!(
            IntervalRules::new(vec![(dose(1), Interval::Days(21))]),
            Err(IntervalRulesError::FirstDose)
        );
        assert_eq!(
            IntervalRules::new(vec![
                (dose(3), Interval::Days(21)),
                (dose(2), Interval::Days(21)),
                (dose(3), Interval::Months(5)),
            ]),
            Err(IntervalRulesError::DuplicateDose(dose(3)))
        );
    }

    #[test]
    fn the_setting_reads_as_written() {
        for text in [
            "2:21d 3:5m",
            "3:5m,2:21d",
            "2=21d;3=5m",
            "2:21d\n3:5m\n",
            "２：２１日、３：５か月",
            "2回目:21日 3回目以降:5ヶ月",
            " 2:21D  3:5M ",
        ] {
            assert_eq!(IntervalRules::parse_setting(text), Ok(rules()), "{text:?}");
        }
        assert_eq!(IntervalRules::parse_setting(""), Ok(IntervalRules::none()));
        assert_eq!(
            IntervalRules::parse_setting("  \n"),
            Ok(IntervalRules::none())
        );
        assert_eq!(rules().to_setting(), "2:21d 3:5m");
        assert_eq!(IntervalRules::none().to_setting(), "");
    }

    #[test]
    fn the_setting_says_what_is_wrong() {
        assert_eq!(
            IntervalRules::parse_setting("1:21d"),
            Err(IntervalRulesError::FirstDose)
        );
        assert_eq!(
            IntervalRules::parse_setting("2:21d 2:5m"),
            Err(IntervalRulesError::DuplicateDose(dose(2)))
        );
        for bad in ["2-21d", "2:21", "2:d", "2:21w", "2:-1d", "2:1.5m", "2:21d5"] {
            assert!(
                matches!(
                    IntervalRules::parse_setting(bad),
                    Err(IntervalRulesError::Unrecognized { .. })
                ),
                "{bad:?}"
            );
        }
        assert!(matches!(
            IntervalRules::parse_setting("x:21d"),
            Err(IntervalRulesError::Dose { .. })
        ));
        assert!(matches!(
            IntervalRules::parse_setting("99:21d"),
            Err(IntervalRulesError::Dose {
                error: DoseError::OutOfRange,
                ..
            })
        ));
        for long in ["2:3661d", "2:99999d", "3:121m", "3:999999m"] {
            let e = IntervalRules::parse_setting(long).unwrap_err();
            assert!(
                matches!(
                    e,
                    IntervalRulesError::TooLong { .. } | IntervalRulesError::Unrecognized { .. }
                ),
                "{long:?}: {e:?}"
            );
        }
        assert!(matches!(
            IntervalRules::parse_setting("2:3661d"),
            Err(IntervalRulesError::TooLong { .. })
        ));
        let e = IntervalRules::parse_setting("2:21w")
            .unwrap_err()
            .to_string();
        assert!(e.contains("「2:21w」") && e.contains("2:21d"), "{e}");
        assert_eq!(
            IntervalRulesError::DuplicateDose(dose(2)).to_string(),
            "2回目の接種間隔が2回設定されています。"
        );
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (2_415_021i32..2_524_594).prop_map(|jd| Date::from_julian_day(jd).unwrap())
    }

    fn any_interval() -> impl Strategy<Value = Interval> {
        prop_oneof![
            (0u16..=MAX_INTERVAL_DAYS).prop_map(Interval::Days),
            (0u16..=MAX_INTERVAL_MONTHS).prop_map(Interval::Months),
        ]
    }

    proptest! {
        #[test]
        fn the_first_allowed_day_is_after_the_previous_dose(from in any_date(), interval in any_interval()) {
            let first = interval.first_allowed_day(from);
            prop_assert!(first > from);
            match interval {
                Interval::Days(n) => prop_assert_eq!(first - from, Duration::days(i64::from(n.max(1)))),
                Interval::Months(n) if n > 0 => {
                    prop_assert_eq!(Some(first), add_months(from, i32::from(n)));
                }
                Interval::Months(_) => prop_assert_eq!(first, from.next_day().unwrap()),
            }
        }

        #[test]
        fn a_later_previous_dose_never_allows_an_earlier_day(a in any_date(), b in any_date(), interval in any_interval()) {
            let (early, late) = (a.min(b), a.max(b));
            prop_assert!(interval.first_allowed_day(early) <= interval.first_allowed_day(late));
        }

        #[test]
        fn settings_round_trip(entries in proptest::collection::btree_map(2u8..=20, any_interval(), 0..6)) {
            let entries: Vec<(DoseNumber, Interval)> = entries
                .into_iter()
                .map(|(d, i)| (DoseNumber::new(d).unwrap(), i))
                .collect();
            let rules = IntervalRules::new(entries).unwrap();
            prop_assert_eq!(IntervalRules::parse_setting(&rules.to_setting()), Ok(rules));
        }

        #[test]
        fn parse_setting_never_panics(s in "\\PC{0,30}") {
            let _ = IntervalRules::parse_setting(&s);
        }
    }
}
