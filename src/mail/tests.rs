use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use super::*;
use crate::db::outbox::{self, OutboxWrites};

fn settings(transport: MailTransportKind, smtp_url: &str, dir: &str) -> MailSettings {
    MailSettings {
        transport,
        from: "デモ市 マイナンバーカード受取予約 <noreply@madoguchi.example.jp>".into(),
        dev_mailbox_dir: dir.into(),
        smtp_url: smtp_url.into(),
    }
}

fn memory_mailer() -> Mailer {
    Mailer::new(&settings(MailTransportKind::Memory, "", "")).unwrap()
}

fn mail(to: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.into(),
        subject: "【予約完了通知メール】デモ市 マイナンバーカード受取予約".into(),
        text: "受付番号:A1B2C3\nhttps://example.jp/t/demo/lookup\n".into(),
        html: Some("<p>受付番号:A1B2C3</p>".into()),
        ics: None,
        inline_png: None,
    }
}

fn booking_context(password: &str) -> tera::Context {
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

// ---- messages and transports --------------------------------------------------------------

#[tokio::test]
async fn memory_transport_keeps_what_was_sent() {
    let mailer = memory_mailer();
    assert_eq!(mailer.memory_mailbox(), Some(vec![]));
    mailer.send(&mail("a@example.jp")).await.unwrap();
    assert_eq!(
        mailer.memory_mailbox().unwrap(),
        [SentMail::from(&mail("a@example.jp"))]
    );
    assert!(mailer.dev_mailbox_dir().is_none());
}

#[tokio::test]
async fn an_invalid_recipient_is_refused_by_every_transport() {
    let mailer = memory_mailer();
    for bad in ["", "not an address", "a@example.jp\r\nBcc: x@example.jp"] {
        let err = mailer.send(&mail(bad)).await.unwrap_err();
        assert_eq!(err, "the recipient is not a valid mail address");
    }
    assert_eq!(mailer.memory_mailbox().unwrap().len(), 0);
}

#[test]
fn the_message_is_text_and_html_alternatives_with_the_calendar_attached() {
    let mailer = memory_mailer();
    let mut m = mail("resident@example.jp");
    m.ics = Some("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n".into());
    let raw = String::from_utf8(mailer.build_message(&m).unwrap().formatted()).unwrap();
    assert!(raw.contains("Content-Type: multipart/mixed;"), "{raw}");
    assert!(raw.contains("Content-Type: multipart/alternative;"));
    assert!(raw.contains("Content-Type: text/plain; charset=utf-8"));
    assert!(raw.contains("Content-Type: text/html; charset=utf-8"));
    assert!(raw.contains("Content-Type: text/calendar; charset=utf-8; method=PUBLISH"));
    assert!(raw.contains("Content-Disposition: attachment; filename=\"yoyaku.ics\""));
    assert!(raw.contains("Message-ID: <"));
    assert!(raw.contains("@madoguchi.example.jp>"));
    let ics_part = part(&raw, "text/calendar");
    assert_eq!(
        ics_part,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    );
    assert_eq!(part(&raw, "text/plain"), m.text.replace('\n', "\r\n"));

    // Text only: a single text/plain part.
    m.html = None;
    m.ics = None;
    let raw = String::from_utf8(mailer.build_message(&m).unwrap().formatted()).unwrap();
    assert!(!raw.contains("multipart"));
    assert!(raw.contains("Content-Type: text/plain; charset=utf-8"));
}

#[test]
fn an_inline_picture_goes_with_the_html_in_multipart_related() {
    let mailer = memory_mailer();
    let mut m = mail("resident@example.jp");
    let png = crate::core::receipt_qr::ReceiptQr::new("1234567890")
        .unwrap()
        .png(10);
    m.html = Some(format!(
        "<p><img src=\"cid:{INLINE_PNG_CID}\" alt=\"QR\"></p>"
    ));
    m.inline_png = Some(png.clone());
    m.ics = Some("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".into());
    let raw = String::from_utf8(mailer.build_message(&m).unwrap().formatted()).unwrap();
    // mixed( alternative( text, related( html, png ) ), ics ), in that order.
    let at = |needle: &str| {
        raw.find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in {raw}"))
    };
    let order = [
        at("Content-Type: multipart/mixed;"),
        at("Content-Type: multipart/alternative;"),
        at("Content-Type: text/plain; charset=utf-8"),
        at("Content-Type: multipart/related;"),
        at("Content-Type: text/html; charset=utf-8"),
        at("Content-Type: image/png"),
        at("Content-Type: text/calendar"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}\n{raw}");
    assert!(raw.contains(&format!("Content-ID: <{INLINE_PNG_CID}>")));
    assert!(raw.contains("Content-Disposition: inline"));
    let picture = &raw[at("Content-Type: image/png")..];
    let body = picture.split_once("\r\n\r\n").unwrap().1;
    let body = &body[..body.find("\r\n--").unwrap()];
    assert_eq!(base64_decode(&body.replace("\r\n", "")), png);
    assert_eq!(part(&raw, "text/plain"), m.text.replace('\n', "\r\n"));

    // A text-only mail never carries the picture.
    m.html = None;
    let raw = String::from_utf8(mailer.build_message(&m).unwrap().formatted()).unwrap();
    assert!(!raw.contains("image/png") && !raw.contains("multipart/related"));
}

#[tokio::test]
async fn the_development_mailbox_keeps_the_inline_picture() {
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::new(&settings(
        MailTransportKind::DevMailbox,
        "",
        dir.path().to_str().unwrap(),
    ))
    .unwrap();
    let mut m = mail("qr@example.jp");
    m.inline_png = Some(vec![0x89, b'P', b'N', b'G', 0, 255]);
    mailer.send(&m).await.unwrap();
    let list = read_dev_mailbox(dir.path());
    assert_eq!(list[0].1.inline_png, m.inline_png);
}

// In a runtime: the pooled SMTP transport starts its idle-connection reaper on it.
#[tokio::test]
async fn transports_from_settings() {
    let smtp = |url: &str| Transport::from_settings(&settings(MailTransportKind::Smtp, url, ""));
    assert!(matches!(
        smtp("smtp://127.0.0.1:2525"),
        Ok(Transport::Smtp(_))
    ));
    assert!(matches!(
        smtp("smtp://user:pa%40ss@mail.example.jp:587?tls=required"),
        Ok(Transport::Smtp(_))
    ));
    assert!(matches!(
        smtp("smtps://user:pass@mail.example.jp"),
        Ok(Transport::Smtp(_))
    ));
    for bad in [
        "",
        "  ",
        "mail.example.jp:25",
        "http://user:hunter2@mail.example.jp",
        "smtp://user:hunter2@mail.example.jp?tls=sometimes",
    ] {
        let Err(err) = smtp(bad) else {
            panic!("{bad:?} accepted");
        };
        let msg = format!("{err:#}");
        assert!(msg.contains("mail.smtp_url"), "{msg}");
        assert!(!msg.contains("hunter2"), "the password leaked: {msg}");
    }
    let bad_from = MailSettings {
        from: "not an address".into(),
        ..settings(MailTransportKind::Memory, "", "")
    };
    assert!(Mailer::new(&bad_from).is_err());
}

// ---- SMTP against a server on the loopback -----------------------------------------------

#[derive(Debug, Default)]
struct Received {
    commands: Vec<String>,
    data: String,
}

/// A minimal SMTP server for one session: 220, EHLO/HELO 250, MAIL/RCPT 250, DATA 354 and
/// the message up to "\r\n.\r\n", 250, QUIT 221. `fail_rcpt` answers RCPT with 550.
async fn smtp_server(fail_rcpt: bool) -> (u16, tokio::task::JoinHandle<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (read, mut write) = stream.into_split();
        let mut reader = BufReader::new(read);
        let mut got = Received::default();
        write.write_all(b"220 test.local ESMTP\r\n").await.unwrap();
        loop {
            let mut line = Vec::new();
            if reader.read_until(b'\n', &mut line).await.unwrap() == 0 {
                break;
            }
            let command = String::from_utf8_lossy(&line).trim_end().to_string();
            let verb = command
                .split([' ', ':'])
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            got.commands.push(command);
            let reply: &[u8] = match verb.as_str() {
                "EHLO" | "HELO" => b"250 test.local\r\n",
                "MAIL" => b"250 OK\r\n",
                // Real servers quote the address they refuse.
                "RCPT" if fail_rcpt => b"550 5.1.1 <nobody@example.jp>: no such user\r\n",
                "RCPT" => b"250 OK\r\n",
                "RSET" | "NOOP" => b"250 OK\r\n",
                "DATA" => {
                    write
                        .write_all(b"354 end with <CRLF>.<CRLF>\r\n")
                        .await
                        .unwrap();
                    let mut data = Vec::new();
                    while !data.ends_with(b"\r\n.\r\n") {
                        if reader.read_until(b'\n', &mut data).await.unwrap() == 0 {
                            break;
                        }
                    }
                    got.data = String::from_utf8(data).expect("7-bit message");
                    b"250 queued\r\n"
                }
                "QUIT" => {
                    write.write_all(b"221 bye\r\n").await.unwrap();
                    break;
                }
                _ => b"502 not implemented\r\n",
            };
            write.write_all(reply).await.unwrap();
        }
        got
    });
    (port, handle)
}

#[tokio::test]
async fn smtp_delivers_to_a_plain_server_on_the_loopback() {
    let (port, server) = smtp_server(false).await;
    let mailer = Mailer::new(&settings(
        MailTransportKind::Smtp,
        &format!("smtp://127.0.0.1:{port}"),
        "",
    ))
    .unwrap();
    let mut m = mail("resident@example.jp");
    m.ics = Some("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".into());
    mailer.send(&m).await.unwrap();
    // The transport keeps the connection in its pool and says QUIT only when the pool closes
    // it: dropping the mailer does that now instead of after the pool's 60 s idle timeout.
    drop(mailer);
    let got = server.await.unwrap();

    let commands: Vec<&str> = got.commands.iter().map(String::as_str).collect();
    assert!(commands[0].starts_with("EHLO "), "{commands:?}");
    assert_eq!(commands[1], "MAIL FROM:<noreply@madoguchi.example.jp>");
    assert_eq!(commands[2], "RCPT TO:<resident@example.jp>");
    assert_eq!(commands[3], "DATA");
    assert_eq!(commands.last(), Some(&"QUIT"));

    assert!(got.data.is_ascii(), "the message is 7-bit: {}", got.data);
    assert!(
        got.data.contains("\r\nTo: resident@example.jp\r\n"),
        "{}",
        got.data
    );
    let subject = header(&got.data, "Subject");
    assert!(subject.starts_with("=?utf-8?b?"), "encoded: {subject}");
    assert_eq!(decode_encoded_words(&subject), m.subject);
    assert_eq!(
        decode_encoded_words(&header(&got.data, "From")),
        "デモ市 マイナンバーカード受取予約 <noreply@madoguchi.example.jp>"
    );
    assert_eq!(part(&got.data, "text/plain"), m.text.replace('\n', "\r\n"));
    assert_eq!(part(&got.data, "text/html"), m.html.unwrap());
    assert_eq!(part(&got.data, "text/calendar"), m.ics.unwrap());
}

#[tokio::test]
async fn smtp_refusal_is_an_error_without_secrets() {
    let (port, server) = smtp_server(true).await;
    let mailer = Mailer::new(&settings(
        MailTransportKind::Smtp,
        &format!("smtp://127.0.0.1:{port}"),
        "",
    ))
    .unwrap();
    let err = mailer.send(&mail("nobody@example.jp")).await.unwrap_err();
    assert!(err.starts_with("SMTP: permanent error (550)"), "{err}");
    assert!(err.contains("no such user"), "{err}");
    assert!(
        !err.contains("nobody@example.jp"),
        "the address is stored and logged: {err}"
    );
    server.abort();
}

// ---- the outbox worker step ---------------------------------------------------------------

async fn sqlite_db() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
    (Db::connect(&url, 4).await.unwrap(), dir)
}

async fn enqueue_in_transaction(db: &Db, m: &OutgoingMail, now: i64) -> Result<(), DbError> {
    crate::db_write!(db, |conn| {
        conn.enqueue_mail_in(None, m, now).await?;
        Ok(())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliver_due_sends_what_is_due_once() {
    let (db, _dir) = sqlite_db().await;
    let mailer = memory_mailer();
    // More than one claim batch, queued the way a booking does: inside its transaction.
    for i in 0..(CLAIM_BATCH + 3) {
        let m = mail(&format!("r{i}@example.jp"));
        enqueue_in_transaction(&db, &m, 100).await.unwrap();
    }
    outbox::enqueue(&db, None, &mail("later@example.jp"), 500)
        .await
        .unwrap();

    let due = (CLAIM_BATCH + 3) as usize;
    assert_eq!(deliver_due(&db, &mailer, 100).await.unwrap(), due);
    let sent = mailer.memory_mailbox().unwrap();
    assert_eq!(sent.len(), due);
    assert_eq!(sent[0].to, "r0@example.jp");
    assert_eq!(
        deliver_due(&db, &mailer, 200).await.unwrap(),
        0,
        "sent once"
    );
    assert_eq!(deliver_due(&db, &mailer, 500).await.unwrap(), 1);
    assert_eq!(mailer.memory_mailbox().unwrap().len(), due + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliver_due_records_a_failure_and_retries_after_the_backoff() {
    let (db, _dir) = sqlite_db().await;
    // Nothing listens on this port once the listener is dropped.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap().port()
    };
    let down = Mailer::new(&settings(
        MailTransportKind::Smtp,
        &format!("smtp://127.0.0.1:{port}"),
        "",
    ))
    .unwrap();
    outbox::enqueue(&db, None, &mail("a@example.jp"), 0)
        .await
        .unwrap();
    assert_eq!(deliver_due(&db, &down, 0).await.unwrap(), 0);
    // Not due again until the first backoff has passed, then delivered.
    let up = memory_mailer();
    assert_eq!(
        deliver_due(&db, &up, outbox::backoff_secs(1) - 1)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        deliver_due(&db, &up, outbox::backoff_secs(1))
            .await
            .unwrap(),
        1
    );
    assert_eq!(up.memory_mailbox().unwrap()[0].to, "a@example.jp");
}

// ---- helpers: reading a raw message as a mail client would ------------------------------

/// The value of a top-level header, continuation lines unfolded.
fn header(raw: &str, name: &str) -> String {
    let head = raw.split("\r\n\r\n").next().unwrap();
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded
        .split("\r\n")
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no {name} header in {raw}"))
        .to_string()
}

/// RFC 2047: `=?utf-8?b?...?=` words decoded, whitespace between adjacent words dropped.
fn decode_encoded_words(value: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = value;
    let mut last_was_word = false;
    loop {
        let Some(start) = rest.find("=?") else {
            bytes.extend_from_slice(rest.as_bytes());
            break;
        };
        let between = &rest[..start];
        if !(last_was_word && between.trim().is_empty()) {
            bytes.extend_from_slice(between.as_bytes());
        }
        let word = &rest[start + 2..];
        let mut pieces = word.splitn(3, '?');
        let charset = pieces.next().unwrap();
        let encoding = pieces.next().unwrap();
        let tail = pieces.next().unwrap();
        let end = tail.find("?=").unwrap();
        assert!(charset.eq_ignore_ascii_case("utf-8"), "{charset}");
        assert!(encoding.eq_ignore_ascii_case("b"), "{encoding}");
        bytes.extend(base64_decode(&tail[..end]));
        rest = &tail[end + 2..];
        last_was_word = true;
    }
    String::from_utf8(bytes).unwrap()
}

/// The decoded body of the first MIME part of this content type.
fn part(raw: &str, content_type: &str) -> String {
    let at = raw
        .find(&format!("Content-Type: {content_type}"))
        .unwrap_or_else(|| panic!("no {content_type} part in {raw}"));
    let start = raw[..at].rfind("\r\n\r\n").map_or(0, |p| p + 4);
    let part = &raw[start..];
    let (head, body) = part.split_once("\r\n\r\n").unwrap();
    let body = match body.find("\r\n--") {
        Some(end) => &body[..end],
        None => body.strip_suffix("\r\n.\r\n").unwrap_or(body),
    };
    let encoding = head
        .split("\r\n")
        .find_map(|l| l.strip_prefix("Content-Transfer-Encoding: "))
        .unwrap_or("7bit");
    match encoding {
        "base64" => String::from_utf8(base64_decode(&body.replace("\r\n", ""))).unwrap(),
        "quoted-printable" => String::from_utf8(quoted_printable_decode(body)).unwrap(),
        "7bit" | "8bit" => body.to_string(),
        other => panic!("unexpected transfer encoding {other}"),
    }
}

fn quoted_printable_decode(s: &str) -> Vec<u8> {
    let s = s.replace("=\r\n", "");
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).expect("=XX"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn base64_decode(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for b in s.bytes().filter(|&b| b != b'=') {
        let v = ALPHABET.iter().position(|&a| a == b).expect("base64") as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}
