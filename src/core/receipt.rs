//! Receipt numbers and lookup passwords as people read, type and hear them.

/// Digits in a receipt number: 10 random digits give 10^10 per municipality, so a random
/// draw almost never collides and cannot be enumerated.
pub const RECEIPT_DIGITS: usize = 10;

/// Random bytes in a lookup password: 10 bytes = 80 bits = 16 base32 characters; at the
/// lookup's rate limit guessing is hopeless.
pub const PASSWORD_BYTES: usize = 10;

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
