//! The mails as written: every template, a municipality's wording, the development mailbox.
use super::*;

pub(super) fn settings(transport: MailTransportKind, smtp_url: &str, dir: &str) -> MailSettings {
    MailSettings {
        transport,
        from: "デモ市 マイナンバーカード受取予約 <noreply@madoguchi.example.jp>".into(),
        dev_mailbox_dir: dir.into(),
        smtp_url: smtp_url.into(),
    }
}

pub(super) fn memory_mailer() -> Mailer {
    Mailer::new(&settings(MailTransportKind::Memory, "", "")).unwrap()
}

pub(super) fn mail(to: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.into(),
        subject: "【予約完了通知メール】デモ市 マイナンバーカード受取予約".into(),
        text: "受付番号:A1B2C3\nhttps://example.jp/t/demo/lookup\n".into(),
        html: Some("<p>受付番号:A1B2C3</p>".into()),
        ics: None,
        inline_png: None,
    }
}

pub(super) fn booking_context(password: &str) -> tera::Context {
    #[derive(serde::Serialize)]
    struct Person {
        name: &'static str,
        number1: &'static str,
    }
    let mut ctx = tera::Context::new();
    ctx.insert("tenant_name", "デモ市");
    ctx.insert("receipt_number", "R7K2-9QXM");
    ctx.insert("password", password);
    ctx.insert("counter_name", "本庁舎 市民課");
    ctx.insert("counter_address", "デモ市中央1-1-1 本庁舎1階");
    ctx.insert("directions", "正面玄関を入って右手 <5番窓口> & 6番窓口");
    ctx.insert("date", "2026年12月1日(火)");
    ctx.insert("time", "09:00〜09:30");
    ctx.insert(
        "people",
        &[
            Person {
                name: "山田 太郎",
                number1: "ABC-***456",
            },
            Person {
                name: "山田 花子",
                number1: "DEF-***789",
            },
        ],
    );
    ctx.insert(
        "lookup_url",
        "https://yoyaku.example.jp/t/demo/lookup?r=R7K2-9QXM&x=1",
    );
    ctx.insert("contact", "市民課 電話 000-000-0000");
    ctx.insert("cancel_deadline", "2026年11月30日(月) 17:00");
    ctx.insert("cancel_rule", "予約日前日の17:00まで");
    ctx.insert("cancel_deadline_passed", &false);
    ctx
}

// ---- templates ----------------------------------------------------------------------------

#[test]
fn every_mail_template_renders_with_its_documented_context() {
    let t = MailTemplates::load().unwrap();
    for name in [
        "verification",
        "booking_confirmed",
        "booking_changed",
        "booking_cancelled",
    ] {
        assert!(t.has_mail(name), "{name}");
    }

    let mut ctx = tera::Context::new();
    ctx.insert("tenant_name", "デモ市");
    ctx.insert(
        "link",
        "https://yoyaku.example.jp/t/demo/verify/ABCDEF234567",
    );
    ctx.insert("expires_at", "2026年12月1日(火) 10:00");
    ctx.insert("contact", "");
    let m = t
        .render("verification", &ctx, "taro@example.jp", None)
        .unwrap();
    assert_eq!(m.to, "taro@example.jp");
    assert_eq!(
        m.subject,
        "【連絡先アドレス確認メール】デモ市 マイナンバーカード受取予約"
    );
    assert!(
        m.text
            .contains("\nhttps://yoyaku.example.jp/t/demo/verify/ABCDEF234567\n")
    );
    assert!(m.text.contains("窓口予約申込画面"));
    assert!(m.text.contains("2026年12月1日(火) 10:00 まで"));
    assert!(m.text.contains(
        "ご自身でメールアドレス等の情報を登録した覚えがない場合、デモ市の個人番号カード交付担当までご連絡ください。"
    ));
    assert!(
        !m.text.contains("お問い合わせ"),
        "no contact line when empty"
    );
    assert!(m.text.ends_with("お答えできません。\n"), "{}", m.text);
    assert!(!m.text.starts_with('\n'));
    assert!(m.ics.is_none());
    let html = m.html.unwrap();
    assert!(html.contains("<html lang=\"ja\">"));
    assert!(html.contains("href=\"https:&#x2F;&#x2F;yoyaku.example.jp&#x2F;t&#x2F;demo&#x2F;verify&#x2F;ABCDEF234567\""));

    let m = t
        .render(
            "booking_confirmed",
            &booking_context("PW4N-7XQ2-M9KD"),
            "taro@example.jp",
            None,
        )
        .unwrap();
    assert_eq!(
        m.subject,
        "【予約完了通知メール】デモ市 マイナンバーカード受取予約"
    );
    for needle in [
        "■受付番号\nR7K2-9QXM\n",
        "■パスワード\nPW4N-7XQ2-M9KD\n",
        "2026年12月1日(火) 09:00〜09:30",
        "本庁舎 市民課\nデモ市中央1-1-1 本庁舎1階\n",
        "1. 山田 太郎 様(番号1:ABC-***456)\n2. 山田 花子 様(番号1:DEF-***789)\n",
        "2026年11月30日(月) 17:00 まで",
        "お問い合わせ:市民課 電話 000-000-0000\n",
    ] {
        assert!(m.text.contains(needle), "{needle:?} not in\n{}", m.text);
    }
    assert!(
        !m.text.contains("\n\n\n"),
        "no runs of blank lines:\n{}",
        m.text
    );

    let m = t
        .render(
            "booking_changed",
            &booking_context(""),
            "taro@example.jp",
            None,
        )
        .unwrap();
    assert!(m.subject.starts_with("【予約変更通知メール】"));
    assert!(m.text.contains("受付番号とパスワードに変更はありません"));
    assert!(m.text.contains("2026年12月1日(火) 09:00〜09:30"));

    let m = t
        .render(
            "booking_cancelled",
            &booking_context(""),
            "taro@example.jp",
            None,
        )
        .unwrap();
    assert!(m.subject.starts_with("【予約取消通知メール】"));
    assert!(m.text.contains("R7K2-9QXM"));
    assert!(m.text.contains("本庁舎 市民課"));
}

#[test]
fn a_resend_without_a_new_password_says_it_is_unchanged() {
    let t = MailTemplates::load().unwrap();
    let m = t
        .render(
            "booking_confirmed",
            &booking_context(""),
            "a@example.jp",
            None,
        )
        .unwrap();
    assert!(
        m.text.contains("■パスワード\n変更はありません。"),
        "{}",
        m.text
    );
    assert!(m.html.unwrap().contains("変更はありません。"));
}

#[test]
fn text_is_not_escaped_and_html_is() {
    let t = MailTemplates::load().unwrap();
    let m = t
        .render(
            "booking_confirmed",
            &booking_context("x"),
            "a@example.jp",
            None,
        )
        .unwrap();
    assert!(m.text.contains("正面玄関を入って右手 <5番窓口> & 6番窓口"));
    assert!(
        m.text
            .contains("https://yoyaku.example.jp/t/demo/lookup?r=R7K2-9QXM&x=1")
    );
    let html = m.html.unwrap();
    assert!(html.contains("正面玄関を入って右手 &lt;5番窓口&gt; &amp; 6番窓口"));
    assert!(!html.contains("<5番窓口>"));
}

#[test]
fn a_tenants_own_wording_wins_part_by_part() {
    let mut t = MailTemplates::load().unwrap();
    t.add_raw_template(
        "verification.minato.subject.txt",
        "【港区】メールアドレスの確認\n(マイナンバーカード)",
    )
    .unwrap();
    t.add_raw_template(
        "booking_cancelled.minato.txt",
        "取消し {{ receipt_number }} <ok>",
    )
    .unwrap();
    let mut ctx = booking_context("");
    ctx.insert("link", "https://example.jp/v");
    ctx.insert("expires_at", "明日");

    let own = t
        .render("verification", &ctx, "a@example.jp", Some("minato"))
        .unwrap();
    assert_eq!(
        own.subject,
        "【港区】メールアドレスの確認 (マイナンバーカード)"
    );
    // The text and HTML are still the shared ones.
    assert!(own.text.contains("窓口予約申込画面"));
    assert!(own.html.is_some());

    let own = t
        .render("booking_cancelled", &ctx, "a@example.jp", Some("minato"))
        .unwrap();
    assert_eq!(own.text, "取消し R7K2-9QXM <ok>\n");
    assert!(own.subject.starts_with("【予約取消通知メール】"));

    // Another tenant, or none, gets the shared wording.
    for slug in [Some("demo"), None, Some("")] {
        let shared = t
            .render("verification", &ctx, "a@example.jp", slug)
            .unwrap();
        assert!(shared.subject.starts_with("【連絡先アドレス確認メール】"));
    }
}

#[test]
fn an_unknown_mail_is_an_error_and_html_is_optional() {
    let t = MailTemplates::from_sources([
        ("note.subject.txt", "件名 {{ n }}"),
        ("note.txt", "本文 {{ n }}"),
    ])
    .unwrap();
    let mut ctx = tera::Context::new();
    ctx.insert("n", &1);
    let m = t.render("note", &ctx, "a@example.jp", None).unwrap();
    assert_eq!(
        (m.subject.as_str(), m.text.as_str()),
        ("件名 1", "本文 1\n")
    );
    assert_eq!(m.html, None);
    assert!(t.render("nothing", &ctx, "a@example.jp", None).is_err());
    // A variable missing from the context is an error, not an empty string in a mail.
    assert!(
        t.render("note", &tera::Context::new(), "a@example.jp", None)
            .is_err()
    );
}

#[test]
fn subjects_are_one_line_without_control_characters() {
    assert_eq!(one_line("  件名\r\n\n  続き \u{7}\t"), "件名 続き");
    assert_eq!(one_line(""), "");
}

// ---- development mailbox ------------------------------------------------------------------

#[tokio::test]
async fn dev_mailbox_round_trip_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("not-yet").join("mailbox");
    assert!(
        read_dev_mailbox(&folder).is_empty(),
        "a missing folder is empty"
    );

    let mailer = Mailer::new(&settings(
        MailTransportKind::DevMailbox,
        "",
        folder.to_str().unwrap(),
    ))
    .unwrap();
    assert_eq!(mailer.dev_mailbox_dir(), Some(folder.as_path()));
    assert!(mailer.memory_mailbox().is_none());
    let mut first = mail("first@example.jp");
    first.ics = Some("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".into());
    mailer.send(&first).await.unwrap();
    mailer.send(&mail("second@example.jp")).await.unwrap();
    // Stray files are ignored.
    std::fs::write(folder.join("README.txt"), "x").unwrap();
    std::fs::write(folder.join("123-0.json"), "not json").unwrap();

    let list = read_dev_mailbox(&folder);
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].1.to, "second@example.jp");
    assert_eq!(list[1].1.to, "first@example.jp");
    assert_eq!(list[1].1, SentMail::from(&first));
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert!((now - list[0].2).abs() < 60);

    let (id, _, _) = &list[1];
    assert!(id.chars().all(|c| c.is_ascii_digit() || c == '-'));
    let (one, sent_at) = read_dev_mail(&folder, id).unwrap();
    assert_eq!(one, SentMail::from(&first));
    assert_eq!(sent_at, list[1].2);
}

#[test]
fn dev_mailbox_ids_cannot_leave_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("mailbox");
    std::fs::create_dir(&inner).unwrap();
    let json = r#"{"to":"a@x.jp","subject":"s","text":"t","html":null,"ics":null,"sent_at":1}"#;
    std::fs::write(dir.path().join("secret.json"), json).unwrap();
    std::fs::write(inner.join("1-0.json"), json).unwrap();
    assert!(read_dev_mail(&inner, "1-0").is_some());
    for bad in [
        "../secret",
        "..%2fsecret",
        "/etc/passwd",
        "1-0.json",
        "1_0",
        "ABC",
        "",
        "１",
        &"1".repeat(65),
    ] {
        assert!(read_dev_mail(&inner, bad).is_none(), "{bad:?}");
    }
    assert!(read_dev_mail(&inner, "2-0").is_none(), "no such mail");
}

#[test]
fn links_in_the_text_body_are_made_safely() {
    assert_eq!(
        text_to_html_with_links("開く: https://example.jp/v/AB?x=1&y=2 まで"),
        "開く: <a href=\"https://example.jp/v/AB?x=1&amp;y=2\">https://example.jp/v/AB?x=1&amp;y=2</a> まで"
    );
    // Japanese right after the URL, trailing punctuation, several URLs.
    assert_eq!(
        text_to_html_with_links("(http://a.jp/x)と https://b.jp/y."),
        "(<a href=\"http://a.jp/x\">http://a.jp/x</a>)と <a href=\"https://b.jp/y\">https://b.jp/y</a>."
    );
    assert_eq!(
        text_to_html_with_links("https://a.jp/x」を開く"),
        "<a href=\"https://a.jp/x\">https://a.jp/x</a>」を開く"
    );
    // Markup in the mail is shown, never run; a quote ends the URL so it cannot leave href.
    assert_eq!(
        text_to_html_with_links("<script>alert(1)</script> & 'q'"),
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x27;q&#x27;"
    );
    assert_eq!(
        text_to_html_with_links("https://a.jp/\"onmouseover=\"x"),
        "<a href=\"https://a.jp/\">https://a.jp/</a>&quot;onmouseover=&quot;x"
    );
    // Only http(s) URLs become links.
    assert_eq!(
        text_to_html_with_links("javascript:alert(1) http:// https://"),
        "javascript:alert(1) http:// https://"
    );
    assert_eq!(text_to_html_with_links("httpx https"), "httpx https");
}
