//! 画面の文言: the texts of the resident pages that seed 004 says differ by municipality
//! (the site name, where 番号1 and 番号2 are on the postcard, what to bring, the completion
//! page's note, the call-centre line), each with a shipped default, in Japanese and
//! English. What is shown in which language, what a typed text may be, and how a change is
//! written in the audit log. The header image's checks are in [`header_image`].
pub mod header_image;

use crate::i18n::Lang;

/// One text the municipality may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageText {
    /// The site's name in the page header and on the home page's heading.
    SiteName,
    /// Under [番号1を入力してください]: where the number is on the postcard.
    Number1Where,
    /// Under [番号2を入力してください].
    Number2Where,
    /// 持ち物: what to bring on the day (details page, print view, FAQ).
    Bring,
    /// The note on the completion page (予約入力完了).
    DoneNote,
    /// The call-centre line (footer, "please call ..." sentences, mails).
    CallCentre,
}

impl PageText {
    pub const ALL: [PageText; 6] = [
        PageText::SiteName,
        PageText::Number1Where,
        PageText::Number2Where,
        PageText::Bring,
        PageText::DoneNote,
        PageText::CallCentre,
    ];

    /// The name in forms, URLs and the `municipality_texts` table.
    pub fn key(self) -> &'static str {
        match self {
            PageText::SiteName => "site_name",
            PageText::Number1Where => "number1_where",
            PageText::Number2Where => "number2_where",
            PageText::Bring => "bring",
            PageText::DoneNote => "done_note",
            PageText::CallCentre => "call_centre",
        }
    }

    pub fn from_key(key: &str) -> Option<PageText> {
        PageText::ALL.into_iter().find(|t| t.key() == key)
    }

    /// Its name on the console and in the audit log.
    pub fn label_ja(self) -> &'static str {
        match self {
            PageText::SiteName => "サイト名",
            PageText::Number1Where => "番号1の説明",
            PageText::Number2Where => "番号2の説明",
            PageText::Bring => "持ち物",
            PageText::DoneNote => "予約完了画面のお知らせ",
            PageText::CallCentre => "お問い合わせ先",
        }
    }

    /// The Fluent message that is the shipped default, in either language; None for the
    /// call-centre line, which ships empty (no line is shown).
    pub fn default_id(self) -> Option<&'static str> {
        match self {
            PageText::SiteName => Some("site-name"),
            PageText::Number1Where => Some("entry-number1-hint"),
            PageText::Number2Where => Some("entry-number2-hint"),
            PageText::Bring => Some("booking-bring"),
            PageText::DoneNote => Some("done-print"),
            PageText::CallCentre => None,
        }
    }

    /// The most characters a text may have (per language).
    pub fn max_chars(self) -> usize {
        match self {
            PageText::SiteName => 60,
            PageText::CallCentre => 200,
            PageText::Number1Where | PageText::Number2Where | PageText::Bring => 300,
            PageText::DoneNote => 600,
        }
    }

    /// Whether line breaks are kept. The site name and the call-centre line stand inside
    /// a heading, a link or a sentence: one line.
    pub fn multiline(self) -> bool {
        !matches!(self, PageText::SiteName | PageText::CallCentre)
    }

    /// Whether the Japanese may be empty (the text is then not shown at all). The site
    /// name names every page: it may not.
    pub fn may_be_empty(self) -> bool {
        self != PageText::SiteName
    }
}

/// What a municipality wrote for one text: None = not written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub ja: Option<String>,
    pub en: Option<String>,
}

impl Written {
    pub fn is_default(&self) -> bool {
        self.ja.is_none() && self.en.is_none()
    }
}

/// The text a page shows, and the language to mark it with when it is not the page's.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Shown {
    pub text: String,
    /// `Some("ja")` when an English page shows the Japanese (`lang="ja"` on its element).
    pub lang: Option<&'static str>,
}

/// What a page in `lang` shows for a text the municipality wrote as `written`, with
/// `default(lang)` the shipped wording. English not given falls back to the Japanese the
/// municipality wrote (marked as Japanese); when it wrote neither, the shipped English.
pub fn shown(written: &Written, lang: Lang, default: impl FnOnce(Lang) -> String) -> Shown {
    let plain = |text: &str| Shown {
        text: text.to_string(),
        lang: None,
    };
    match (lang, &written.ja, &written.en) {
        (Lang::Ja, Some(ja), _) => plain(ja),
        (Lang::En, _, Some(en)) => plain(en),
        (Lang::En, Some(ja), None) => Shown {
            text: ja.clone(),
            lang: Some("ja"),
        },
        (lang, _, _) => plain(&default(lang)),
    }
}

/// A text as typed into the console: line ends made "\n" (kept only where the text may
/// have several lines), outer spaces trimmed, control and bidi-override characters and
/// over-long texts refused with the sentence shown next to the field.
pub fn parse_text(which: PageText, input: &str) -> Result<String, String> {
    let text = input.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    if !which.multiline() && text.contains('\n') {
        return Err("改行は入れられません。1行で入力してください。".to_string());
    }
    let forbidden = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if text.chars().any(forbidden) {
        return Err("入力できない文字(制御文字など)が含まれています。".to_string());
    }
    let got = text.chars().count();
    let max = which.max_chars();
    if got > max {
        return Err(format!(
            "{max}文字以内で入力してください(いまは{got}文字です)。"
        ));
    }
    Ok(text.to_string())
}

/// What a save of the console's form for one text stores: `ja_typed` equal to the shipped
/// Japanese is no text of the municipality's (so it follows a later release's wording),
/// an empty English is not given.
pub fn written_from_form(ja_typed: String, en_typed: String, default_ja: &str) -> Written {
    Written {
        ja: (ja_typed != default_ja).then_some(ja_typed),
        en: (!en_typed.is_empty()).then_some(en_typed),
    }
}

/// The audit entry's words for a change: "番号1の説明(日本語)「…」→「…」、(英語)初期値→「…」".
pub fn describe_change(which: PageText, old: &Written, new: &Written) -> Option<String> {
    let side = |v: &Option<String>, empty_means: &str| match v {
        None => empty_means.to_string(),
        Some(t) if t.is_empty() => "(表示しない)".to_string(),
        Some(t) => format!("「{}」", t.replace('\n', "⏎")),
    };
    let mut parts = Vec::new();
    if old.ja != new.ja {
        parts.push(format!(
            "(日本語){}→{}",
            side(&old.ja, "初期値"),
            side(&new.ja, "初期値")
        ));
    }
    if old.en != new.en {
        parts.push(format!(
            "(英語){}→{}",
            side(&old.en, "日本語と同じ"),
            side(&new.en, "日本語と同じ")
        ));
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!("{}{}", which.label_ja(), parts.join("、")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default(lang: Lang) -> String {
        match lang {
            Lang::Ja => "初期値".to_string(),
            Lang::En => "default".to_string(),
        }
    }

    fn written(ja: Option<&str>, en: Option<&str>) -> Written {
        Written {
            ja: ja.map(str::to_string),
            en: en.map(str::to_string),
        }
    }

    #[test]
    fn nothing_written_shows_the_shipped_text_in_each_language() {
        let w = Written::default();
        assert_eq!(shown(&w, Lang::Ja, default).text, "初期値");
        let en = shown(&w, Lang::En, default);
        assert_eq!((en.text.as_str(), en.lang), ("default", None));
    }

    #[test]
    fn english_not_given_falls_back_to_the_japanese_marked_as_japanese() {
        let w = written(Some("市の文言"), None);
        assert_eq!(
            shown(&w, Lang::En, default),
            Shown {
                text: "市の文言".into(),
                lang: Some("ja")
            }
        );
        assert_eq!(shown(&w, Lang::Ja, default).lang, None);
    }

    #[test]
    fn english_given_alone_leaves_the_japanese_default() {
        let w = written(None, Some("City words"));
        assert_eq!(shown(&w, Lang::Ja, default).text, "初期値");
        assert_eq!(shown(&w, Lang::En, default).text, "City words");
        // A Japanese written as empty hides the text, in English too unless given.
        let hidden = written(Some(""), None);
        assert_eq!(shown(&hidden, Lang::En, default).text, "");
    }

    #[test]
    fn typed_texts_keep_line_breaks_only_where_allowed() {
        assert_eq!(
            parse_text(PageText::Bring, " 一行目\r\n二行目 "),
            Ok("一行目\n二行目".to_string())
        );
        assert!(
            parse_text(PageText::SiteName, "a\nb")
                .unwrap_err()
                .contains("改行")
        );
        assert!(parse_text(PageText::CallCentre, "a\u{0007}").is_err());
        assert!(parse_text(PageText::Bring, "a\u{202E}b").is_err());
        let long = "あ".repeat(61);
        assert_eq!(
            parse_text(PageText::SiteName, &long),
            Err("60文字以内で入力してください(いまは61文字です)。".to_string())
        );
        assert!(parse_text(PageText::SiteName, &"あ".repeat(60)).is_ok());
        // Markup is plain text: kept as typed, escaped by the page.
        assert_eq!(
            parse_text(PageText::DoneNote, "<b>x</b>"),
            Ok("<b>x</b>".into())
        );
    }

    #[test]
    fn a_form_saved_unchanged_writes_nothing() {
        assert!(written_from_form("初期値".into(), String::new(), "初期値").is_default());
        assert_eq!(
            written_from_form("市".into(), "City".into(), "初期値"),
            written(Some("市"), Some("City"))
        );
        assert_eq!(
            written_from_form(String::new(), String::new(), "初期値"),
            written(Some(""), None)
        );
    }

    #[test]
    fn changes_are_described_with_before_and_after() {
        let old = Written::default();
        let new = written(Some("右上の\n番号"), Some("Top right"));
        assert_eq!(
            describe_change(PageText::Number1Where, &old, &new).unwrap(),
            "番号1の説明(日本語)初期値→「右上の⏎番号」、(英語)日本語と同じ→「Top right」"
        );
        assert_eq!(
            describe_change(
                PageText::DoneNote,
                &new,
                &written(Some(""), Some("Top right"))
            )
            .unwrap(),
            "予約完了画面のお知らせ(日本語)「右上の⏎番号」→(表示しない)"
        );
        assert_eq!(describe_change(PageText::Bring, &new, &new), None);
    }

    #[test]
    fn keys_round_trip() {
        for t in PageText::ALL {
            assert_eq!(PageText::from_key(t.key()), Some(t));
        }
        assert_eq!(PageText::from_key("nope"), None);
    }
}
