//! Languages of the resident pages and mails: Japanese (the default, the manual's wording)
//! and English. Strings live in Fluent files under `templates/locales/{ja,en}/`, compiled
//! into the binary. Unicode isolation marks (FSI/PDI around every placeable) are turned
//! off: they would end up inside mail subjects, .ics files and CSV cells.
//!
//! Messages made in Rust (a field's error, a flash) are [`Msg`] values, an id with its
//! arguments, and are put into words only when the page or mail is rendered, in that
//! page's language.
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};
use serde::{Deserialize, Serialize};

static_loader! {
    static LOCALES = {
        locales: "./templates/locales",
        fallback_language: "ja",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The name of the cookie that remembers the resident's choice.
pub const COOKIE: &str = "mdg_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// The BCP 47 code, as in `<html lang>` and in the database.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// A stored or submitted code; anything else is no language.
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim() {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// A stored code; an unknown one (a row from before languages) is Japanese.
    pub fn from_stored(code: &str) -> Lang {
        Lang::parse(code).unwrap_or_default()
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::Ja => fluent_templates::langid!("ja"),
            Lang::En => fluent_templates::langid!("en"),
        }
    }

    /// The language of the request being handled (set by [`crate::web::lang_layer`]);
    /// Japanese outside a request (jobs, the console's mails without a booking).
    pub fn current() -> Lang {
        REQUEST.try_with(|r| r.lang).unwrap_or_default()
    }

    /// Message `id` in this language. A missing id is a bug: it shows as the id itself
    /// (tests check both files hold the same ids, see `tests` below).
    pub fn t(self, id: &str) -> String {
        Msg::new(id.to_string()).resolve(self)
    }
}

/// What a request knows about its language, for code far from the handler (the page
/// renderer, `base_context`) that has no other way to ask.
#[derive(Debug, Clone)]
pub struct RequestLang {
    pub lang: Lang,
    /// Path and query of the page, for the language switch to come back to.
    pub here: String,
}

tokio::task_local! {
    pub static REQUEST: RequestLang;
}

/// The page the request is for (for the language switch), "" outside a request.
pub fn current_here() -> String {
    REQUEST.try_with(|r| r.here.clone()).unwrap_or_default()
}

/// A message: a Fluent id and its arguments, put into words when shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Msg {
    pub id: Cow<'static, str>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, Arg>,
}

/// One argument: text as it is, a number (for plurals), or a message of its own (a field's
/// name, an era), resolved in the same language first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    Num(i64),
    Text(String),
    Msg(Msg),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}
impl From<Msg> for Arg {
    fn from(m: Msg) -> Arg {
        Arg::Msg(m)
    }
}
macro_rules! arg_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Num(n as i64)
            }
        }
    )*};
}
arg_from_int!(i32, i64, u8, u16, u32, usize);

impl Msg {
    pub fn new(id: impl Into<Cow<'static, str>>) -> Msg {
        Msg {
            id: id.into(),
            args: BTreeMap::new(),
        }
    }

    pub fn arg(mut self, name: &str, value: impl Into<Arg>) -> Msg {
        self.args.insert(name.to_string(), value.into());
        self
    }

    /// The words in `lang`.
    pub fn resolve(&self, lang: Lang) -> String {
        self.try_resolve(lang).unwrap_or_else(|| {
            tracing::error!(id = %self.id, lang = lang.code(), "missing message");
            self.id.to_string()
        })
    }

    /// The words in `lang`, or None when there is no such message.
    pub fn try_resolve(&self, lang: Lang) -> Option<String> {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        for (name, value) in &self.args {
            let v = match value {
                Arg::Num(n) => FluentValue::from(*n),
                Arg::Text(s) => FluentValue::from(s.clone()),
                Arg::Msg(m) => FluentValue::from(m.resolve(lang)),
            };
            args.insert(Cow::Owned(name.clone()), v);
        }
        LOCALES.try_lookup_with_args(&lang.id(), &self.id, &args)
    }
}

/// Message text from a tera value: a string id, or an object `{id, args}` (a [`Msg`]).
fn msg_from_json(value: &serde_json::Value) -> Option<Msg> {
    match value {
        serde_json::Value::String(id) => Some(Msg::new(id.clone())),
        serde_json::Value::Object(_) => serde_json::from_value(value.clone()).ok(),
        _ => None,
    }
}

fn arg_from_json(value: &serde_json::Value, lang: Lang) -> Arg {
    match value {
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Arg::Num(i),
            None => Arg::Text(n.to_string()),
        },
        serde_json::Value::String(s) => Arg::Text(s.clone()),
        serde_json::Value::Object(_) => match msg_from_json(value) {
            Some(m) => Arg::Text(m.resolve(lang)),
            None => Arg::Text(String::new()),
        },
        serde_json::Value::Null => Arg::Text(String::new()),
        other => Arg::Text(other.to_string()),
    }
}

/// The tera function `t`: `{{ t(id="entry-title") }}`, `{{ t(id="x", n=3) }}`, or
/// `{{ t(msg=p.errors.number1) }}` for a message made in Rust. One instance per language,
/// so templates never pass the language around.
pub struct Translate(pub Lang);

impl tera::Function for Translate {
    fn call(&self, args: &HashMap<String, serde_json::Value>) -> tera::Result<serde_json::Value> {
        let mut msg = if let Some(m) = args.get("msg") {
            msg_from_json(m).ok_or_else(|| tera::Error::msg(format!("t: not a message: {m}")))?
        } else if let Some(serde_json::Value::String(id)) = args.get("id") {
            Msg::new(id.clone())
        } else {
            return Err(tera::Error::msg("t: needs id= or msg="));
        };
        for (name, value) in args {
            if name != "id" && name != "msg" {
                msg.args.insert(name.clone(), arg_from_json(value, self.0));
            }
        }
        // Unknown ids fail the render (a 500 in tests) rather than show an id to a person.
        msg.try_resolve(self.0)
            .map(serde_json::Value::String)
            .ok_or_else(|| tera::Error::msg(format!("t: no message {}", msg.id)))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

/// "December 2, 2026 (Wed)" / "2026年12月2日(水)": a visit date with its weekday.
pub fn date_with_weekday(lang: Lang, day: time::Date) -> String {
    match lang {
        Lang::Ja => crate::core::resident_input::format_date_with_weekday(day),
        Lang::En => format!("{} ({})", date_en(day), weekday_short(lang, day)),
    }
}

fn date_en(day: time::Date) -> String {
    format!("{} {}, {}", day.month(), day.day(), day.year())
}

/// "Wed" / "水".
pub fn weekday_short(lang: Lang, day: time::Date) -> String {
    Msg::new("weekday-short")
        .arg("n", day.weekday().number_from_monday())
        .resolve(lang)
}

/// "09:00〜09:15" / "09:00–09:15", from minutes after midnight.
pub fn time_range(lang: Lang, from_min: i32, to_min: i32) -> String {
    Msg::new("time-range")
        .arg("from", crate::core::grid::format_hhmm(from_min))
        .arg("to", crate::core::grid::format_hhmm(to_min))
        .resolve(lang)
}

/// A moment with date, weekday and time: "2026年12月1日(火) 09:30" /
/// "December 1, 2026 (Tue) 09:30".
pub fn date_time(lang: Lang, t: time::PrimitiveDateTime) -> String {
    match lang {
        Lang::Ja => crate::core::deadline::format_deadline_ja(t),
        Lang::En => format!(
            "{} {}",
            date_with_weekday(lang, t.date()),
            crate::core::deadline::format_hhmm_ja(t)
        ),
    }
}

/// A cut-off as a rule: "予約日の3日前まで" / "until the end of the day 3 days before the
/// booked day" (written in `core::deadline::Cutoff`, where it is tested case by case).
pub fn deadline_rule(lang: Lang, cutoff: crate::core::deadline::Cutoff) -> String {
    match lang {
        Lang::Ja => cutoff.describe_ja(),
        Lang::En => cutoff.describe_en(),
    }
}

/// Message `id` in the language of the request being handled.
pub fn tr(id: &'static str) -> String {
    Msg::new(id).resolve(Lang::current())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> std::collections::BTreeSet<String> {
        text.lines()
            .filter_map(|l| {
                let (id, _) = l.split_once(" =")?;
                (!id.starts_with([' ', '#', '-', '*', '[']) && !id.is_empty())
                    .then(|| id.to_string())
            })
            .collect()
    }

    /// A message in one language only would silently show the Japanese in English pages.
    #[test]
    fn both_languages_have_the_same_messages() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/locales");
        for file in std::fs::read_dir(format!("{dir}/ja")).unwrap() {
            let file = file.unwrap();
            let ja = std::fs::read_to_string(file.path()).unwrap();
            let en =
                std::fs::read_to_string(format!("{dir}/en/{}", file.file_name().to_string_lossy()))
                    .unwrap();
            let (ja, en) = (ids(&ja), ids(&en));
            assert!(!ja.is_empty());
            let only_ja: Vec<_> = ja.difference(&en).collect();
            let only_en: Vec<_> = en.difference(&ja).collect();
            assert!(
                only_ja.is_empty() && only_en.is_empty(),
                "{:?}: only in ja {only_ja:?}, only in en {only_en:?}",
                file.file_name()
            );
        }
    }

    #[test]
    fn no_isolation_marks_and_nested_arguments() {
        let m = Msg::new("error-number-empty").arg("label", Msg::new("label-number1"));
        assert_eq!(m.resolve(Lang::Ja), "番号1を入力してください。");
        assert_eq!(m.resolve(Lang::En), "Please enter Number 1.");
        assert!(!m.resolve(Lang::En).contains('\u{2068}'));
    }

    #[test]
    fn deadline_rules_in_each_language() {
        use crate::core::deadline::{Cutoff, END_OF_DAY};
        let three_days = Cutoff::DaysBefore {
            days: 3,
            until: END_OF_DAY,
        };
        assert_eq!(deadline_rule(Lang::Ja, three_days), "予約日の3日前まで");
        assert_eq!(
            deadline_rule(Lang::En, three_days),
            "until the end of the day 3 days before the booked day"
        );
        assert_eq!(
            deadline_rule(Lang::En, Cutoff::hours_before(1)),
            "until 1 hour before the booked time"
        );
    }

    #[test]
    fn english_dates() {
        let d = time::macros::date!(2026 - 12 - 02);
        assert_eq!(date_with_weekday(Lang::En, d), "December 2, 2026 (Wed)");
        assert_eq!(date_with_weekday(Lang::Ja, d), "2026年12月2日(水)");
    }
}
