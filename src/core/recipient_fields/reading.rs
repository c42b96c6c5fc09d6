//! Reading what a resident (or a clerk on the phone) typed into a person's fields: the
//! built-in ones as the booking form always has, and the municipality's own by their kind.
//! Messages are [`Msg`]s for the page's language and name the field, so that the error
//! summary reads on its own.
use std::collections::BTreeMap;

use super::{Answer, ExtraField, ExtraKind, NO, RecipientForm, YES};
use crate::core::resident_input::{
    KanaError, PhoneError, TextError, clean_text, fold_digits, parse_kana, parse_phone,
};
use crate::i18n::{Lang, Msg};

/// How long a name may be.
pub const NAME_MAX_CHARS: usize = 50;
/// How long a text answer may be.
pub const TEXT_MAX_CHARS: usize = 100;
/// How many digits a number answer may have (beyond any leading zeros).
pub const NUMBER_MAX_DIGITS: usize = 9;

/// What was typed for one person, as typed. `answers` is keyed by field id; a field with
/// no entry was left empty.
#[derive(Debug, Clone, Copy)]
pub struct Typed<'a> {
    pub name: &'a str,
    pub kana: &'a str,
    pub phone: &'a str,
    pub answers: &'a BTreeMap<i64, String>,
}

/// One person's fields as they are stored: a field not asked, or left empty where that is
/// allowed, is empty; answers only for the fields answered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checked {
    pub name: String,
    pub kana: String,
    pub phone: String,
    pub answers: Vec<Answer>,
}

/// Reads the fields of the person at `position` (0 is the first). On any error, every
/// error by field key ("name", "kana", "phone", "f12"), in `lang` where a label is named.
pub fn check_person(
    form: &RecipientForm,
    position: usize,
    typed: Typed<'_>,
    lang: Lang,
) -> Result<Checked, BTreeMap<String, Msg>> {
    let mut errors = BTreeMap::new();
    let mut out = Checked::default();
    if let Some(req) = form.name {
        match clean_text(typed.name, NAME_MAX_CHARS) {
            Ok(name) if name.is_empty() && req.required_for(position) => {
                errors.insert("name".to_string(), Msg::new("name-required"));
            }
            Ok(name) => out.name = name,
            Err(e) => {
                errors.insert("name".to_string(), e.msg());
            }
        }
    }
    if let Some(req) = form.kana {
        match parse_kana(typed.kana) {
            Ok(kana) => out.kana = kana,
            Err(KanaError::Empty) if !req.required_for(position) => {}
            Err(e) => {
                errors.insert("kana".to_string(), e.msg());
            }
        }
    }
    if let Some(req) = form.phone {
        match parse_phone(typed.phone) {
            Ok(phone) => out.phone = phone,
            Err(PhoneError::Empty) if !req.required_for(position) => {}
            Err(e) => {
                errors.insert("phone".to_string(), e.msg());
            }
        }
    }
    for field in form.asked_extras() {
        let input = typed
            .answers
            .get(&field.id)
            .map(String::as_str)
            .unwrap_or("");
        match check_answer(field, input, lang) {
            Ok(Some(answer)) => out.answers.push(answer),
            Ok(None) => {}
            Err(msg) => {
                errors.insert(field.key(), msg);
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Reads one answer: None when it was left empty and may be.
pub fn check_answer(field: &ExtraField, input: &str, lang: Lang) -> Result<Option<Answer>, Msg> {
    let label = field.label.pick(lang).0.to_string();
    let with_label = |id: &'static str| Msg::new(id).arg("label", label.clone());
    let missing = || -> Result<Option<Answer>, Msg> {
        if !field.required {
            return Ok(None);
        }
        Err(with_label(match field.kind {
            ExtraKind::Choice | ExtraKind::YesNo => "error-field-choose",
            ExtraKind::Text | ExtraKind::Number => "error-field-required",
        }))
    };
    let answer = |value: String, value_en: String| Answer {
        field_id: field.id,
        kind: field.kind,
        label_ja: field.label.ja.clone(),
        label_en: field.label.en.clone(),
        value,
        value_en,
    };
    match field.kind {
        ExtraKind::Text => match clean_text(input, TEXT_MAX_CHARS) {
            Ok(text) if text.is_empty() => missing(),
            Ok(text) => Ok(Some(answer(text, String::new()))),
            Err(TextError::ForbiddenCharacter) => Err(with_label("error-field-text-forbidden")),
            Err(TextError::TooLong { max, got }) => Err(with_label("error-field-text-too-long")
                .arg("max", max)
                .arg("got", got)),
        },
        ExtraKind::Number => match read_number(input) {
            Ok(None) => missing(),
            Ok(Some(n)) => Ok(Some(answer(n, String::new()))),
            Err(NumberProblem::NotANumber) => Err(with_label("error-field-number")),
            Err(NumberProblem::TooLong) => {
                Err(with_label("error-field-number-too-long").arg("max", NUMBER_MAX_DIGITS))
            }
        },
        ExtraKind::Choice => {
            let picked = input.trim();
            if picked.is_empty() {
                return missing();
            }
            match field.choices.iter().find(|c| c.ja == picked) {
                Some(c) => Ok(Some(answer(c.ja.clone(), c.en.clone()))),
                // Not one of the field's choices: a forged form, or a choice the
                // municipality removed while the form was open.
                None => Err(with_label("error-field-choice")),
            }
        }
        ExtraKind::YesNo => match input.trim() {
            "" => missing(),
            v @ (YES | NO) => Ok(Some(answer(v.to_string(), String::new()))),
            _ => Err(with_label("error-field-choice")),
        },
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberProblem {
    NotANumber,
    TooLong,
}

/// A whole number as people type it: any width, with spaces or thousands separators
/// ("１，２００", "1 200"); kept as plain ASCII digits without leading zeros.
fn read_number(input: &str) -> Result<Option<String>, NumberProblem> {
    let folded: String = fold_digits(input)
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '\u{3001}'))
        .collect();
    if folded.is_empty() {
        return Ok(None);
    }
    if !folded.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumberProblem::NotANumber);
    }
    let significant = folded.trim_start_matches('0');
    if significant.len() > NUMBER_MAX_DIGITS {
        return Err(NumberProblem::TooLong);
    }
    Ok(Some(if significant.is_empty() {
        "0".to_string()
    } else {
        significant.to_string()
    }))
}

#[cfg(test)]
mod tests {
    use super::super::{Choice, Requirement, Wording};
    use super::*;

    fn extra(id: i64, kind: ExtraKind, required: bool) -> ExtraField {
        ExtraField {
            id,
            kind,
            label: Wording::new(format!("項目{id}"), format!("Field {id}")),
            help: Wording::default(),
            choices: if kind == ExtraKind::Choice {
                vec![
                    Choice {
                        ja: "運転免許証".into(),
                        en: "Driving licence".into(),
                    },
                    Choice {
                        ja: "パスポート".into(),
                        en: String::new(),
                    },
                ]
            } else {
                Vec::new()
            },
            required,
            active: true,
            position: id as i32,
        }
    }

    fn typed<'a>(
        name: &'a str,
        kana: &'a str,
        phone: &'a str,
        answers: &'a BTreeMap<i64, String>,
    ) -> Typed<'a> {
        Typed {
            name,
            kana,
            phone,
            answers,
        }
    }

    #[test]
    fn numbers_are_read_as_people_type_them() {
        assert_eq!(read_number("３"), Ok(Some("3".into())));
        assert_eq!(read_number(" １，２００ "), Ok(Some("1200".into())));
        assert_eq!(read_number("1 200"), Ok(Some("1200".into())));
        assert_eq!(read_number("007"), Ok(Some("7".into())));
        assert_eq!(read_number("000"), Ok(Some("0".into())));
        assert_eq!(read_number("  "), Ok(None));
        assert_eq!(read_number("3人"), Err(NumberProblem::NotANumber));
        assert_eq!(read_number("-3"), Err(NumberProblem::NotANumber));
        assert_eq!(read_number("1.5"), Err(NumberProblem::NotANumber));
        assert_eq!(read_number("三"), Err(NumberProblem::NotANumber));
        assert_eq!(read_number("1234567890"), Err(NumberProblem::TooLong));
        assert_eq!(read_number("0001234567"), Ok(Some("1234567".into())));
    }

    #[test]
    fn each_kind_checks_its_answer_and_names_the_field() {
        let number = extra(1, ExtraKind::Number, true);
        let err = check_answer(&number, "三人", Lang::Ja).unwrap_err();
        assert_eq!(
            err.resolve(Lang::Ja),
            "「項目1」は数字で入力してください(例:3)。"
        );
        assert_eq!(
            err.resolve(Lang::En),
            "Please enter “項目1” as a whole number in digits (e.g. 3)."
        );
        let en = check_answer(&number, "", Lang::En).unwrap_err();
        assert_eq!(en.resolve(Lang::En), "Please enter “Field 1”.");
        assert_eq!(
            check_answer(&number, "１２", Lang::Ja)
                .unwrap()
                .unwrap()
                .value,
            "12"
        );

        let choice = extra(2, ExtraKind::Choice, true);
        let got = check_answer(&choice, "運転免許証", Lang::Ja)
            .unwrap()
            .unwrap();
        assert_eq!(
            (got.value.as_str(), got.value_en.as_str()),
            ("運転免許証", "Driving licence")
        );
        assert_eq!(got.label_ja, "項目2");
        assert_eq!(
            check_answer(&choice, "保険証", Lang::Ja)
                .unwrap_err()
                .resolve(Lang::Ja),
            "「項目2」は、表示されている選択肢から選んでください。"
        );
        assert_eq!(
            check_answer(&choice, " ", Lang::Ja)
                .unwrap_err()
                .resolve(Lang::Ja),
            "「項目2」を選んでください。"
        );

        let yes_no = extra(3, ExtraKind::YesNo, false);
        assert_eq!(check_answer(&yes_no, "", Lang::Ja), Ok(None));
        assert_eq!(
            check_answer(&yes_no, "no", Lang::Ja)
                .unwrap()
                .unwrap()
                .value,
            "no"
        );
        assert!(check_answer(&yes_no, "maybe", Lang::Ja).is_err());

        let text = extra(4, ExtraKind::Text, false);
        assert_eq!(check_answer(&text, "  ", Lang::Ja), Ok(None));
        assert_eq!(
            check_answer(&text, " 第一小学校 ", Lang::Ja)
                .unwrap()
                .unwrap()
                .value,
            "第一小学校"
        );
        assert_eq!(
            check_answer(&text, "a\nb", Lang::Ja)
                .unwrap_err()
                .resolve(Lang::Ja),
            "「項目4」に入力できない文字(改行や制御文字など)が含まれています。"
        );
        assert!(check_answer(&text, "\u{202E}abc", Lang::Ja).is_err());
        let long = "あ".repeat(TEXT_MAX_CHARS + 1);
        assert_eq!(
            check_answer(&text, &long, Lang::Ja)
                .unwrap_err()
                .resolve(Lang::Ja),
            format!(
                "「項目4」は{TEXT_MAX_CHARS}文字以内で入力してください(いまは{}文字です)。",
                TEXT_MAX_CHARS + 1
            )
        );
    }

    #[test]
    fn built_in_fields_follow_their_requirement() {
        let none = BTreeMap::new();
        // As today: name and kana required, the phone number for the first person.
        let form = RecipientForm::default();
        let errors = check_person(&form, 0, typed("", "", "", &none), Lang::Ja).unwrap_err();
        assert_eq!(
            errors.keys().map(String::as_str).collect::<Vec<_>>(),
            ["kana", "name", "phone"]
        );
        let second = check_person(
            &form,
            1,
            typed("山田 花子", "やまだ はなこ", "", &none),
            Lang::Ja,
        )
        .unwrap();
        assert_eq!(second.kana, "ヤマダ\u{3000}ハナコ");
        assert_eq!(second.phone, "");

        // Phone off, kana optional: an empty kana is fine, a wrong one is not, a phone
        // number typed into a form that does not ask for it is not stored.
        let form = RecipientForm {
            kana: Some(Requirement::Optional),
            phone: None,
            ..RecipientForm::default()
        };
        let ok = check_person(&form, 0, typed("山田", "", "09012345678", &none), Lang::Ja).unwrap();
        assert_eq!((ok.kana.as_str(), ok.phone.as_str()), ("", ""));
        let bad = check_person(&form, 0, typed("山田", "yamada", "", &none), Lang::Ja).unwrap_err();
        assert!(bad.contains_key("kana"));
        // Optional name: empty is fine, control characters are not.
        let form = RecipientForm {
            name: Some(Requirement::Optional),
            ..form
        };
        assert!(check_person(&form, 0, typed("", "", "", &none), Lang::Ja).is_ok());
        assert!(check_person(&form, 0, typed("a\u{7}", "", "", &none), Lang::Ja).is_err());
    }

    #[test]
    fn extra_fields_are_checked_by_id_and_only_when_active() {
        let mut form = RecipientForm {
            phone: None,
            ..RecipientForm::default()
        };
        form.extras = vec![
            extra(7, ExtraKind::Choice, true),
            extra(8, ExtraKind::YesNo, false),
            ExtraField {
                active: false,
                ..extra(9, ExtraKind::Number, true)
            },
        ];
        let mut answers = BTreeMap::new();
        let empty =
            check_person(&form, 0, typed("山田", "ヤマダ", "", &answers), Lang::Ja).unwrap_err();
        assert_eq!(
            empty.keys().collect::<Vec<_>>(),
            ["f7"],
            "the inactive one is not asked"
        );
        answers.insert(7, "パスポート".to_string());
        answers.insert(8, "yes".to_string());
        answers.insert(9, "not even a number".to_string());
        let ok = check_person(&form, 0, typed("山田", "ヤマダ", "", &answers), Lang::Ja).unwrap();
        let got: Vec<(i64, &str)> = ok
            .answers
            .iter()
            .map(|a| (a.field_id, a.value.as_str()))
            .collect();
        assert_eq!(got, [(7, "パスポート"), (8, "yes")]);
    }
}
