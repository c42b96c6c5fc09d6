//! Mail templates: `mail_templates/`, compiled into the binary.
//!
//! A mail `NAME` is three files: `NAME.subject.txt`, `NAME.txt` and `NAME.html` (the HTML
//! part is optional). A municipality's own wording is `NAME.{tenant_slug}.subject.txt` and
//! so on: each of the three files that exists for the tenant wins over the shared one, so
//! a tenant may override only the subject, say. Files ending in `.txt` are rendered as
//! plain text (nothing escaped: a `<` stays a `<`); files ending in `.html` are
//! HTML-escaped. Names starting with `_` are partials for `{% include %}`.
//!
//! English mails are the same files under `en/` (`en/verification.txt`, a tenant's own
//! `en/verification.minato.txt`); a part with no English file falls back to Japanese.
//!
//! A municipality may also word a mail's subject and body on the console (stored in the
//! database, see [`crate::core::mail_wording`]). The console shows the shipped body as one
//! text ([`MailTemplates::shipped_wording`]: the partials it includes written out), and a
//! worded body makes the HTML part too ([`MailTemplates::with_worded_body`]).
use std::collections::HashMap;

use include_dir::{Dir, include_dir};

use super::OutgoingMail;

static MAIL_TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/mail_templates");

pub struct MailTemplates {
    tera: tera::Tera,
    /// Each template's source, to show the shipped wording on the console.
    sources: HashMap<String, String>,
}

/// A mail's shipped subject and body, as the console shows them to be worded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippedWording {
    pub subject: String,
    pub body: String,
}

impl MailTemplates {
    /// The templates compiled into the binary. Fails on a template that does not parse.
    pub fn load() -> Result<MailTemplates, tera::Error> {
        let mut files = Vec::new();
        collect(&MAIL_TEMPLATES, &mut files);
        MailTemplates::from_sources(files)
    }

    /// Templates from (name, source) pairs, for tests and tools.
    pub fn from_sources<N, C>(
        files: impl IntoIterator<Item = (N, C)>,
    ) -> Result<MailTemplates, tera::Error>
    where
        N: AsRef<str>,
        C: AsRef<str>,
    {
        let files: Vec<(String, String)> = files
            .into_iter()
            .map(|(n, c)| (n.as_ref().to_string(), c.as_ref().to_string()))
            .collect();
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(files.iter().map(|(n, c)| (n.as_str(), c.as_str())))?;
        tera.autoescape_on(vec![".html"]);
        Ok(MailTemplates {
            tera,
            sources: files.into_iter().collect(),
        })
    }

    /// Adds or replaces one template, e.g. a municipality's own wording
    /// (`verification.minato.subject.txt`).
    pub fn add_raw_template(&mut self, name: &str, source: &str) -> Result<(), tera::Error> {
        self.tera.add_raw_template(name, source)?;
        self.sources.insert(name.to_string(), source.to_string());
        Ok(())
    }

    /// Renders mail `name` for `to`, with the tenant's own wording where it has any.
    pub fn render(
        &self,
        name: &str,
        ctx: &tera::Context,
        to: &str,
        tenant_slug: Option<&str>,
    ) -> Result<OutgoingMail, tera::Error> {
        self.render_in(crate::i18n::Lang::Ja, name, ctx, to, tenant_slug)
    }

    /// [`MailTemplates::render`] in `lang`.
    pub fn render_in(
        &self,
        lang: crate::i18n::Lang,
        name: &str,
        ctx: &tera::Context,
        to: &str,
        tenant_slug: Option<&str>,
    ) -> Result<OutgoingMail, tera::Error> {
        let localised = match lang {
            crate::i18n::Lang::Ja => name.to_string(),
            crate::i18n::Lang::En => format!("en/{name}"),
        };
        let pick = |part: &str| {
            self.pick(&localised, tenant_slug, part)
                .or_else(|| self.pick(name, tenant_slug, part))
        };
        let render_part = |part: &str| {
            let template = pick(part)
                .ok_or_else(|| tera::Error::template_not_found(format!("{name}.{part}")))?;
            self.tera.render(&template, ctx)
        };
        let subject = render_part("subject.txt")?;
        let text = render_part("txt")?;
        let html = match pick("html") {
            Some(template) => Some(self.tera.render(&template, ctx)?),
            None => None,
        };
        Ok(OutgoingMail {
            to: to.to_string(),
            subject: super::one_line(&subject),
            text: tidy_text(&text),
            html,
            ics: None,
            inline_png: None,
        })
    }

    /// The subject and text body mail `name` goes out with in `lang` unless the
    /// municipality words it: the templates [`MailTemplates::render_in`] picks, with each
    /// `{% include %}` written out, so that the console shows the whole text and a copy of
    /// it, worded or not, renders the same text (the shipped one with its partials).
    pub fn shipped_wording(
        &self,
        lang: crate::i18n::Lang,
        name: &str,
        tenant_slug: Option<&str>,
    ) -> Option<ShippedWording> {
        let localised = match lang {
            crate::i18n::Lang::Ja => name.to_string(),
            crate::i18n::Lang::En => format!("en/{name}"),
        };
        let source = |part: &str| {
            let template = self
                .pick(&localised, tenant_slug, part)
                .or_else(|| self.pick(name, tenant_slug, part))?;
            Some(self.written_out(self.sources.get(&template)?, 0))
        };
        Some(ShippedWording {
            subject: crate::core::mail_wording::normalise(source("subject.txt")?.trim()),
            body: crate::core::mail_wording::normalise(&source("txt")?),
        })
    }

    /// `source` with each `{% include "NAME" %}` replaced by NAME's source (partials do not
    /// nest deeper than a few levels; a cycle stops there).
    fn written_out(&self, source: &str, depth: usize) -> String {
        const OPEN: &str = "{% include \"";
        const CLOSE: &str = "\" %}";
        let mut out = String::with_capacity(source.len() * 2);
        let mut rest = source;
        while let Some(at) = rest.find(OPEN) {
            let Some(len) = rest[at + OPEN.len()..].find(CLOSE) else {
                break;
            };
            let name = &rest[at + OPEN.len()..at + OPEN.len() + len];
            out.push_str(&rest[..at]);
            match self.sources.get(name) {
                Some(partial) if depth < 4 => out.push_str(&self.written_out(partial, depth + 1)),
                _ => out.push_str(&rest[at..at + OPEN.len() + len + CLOSE.len()]),
            }
            rest = &rest[at + OPEN.len() + len + CLOSE.len()..];
        }
        out.push_str(rest);
        out
    }

    /// `mail` with the text body a municipality worded (already rendered by
    /// [`crate::core::mail_wording::check::render`]) and an HTML part made from it.
    ///
    /// The HTML part is the worded text, escaped, in paragraphs (a blank line apart, line
    /// breaks kept, web addresses as links), inside the shipped HTML frame without its
    /// heading and footer (`_edited.html`). Not an HTML template of the municipality's own:
    /// staff write one text and both parts always say the same; nothing a municipality
    /// types can add markup, scripts, styles or remote pictures (a tracking pixel) to a
    /// resident's mail; and the frame keeps what the shipped HTML gets right (the
    /// language, the title, readable type, the receipt's QR code).
    pub fn with_worded_body(
        &self,
        lang: crate::i18n::Lang,
        ctx: &tera::Context,
        mut mail: OutgoingMail,
        text: &str,
    ) -> Result<OutgoingMail, tera::Error> {
        mail.text = tidy_text(text);
        // A mail that ships as text only (the vaccination mails) stays text only.
        if mail.html.is_none() {
            return Ok(mail);
        }
        let frame = match lang {
            crate::i18n::Lang::En if self.has("en/_edited.html") => "en/_edited.html",
            _ => "_edited.html",
        };
        let mut ctx = ctx.clone();
        ctx.insert("edited_subject", &mail.subject);
        ctx.insert("edited_body_html", &paragraphs(&mail.text));
        mail.html = Some(self.tera.render(frame, &ctx)?);
        Ok(mail)
    }

    /// Whether mail `name` ships with an HTML part (the others go out as text only).
    pub fn has_html(&self, name: &str) -> bool {
        self.has(&format!("{name}.html"))
    }

    /// Whether a mail of this name exists (its subject and text).
    pub fn has_mail(&self, name: &str) -> bool {
        self.has(&format!("{name}.subject.txt")) && self.has(&format!("{name}.txt"))
    }

    /// The tenant's template for this part if there is one, else the shared one.
    fn pick(&self, name: &str, tenant_slug: Option<&str>, part: &str) -> Option<String> {
        if let Some(slug) = tenant_slug.filter(|s| !s.is_empty()) {
            let own = format!("{name}.{slug}.{part}");
            if self.has(&own) {
                return Some(own);
            }
        }
        let shared = format!("{name}.{part}");
        self.has(&shared).then_some(shared)
    }

    fn has(&self, template: &str) -> bool {
        self.tera.get_template_names().any(|n| n == template)
    }
}

/// Text as HTML paragraphs: each run of lines between blank lines is a `<p>`, its line
/// breaks `<br>`; everything escaped, and web addresses made links.
fn paragraphs(text: &str) -> String {
    let mut out = String::new();
    let mut block: Vec<&str> = Vec::new();
    let mut flush = |block: &mut Vec<&str>| {
        if block.is_empty() {
            return;
        }
        let lines: Vec<String> = block
            .iter()
            .map(|l| super::text_to_html_with_links(l))
            .collect();
        out.push_str("<p>");
        out.push_str(&lines.join("<br>\n"));
        out.push_str("</p>\n");
        block.clear();
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            flush(&mut block);
        } else {
            block.push(line);
        }
    }
    flush(&mut block);
    out
}

/// No blank lines at the start, one line break at the end, no trailing spaces on lines.
fn tidy_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    for line in text.trim_start_matches(['\r', '\n']).trim_end().lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn collect<'a>(dir: &'a Dir<'a>, out: &mut Vec<(String, &'a str)>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().into_owned();
        if (path.ends_with(".txt") || path.ends_with(".html"))
            && let Some(text) = file.contents_utf8()
        {
            out.push((path, text));
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::mail_wording::MailKind;
    use crate::core::mail_wording::check::{Part, render};
    use crate::i18n::Lang;

    fn ctx() -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("tenant_name", "デモ市");
        ctx.insert("contact", "市民課 電話 000-000-0000");
        ctx.insert("link", "https://example.jp/t/demo/apply/TOKEN");
        ctx.insert("expires_at", "12月1日(火) 10:00");
        ctx.insert("receipt_number", "1234-5678-90");
        ctx.insert("password", "ABCD-EFGH");
        ctx.insert("lookup_url", "https://example.jp/t/demo/lookup");
        ctx.insert("date", "12月8日(火)");
        ctx.insert("time", "10:00〜10:15");
        ctx.insert("counter_name", "本庁舎 市民課");
        ctx.insert("counter_address", "中央1-1-1 <1階> & 2階");
        ctx.insert("directions", "東口から徒歩5分");
        ctx.insert("cancel_deadline", "12月7日(月) 10:00");
        ctx.insert("cancel_rule", "予約日時の24時間前まで");
        ctx.insert("cancel_deadline_passed", &false);
        ctx.insert(
            "people",
            &serde_json::json!([
                {"name": "見本 花子", "number1": "ABC***456"},
                {"name": "見本 太郎", "number1": "DEF***789"}
            ]),
        );
        ctx.insert("receipt_qr_src", "cid:receipt-qr@madoguchi");
        // The vaccination mails'.
        ctx.insert("person_name", "見本 花子");
        ctx.insert("dose", "1回目");
        ctx.insert("venue_name", "中央公民館");
        ctx.insert("venue_address", "中央2-2-2");
        ctx.insert("vaccine", "ファイザー");
        ctx.insert("items", "接種券、本人確認書類");
        ctx.insert("mypage_url", "https://example.jp/t/demo/vaccination/");
        ctx.insert("before_date", "12月1日(火)");
        ctx.insert("before_time", "9:00〜9:30");
        ctx.insert("before_venue", "市民病院");
        ctx.insert("call_centre_name", "予約相談センター");
        ctx.insert("call_centre", "予約相談センター 0120-000-000 9:00〜17:00");
        ctx
    }

    #[test]
    fn the_shipped_wording_written_out_passes_the_check_and_renders_the_shipped_mail() {
        let templates = MailTemplates::load().unwrap();
        for lang in [Lang::Ja, Lang::En] {
            for kind in MailKind::ALL {
                let shipped = templates
                    .shipped_wording(lang, kind.code(), Some("demo"))
                    .unwrap();
                assert!(!shipped.body.contains("{% include"), "{kind:?} {lang:?}");
                let mail = templates
                    .render_in(lang, kind.code(), &ctx(), "a@example.jp", Some("demo"))
                    .unwrap();
                let subject = render(kind, Part::Subject, &shipped.subject, &ctx()).unwrap();
                assert_eq!(super::super::one_line(&subject), mail.subject);
                let body = render(kind, Part::Body, &shipped.body, &ctx())
                    .unwrap_or_else(|p| panic!("{kind:?} {lang:?}: {p:?}"));
                assert_eq!(tidy_text(&body), mail.text, "{kind:?} {lang:?}");
            }
        }
    }

    #[test]
    fn a_municipalitys_file_is_its_shipped_wording() {
        let templates = MailTemplates::from_sources([
            ("verification.subject.txt", "確認 {{ tenant_name }}"),
            ("verification.minato.subject.txt", "港区の確認"),
            ("verification.txt", "{{ link }}\n{% include \"_f.txt\" %}"),
            ("_f.txt", "--\n{{ tenant_name }}\n"),
        ])
        .unwrap();
        let of = |slug| {
            templates
                .shipped_wording(Lang::En, "verification", slug)
                .unwrap()
        };
        assert_eq!(of(Some("minato")).subject, "港区の確認");
        assert_eq!(of(None).subject, "確認 {{ tenant_name }}");
        assert_eq!(of(None).body, "{{ link }}\n--\n{{ tenant_name }}");
        assert!(
            templates
                .shipped_wording(Lang::Ja, "nothing", None)
                .is_none()
        );
    }

    #[test]
    fn a_worded_body_makes_an_escaped_html_part_in_the_shipped_frame() {
        let templates = MailTemplates::load().unwrap();
        let mut ctx = ctx();
        let mail = templates
            .render_in(Lang::Ja, "booking_confirmed", &ctx, "a@example.jp", None)
            .unwrap();
        let text = "受付番号 1234-5678-90 <b>です</b> & \n詳しくは https://example.jp/t/demo/lookup を\n\n\n次の段落\n";
        let worded = templates
            .with_worded_body(Lang::Ja, &ctx, mail.clone(), text)
            .unwrap();
        assert_eq!(worded.subject, mail.subject);
        assert_eq!(
            worded.text,
            "受付番号 1234-5678-90 <b>です</b> &\n詳しくは https://example.jp/t/demo/lookup を\n\n\n次の段落\n"
        );
        let html = worded.html.unwrap();
        assert!(html.contains("<html lang=\"ja\">"), "{html}");
        assert!(
            html.contains(&format!("<title>{}</title>", mail.subject)),
            "{html}"
        );
        assert!(
            html.contains("<p>受付番号 1234-5678-90 &lt;b&gt;です&lt;&#x2F;b&gt; &amp;<br>\n詳しくは <a href=\"https:&#x2F;&#x2F;example.jp&#x2F;t&#x2F;demo&#x2F;lookup\">")
                || html.contains("<p>受付番号 1234-5678-90 &lt;b&gt;です&lt;/b&gt; &amp;<br>\n詳しくは <a href=\"https://example.jp/t/demo/lookup\">"),
            "{html}"
        );
        assert!(html.contains("<p>次の段落</p>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        // The QR code stays; the shipped heading and footer give way to the worded text.
        assert!(html.contains("src=\"cid:receipt-qr@madoguchi\""), "{html}");
        assert!(!html.contains("このメールは送信専用"), "{html}");
        // English mails get the English frame.
        ctx.insert("receipt_qr_src", "");
        let en = templates
            .with_worded_body(Lang::En, &ctx, mail, "Receipt 1234-5678-90")
            .unwrap()
            .html
            .unwrap();
        assert!(en.contains("<html lang=\"en\">"), "{en}");
        assert!(!en.contains("<img"), "{en}");
    }
}
