//! The 接種券番号 (券番号): the 10-digit number printed on a vaccination ticket, read from
//! what people type, and masked for staff pages and logs.
//!
//! Typing is folded exactly as the card-pickup numbers are (full-width digits, spaces and
//! every kind of hyphen), by the same helpers, and the messages are the card-pickup ones
//! with this field's name.

use std::fmt;

use crate::core::receipt::mask_number;
use crate::core::resident_input::{CharKind, NumberError, NumberFormat, fold_number_input};
use crate::i18n::Msg;

/// Digits in a ticket number (「宛名文書に記載される10桁の番号」, seed 002; 「券番号(10ケタ)」, seed 003).
pub const TICKET_NUMBER_DIGITS: usize = 10;

/// The field's name in Japanese messages.
pub const LABEL_JA: &str = "接種券番号";

/// The Fluent id of the field's name, which [`TicketNumberError::msg`] puts into the
/// card-pickup number messages. The locale files need it: `label-ticket-number = 接種券番号`
/// (ja) and `label-ticket-number = the ticket number` (en), in `errors.ftl`.
pub const LABEL_MSG_ID: &str = "label-ticket-number";

/// A well-formed ticket number: exactly ten ASCII digits. Whether such a ticket exists is
/// for the storage layer to say.
///
/// There is deliberately no `Display` and the `Debug` form is masked: a ticket number is
/// personal data, so a log line or an error built with `{}`/`{:?}` must not carry it. Use
/// [`TicketNumber::as_str`] where the whole number is meant (the database, the resident's
/// own page).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TicketNumber(String);

impl TicketNumber {
    /// Reads what a resident (or a clerk on the phone) typed: full-width digits, spaces and
    /// hyphens of any kind are accepted; letters are never corrected into digits (an "O"
    /// read as "0" could match someone else's ticket), the message points at them instead.
    pub fn parse(input: &str) -> Result<TicketNumber, TicketNumberError> {
        let format = NumberFormat::parse(&"9".repeat(TICKET_NUMBER_DIGITS))
            .expect("an all-digit pattern is valid");
        match format.parse_number(LABEL_JA, input) {
            Ok(digits) => Ok(TicketNumber(digits)),
            Err(NumberError::Empty { .. }) => Err(TicketNumberError::Empty),
            Err(NumberError::WrongLength { got, .. }) => {
                Err(TicketNumberError::WrongLength { got })
            }
            // In an all-digit format every stray character is "unusable"; a wrong character
            // at a position cannot happen, but would mean the same.
            Err(
                NumberError::UnusableCharacter { character, .. }
                | NumberError::WrongCharacter {
                    found: character, ..
                },
            ) => Err(TicketNumberError::NotDigits {
                character,
                position: position_of(input, character),
            }),
        }
    }

    /// The ten digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For rosters, staff lists and logs: "123-*****90", as notice numbers are masked.
    pub fn masked(&self) -> String {
        mask_number(&self.0)
    }
}

impl fmt::Debug for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TicketNumber({})", self.masked())
    }
}

/// Where (counting from 1, as the resident counts) the first stray character stands in the
/// folded input; `None` if it cannot be found again (it always can: it came from there).
fn position_of(input: &str, character: char) -> Option<usize> {
    fold_number_input(input)
        .chars()
        .position(|c| c == character)
        .map(|i| i + 1)
}

/// Why a ticket number was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketNumberError {
    /// Nothing typed (or only spaces and hyphens).
    Empty,
    /// A character that is not a digit. `character` is as folded (full-width folded to
    /// ASCII, ASCII letters upper-cased); `position` counts from 1 in the folded input.
    NotDigits {
        character: char,
        position: Option<usize>,
    },
    /// Digits only, but not ten of them.
    WrongLength { got: usize },
}

impl TicketNumberError {
    /// The card-pickup error this one reads as, with the Japanese label.
    fn as_number_error(self) -> NumberError {
        let label = LABEL_JA.to_string();
        match self {
            TicketNumberError::Empty => NumberError::Empty { label },
            TicketNumberError::NotDigits { character, .. } => NumberError::UnusableCharacter {
                label,
                character,
                allowed: CharKind::Digit,
            },
            TicketNumberError::WrongLength { got } => NumberError::WrongLength {
                label,
                kind: CharKind::Digit,
                expected: TICKET_NUMBER_DIGITS,
                got,
            },
        }
    }

    /// The message beside the field, in the page's language: the card-pickup number
    /// messages (`error-number-*`) with the label [`LABEL_MSG_ID`].
    pub fn msg(&self) -> Msg {
        let mut msg = self.as_number_error().msg();
        msg.args
            .insert("label".to_string(), Msg::new(LABEL_MSG_ID).into());
        msg
    }
}

/// The Japanese sentence (the staff console, tests): 「接種券番号は数字10桁で入力してください(入力されたのは8桁です)。」
impl fmt::Display for TicketNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_number_error().fmt(f)
    }
}

impl std::error::Error for TicketNumberError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Arg, Lang};
    use proptest::prelude::*;

    fn ok(input: &str) -> String {
        TicketNumber::parse(input)
            .unwrap_or_else(|e| panic!("{input:?}: {e}"))
            .as_str()
            .to_string()
    }

    #[test]
    fn ten_digits_as_typed() {
        assert_eq!(ok("1234567890"), "1234567890");
        assert_eq!(ok("0000000001"), "0000000001", "leading zeros are kept");
    }

    #[test]
    fn full_width_spaces_and_hyphens_are_folded() {
        for input in [
            "１２３４５６７８９０",
            " 1234567890 ",
            "1234 5678 90",
            "1234　5678　90",
            "1234-5678-90",
            "1234－5678－90",
            "1234ー5678ー90",
            "1234−5678−90",
            "1234–5678—90",
            "12345\u{200b}67890",
            "\t1234567890\n",
            "１２３４-５６７８-９０",
        ] {
            assert_eq!(ok(input), "1234567890", "{input:?}");
        }
    }

    #[test]
    fn empty_input() {
        for input in ["", "   ", "　", "- -", "ーー"] {
            assert_eq!(
                TicketNumber::parse(input),
                Err(TicketNumberError::Empty),
                "{input:?}"
            );
        }
    }

    #[test]
    fn wrong_length() {
        assert_eq!(
            TicketNumber::parse("12345678"),
            Err(TicketNumberError::WrongLength { got: 8 })
        );
        assert_eq!(
            TicketNumber::parse("１２３４５６７８９０１"),
            Err(TicketNumberError::WrongLength { got: 11 })
        );
        assert_eq!(
            TicketNumber::parse("1").unwrap_err().to_string(),
            "接種券番号は数字10桁で入力してください(入力されたのは1桁です)。"
        );
    }

    #[test]
    fn letters_and_symbols_are_not_digits_and_are_not_corrected() {
        assert_eq!(
            TicketNumber::parse("12O4567890"),
            Err(TicketNumberError::NotDigits {
                character: 'O',
                position: Some(3)
            })
        );
        // Lower case is folded to upper case, as for notice numbers.
        assert_eq!(
            TicketNumber::parse("1234 5678 9o"),
            Err(TicketNumberError::NotDigits {
                character: 'O',
                position: Some(10)
            })
        );
        // A stray character is reported before the length: a length message would confuse
        // someone who typed a kanji.
        assert_eq!(
            TicketNumber::parse("券123"),
            Err(TicketNumberError::NotDigits {
                character: '券',
                position: Some(1)
            })
        );
        assert_eq!(
            TicketNumber::parse("12345.67890").unwrap_err().to_string(),
            "接種券番号に使えない文字「.」が含まれています。数字で入力してください。"
        );
        // Digits of other scripts are not ticket digits.
        assert!(matches!(
            TicketNumber::parse("١٢٣٤٥٦٧٨٩٠"),
            Err(TicketNumberError::NotDigits { .. })
        ));
    }

    #[test]
    fn invisible_characters_are_not_quoted() {
        let e = TicketNumber::parse("12345\u{202e}67890").unwrap_err();
        assert!(matches!(e, TicketNumberError::NotDigits { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "接種券番号に使えない文字が含まれています。数字で入力してください。"
        );
    }

    /// The message resolves to the Japanese sentence once the label is in the locale files;
    /// here the label is put in as text to check the rest without them.
    #[test]
    fn messages_carry_the_field_label() {
        for input in ["", "1234", "12O4567890", "12345\u{202e}67890"] {
            let e = TicketNumber::parse(input).unwrap_err();
            let mut m = e.msg();
            assert_eq!(m.args.get("label"), Some(&Arg::Msg(Msg::new(LABEL_MSG_ID))));
            m.args.insert("label".into(), Arg::Text(LABEL_JA.into()));
            assert_eq!(m.resolve(Lang::Ja), e.to_string(), "{input:?}");
            m.args
                .insert("label".into(), Arg::Text("the ticket number".into()));
            let en = m.resolve(Lang::En);
            assert!(en.contains("the ticket number"), "{en}");
            assert!(
                !en.chars().any(|c| ('\u{3041}'..='\u{30FF}').contains(&c)),
                "{en}"
            );
        }
    }

    #[test]
    fn masked_everywhere_but_as_str() {
        let t = TicketNumber::parse("1234567890").unwrap();
        assert_eq!(t.masked(), "123-*****90");
        assert_eq!(format!("{t:?}"), "TicketNumber(123-*****90)");
        assert!(!format!("{:?}", Some(&t)).contains("4567"));
    }

    proptest! {
        #[test]
        fn any_ten_digits_parse_to_themselves_however_typed(
            digits in "[0-9]{10}",
            full_width in any::<bool>(),
            seps in proptest::collection::vec(proptest::sample::select(vec!["", " ", "-", "ー", "－", "　"]), 10),
        ) {
            let typed: String = digits.chars().zip(&seps).map(|(c, sep)| {
                let c = if full_width { char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap() } else { c };
                format!("{c}{sep}")
            }).collect();
            let parsed = TicketNumber::parse(&typed);
            prop_assert_eq!(parsed.as_ref().map(TicketNumber::as_str), Ok(digits.as_str()));
        }

        #[test]
        fn parse_never_panics_and_accepts_only_ten_digits(s in "\\PC{0,16}") {
            if let Ok(t) = TicketNumber::parse(&s) {
                prop_assert_eq!(t.as_str().len(), TICKET_NUMBER_DIGITS);
                prop_assert!(t.as_str().bytes().all(|b| b.is_ascii_digit()));
                prop_assert_eq!(TicketNumber::parse(t.as_str()), Ok(t.clone()));
            }
        }

        #[test]
        fn other_lengths_are_wrong_length(digits in "[0-9]{1,30}") {
            prop_assume!(digits.len() != TICKET_NUMBER_DIGITS);
            prop_assert_eq!(TicketNumber::parse(&digits), Err(TicketNumberError::WrongLength { got: digits.len() }));
        }

        #[test]
        fn masking_shows_at_most_five_digits(digits in "[0-9]{10}") {
            let masked = TicketNumber::parse(&digits).unwrap().masked();
            prop_assert!(masked.chars().filter(char::is_ascii_digit).count() <= 5);
        }
    }
}
