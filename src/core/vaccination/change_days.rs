//! Moving a booked dose to another day or venue (編集, issue 12 resident step 8): the days it
//! may move to. From below, the interval the dose was booked under (from the ticket's
//! previous dose, or from the booked day of the dose before it in the series); from above,
//! the dose after it, when it is booked, must still keep its own interval from the new day
//! (seed 000: the next dose's day is counted from this one's). Moving 1回目 later than
//! 2回目 allows is refused with the last day that keeps it, rather than silently leaving
//! 2回目 too early.
use time::{Date, Duration};

use crate::core::vaccination::dose::DoseNumber;
use crate::core::vaccination::eligibility::{Eligibility, eligibility};
use crate::core::vaccination::interval::IntervalRules;

/// The days a booked dose may move to: `eligibility` from below and, when the next dose is
/// booked, no later than `latest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeDays {
    pub eligibility: Eligibility,
    pub latest: Option<Date>,
}

/// Far enough back that any stored interval (at most 3660 days or 120 months) is kept.
const SEARCH_BACK_DAYS: i64 = 4000;

/// The last day the dose before `next` may be on so that `next`, booked on `next_day`,
/// keeps its interval: the latest day `d` whose first allowed day for `next` is on or
/// before `next_day`. A month interval has no exact inverse (31 Aug + 6 months = 28 Feb,
/// and so is 28 Aug + 6 months), so this searches the days, which is exact for every rule
/// because the first allowed day never moves back as `d` moves on.
pub fn latest_before(rules: &IntervalRules, next: DoseNumber, next_day: Date) -> Date {
    let keeps = |d: Date| match eligibility(rules, next, Some(d)) {
        Eligibility::From(first) => first <= next_day,
        Eligibility::AnyDay => true,
        Eligibility::PreviousDoseUnknown => false,
    };
    let mut low = next_day
        .checked_sub(Duration::days(SEARCH_BACK_DAYS))
        .unwrap_or(Date::MIN);
    let mut high = next_day.previous_day().unwrap_or(Date::MIN);
    if !keeps(low) {
        return low;
    }
    // Invariant: keeps(low); the answer is in low..=high.
    while low < high {
        let span = (high - low).whole_days();
        let mid = low + Duration::days((span + 1) / 2);
        if keeps(mid) {
            low = mid;
        } else {
            high = mid.previous_day().unwrap_or(low);
        }
    }
    low
}

/// The days `dose` of a ticket for `ticket_dose` (previous dose recorded on
/// `previous_dose_on`) may move to, given the days of the ticket's standing bookings
/// (`booked`, the dose being moved among them).
pub fn change_days(
    rules: &IntervalRules,
    ticket_dose: DoseNumber,
    previous_dose_on: Option<Date>,
    booked: &[(DoseNumber, Date)],
    dose: DoseNumber,
) -> ChangeDays {
    let day_of = |d: DoseNumber| booked.iter().find(|(b, _)| *b == d).map(|(_, day)| *day);
    let from = if dose == ticket_dose {
        eligibility(rules, dose, previous_dose_on)
    } else {
        eligibility(rules, dose, dose.previous().and_then(day_of))
    };
    let latest = dose
        .next_in_series()
        .and_then(|next| day_of(next).map(|day| latest_before(rules, next, day)));
    ChangeDays {
        eligibility: from,
        latest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::vaccination::interval::Interval;
    use proptest::prelude::*;
    use time::macros::date;

    fn dose(n: u8) -> DoseNumber {
        DoseNumber::new(n).unwrap()
    }

    fn rules() -> IntervalRules {
        IntervalRules::new(vec![
            (dose(2), Interval::Days(21)),
            (dose(3), Interval::Months(5)),
        ])
        .unwrap()
    }

    #[test]
    fn dose_one_may_move_until_three_weeks_before_dose_two() {
        let booked = [
            (dose(1), date!(2027 - 05 - 10)),
            (dose(2), date!(2027 - 06 - 07)),
        ];
        let days = change_days(&rules(), dose(1), None, &booked, dose(1));
        assert_eq!(days.eligibility, Eligibility::AnyDay);
        // 17 May + 21 days = 7 June: still fine; 18 May would put 2回目 a day too early.
        assert_eq!(days.latest, Some(date!(2027 - 05 - 17)));
    }

    #[test]
    fn dose_one_alone_may_move_anywhere() {
        let booked = [(dose(1), date!(2027 - 05 - 10))];
        let days = change_days(&rules(), dose(1), None, &booked, dose(1));
        assert_eq!(days.eligibility, Eligibility::AnyDay);
        assert_eq!(days.latest, None);
    }

    #[test]
    fn dose_two_keeps_its_interval_from_the_booked_dose_one() {
        let booked = [
            (dose(1), date!(2027 - 05 - 10)),
            (dose(2), date!(2027 - 06 - 07)),
        ];
        let days = change_days(&rules(), dose(1), None, &booked, dose(2));
        assert_eq!(days.eligibility, Eligibility::From(date!(2027 - 05 - 31)));
        assert_eq!(days.latest, None);
    }

    #[test]
    fn dose_two_without_dose_one_booked_needs_the_call_centre() {
        // 1回目 was cancelled and 2回目 kept: nothing to count the interval from.
        let booked = [(dose(2), date!(2027 - 06 - 07))];
        let days = change_days(&rules(), dose(1), None, &booked, dose(2));
        assert_eq!(days.eligibility, Eligibility::PreviousDoseUnknown);
    }

    #[test]
    fn a_ticket_for_a_later_dose_counts_from_the_recorded_previous_dose() {
        let booked = [(dose(3), date!(2027 - 09 - 01))];
        let days = change_days(
            &rules(),
            dose(3),
            Some(date!(2027 - 03 - 31)),
            &booked,
            dose(3),
        );
        // 31 Mar + 5 months = 31 Aug; 3回目 has no next dose on this ticket.
        assert_eq!(days.eligibility, Eligibility::From(date!(2027 - 08 - 31)));
        assert_eq!(days.latest, None);
    }

    #[test]
    fn without_a_rule_for_dose_two_dose_one_must_only_stay_before_it() {
        let booked = [
            (dose(1), date!(2027 - 05 - 10)),
            (dose(2), date!(2027 - 06 - 07)),
        ];
        let days = change_days(&IntervalRules::none(), dose(1), None, &booked, dose(1));
        assert_eq!(days.latest, Some(date!(2027 - 06 - 06)));
    }

    #[test]
    fn month_intervals_take_the_last_day_that_keeps_the_next_dose() {
        let months = IntervalRules::new(vec![(dose(2), Interval::Months(6))]).unwrap();
        // 2回目 on 28 Feb 2027: 31 Aug 2026 + 6 months is 28 Feb, so 31 Aug is the last.
        assert_eq!(
            latest_before(&months, dose(2), date!(2027 - 02 - 28)),
            date!(2026 - 08 - 31)
        );
        // In a leap year 31 Aug + 6 months is 29 Feb: 28 Feb keeps only up to 28 Aug.
        assert_eq!(
            latest_before(&months, dose(2), date!(2028 - 02 - 28)),
            date!(2027 - 08 - 28)
        );
        assert_eq!(
            latest_before(&months, dose(2), date!(2028 - 02 - 29)),
            date!(2027 - 08 - 31)
        );
    }

    proptest! {
        /// The answer keeps the next dose and the day after it does not: for every rule
        /// and every day.
        #[test]
        fn latest_before_is_the_last_day_that_keeps_the_next_dose(
            days in 1u16..400,
            months in 1u16..30,
            use_months in any::<bool>(),
            offset in 0i64..3000,
        ) {
            let interval = if use_months { Interval::Months(months) } else { Interval::Days(days) };
            let r = IntervalRules::new(vec![(dose(2), interval)]).unwrap();
            let next_day = date!(2026 - 01 - 01) + Duration::days(offset);
            let latest = latest_before(&r, dose(2), next_day);
            prop_assert!(interval.first_allowed_day(latest) <= next_day);
            let after = latest.next_day().unwrap();
            prop_assert!(interval.first_allowed_day(after) > next_day);
        }
    }
}
