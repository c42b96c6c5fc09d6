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
use include_dir::{Dir, include_dir};

use super::OutgoingMail;

static MAIL_TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/mail_templates");

pub struct MailTemplates {
    tera: tera::Tera,
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
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(files)?;
        tera.autoescape_on(vec![".html"]);
        Ok(MailTemplates { tera })
    }

    /// Adds or replaces one template, e.g. a municipality's own wording
    /// (`verification.minato.subject.txt`).
    pub fn add_raw_template(&mut self, name: &str, source: &str) -> Result<(), tera::Error> {
        self.tera.add_raw_template(name, source)
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
