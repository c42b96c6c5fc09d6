//! The messages through Fluent in both languages.
use super::*;
use crate::i18n::Lang;
use time::macros::date;

/// English may quote the Japanese of the postcard in kanji ("昭和47年"), but no
/// Japanese sentence (kana) may be left in it.
fn has_kana(s: &str) -> bool {
    s.chars().any(|c| ('\u{3041}'..='\u{30FF}').contains(&c))
}

/// The Japanese through Fluent is word for word the Japanese the pages always showed.
#[test]
fn japanese_messages_match_the_display_texts() {
    let today = date!(2026 - 12 - 01);
    let f = NumberFormat::parse("AAA-999999").unwrap();
    let mut number_errors = vec![];
    for input in [
        "",
        "ab!123456",
        "abc12",
        "abc12345O",
        "A1B12345６",
        "abc12345\u{200b}",
    ] {
        if let Err(e) = f.parse_number("番号1", input) {
            number_errors.push(e);
        }
    }
    let g = NumberFormat::parse("XXX-999").unwrap();
    for input in ["AB1123", "ABCI23", "AB0123"] {
        if let Err(e) = g.parse_number("番号2", input) {
            number_errors.push(e);
        }
    }
    assert!(number_errors.len() >= 6, "{number_errors:?}");
    for e in &number_errors {
        assert_eq!(e.msg().resolve(Lang::Ja), e.to_string(), "{e:?}");
        assert_ne!(e.msg().resolve(Lang::En), e.to_string(), "{e:?}");
    }
    let mut birth_errors = vec![];
    for input in [
        "",
        "xyz",
        "19721345",
        "昭和70年1月1日",
        "平成元年1月7日",
        "昭和64年2月1日",
        "18991231",
        "20301231",
        "令和元年4月1日",
        "大正16年1月1日",
    ] {
        if let Err(e) = parse_birthdate(input, today) {
            birth_errors.push(e);
        }
    }
    for parts in [
        ("", "4", "1"),
        ("1972", "", "1"),
        ("19x", "4", "1"),
        ("1972", "13", "1"),
        ("1972", "4", "40"),
    ] {
        if let Err(e) = birthdate_from_parts(parts.0, parts.1, parts.2, today) {
            birth_errors.push(e);
        }
    }
    assert!(birth_errors.len() >= 12, "{birth_errors:?}");
    for e in &birth_errors {
        assert_eq!(e.msg().resolve(Lang::Ja), e.to_string(), "{e:?}");
        assert!(
            !has_kana(&e.msg().resolve(Lang::En)),
            "{e:?}: {}",
            e.msg().resolve(Lang::En)
        );
    }
    let mut email_errors = vec![];
    for input in [
        "",
        "a b@c.jp",
        "a\u{200b}@c.jp",
        "aあ@c.jp",
        "ac.jp",
        "a@b@c.jp",
        "@c.jp",
        "a@",
        "a@c",
        &format!("{}@c.jp", "a".repeat(70)),
        &format!("a@{}.jp", "b".repeat(260)),
    ] {
        if let Err(e) = EmailAddress::parse(input) {
            email_errors.push(e);
        }
    }
    assert!(email_errors.len() >= 9, "{email_errors:?}");
    for e in &email_errors {
        assert_eq!(e.msg().resolve(Lang::Ja), e.to_string(), "{e:?}");
    }
    for e in [
        KanaError::Empty,
        KanaError::NotKatakana { character: 'a' },
        KanaError::NotKatakana {
            character: '\u{200b}',
        },
    ] {
        assert_eq!(e.msg().resolve(Lang::Ja), e.to_string(), "{e:?}");
    }
    for e in [
        TextError::ForbiddenCharacter,
        TextError::TooLong { max: 50, got: 51 },
    ] {
        assert_eq!(e.msg().resolve(Lang::Ja), e.to_string(), "{e:?}");
    }
    for e in [
        PhoneError::Empty,
        PhoneError::UnusableCharacter { character: 'x' },
        PhoneError::UnusableCharacter {
            character: '\u{200b}',
        },
        PhoneError::MissingLeadingZero,
        PhoneError::WrongLength { got: 7 },
    ] {
        assert_eq!(e.msg().resolve(Lang::Ja), e.to_string(), "{e:?}");
        assert!(!has_kana(&e.msg().resolve(Lang::En)), "{e:?}");
    }
    assert_eq!(year_label_in(Lang::En, 1989), "1989 (Showa 64 / Heisei 1)");
    assert_eq!(
        format_date_in(Lang::En, date!(1972 - 04 - 15)),
        "April 15, 1972 (Showa 47)"
    );
    assert_eq!(
        f.describe_in(Lang::En),
        "3 letters or digits and 6 digits (9 in all). Leave out the hyphen (-) printed on the postcard."
    );
}
