//! Dose numbers (1回目, 2回目, 3回目 …): which dose a ticket or a booking is for.

use std::fmt;
use std::num::NonZeroU8;

use crate::core::resident_input::fold_digits;
use crate::i18n::Lang;

/// The highest dose number accepted. Japan reached 7回目 by 2024; 20 leaves room while still
/// catching a typo such as "33" in an imported list.
pub const MAX_DOSE: u8 = 20;

/// A dose number, 1 to [`MAX_DOSE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DoseNumber(NonZeroU8);

impl DoseNumber {
    pub const FIRST: DoseNumber = DoseNumber(NonZeroU8::MIN);
    pub const SECOND: DoseNumber = DoseNumber(NonZeroU8::MIN.saturating_add(1));

    /// `None` for 0 or above [`MAX_DOSE`].
    pub fn new(n: u8) -> Option<DoseNumber> {
        NonZeroU8::new(n)
            .filter(|n| n.get() <= MAX_DOSE)
            .map(DoseNumber)
    }

    pub fn get(self) -> u8 {
        self.0.get()
    }

    /// The dose after this one; `None` after [`MAX_DOSE`].
    pub fn next(self) -> Option<DoseNumber> {
        DoseNumber::new(self.get().saturating_add(1))
    }

    /// The dose before this one; `None` for the first.
    pub fn previous(self) -> Option<DoseNumber> {
        DoseNumber::new(self.get() - 1)
    }

    /// The dose booked right after this one in the same session (「2件目の予約をする」,
    /// seed 002 §7): the primary series is two doses on one ticket, so only dose 1 has one.
    /// Later doses come with a ticket of their own.
    pub fn next_in_series(self) -> Option<DoseNumber> {
        (self == DoseNumber::FIRST).then_some(DoseNumber::SECOND)
    }

    /// "3回目" / "3rd dose".
    pub fn label(self, lang: Lang) -> String {
        let n = self.get();
        match lang {
            Lang::Ja => format!("{n}回目"),
            Lang::En => {
                let suffix = match (n % 10, n % 100) {
                    (_, 11..=13) => "th",
                    (1, _) => "st",
                    (2, _) => "nd",
                    (3, _) => "rd",
                    _ => "th",
                };
                format!("{n}{suffix} dose")
            }
        }
    }

    /// Reads a dose as written in an imported list, a form or a URL: "3", "３", "3回目",
    /// "第3回", "3回", with spaces. Kanji numerals are not read: the lists are exported by
    /// systems that write digits.
    pub fn parse(input: &str) -> Result<DoseNumber, DoseError> {
        let folded = fold_digits(input);
        if folded.is_empty() {
            return Err(DoseError::Empty);
        }
        let text = folded.strip_prefix('第').unwrap_or(&folded);
        let text = text
            .strip_suffix("回目")
            .or_else(|| text.strip_suffix('回'))
            .unwrap_or(text)
            .trim();
        if text.is_empty() || text.len() > 3 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DoseError::Unrecognized);
        }
        let n: u8 = text.parse().map_err(|_| DoseError::OutOfRange)?;
        DoseNumber::new(n).ok_or(DoseError::OutOfRange)
    }
}

/// "3": the number alone, as stored and as in URLs.
impl fmt::Display for DoseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.get())
    }
}

/// Why a dose number was not accepted (import lists and staff forms, so Japanese only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoseError {
    Empty,
    Unrecognized,
    OutOfRange,
}

impl fmt::Display for DoseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DoseError::Empty => write!(f, "接種回数を入力してください。"),
            DoseError::Unrecognized => {
                write!(
                    f,
                    "接種回数は「3」または「3回目」のように数字で入力してください。"
                )
            }
            DoseError::OutOfRange => {
                write!(f, "接種回数は1から{MAX_DOSE}までの数字で入力してください。")
            }
        }
    }
}

impl std::error::Error for DoseError {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dose(n: u8) -> DoseNumber {
        DoseNumber::new(n).unwrap()
    }

    #[test]
    fn range_is_one_to_max() {
        assert_eq!(DoseNumber::new(0), None);
        assert_eq!(DoseNumber::new(1), Some(DoseNumber::FIRST));
        assert_eq!(DoseNumber::new(2), Some(DoseNumber::SECOND));
        assert_eq!(
            DoseNumber::new(MAX_DOSE).map(DoseNumber::get),
            Some(MAX_DOSE)
        );
        assert_eq!(DoseNumber::new(MAX_DOSE + 1), None);
        assert_eq!(DoseNumber::new(u8::MAX), None);
    }

    #[test]
    fn neighbours() {
        assert_eq!(DoseNumber::FIRST.next(), Some(DoseNumber::SECOND));
        assert_eq!(DoseNumber::FIRST.previous(), None);
        assert_eq!(dose(3).previous(), Some(DoseNumber::SECOND));
        assert_eq!(dose(MAX_DOSE).next(), None);
        assert!(DoseNumber::FIRST < DoseNumber::SECOND);
    }

    #[test]
    fn only_the_first_dose_has_a_second_booking_in_the_same_session() {
        assert_eq!(DoseNumber::FIRST.next_in_series(), Some(DoseNumber::SECOND));
        assert_eq!(DoseNumber::SECOND.next_in_series(), None);
        assert_eq!(dose(3).next_in_series(), None);
    }

    #[test]
    fn labels() {
        assert_eq!(dose(1).label(Lang::Ja), "1回目");
        assert_eq!(dose(5).label(Lang::Ja), "5回目");
        let en: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 20]
            .into_iter()
            .map(|n| dose(n).label(Lang::En))
            .collect();
        assert_eq!(
            en,
            [
                "1st dose",
                "2nd dose",
                "3rd dose",
                "4th dose",
                "11th dose",
                "12th dose",
                "13th dose",
                "20th dose"
            ]
        );
        assert_eq!(dose(3).to_string(), "3");
    }

    #[test]
    fn parses_what_lists_and_people_write() {
        for (input, n) in [
            ("3", 3),
            ("３", 3),
            (" 3 ", 3),
            ("3回目", 3),
            ("３回目", 3),
            ("第3回", 3),
            ("3回", 3),
            ("03", 3),
            ("20", 20),
        ] {
            assert_eq!(DoseNumber::parse(input), Ok(dose(n)), "{input:?}");
        }
    }

    #[test]
    fn refuses_the_rest() {
        assert_eq!(DoseNumber::parse(""), Err(DoseError::Empty));
        assert_eq!(DoseNumber::parse("　"), Err(DoseError::Empty));
        for bad in ["三回目", "回目", "3rd", "-1", "1.5", "2,3", "第回", "1000"] {
            assert_eq!(
                DoseNumber::parse(bad),
                Err(DoseError::Unrecognized),
                "{bad:?}"
            );
        }
        for out in ["0", "21", "255", "256", "999"] {
            assert_eq!(
                DoseNumber::parse(out),
                Err(DoseError::OutOfRange),
                "{out:?}"
            );
        }
        assert!(DoseError::OutOfRange.to_string().contains("1から20"));
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,10}") {
            let _ = DoseNumber::parse(&s);
        }

        #[test]
        fn display_and_label_parse_back(n in 1u8..=MAX_DOSE) {
            let d = dose(n);
            prop_assert_eq!(DoseNumber::parse(&d.to_string()), Ok(d));
            prop_assert_eq!(DoseNumber::parse(&d.label(Lang::Ja)), Ok(d));
        }
    }
}
