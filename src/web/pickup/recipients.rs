//! 受取人情報 on the pages: what the municipality asks (read from the database on every
//! form, so a change on the console shows at once on every instance), a person's fields
//! read from a posted form and checked (the resident's form and the clerk's phone booking
//! alike), the inputs of the municipality's own fields, and a person's answers as the
//! confirmation, details, print view and console show them.
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::app::App;
use crate::core::recipient_fields::reading::{Checked, Typed, check_answer, check_person};
use crate::core::recipient_fields::{
    Answer, Builtin, ExtraField, ExtraKind, NO, RecipientForm, YES,
};
use crate::i18n::{Lang, Msg};
use crate::web::error::WebError;
use crate::web::session::PersonForm;

/// What `tenant_id` asks of each person now.
pub async fn asked(app: &App, tenant_id: i64) -> Result<RecipientForm, WebError> {
    Ok(crate::db::recipient_fields::form(&app.db, tenant_id).await?)
}

/// Errors of one person's fields by key: "name", "kana", "phone", "f12".
pub type PersonErrors = BTreeMap<String, Msg>;

/// The form's name of a field of person `n` (1-based): `name_2`, `f12_2`. Also the id of
/// its input (a choice's first option), which the error summary links to.
pub fn input_name(key: &str, n: usize) -> String {
    format!("{key}_{n}")
}

/// Person `n`'s fields from a posted form, as typed; a field the form does not ask is
/// left empty, whatever was posted for it.
pub fn read_person(form: &HashMap<String, String>, n: usize, asked: &RecipientForm) -> PersonForm {
    let typed = |key: &str| form.get(&input_name(key, n)).cloned().unwrap_or_default();
    let builtin = |b: Builtin| {
        if asked.builtin(b).is_some() {
            typed(b.code())
        } else {
            String::new()
        }
    };
    PersonForm {
        name: builtin(Builtin::Name),
        kana: builtin(Builtin::Kana),
        phone: builtin(Builtin::Phone),
        answers: asked
            .asked_extras()
            .map(|f| (f.id, typed(&f.key())))
            .filter(|(_, v)| !v.is_empty())
            .collect(),
    }
}

/// What was typed for a person, for [`check_person`].
pub fn typed(p: &PersonForm) -> Typed<'_> {
    Typed {
        name: &p.name,
        kana: &p.kana,
        phone: &p.phone,
        answers: &p.answers,
    }
}

/// Every person's fields as they will be stored, or every person's errors (an empty map
/// for a person without any).
pub fn check_people(
    asked: &RecipientForm,
    people: &[PersonForm],
    lang: Lang,
) -> Result<Vec<Checked>, Vec<PersonErrors>> {
    let results: Vec<Result<Checked, PersonErrors>> = people
        .iter()
        .enumerate()
        .map(|(i, p)| check_person(asked, i, typed(p), lang))
        .collect();
    if results.iter().all(Result::is_ok) {
        Ok(results.into_iter().filter_map(Result::ok).collect())
    } else {
        Err(results
            .into_iter()
            .map(|r| r.err().unwrap_or_default())
            .collect())
    }
}

/// The answers that read well as typed, for a page that shows what will be stored (the
/// confirmation); a field that does not is caught again when booking.
pub fn preview_answers(asked: &RecipientForm, person: &PersonForm, lang: Lang) -> Vec<Answer> {
    asked
        .asked_extras()
        .filter_map(|f| {
            let input = person.answers.get(&f.id).map(String::as_str).unwrap_or("");
            check_answer(f, input, lang).ok().flatten()
        })
        .collect()
}

/// Whether the built-in fields of person `n` (1-based) may be left empty, for the
/// "(任意)" after their labels.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct BuiltinOptional {
    pub name: bool,
    pub kana: bool,
    pub phone: bool,
}

pub fn builtin_optional(asked: &RecipientForm, n: usize) -> BuiltinOptional {
    let optional = |b: Builtin| asked.builtin(b).is_some_and(|r| !r.required_for(n - 1));
    BuiltinOptional {
        name: optional(Builtin::Name),
        kana: optional(Builtin::Kana),
        phone: optional(Builtin::Phone),
    }
}

/// One option of a choice or yes/no field.
#[derive(Debug, Serialize)]
pub struct OptionView {
    id: String,
    value: String,
    label: String,
    label_lang: Option<&'static str>,
    checked: bool,
}

/// The input of one of the municipality's own fields for one person
/// (`templates/_recipient_fields.html`).
#[derive(Debug, Serialize)]
pub struct ExtraInput {
    /// The input's name and id (a choice's first option's id).
    name: String,
    kind: &'static str,
    label: String,
    label_lang: Option<&'static str>,
    /// "(任意)" / " (optional)" when it may be left empty.
    suffix: String,
    help: String,
    help_lang: Option<&'static str>,
    value: String,
    error: Option<String>,
    options: Vec<OptionView>,
}

/// The inputs of the municipality's own fields for person `n` (1-based), with what was
/// typed and the errors, in `lang`.
pub fn extra_inputs(
    asked: &RecipientForm,
    person: &PersonForm,
    n: usize,
    errors: &PersonErrors,
    lang: Lang,
) -> Vec<ExtraInput> {
    asked
        .asked_extras()
        .map(|f| extra_input(f, person, n, errors, lang))
        .collect()
}

fn extra_input(
    f: &ExtraField,
    person: &PersonForm,
    n: usize,
    errors: &PersonErrors,
    lang: Lang,
) -> ExtraInput {
    let name = input_name(&f.key(), n);
    let value = person.answers.get(&f.id).cloned().unwrap_or_default();
    let option = |i: usize, value_of: &str, (label, label_lang): (&str, Option<&'static str>)| {
        OptionView {
            // The first option carries the field's own id: the summary's link lands on it.
            id: if i == 0 {
                name.clone()
            } else {
                format!("{name}-{}", i + 1)
            },
            value: value_of.to_string(),
            label: label.to_string(),
            label_lang,
            checked: value.trim() == value_of,
        }
    };
    let options = match f.kind {
        ExtraKind::Choice => f
            .choices
            .iter()
            .enumerate()
            .map(|(i, c)| {
                option(
                    i,
                    &c.ja,
                    crate::core::recipient_fields::pick(lang, &c.ja, &c.en),
                )
            })
            .collect(),
        ExtraKind::YesNo => [YES, NO]
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                let words =
                    Msg::new(if v == YES { "answer-yes" } else { "answer-no" }).resolve(lang);
                option(i, v, (&words, None))
            })
            .collect(),
        ExtraKind::Text | ExtraKind::Number => Vec::new(),
    };
    let (label, label_lang) = f.label.pick(lang);
    let (help, help_lang) = f.help.pick(lang);
    ExtraInput {
        kind: f.kind.as_str(),
        label: label.to_string(),
        label_lang,
        suffix: if f.required {
            String::new()
        } else {
            lang.t("optional")
        },
        help: help.to_string(),
        help_lang,
        value,
        error: errors.get(&f.key()).map(|m| m.resolve(lang)),
        options,
        name,
    }
}

/// The keys of a person's fields in the order the page shows them, for the error summary.
pub fn keys_in_page_order(asked: &RecipientForm) -> Vec<String> {
    Builtin::ALL
        .into_iter()
        .filter(|b| asked.builtin(*b).is_some())
        .map(|b| b.code().to_string())
        .chain(asked.asked_extras().map(ExtraField::key))
        .collect()
}

/// One answer as a page shows it: the label it was given under and the answer in words,
/// each with `lang="ja"` when Japanese stands in for missing English.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerView {
    pub label: String,
    pub label_lang: Option<&'static str>,
    pub text: String,
    pub text_lang: Option<&'static str>,
}

pub fn answer_views(answers: &[Answer], lang: Lang) -> Vec<AnswerView> {
    answers
        .iter()
        .map(|a| {
            let (label, label_lang) = a.label(lang);
            let (text, text_lang) = a.text(lang);
            AnswerView {
                label: label.to_string(),
                label_lang,
                text,
                text_lang,
            }
        })
        .collect()
}
