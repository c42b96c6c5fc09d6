//! The doses the マイページ lists for a ticket (seed 002: 1回目 and 2回目 on one ticket;
//! seed 000: the dose the ticket is for) and what each can do now: shown with its booking,
//! bookable within a range of days, refused with the reason, or waiting for the dose
//! before it to be booked. At most one dose is bookable at a time, the earliest unbooked.
use time::Date;

use crate::core::vaccination::dose::DoseNumber;
use crate::core::vaccination::eligibility::{DayRefusal, Eligibility, eligibility, next_booking};
use crate::core::vaccination::interval::IntervalRules;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoseState {
    /// Booked for this day.
    Booked(Date),
    /// May be booked now, on days from `first` to `last` (the window cut by the interval).
    Bookable {
        eligibility: Eligibility,
        first: Date,
        last: Date,
    },
    /// Cannot be booked now, for this reason.
    Refused(DayRefusal),
    /// The dose before it has no booking yet (2回目 before 1回目 is booked).
    AfterPrevious,
}

/// The ticket's doses in order with their state. `booked` holds the ticket's active
/// bookings as (dose, day); `window` is the first and last day online booking takes now.
pub fn dose_states(
    rules: &IntervalRules,
    ticket_dose: DoseNumber,
    previous_dose_on: Option<Date>,
    booked: &[(DoseNumber, Date)],
    window: (Date, Date),
) -> Vec<(DoseNumber, DoseState)> {
    let booked_day = |d: DoseNumber| booked.iter().find(|(b, _)| *b == d).map(|(_, day)| *day);
    let mut doses = vec![ticket_dose];
    doses.extend(ticket_dose.next_in_series());
    let mut states = Vec::with_capacity(doses.len());
    for (i, dose) in doses.iter().copied().enumerate() {
        if let Some(day) = booked_day(dose) {
            states.push((dose, DoseState::Booked(day)));
            continue;
        }
        let eligible = if i == 0 {
            eligibility(rules, dose, previous_dose_on)
        } else {
            match booked_day(doses[i - 1]) {
                Some(day) => match next_booking(rules, doses[i - 1], day) {
                    Some((_, e)) => e,
                    None => Eligibility::AnyDay,
                },
                None => {
                    states.push((dose, DoseState::AfterPrevious));
                    continue;
                }
            }
        };
        let state = match eligible.within(window.0, window.1) {
            Ok((first, last)) => DoseState::Bookable {
                eligibility: eligible,
                first,
                last,
            },
            Err(refusal) => DoseState::Refused(refusal),
        };
        states.push((dose, state));
    }
    states
}

/// The dose that may be booked now, with its eligibility, if any.
pub fn bookable_now(states: &[(DoseNumber, DoseState)]) -> Option<(DoseNumber, Eligibility)> {
    states.iter().find_map(|(d, s)| match s {
        DoseState::Bookable { eligibility, .. } => Some((*d, *eligibility)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn dose(n: u8) -> DoseNumber {
        DoseNumber::new(n).unwrap()
    }

    fn rules() -> IntervalRules {
        IntervalRules::parse_setting("2:21d 3:5m").unwrap()
    }

    const WINDOW: (Date, Date) = (date!(2026 - 12 - 01), date!(2027 - 01 - 30));

    #[test]
    fn a_first_dose_ticket_books_dose_one_then_dose_two_from_day_plus_21() {
        let s = dose_states(&rules(), dose(1), None, &[], WINDOW);
        assert_eq!(s.len(), 2);
        assert!(matches!(s[0].1, DoseState::Bookable { first, .. } if first == WINDOW.0));
        assert_eq!(s[1].1, DoseState::AfterPrevious);
        assert_eq!(bookable_now(&s).map(|b| b.0), Some(dose(1)));

        let booked = [(dose(1), date!(2026 - 12 - 03))];
        let s = dose_states(&rules(), dose(1), None, &booked, WINDOW);
        assert_eq!(s[0].1, DoseState::Booked(date!(2026 - 12 - 03)));
        assert_eq!(
            s[1].1,
            DoseState::Bookable {
                eligibility: Eligibility::From(date!(2026 - 12 - 24)),
                first: date!(2026 - 12 - 24),
                last: WINDOW.1
            }
        );
        assert_eq!(bookable_now(&s).map(|b| b.0), Some(dose(2)));
    }

    #[test]
    fn a_second_dose_booked_late_in_the_window_leaves_nothing_for_dose_two() {
        let booked = [(dose(1), date!(2027 - 01 - 20))];
        let s = dose_states(&rules(), dose(1), None, &booked, WINDOW);
        assert_eq!(
            s[1].1,
            DoseState::Refused(DayRefusal::TooEarly {
                first_allowed: date!(2027 - 02 - 10)
            })
        );
        assert_eq!(bookable_now(&s), None);
    }

    #[test]
    fn later_doses_stand_alone_and_need_the_previous_day() {
        let s = dose_states(&rules(), dose(3), None, &[], WINDOW);
        assert_eq!(
            s,
            vec![(dose(3), DoseState::Refused(DayRefusal::PreviousDoseUnknown))]
        );
        let s = dose_states(&rules(), dose(3), Some(date!(2026 - 08 - 01)), &[], WINDOW);
        assert!(
            matches!(s[0].1, DoseState::Bookable { first, .. } if first == date!(2027 - 01 - 01))
        );
        let s = dose_states(&rules(), dose(2), Some(date!(2026 - 11 - 24)), &[], WINDOW);
        assert_eq!(s.len(), 1, "dose 2 has no next dose in its series");
        assert!(
            matches!(s[0].1, DoseState::Bookable { first, .. } if first == date!(2026 - 12 - 15))
        );
        let all_booked = [(dose(2), date!(2026 - 12 - 20))];
        let s = dose_states(
            &rules(),
            dose(2),
            Some(date!(2026 - 11 - 24)),
            &all_booked,
            WINDOW,
        );
        assert_eq!(bookable_now(&s), None);
    }
}
