//! Cut-offs as municipalities write them: 「予約日時の24時間前まで」 or 「予約日の3日前まで」,
//! 「予約日前日の17:00まで」. One type serves both the booking cut-off and the change/cancel
//! deadline; what it decides is the first moment that is already too late.

use time::{Duration, PrimitiveDateTime};

/// Minutes in a day; as an `until` it means "to the end of that day" (24:00).
pub const END_OF_DAY: u16 = 1440;

/// The most days a cut-off may reach back (a year; nobody closes a booking earlier).
pub const MAX_DAYS: u16 = 365;

/// The most minutes a relative cut-off may reach back (30 days).
pub const MAX_MINUTES: u32 = 30 * 24 * 60;

/// Until when something may still be done online before a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cutoff {
    /// Closes this many minutes before the visit starts; 0 closes at the start itself.
    MinutesBefore(u32),
    /// Closes on the day `days` before the visit's day, at `until` minutes after that day's
    /// midnight (0..=1440, where [`END_OF_DAY`] is the end of that day, so
    /// `DaysBefore { days: 3, until: END_OF_DAY }` is 「予約日の3日前まで」: a visit on 5 May
    /// can be cancelled through 2 May 23:59 and no longer from 3 May 00:00, as seed 003
    /// spells it out). 0 days is the visit's own day.
    DaysBefore { days: u16, until: u16 },
}

impl Cutoff {
    /// `hours` before the visit, as `tenants.cancel_deadline_hours` has always meant.
    /// A negative value is treated as 0.
    pub fn hours_before(hours: i32) -> Cutoff {
        Cutoff::MinutesBefore(u32::try_from(hours.max(0)).unwrap_or(0).saturating_mul(60))
    }

    /// `minutes` before the visit, as `tenants.same_day_cutoff_min` has always meant.
    /// A negative value is treated as 0.
    pub fn minutes_before(minutes: i32) -> Cutoff {
        Cutoff::MinutesBefore(u32::try_from(minutes.max(0)).unwrap_or(0))
    }

    /// From the stored columns: `days` NULL is the relative form in `minutes`; otherwise
    /// the days form with `until_min` (clamped to 0..=1440, so a corrupted row cannot reach
    /// into another day).
    pub fn from_columns(minutes: i32, days: Option<i32>, until_min: i32) -> Cutoff {
        match days {
            None => Cutoff::minutes_before(minutes),
            Some(days) => Cutoff::DaysBefore {
                days: u16::try_from(days.clamp(0, i32::from(MAX_DAYS))).unwrap_or(0),
                until: u16::try_from(until_min.clamp(0, i32::from(END_OF_DAY))).unwrap_or(0),
            },
        }
    }

    /// The first moment at which it is too late. Never after the visit's start: a visit
    /// that has begun can be neither booked nor cancelled (a place freed then helps nobody),
    /// whatever "0 days, until 23:59" would say.
    pub fn closes_at(self, visit_start: PrimitiveDateTime) -> PrimitiveDateTime {
        let closes = match self {
            Cutoff::MinutesBefore(m) => visit_start.saturating_sub(Duration::minutes(i64::from(m))),
            Cutoff::DaysBefore { days, until } => visit_start
                .date()
                .midnight()
                .saturating_sub(Duration::days(i64::from(days)))
                .saturating_add(Duration::minutes(i64::from(until.min(END_OF_DAY)))),
        };
        closes.min(visit_start)
    }

    /// Whether it is still allowed at `now`. The closing moment itself is already too late,
    /// so "until 17:00" lets the counter print its list at 17:00 sharp.
    pub fn is_open(self, visit_start: PrimitiveDateTime, now: PrimitiveDateTime) -> bool {
        now < self.closes_at(visit_start)
    }

    /// Whether it is still allowed at `now` when the closing moment itself still counts,
    /// as the booking cut-off has always been read (see `grid::BookingRules::booking_open`).
    pub fn is_open_through(self, visit_start: PrimitiveDateTime, now: PrimitiveDateTime) -> bool {
        now <= self.closes_at(visit_start)
    }

    /// The moment to print as "… まで" for one visit: the closing moment, except that a days
    /// cut-off at the end of a day (or 00:00 of the next) is written as that day's 23:59 (「5月2日(土) 23:59まで」), not as the
    /// next day's 00:00, which would read as one day later.
    pub fn shown_deadline(self, visit_start: PrimitiveDateTime) -> PrimitiveDateTime {
        let closes = self.closes_at(visit_start);
        let at_midnight = closes.hour() == 0 && closes.minute() == 0 && closes.second() == 0;
        let days_form = matches!(self, Cutoff::DaysBefore { .. });
        if days_form && at_midnight && closes < visit_start {
            closes.saturating_sub(Duration::minutes(1))
        } else {
            closes
        }
    }

    /// The rule in Japanese, for pages that explain it before any booking exists:
    /// 「予約日時の24時間前まで」「予約日の3日前まで」「予約日前日の17:00まで」.
    pub fn describe_ja(self) -> String {
        match self.normalised() {
            Cutoff::MinutesBefore(0) => "予約日時まで".to_string(),
            Cutoff::MinutesBefore(m) => format!("予約日時の{}前まで", duration_ja(m)),
            Cutoff::DaysBefore { days, until } => {
                let day = match days {
                    0 => "予約日当日".to_string(),
                    1 => "予約日前日".to_string(),
                    n => format!("予約日の{n}日前"),
                };
                if until == END_OF_DAY {
                    match days {
                        1 => "予約日の前日まで".to_string(),
                        n => format!("予約日の{n}日前まで"),
                    }
                } else {
                    format!("{day}の{}まで", clock(until))
                }
            }
        }
    }

    /// The same rule in English: "until 24 hours before the booked time", "until the end of
    /// the day 3 days before the booked day", "until 17:00 the day before the booked day".
    pub fn describe_en(self) -> String {
        match self.normalised() {
            Cutoff::MinutesBefore(0) => "until the booked time".to_string(),
            Cutoff::MinutesBefore(m) => format!("until {} before the booked time", duration_en(m)),
            Cutoff::DaysBefore { days, until } => {
                let day = match days {
                    0 => "on the booked day".to_string(),
                    1 => "the day before the booked day".to_string(),
                    n => format!("{n} days before the booked day"),
                };
                if until == END_OF_DAY {
                    format!("until the end of the day {day}")
                } else if days >= 2 {
                    format!("until {}, {day}", clock(until))
                } else {
                    format!("until {} {day}", clock(until))
                }
            }
        }
    }

    /// The same rule written the shortest way: the end of the visit's own day is never
    /// reached (the start comes first), so it is "until the booked time".
    fn normalised(self) -> Cutoff {
        match self {
            Cutoff::DaysBefore { days: 0, until } if until >= END_OF_DAY => {
                Cutoff::MinutesBefore(0)
            }
            Cutoff::DaysBefore { days, until } => Cutoff::DaysBefore {
                days,
                until: until.min(END_OF_DAY),
            },
            other => other,
        }
    }
}

/// "17:00" for minutes after midnight.
fn clock(min: u16) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

/// "24時間", "30分", "1時間30分".
fn duration_ja(m: u32) -> String {
    match (m / 60, m % 60) {
        (0, min) => format!("{min}分"),
        (h, 0) => format!("{h}時間"),
        (h, min) => format!("{h}時間{min}分"),
    }
}

/// "24 hours", "1 hour", "30 minutes", "1 hour 30 minutes".
fn duration_en(m: u32) -> String {
    let unit = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (m / 60, m % 60) {
        (0, min) => unit(min, "minute", "minutes"),
        (h, 0) => unit(h, "hour", "hours"),
        (h, min) => format!(
            "{} {}",
            unit(h, "hour", "hours"),
            unit(min, "minute", "minutes")
        ),
    }
}

/// Reads a clock time as an administrator types it: "17:00", "17時", "17時30分", "1730",
/// full-width digits, "９：００". Blank, "24:00" and "23:59" all mean the end of the day:
/// 「23:59まで」 is how a notice says "through that day" (seed 003), and taking it literally
/// would close a minute early.
pub fn parse_until(input: &str) -> Result<u16, &'static str> {
    let folded: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => {
                char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
            }
            '：' => ':',
            _ => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    if folded.is_empty() {
        return Ok(END_OF_DAY);
    }
    let text = folded.strip_suffix("まで").unwrap_or(&folded);
    let (h, m) = if let Some((h, m)) = text.split_once(':') {
        (h, m)
    } else if let Some((h, rest)) = text.split_once('時') {
        (h, rest.strip_suffix('分').unwrap_or(rest))
    } else if text.len() == 4 && text.chars().all(|c| c.is_ascii_digit()) {
        text.split_at(2)
    } else {
        (text, "")
    };
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.chars().all(|c| c.is_ascii_digit());
    if !digits(h) || !(m.is_empty() || digits(m) || m == "半") {
        return Err("時刻は「17:00」のように入力してください(空欄なら、その日の終わりまで)。");
    }
    let hour: u16 = h.parse().unwrap_or(99);
    let minute: u16 = match m {
        "" => 0,
        "半" => 30,
        m => m.parse().unwrap_or(99),
    };
    if minute > 59 || hour > 24 || (hour == 24 && minute > 0) {
        return Err("0:00〜24:00の時刻を入力してください。");
    }
    let min = hour * 60 + minute;
    Ok(if min >= END_OF_DAY - 1 {
        END_OF_DAY
    } else {
        min
    })
}

/// The form field's value for a stored `until`: blank for the end of the day.
pub fn until_for_form(until: u16) -> String {
    if until >= END_OF_DAY {
        String::new()
    } else {
        clock(until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    const THREE_DAYS: Cutoff = Cutoff::DaysBefore {
        days: 3,
        until: END_OF_DAY,
    };
    const EVE_17: Cutoff = Cutoff::DaysBefore {
        days: 1,
        until: 17 * 60,
    };

    #[test]
    fn three_days_before_is_through_the_end_of_that_day() {
        // Seed 003: booked for 5 May, cancellable through 2 May 23:59, not from 3 May 00:00.
        let visit = datetime!(2027-05-05 10:00);
        assert_eq!(THREE_DAYS.closes_at(visit), datetime!(2027-05-03 00:00));
        assert!(THREE_DAYS.is_open(visit, datetime!(2027-05-02 23:59:59)));
        assert!(!THREE_DAYS.is_open(visit, datetime!(2027-05-03 00:00)));
        assert_eq!(
            THREE_DAYS.shown_deadline(visit),
            datetime!(2027-05-02 23:59)
        );
    }

    #[test]
    fn the_day_does_not_depend_on_the_visits_time() {
        for visit in [datetime!(2027-05-05 00:00), datetime!(2027-05-05 23:30)] {
            assert_eq!(THREE_DAYS.closes_at(visit), datetime!(2027-05-03 00:00));
        }
    }

    #[test]
    fn the_evening_before_at_five() {
        let visit = datetime!(2026-12-02 08:30);
        assert_eq!(EVE_17.closes_at(visit), datetime!(2026-12-01 17:00));
        assert!(EVE_17.is_open(visit, datetime!(2026-12-01 16:59:59)));
        assert!(!EVE_17.is_open(visit, datetime!(2026-12-01 17:00)));
        assert_eq!(EVE_17.shown_deadline(visit), datetime!(2026-12-01 17:00));
    }

    #[test]
    fn days_before_crosses_month_and_year_ends() {
        assert_eq!(
            THREE_DAYS.closes_at(datetime!(2027-01-02 09:00)),
            datetime!(2026-12-31 00:00)
        );
        assert_eq!(
            THREE_DAYS.shown_deadline(datetime!(2027-01-02 09:00)),
            datetime!(2026-12-30 23:59)
        );
        assert_eq!(
            EVE_17.closes_at(datetime!(2027-01-01 09:00)),
            datetime!(2026-12-31 17:00)
        );
        assert_eq!(
            EVE_17.closes_at(datetime!(2026-03-01 09:00)),
            datetime!(2026-02-28 17:00)
        );
        // 2028 is a leap year.
        assert_eq!(
            EVE_17.closes_at(datetime!(2028-03-01 09:00)),
            datetime!(2028-02-29 17:00)
        );
        assert_eq!(
            THREE_DAYS.shown_deadline(datetime!(2026-12-01 09:00)),
            datetime!(2026-11-28 23:59)
        );
    }

    #[test]
    fn zero_days_is_the_same_day_until_the_time() {
        let noon = Cutoff::DaysBefore {
            days: 0,
            until: 12 * 60,
        };
        let afternoon = datetime!(2026-12-02 15:00);
        assert_eq!(noon.closes_at(afternoon), datetime!(2026-12-02 12:00));
        assert!(noon.is_open(afternoon, datetime!(2026-12-02 11:59)));
        assert!(!noon.is_open(afternoon, datetime!(2026-12-02 12:00)));
        // A morning visit closes at its own start, before the noon the rule names.
        let morning = datetime!(2026-12-02 09:00);
        assert_eq!(noon.closes_at(morning), morning);
        assert_eq!(noon.shown_deadline(morning), morning);
    }

    #[test]
    fn zero_days_to_the_end_of_the_day_is_until_the_visit() {
        let c = Cutoff::DaysBefore {
            days: 0,
            until: END_OF_DAY,
        };
        let visit = datetime!(2026-12-02 09:00);
        assert_eq!(c.closes_at(visit), visit);
        assert_eq!(c.shown_deadline(visit), visit);
        assert_eq!(c.describe_ja(), "予約日時まで");
        assert_eq!(c.describe_en(), "until the booked time");
    }

    #[test]
    fn midnight_edges() {
        // "The day before until 00:00" is the start of the day before.
        let c = Cutoff::DaysBefore { days: 1, until: 0 };
        let visit = datetime!(2026-12-02 09:00);
        assert_eq!(c.closes_at(visit), datetime!(2026-12-01 00:00));
        // Written as the end of the day before that: the same moment, the day people read.
        assert_eq!(c.shown_deadline(visit), datetime!(2026-11-30 23:59));
        // A visit at 00:00 with the end of the day before: closes at the visit itself.
        let midnight_visit = datetime!(2026-12-02 00:00);
        let eve = Cutoff::DaysBefore {
            days: 1,
            until: END_OF_DAY,
        };
        assert_eq!(eve.closes_at(midnight_visit), midnight_visit);
        assert!(eve.is_open(midnight_visit, datetime!(2026-12-01 23:59:59)));
        assert!(!eve.is_open(midnight_visit, midnight_visit));
        // The visit's own start is shown as it is, not as a minute before.
        assert_eq!(eve.shown_deadline(midnight_visit), midnight_visit);
        // Same day until 00:00: closed from the start of the visit's day.
        let c = Cutoff::DaysBefore { days: 0, until: 0 };
        assert_eq!(c.closes_at(visit), datetime!(2026-12-02 00:00));
    }

    #[test]
    fn hours_before_keeps_what_the_hours_column_meant() {
        let visit = datetime!(2026-12-02 09:30);
        let day = Cutoff::hours_before(24);
        assert_eq!(day.closes_at(visit), datetime!(2026-12-01 09:30));
        assert!(day.is_open(visit, datetime!(2026-12-01 09:29:59)));
        assert!(!day.is_open(visit, datetime!(2026-12-01 09:30)));
        assert_eq!(Cutoff::hours_before(-5), Cutoff::MinutesBefore(0));
        assert_eq!(Cutoff::hours_before(0).closes_at(visit), visit);
        assert_eq!(
            Cutoff::hours_before(1).closes_at(datetime!(2027-01-01 00:30)),
            datetime!(2026-12-31 23:30)
        );
        // Hours are shown as the moment itself, midnight included.
        assert_eq!(
            Cutoff::hours_before(9).shown_deadline(datetime!(2026-12-02 09:00)),
            datetime!(2026-12-02 00:00)
        );
    }

    #[test]
    fn minutes_before_keeps_what_the_minutes_column_meant() {
        let visit = datetime!(2026-12-01 10:00);
        let hour = Cutoff::minutes_before(60);
        assert!(hour.is_open(visit, datetime!(2026-12-01 08:59:59)));
        assert!(!hour.is_open(visit, datetime!(2026-12-01 09:00)));
        // Read as the booking cut-off, 09:00 itself still counts.
        assert!(hour.is_open_through(visit, datetime!(2026-12-01 09:00)));
        assert!(!hour.is_open_through(visit, datetime!(2026-12-01 09:00:01)));
        assert_eq!(Cutoff::minutes_before(-30), Cutoff::MinutesBefore(0));
    }

    #[test]
    fn stored_columns_map_to_the_forms() {
        assert_eq!(Cutoff::from_columns(60, None, 0), Cutoff::MinutesBefore(60));
        assert_eq!(Cutoff::from_columns(60, Some(3), 1440), THREE_DAYS);
        assert_eq!(Cutoff::from_columns(0, Some(1), 1020), EVE_17);
        // Corrupted values are clamped, never panicking or reaching into other days.
        assert_eq!(
            Cutoff::from_columns(0, Some(-4), 9999),
            Cutoff::DaysBefore {
                days: 0,
                until: END_OF_DAY
            }
        );
        assert_eq!(
            Cutoff::from_columns(0, Some(100_000), -3),
            Cutoff::DaysBefore {
                days: MAX_DAYS,
                until: 0
            }
        );
    }

    #[test]
    fn describes_in_japanese() {
        assert_eq!(Cutoff::MinutesBefore(0).describe_ja(), "予約日時まで");
        assert_eq!(
            Cutoff::hours_before(24).describe_ja(),
            "予約日時の24時間前まで"
        );
        // 72 hours stays in hours: 「3日前まで」 is the days form, which means another moment.
        assert_eq!(
            Cutoff::hours_before(72).describe_ja(),
            "予約日時の72時間前まで"
        );
        assert_eq!(
            Cutoff::minutes_before(30).describe_ja(),
            "予約日時の30分前まで"
        );
        assert_eq!(
            Cutoff::minutes_before(90).describe_ja(),
            "予約日時の1時間30分前まで"
        );
        assert_eq!(THREE_DAYS.describe_ja(), "予約日の3日前まで");
        assert_eq!(EVE_17.describe_ja(), "予約日前日の17:00まで");
        assert_eq!(
            Cutoff::DaysBefore {
                days: 1,
                until: END_OF_DAY
            }
            .describe_ja(),
            "予約日の前日まで"
        );
        assert_eq!(
            Cutoff::DaysBefore {
                days: 3,
                until: 9 * 60 + 5
            }
            .describe_ja(),
            "予約日の3日前の09:05まで"
        );
        assert_eq!(
            Cutoff::DaysBefore {
                days: 0,
                until: 12 * 60
            }
            .describe_ja(),
            "予約日当日の12:00まで"
        );
        assert_eq!(
            Cutoff::DaysBefore { days: 2, until: 0 }.describe_ja(),
            "予約日の2日前の00:00まで"
        );
    }

    #[test]
    fn describes_in_english() {
        assert_eq!(
            Cutoff::MinutesBefore(0).describe_en(),
            "until the booked time"
        );
        assert_eq!(
            Cutoff::hours_before(24).describe_en(),
            "until 24 hours before the booked time"
        );
        assert_eq!(
            Cutoff::hours_before(1).describe_en(),
            "until 1 hour before the booked time"
        );
        assert_eq!(
            Cutoff::minutes_before(1).describe_en(),
            "until 1 minute before the booked time"
        );
        assert_eq!(
            Cutoff::minutes_before(150).describe_en(),
            "until 2 hours 30 minutes before the booked time"
        );
        assert_eq!(
            THREE_DAYS.describe_en(),
            "until the end of the day 3 days before the booked day"
        );
        assert_eq!(
            EVE_17.describe_en(),
            "until 17:00 the day before the booked day"
        );
        assert_eq!(
            Cutoff::DaysBefore {
                days: 3,
                until: 600
            }
            .describe_en(),
            "until 10:00, 3 days before the booked day"
        );
        assert_eq!(
            Cutoff::DaysBefore {
                days: 0,
                until: 600
            }
            .describe_en(),
            "until 10:00 on the booked day"
        );
    }

    #[test]
    fn parses_clock_times_as_typed() {
        assert_eq!(parse_until("17:00"), Ok(1020));
        assert_eq!(parse_until(" １７：３０ "), Ok(1050));
        assert_eq!(parse_until("17時"), Ok(1020));
        assert_eq!(parse_until("17時30分"), Ok(1050));
        assert_eq!(parse_until("17時半"), Ok(1050));
        assert_eq!(parse_until("9:05"), Ok(545));
        assert_eq!(parse_until("0930"), Ok(570));
        assert_eq!(parse_until("17"), Ok(1020));
        assert_eq!(parse_until("17:00まで"), Ok(1020));
        assert_eq!(parse_until("0:00"), Ok(0));
    }

    #[test]
    fn blank_and_the_last_minute_mean_the_end_of_the_day() {
        assert_eq!(parse_until(""), Ok(END_OF_DAY));
        assert_eq!(parse_until("  "), Ok(END_OF_DAY));
        assert_eq!(parse_until("23:59"), Ok(END_OF_DAY));
        assert_eq!(parse_until("24:00"), Ok(END_OF_DAY));
        assert_eq!(parse_until("23:58"), Ok(23 * 60 + 58));
        assert_eq!(until_for_form(END_OF_DAY), "");
        assert_eq!(until_for_form(1020), "17:00");
        assert_eq!(until_for_form(0), "00:00");
    }

    #[test]
    fn refuses_what_is_not_a_time() {
        for bad in [
            "25:00", "24:30", "17:60", "夕方", "17:0a", "-1", "1:2:3", "123:00",
        ] {
            assert!(parse_until(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn never_closes_after_the_visit_starts(
            days in 0u16..=MAX_DAYS,
            until in 0u16..=END_OF_DAY,
            minutes in 0u32..=MAX_MINUTES,
            visit_min in 0i64..(60 * 24 * 365 * 3),
        ) {
            let visit = datetime!(2026-01-01 00:00) + Duration::minutes(visit_min);
            for c in [Cutoff::DaysBefore { days, until }, Cutoff::MinutesBefore(minutes)] {
                let closes = c.closes_at(visit);
                prop_assert!(closes <= visit);
                prop_assert!(!c.is_open(visit, closes));
                prop_assert!(c.is_open(visit, closes - Duration::seconds(1)) || closes == visit);
                prop_assert!(c.shown_deadline(visit) <= closes);
                prop_assert!(closes - c.shown_deadline(visit) <= Duration::minutes(1));
            }
        }

        #[test]
        fn hours_form_is_open_exactly_until_the_deadline(
            visit_secs in 0i64..4_000_000_000,
            hours in 0i32..24 * 14,
            now_offset in -2_000_000i64..2_000_000,
        ) {
            let visit = crate::core::deadline::jst_from_unix(visit_secs);
            let now = crate::core::deadline::jst_from_unix(visit_secs - i64::from(hours) * 3_600 + now_offset);
            let c = Cutoff::hours_before(hours);
            prop_assert_eq!(c.is_open(visit, now), now_offset < 0);
            prop_assert_eq!(c.is_open_through(visit, now), now_offset <= 0);
        }

        #[test]
        fn days_form_closes_on_the_named_day(
            days in 1u16..=MAX_DAYS,
            until in 0u16..END_OF_DAY,
            visit_min in 0i64..(60 * 24 * 365 * 3),
        ) {
            let visit = datetime!(2026-01-01 00:00) + Duration::minutes(visit_min);
            let closes = Cutoff::DaysBefore { days, until }.closes_at(visit);
            prop_assert_eq!(closes.date(), visit.date() - Duration::days(i64::from(days)));
            prop_assert_eq!(i64::from(closes.hour()) * 60 + i64::from(closes.minute()), i64::from(until));
        }
    }
}
