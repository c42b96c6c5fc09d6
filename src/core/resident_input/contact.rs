//! A resident's contact fields: mail address, phone number, furigana and free text.
use std::fmt;

use super::*;
use crate::i18n::Msg;

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

// The messages as ids for the page's language (`crate::i18n`).

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
