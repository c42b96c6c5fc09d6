//! 受取人情報: what the booking form asks of each person. The three built-in fields (氏名,
//! フリガナ, 電話番号) are each asked or not, and required or optional; after them come up to
//! [`MAX_EXTRA_FIELDS`] fields of the municipality's own (text, number, choice, yes/no),
//! with a Japanese label and help and, optionally, English ones.
//!
//! An answer is stored with the person together with the label, and for a choice the
//! wording of the choice, it was given under ([`Answer`]). So when a field is renamed,
//! a choice removed or the whole field deleted later, the bookings made before still read
//! as the resident saw them when booking: every list of a person's answers (confirmation,
//! details, print, roster) shows the answer's own label. Only the roster's CSV, which needs
//! one header per column, heads a field's column with its current label (a deleted
//! field's with the label its answers carry, marked 削除済み), see [`answer_columns`].
//!
//! What residents type is read in [`reading`]; what the administrator types for a field
//! in [`admin`].
pub mod admin;
pub mod reading;

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Msg};

/// How many fields of its own a municipality may define (active or not).
pub const MAX_EXTRA_FIELDS: usize = 5;
/// How many choices a choice field may offer.
pub const MAX_CHOICES: usize = 20;

/// Whether a field must be filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    Optional,
    Required,
    /// Required for the first person only (the one the municipality calls); optional for
    /// the others. What the phone number has always been.
    First,
}

impl Requirement {
    pub fn parse(s: &str) -> Option<Requirement> {
        match s {
            "optional" => Some(Requirement::Optional),
            "required" => Some(Requirement::Required),
            "first" => Some(Requirement::First),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Requirement::Optional => "optional",
            Requirement::Required => "required",
            Requirement::First => "first",
        }
    }

    /// Whether the person at `position` (0 is the first) must fill the field in.
    pub fn required_for(self, position: usize) -> bool {
        match self {
            Requirement::Optional => false,
            Requirement::Required => true,
            Requirement::First => position == 0,
        }
    }
}

/// One of the three fields every municipality can ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builtin {
    Name,
    Kana,
    Phone,
}

impl Builtin {
    pub const ALL: [Builtin; 3] = [Builtin::Name, Builtin::Kana, Builtin::Phone];

    /// The stored kind, the form's field name and the key of its error.
    pub fn code(self) -> &'static str {
        match self {
            Builtin::Name => "name",
            Builtin::Kana => "kana",
            Builtin::Phone => "phone",
        }
    }

    pub fn parse(code: &str) -> Option<Builtin> {
        Builtin::ALL.into_iter().find(|b| b.code() == code)
    }

    /// The console's word for it.
    pub fn label_ja(self) -> &'static str {
        match self {
            Builtin::Name => "氏名",
            Builtin::Kana => "フリガナ",
            Builtin::Phone => "電話番号",
        }
    }

    /// How it is asked by a municipality that has not said otherwise.
    pub fn default_asked(self) -> Asked {
        Some(match self {
            Builtin::Name | Builtin::Kana => Requirement::Required,
            Builtin::Phone => Requirement::First,
        })
    }

    /// The requirements an administrator may choose: "the first person only" makes sense
    /// for the number the municipality calls, not for a name.
    pub fn allows(self, requirement: Requirement) -> bool {
        requirement != Requirement::First || self == Builtin::Phone
    }
}

/// How a built-in field is asked: not at all (None), or with this requirement.
pub type Asked = Option<Requirement>;

/// The console's words for how a built-in field is asked.
pub fn asked_label(asked: Asked) -> &'static str {
    match asked {
        None => "尋ねない",
        Some(Requirement::Optional) => "任意",
        Some(Requirement::Required) => "必須",
        Some(Requirement::First) => "1人目のみ必須",
    }
}

/// What kind of answer a field of the municipality's own takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtraKind {
    /// One line of free text, at most [`reading::TEXT_MAX_CHARS`] characters.
    Text,
    /// A whole number, typed in any width.
    Number,
    /// One of the field's choices.
    Choice,
    /// はい or いいえ.
    YesNo,
}

impl ExtraKind {
    pub const ALL: [ExtraKind; 4] = [
        ExtraKind::Text,
        ExtraKind::Number,
        ExtraKind::Choice,
        ExtraKind::YesNo,
    ];

    pub fn parse(s: &str) -> Option<ExtraKind> {
        ExtraKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ExtraKind::Text => "text",
            ExtraKind::Number => "number",
            ExtraKind::Choice => "choice",
            ExtraKind::YesNo => "yes_no",
        }
    }

    /// The console's word for it.
    pub fn label_ja(self) -> &'static str {
        match self {
            ExtraKind::Text => "文字",
            ExtraKind::Number => "数字",
            ExtraKind::Choice => "選択肢",
            ExtraKind::YesNo => "はい・いいえ",
        }
    }
}

/// Japanese wording with an optional English one; English pages fall back to the Japanese.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wording {
    pub ja: String,
    pub en: String,
}

impl Wording {
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Wording {
        Wording {
            ja: ja.into(),
            en: en.into(),
        }
    }

    /// The text for a page in `lang`, with `Some("ja")` when an English page shows the
    /// Japanese for want of English (for a `lang="ja"` on its element).
    pub fn pick(&self, lang: Lang) -> (&str, Option<&'static str>) {
        pick(lang, &self.ja, &self.en)
    }
}

/// See [`Wording::pick`].
pub fn pick<'a>(lang: Lang, ja: &'a str, en: &'a str) -> (&'a str, Option<&'static str>) {
    match lang {
        Lang::En if !en.is_empty() => (en, None),
        Lang::En if !ja.is_empty() => (ja, Some("ja")),
        _ => (ja, None),
    }
}

/// One choice of a choice field. Its Japanese wording is also the value the form sends
/// and the answer keeps (unique within the field), so a choice renamed or removed while a
/// resident is filling in the form is noticed rather than silently swapped for another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub ja: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
}

/// A field of the municipality's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraField {
    pub id: i64,
    pub kind: ExtraKind,
    pub label: Wording,
    pub help: Wording,
    /// For [`ExtraKind::Choice`]; empty otherwise.
    pub choices: Vec<Choice>,
    pub required: bool,
    /// Asked on the booking forms; an inactive field keeps its definition and its answers.
    pub active: bool,
    pub position: i32,
}

impl ExtraField {
    /// Its key in error maps, the typed answers and form field names (`f12_1`).
    pub fn key(&self) -> String {
        extra_key(self.id)
    }
}

pub fn extra_key(id: i64) -> String {
    format!("f{id}")
}

/// Everything a municipality asks of each person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientForm {
    pub name: Asked,
    pub kana: Asked,
    pub phone: Asked,
    /// Every field of the municipality's own, active or not, in display order.
    pub extras: Vec<ExtraField>,
}

impl Default for RecipientForm {
    /// What a municipality that has changed nothing asks: name and kana, and the first
    /// person's phone number.
    fn default() -> RecipientForm {
        RecipientForm {
            name: Builtin::Name.default_asked(),
            kana: Builtin::Kana.default_asked(),
            phone: Builtin::Phone.default_asked(),
            extras: Vec::new(),
        }
    }
}

impl RecipientForm {
    pub fn builtin(&self, which: Builtin) -> Asked {
        match which {
            Builtin::Name => self.name,
            Builtin::Kana => self.kana,
            Builtin::Phone => self.phone,
        }
    }

    pub fn set_builtin(&mut self, which: Builtin, asked: Asked) {
        match which {
            Builtin::Name => self.name = asked,
            Builtin::Kana => self.kana = asked,
            Builtin::Phone => self.phone = asked,
        }
    }

    /// The fields of its own the form asks now, in order.
    pub fn asked_extras(&self) -> impl Iterator<Item = &ExtraField> {
        self.extras.iter().filter(|f| f.active)
    }
}

/// An answer to a field of the municipality's own, as stored with the person: the field it
/// answers and the label it was asked under, so it reads the same after the field changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub field_id: i64,
    pub kind: ExtraKind,
    pub label_ja: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label_en: String,
    /// As read: the text; the number in ASCII digits; the choice's Japanese wording;
    /// "yes" or "no".
    pub value: String,
    /// A choice's English wording, when it had one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value_en: String,
}

pub const YES: &str = "yes";
pub const NO: &str = "no";

impl Answer {
    /// The label for a page in `lang` (see [`Wording::pick`]).
    pub fn label(&self, lang: Lang) -> (&str, Option<&'static str>) {
        pick(lang, &self.label_ja, &self.label_en)
    }

    /// The answer in words for a page in `lang`, with `Some("ja")` when it is the Japanese
    /// wording of a choice on an English page. What a resident typed is shown as typed.
    pub fn text(&self, lang: Lang) -> (String, Option<&'static str>) {
        match self.kind {
            ExtraKind::Choice => {
                let (text, fallback) = pick(lang, &self.value, &self.value_en);
                (text.to_string(), fallback)
            }
            ExtraKind::YesNo => (
                Msg::new(if self.value == YES {
                    "answer-yes"
                } else {
                    "answer-no"
                })
                .resolve(lang),
                None,
            ),
            ExtraKind::Text | ExtraKind::Number => (self.value.clone(), None),
        }
    }
}

/// The answers as stored in a person's row.
pub fn answers_to_json(answers: &[Answer]) -> String {
    serde_json::to_string(answers).unwrap_or_else(|_| "[]".to_string())
}

/// A person's stored answers. Only this program writes the column, so text it cannot read
/// is a bug; it reads as no answers rather than failing the page.
pub fn answers_from_json(stored: &str) -> Vec<Answer> {
    serde_json::from_str(stored).unwrap_or_default()
}

/// A person's answers as read from their row (see [`answers_from_json`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers(pub Vec<Answer>);

impl From<String> for Answers {
    fn from(stored: String) -> Answers {
        Answers(answers_from_json(&stored))
    }
}

impl std::ops::Deref for Answers {
    type Target = [Answer];
    fn deref(&self) -> &[Answer] {
        &self.0
    }
}

/// One answer column of the roster's CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerColumn {
    pub field_id: i64,
    pub header: String,
}

/// The answer columns of a CSV of these answers: every active field, then every inactive
/// one that has answers among them, in display order, headed by its current label; then
/// the fields deleted since, in the order their answers come, headed by the label their
/// first answer carries and marked (削除済み). Columns stay put from day to day for the
/// fields in use, and no answer in the file goes without its column.
pub fn answer_columns<'a>(
    extras: &[ExtraField],
    answers: impl IntoIterator<Item = &'a Answer>,
) -> Vec<AnswerColumn> {
    let answers: Vec<&Answer> = answers.into_iter().collect();
    let answered = |id: i64| answers.iter().any(|a| a.field_id == id);
    let mut columns: Vec<AnswerColumn> = extras
        .iter()
        .filter(|f| f.active || answered(f.id))
        .map(|f| AnswerColumn {
            field_id: f.id,
            header: f.label.ja.clone(),
        })
        .collect();
    for a in answers {
        if !columns.iter().any(|c| c.field_id == a.field_id) {
            columns.push(AnswerColumn {
                field_id: a.field_id,
                header: format!("{}(削除済み)", a.label_ja),
            });
        }
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn field(id: i64, kind: ExtraKind, label: &str, active: bool) -> ExtraField {
        ExtraField {
            id,
            kind,
            label: Wording::new(label, ""),
            help: Wording::default(),
            choices: Vec::new(),
            required: false,
            active,
            position: id as i32,
        }
    }

    fn answer(field_id: i64, label: &str, value: &str) -> Answer {
        Answer {
            field_id,
            kind: ExtraKind::Text,
            label_ja: label.into(),
            label_en: String::new(),
            value: value.into(),
            value_en: String::new(),
        }
    }

    #[test]
    fn english_falls_back_to_japanese_and_says_so() {
        let both = Wording::new("学校名", "School");
        assert_eq!(both.pick(Lang::En), ("School", None));
        assert_eq!(both.pick(Lang::Ja), ("学校名", None));
        let ja_only = Wording::new("学校名", "");
        assert_eq!(ja_only.pick(Lang::En), ("学校名", Some("ja")));
        assert_eq!(Wording::default().pick(Lang::En), ("", None));
    }

    #[test]
    fn requirements_by_position() {
        assert!(Requirement::First.required_for(0));
        assert!(!Requirement::First.required_for(1));
        assert!(Requirement::Required.required_for(3));
        assert!(!Requirement::Optional.required_for(0));
        for r in [
            Requirement::Optional,
            Requirement::Required,
            Requirement::First,
        ] {
            assert_eq!(Requirement::parse(r.as_str()), Some(r));
        }
        assert!(Builtin::Phone.allows(Requirement::First));
        assert!(!Builtin::Name.allows(Requirement::First));
        assert_eq!(RecipientForm::default().phone, Some(Requirement::First));
    }

    #[test]
    fn answers_read_as_given_in_both_languages() {
        let choice = Answer {
            field_id: 1,
            kind: ExtraKind::Choice,
            label_ja: "本人確認書類".into(),
            label_en: "ID document".into(),
            value: "運転免許証".into(),
            value_en: String::new(),
        };
        assert_eq!(choice.label(Lang::En), ("ID document", None));
        assert_eq!(
            choice.text(Lang::En),
            ("運転免許証".to_string(), Some("ja"))
        );
        let yes = Answer {
            kind: ExtraKind::YesNo,
            value: YES.into(),
            ..choice.clone()
        };
        assert_eq!(yes.text(Lang::Ja).0, "はい");
        assert_eq!(yes.text(Lang::En).0, "Yes");
        let no = Answer {
            value: NO.into(),
            ..yes
        };
        assert_eq!(no.text(Lang::Ja).0, "いいえ");
        let json = answers_to_json(std::slice::from_ref(&choice));
        assert_eq!(answers_from_json(&json), vec![choice]);
        assert!(!json.contains("value_en"), "empty English is not stored");
        assert_eq!(answers_from_json("[]"), Vec::new());
        assert_eq!(answers_from_json("not json"), Vec::new());
    }

    #[test]
    fn csv_columns_keep_fields_in_use_and_every_answer() {
        let extras = vec![
            field(1, ExtraKind::Text, "学校名", true),
            field(2, ExtraKind::Number, "人数", false),
            field(3, ExtraKind::Text, "備考", false),
            field(4, ExtraKind::YesNo, "車いす", true),
        ];
        // A renamed field is headed by its current label; an inactive one only when
        // answered; a deleted one (9) by its answers' label.
        let answers = [
            answer(9, "旧項目", "x"),
            answer(2, "同行者の人数", "3"),
            answer(1, "学校", "第一小"),
            answer(9, "旧項目(別名)", "y"),
        ];
        let columns = answer_columns(&extras, &answers);
        let headers: Vec<(i64, &str)> = columns
            .iter()
            .map(|c| (c.field_id, c.header.as_str()))
            .collect();
        assert_eq!(
            headers,
            [
                (1, "学校名"),
                (2, "人数"),
                (4, "車いす"),
                (9, "旧項目(削除済み)")
            ]
        );
        assert_eq!(answer_columns(&[], &[]), Vec::new());
    }
}
