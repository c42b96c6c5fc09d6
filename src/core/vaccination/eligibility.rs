//! What a dose interval means for one ticket: from which day its dose may be booked, whether
//! a given day may be booked and if not why (「接種可能な期間を経過していない」 in the sense
//! of seed 000, or the previous dose's date unknown: ask the call centre), and the days
//! offered to 「2件目」, the second dose booked right after the first.

use time::Date;

use crate::core::vaccination::dose::DoseNumber;
use crate::core::vaccination::interval::IntervalRules;
use crate::i18n::{Lang, date_with_weekday};

/// From which day a dose may be booked, for one ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eligibility {
    /// Any day: dose 1, or a dose whose rule and previous day are both unknown.
    AnyDay,
    /// From this day on.
    From(Date),
    /// The rule needs the previous dose's date and nobody knows it: the resident must call
    /// the call centre (予約相談センター) to have it recorded.
    PreviousDoseUnknown,
}

/// Why a day cannot be booked for this dose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayRefusal {
    /// Not in the municipality's booking window (past, or beyond the last bookable day): a
    /// hand-edited URL or a page left open overnight.
    OutsideWindow,
    /// 「接種可能な期間を経過していない」: the interval has not passed on that day.
    TooEarly { first_allowed: Date },
    /// The previous dose's date is needed and not known.
    PreviousDoseUnknown,
    /// Moving a booking to this day would leave the next dose's booking too early for its
    /// interval (編集 of 1回目 with 2回目 booked): `last_allowed` is the last day that keeps it.
    TooLateForNext { last_allowed: Date },
}

impl DayRefusal {
    /// The sentence for the page. For [`DayRefusal::PreviousDoseUnknown`] the page shows the
    /// municipality's call centre (name, phone, 受付時間) right after it.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (DayRefusal::OutsideWindow, Lang::Ja) => {
                "この日は予約を受け付けていません。カレンダーから日を選んでください。".to_string()
            }
            (DayRefusal::OutsideWindow, Lang::En) => {
                "Bookings are not taken for this day. Please choose a day from the calendar."
                    .to_string()
            }
            (DayRefusal::TooEarly { first_allowed }, Lang::Ja) => format!(
                "この日は前回の接種から接種可能な期間を経過していないため、予約できません。{}以降の日を選んでください。",
                date_with_weekday(lang, *first_allowed)
            ),
            (DayRefusal::TooEarly { first_allowed }, Lang::En) => format!(
                "This day cannot be booked: not enough time will have passed since the previous dose. Please choose {} or later.",
                date_with_weekday(lang, *first_allowed)
            ),
            (DayRefusal::PreviousDoseUnknown, Lang::Ja) => {
                "前回の接種日が登録されていないため、予約できる日を確認できません。お手数ですが、予約相談センターにお問い合わせください。".to_string()
            }
            (DayRefusal::PreviousDoseUnknown, Lang::En) => {
                "The date of your previous dose is not on record, so the days you may book cannot be worked out. Please call the booking help centre.".to_string()
            }
            (DayRefusal::TooLateForNext { last_allowed }, Lang::Ja) => format!(
                "この日に変更すると、次の回の予約日までの接種間隔が足りなくなるため、変更できません。{}以前の日を選んでください。",
                date_with_weekday(lang, *last_allowed)
            ),
            (DayRefusal::TooLateForNext { last_allowed }, Lang::En) => format!(
                "This day cannot be chosen: the next dose's booking would then come too soon after it. Please choose {} or earlier.",
                date_with_weekday(lang, *last_allowed)
            ),
        }
    }
}

impl DayRefusal {
    /// The sentence when no day at all can be offered (an error of [`Eligibility::within`]),
    /// in place of the calendar: 「…まだ予約できません。2027年5月1日(土)から予約できます。」
    pub fn no_days_message(&self, lang: Lang) -> String {
        match (self, lang) {
            (DayRefusal::OutsideWindow, Lang::Ja) => {
                "現在、予約を受け付けている日はありません。".to_string()
            }
            (DayRefusal::OutsideWindow, Lang::En) => {
                "No days are open for booking at the moment.".to_string()
            }
            (DayRefusal::TooEarly { first_allowed }, Lang::Ja) => format!(
                "前回の接種から接種可能な期間を経過していないため、まだ予約できません。{}から予約できます。",
                date_with_weekday(lang, *first_allowed)
            ),
            (DayRefusal::TooEarly { first_allowed }, Lang::En) => format!(
                "Not enough time has passed since the previous dose to book yet. You can book days from {}.",
                date_with_weekday(lang, *first_allowed)
            ),
            (DayRefusal::PreviousDoseUnknown, _) => self.message(lang),
            (DayRefusal::TooLateForNext { .. }, Lang::Ja) => {
                "次の回の予約との接種間隔を保てる日が受付期間内にないため、変更できません。次の回の予約を先にキャンセルするか、予約相談センターにお問い合わせください。".to_string()
            }
            (DayRefusal::TooLateForNext { .. }, Lang::En) => {
                "No day open for booking keeps the interval to your next dose's booking, so this booking cannot be moved. Cancel the next dose's booking first, or call the booking help centre.".to_string()
            }
        }
    }
}

/// The day the interval counts from: the previous dose as recorded on the ticket, or the
/// day of the previous dose's booking (dose 2 booked right after dose 1, 「2件目」). With
/// both, the later: never let a dose be booked too early on inconsistent data.
pub fn interval_base(recorded: Option<Date>, booked: Option<Date>) -> Option<Date> {
    recorded.max(booked)
}

/// From which day `dose` may be booked, when the previous dose was (or is booked) on
/// `previous` (see [`interval_base`]).
pub fn eligibility(rules: &IntervalRules, dose: DoseNumber, previous: Option<Date>) -> Eligibility {
    if dose == DoseNumber::FIRST {
        return Eligibility::AnyDay;
    }
    match (rules.interval_for(dose), previous) {
        (Some(interval), Some(from)) => Eligibility::From(interval.first_allowed_day(from)),
        (Some(_), None) => Eligibility::PreviousDoseUnknown,
        // No rule: only "after the previous dose's day".
        (None, Some(from)) => Eligibility::From(from.next_day().unwrap_or(Date::MAX)),
        (None, None) => Eligibility::AnyDay,
    }
}

/// 「2件目」: having just booked `booked` on `day`, the next dose of the series and from
/// which day it may be booked; `None` when the booked dose has no next one in the session
/// (see [`DoseNumber::next_in_series`]).
pub fn next_booking(
    rules: &IntervalRules,
    booked: DoseNumber,
    day: Date,
) -> Option<(DoseNumber, Eligibility)> {
    let next = booked.next_in_series()?;
    Some((next, eligibility(rules, next, Some(day))))
}

impl Eligibility {
    /// The first allowed day, if there is a bound and it is known.
    pub fn first_allowed(&self) -> Option<Date> {
        match self {
            Eligibility::From(day) => Some(*day),
            Eligibility::AnyDay | Eligibility::PreviousDoseUnknown => None,
        }
    }

    /// Whether `day` may be booked, and if not why.
    pub fn check(&self, day: Date) -> Result<(), DayRefusal> {
        match self {
            Eligibility::AnyDay => Ok(()),
            Eligibility::From(first_allowed) if day >= *first_allowed => Ok(()),
            Eligibility::From(first_allowed) => Err(DayRefusal::TooEarly {
                first_allowed: *first_allowed,
            }),
            Eligibility::PreviousDoseUnknown => Err(DayRefusal::PreviousDoseUnknown),
        }
    }

    /// Whether `day` may be booked within the booking window `window_first..=window_last`,
    /// and if not why: outside the window first (a past day is not "too early"), then the
    /// interval.
    pub fn check_in_window(
        &self,
        day: Date,
        window_first: Date,
        window_last: Date,
    ) -> Result<(), DayRefusal> {
        if day < window_first || day > window_last {
            return Err(DayRefusal::OutsideWindow);
        }
        self.check(day)
    }

    /// The days of the booking window `window_first..=window_last` this dose may be booked
    /// on, or why there are none: the calendar pages over this range
    /// (`month_calendar::month_paging`). An interval that ends after the window does gives
    /// `TooEarly` with its first allowed day, so the page can say when to come back.
    pub fn within(
        &self,
        window_first: Date,
        window_last: Date,
    ) -> Result<(Date, Date), DayRefusal> {
        let first = match self {
            Eligibility::AnyDay => window_first,
            Eligibility::From(day) if *day > window_last => {
                return Err(DayRefusal::TooEarly {
                    first_allowed: *day,
                });
            }
            Eligibility::From(day) => window_first.max(*day),
            Eligibility::PreviousDoseUnknown => return Err(DayRefusal::PreviousDoseUnknown),
        };
        if first > window_last {
            return Err(DayRefusal::OutsideWindow);
        }
        Ok((first, window_last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::vaccination::interval::Interval;
    use proptest::prelude::*;
    use time::Duration;
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
    fn eligibility_of_each_kind_of_ticket() {
        let r = rules();
        let d = date!(2027 - 01 - 01);
        assert_eq!(eligibility(&r, dose(1), None), Eligibility::AnyDay);
        assert_eq!(eligibility(&r, dose(1), Some(d)), Eligibility::AnyDay);
        assert_eq!(
            eligibility(&r, dose(2), Some(d)),
            Eligibility::From(date!(2027 - 01 - 22))
        );
        assert_eq!(
            eligibility(&r, dose(4), Some(d)),
            Eligibility::From(date!(2027 - 06 - 01))
        );
        assert_eq!(
            eligibility(&r, dose(3), None),
            Eligibility::PreviousDoseUnknown
        );
        let none = IntervalRules::none();
        assert_eq!(
            eligibility(&none, dose(2), Some(d)),
            Eligibility::From(date!(2027 - 01 - 02))
        );
        assert_eq!(eligibility(&none, dose(2), None), Eligibility::AnyDay);
    }

    #[test]
    fn interval_base_takes_the_later_day() {
        let (a, b) = (date!(2027 - 01 - 01), date!(2027 - 01 - 08));
        assert_eq!(interval_base(None, None), None);
        assert_eq!(interval_base(Some(a), None), Some(a));
        assert_eq!(interval_base(None, Some(b)), Some(b));
        assert_eq!(interval_base(Some(a), Some(b)), Some(b));
        assert_eq!(interval_base(Some(b), Some(a)), Some(b));
    }

    #[test]
    fn a_day_before_the_interval_is_too_early_and_says_from_when() {
        let e = eligibility(&rules(), dose(2), Some(date!(2027 - 01 - 01)));
        assert_eq!(
            e.check(date!(2027 - 01 - 21)),
            Err(DayRefusal::TooEarly {
                first_allowed: date!(2027 - 01 - 22)
            })
        );
        assert_eq!(e.check(date!(2027 - 01 - 22)), Ok(()));
        assert_eq!(e.check(date!(2027 - 05 - 01)), Ok(()));
        assert_eq!(e.first_allowed(), Some(date!(2027 - 01 - 22)));
        assert_eq!(Eligibility::AnyDay.check(Date::MIN), Ok(()));
        assert_eq!(
            Eligibility::PreviousDoseUnknown.check(date!(2027 - 01 - 22)),
            Err(DayRefusal::PreviousDoseUnknown)
        );
        assert_eq!(Eligibility::PreviousDoseUnknown.first_allowed(), None);
    }

    #[test]
    fn outside_the_window_comes_before_the_interval() {
        let e = Eligibility::From(date!(2027 - 01 - 22));
        let (first, last) = (date!(2027 - 01 - 10), date!(2027 - 03 - 10));
        assert_eq!(
            e.check_in_window(date!(2027 - 01 - 05), first, last),
            Err(DayRefusal::OutsideWindow)
        );
        assert_eq!(
            e.check_in_window(date!(2027 - 03 - 11), first, last),
            Err(DayRefusal::OutsideWindow)
        );
        assert_eq!(
            e.check_in_window(date!(2027 - 01 - 15), first, last),
            Err(DayRefusal::TooEarly {
                first_allowed: date!(2027 - 01 - 22)
            })
        );
        assert_eq!(
            e.check_in_window(date!(2027 - 03 - 10), first, last),
            Ok(())
        );
    }

    #[test]
    fn the_bookable_range_is_the_window_cut_by_the_interval() {
        let (first, last) = (date!(2027 - 01 - 10), date!(2027 - 03 - 10));
        assert_eq!(Eligibility::AnyDay.within(first, last), Ok((first, last)));
        assert_eq!(
            Eligibility::From(date!(2027 - 02 - 01)).within(first, last),
            Ok((date!(2027 - 02 - 01), last))
        );
        assert_eq!(
            Eligibility::From(date!(2027 - 01 - 01)).within(first, last),
            Ok((first, last))
        );
        assert_eq!(
            Eligibility::From(last).within(first, last),
            Ok((last, last))
        );
        assert_eq!(
            Eligibility::From(date!(2027 - 03 - 11)).within(first, last),
            Err(DayRefusal::TooEarly {
                first_allowed: date!(2027 - 03 - 11)
            })
        );
        assert_eq!(
            Eligibility::PreviousDoseUnknown.within(first, last),
            Err(DayRefusal::PreviousDoseUnknown)
        );
        assert_eq!(
            Eligibility::AnyDay.within(last, first),
            Err(DayRefusal::OutsideWindow)
        );
    }

    #[test]
    fn second_booking_after_the_first() {
        let r = rules();
        let booked = date!(2027 - 01 - 08);
        assert_eq!(
            next_booking(&r, dose(1), booked),
            Some((dose(2), Eligibility::From(date!(2027 - 01 - 29))))
        );
        assert_eq!(next_booking(&r, dose(2), booked), None);
        assert_eq!(next_booking(&r, dose(3), booked), None);
        assert_eq!(
            next_booking(&IntervalRules::none(), dose(1), booked),
            Some((dose(2), Eligibility::From(date!(2027 - 01 - 09))))
        );
        // Moving dose 1 later can make a booked dose 2 too early: the same check says so.
        let (_, moved) = next_booking(&r, dose(1), date!(2027 - 01 - 15)).unwrap();
        assert_eq!(
            moved.check(date!(2027 - 01 - 29)),
            Err(DayRefusal::TooEarly {
                first_allowed: date!(2027 - 02 - 05)
            })
        );
    }

    fn has_kana(s: &str) -> bool {
        s.chars().any(|c| ('\u{3041}'..='\u{30FF}').contains(&c))
    }

    #[test]
    fn refusals_in_both_languages() {
        let too_early = DayRefusal::TooEarly {
            first_allowed: date!(2027 - 01 - 22),
        };
        assert_eq!(
            too_early.message(Lang::Ja),
            "この日は前回の接種から接種可能な期間を経過していないため、予約できません。2027年1月22日(金)以降の日を選んでください。"
        );
        assert_eq!(
            too_early.message(Lang::En),
            "This day cannot be booked: not enough time will have passed since the previous dose. Please choose January 22, 2027 (Fri) or later."
        );
        for r in [
            too_early,
            DayRefusal::PreviousDoseUnknown,
            DayRefusal::OutsideWindow,
        ] {
            assert!(has_kana(&r.message(Lang::Ja)), "{r:?}");
            assert!(!has_kana(&r.message(Lang::En)), "{r:?}");
        }
        assert!(
            DayRefusal::PreviousDoseUnknown
                .message(Lang::Ja)
                .contains("予約相談センター")
        );
        assert_eq!(
            too_early.no_days_message(Lang::Ja),
            "前回の接種から接種可能な期間を経過していないため、まだ予約できません。2027年1月22日(金)から予約できます。"
        );
        assert_eq!(
            too_early.no_days_message(Lang::En),
            "Not enough time has passed since the previous dose to book yet. You can book days from January 22, 2027 (Fri)."
        );
        for r in [
            too_early,
            DayRefusal::PreviousDoseUnknown,
            DayRefusal::OutsideWindow,
        ] {
            assert!(has_kana(&r.no_days_message(Lang::Ja)), "{r:?}");
            assert!(!has_kana(&r.no_days_message(Lang::En)), "{r:?}");
        }
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (2_415_021i32..2_524_594).prop_map(|jd| Date::from_julian_day(jd).unwrap())
    }

    fn any_interval() -> impl Strategy<Value = Interval> {
        prop_oneof![
            (0u16..400).prop_map(Interval::Days),
            (0u16..30).prop_map(Interval::Months)
        ]
    }

    proptest! {
        #[test]
        fn check_and_within_agree(
            from in any_date(),
            interval in any_interval(),
            window_first in any_date(),
            span in 0i64..400,
            probe in 0i64..800,
        ) {
            let r = IntervalRules::new(vec![(DoseNumber::SECOND, interval)]).unwrap();
            let e = eligibility(&r, DoseNumber::SECOND, Some(from));
            let window_last = window_first + Duration::days(span);
            let day = window_first + Duration::days(probe - 200);
            let allowed = e.check_in_window(day, window_first, window_last).is_ok();
            match e.within(window_first, window_last) {
                Ok((first, last)) => prop_assert_eq!(allowed, day >= first && day <= last),
                Err(_) => prop_assert!(!allowed),
            }
        }
    }
}
