//! What one day of the vaccination calendar shows to one ticket: its ○△× mark when it may be
//! chosen, or why not (outside the booking window, too early for the dose's interval, the
//! previous dose's date unknown). The same answer serves the calendar cell and the check
//! of a day that arrives in a URL.
//!
//! A month is drawn with `month_calendar::month_grid(..).map_days(|d| rules.status(d, places(d)))`.

use serde::Serialize;
use time::Date;

use crate::core::availability::{Mark, MarkThresholds, Places};
use crate::core::vaccination::eligibility::{DayRefusal, Eligibility};
use crate::i18n::Lang;

/// Everything that decides a day's status apart from its places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRules {
    /// The municipality's booking window, both ends included (today … today + window days).
    pub window_first: Date,
    pub window_last: Date,
    /// The ticket's dose interval; [`Eligibility::AnyDay`] to show availability without a
    /// ticket (「接種場所の絞り込み」).
    pub eligibility: Eligibility,
    /// The last day a moved booking may take so that the next dose keeps its interval
    /// (`change_days`); `None` when booking anew or nothing is booked after it.
    pub latest: Option<Date>,
    pub thresholds: MarkThresholds,
}

/// A calendar day for one ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayStatus {
    /// Within the window and allowed for the dose: the mark of its places (○ △ may be
    /// chosen; × is full; － nothing offered that day).
    Open(Mark),
    /// Cannot be chosen whatever its places.
    Refused(DayRefusal),
}

impl DayRules {
    /// The status of `day` with `places` (the free and total places that day: of one venue
    /// on the by-place calendar, of all venues on the by-date one). The window is checked
    /// first, then the interval, then the places.
    pub fn status(&self, day: Date, places: Places) -> DayStatus {
        match self
            .eligibility
            .check_in_window(day, self.window_first, self.window_last)
        {
            Ok(()) => match self.latest {
                Some(last_allowed) if day > last_allowed => {
                    DayStatus::Refused(DayRefusal::TooLateForNext { last_allowed })
                }
                _ => DayStatus::Open(self.thresholds.mark(places)),
            },
            Err(refusal) => DayStatus::Refused(refusal),
        }
    }

    /// The days the calendar pages over for this ticket (its first month is the one shown
    /// first), or why there are none. See [`Eligibility::within`].
    pub fn bookable_range(&self) -> Result<(Date, Date), DayRefusal> {
        let (first, last) = self
            .eligibility
            .within(self.window_first, self.window_last)?;
        match self.latest {
            Some(last_allowed) if last_allowed < first => {
                Err(DayRefusal::TooLateForNext { last_allowed })
            }
            Some(last_allowed) => Ok((first, last.min(last_allowed))),
            None => Ok((first, last)),
        }
    }
}

impl DayStatus {
    /// Whether the day is a link (○ or △ within the allowed days).
    pub fn is_choosable(&self) -> bool {
        matches!(self, DayStatus::Open(mark) if mark.is_choosable())
    }

    pub fn mark(&self) -> Option<Mark> {
        match self {
            DayStatus::Open(mark) => Some(*mark),
            DayStatus::Refused(_) => None,
        }
    }

    pub fn refusal(&self) -> Option<DayRefusal> {
        match self {
            DayStatus::Open(_) => None,
            DayStatus::Refused(refusal) => Some(*refusal),
        }
    }

    /// Everything a template needs for the cell, in `lang`.
    pub fn view(&self, lang: Lang) -> DayView {
        match self {
            DayStatus::Open(mark) => {
                let m = mark.view(lang);
                DayView {
                    code: m.code,
                    symbol: m.symbol,
                    label: m.label,
                    choosable: m.choosable,
                }
            }
            DayStatus::Refused(refusal) => {
                let (code, symbol, ja, en) = match refusal {
                    // Past days and days beyond the window are simply not offered: no symbol.
                    DayRefusal::OutsideWindow => ("outside", "", "受付期間外", "Not bookable"),
                    DayRefusal::TooEarly { .. } => (
                        "too-early",
                        "－",
                        "接種間隔のため予約できません",
                        "Too soon after the previous dose",
                    ),
                    DayRefusal::TooLateForNext { .. } => (
                        "too-late-for-next",
                        "－",
                        "次の回との接種間隔のため選べません",
                        "Too close to the next dose's booking",
                    ),
                    DayRefusal::PreviousDoseUnknown => (
                        "previous-dose-unknown",
                        "－",
                        "予約相談センターにお問い合わせください",
                        "Please call the booking help centre",
                    ),
                };
                DayView {
                    code,
                    symbol,
                    label: match lang {
                        Lang::Ja => ja,
                        Lang::En => en,
                    },
                    choosable: false,
                }
            }
        }
    }
}

/// A calendar cell ready for a template. `code` is a stable name for CSS and tests
/// ("plenty", "few", "full", "closed", "outside", "too-early", "too-late-for-next",
/// "previous-dose-unknown");
/// `label` is what a screen reader says beside the `aria-hidden` symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayView {
    pub code: &'static str,
    pub symbol: &'static str,
    pub label: &'static str,
    pub choosable: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::month_calendar::{WeekStart, YearMonth, month_grid, month_paging};
    use crate::core::vaccination::dose::DoseNumber;
    use crate::core::vaccination::eligibility::{eligibility, next_booking};
    use crate::core::vaccination::interval::{Interval, IntervalRules};
    use proptest::prelude::*;
    use time::macros::date;

    fn rules(eligibility: Eligibility) -> DayRules {
        DayRules {
            window_first: date!(2027 - 01 - 10),
            window_last: date!(2027 - 03 - 10),
            eligibility,
            latest: None,
            thresholds: MarkThresholds::default(),
        }
    }

    #[test]
    fn a_moved_booking_refuses_days_past_the_next_doses_limit() {
        let r = DayRules {
            latest: Some(date!(2027 - 02 - 01)),
            ..rules(Eligibility::AnyDay)
        };
        let free = Places::new(5, 10);
        assert!(r.status(date!(2027 - 02 - 01), free).is_choosable());
        assert_eq!(
            r.status(date!(2027 - 02 - 02), free),
            DayStatus::Refused(DayRefusal::TooLateForNext {
                last_allowed: date!(2027 - 02 - 01)
            })
        );
        // The window still comes first: a past day is outside, not too late.
        assert_eq!(
            r.status(date!(2027 - 01 - 01), free),
            DayStatus::Refused(DayRefusal::OutsideWindow)
        );
        assert_eq!(
            r.bookable_range(),
            Ok((date!(2027 - 01 - 10), date!(2027 - 02 - 01)))
        );
        let none_left = DayRules {
            latest: Some(date!(2027 - 01 - 05)),
            ..rules(Eligibility::AnyDay)
        };
        assert_eq!(
            none_left.bookable_range(),
            Err(DayRefusal::TooLateForNext {
                last_allowed: date!(2027 - 01 - 05)
            })
        );
    }

    fn interval_rules() -> IntervalRules {
        IntervalRules::parse_setting("2:21d 3:5m").unwrap()
    }

    #[test]
    fn an_open_day_shows_its_mark() {
        let r = rules(Eligibility::AnyDay);
        let day = date!(2027 - 01 - 20);
        assert_eq!(
            r.status(day, Places::new(10, 10)),
            DayStatus::Open(Mark::Plenty)
        );
        assert_eq!(
            r.status(day, Places::new(1, 10)),
            DayStatus::Open(Mark::Few)
        );
        assert_eq!(
            r.status(day, Places::new(0, 10)),
            DayStatus::Open(Mark::Full)
        );
        assert_eq!(
            r.status(day, Places::new(0, 0)),
            DayStatus::Open(Mark::Closed)
        );
        assert!(r.status(day, Places::new(1, 10)).is_choosable());
        assert!(!r.status(day, Places::new(0, 10)).is_choosable());
        assert!(!r.status(day, Places::new(0, 0)).is_choosable());
    }

    #[test]
    fn window_then_interval_then_places() {
        let r = rules(Eligibility::From(date!(2027 - 02 - 01)));
        let free = Places::new(10, 10);
        assert_eq!(
            r.status(date!(2027 - 01 - 05), free),
            DayStatus::Refused(DayRefusal::OutsideWindow)
        );
        assert_eq!(
            r.status(date!(2027 - 01 - 31), free),
            DayStatus::Refused(DayRefusal::TooEarly {
                first_allowed: date!(2027 - 02 - 01)
            })
        );
        assert_eq!(
            r.status(date!(2027 - 02 - 01), free),
            DayStatus::Open(Mark::Plenty)
        );
        assert_eq!(
            r.status(date!(2027 - 03 - 11), free),
            DayStatus::Refused(DayRefusal::OutsideWindow)
        );
        let unknown = rules(Eligibility::PreviousDoseUnknown);
        assert_eq!(
            unknown.status(date!(2027 - 02 - 01), free).refusal(),
            Some(DayRefusal::PreviousDoseUnknown)
        );
        assert_eq!(unknown.status(date!(2027 - 02 - 01), free).mark(), None);
    }

    #[test]
    fn views_for_templates() {
        let r = rules(Eligibility::From(date!(2027 - 02 - 01)));
        let free = Places::new(10, 10);
        let v = r.status(date!(2027 - 02 - 01), free).view(Lang::Ja);
        assert_eq!(
            (v.code, v.symbol, v.label, v.choosable),
            ("plenty", "○", "空きあり", true)
        );
        let v = r.status(date!(2027 - 01 - 20), free).view(Lang::En);
        assert_eq!((v.code, v.symbol, v.choosable), ("too-early", "－", false));
        assert_eq!(v.label, "Too soon after the previous dose");
        let v = r.status(date!(2027 - 01 - 01), free).view(Lang::Ja);
        assert_eq!((v.code, v.symbol, v.label), ("outside", "", "受付期間外"));
        let v = rules(Eligibility::PreviousDoseUnknown)
            .status(date!(2027 - 02 - 01), free)
            .view(Lang::En);
        assert_eq!(v.code, "previous-dose-unknown");
        assert_eq!(
            serde_json::to_value(v).unwrap()["choosable"],
            serde_json::json!(false)
        );
    }

    /// Dose 1 booked on 8 January: the 「2件目」 calendar opens in the month of 29 January,
    /// and its days before the 29th say why they cannot be chosen.
    #[test]
    fn the_second_booking_calendar() {
        let (dose2, e) =
            next_booking(&interval_rules(), DoseNumber::FIRST, date!(2027 - 01 - 08)).unwrap();
        assert_eq!(dose2, DoseNumber::SECOND);
        let r = rules(e);
        let (first, last) = r.bookable_range().unwrap();
        assert_eq!(first, date!(2027 - 01 - 29));
        let paging = month_paging(None, first, last);
        assert_eq!(paging.shown, YearMonth::parse("2027-01").unwrap());
        assert_eq!(paging.next, YearMonth::parse("2027-02"));
        let grid = month_grid(paging.shown, WeekStart::Sunday);
        let cells = grid.map_days(|d| r.status(d, Places::new(5, 10)));
        let choosable: Vec<u8> = grid
            .weeks
            .iter()
            .flatten()
            .zip(cells.iter().flatten())
            .filter_map(|(d, s)| match (d, s) {
                (Some(d), Some(s)) if s.is_choosable() => Some(d.day()),
                _ => None,
            })
            .collect();
        assert_eq!(choosable, [29, 30, 31]);
        let refused: Vec<_> = cells
            .iter()
            .flatten()
            .flatten()
            .filter_map(DayStatus::refusal)
            .collect();
        assert!(
            refused.contains(&DayRefusal::OutsideWindow),
            "before the 10th"
        );
        assert!(refused.contains(&DayRefusal::TooEarly {
            first_allowed: date!(2027 - 01 - 29)
        }));
    }

    #[test]
    fn a_booster_too_far_ahead_has_no_calendar_but_says_when() {
        let e = eligibility(
            &interval_rules(),
            DoseNumber::new(3).unwrap(),
            Some(date!(2026 - 12 - 01)),
        );
        assert_eq!(
            rules(e).bookable_range(),
            Err(DayRefusal::TooEarly {
                first_allowed: date!(2027 - 05 - 01)
            })
        );
    }

    proptest! {
        #[test]
        fn choosable_days_are_exactly_the_allowed_days_with_free_places(
            previous in proptest::option::of(0i64..200),
            interval in 0u16..90,
            probe in 0i64..150,
            free in 0u32..20,
            total in 0u32..20,
        ) {
            let base = date!(2026 - 12 - 01);
            let r = IntervalRules::new(vec![(DoseNumber::SECOND, Interval::Days(interval))]).unwrap();
            let e = eligibility(&r, DoseNumber::SECOND, previous.map(|p| base + time::Duration::days(p)));
            let rules = rules(e);
            let day = base + time::Duration::days(probe);
            let places = Places::new(free, total);
            let status = rules.status(day, places);
            let in_range = rules.bookable_range().is_ok_and(|(f, l)| day >= f && day <= l);
            prop_assert_eq!(status.is_choosable(), in_range && places.free() > 0);
            prop_assert_eq!(status.view(Lang::Ja).choosable, status.is_choosable());
        }
    }
}
