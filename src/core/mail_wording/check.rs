//! The sandbox a municipality's wording runs in. Wording is tenant data typed on the
//! console, so before it is rendered its parsed template is walked and refused unless it
//! only prints and tests the mail's documented placeholders, with a few harmless filters:
//! no `include`, `extends` or `import` (which would read other templates), no functions
//! (`get_env` would read the server's environment), no macros, `set`, blocks or filter
//! sections. It is then rendered alone in a Tera of its own, as text (the HTML part escapes
//! the result, see `mail::templates`), and the body must show the values of the mail's
//! required placeholders (the link, the receipt number, ...).
//!
//! The same check runs when the console saves the wording and again at each send, where a
//! wording that no longer passes (say after an upgrade) gives way to the shipped template.
use std::error::Error as _;

use tera::ast::{Expr, ExprVal, FunctionCall, Node};

use super::MailKind;

/// Which part of the mail a wording is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Subject,
    Body,
}

impl Part {
    pub fn max_chars(self) -> usize {
        match self {
            Part::Subject => 200,
            Part::Body => 10_000,
        }
    }
}

/// Filters a wording may use: they only reshape the value they are given.
pub const FILTERS: [&str; 12] = [
    "default",
    "upper",
    "lower",
    "trim",
    "capitalize",
    "title",
    "replace",
    "truncate",
    "length",
    "first",
    "last",
    "join",
];

/// Tests a wording may use in `{% if x is ... %}`.
const TESTS: [&str; 8] = [
    "defined",
    "undefined",
    "odd",
    "even",
    "divisibleby",
    "starting_with",
    "ending_with",
    "containing",
];

/// Why a wording was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    TooLong(usize),
    /// A tera syntax error, at this line of the wording when tera says.
    Syntax(Option<usize>),
    /// A name that is not one of the mail's placeholders.
    Unknown(String),
    /// A construct the sandbox does not allow, in the console's words.
    NotAllowed(String),
    /// A filter not in [`FILTERS`].
    Filter(String),
    /// The wording parsed but did not render (a field a placeholder does not have, a
    /// filter given the wrong kind of value); the name when tera says which.
    Render(Option<String>),
    /// The body does not show this required placeholder.
    Missing(&'static str),
}

impl Problem {
    /// The message shown next to the field.
    pub fn message(&self) -> String {
        match self {
            Problem::Empty => "入力してください。初期値に戻す場合は[初期値に戻す]を押してください。".into(),
            Problem::TooLong(max) => format!("{max}文字以内で入力してください。"),
            Problem::Syntax(Some(line)) => format!(
                "{line}行目の書き方に誤りがあります。{{{{ }}}} や {{% %}} の組み合わせ(if と endif、for と endfor など)を確認してください。"
            ),
            Problem::Syntax(None) => "書き方に誤りがあります。{{ }} や {% %} の組み合わせ(if と endif、for と endfor など)を確認してください。".into(),
            Problem::Unknown(name) => format!(
                "{{{{ {name} }}}} はこのメールで使える差し込み項目ではありません。使える項目は「差し込み項目」の一覧を確認してください。"
            ),
            Problem::NotAllowed(what) => format!("{what}は使えません。"),
            Problem::Filter(name) => format!(
                "フィルタ「{name}」は使えません。使えるフィルタは {} です。",
                FILTERS.join("、")
            ),
            Problem::Render(Some(name)) => format!(
                "{name} を差し込めませんでした。差し込み項目の名前を確認してください。"
            ),
            Problem::Render(None) => "差し込み項目を差し込めませんでした。項目の名前やフィルタの使い方を確認してください。".into(),
            Problem::Missing(name) => format!(
                "{{{{ {name} }}}} がありません。このメールには必ず入れてください。"
            ),
        }
    }
}

/// Renders `source` as `part` of `kind` with `ctx`, or says why it cannot be sent.
pub fn render(
    kind: MailKind,
    part: Part,
    source: &str,
    ctx: &tera::Context,
) -> Result<String, Vec<Problem>> {
    if source.trim().is_empty() {
        return Err(vec![Problem::Empty]);
    }
    let chars = source.chars().count();
    if chars > part.max_chars() {
        return Err(vec![Problem::TooLong(part.max_chars())]);
    }
    let template = tera::Template::new("wording", None, source)
        .map_err(|e| vec![Problem::Syntax(syntax_line(&e))])?;
    let allowed: Vec<&str> = kind.placeholders().iter().map(|p| p.name).collect();
    let mut walk = Walk {
        allowed: &allowed,
        locals: Vec::new(),
        problems: Vec::new(),
    };
    walk.nodes(&template.ast);
    if !walk.problems.is_empty() {
        return Err(walk.problems);
    }
    let mut tera = tera::Tera::default();
    // Text: nothing escaped here. The HTML part escapes the rendered text as a whole.
    tera.autoescape_on(Vec::new());
    tera.add_raw_template("wording", source)
        .map_err(|e| vec![Problem::Syntax(syntax_line(&e))])?;
    let out = tera
        .render("wording", ctx)
        .map_err(|e| vec![Problem::Render(missing_variable(&e))])?;
    if part == Part::Subject && out.trim().is_empty() {
        return Err(vec![Problem::Empty]);
    }
    if part == Part::Body {
        let missing: Vec<Problem> = kind
            .required()
            .filter(|p| {
                let value = ctx.get(p.name).and_then(|v| v.as_str()).unwrap_or("");
                !value.is_empty() && !out.contains(value)
            })
            .map(|p| Problem::Missing(p.name))
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
    }
    Ok(out)
}

/// Every message of an error and its causes, joined.
fn chain(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push('\n');
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The line of a parse error: tera's message carries ` --> LINE:COLUMN`.
fn syntax_line(e: &tera::Error) -> Option<usize> {
    let text = chain(e);
    let at = text.find("--> ")? + 4;
    let digits: String = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The name in tera's "Variable `NAME` not found in context".
fn missing_variable(e: &tera::Error) -> Option<String> {
    let text = chain(e);
    let at = text.find("Variable `")? + "Variable `".len();
    let end = text[at..].find('`')?;
    Some(text[at..at + end].to_string())
}

struct Walk<'a> {
    allowed: &'a [&'a str],
    /// Loop variables in scope (and `loop`).
    locals: Vec<String>,
    problems: Vec<Problem>,
}

impl Walk<'_> {
    fn refuse(&mut self, problem: Problem) {
        if !self.problems.contains(&problem) {
            self.problems.push(problem);
        }
    }

    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            self.node(node);
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Text(_) | Node::Raw(..) | Node::Comment(..) | Node::Break(_) => {}
            Node::Continue(_) => {}
            Node::VariableBlock(_, expr) => self.expr(expr),
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    self.expr(condition);
                    self.nodes(body);
                }
                if let Some((_, body)) = &branches.otherwise {
                    self.nodes(body);
                }
            }
            Node::Forloop(_, forloop, _) => {
                self.expr(&forloop.container);
                let scope = self.locals.len();
                self.locals.push(forloop.value.clone());
                self.locals.extend(forloop.key.clone());
                self.locals.push("loop".to_string());
                self.nodes(&forloop.body);
                if let Some(empty) = &forloop.empty_body {
                    self.nodes(empty);
                }
                self.locals.truncate(scope);
            }
            Node::Extends(..) | Node::Include(..) | Node::ImportMacro(..) => {
                self.refuse(Problem::NotAllowed(
                    "ほかのテンプレートの読み込み(include・extends・import)".into(),
                ))
            }
            Node::MacroDefinition(..) => self.refuse(Problem::NotAllowed("macro".into())),
            Node::Set(..) => self.refuse(Problem::NotAllowed("set".into())),
            Node::FilterSection(..) => {
                self.refuse(Problem::NotAllowed("{% filter %}".into()));
            }
            Node::Block(..) | Node::Super => self.refuse(Problem::NotAllowed("block".into())),
        }
    }

    fn expr(&mut self, expr: &Expr) {
        self.value(&expr.val);
        for filter in &expr.filters {
            self.filter(filter);
        }
    }

    fn filter(&mut self, filter: &FunctionCall) {
        if !FILTERS.contains(&filter.name.as_str()) {
            self.refuse(Problem::Filter(filter.name.clone()));
        }
        for arg in filter.args.values() {
            self.expr(arg);
        }
    }

    fn value(&mut self, value: &ExprVal) {
        match value {
            ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
            ExprVal::Ident(name) => self.ident(name),
            ExprVal::Math(m) => {
                self.expr(&m.lhs);
                self.expr(&m.rhs);
            }
            ExprVal::Logic(l) => {
                self.expr(&l.lhs);
                self.expr(&l.rhs);
            }
            ExprVal::Test(test) => {
                self.ident(&test.ident);
                if !TESTS.contains(&test.name.as_str()) {
                    self.refuse(Problem::NotAllowed(format!("「is {}」", test.name)));
                }
                for arg in &test.args {
                    self.expr(arg);
                }
            }
            ExprVal::MacroCall(_) => self.refuse(Problem::NotAllowed("macro".into())),
            ExprVal::FunctionCall(f) => {
                self.refuse(Problem::NotAllowed(format!("関数「{}()」", f.name)));
            }
            ExprVal::Array(items) => {
                for item in items {
                    self.expr(item);
                }
            }
            ExprVal::StringConcat(concat) => {
                for v in &concat.values {
                    self.value(v);
                }
            }
            ExprVal::In(i) => {
                self.expr(&i.lhs);
                self.expr(&i.rhs);
            }
        }
    }

    fn ident(&mut self, name: &str) {
        // `a[b]` looks `b` up in the whole context: refused rather than followed.
        if name.contains('[') {
            self.refuse(Problem::NotAllowed("[ ] での指定".into()));
            return;
        }
        let root = name.split('.').next().unwrap_or(name);
        if self.locals.iter().any(|l| l == root) || self.allowed.contains(&root) {
            return;
        }
        self.refuse(Problem::Unknown(root.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What every booking mail is rendered with, in the shape the real mails use.
    fn ctx() -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("tenant_name", "デモ市");
        ctx.insert("contact", "");
        ctx.insert("link", "https://example.jp/t/demo/apply/TOKEN");
        ctx.insert("expires_at", "12月1日(火) 10:00");
        ctx.insert("receipt_number", "1234-5678-90");
        ctx.insert("password", "ABCD-EFGH");
        ctx.insert("lookup_url", "https://example.jp/t/demo/lookup");
        ctx.insert("date", "12月8日(火)");
        ctx.insert("time", "10:00〜10:15");
        ctx.insert("counter_name", "本庁舎 市民課");
        ctx.insert("counter_address", "");
        ctx.insert("directions", "");
        ctx.insert("cancel_deadline", "12月7日(月) 10:00");
        ctx.insert("cancel_rule", "予約日時の24時間前まで");
        ctx.insert("cancel_deadline_passed", &false);
        ctx.insert(
            "people",
            &serde_json::json!([{"name": "見本 花子", "number1": "ABC***456"}]),
        );
        // Present in the real context but not a placeholder: must stay out of reach.
        ctx.insert("receipt_qr_src", "cid:receipt-qr@madoguchi");
        ctx
    }

    fn body(kind: MailKind, source: &str) -> Result<String, Vec<Problem>> {
        render(kind, Part::Body, source, &ctx())
    }

    const CONFIRMED: &str =
        "受付番号 {{ receipt_number }}\nパスワード {{ password }}\n{{ lookup_url }}\n";

    #[test]
    fn a_wording_with_its_placeholders_renders() {
        let out = body(
            MailKind::BookingConfirmed,
            "{{ tenant_name }}です。\n受付番号 {{ receipt_number }}\nパスワード {{ password | upper }}\n{% for p in people %}{{ loop.index }}. {{ p.name }} 様{% endfor %}\n{% if contact %}{{ contact }}{% else %}なし{% endif %}\n{{ lookup_url }}",
        )
        .unwrap();
        assert!(out.contains("デモ市です。"));
        assert!(out.contains("1. 見本 花子 様"));
        assert!(out.contains("なし"));
        // Not escaped: a text part.
        assert_eq!(
            render(
                MailKind::BookingCancelled,
                Part::Subject,
                "<{{ tenant_name }}> & {{ receipt_number }}",
                &ctx()
            )
            .unwrap(),
            "<デモ市> & 1234-5678-90"
        );
    }

    #[test]
    fn a_syntax_error_is_refused_with_its_line() {
        assert_eq!(
            body(
                MailKind::BookingConfirmed,
                "一行目\n二行目 {% iff password %}\n三行目"
            ),
            Err(vec![Problem::Syntax(Some(2))])
        );
        assert_eq!(
            body(
                MailKind::BookingConfirmed,
                "{% if password %}\n{{ receipt_number }}"
            ),
            Err(vec![Problem::Syntax(Some(2))])
        );
        assert!(
            Problem::Syntax(Some(2))
                .message()
                .starts_with("2行目の書き方に誤り")
        );
        assert!(
            Problem::Syntax(Some(2))
                .message()
                .contains("{{ }} や {% %}")
        );
    }

    #[test]
    fn names_that_are_not_the_mails_placeholders_are_refused() {
        let refused = body(
            MailKind::BookingCancelled,
            "{{ receipt_number }} {{ password }} {% if lookup_url %}x{% endif %} {{ receipt_qr_src }} {{ __tera_context }}",
        )
        .unwrap_err();
        assert_eq!(
            refused,
            [
                Problem::Unknown("password".into()),
                Problem::Unknown("lookup_url".into()),
                Problem::Unknown("receipt_qr_src".into()),
                Problem::Unknown("__tera_context".into()),
            ]
        );
        assert_eq!(
            Problem::Unknown("password".into()).message(),
            "{{ password }} はこのメールで使える差し込み項目ではありません。使える項目は「差し込み項目」の一覧を確認してください。"
        );
        // A loop variable is known only inside its loop.
        assert_eq!(
            body(
                MailKind::BookingCancelled,
                "{{ receipt_number }}{% for p in people %}{{ p.name }}{% endfor %}{{ p.name }}"
            ),
            Err(vec![Problem::Unknown("p".into())])
        );
        // A field a placeholder does not have fails to render.
        assert_eq!(
            body(
                MailKind::BookingCancelled,
                "{{ receipt_number }}{% for p in people %}{{ p.kana }}{% endfor %}"
            ),
            Err(vec![Problem::Render(Some("p.kana".into()))])
        );
    }

    #[test]
    fn the_sandbox_refuses_includes_functions_and_the_rest() {
        let cases = [
            "{% include \"_footer.txt\" %}",
            "{% extends \"_layout.html\" %}",
            "{% import \"macros.html\" as m %}",
            "{{ get_env(name=\"HOME\") }}",
            "{{ now() }}",
            "{% set x = receipt_number %}",
            "{% filter upper %}x{% endfilter %}",
            "{% block a %}x{% endblock a %}",
            "{% macro m() %}x{% endmacro m %}",
            "{{ people[receipt_number] }}",
            "{% if receipt_number is matching(\"1\") %}x{% endif %}",
        ];
        for case in cases {
            // extends and import must come first to parse at all.
            let source = format!("{case}\n{CONFIRMED}");
            let refused = body(MailKind::BookingConfirmed, &source);
            assert!(
                matches!(
                    refused.as_ref().map_err(Vec::as_slice),
                    Err([Problem::NotAllowed(_)])
                ),
                "{case}: {refused:?}"
            );
        }
        assert_eq!(
            body(
                MailKind::BookingConfirmed,
                &format!("{CONFIRMED}{{{{ tenant_name | safe }}}}{{{{ link | urlencode }}}}")
            ),
            Err(vec![
                Problem::Filter("safe".into()),
                Problem::Unknown("link".into()),
                Problem::Filter("urlencode".into()),
            ])
        );
        // A filter's arguments are checked too.
        assert_eq!(
            body(
                MailKind::BookingConfirmed,
                &format!("{CONFIRMED}{{{{ contact | default(value=secret) }}}}")
            ),
            Err(vec![Problem::Unknown("secret".into())])
        );
    }

    #[test]
    fn the_body_must_show_the_required_placeholders() {
        assert_eq!(
            body(MailKind::BookingConfirmed, "受付番号 {{ receipt_number }}"),
            Err(vec![
                Problem::Missing("password"),
                Problem::Missing("lookup_url")
            ])
        );
        // Written but hidden, or changed on the way, counts as missing.
        assert_eq!(
            body(
                MailKind::Verification,
                "{% if contact %}{{ link }}{% endif %}"
            ),
            Err(vec![Problem::Missing("link")])
        );
        assert_eq!(
            body(MailKind::Verification, "{{ link | truncate(length=10) }}"),
            Err(vec![Problem::Missing("link")])
        );
        assert!(body(MailKind::Verification, "{{ link }}").is_ok());
        // The subject needs none of them.
        assert!(render(MailKind::Verification, Part::Subject, "確認", &ctx()).is_ok());
        assert_eq!(
            Problem::Missing("receipt_number").message(),
            "{{ receipt_number }} がありません。このメールには必ず入れてください。"
        );
    }

    #[test]
    fn empty_and_overlong_wording_is_refused() {
        assert_eq!(
            body(MailKind::Verification, " \n "),
            Err(vec![Problem::Empty])
        );
        let long = format!("{{{{ link }}}}{}", "あ".repeat(10_000));
        assert_eq!(
            body(MailKind::Verification, &long),
            Err(vec![Problem::TooLong(10_000)])
        );
        assert_eq!(
            render(
                MailKind::Verification,
                Part::Subject,
                &"件".repeat(201),
                &ctx()
            ),
            Err(vec![Problem::TooLong(200)])
        );
    }
}
