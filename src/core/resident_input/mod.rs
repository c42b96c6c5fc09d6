//! Parses what residents type into the booking form (notice numbers, birthdates, email, phone, furigana, names) into canonical values, with Japanese error sentences for the field.

use unicode_normalization::UnicodeNormalization;

// ---------------------------------------------------------------------------
// Shared folding
// ---------------------------------------------------------------------------

/// NFKC turns full-width digits, letters and punctuation (and half-width katakana, and the
/// one-character era signs such as ㍼) into the forms the parsers below expect.
fn nfkc(input: &str) -> String {
    input.nfkc().collect()
}

/// Every character a resident may type where a hyphen was meant.
///
/// NFKC folds only a few of these to `-` (U+FF0D, U+FE63) and leaves the rest, U+2010–U+2015,
/// U+2212 and `ー` included, as they are; a Japanese IME in kana mode turns the `-` key into
/// `ー`. So they are all listed, raw and NFKC forms alike, and the check is right whichever
/// side of normalisation it is made on.
const HYPHEN_LIKE: &[char] = &[
    '-',        // hyphen-minus
    '\u{00AD}', // soft hyphen, pasted from web pages
    '\u{02D7}', // modifier letter minus
    '\u{2010}', // hyphen
    '\u{2011}', // non-breaking hyphen
    '\u{2012}', // figure dash
    '\u{2013}', // en dash
    '\u{2014}', // em dash
    '\u{2015}', // horizontal bar
    '\u{2043}', // hyphen bullet
    '\u{207B}', // superscript minus
    '\u{208B}', // subscript minus
    '\u{2212}', // minus sign: what many Japanese IMEs give for a full-width "-"
    '\u{2796}', // heavy minus sign
    '\u{2E3A}', // two-em dash
    '\u{2E3B}', // three-em dash
    '\u{2500}', // box-drawing horizontal: an IME candidate when converting "ー"
    '\u{2501}', // box-drawing heavy horizontal, same reason
    '\u{30FC}', // katakana long vowel mark ー: the kana-mode "-"
    '\u{FE31}', // vertical em dash
    '\u{FE32}', // vertical en dash
    '\u{FE58}', // small em dash
    '\u{FE63}', // small hyphen-minus
    '\u{FF0D}', // full-width hyphen-minus
    '\u{FF70}', // half-width katakana long vowel mark ｰ
];

fn is_hyphen_like(c: char) -> bool {
    HYPHEN_LIKE.contains(&c)
}

/// Zero-width characters arrive invisibly with copy and paste; nobody means to type them.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Characters that would render as nothing (or reorder text) if echoed back in an error
/// message, so the message must not quote them.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || is_zero_width(c)
        || is_bidi_control(c)
        || matches!(c, '\u{00AD}' | '\u{200E}' | '\u{200F}')
}

/// Embedding, override and isolate controls: they can make a name display as something
/// other than what is stored, so they are never accepted.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// "「x」" for a character that can be shown, or nothing for one that cannot.
fn quoted_if_visible(c: char) -> String {
    if is_invisible(c) {
        String::new()
    } else {
        format!("「{c}」")
    }
}

/// A short run of ASCII digits as a number; `None` for anything else, so callers never
/// have to worry about overflow or stray characters.
fn ascii_number(text: &str, max_digits: usize) -> Option<u32> {
    if text.is_empty() || text.len() > max_digits || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// NFKC and trimming, for numeric fields such as party size or phone number.
pub fn fold_digits(input: &str) -> String {
    nfkc(input).trim().to_string()
}

mod birthdate;
mod contact;
#[cfg(test)]
mod message_tests;
mod number;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use birthdate::*;
pub use contact::*;
pub use number::*;
