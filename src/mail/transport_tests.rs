//! The mail as it goes out: the message's parts, every transport, SMTP against a server on
//! the loopback, and the outbox worker's step.
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use super::tests::{mail, memory_mailer, settings};
use super::*;
use crate::db::outbox::{self, OutboxWrites};

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
