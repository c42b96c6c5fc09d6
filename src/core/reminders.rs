//! Reminders (issue 13; seed 003's 予約日前日のお知らせ): each service has a list of
//! moments, "N days before the visit at HH:MM" (the day before at 12:00 to begin with).
//! Which bookings a reminder is due for is decided here, without a clock or a database: the
//! job passes the present moment in and queues what this says.
//!
//! A booking gets a reminder when its moment has come, the visit has not begun, and the
//! booking already had its present time at that moment. A booking made (or moved) after the
//! moment gets none: its completion or change mail has just said everything a reminder
//! would.
use time::{Date, Duration, PrimitiveDateTime};

/// The most days before a visit a reminder may go out: the booking window is weeks, and a
/// reminder a month ahead reminds nobody of anything.
pub const MAX_DAYS_BEFORE: i32 = 14;

/// One moment of a service's reminder list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReminderTime {
    /// Days before the visit's day: 0 is the day itself, 1 the day before.
    pub days_before: i32,
    /// Minutes after midnight (JST) of that day.
    pub at_min: i32,
}

impl ReminderTime {
    /// The seed's reminder: the day before at 12:00.
    pub const DEFAULT: ReminderTime = ReminderTime {
        days_before: 1,
        at_min: 12 * 60,
    };

    /// When the reminder of a visit on `visit_day` is due (JST).
    pub fn due_at(self, visit_day: Date) -> PrimitiveDateTime {
        visit_day
            .midnight()
            .saturating_sub(Duration::days(i64::from(self.days_before)))
            .saturating_add(Duration::minutes(i64::from(self.at_min)))
    }

    /// The last visit day whose reminder is due by `now`: every visit from today up to this
    /// day may be due (a visit on a later day is not yet). Lets the job read only the days
    /// that can be due instead of the whole booking window.
    pub fn last_due_day(self, now: PrimitiveDateTime) -> Date {
        let shifted = now.saturating_sub(Duration::minutes(i64::from(self.at_min)));
        shifted
            .date()
            .saturating_add(Duration::days(i64::from(self.days_before)))
    }

    /// Whether a booking for a visit starting at `visit_start`, which got that time at
    /// `timed_at`, is due this reminder at `now`.
    pub fn is_due(
        self,
        visit_start: PrimitiveDateTime,
        timed_at: PrimitiveDateTime,
        now: PrimitiveDateTime,
    ) -> bool {
        let due = self.due_at(visit_start.date());
        due <= now && now < visit_start && timed_at < due
    }
}

/// Why a reminder time typed in the console was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeProblem {
    /// Not a whole number from 0 to [`MAX_DAYS_BEFORE`].
    DaysBefore,
    /// Not a time of day as HH:MM.
    AtTime,
}

/// Reads the console's form: days before (「1」) and the time (「12:00」, also 「12:00」 in
/// full-width digits or 「9:30」).
pub fn parse(days_before: &str, at: &str) -> Result<ReminderTime, Vec<TimeProblem>> {
    let days = crate::core::resident_input::fold_digits(days_before);
    let mut problems = Vec::new();
    let days_before = match days.parse::<i32>() {
        Ok(d) if (0..=MAX_DAYS_BEFORE).contains(&d) => Some(d),
        _ => {
            problems.push(TimeProblem::DaysBefore);
            None
        }
    };
    let at_min = parse_hhmm(at);
    if at_min.is_none() {
        problems.push(TimeProblem::AtTime);
    }
    match (days_before, at_min) {
        (Some(days_before), Some(at_min)) => Ok(ReminderTime {
            days_before,
            at_min,
        }),
        _ => Err(problems),
    }
}

/// 「12:00」 → 720; None unless it is HH:MM (or H:MM) of a real time of day.
pub fn parse_hhmm(text: &str) -> Option<i32> {
    let text = crate::core::resident_input::fold_digits(text);
    let (h, m) = text.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

impl ReminderTime {
    /// How the console and the audit log say it: 「前日 12:00」, 「当日 08:00」, 「3日前 09:30」.
    pub fn describe_ja(self) -> String {
        let day = match self.days_before {
            0 => "当日".to_string(),
            1 => "前日".to_string(),
            n => format!("{n}日前"),
        };
        format!("{day} {}", format_hhmm(self.at_min))
    }
}

/// 720 → 「12:00」.
pub fn format_hhmm(at_min: i32) -> String {
    format!("{:02}:{:02}", at_min / 60, at_min % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    const DAY_BEFORE_NOON: ReminderTime = ReminderTime::DEFAULT;

    #[test]
    fn a_reminder_time_is_said_as_the_console_shows_it() {
        assert_eq!(DAY_BEFORE_NOON.describe_ja(), "前日 12:00");
        let same_day = ReminderTime {
            days_before: 0,
            at_min: 8 * 60 + 5,
        };
        assert_eq!(same_day.describe_ja(), "当日 08:05");
        let three_days = ReminderTime {
            days_before: 3,
            at_min: 9 * 60 + 30,
        };
        assert_eq!(three_days.describe_ja(), "3日前 09:30");
    }

    #[test]
    fn the_day_before_at_noon_is_due_at_noon_the_day_before() {
        assert_eq!(
            DAY_BEFORE_NOON.due_at(date!(2026 - 12 - 08)),
            datetime!(2026-12-07 12:00)
        );
        let same_day = ReminderTime {
            days_before: 0,
            at_min: 8 * 60,
        };
        assert_eq!(
            same_day.due_at(date!(2026 - 12 - 08)),
            datetime!(2026-12-08 08:00)
        );
        // Across a month and a year.
        let week = ReminderTime {
            days_before: 7,
            at_min: 9 * 60 + 30,
        };
        assert_eq!(
            week.due_at(date!(2027 - 01 - 03)),
            datetime!(2026-12-27 09:30)
        );
    }

    #[test]
    fn a_reminder_is_due_from_its_moment_until_the_visit_begins() {
        let visit = datetime!(2026-12-08 10:00);
        let booked = datetime!(2026-12-01 09:00);
        assert!(!DAY_BEFORE_NOON.is_due(visit, booked, datetime!(2026-12-07 11:59:59)));
        assert!(DAY_BEFORE_NOON.is_due(visit, booked, datetime!(2026-12-07 12:00)));
        // After a restart the next morning, still before the visit: sent late, not lost.
        assert!(DAY_BEFORE_NOON.is_due(visit, booked, datetime!(2026-12-08 09:59)));
        // Once the visit has begun it reminds of nothing.
        assert!(!DAY_BEFORE_NOON.is_due(visit, booked, datetime!(2026-12-08 10:00)));
    }

    #[test]
    fn a_booking_made_or_moved_after_the_moment_gets_none() {
        let visit = datetime!(2026-12-08 10:00);
        let now = datetime!(2026-12-07 18:00);
        assert!(DAY_BEFORE_NOON.is_due(visit, datetime!(2026-12-07 11:59), now));
        assert!(!DAY_BEFORE_NOON.is_due(visit, datetime!(2026-12-07 12:00), now));
        assert!(!DAY_BEFORE_NOON.is_due(visit, datetime!(2026-12-07 15:00), now));
    }

    #[test]
    fn a_same_day_reminder_after_the_visit_never_goes_out() {
        let late = ReminderTime {
            days_before: 0,
            at_min: 12 * 60,
        };
        let visit = datetime!(2026-12-08 10:00);
        for now in [datetime!(2026-12-08 09:00), datetime!(2026-12-08 13:00)] {
            assert!(!late.is_due(visit, datetime!(2026-12-01 09:00), now));
        }
    }

    #[test]
    fn the_last_due_day_bounds_the_days_to_read() {
        // Before noon only today's visits can be due (their reminder went out yesterday).
        assert_eq!(
            DAY_BEFORE_NOON.last_due_day(datetime!(2026-12-07 11:59)),
            date!(2026 - 12 - 07)
        );
        assert_eq!(
            DAY_BEFORE_NOON.last_due_day(datetime!(2026-12-07 12:00)),
            date!(2026 - 12 - 08)
        );
        // Every day up to it is due; the day after is not.
        for now in [
            datetime!(2026-12-07 00:00),
            datetime!(2026-12-07 11:59),
            datetime!(2026-12-07 12:00),
            datetime!(2026-12-07 23:59),
        ] {
            let last = DAY_BEFORE_NOON.last_due_day(now);
            assert!(DAY_BEFORE_NOON.due_at(last) <= now, "{now}");
            assert!(
                DAY_BEFORE_NOON.due_at(last.next_day().unwrap()) > now,
                "{now}"
            );
        }
    }

    #[test]
    fn the_console_form_reads_days_and_a_time_of_day() {
        assert_eq!(parse("1", "12:00"), Ok(DAY_BEFORE_NOON));
        assert_eq!(
            parse(" ０ ", "９：３０"),
            Ok(ReminderTime {
                days_before: 0,
                at_min: 570
            })
        );
        assert_eq!(parse("15", "12:00"), Err(vec![TimeProblem::DaysBefore]));
        assert_eq!(parse("-1", "12:00"), Err(vec![TimeProblem::DaysBefore]));
        assert_eq!(
            parse("", "24:00"),
            Err(vec![TimeProblem::DaysBefore, TimeProblem::AtTime])
        );
        for bad in ["", "12", "12:5", "12:60", "noon", "1200", "123:00", "-1:00"] {
            assert_eq!(parse_hhmm(bad), None, "{bad}");
        }
        assert_eq!(parse_hhmm("0:00"), Some(0));
        assert_eq!(parse_hhmm("23:59"), Some(1439));
        assert_eq!(format_hhmm(570), "09:30");
        assert_eq!(format_hhmm(parse_hhmm("9:30").unwrap()), "09:30");
    }
}
