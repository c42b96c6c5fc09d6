//! What the administrator types on the console page 受取人情報の項目: how each built-in
//! field is asked, and a field of the municipality's own (labels, help, kind, choices,
//! required, active, order). Messages are the console's Japanese, one per field; the audit
//! log's sentences say what changed from what to what.
use std::collections::BTreeMap;

use super::{
    Asked, Builtin, Choice, ExtraField, ExtraKind, MAX_CHOICES, Requirement, Wording, asked_label,
};
use crate::core::resident_input::{clean_text, fold_digits};

pub const LABEL_JA_MAX: usize = 40;
pub const LABEL_EN_MAX: usize = 80;
pub const HELP_JA_MAX: usize = 200;
pub const HELP_EN_MAX: usize = 400;
pub const CHOICE_JA_MAX: usize = 40;
pub const CHOICE_EN_MAX: usize = 80;
pub const POSITION_MAX: i32 = 99;

/// A built-in field's select: "off", "optional", "required" or (phone) "first".
pub fn parse_asked(which: Builtin, value: &str) -> Result<Asked, String> {
    match value.trim() {
        "off" => Ok(None),
        v => Requirement::parse(v)
            .filter(|r| which.allows(*r))
            .map(Some)
            .ok_or_else(|| "一覧から選んでください。".to_string()),
    }
}

/// The select's value for how a built-in field is asked.
pub fn asked_value(asked: Asked) -> &'static str {
    asked.map(Requirement::as_str).unwrap_or("off")
}

/// The audit sentence's parts for the built-in fields: "電話番号 1人目のみ必須→尋ねない".
pub fn describe_builtin_changes(old: [Asked; 3], new: [Asked; 3]) -> Vec<String> {
    Builtin::ALL
        .into_iter()
        .zip(old.into_iter().zip(new))
        .filter(|(_, (a, b))| a != b)
        .map(|(which, (a, b))| {
            format!("{} {}→{}", which.label_ja(), asked_label(a), asked_label(b))
        })
        .collect()
}

/// What the administrator typed for one field, as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefinitionInput<'a> {
    pub label_ja: &'a str,
    pub label_en: &'a str,
    pub help_ja: &'a str,
    pub help_en: &'a str,
    pub kind: &'a str,
    /// One choice per line.
    pub choices_ja: &'a str,
    /// The English of each choice, line by line in the same order; may be shorter.
    pub choices_en: &'a str,
    pub required: bool,
    pub active: bool,
    pub position: &'a str,
}

/// A field of the municipality's own as it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    pub kind: ExtraKind,
    pub label: Wording,
    pub help: Wording,
    pub choices: Vec<Choice>,
    pub required: bool,
    pub active: bool,
    pub position: i32,
}

impl Definition {
    /// The definition a stored field has (for comparing with what was typed).
    pub fn of(field: &ExtraField) -> Definition {
        Definition {
            kind: field.kind,
            label: field.label.clone(),
            help: field.help.clone(),
            choices: field.choices.clone(),
            required: field.required,
            active: field.active,
            position: field.position,
        }
    }

    /// "「学校名」(選択肢・必須)" for the audit log.
    pub fn summary(&self) -> String {
        format!(
            "「{}」({}・{})",
            self.label.ja,
            self.kind.label_ja(),
            if self.required { "必須" } else { "任意" }
        )
    }
}

fn line(input: &str, max: usize, required: bool) -> Result<String, String> {
    let text = clean_text(input, max).map_err(|e| e.message())?;
    if required && text.is_empty() {
        return Err("入力してください。".to_string());
    }
    Ok(text)
}

/// Lines of a textarea, trimmed, CRLF or LF; empty lines at the end dropped.
fn lines(input: &str) -> Vec<&str> {
    let mut out: Vec<&str> = input.lines().map(str::trim).collect();
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

fn parse_choices(ja: &str, en: &str) -> (Result<Vec<Choice>, String>, Option<String>) {
    let ja_lines: Vec<&str> = lines(ja).into_iter().filter(|l| !l.is_empty()).collect();
    let en_lines = lines(en);
    let mut choices = Vec::new();
    for (i, text) in ja_lines.iter().enumerate() {
        match clean_text(text, CHOICE_JA_MAX) {
            Ok(t) => choices.push(t),
            Err(e) => return (Err(format!("{}行目: {}", i + 1, e.message())), None),
        }
    }
    if choices.len() < 2 {
        return (
            Err("選択肢を2つ以上、1行に1つずつ入力してください。".to_string()),
            None,
        );
    }
    if choices.len() > MAX_CHOICES {
        return (
            Err(format!(
                "選択肢は{MAX_CHOICES}個までです(いまは{}個です)。",
                choices.len()
            )),
            None,
        );
    }
    for (i, c) in choices.iter().enumerate() {
        if choices[..i].contains(c) {
            return (
                Err(format!(
                    "「{c}」が2回あります。選択肢はそれぞれ違う言葉にしてください。"
                )),
                None,
            );
        }
    }
    let mut en_error = None;
    if en_lines.len() > choices.len() {
        en_error = Some(format!(
            "英語の選択肢が日本語より多くあります(日本語{}個、英語{}個)。日本語と同じ順に1行に1つずつ入力してください。",
            choices.len(),
            en_lines.len()
        ));
    }
    let mut out = Vec::new();
    for (i, ja) in choices.into_iter().enumerate() {
        let en = match en_lines.get(i).map(|l| clean_text(l, CHOICE_EN_MAX)) {
            None => String::new(),
            Some(Ok(t)) => t,
            Some(Err(e)) => {
                en_error.get_or_insert(format!("{}行目: {}", i + 1, e.message()));
                String::new()
            }
        };
        out.push(Choice { ja, en });
    }
    (Ok(out), en_error)
}

/// Reads a field's definition; on any error, the message for each field name of the form.
pub fn parse_definition(
    input: &DefinitionInput<'_>,
) -> Result<Definition, BTreeMap<&'static str, String>> {
    let mut errors = BTreeMap::new();
    let mut check = |name: &'static str, r: Result<String, String>| match r {
        Ok(v) => Some(v),
        Err(e) => {
            errors.insert(name, e);
            None
        }
    };
    let label_ja = check("label_ja", line(input.label_ja, LABEL_JA_MAX, true));
    let label_en = check("label_en", line(input.label_en, LABEL_EN_MAX, false));
    let help_ja = check("help_ja", line(input.help_ja, HELP_JA_MAX, false));
    let help_en = check("help_en", line(input.help_en, HELP_EN_MAX, false));
    let kind = ExtraKind::parse(input.kind.trim());
    if kind.is_none() {
        errors.insert("kind", "種類を選んでください。".to_string());
    }
    let mut choices = Vec::new();
    if kind == Some(ExtraKind::Choice) {
        let (ja, en) = parse_choices(input.choices_ja, input.choices_en);
        match ja {
            Ok(c) => choices = c,
            Err(e) => {
                errors.insert("choices_ja", e);
            }
        }
        if let Some(e) = en {
            errors.insert("choices_en", e);
        }
    }
    let position = parse_position(input.position);
    if let Err(e) = &position {
        errors.insert("position", e.clone());
    }
    match (label_ja, label_en, help_ja, help_en, kind, position) {
        (
            Some(label_ja),
            Some(label_en),
            Some(help_ja),
            Some(help_en),
            Some(kind),
            Ok(position),
        ) if errors.is_empty() => Ok(Definition {
            kind,
            label: Wording::new(label_ja, label_en),
            help: Wording::new(help_ja, help_en),
            choices,
            required: input.required,
            active: input.active,
            position,
        }),
        _ => Err(errors),
    }
}

fn parse_position(input: &str) -> Result<i32, String> {
    let text = fold_digits(input);
    let text = text
        .strip_suffix("番目")
        .or_else(|| text.strip_suffix('番'))
        .unwrap_or(&text)
        .trim();
    let range = format!("1から{POSITION_MAX}までの数字で入力してください。");
    if text.is_empty() {
        return Err("入力してください。".to_string());
    }
    if text.len() > 3 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(range);
    }
    match text.parse::<i32>() {
        Ok(n) if (1..=POSITION_MAX).contains(&n) => Ok(n),
        _ => Err(range),
    }
}

fn choices_text(choices: &[Choice]) -> String {
    if choices.is_empty() {
        return "なし".to_string();
    }
    choices
        .iter()
        .map(|c| c.ja.as_str())
        .collect::<Vec<_>>()
        .join("・")
}

/// What changed, before → after, for the audit log ("見出し 学校名→通学先、必須 いいえ→はい").
pub fn describe_definition_change(old: &Definition, new: &Definition) -> Vec<String> {
    let mut what = Vec::new();
    let yes_no = |b: bool| if b { "はい" } else { "いいえ" };
    let mut text = |name: &str, a: &str, b: &str| {
        if a != b {
            let shown = |s: &str| {
                if s.is_empty() {
                    "(なし)".to_string()
                } else {
                    s.to_string()
                }
            };
            what.push(format!("{name} {}→{}", shown(a), shown(b)));
        }
    };
    text("見出し", &old.label.ja, &new.label.ja);
    text("見出し(英語)", &old.label.en, &new.label.en);
    text("説明", &old.help.ja, &new.help.ja);
    text("説明(英語)", &old.help.en, &new.help.en);
    if old.kind != new.kind {
        what.push(format!(
            "種類 {}→{}",
            old.kind.label_ja(),
            new.kind.label_ja()
        ));
    }
    let ja = |c: &[Choice]| choices_text(c);
    if ja(&old.choices) != ja(&new.choices) {
        what.push(format!("選択肢 {}→{}", ja(&old.choices), ja(&new.choices)));
    }
    let en = |c: &[Choice]| {
        c.iter()
            .map(|c| c.en.as_str())
            .collect::<Vec<_>>()
            .join("・")
    };
    if ja(&old.choices) == ja(&new.choices) && en(&old.choices) != en(&new.choices) {
        what.push("選択肢(英語)".to_string());
    }
    if old.required != new.required {
        what.push(format!(
            "必須 {}→{}",
            yes_no(old.required),
            yes_no(new.required)
        ));
    }
    if old.active != new.active {
        what.push(format!(
            "予約画面で尋ねる {}→{}",
            yes_no(old.active),
            yes_no(new.active)
        ));
    }
    if old.position != new.position {
        what.push(format!("表示順 {}→{}", old.position, new.position));
    }
    what
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>() -> DefinitionInput<'a> {
        DefinitionInput {
            label_ja: "本人確認書類",
            label_en: "ID document",
            help_ja: "当日お持ちになるもの",
            help_en: "",
            kind: "choice",
            choices_ja: "運転免許証\r\nパスポート\r\n\r\n",
            choices_en: "Driving licence\n",
            required: true,
            active: true,
            position: "１",
        }
    }

    #[test]
    fn a_choice_field_is_read_with_its_choices() {
        let d = parse_definition(&input()).unwrap();
        assert_eq!(d.kind, ExtraKind::Choice);
        assert_eq!(d.position, 1);
        assert_eq!(
            d.choices,
            vec![
                Choice {
                    ja: "運転免許証".into(),
                    en: "Driving licence".into()
                },
                Choice {
                    ja: "パスポート".into(),
                    en: String::new()
                },
            ]
        );
        assert_eq!(d.summary(), "「本人確認書類」(選択肢・必須)");
        // Choices typed for another kind are not kept.
        let text = parse_definition(&DefinitionInput {
            kind: "text",
            ..input()
        })
        .unwrap();
        assert!(text.choices.is_empty());
    }

    #[test]
    fn mistakes_get_a_message_each() {
        let errors = parse_definition(&DefinitionInput {
            label_ja: " ",
            label_en: "a\u{7}",
            kind: "colour",
            position: "100",
            ..input()
        })
        .unwrap_err();
        assert_eq!(errors["label_ja"], "入力してください。");
        assert!(errors["label_en"].contains("制御文字"));
        assert_eq!(errors["kind"], "種類を選んでください。");
        assert_eq!(errors["position"], "1から99までの数字で入力してください。");

        let choice = |ja: &str, en: &str| {
            parse_definition(&DefinitionInput {
                choices_ja: ja,
                choices_en: en,
                ..input()
            })
            .unwrap_err()
        };
        assert_eq!(
            choice("ひとつ", "")["choices_ja"],
            "選択肢を2つ以上、1行に1つずつ入力してください。"
        );
        assert!(choice("A\nB\nA", "")["choices_ja"].contains("「A」が2回あります"));
        assert!(choice("A\nB", "a\nb\nc")["choices_en"].contains("日本語2個、英語3個"));
        let many = (0..21)
            .map(|i| format!("選択肢{i}"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(choice(&many, "")["choices_ja"].contains("20個まで"));
    }

    #[test]
    fn built_in_selects_allow_the_first_person_only_for_the_phone() {
        assert_eq!(
            parse_asked(Builtin::Phone, "first"),
            Ok(Some(Requirement::First))
        );
        assert!(parse_asked(Builtin::Name, "first").is_err());
        assert_eq!(parse_asked(Builtin::Kana, "off"), Ok(None));
        assert!(parse_asked(Builtin::Kana, "").is_err());
        for a in [
            None,
            Some(Requirement::Optional),
            Some(Requirement::Required),
        ] {
            assert_eq!(parse_asked(Builtin::Name, asked_value(a)), Ok(a));
        }
        let old = [
            Some(Requirement::Required),
            Some(Requirement::Required),
            Some(Requirement::First),
        ];
        let new = [
            Some(Requirement::Required),
            Some(Requirement::Optional),
            None,
        ];
        assert_eq!(
            describe_builtin_changes(old, new),
            ["フリガナ 必須→任意", "電話番号 1人目のみ必須→尋ねない"]
        );
    }

    #[test]
    fn changes_are_described_before_and_after() {
        let old = parse_definition(&input()).unwrap();
        let new = Definition {
            label: Wording::new("確認書類", "ID document"),
            choices: vec![Choice {
                ja: "運転免許証".into(),
                en: String::new(),
            }],
            required: false,
            active: false,
            position: 3,
            ..old.clone()
        };
        assert_eq!(
            describe_definition_change(&old, &new),
            [
                "見出し 本人確認書類→確認書類",
                "選択肢 運転免許証・パスポート→運転免許証",
                "必須 はい→いいえ",
                "予約画面で尋ねる はい→いいえ",
                "表示順 1→3",
            ]
        );
        assert!(describe_definition_change(&old, &old).is_empty());
        let help = Definition {
            help: Wording::new("", ""),
            ..old.clone()
        };
        assert_eq!(
            describe_definition_change(&old, &help),
            ["説明 当日お持ちになるもの→(なし)"]
        );
    }
}
