//! Parses what residents type into the booking form (notice numbers, birthdates, email, phone, furigana, names) into canonical values, with Japanese error sentences for the field.

use std::fmt;

use time::macros::date;
use time::{Date, Month, Weekday};
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
    slots: Vec<CharKind>,
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

// ---------------------------------------------------------------------------
// Birthdates (誕生日)
// ---------------------------------------------------------------------------

/// Japanese eras that birthdates of living residents can fall in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Era {
    Meiji,
    Taisho,
    Showa,
    Heisei,
    Reiwa,
}

/// No resident's birthdate is earlier; it also keeps Meiji's pre-Gregorian years out.
const EARLIEST_BIRTHDATE: Date = date!(1900 - 01 - 01);

/// `time` cannot represent later years; such an input is a future date anyway.
const LATEST_REPRESENTABLE_YEAR: i32 = 9999;

impl Era {
    /// Oldest first.
    pub const ALL: [Era; 5] = [Era::Meiji, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa];

    pub fn name(&self) -> &'static str {
        match self {
            Era::Meiji => "明治",
            Era::Taisho => "大正",
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    /// The initial used in short forms such as `S47.4.15`.
    pub fn letter(&self) -> char {
        match self {
            Era::Meiji => 'M',
            Era::Taisho => 'T',
            Era::Showa => 'S',
            Era::Heisei => 'H',
            Era::Reiwa => 'R',
        }
    }

    pub fn first_day(&self) -> Date {
        match self {
            // Meiji was proclaimed in October 1868 but applied from the first day of
            // 慶応4年, which is this Gregorian date. Only dates from 1900 are accepted
            // anyway, so the lunar-calendar years never matter here.
            Era::Meiji => date!(1868 - 01 - 25),
            Era::Taisho => date!(1912 - 07 - 30),
            Era::Showa => date!(1926 - 12 - 25),
            Era::Heisei => date!(1989 - 01 - 08),
            Era::Reiwa => date!(2019 - 05 - 01),
        }
    }

    /// `None` for the current era.
    pub fn last_day(&self) -> Option<Date> {
        self.next().and_then(|next| next.first_day().previous_day())
    }

    fn previous(self) -> Option<Era> {
        let index = Era::ALL.iter().position(|&e| e == self)?;
        index.checked_sub(1).map(|i| Era::ALL[i])
    }

    fn next(self) -> Option<Era> {
        let index = Era::ALL.iter().position(|&e| e == self)?;
        Era::ALL.get(index + 1).copied()
    }

    /// The Western year of this era's year `era_year` (1 = 元年).
    fn western_year(self, era_year: i32) -> i32 {
        self.first_day().year() + era_year - 1
    }

    /// "昭和47年", "平成元年".
    fn year_text(self, era_year: i32) -> String {
        if era_year == 1 {
            format!("{}元年", self.name())
        } else {
            format!("{}{}年", self.name(), era_year)
        }
    }
}

/// The era a day falls in and its year in that era; `None` before Meiji.
pub fn era_of(day: Date) -> Option<(Era, i32)> {
    Era::ALL
        .iter()
        .rev()
        .find(|era| era.first_day() <= day)
        .map(|&era| (era, day.year() - era.first_day().year() + 1))
}

/// Which of the three separate birthdate fields an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DatePart {
    Year,
    Month,
    Day,
}

impl DatePart {
    fn name(self) -> &'static str {
        match self {
            DatePart::Year => "年",
            DatePart::Month => "月",
            DatePart::Day => "日",
        }
    }
}

/// Why a birthdate was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BirthdateError {
    Empty,
    /// Not in any of the accepted shapes.
    Unrecognized,
    /// One of the three separate fields is blank.
    MissingPart(DatePart),
    /// One of the three separate fields is not a plausible number.
    InvalidPart(DatePart),
    /// Month 13, 2月30日, era year 0 and the like.
    NoSuchDate,
    /// e.g. 昭和70年: the era ended before that year.
    EraYearTooLarge {
        era: Era,
    },
    /// e.g. 平成元年1月7日: still the previous era.
    BeforeEraStart {
        era: Era,
    },
    /// e.g. 昭和64年2月1日: already the next era.
    AfterEraEnd {
        era: Era,
    },
    TooEarly,
    InFuture,
}

impl BirthdateError {
    /// The sentence shown beside the field.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

fn month_day_text(day: Date) -> String {
    format!("{}月{}日", u8::from(day.month()), day.day())
}

impl fmt::Display for BirthdateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BirthdateError::Empty => write!(f, "誕生日を入力してください。"),
            BirthdateError::Unrecognized => write!(
                f,
                "誕生日は「19720415」または「昭和47年4月15日」のように入力してください。"
            ),
            BirthdateError::MissingPart(part) => {
                write!(f, "誕生日の{}を入力してください。", part.name())
            }
            BirthdateError::InvalidPart(DatePart::Year) => {
                write!(f, "誕生日の年は西暦4桁(例: 1972)で入力してください。")
            }
            BirthdateError::InvalidPart(DatePart::Month) => {
                write!(f, "誕生日の月は1から12までの数字で入力してください。")
            }
            BirthdateError::InvalidPart(DatePart::Day) => {
                write!(f, "誕生日の日は1から31までの数字で入力してください。")
            }
            BirthdateError::NoSuchDate => write!(f, "存在しない日付です。"),
            BirthdateError::EraYearTooLarge { era } => match era.last_day().and_then(era_of) {
                Some((_, last_year)) => write!(
                    f,
                    "{}は{}年({}年)までです。",
                    era.name(),
                    last_year,
                    era.western_year(last_year)
                ),
                None => write!(f, "存在しない日付です。"),
            },
            BirthdateError::BeforeEraStart { era } => {
                write!(
                    f,
                    "{}は{}からです。",
                    era.year_text(1),
                    month_day_text(era.first_day())
                )?;
                if let Some(last) = era.previous().and_then(|p| p.last_day())
                    && let Some((previous, year)) = era_of(last)
                {
                    write!(
                        f,
                        "{}までは{}です。",
                        month_day_text(last),
                        previous.year_text(year)
                    )?;
                }
                Ok(())
            }
            BirthdateError::AfterEraEnd { era } => {
                let Some(last) = era.last_day() else {
                    return write!(f, "存在しない日付です。");
                };
                let (_, last_year) = era_of(last).unwrap_or((*era, 1));
                write!(
                    f,
                    "{}は{}までです。",
                    era.year_text(last_year),
                    month_day_text(last)
                )?;
                if let Some(next) = era.next() {
                    write!(
                        f,
                        "{}からは{}です。",
                        month_day_text(next.first_day()),
                        next.year_text(1)
                    )?;
                }
                Ok(())
            }
            BirthdateError::TooEarly => write!(f, "1900年1月1日より前の日付は入力できません。"),
            BirthdateError::InFuture => write!(f, "未来の日付は入力できません。"),
        }
    }
}

impl std::error::Error for BirthdateError {}

/// Separators residents put between year, month and day. Hyphen variants matter because
/// a kana-mode IME types `ー` for `-`; `・` appears in "47・4・15".
fn is_date_separator(c: char) -> bool {
    c.is_whitespace()
        || is_hyphen_like(c)
        || is_zero_width(c)
        || matches!(c, '/' | '.' | ',' | '、' | '。' | '・' | '年' | '月' | '日')
}

/// Splits a leading era (kanji name, or its initial in either case) off the text.
fn split_era(text: &str) -> (Option<Era>, &str) {
    for era in Era::ALL {
        if let Some(rest) = text.strip_prefix(era.name()) {
            return (Some(era), rest);
        }
    }
    let mut chars = text.chars();
    if let Some(first) = chars.next()
        && let Some(era) = Era::ALL
            .into_iter()
            .find(|era| era.letter() == first.to_ascii_uppercase())
    {
        return (Some(era), chars.as_str());
    }
    (None, text)
}

/// Reads a birthdate typed in one field. Accepted shapes, in any width and with
/// surrounding spaces: `19720415`, `1972/4/15` (or `-`, `.`, spaces as separators),
/// `1972年4月15日`, `昭和47年4月15日`, `昭和47/4/15`, `S47.4.15`, `s47/04/15`, `平成元年1月8日`.
///
/// `today` comes from the caller because this module has no clock; dates after it are refused.
pub fn parse_birthdate(input: &str, today: Date) -> Result<Date, BirthdateError> {
    let folded = nfkc(input);
    let text = folded.trim_matches(|c: char| c.is_whitespace() || is_zero_width(c));
    if text.is_empty() {
        return Err(BirthdateError::Empty);
    }
    // "西暦" is sometimes written out; it rules out an era after it.
    let (era, rest) = match text.strip_prefix("西暦") {
        Some(rest) => (None, rest),
        None => split_era(text),
    };
    let tokens: Vec<&str> = rest
        .split(is_date_separator)
        .filter(|t| !t.is_empty())
        .collect();
    match (era, tokens.as_slice()) {
        (None, [compact]) => {
            // YYYYMMDD; the all-digit check also makes the byte slicing safe.
            if compact.len() != 8 || !compact.bytes().all(|b| b.is_ascii_digit()) {
                return Err(BirthdateError::Unrecognized);
            }
            let (year, month, day) = (&compact[..4], &compact[4..6], &compact[6..]);
            let (month, day) = month_and_day(month, day)?;
            checked_birthdate(number_or_unrecognized(year, 4)?, month, day, None, today)
        }
        (None, [year, month, day]) => {
            // Two-digit years are ambiguous and month-first orders are not Japanese.
            if year.len() != 4 {
                return Err(BirthdateError::Unrecognized);
            }
            let (month, day) = month_and_day(month, day)?;
            checked_birthdate(number_or_unrecognized(year, 4)?, month, day, None, today)
        }
        (Some(era), [era_year, month, day]) => {
            let era_year = if *era_year == "元" {
                1
            } else {
                number_or_unrecognized(era_year, 4)?
            };
            let (month, day) = month_and_day(month, day)?;
            let year = era.western_year(era_year);
            checked_birthdate(year, month, day, Some((era, era_year)), today)
        }
        _ => Err(BirthdateError::Unrecognized),
    }
}

fn number_or_unrecognized(text: &str, max_digits: usize) -> Result<i32, BirthdateError> {
    ascii_number(text, max_digits)
        .and_then(|n| i32::try_from(n).ok())
        .ok_or(BirthdateError::Unrecognized)
}

fn month_and_day(month: &str, day: &str) -> Result<(i32, i32), BirthdateError> {
    Ok((
        number_or_unrecognized(month, 2)?,
        number_or_unrecognized(day, 2)?,
    ))
}

/// The checks shared by every shape once the numbers are read, most specific first.
fn checked_birthdate(
    year: i32,
    month: i32,
    day: i32,
    era: Option<(Era, i32)>,
    today: Date,
) -> Result<Date, BirthdateError> {
    if let Some((era, era_year)) = era {
        if era_year < 1 {
            return Err(BirthdateError::NoSuchDate);
        }
        if let Some(last) = era.last_day()
            && year > last.year()
        {
            return Err(BirthdateError::EraYearTooLarge { era });
        }
    }
    if year > LATEST_REPRESENTABLE_YEAR {
        return Err(BirthdateError::InFuture);
    }
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(BirthdateError::NoSuchDate)?;
    let day = u8::try_from(day).map_err(|_| BirthdateError::NoSuchDate)?;
    let birthdate =
        Date::from_calendar_date(year, month, day).map_err(|_| BirthdateError::NoSuchDate)?;
    if birthdate < EARLIEST_BIRTHDATE {
        return Err(BirthdateError::TooEarly);
    }
    if let Some((era, _)) = era {
        if birthdate < era.first_day() {
            return Err(BirthdateError::BeforeEraStart { era });
        }
        if era.last_day().is_some_and(|last| birthdate > last) {
            return Err(BirthdateError::AfterEraEnd { era });
        }
    }
    if birthdate > today {
        return Err(BirthdateError::InFuture);
    }
    Ok(birthdate)
}

/// Reads a birthdate entered as three separate fields or selects; the year is Western.
/// Each part may be full-width and may carry its unit ("1972年", "4月").
pub fn birthdate_from_parts(
    year: &str,
    month: &str,
    day: &str,
    today: Date,
) -> Result<Date, BirthdateError> {
    let year = date_part(year, DatePart::Year, 4, 4)?;
    let month = date_part(month, DatePart::Month, 1, 2)?;
    let day = date_part(day, DatePart::Day, 1, 2)?;
    if !(1..=12).contains(&month) {
        return Err(BirthdateError::InvalidPart(DatePart::Month));
    }
    if !(1..=31).contains(&day) {
        return Err(BirthdateError::InvalidPart(DatePart::Day));
    }
    checked_birthdate(year, month, day, None, today)
}

fn date_part(
    input: &str,
    part: DatePart,
    min_digits: usize,
    max_digits: usize,
) -> Result<i32, BirthdateError> {
    let folded = fold_digits(input);
    let digits = folded.strip_suffix(part.name()).unwrap_or(&folded).trim();
    if digits.is_empty() {
        return Err(BirthdateError::MissingPart(part));
    }
    if digits.len() < min_digits {
        return Err(BirthdateError::InvalidPart(part));
    }
    ascii_number(digits, max_digits)
        .and_then(|n| i32::try_from(n).ok())
        .ok_or(BirthdateError::InvalidPart(part))
}

/// A year for a select list, with every era that year belongs to:
/// 1972 → "1972年(昭和47年)", 1989 → "1989年(昭和64年/平成元年)".
pub fn year_label(year: i32) -> String {
    let eras: Vec<String> = Era::ALL
        .into_iter()
        .filter(|era| {
            era.first_day().year() <= year && era.last_day().is_none_or(|last| last.year() >= year)
        })
        .map(|era| era.year_text(year - era.first_day().year() + 1))
        .collect();
    if eras.is_empty() {
        format!("{year}年")
    } else {
        format!("{year}年({})", eras.join("/"))
    }
}

/// "1972年4月15日", the part of [`format_date_ja`] that parses back.
fn western_date_text(day: Date) -> String {
    format!("{}年{}", day.year(), month_day_text(day))
}

/// The date as understood, for the resident to check: "1972年4月15日(昭和47年)".
pub fn format_date_ja(day: Date) -> String {
    match era_of(day) {
        Some((era, era_year)) => format!("{}({})", western_date_text(day), era.year_text(era_year)),
        None => western_date_text(day),
    }
}

/// A visit date with its weekday: "2026年12月1日(火)".
pub fn format_date_with_weekday(day: Date) -> String {
    let weekday = match day.weekday() {
        Weekday::Monday => "月",
        Weekday::Tuesday => "火",
        Weekday::Wednesday => "水",
        Weekday::Thursday => "木",
        Weekday::Friday => "金",
        Weekday::Saturday => "土",
        Weekday::Sunday => "日",
    };
    format!("{}({weekday})", western_date_text(day))
}

// ---------------------------------------------------------------------------
// Email addresses
// ---------------------------------------------------------------------------

/// RFC 5321's limits on a whole address and on its local part.
const MAX_EMAIL_LEN: usize = 254;
const MAX_LOCAL_PART_LEN: usize = 64;
const MAX_DOMAIN_LABEL_LEN: usize = 63;

/// A syntactically plausible email address: local part as typed, domain in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Folds (NFKC, trim) and checks an address.
    ///
    /// Deliberately lenient inside the local part about dots: older Japanese mobile
    /// addresses such as `taro..yamada.@docomo.ne.jp` break the RFC but receive mail.
    /// Non-ASCII is refused: it is almost always the IME left in kana mode, and Japanese
    /// carriers do not deliver to internationalised addresses.
    pub fn parse(input: &str) -> Result<EmailAddress, EmailError> {
        let folded = nfkc(input);
        let text = folded.trim();
        if text.is_empty() {
            return Err(EmailError::Empty);
        }
        if text.chars().any(is_invisible) {
            return Err(EmailError::InvisibleCharacter);
        }
        if text.chars().any(char::is_whitespace) {
            return Err(EmailError::ContainsSpace);
        }
        if let Some(character) = text.chars().find(|c| !c.is_ascii()) {
            return Err(EmailError::UnusableCharacter { character });
        }
        // From here on the text is ASCII, so byte lengths are character counts.
        if text.len() > MAX_EMAIL_LEN {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = match text.split_once('@') {
            None => return Err(EmailError::MissingAt),
            Some((_, domain)) if domain.contains('@') => return Err(EmailError::MultipleAt),
            Some(parts) => parts,
        };
        if local.is_empty() {
            return Err(EmailError::EmptyLocalPart);
        }
        if domain.is_empty() {
            return Err(EmailError::EmptyDomain);
        }
        if local.len() > MAX_LOCAL_PART_LEN {
            return Err(EmailError::LocalPartTooLong);
        }
        if let Some(character) = local.chars().find(|&c| !is_local_part_char(c)) {
            return Err(EmailError::UnusableCharacter { character });
        }
        if let Some(character) = domain
            .chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
        {
            return Err(EmailError::UnusableCharacter { character });
        }
        let labels_ok = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= MAX_DOMAIN_LABEL_LEN
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            });
        if !labels_ok {
            return Err(EmailError::InvalidDomain);
        }
        Ok(EmailAddress(format!(
            "{local}@{}",
            domain.to_ascii_lowercase()
        )))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// RFC 5322 "atext" plus the dot; quoted local parts are not supported because nobody
/// booking a counter visit has one, and a `,` or `;` here is nearly always a typo.
fn is_local_part_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)
}

/// Whether the (確認用) field holds the same address, after the same folding.
pub fn confirm_matches(a: &EmailAddress, confirm_input: &str) -> bool {
    EmailAddress::parse(confirm_input).is_ok_and(|confirmed| confirmed == *a)
}

/// Why an email address was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailError {
    Empty,
    ContainsSpace,
    /// Control, zero-width or direction characters, which cannot be shown in the message.
    InvisibleCharacter,
    UnusableCharacter {
        character: char,
    },
    MissingAt,
    MultipleAt,
    EmptyLocalPart,
    EmptyDomain,
    InvalidDomain,
    TooLong,
    LocalPartTooLong,
}

impl EmailError {
    /// The sentence shown beside the field.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for EmailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EmailError::Empty => write!(f, "メールアドレスを入力してください。"),
            EmailError::ContainsSpace => {
                write!(
                    f,
                    "メールアドレスに空白が含まれています。空白を除いて入力してください。"
                )
            }
            EmailError::InvisibleCharacter => write!(
                f,
                "メールアドレスに見えない文字が含まれています。お手数ですが入力し直してください。"
            ),
            EmailError::UnusableCharacter { character } => write!(
                f,
                "メールアドレスに使えない文字「{character}」が含まれています。半角英数字と記号で入力してください。"
            ),
            EmailError::MissingAt => {
                write!(
                    f,
                    "メールアドレスの形式が正しくありません。「@」が含まれていません。"
                )
            }
            EmailError::MultipleAt => {
                write!(
                    f,
                    "メールアドレスの形式が正しくありません。「@」は1つだけです。"
                )
            }
            EmailError::EmptyLocalPart => write!(
                f,
                "メールアドレスの形式が正しくありません。「@」の前が入力されていません。"
            ),
            EmailError::EmptyDomain => write!(
                f,
                "メールアドレスの形式が正しくありません。「@」の後ろが入力されていません。"
            ),
            EmailError::InvalidDomain => write!(
                f,
                "メールアドレスの形式が正しくありません。「@」の後ろ(例: example.jp)をご確認ください。"
            ),
            EmailError::TooLong => write!(f, "メールアドレスが長すぎます(254文字まで)。"),
            EmailError::LocalPartTooLong => {
                write!(f, "メールアドレスの「@」より前が長すぎます(64文字まで)。")
            }
        }
    }
}

impl std::error::Error for EmailError {}

// ---------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------

/// Reads a Japanese phone number written with any mix of widths, hyphens (including the
/// `ー` a kana-mode IME produces), spaces and parentheses. Returns the digits only.
pub fn parse_phone(input: &str) -> Result<String, PhoneError> {
    let folded = nfkc(input);
    let mut digits = String::new();
    for c in folded.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !(c.is_whitespace()
            || is_hyphen_like(c)
            || is_zero_width(c)
            || c == '('
            || c == ')')
        {
            return Err(PhoneError::UnusableCharacter { character: c });
        }
    }
    if digits.is_empty() {
        return Err(PhoneError::Empty);
    }
    // Checked before the length: a missing 0 also makes the length wrong, and "add the
    // area code" is the fix the resident needs.
    if !digits.starts_with('0') {
        return Err(PhoneError::MissingLeadingZero);
    }
    let got = digits.len();
    if !(10..=11).contains(&got) {
        return Err(PhoneError::WrongLength { got });
    }
    Ok(digits)
}

/// Why a phone number was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneError {
    Empty,
    UnusableCharacter { character: char },
    MissingLeadingZero,
    WrongLength { got: usize },
}

impl PhoneError {
    /// The sentence shown beside the field.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhoneError::Empty => write!(f, "電話番号を入力してください。"),
            PhoneError::UnusableCharacter { character } => write!(
                f,
                "電話番号に使えない文字{}が含まれています。数字で入力してください。",
                quoted_if_visible(*character)
            ),
            PhoneError::MissingLeadingZero => {
                write!(
                    f,
                    "電話番号は市外局番(0から始まる番号)から入力してください。"
                )
            }
            PhoneError::WrongLength { got } => write!(
                f,
                "電話番号は市外局番から10桁または11桁で入力してください(入力されたのは{got}桁です)。"
            ),
        }
    }
}

impl std::error::Error for PhoneError {}

// ---------------------------------------------------------------------------
// Furigana
// ---------------------------------------------------------------------------

const FULL_WIDTH_SPACE: char = '\u{3000}';
const LONG_VOWEL_MARK: char = 'ー';

/// Hiragana ぁ..ゖ and the iteration marks ゝゞ have katakana twins exactly 0x60 above.
fn hiragana_to_katakana(c: char) -> char {
    match c {
        '\u{3041}'..='\u{3096}' | '\u{309D}' | '\u{309E}' => {
            char::from_u32(c as u32 + 0x60).unwrap_or(c)
        }
        _ => c,
    }
}

/// Katakana letters ァ..ヺ, the middle dot ・ (foreign names such as ジョン・スミス), ー and
/// the iteration marks ヽヾ.
fn is_furigana_char(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FE}')
}

/// Reads フリガナ: half-width katakana widened (NFKC), hiragana turned into katakana,
/// any run of spaces made one full-width space, and a dash of any kind taken as ー (in a
/// kana field it can mean nothing else).
pub fn parse_kana(input: &str) -> Result<String, KanaError> {
    let folded = nfkc(input);
    let mut kana = String::with_capacity(folded.len());
    let mut pending_space = false;
    for c in folded.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if is_zero_width(c) {
            continue;
        }
        let c = if is_hyphen_like(c) {
            LONG_VOWEL_MARK
        } else {
            hiragana_to_katakana(c)
        };
        if !is_furigana_char(c) {
            return Err(KanaError::NotKatakana { character: c });
        }
        if pending_space && !kana.is_empty() {
            kana.push(FULL_WIDTH_SPACE);
        }
        pending_space = false;
        kana.push(c);
    }
    if kana.is_empty() {
        return Err(KanaError::Empty);
    }
    Ok(kana)
}

/// Why a furigana was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KanaError {
    Empty,
    NotKatakana { character: char },
}

impl KanaError {
    /// The sentence shown beside the field.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for KanaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KanaError::Empty => write!(f, "フリガナを入力してください。"),
            KanaError::NotKatakana { character } if !is_invisible(*character) => write!(
                f,
                "フリガナはカタカナで入力してください(「{character}」は使えません)。"
            ),
            KanaError::NotKatakana { .. } => write!(f, "フリガナはカタカナで入力してください。"),
        }
    }
}

impl std::error::Error for KanaError {}

// ---------------------------------------------------------------------------
// Free text (names)
// ---------------------------------------------------------------------------

/// Trims a free-text field such as a name and refuses control characters (line breaks
/// included) and bidi embedding/override/isolate characters, which could make a name
/// display as something else on staff screens and printed lists.
///
/// The text is otherwise kept as typed: NFKC would change how some names are written.
/// An empty result is not an error, because optional fields use this too; required
/// fields check `is_empty()` themselves.
pub fn clean_text(input: &str, max_chars: usize) -> Result<String, TextError> {
    let text = input.trim();
    if text.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Err(TextError::ForbiddenCharacter);
    }
    let got = text.chars().count();
    if got > max_chars {
        return Err(TextError::TooLong {
            max: max_chars,
            got,
        });
    }
    Ok(text.to_string())
}

/// Why a free-text field was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    ForbiddenCharacter,
    TooLong { max: usize, got: usize },
}

impl TextError {
    /// The sentence shown beside the field.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::ForbiddenCharacter => {
                write!(f, "入力できない文字(改行や制御文字など)が含まれています。")
            }
            TextError::TooLong { max, got } => {
                write!(f, "{max}文字以内で入力してください(いまは{got}文字です)。")
            }
        }
    }
}

impl std::error::Error for TextError {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TODAY: Date = date!(2026 - 06 - 01);

    fn birthdate(input: &str) -> Result<Date, BirthdateError> {
        parse_birthdate(input, TODAY)
    }

    fn number_1() -> NumberFormat {
        NumberFormat::notice_number_1()
    }

    // --- notice numbers --------------------------------------------------------

    #[test]
    fn folding_removes_widths_spaces_and_every_dash() {
        assert_eq!(fold_number_input("ａｂ１－２３４５６７"), "AB1234567");
        assert_eq!(fold_number_input(" ab1\u{3000}234 567 "), "AB1234567");
        for dash in [
            '-', '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}',
            '\u{2212}', 'ー', 'ｰ', '－', '\u{FE63}', '\u{2043}', '\u{00AD}', '\u{2500}',
        ] {
            assert_eq!(
                fold_number_input(&format!("ab1{dash}234567")),
                "AB1234567",
                "{dash:?}"
            );
        }
        assert_eq!(fold_number_input("AB1\u{200B}234567"), "AB1234567");
    }

    #[test]
    fn folding_composes_marks_freed_by_removed_separators() {
        // Once the hyphen is gone the acute accent follows the A and NFKC composes them.
        assert_eq!(fold_number_input("a-\u{301}"), "\u{C1}");
        assert_eq!(fold_number_input("\u{C1}"), "\u{C1}");
    }

    #[test]
    fn folding_upper_cases_ascii_only() {
        assert_eq!(fold_number_input("ß"), "ß");
        assert_eq!(fold_number_input("ｘｙｚ"), "XYZ");
    }

    #[test]
    fn pattern_parsing_rejects_bad_patterns() {
        assert_eq!(NumberFormat::parse("").unwrap_err(), "番号の書式が空です。");
        assert_eq!(
            NumberFormat::parse("-AAA").unwrap_err(),
            "番号の書式「-AAA」の先頭と末尾にはハイフンを置けません。"
        );
        assert!(NumberFormat::parse("AAA-").is_err());
        assert_eq!(
            NumberFormat::parse("AA--99").unwrap_err(),
            "番号の書式「AA--99」でハイフンが続いています。"
        );
        assert_eq!(
            NumberFormat::parse("AAZ").unwrap_err(),
            "番号の書式「AAZ」に使えない文字「Z」があります。使えるのは A(英数字)・9(数字)・X(英字)・-(ハイフン)です。"
        );
        assert!(NumberFormat::parse("aaa").is_err());
    }

    #[test]
    fn default_formats() {
        assert_eq!(number_1().len(), 9);
        assert_eq!(number_1().pattern(), "AAA-999999");
        assert_eq!(NumberFormat::notice_number_2().len(), 18);
    }

    #[test]
    fn display_puts_back_the_printed_hyphens() {
        assert_eq!(number_1().display("AB1234567"), "AB1-234567");
        let three_groups = NumberFormat::parse("XX-9999-A").unwrap();
        assert_eq!(three_groups.display("AB12345"), "AB-1234-5");
        assert_eq!(number_1().display("AB12"), "AB12");
        assert_eq!(
            NumberFormat::notice_number_2().display("ABCDEFGHIJ12345678"),
            "ABCDEFGHIJ12345678"
        );
    }

    #[test]
    fn describe_explains_the_format() {
        assert_eq!(
            number_1().describe(),
            "英数字3桁と数字6桁(計9桁)。ハガキに印字されたハイフン(-)は入力不要です。"
        );
        assert_eq!(NumberFormat::notice_number_2().describe(), "英数字18桁。");
        assert_eq!(
            NumberFormat::parse("XX-9999-A").unwrap().describe(),
            "英字2桁、数字4桁、英数字1桁(計7桁)。ハガキに印字されたハイフン(-)は入力不要です。"
        );
        assert_eq!(
            NumberFormat::parse("999-9999").unwrap().describe(),
            "数字7桁。ハガキに印字されたハイフン(-)は入力不要です。"
        );
    }

    #[test]
    fn parse_number_accepts_what_residents_type() {
        let format = number_1();
        for typed in [
            "AB1234567",
            "ab1234567",
            "AB1-234567",
            "ＡＢ１－２３４５６７",
            "ａｂ１ー２３４５６７",
            " AB1 234567 ",
            "AB1\u{2212}234567",
            "ab1\u{3000}234567",
        ] {
            assert_eq!(
                format.parse_number("番号1", typed).as_deref(),
                Ok("AB1234567"),
                "{typed}"
            );
        }
    }

    #[test]
    fn parse_number_empty() {
        let err = number_1().parse_number("番号1", " \u{3000}-").unwrap_err();
        assert_eq!(
            err,
            NumberError::Empty {
                label: "番号1".to_string()
            }
        );
        assert_eq!(err.message(), "番号1を入力してください。");
    }

    #[test]
    fn parse_number_wrong_length() {
        let err = number_1().parse_number("番号1", "AB123456").unwrap_err();
        assert_eq!(
            err,
            NumberError::WrongLength {
                label: "番号1".to_string(),
                kind: CharKind::Alphanumeric,
                expected: 9,
                got: 8
            }
        );
        assert_eq!(
            err.message(),
            "番号1は英数字9桁で入力してください(入力されたのは8桁です)。"
        );
    }

    #[test]
    fn parse_number_wrong_character_points_at_the_position_without_correcting() {
        let err = number_1().parse_number("番号1", "AB1O34567").unwrap_err();
        assert_eq!(
            err,
            NumberError::WrongCharacter {
                label: "番号1".to_string(),
                position: 4,
                expected: CharKind::Digit,
                found: 'O'
            }
        );
        assert_eq!(
            err.message(),
            "番号1の4桁目は数字です(「O」が入力されています)。英字の「O(オー)」ではなく数字の「0(ゼロ)」ではありませんか。"
        );
        let letters = NumberFormat::parse("XX99").unwrap();
        assert_eq!(
            letters.parse_number("番号", "A012").unwrap_err().message(),
            "番号の2桁目は英字です(「0」が入力されています)。数字の「0(ゼロ)」ではなく英字の「O(オー)」ではありませんか。"
        );
        assert_eq!(
            number_1()
                .parse_number("番号1", "ABCD34567")
                .unwrap_err()
                .message(),
            "番号1の4桁目は数字です(「D」が入力されています)。"
        );
    }

    #[test]
    fn parse_number_unusable_character() {
        let err = number_1().parse_number("番号1", "AB1あ34567").unwrap_err();
        assert_eq!(
            err.message(),
            "番号1に使えない文字「あ」が含まれています。英数字で入力してください。"
        );
        let digits_only = NumberFormat::parse("9999").unwrap();
        assert_eq!(
            digits_only
                .parse_number("番号", "12A4")
                .unwrap_err()
                .message(),
            "番号に使えない文字「A」が含まれています。数字で入力してください。"
        );
        assert_eq!(
            digits_only
                .parse_number("番号", "12\u{7}4")
                .unwrap_err()
                .message(),
            "番号に使えない文字が含まれています。数字で入力してください。"
        );
    }

    // --- eras and dates -------------------------------------------------------

    #[test]
    fn era_boundaries() {
        assert_eq!(Era::Taisho.first_day(), date!(1912 - 07 - 30));
        assert_eq!(Era::Meiji.last_day(), Some(date!(1912 - 07 - 29)));
        assert_eq!(Era::Taisho.last_day(), Some(date!(1926 - 12 - 24)));
        assert_eq!(Era::Showa.last_day(), Some(date!(1989 - 01 - 07)));
        assert_eq!(Era::Heisei.last_day(), Some(date!(2019 - 04 - 30)));
        assert_eq!(Era::Reiwa.last_day(), None);
        assert_eq!(Era::Showa.name(), "昭和");
    }

    #[test]
    fn era_of_known_days() {
        assert_eq!(era_of(date!(1972 - 04 - 15)), Some((Era::Showa, 47)));
        assert_eq!(era_of(date!(1989 - 01 - 07)), Some((Era::Showa, 64)));
        assert_eq!(era_of(date!(1989 - 01 - 08)), Some((Era::Heisei, 1)));
        assert_eq!(era_of(date!(2019 - 04 - 30)), Some((Era::Heisei, 31)));
        assert_eq!(era_of(date!(2019 - 05 - 01)), Some((Era::Reiwa, 1)));
        assert_eq!(era_of(date!(1926 - 12 - 24)), Some((Era::Taisho, 15)));
        assert_eq!(era_of(date!(1900 - 01 - 01)), Some((Era::Meiji, 33)));
        assert_eq!(era_of(date!(1868 - 01 - 24)), None);
    }

    #[test]
    fn birthdate_accepts_every_documented_shape() {
        let cases = [
            ("19720415", date!(1972 - 04 - 15)),
            ("1972/4/15", date!(1972 - 04 - 15)),
            ("1972-04-15", date!(1972 - 04 - 15)),
            ("1972.4.15", date!(1972 - 04 - 15)),
            ("1972年4月15日", date!(1972 - 04 - 15)),
            ("昭和47年4月15日", date!(1972 - 04 - 15)),
            ("昭和47/4/15", date!(1972 - 04 - 15)),
            ("S47.4.15", date!(1972 - 04 - 15)),
            ("s47/04/15", date!(1972 - 04 - 15)),
            ("平成元年1月8日", date!(1989 - 01 - 08)),
            ("H1.1.8", date!(1989 - 01 - 08)),
            ("H元.1.8", date!(1989 - 01 - 08)),
            ("R2.1.1", date!(2020 - 01 - 01)),
            ("令和2年1月1日", date!(2020 - 01 - 01)),
            ("大正15年12月24日", date!(1926 - 12 - 24)),
            ("明治33年1月1日", date!(1900 - 01 - 01)),
            ("M45.7.29", date!(1912 - 07 - 29)),
            ("T1.7.30", date!(1912 - 07 - 30)),
            ("１９７２０４１５", date!(1972 - 04 - 15)),
            ("１９７２／４／１５", date!(1972 - 04 - 15)),
            ("１９７２－０４－１５", date!(1972 - 04 - 15)),
            ("１９７２．４．１５", date!(1972 - 04 - 15)),
            ("１９７２年４月１５日", date!(1972 - 04 - 15)),
            ("昭和４７年４月１５日", date!(1972 - 04 - 15)),
            ("Ｓ４７．４．１５", date!(1972 - 04 - 15)),
            ("ｓ４７／０４／１５", date!(1972 - 04 - 15)),
            ("Ｈ１．１．８", date!(1989 - 01 - 08)),
            ("㍼47年4月15日", date!(1972 - 04 - 15)),
            ("\u{3000} 1972年4月15日 \u{3000}", date!(1972 - 04 - 15)),
            ("1972年 4月 15日", date!(1972 - 04 - 15)),
            ("1972ー4ー15", date!(1972 - 04 - 15)),
            ("1972\u{2212}4\u{2212}15", date!(1972 - 04 - 15)),
            ("西暦1972年4月15日", date!(1972 - 04 - 15)),
            ("S 47 4 15", date!(1972 - 04 - 15)),
        ];
        for (typed, expected) in cases {
            assert_eq!(birthdate(typed), Ok(expected), "{typed}");
        }
    }

    #[test]
    fn birthdate_outside_its_era_says_where_the_era_ends() {
        let err = birthdate("昭和64年2月1日").unwrap_err();
        assert_eq!(err, BirthdateError::AfterEraEnd { era: Era::Showa });
        assert_eq!(
            err.message(),
            "昭和64年は1月7日までです。1月8日からは平成元年です。"
        );
        assert_eq!(
            birthdate("平成31年5月1日").unwrap_err().message(),
            "平成31年は4月30日までです。5月1日からは令和元年です。"
        );
        assert_eq!(
            birthdate("大正15年12月25日").unwrap_err().message(),
            "大正15年は12月24日までです。12月25日からは昭和元年です。"
        );
        assert_eq!(
            birthdate("平成元年1月7日").unwrap_err().message(),
            "平成元年は1月8日からです。1月7日までは昭和64年です。"
        );
        assert_eq!(
            birthdate("令和元年4月30日").unwrap_err(),
            BirthdateError::BeforeEraStart { era: Era::Reiwa }
        );
        let too_large = birthdate("昭和70年1月1日").unwrap_err();
        assert_eq!(
            too_large,
            BirthdateError::EraYearTooLarge { era: Era::Showa }
        );
        assert_eq!(too_large.message(), "昭和は64年(1989年)までです。");
        assert_eq!(
            birthdate("S1972.4.15").unwrap_err().message(),
            "昭和は64年(1989年)までです。"
        );
        assert_eq!(birthdate("昭和64年1月7日"), Ok(date!(1989 - 01 - 07)));
        assert_eq!(birthdate("平成31年4月30日"), Ok(date!(2019 - 04 - 30)));
    }

    #[test]
    fn birthdate_errors() {
        assert_eq!(
            birthdate("").unwrap_err().message(),
            "誕生日を入力してください。"
        );
        assert_eq!(birthdate(" \u{3000}").unwrap_err(), BirthdateError::Empty);
        let unrecognized =
            "誕生日は「19720415」または「昭和47年4月15日」のように入力してください。";
        for typed in [
            "72/4/15",
            "4/15/1972",
            "720415",
            "1972年4月",
            "April 15 1972",
            "昭和47年",
            "1972年4月15日生まれ",
            "19720415x",
            "S470415",
        ] {
            assert_eq!(
                birthdate(typed).unwrap_err().message(),
                unrecognized,
                "{typed}"
            );
        }
        assert_eq!(
            birthdate("1972年2月30日").unwrap_err().message(),
            "存在しない日付です。"
        );
        assert_eq!(
            birthdate("19721301").unwrap_err(),
            BirthdateError::NoSuchDate
        );
        assert_eq!(
            birthdate("1972/4/0").unwrap_err(),
            BirthdateError::NoSuchDate
        );
        assert_eq!(
            birthdate("昭和0年4月15日").unwrap_err(),
            BirthdateError::NoSuchDate
        );
        assert_eq!(
            birthdate("2023/2/29").unwrap_err(),
            BirthdateError::NoSuchDate
        );
        assert_eq!(birthdate("2024/2/29"), Ok(date!(2024 - 02 - 29)));
        assert_eq!(
            birthdate("2026/6/2").unwrap_err().message(),
            "未来の日付は入力できません。"
        );
        assert_eq!(birthdate("2026/6/1"), Ok(TODAY));
        assert_eq!(
            birthdate("令和9999年1月1日").unwrap_err(),
            BirthdateError::InFuture
        );
        assert_eq!(
            birthdate("1899/12/31").unwrap_err().message(),
            "1900年1月1日より前の日付は入力できません。"
        );
        assert_eq!(
            birthdate("明治元年1月1日").unwrap_err(),
            BirthdateError::TooEarly
        );
    }

    #[test]
    fn birthdate_from_three_fields() {
        assert_eq!(
            birthdate_from_parts("1972", "4", "15", TODAY),
            Ok(date!(1972 - 04 - 15))
        );
        assert_eq!(
            birthdate_from_parts("１９７２", "０４", "１５", TODAY),
            Ok(date!(1972 - 04 - 15))
        );
        assert_eq!(
            birthdate_from_parts("1972年", "4月", "15日", TODAY),
            Ok(date!(1972 - 04 - 15))
        );
        assert_eq!(
            birthdate_from_parts("", "4", "15", TODAY)
                .unwrap_err()
                .message(),
            "誕生日の年を入力してください。"
        );
        assert_eq!(
            birthdate_from_parts("1972", " ", "15", TODAY).unwrap_err(),
            BirthdateError::MissingPart(DatePart::Month)
        );
        assert_eq!(
            birthdate_from_parts("47", "4", "15", TODAY)
                .unwrap_err()
                .message(),
            "誕生日の年は西暦4桁(例: 1972)で入力してください。"
        );
        assert_eq!(
            birthdate_from_parts("1972", "13", "1", TODAY)
                .unwrap_err()
                .message(),
            "誕生日の月は1から12までの数字で入力してください。"
        );
        assert_eq!(
            birthdate_from_parts("1972", "4", "32", TODAY)
                .unwrap_err()
                .message(),
            "誕生日の日は1から31までの数字で入力してください。"
        );
        assert_eq!(
            birthdate_from_parts("1972", "2", "30", TODAY).unwrap_err(),
            BirthdateError::NoSuchDate
        );
        assert_eq!(
            birthdate_from_parts("2030", "1", "1", TODAY).unwrap_err(),
            BirthdateError::InFuture
        );
        assert_eq!(
            birthdate_from_parts("1899", "1", "1", TODAY).unwrap_err(),
            BirthdateError::TooEarly
        );
    }

    #[test]
    fn year_labels_name_every_era_of_the_year() {
        assert_eq!(year_label(1972), "1972年(昭和47年)");
        assert_eq!(year_label(1989), "1989年(昭和64年/平成元年)");
        assert_eq!(year_label(2019), "2019年(平成31年/令和元年)");
        assert_eq!(year_label(1926), "1926年(大正15年/昭和元年)");
        assert_eq!(year_label(1912), "1912年(明治45年/大正元年)");
        assert_eq!(year_label(1900), "1900年(明治33年)");
        assert_eq!(year_label(2026), "2026年(令和8年)");
        assert_eq!(year_label(1850), "1850年");
    }

    #[test]
    fn dates_in_japanese() {
        assert_eq!(
            format_date_ja(date!(1972 - 04 - 15)),
            "1972年4月15日(昭和47年)"
        );
        assert_eq!(
            format_date_ja(date!(1989 - 01 - 08)),
            "1989年1月8日(平成元年)"
        );
        assert_eq!(
            format_date_ja(date!(1989 - 01 - 07)),
            "1989年1月7日(昭和64年)"
        );
        assert_eq!(format_date_ja(date!(1850 - 01 - 01)), "1850年1月1日");
        assert_eq!(
            format_date_with_weekday(date!(2026 - 12 - 01)),
            "2026年12月1日(火)"
        );
        assert_eq!(
            format_date_with_weekday(date!(2026 - 06 - 07)),
            "2026年6月7日(日)"
        );
    }

    // --- email ------------------------------------------------------------------

    fn email(input: &str) -> Result<String, EmailError> {
        EmailAddress::parse(input).map(|a| a.as_str().to_string())
    }

    #[test]
    fn email_folds_widths_and_domain_case() {
        assert_eq!(
            email("Taro.Yamada@Example.JP").as_deref(),
            Ok("Taro.Yamada@example.jp")
        );
        assert_eq!(
            email("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ").as_deref(),
            Ok("taro@example.jp")
        );
        assert_eq!(
            email("\u{3000} taro@example.jp \u{3000}").as_deref(),
            Ok("taro@example.jp")
        );
        assert_eq!(
            email("taro..yamada.@docomo.ne.jp").as_deref(),
            Ok("taro..yamada.@docomo.ne.jp")
        );
        assert_eq!(
            email("a+tag@mail.example.co.jp").as_deref(),
            Ok("a+tag@mail.example.co.jp")
        );
    }

    #[test]
    fn email_rejections() {
        let cases = [
            ("", EmailError::Empty, "メールアドレスを入力してください。"),
            (
                "taro yamada@example.jp",
                EmailError::ContainsSpace,
                "メールアドレスに空白が含まれています。空白を除いて入力してください。",
            ),
            (
                "taro.example.jp",
                EmailError::MissingAt,
                "メールアドレスの形式が正しくありません。「@」が含まれていません。",
            ),
            (
                "taro@@example.jp",
                EmailError::MultipleAt,
                "メールアドレスの形式が正しくありません。「@」は1つだけです。",
            ),
            (
                "@example.jp",
                EmailError::EmptyLocalPart,
                "メールアドレスの形式が正しくありません。「@」の前が入力されていません。",
            ),
            (
                "taro@",
                EmailError::EmptyDomain,
                "メールアドレスの形式が正しくありません。「@」の後ろが入力されていません。",
            ),
            (
                "taro@localhost",
                EmailError::InvalidDomain,
                "メールアドレスの形式が正しくありません。「@」の後ろ(例: example.jp)をご確認ください。",
            ),
            (
                "taro,yamada@example.jp",
                EmailError::UnusableCharacter { character: ',' },
                "メールアドレスに使えない文字「,」が含まれています。半角英数字と記号で入力してください。",
            ),
            (
                "たろう@example.jp",
                EmailError::UnusableCharacter { character: 'た' },
                "メールアドレスに使えない文字「た」が含まれています。半角英数字と記号で入力してください。",
            ),
            (
                "taro@exa\u{200B}mple.jp",
                EmailError::InvisibleCharacter,
                "メールアドレスに見えない文字が含まれています。お手数ですが入力し直してください。",
            ),
        ];
        for (typed, error, message) in cases {
            let got = EmailAddress::parse(typed).unwrap_err();
            assert_eq!(got, error, "{typed}");
            assert_eq!(got.message(), message, "{typed}");
        }
        for typed in [
            "taro@example..jp",
            "taro@.example.jp",
            "taro@example.jp.",
            "taro@-ex.jp",
        ] {
            assert_eq!(
                EmailAddress::parse(typed).unwrap_err(),
                EmailError::InvalidDomain,
                "{typed}"
            );
        }
        assert_eq!(
            EmailAddress::parse("taro@gmail,com").unwrap_err(),
            EmailError::UnusableCharacter { character: ',' }
        );
        assert_eq!(
            EmailAddress::parse("a\u{7}@example.jp").unwrap_err(),
            EmailError::InvisibleCharacter
        );
        let long_local = format!("{}@example.jp", "a".repeat(65));
        assert_eq!(
            EmailAddress::parse(&long_local).unwrap_err(),
            EmailError::LocalPartTooLong
        );
        assert!(EmailAddress::parse(&format!("{}@example.jp", "a".repeat(64))).is_ok());
        let long_domain = format!("taro@{}.jp", vec!["a".repeat(60); 5].join("."));
        assert_eq!(
            EmailAddress::parse(&long_domain).unwrap_err(),
            EmailError::TooLong
        );
        assert_eq!(
            EmailError::TooLong.message(),
            "メールアドレスが長すぎます(254文字まで)。"
        );
    }

    #[test]
    fn confirmation_field_compares_after_folding() {
        let address = EmailAddress::parse("Taro@Example.jp").unwrap();
        assert!(confirm_matches(&address, "Ｔａｒｏ＠ＥＸＡＭＰＬＥ．ＪＰ "));
        assert!(confirm_matches(&address, "Taro@example.jp"));
        assert!(!confirm_matches(&address, "taro@example.jp"));
        assert!(!confirm_matches(&address, ""));
        assert_eq!(address.to_string(), "Taro@example.jp");
    }

    // --- small helpers -----------------------------------------------------------------

    #[test]
    fn digits_fold() {
        assert_eq!(fold_digits("\u{3000}１２ "), "12");
        assert_eq!(fold_digits("3"), "3");
    }

    #[test]
    fn phone_numbers() {
        for (typed, canonical) in [
            ("03-1234-5678", "0312345678"),
            ("０９０－１２３４－５６７８", "09012345678"),
            ("090ー1234ー5678", "09012345678"),
            ("(03)1234-5678", "0312345678"),
            ("（０３）１２３４　５６７８", "0312345678"),
            ("03 (1234) 5678", "0312345678"),
            ("0120\u{2212}123\u{2212}456", "0120123456"),
        ] {
            assert_eq!(parse_phone(typed).as_deref(), Ok(canonical), "{typed}");
        }
        assert_eq!(
            parse_phone(" - ").unwrap_err().message(),
            "電話番号を入力してください。"
        );
        assert_eq!(
            parse_phone("090-1234-56").unwrap_err().message(),
            "電話番号は市外局番から10桁または11桁で入力してください(入力されたのは9桁です)。"
        );
        assert_eq!(
            parse_phone("03-1234-567").unwrap_err(),
            PhoneError::WrongLength { got: 9 }
        );
        assert_eq!(
            parse_phone("3-1234-5678").unwrap_err().message(),
            "電話番号は市外局番(0から始まる番号)から入力してください。"
        );
        assert_eq!(
            parse_phone("+81 90 1234 5678").unwrap_err().message(),
            "電話番号に使えない文字「+」が含まれています。数字で入力してください。"
        );
        assert_eq!(
            parse_phone("090-1234-56789").unwrap_err(),
            PhoneError::WrongLength { got: 12 }
        );
    }

    #[test]
    fn furigana() {
        assert_eq!(
            parse_kana("やまだ たろう").as_deref(),
            Ok("ヤマダ\u{3000}タロウ")
        );
        assert_eq!(
            parse_kana("ﾔﾏﾀﾞ  ﾀﾛｳ").as_deref(),
            Ok("ヤマダ\u{3000}タロウ")
        );
        assert_eq!(
            parse_kana(" ヤマダ\u{3000}\u{3000}タロウ ").as_deref(),
            Ok("ヤマダ\u{3000}タロウ")
        );
        assert_eq!(parse_kana("ゆうすけ").as_deref(), Ok("ユウスケ"));
        assert_eq!(parse_kana("ゔぃくとりあ").as_deref(), Ok("ヴィクトリア"));
        assert_eq!(
            parse_kana("ジョン・スミス").as_deref(),
            Ok("ジョン・スミス")
        );
        assert_eq!(parse_kana("ｺｰﾀﾞｲ").as_deref(), Ok("コーダイ"));
        assert_eq!(parse_kana("コ-ダイ").as_deref(), Ok("コーダイ"));
        assert_eq!(parse_kana("コ\u{2212}ダイ").as_deref(), Ok("コーダイ"));
        assert_eq!(parse_kana("さゝき").as_deref(), Ok("サヽキ"));
        assert_eq!(
            parse_kana("\u{3000}").unwrap_err().message(),
            "フリガナを入力してください。"
        );
        assert_eq!(
            parse_kana("山田 タロウ").unwrap_err().message(),
            "フリガナはカタカナで入力してください(「山」は使えません)。"
        );
        assert_eq!(
            parse_kana("Yamada").unwrap_err(),
            KanaError::NotKatakana { character: 'Y' }
        );
        assert_eq!(
            parse_kana("ヤマダ\u{7}").unwrap_err().message(),
            "フリガナはカタカナで入力してください。"
        );
    }

    #[test]
    fn free_text() {
        assert_eq!(
            clean_text("  山田　太郎\u{3000}", 20).as_deref(),
            Ok("山田　太郎")
        );
        assert_eq!(clean_text("髙橋 ｱｲ", 20).as_deref(), Ok("髙橋 ｱｲ"));
        assert_eq!(clean_text("   ", 20).as_deref(), Ok(""));
        assert_eq!(
            clean_text("山田\n太郎\n", 20),
            Err(TextError::ForbiddenCharacter)
        );
        assert_eq!(
            clean_text("abc\u{202E}def", 20).unwrap_err().message(),
            "入力できない文字(改行や制御文字など)が含まれています。"
        );
        assert_eq!(
            clean_text("a\u{2066}b", 20),
            Err(TextError::ForbiddenCharacter)
        );
        assert_eq!(clean_text("山田太郎", 4).as_deref(), Ok("山田太郎"));
        assert_eq!(
            clean_text("山田太郎", 3).unwrap_err().message(),
            "3文字以内で入力してください(いまは4文字です)。"
        );
    }

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
}

// ---------------------------------------------------------------------------
// The same messages as ids for the page's language (`crate::i18n`). The Display texts
// above stay: the console and the notice import show them, always in Japanese.
// ---------------------------------------------------------------------------

use crate::i18n::{Lang, Msg};

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

impl Era {
    fn msg(self) -> Msg {
        Msg::new(match self {
            Era::Meiji => "era-meiji",
            Era::Taisho => "era-taisho",
            Era::Showa => "era-showa",
            Era::Heisei => "era-heisei",
            Era::Reiwa => "era-reiwa",
        })
    }

    /// "昭和47年" / "Showa 47".
    fn year_msg(self, era_year: i32) -> Msg {
        Msg::new("era-year")
            .arg("era", self.msg())
            .arg("n", era_year)
    }
}

fn month_day_msg(day: Date) -> Msg {
    Msg::new("month-day")
        .arg("month", u8::from(day.month()))
        .arg("day", day.day())
}

impl BirthdateError {
    /// The message shown beside the field, in the page's language.
    pub fn msg(&self) -> Msg {
        let part_msg = |part: &DatePart| {
            Msg::new(match part {
                DatePart::Year => "part-year",
                DatePart::Month => "part-month",
                DatePart::Day => "part-day",
            })
        };
        match self {
            BirthdateError::Empty => Msg::new("error-birth-empty"),
            BirthdateError::Unrecognized => Msg::new("error-birth-unrecognized"),
            BirthdateError::MissingPart(part) => {
                Msg::new("error-birth-missing-part").arg("part", part_msg(part))
            }
            BirthdateError::InvalidPart(DatePart::Year) => Msg::new("error-birth-invalid-year"),
            BirthdateError::InvalidPart(DatePart::Month) => Msg::new("error-birth-invalid-month"),
            BirthdateError::InvalidPart(DatePart::Day) => Msg::new("error-birth-invalid-day"),
            BirthdateError::NoSuchDate => Msg::new("error-birth-no-such-date"),
            BirthdateError::EraYearTooLarge { era } => match era.last_day().and_then(era_of) {
                Some((_, last_year)) => Msg::new("error-birth-era-too-large")
                    .arg("era", era.msg())
                    .arg("last", last_year)
                    .arg("western", era.western_year(last_year)),
                None => Msg::new("error-birth-no-such-date"),
            },
            BirthdateError::BeforeEraStart { era } => {
                let tail: crate::i18n::Arg = match era.previous().and_then(|p| p.last_day()) {
                    Some(last) => match era_of(last) {
                        Some((previous, year)) => Msg::new("error-birth-before-era-tail")
                            .arg("end", month_day_msg(last))
                            .arg("prev", previous.year_msg(year))
                            .into(),
                        None => "".into(),
                    },
                    None => "".into(),
                };
                Msg::new("error-birth-before-era")
                    .arg("eratext", era.year_msg(1))
                    .arg("start", month_day_msg(era.first_day()))
                    .arg("tail", tail)
            }
            BirthdateError::AfterEraEnd { era } => {
                let Some(last) = era.last_day() else {
                    return Msg::new("error-birth-no-such-date");
                };
                let (_, last_year) = era_of(last).unwrap_or((*era, 1));
                let tail: crate::i18n::Arg = match era.next() {
                    Some(next) => Msg::new("error-birth-after-era-tail")
                        .arg("start", month_day_msg(next.first_day()))
                        .arg("next", next.year_msg(1))
                        .into(),
                    None => "".into(),
                };
                Msg::new("error-birth-after-era")
                    .arg("eratext", era.year_msg(last_year))
                    .arg("end", month_day_msg(last))
                    .arg("tail", tail)
            }
            BirthdateError::TooEarly => Msg::new("error-birth-too-early"),
            BirthdateError::InFuture => Msg::new("error-birth-in-future"),
        }
    }
}

impl EmailError {
    /// The message shown beside the field, in the page's language.
    pub fn msg(&self) -> Msg {
        match self {
            EmailError::Empty => Msg::new("error-email-empty"),
            EmailError::ContainsSpace => Msg::new("error-email-space"),
            EmailError::InvisibleCharacter => Msg::new("error-email-invisible"),
            EmailError::UnusableCharacter { character } => {
                Msg::new("error-email-unusable").arg("char", character.to_string())
            }
            EmailError::MissingAt => Msg::new("error-email-missing-at"),
            EmailError::MultipleAt => Msg::new("error-email-multiple-at"),
            EmailError::EmptyLocalPart => Msg::new("error-email-empty-local"),
            EmailError::EmptyDomain => Msg::new("error-email-empty-domain"),
            EmailError::InvalidDomain => Msg::new("error-email-invalid-domain"),
            EmailError::TooLong => Msg::new("error-email-too-long"),
            EmailError::LocalPartTooLong => Msg::new("error-email-local-too-long"),
        }
    }
}

impl PhoneError {
    /// The message shown beside the field, in the page's language.
    pub fn msg(&self) -> Msg {
        match self {
            PhoneError::Empty => Msg::new("error-phone-empty"),
            PhoneError::UnusableCharacter { character } if is_invisible(*character) => {
                Msg::new("error-phone-unusable-invisible")
            }
            PhoneError::UnusableCharacter { character } => {
                Msg::new("error-phone-unusable").arg("char", character.to_string())
            }
            PhoneError::MissingLeadingZero => Msg::new("error-phone-leading-zero"),
            PhoneError::WrongLength { got } => Msg::new("error-phone-length").arg("got", *got),
        }
    }
}

impl KanaError {
    /// The message shown beside the field, in the page's language.
    pub fn msg(&self) -> Msg {
        match self {
            KanaError::Empty => Msg::new("error-kana-empty"),
            KanaError::NotKatakana { character } if !is_invisible(*character) => {
                Msg::new("error-kana-not-katakana").arg("char", character.to_string())
            }
            KanaError::NotKatakana { .. } => Msg::new("error-kana-not-katakana-invisible"),
        }
    }
}

impl TextError {
    /// The message shown beside the field, in the page's language.
    pub fn msg(&self) -> Msg {
        match self {
            TextError::ForbiddenCharacter => Msg::new("error-text-forbidden"),
            TextError::TooLong { max, got } => Msg::new("error-text-too-long")
                .arg("max", *max)
                .arg("got", *got),
        }
    }
}

/// [`year_label`] in `lang`: "1972 (Showa 47)".
pub fn year_label_in(lang: Lang, year: i32) -> String {
    if lang == Lang::Ja {
        return year_label(year);
    }
    let eras: Vec<String> = Era::ALL
        .into_iter()
        .filter(|era| {
            era.first_day().year() <= year && era.last_day().is_none_or(|last| last.year() >= year)
        })
        .map(|era| {
            era.year_msg(year - era.first_day().year() + 1)
                .resolve(lang)
        })
        .collect();
    if eras.is_empty() {
        year.to_string()
    } else {
        format!("{year} ({})", eras.join(" / "))
    }
}

/// [`format_date_ja`] in `lang`: "April 15, 1972 (Showa 47)".
pub fn format_date_in(lang: Lang, day: Date) -> String {
    if lang == Lang::Ja {
        return format_date_ja(day);
    }
    let western = format!("{} {}, {}", day.month(), day.day(), day.year());
    match era_of(day) {
        Some((era, era_year)) => format!("{western} ({})", era.year_msg(era_year).resolve(lang)),
        None => western,
    }
}

#[cfg(test)]
mod message_tests {
    use super::*;

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
}
