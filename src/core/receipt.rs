//! Receipt numbers and lookup passwords as people read, type and hear them.

/// Digits in a receipt number: 10 random digits give 10^10 per municipality, so a random
/// draw almost never collides and cannot be enumerated.
pub const RECEIPT_DIGITS: usize = 10;

/// Random bytes in a lookup password: 10 bytes = 80 bits = 16 base32 characters; at the
/// lookup's rate limit guessing is hopeless.
pub const PASSWORD_BYTES: usize = 10;

/// Why a receipt number typed at the counter, or typed by a scanner, was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptInputError {
    /// Nothing but spaces and hyphens.
    Empty,
    /// A letter, kanji or symbol: a receipt number is digits only (another QR code, or a
    /// scanner typing in the wrong keyboard layout).
    NotDigits,
    /// Digits, but not [`RECEIPT_DIGITS`] of them (a digit missed or typed twice).
    WrongLength { digits: usize },
}

/// A receipt number as people and scanners type it, as stored: full-width digits (an IME
/// left on, which a USB scanner types through too), hyphens of any kind and spaces (the
/// number as printed, "1234-5678-90"), control characters a scanner may add around what
/// it read (a tab, a group separator), and lower case are all accepted. Ok is exactly
/// [`RECEIPT_DIGITS`] ASCII digits.
pub fn parse_receipt(input: &str) -> Result<String, ReceiptInputError> {
    let folded: String = crate::core::resident_input::fold_number_input(input)
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if folded.is_empty() {
        return Err(ReceiptInputError::Empty);
    }
    if !folded.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ReceiptInputError::NotDigits);
    }
    if folded.len() != RECEIPT_DIGITS {
        return Err(ReceiptInputError::WrongLength {
            digits: folded.len(),
        });
    }
    Ok(folded)
}

/// "1234567890" → "1234-5678-90": easier to read aloud over the phone.
pub fn format_receipt(receipt: &str) -> String {
    group(receipt, 4)
}

/// "ABCDEFGHIJKLMNOP" → "ABCD-EFGH-IJKL-MNOP".
pub fn format_password(password: &str) -> String {
    group(password, 4)
}

fn group(s: &str, size: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars
        .chunks(size)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A notice number with its middle hidden ("AB1234567" → "AB1-****67"), for rosters, mails
/// and pages that should identify a notice without repeating it whole.
pub fn mask_number(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() <= 5 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}-{}{tail}", "*".repeat(chars.len() - 5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_and_passwords_are_grouped_by_four() {
        assert_eq!(format_receipt("1234567890"), "1234-5678-90");
        assert_eq!(format_password("ABCDEFGHIJKLMNOP"), "ABCD-EFGH-IJKL-MNOP");
        assert_eq!(format_receipt(""), "");
    }

    #[test]
    fn masking_keeps_three_in_front_and_two_behind() {
        assert_eq!(mask_number("AB1234567"), "AB1-****67");
        assert_eq!(mask_number("ABCDEFGHIJKLMNOPQR"), "ABC-*************QR");
        assert_eq!(mask_number("ABC"), "***");
    }

    #[test]
    fn receipts_are_read_as_people_and_scanners_type_them() {
        for typed in [
            "1234567890",
            "1234-5678-90",
            "１２３４−５６７８−９０",
            " 1234 5678 90 ",
            "1234ー5678ー90",
            "1234‐5678―90",
            "1234567890\r\n",
            "\t1234567890\u{1d}",
            "1234\u{200B}567890",
            "１２３４　５６７８　９０",
        ] {
            assert_eq!(
                parse_receipt(typed).as_deref(),
                Ok("1234567890"),
                "{typed:?}"
            );
        }
    }

    #[test]
    fn what_is_not_a_receipt_number_says_why() {
        assert_eq!(parse_receipt(""), Err(ReceiptInputError::Empty));
        assert_eq!(parse_receipt(" - ー "), Err(ReceiptInputError::Empty));
        assert_eq!(parse_receipt("\r\n"), Err(ReceiptInputError::Empty));
        assert_eq!(
            parse_receipt("123456789"),
            Err(ReceiptInputError::WrongLength { digits: 9 })
        );
        assert_eq!(
            parse_receipt("12345678901"),
            Err(ReceiptInputError::WrongLength { digits: 11 })
        );
        // Letters, lower or upper case, another QR code's URL, kanji, signs.
        for typed in [
            "abcd-efgh-ij",
            "123456789o",
            "https://example.jp/1234567890",
            "受付番号1234567890",
            "+1234567890",
            "1234.5678.90",
        ] {
            assert_eq!(
                parse_receipt(typed),
                Err(ReceiptInputError::NotDigits),
                "{typed:?}"
            );
        }
        // Digits of other scripts are not receipt digits, even when NFKC keeps them.
        assert_eq!(
            parse_receipt("١٢٣٤٥٦٧٨٩٠"),
            Err(ReceiptInputError::NotDigits)
        );
    }

    proptest::proptest! {
        /// Every receipt number reads back from how it is printed, grouped by four, in
        /// full-width, and with spaces; no input makes the parser panic, and what it
        /// accepts is always ten ASCII digits.
        #[test]
        fn receipts_read_back_from_every_writing(
            receipt in "[0-9]{10}",
            junk in proptest::prelude::any::<String>(),
        ) {
            let full_width: String = receipt
                .chars()
                .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
                .collect();
            for written in [
                receipt.clone(),
                format_receipt(&receipt),
                format_receipt(&full_width),
                format!(" {} ", format_receipt(&receipt).replace('-', " ")),
            ] {
                proptest::prop_assert_eq!(parse_receipt(&written), Ok(receipt.clone()), "{}", written);
            }
            if let Ok(parsed) = parse_receipt(&junk) {
                proptest::prop_assert!(parsed.len() == RECEIPT_DIGITS && parsed.bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }

    proptest::proptest! {
        /// A masked number never shows more than five of its characters, keeps its length
        /// in stars, and grouping a receipt only adds hyphens.
        #[test]
        fn masking_hides_all_but_five_and_grouping_only_adds_hyphens(number in "[A-Z0-9あ-ん]{0,30}") {
            let masked = mask_number(&number);
            let shown = masked.chars().filter(|c| *c != '*' && *c != '-').count();
            proptest::prop_assert!(shown <= 5, "{}", masked);
            proptest::prop_assert_eq!(masked.chars().filter(|c| *c != '-').count(), number.chars().count());
            proptest::prop_assert_eq!(format_receipt(&number).replace('-', ""), number.clone());
        }
    }
}
