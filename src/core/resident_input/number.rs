//! Notice numbers (交付通知書の番号): their format per municipality, folding what was typed,
//! and the message for each way a number can be wrong.
use std::fmt;

use super::*;
use crate::i18n::{Lang, Msg};

// ---------------------------------------------------------------------------
// Notice numbers (交付通知書の番号)
// ---------------------------------------------------------------------------

/// What may stand at one position of a notice number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CharKind {
    /// `9` in a pattern.
    Digit,
    /// `X` in a pattern.
    Letter,
    /// `A` in a pattern.
    Alphanumeric,
}

impl CharKind {
    /// The word used in messages and help text.
    pub fn name(self) -> &'static str {
        match self {
            CharKind::Digit => "数字",
            CharKind::Letter => "英字",
            CharKind::Alphanumeric => "英数字",
        }
    }

    /// Only ASCII counts: the numbers are printed in ASCII, and full-width input has
    /// already been folded by NFKC before this is asked.
    fn accepts(self, c: char) -> bool {
        match self {
            CharKind::Digit => c.is_ascii_digit(),
            CharKind::Letter => c.is_ascii_uppercase(),
            CharKind::Alphanumeric => c.is_ascii_digit() || c.is_ascii_uppercase(),
        }
    }

    fn from_pattern(c: char) -> Option<CharKind> {
        match c {
            '9' => Some(CharKind::Digit),
            'X' => Some(CharKind::Letter),
            'A' => Some(CharKind::Alphanumeric),
            _ => None,
        }
    }
}

/// The pattern printed on most notices for number 1: typed as 9 characters, printed with a hyphen.
pub const NOTICE_NUMBER_1_PATTERN: &str = "AAA-999999";
/// The pattern for number 2: 18 alphanumerics.
pub const NOTICE_NUMBER_2_PATTERN: &str = "AAAAAAAAAAAAAAAAAA";

/// A tenant's format for one notice number, parsed from a pattern such as `AAA-999999`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormat {
    pattern: String,
    /// One entry per typed character.
    pub(super) slots: Vec<CharKind>,
    /// Lengths of the runs between printed hyphens, for display.
    groups: Vec<usize>,
}

impl NumberFormat {
    /// Reads a pattern: `A` alphanumeric, `9` digit, `X` letter, `-` a hyphen printed on the notice.
    ///
    /// The error is for whoever configures the tenant, not for residents.
    pub fn parse(pattern: &str) -> Result<NumberFormat, String> {
        if pattern.is_empty() {
            return Err("番号の書式が空です。".to_string());
        }
        if pattern.starts_with('-') || pattern.ends_with('-') {
            return Err(format!(
                "番号の書式「{pattern}」の先頭と末尾にはハイフンを置けません。"
            ));
        }
        if pattern.contains("--") {
            return Err(format!("番号の書式「{pattern}」でハイフンが続いています。"));
        }
        let mut slots = Vec::new();
        let mut groups = Vec::new();
        let mut group_len = 0;
        for c in pattern.chars() {
            if c == '-' {
                groups.push(group_len);
                group_len = 0;
            } else if let Some(kind) = CharKind::from_pattern(c) {
                slots.push(kind);
                group_len += 1;
            } else {
                return Err(format!(
                    "番号の書式「{pattern}」に使えない文字「{c}」があります。使えるのは A(英数字)・9(数字)・X(英字)・-(ハイフン)です。"
                ));
            }
        }
        groups.push(group_len);
        Ok(NumberFormat {
            pattern: pattern.to_string(),
            slots,
            groups,
        })
    }

    /// The default format of number 1 (`AAA-999999`).
    pub fn notice_number_1() -> NumberFormat {
        NumberFormat::parse(NOTICE_NUMBER_1_PATTERN).expect("the built-in pattern is valid")
    }

    /// The default format of number 2 (18 alphanumerics).
    pub fn notice_number_2() -> NumberFormat {
        NumberFormat::parse(NOTICE_NUMBER_2_PATTERN).expect("the built-in pattern is valid")
    }

    /// The pattern this format was parsed from.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// How many characters the resident types (printed hyphens are not typed).
    #[expect(
        clippy::len_without_is_empty,
        reason = "parse rejects empty patterns, so a format is never empty"
    )]
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// The canonical number with the hyphens where the notice prints them, so the
    /// resident can compare it with the card: "AB1234567" → "AB1-234567".
    ///
    /// A value of the wrong length is returned unchanged rather than split wrongly.
    pub fn display(&self, canonical: &str) -> String {
        if canonical.chars().count() != self.len() {
            return canonical.to_string();
        }
        let mut chars = canonical.chars();
        let mut shown = String::with_capacity(canonical.len() + self.groups.len());
        for (index, &group_len) in self.groups.iter().enumerate() {
            if index > 0 {
                shown.push('-');
            }
            shown.extend(chars.by_ref().take(group_len));
        }
        shown
    }

    /// Help text shown under the field, e.g.
    /// 「英数字3桁と数字6桁(計9桁)。ハガキに印字されたハイフン(-)は入力不要です。」
    pub fn describe(&self) -> String {
        // Runs of the same kind are merged across hyphens: the resident does not type them.
        let mut runs: Vec<(CharKind, usize)> = Vec::new();
        for &kind in &self.slots {
            match runs.last_mut() {
                Some((last, count)) if *last == kind => *count += 1,
                _ => runs.push((kind, 1)),
            }
        }
        let parts: Vec<String> = runs
            .iter()
            .map(|(kind, count)| format!("{}{}桁", kind.name(), count))
            .collect();
        let mut text = match parts.len() {
            1 => format!("{}。", parts[0]),
            2 => format!("{}(計{}桁)。", parts.join("と"), self.len()),
            _ => format!("{}(計{}桁)。", parts.join("、"), self.len()),
        };
        if self.groups.len() > 1 {
            text.push_str("ハガキに印字されたハイフン(-)は入力不要です。");
        }
        text
    }

    /// The kind that covers every position, used when the position is not yet meaningful
    /// (a stray character, a wrong length).
    fn overall_kind(&self) -> CharKind {
        if self.slots.iter().all(|&k| k == CharKind::Digit) {
            CharKind::Digit
        } else if self.slots.iter().all(|&k| k == CharKind::Letter) {
            CharKind::Letter
        } else {
            CharKind::Alphanumeric
        }
    }

    /// Validates what the resident typed into the field labelled `label` (e.g. "番号1") and
    /// returns the canonical number: upper case, no separators.
    ///
    /// Look-alikes (O and 0, I and 1) are deliberately not corrected: a wrong guess would
    /// match someone else's notice. The error points at the position instead.
    pub fn parse_number(&self, label: &str, input: &str) -> Result<String, NumberError> {
        let folded = fold_number_input(input);
        if folded.is_empty() {
            return Err(NumberError::Empty {
                label: label.to_string(),
            });
        }
        let allowed = self.overall_kind();
        // A character that fits nowhere is reported before the length, because the length
        // message would only confuse someone who typed a kanji or a symbol.
        if let Some(character) = folded.chars().find(|&c| !allowed.accepts(c)) {
            return Err(NumberError::UnusableCharacter {
                label: label.to_string(),
                character,
                allowed,
            });
        }
        let got = folded.chars().count();
        if got != self.len() {
            return Err(NumberError::WrongLength {
                label: label.to_string(),
                kind: allowed,
                expected: self.len(),
                got,
            });
        }
        for (index, (found, &expected)) in folded.chars().zip(&self.slots).enumerate() {
            if !expected.accepts(found) {
                return Err(NumberError::WrongCharacter {
                    label: label.to_string(),
                    position: index + 1,
                    expected,
                    found,
                });
            }
        }
        Ok(folded)
    }
}

/// Folds a typed notice number: NFKC (full-width → ASCII), every space and every
/// hyphen/dash/minus variant removed, ASCII letters upper-cased.
///
/// Only ASCII is upper-cased: Unicode upper-casing turns `ß` into `SS`, which would then
/// pass as two letters. Non-ASCII letters stay as they are and are rejected by the parser.
pub fn fold_number_input(input: &str) -> String {
    // Removing a separator can put a combining mark next to a new base character, which
    // NFKC would then compose; one more pass settles it, so folding is idempotent. The
    // bound only guards against looping forever on some input nobody has found.
    let mut folded = fold_number_once(input);
    for _ in 0..4 {
        let again = fold_number_once(&folded);
        if again == folded {
            break;
        }
        folded = again;
    }
    folded
}

fn fold_number_once(input: &str) -> String {
    input
        .nfkc()
        .filter(|&c| !(c.is_whitespace() || is_hyphen_like(c) || is_zero_width(c)))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Why a notice number was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    Empty {
        label: String,
    },
    /// A character that fits no position of the format (kanji, symbols, a letter in an
    /// all-digit number).
    UnusableCharacter {
        label: String,
        character: char,
        allowed: CharKind,
    },
    WrongLength {
        label: String,
        kind: CharKind,
        expected: usize,
        got: usize,
    },
    /// `position` counts from 1, as the resident counts.
    WrongCharacter {
        label: String,
        position: usize,
        expected: CharKind,
        found: char,
    },
}

impl NumberError {
    /// The sentence shown beside the field.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

/// The character commonly confused with `found` when `expected` was wanted, with how
/// both are read aloud, so the hint can name them unambiguously.
fn look_alike(found: char, expected: CharKind) -> Option<(&'static str, &'static str)> {
    match (found, expected) {
        ('O', CharKind::Digit) => Some(("英字の「O(オー)」", "数字の「0(ゼロ)」")),
        ('I', CharKind::Digit) => Some(("英字の「I(アイ)」", "数字の「1(イチ)」")),
        ('0', CharKind::Letter) => Some(("数字の「0(ゼロ)」", "英字の「O(オー)」")),
        ('1', CharKind::Letter) => Some(("数字の「1(イチ)」", "英字の「I(アイ)」")),
        _ => None,
    }
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NumberError::Empty { label } => write!(f, "{label}を入力してください。"),
            NumberError::UnusableCharacter {
                label,
                character,
                allowed,
            } => write!(
                f,
                "{label}に使えない文字{}が含まれています。{}で入力してください。",
                quoted_if_visible(*character),
                allowed.name()
            ),
            NumberError::WrongLength {
                label,
                kind,
                expected,
                got,
            } => write!(
                f,
                "{label}は{}{expected}桁で入力してください(入力されたのは{got}桁です)。",
                kind.name()
            ),
            NumberError::WrongCharacter {
                label,
                position,
                expected,
                found,
            } => {
                write!(
                    f,
                    "{label}の{position}桁目は{}です(「{found}」が入力されています)。",
                    expected.name()
                )?;
                if let Some((typed, meant)) = look_alike(*found, *expected) {
                    write!(f, "{typed}ではなく{meant}ではありませんか。")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for NumberError {}

// The messages as ids for the page's language (`crate::i18n`).

impl CharKind {
    fn msg(self) -> Msg {
        Msg::new(match self {
            CharKind::Digit => "kind-digit",
            CharKind::Letter => "kind-letter",
            CharKind::Alphanumeric => "kind-alnum",
        })
    }
}

/// A field's name as a message when it is one the pages know, else as written.
fn label_arg(label: &str) -> crate::i18n::Arg {
    match label {
        "番号1" => Msg::new("label-number1").into(),
        "番号2" => Msg::new("label-number2").into(),
        other => other.into(),
    }
}

impl NumberError {
    /// The message shown beside the field, in the page's language.
    pub fn msg(&self) -> Msg {
        match self {
            NumberError::Empty { label } => {
                Msg::new("error-number-empty").arg("label", label_arg(label))
            }
            NumberError::UnusableCharacter {
                label,
                character,
                allowed,
            } => {
                let id = if is_invisible(*character) {
                    "error-number-unusable-invisible"
                } else {
                    "error-number-unusable"
                };
                Msg::new(id)
                    .arg("label", label_arg(label))
                    .arg("char", character.to_string())
                    .arg("allowed", allowed.msg())
            }
            NumberError::WrongLength {
                label,
                kind,
                expected,
                got,
            } => Msg::new("error-number-length")
                .arg("label", label_arg(label))
                .arg("kind", kind.msg())
                .arg("expected", *expected)
                .arg("got", *got),
            NumberError::WrongCharacter {
                label,
                position,
                expected,
                found,
            } => {
                let hint = match (found, expected) {
                    ('O', CharKind::Digit) => Some("lookalike-o-digit"),
                    ('I', CharKind::Digit) => Some("lookalike-i-digit"),
                    ('0', CharKind::Letter) => Some("lookalike-0-letter"),
                    ('1', CharKind::Letter) => Some("lookalike-1-letter"),
                    _ => None,
                };
                Msg::new("error-number-position")
                    .arg("label", label_arg(label))
                    .arg("position", *position)
                    .arg("kind", expected.msg())
                    .arg("found", found.to_string())
                    .arg(
                        "hint",
                        hint.map_or(crate::i18n::Arg::from(""), |h| Msg::new(h).into()),
                    )
            }
        }
    }
}

impl NumberFormat {
    /// [`NumberFormat::describe`] in `lang`.
    pub fn describe_in(&self, lang: Lang) -> String {
        if lang == Lang::Ja {
            return self.describe();
        }
        let mut runs: Vec<(CharKind, usize)> = Vec::new();
        for &kind in &self.slots {
            match runs.last_mut() {
                Some((last, count)) if *last == kind => *count += 1,
                _ => runs.push((kind, 1)),
            }
        }
        let parts: Vec<String> = runs
            .iter()
            .map(|(kind, count)| format!("{count} {}", kind.msg().resolve(lang)))
            .collect();
        let mut text = match parts.len() {
            1 => format!("{}.", parts[0]),
            _ => format!("{} ({} in all).", parts.join(" and "), self.len()),
        };
        if self.groups.len() > 1 {
            text.push_str(" Leave out the hyphen (-) printed on the postcard.");
        }
        text
    }
}
