//! Properties of the readers over any input: they never panic, fold idempotently and read
//! back what they print.
use proptest::prelude::*;
use time::Date;

use super::tests::TODAY;
use super::*;

// --- properties ----------------------------------------------------------------

/// Characters that stress the folding: separators of every kind, combining marks that
/// can compose once a separator between them and a letter is gone, compatibility forms.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        any::<char>(),
        prop::sample::select(vec![
            'a', 'A', 'o', '0', '1', 'ｱ', 'ﾞ', 'ﾟ', 'か', '\u{3099}', '\u{301}', '\u{308}',
            '\u{327}', '\u{A8}', '\u{3000}', ' ', '-', 'ー', 'ｰ', '－', '\u{2212}', '\u{2010}',
            '\u{FE63}', '\u{207B}', '\u{200B}', 'ß', 'ﬁ', '①', '㍼', 'Ａ', '０', '\u{1E9E}',
        ]),
    ]
}

fn tricky_string() -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..24).prop_map(|chars| chars.into_iter().collect())
}

fn any_day() -> impl Strategy<Value = Date> {
    let first = EARLIEST_BIRTHDATE.to_julian_day();
    let last = TODAY.to_julian_day();
    (first..=last).prop_map(|julian| Date::from_julian_day(julian).unwrap())
}

/// Strings shaped like birthdates, in all the widths and separators residents use.
fn birthdate_like() -> impl Strategy<Value = String> {
    let era = prop::sample::select(vec![
        "", "", "明治", "大正", "昭和", "平成", "令和", "S", "h", "Ｒ", "T", "M", "西暦", "㍻",
    ]);
    let separator =
        prop::sample::select(vec!["/", "-", ".", "年", "月", "日", " ", "ー", "／", ""]);
    (
        era,
        "[0-9元]{0,5}",
        separator.clone(),
        "[0-9]{0,3}",
        separator.clone(),
        "[0-9]{0,3}",
        separator,
    )
        .prop_map(|(era, y, s1, m, s2, d, s3)| format!("{era}{y}{s1}{m}{s2}{d}{s3}"))
}

fn pattern() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::collection::vec(prop::sample::select(vec!['A', '9', 'X']), 1..6),
        1..4,
    )
    .prop_map(|groups| {
        groups
            .into_iter()
            .map(|g| g.into_iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-")
    })
}

proptest! {
    #[test]
    fn fold_number_input_is_idempotent(input in tricky_string()) {
        let once = fold_number_input(&input);
        prop_assert_eq!(fold_number_input(&once), once);
    }

    #[test]
    fn fold_number_input_is_idempotent_on_any_string(input in any::<String>()) {
        let once = fold_number_input(&input);
        prop_assert_eq!(fold_number_input(&once), once);
    }

    #[test]
    fn parse_birthdate_never_panics_and_round_trips(input in prop_oneof![any::<String>(), tricky_string(), birthdate_like()]) {
        if let Ok(day) = parse_birthdate(&input, TODAY) {
            let compact = format!("{:04}{:02}{:02}", day.year(), u8::from(day.month()), day.day());
            prop_assert_eq!(parse_birthdate(&compact, TODAY), Ok(day));
            prop_assert_eq!(parse_birthdate(&western_date_text(day), TODAY), Ok(day));
        }
    }

    #[test]
    fn every_birthdate_round_trips_through_its_displays(day in any_day()) {
        let compact = format!("{:04}{:02}{:02}", day.year(), u8::from(day.month()), day.day());
        prop_assert_eq!(parse_birthdate(&compact, TODAY), Ok(day));
        let shown = format_date_ja(day);
        let without_era = shown.split('(').next().unwrap();
        prop_assert_eq!(parse_birthdate(without_era, TODAY), Ok(day));
        // The era in parentheses, with the month and day, reads back too.
        let (era, era_year) = era_of(day).unwrap();
        let era_form = format!("{}{}", era.year_text(era_year), month_day_text(day));
        prop_assert_eq!(parse_birthdate(&era_form, TODAY), Ok(day));
        prop_assert_eq!(
            birthdate_from_parts(&day.year().to_string(), &u8::from(day.month()).to_string(), &day.day().to_string(), TODAY),
            Ok(day)
        );
    }

    #[test]
    fn email_never_panics_and_is_stable(input in prop_oneof![any::<String>(), tricky_string(), "[a-zA-Zａ-ｚ0-9._+-]{1,10}[@＠][a-zA-Zａ-ｚＡ-Ｚ0-9-]{1,8}[.．][a-zA-Z]{2,4}"]) {
        if let Ok(address) = EmailAddress::parse(&input) {
            prop_assert_eq!(EmailAddress::parse(address.as_str()), Ok(address.clone()));
            prop_assert!(confirm_matches(&address, &input));
        }
    }

    #[test]
    fn parse_number_output_has_the_format_length(pattern in pattern(), input in prop_oneof![any::<String>(), tricky_string(), "[a-zA-Z0-9ａ-ｚ０-９ー -]{0,20}"]) {
        let format = NumberFormat::parse(&pattern).unwrap();
        if let Ok(canonical) = format.parse_number("番号", &input) {
            prop_assert_eq!(canonical.chars().count(), format.len());
        }
    }

    #[test]
    fn numbers_matching_the_format_are_accepted_in_any_typing(
        pattern in pattern(),
        seed in prop::collection::vec(any::<u8>(), 20),
        full_width in any::<bool>(),
        lower in any::<bool>(),
    ) {
        let format = NumberFormat::parse(&pattern).unwrap();
        let canonical: String = format.slots.iter().zip(&seed).map(|(kind, n)| match kind {
            CharKind::Digit => char::from(b'0' + n % 10),
            CharKind::Letter => char::from(b'A' + n % 26),
            CharKind::Alphanumeric => char::from(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[usize::from(n % 36)]),
        }).collect();
        let mut typed = format.display(&canonical).replace('-', "ー");
        if lower {
            typed = typed.to_ascii_lowercase();
        }
        if full_width {
            typed = typed.chars().map(|c| if c.is_ascii_graphic() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c }).collect();
        }
        prop_assert_eq!(format.parse_number("番号", &typed), Ok(canonical.clone()));
        prop_assert_eq!(fold_number_input(&format.display(&canonical)), canonical);
    }

    #[test]
    fn phone_numbers_are_digits_and_read_back(input in prop_oneof![any::<String>(), tricky_string(), "[0-9０-９()（） ー－-]{0,20}"]) {
        if let Ok(digits) = parse_phone(&input) {
            prop_assert!(digits.chars().all(|c| c.is_ascii_digit()), "{}", digits);
            prop_assert_eq!(parse_phone(&digits), Ok(digits.clone()));
        }
    }

    #[test]
    fn phone_numbers_typed_any_width_give_the_same_digits(
        digits in "0[1-9][0-9]{8,9}",
        full_width in any::<bool>(),
        hyphen in prop::sample::select(vec!["-", "ー", "－", " ", ""]),
    ) {
        let grouped = format!("{}{hyphen}{}{hyphen}{}", &digits[..3], &digits[3..6], &digits[6..]);
        let typed: String = if full_width {
            grouped.chars().map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c }).collect()
        } else {
            grouped
        };
        prop_assert_eq!(parse_phone(&typed), Ok(digits.clone()));
    }

    #[test]
    fn small_helpers_never_panic(input in prop_oneof![any::<String>(), tricky_string()]) {
        let _ = parse_phone(&input);
        let _ = fold_digits(&input);
        if let Ok(kana) = parse_kana(&input) {
            prop_assert_eq!(parse_kana(&kana), Ok(kana.clone()));
        }
        if let Ok(text) = clean_text(&input, 10) {
            prop_assert!(text.chars().count() <= 10);
            prop_assert_eq!(clean_text(&text, 10), Ok(text.clone()));
        }
    }
}
