//! Which doses of one ticket can be booked now, and from which day: the ticket's own dose,
//! and once dose 1 has its booking, the second dose of the series (「2件目」) counted from
//! that booking's day. What a clerk on the phone (and the マイページ) offers to book.

use time::Date;

use crate::core::vaccination::dose::DoseNumber;
use crate::core::vaccination::eligibility::{Eligibility, eligibility, interval_base};
use crate::core::vaccination::interval::IntervalRules;

/// Where one dose of a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoseState {
    /// It has its booking (予約済) or was given (受付済み): nothing to book.
    Booked,
    /// It may be booked, on the days this allows.
    Bookable(Eligibility),
    /// The dose before it in the series has no booking yet: book that one first.
    AfterPrevious,
}

/// The doses of a ticket for dose `ticket_dose` (previous dose recorded on
/// `previous_dose_on`, if known), given the days of its bookings that stand (`booked`:
/// (dose, day) of bookings booked or given, never cancelled or missed ones), in dose order.
pub fn dose_plan(
    rules: &IntervalRules,
    ticket_dose: DoseNumber,
    previous_dose_on: Option<Date>,
    booked: &[(DoseNumber, Date)],
) -> Vec<(DoseNumber, DoseState)> {
    let day_of = |dose: DoseNumber| {
        booked
            .iter()
            .filter(|(d, _)| *d == dose)
            .map(|(_, day)| *day)
            .max()
    };
    let mut doses = vec![ticket_dose];
    doses.extend(ticket_dose.next_in_series());
    doses
        .into_iter()
        .map(|dose| {
            let state = if day_of(dose).is_some() {
                DoseState::Booked
            } else if dose == ticket_dose {
                DoseState::Bookable(eligibility(rules, dose, previous_dose_on))
            } else {
                // The series' next dose counts from the previous dose's booked day.
                match dose.previous().and_then(day_of) {
                    Some(day) => DoseState::Bookable(eligibility(
                        rules,
                        dose,
                        interval_base(None, Some(day)),
                    )),
                    None => DoseState::AfterPrevious,
                }
            };
            (dose, state)
        })
        .collect()
}

/// The eligibility of `dose` if the plan offers it for booking now.
pub fn bookable(plan: &[(DoseNumber, DoseState)], dose: DoseNumber) -> Option<Eligibility> {
    plan.iter().find_map(|(d, s)| match s {
        DoseState::Bookable(e) if *d == dose => Some(*e),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::vaccination::interval::Interval;
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
    fn a_first_dose_ticket_offers_dose_one_then_dose_two_after_its_booking() {
        let plan = dose_plan(&rules(), dose(1), None, &[]);
        assert_eq!(
            plan,
            [
                (dose(1), DoseState::Bookable(Eligibility::AnyDay)),
                (dose(2), DoseState::AfterPrevious),
            ]
        );
        let plan = dose_plan(&rules(), dose(1), None, &[(dose(1), date!(2026 - 12 - 03))]);
        assert_eq!(
            plan,
            [
                (dose(1), DoseState::Booked),
                (
                    dose(2),
                    DoseState::Bookable(Eligibility::From(date!(2026 - 12 - 24)))
                ),
            ]
        );
        assert_eq!(
            bookable(&plan, dose(2)),
            Some(Eligibility::From(date!(2026 - 12 - 24)))
        );
        assert_eq!(bookable(&plan, dose(1)), None);
    }

    #[test]
    fn a_later_dose_ticket_counts_from_the_recorded_previous_dose_and_has_no_second() {
        let plan = dose_plan(&rules(), dose(3), Some(date!(2026 - 09 - 01)), &[]);
        assert_eq!(
            plan,
            [(
                dose(3),
                DoseState::Bookable(Eligibility::From(date!(2027 - 02 - 01)))
            )]
        );
        let plan = dose_plan(&rules(), dose(3), None, &[]);
        assert_eq!(
            plan,
            [(
                dose(3),
                DoseState::Bookable(Eligibility::PreviousDoseUnknown)
            )]
        );
        let plan = dose_plan(&rules(), dose(3), None, &[(dose(3), date!(2027 - 02 - 02))]);
        assert_eq!(plan, [(dose(3), DoseState::Booked)]);
        assert_eq!(bookable(&plan, dose(3)), None);
        // A dose the ticket is not for is never offered.
        assert_eq!(bookable(&plan, dose(4)), None);
    }

    #[test]
    fn a_second_dose_ticket_counts_from_its_recorded_first_dose() {
        let plan = dose_plan(&rules(), dose(2), Some(date!(2026 - 11 - 24)), &[]);
        assert_eq!(
            plan,
            [(
                dose(2),
                DoseState::Bookable(Eligibility::From(date!(2026 - 12 - 15)))
            )]
        );
    }
}
