//! What cancelling a dose's booking does to the dose after it (seed 000: the next dose's
//! day is counted from this one's). Cancelling dose 1 while dose 2 is booked leaves dose 2
//! without the day its interval was checked against, so the resident is asked first:
//! cancel dose 2 too, or keep it (allowed; the site then says that the interval can no
//! longer be checked and the call centre should confirm the day).
use super::dose::DoseNumber;

/// The resident's answer about the next dose's booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextDoseChoice {
    /// 「2回目の予約もキャンセルする」.
    CancelToo,
    /// Keep it.
    Keep,
}

impl NextDoseChoice {
    /// The form's value ("cancel" | "keep"); anything else is no answer.
    pub fn parse(value: &str) -> Option<NextDoseChoice> {
        match value {
            "cancel" => Some(NextDoseChoice::CancelToo),
            "keep" => Some(NextDoseChoice::Keep),
            _ => None,
        }
    }
}

/// What a [はい] on 「キャンセルしますか？」 does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelPlan {
    /// Ask about the next dose's booking before cancelling anything.
    AskAboutNext { next: DoseNumber },
    /// Cancel this booking; `next` too when set. `next_loses_base`: a next-dose booking is
    /// kept whose interval was counted from the cancelled day.
    Cancel {
        next: Option<DoseNumber>,
        next_loses_base: bool,
    },
}

/// The plan for cancelling `dose` when `booked` are the ticket's booked doses, given the
/// resident's answer about the next dose (None when not asked yet).
pub fn plan(dose: DoseNumber, booked: &[DoseNumber], choice: Option<NextDoseChoice>) -> CancelPlan {
    let next_booked = dose.next().filter(|n| booked.contains(n));
    match (next_booked, choice) {
        (None, _) => CancelPlan::Cancel {
            next: None,
            next_loses_base: false,
        },
        (Some(next), None) => CancelPlan::AskAboutNext { next },
        (Some(next), Some(NextDoseChoice::CancelToo)) => CancelPlan::Cancel {
            next: Some(next),
            next_loses_base: false,
        },
        (Some(_), Some(NextDoseChoice::Keep)) => CancelPlan::Cancel {
            next: None,
            next_loses_base: true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: u8) -> DoseNumber {
        DoseNumber::new(n).unwrap()
    }

    #[test]
    fn a_dose_with_nothing_after_it_is_cancelled_alone() {
        let p = CancelPlan::Cancel {
            next: None,
            next_loses_base: false,
        };
        assert_eq!(plan(d(1), &[d(1)], None), p);
        assert_eq!(plan(d(2), &[d(1), d(2)], None), p);
        // An answer that was not asked for changes nothing.
        assert_eq!(
            plan(d(2), &[d(1), d(2)], Some(NextDoseChoice::CancelToo)),
            p
        );
        assert_eq!(plan(d(1), &[d(1), d(3)], None), p);
    }

    #[test]
    fn dose_one_with_dose_two_booked_asks_first() {
        assert_eq!(
            plan(d(1), &[d(1), d(2)], None),
            CancelPlan::AskAboutNext { next: d(2) }
        );
        assert_eq!(
            plan(d(3), &[d(3), d(4)], None),
            CancelPlan::AskAboutNext { next: d(4) }
        );
    }

    #[test]
    fn the_answer_cancels_both_or_keeps_the_next_without_its_base() {
        assert_eq!(
            plan(d(1), &[d(1), d(2)], Some(NextDoseChoice::CancelToo)),
            CancelPlan::Cancel {
                next: Some(d(2)),
                next_loses_base: false
            }
        );
        assert_eq!(
            plan(d(1), &[d(2), d(1)], Some(NextDoseChoice::Keep)),
            CancelPlan::Cancel {
                next: None,
                next_loses_base: true
            }
        );
    }

    #[test]
    fn the_form_values() {
        assert_eq!(
            NextDoseChoice::parse("cancel"),
            Some(NextDoseChoice::CancelToo)
        );
        assert_eq!(NextDoseChoice::parse("keep"), Some(NextDoseChoice::Keep));
        assert_eq!(NextDoseChoice::parse(""), None);
        assert_eq!(NextDoseChoice::parse("Cancel"), None);
    }
}
