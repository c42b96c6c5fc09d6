//! The receipt's QR code (issue 11 §3) where a resident gets it: the completion page, the
//! print view and the completion mail. Every code is read back with a QR decoder (rqrr), so
//! the tests show that a scanner gets the receipt number, and nothing else, from it.
use axum::http::StatusCode;
use base64::Engine as _;
use madoguchi::db::notices::NewNotice;
use madoguchi::demo::sample_notices;
use madoguchi::mail::Mailer;

use crate::common::client::Client;
use crate::common::smtp::{FakeSmtp, Mode};
use crate::common::{Backend, TestApp, csrf, line_value, link_in, test_settings};
use crate::on_both_databases;
use crate::resident::{digits, hold_labelled, post_apply, submit_entry};

/// The resident flow up to 予約入力完了, with the browser kept; the completion mail is
/// still in the outbox. `lang` is switched to first when given.
async fn book_keeping_the_browser(
    app: &TestApp,
    notices: &[&NewNotice],
    email: &str,
    lang: Option<&str>,
) -> Client {
    let mut client = app.client();
    if let Some(lang) = lang {
        let switched = client
            .get(&format!("/lang?to={lang}&back=%2Ft%2Fdemo%2F"))
            .await;
        assert_eq!(switched.status, StatusCode::SEE_OTHER);
    }
    let people: Vec<(String, String)> = notices
        .iter()
        .map(|n| (n.number1.clone(), digits(n)))
        .collect();
    let refs: Vec<(&str, &str)> = people
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let sent = submit_entry(&mut client, &refs, email).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    // The address check mail's link, in whichever language it came.
    let check = app
        .mails_to(email)
        .await
        .pop()
        .expect("the address check mail");
    let link = link_in(&check.text, "http://127.0.0.1:3000/t/demo/apply/").expect("a link");
    let landing = client.get(&link).await;
    let used = client
        .post_form(&link, &[("csrf", &csrf(&landing.body))])
        .await;
    assert_eq!(used.location.as_deref(), Some("/t/demo/apply"));
    let form = client.get("/t/demo/apply").await;
    let counter = app.counter_id("本庁舎 市民課").await;
    let chose = post_apply(&mut client, &form.body, notices.len(), counter, "choose").await;
    assert_eq!(chose.location.as_deref(), Some("/t/demo/apply/slots"));
    let cell = match lang {
        Some("en") => "Thu, December 3 10:00",
        _ => "12月3日(木) 10:00",
    };
    let (_, form) = hold_labelled(&mut client, cell).await;
    let to_confirm = post_apply(&mut client, &form.body, notices.len(), counter, "confirm").await;
    assert_eq!(
        to_confirm.location.as_deref(),
        Some("/t/demo/apply/confirm"),
        "{}",
        to_confirm.text()
    );
    let confirm = client.get("/t/demo/apply/confirm").await;
    let booked = client
        .post_form("/t/demo/apply/confirm", &[("csrf", &csrf(&confirm.body))])
        .await;
    assert_eq!(booked.location.as_deref(), Some("/t/demo/apply/done"));
    client
}

/// What a scanner reads from a picture: every QR code rqrr finds in it, decoded.
fn scan_picture(width: usize, height: usize, dark: impl Fn(usize, usize) -> bool) -> Vec<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        if dark(x, y) { 0 } else { 255 }
    });
    img.detect_grids()
        .into_iter()
        .map(|g| g.decode().expect("a readable QR code").1)
        .collect()
}

/// The one inline `<svg>` of a page, with its attributes.
fn the_svg(html: &str) -> &str {
    assert_eq!(html.matches("<svg").count(), 1, "one SVG on the page");
    let start = html.find("<svg").unwrap();
    let end = html[start..].find("</svg>").unwrap() + start + "</svg>".len();
    &html[start..end]
}

/// Draws an SVG as a browser would fill its `<rect>` and `<path>` (the shapes and path
/// commands the page's QR code is made of: a white square, then dark runs written
/// `M x y h n v 1 h -n z`), at `scale` pixels per unit, and lets the scanner read it.
fn scan_svg(svg: &str, scale: usize) -> Vec<String> {
    let view = svg.split("viewBox=\"0 0 ").nth(1).expect("a viewBox");
    let side: usize = view.split(' ').next().unwrap().parse().unwrap();
    assert!(svg.contains(&format!(
        "<rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>"
    )));
    let d = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let mut dark = vec![false; side * side];
    for run in d.split('z').filter(|r| !r.is_empty()) {
        let (xy, moves) = run.strip_prefix('M').unwrap().split_once('h').unwrap();
        let (x, y) = xy.split_once(' ').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        let (len, back) = moves.split_once('v').unwrap();
        let len: usize = len.parse().unwrap();
        assert_eq!(back, format!("1h-{len}"), "a run one module high: {run}");
        for i in 0..len {
            dark[y * side + x + i] = true;
        }
    }
    let px = side * scale;
    scan_picture(px, px, |x, y| dark[(y / scale) * side + x / scale])
}

async fn the_completion_page_and_the_print_view_carry_the_receipts_qr(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let email = "qr@example.jp";
    let mut client = book_keeping_the_browser(&app, &[&s[80], &s[81]], email, None).await;
    let done = client.get("/t/demo/apply/done").await;
    assert_eq!(done.status, StatusCode::OK);
    let mail = app.mails_to(email).await.pop().unwrap();
    let receipt = line_value(&mail.text, "受付番号").unwrap();
    let password = line_value(&mail.text, "パスワード").unwrap();
    let stored = receipt.replace('-', "");

    let svg = the_svg(&done.body);
    assert!(
        svg.contains(&format!(
            "role=\"img\" aria-label=\"受付番号 {receipt} のQRコード\""
        )),
        "{svg}"
    );
    assert_eq!(
        scan_svg(svg, 4),
        [stored.as_str()],
        "the code holds the number alone"
    );
    // The number beside it as text, for people.
    done.assert_text(&format!(
        "受付番号: {receipt} 来庁の際、窓口でこのQRコードを読み取って受付します。"
    ));

    // The print view of the looked-up booking carries the same code.
    let lookup = client.get("/t/demo/lookup").await;
    let found = client
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&lookup.body)),
                ("receipt_number", &receipt),
                ("password", &password),
            ],
        )
        .await;
    assert_eq!(found.location.as_deref(), Some("/t/demo/booking"));
    let print = client.get("/t/demo/booking/print").await;
    assert_eq!(print.status, StatusCode::OK);
    let printed = the_svg(&print.body);
    assert_eq!(printed, svg, "the same code on paper");
    assert_eq!(scan_svg(printed, 3), [stored.as_str()]);
    print.assert_text(&format!("受付番号: {receipt}"));
    assert!(
        !print.body.contains(&password),
        "no password on the printout"
    );

    // In English, named in English.
    let mut english =
        book_keeping_the_browser(&app, &[&s[82]], "qr-en@example.jp", Some("en")).await;
    let done = english.get("/t/demo/apply/done").await;
    let mail = app.mails_to("qr-en@example.jp").await.pop().unwrap();
    let en_receipt = line_value(&mail.text, "Receipt number").unwrap();
    let svg = the_svg(&done.body);
    assert!(
        svg.contains(&format!(
            "aria-label=\"QR code of receipt number {en_receipt}\""
        )),
        "{svg}"
    );
    assert_eq!(scan_svg(svg, 4), [en_receipt.replace('-', "")]);
    done.assert_text("the clerk scans this QR code at the counter");

    // A cancelled booking's printout has no code to scan.
    let cancel = client.get("/t/demo/booking/cancel").await;
    client
        .post_form("/t/demo/booking/cancel", &[("csrf", &csrf(&cancel.body))])
        .await;
    let print = client.get("/t/demo/booking/print").await;
    assert_eq!(print.status, StatusCode::OK);
    assert!(
        !print.body.contains("<svg"),
        "no QR code for a cancelled booking"
    );
    print.assert_text(&receipt);
}
on_both_databases!(the_completion_page_and_the_print_view_carry_the_receipts_qr);

/// The header block and body of each part of a MIME message directly inside `boundary`.
fn parts<'a>(raw: &'a str, boundary: &str) -> Vec<(&'a str, &'a str)> {
    let delimiter = format!("--{boundary}");
    raw.split(&delimiter)
        .skip(1)
        .take_while(|p| !p.starts_with("--"))
        .map(|p| {
            let p = p.trim_start_matches("\r\n");
            let (headers, body) = p.split_once("\r\n\r\n").expect("headers, then a body");
            (headers, body.trim_end_matches("\r\n"))
        })
        .collect()
}

/// The boundary of the first `Content-Type: multipart/{kind}` in `raw`.
fn boundary_of<'a>(raw: &'a str, kind: &str) -> &'a str {
    let at = raw
        .find(&format!("Content-Type: multipart/{kind};"))
        .unwrap_or_else(|| panic!("no multipart/{kind} in:\n{raw}"));
    let rest = &raw[at..];
    let start = rest.find("boundary=\"").unwrap() + "boundary=\"".len();
    let end = rest[start..].find('"').unwrap() + start;
    &rest[start..end]
}

fn decode_body(headers: &str, body: &str) -> Vec<u8> {
    if headers.contains("Content-Transfer-Encoding: base64") {
        let compact: String = body.split_whitespace().collect();
        return base64::engine::general_purpose::STANDARD
            .decode(compact)
            .expect("base64");
    }
    if headers.contains("Content-Transfer-Encoding: quoted-printable") {
        let mut out = Vec::new();
        let bytes = body.replace("=\r\n", "").into_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'=' && i + 2 < bytes.len() + 1 {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        return out;
    }
    body.as_bytes().to_vec()
}

/// The pixels of a PNG as the mail client shows it: (width, height, dark at x, y).
fn png_pixels(bytes: &[u8]) -> (usize, usize, Vec<bool>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    assert_eq!(info.bit_depth, png::BitDepth::One);
    let (w, h) = (info.width as usize, info.height as usize);
    let dark = (0..w * h)
        .map(|i| buf[(i / w) * info.line_size + (i % w) / 8] & (0x80 >> (i % w % 8)) == 0)
        .collect();
    (w, h, dark)
}

/// The PNG stored with the outbox rows to `to`.
async fn stored_pngs(app: &TestApp, to: &str) -> Vec<Option<Vec<u8>>> {
    use diesel::{ExpressionMethods, QueryDsl};
    use diesel_async::RunQueryDsl;
    use madoguchi::db::schema::mail_outbox as m;
    use madoguchi::db::{Db, DbError};
    async fn load(db: &Db, to: &str) -> Result<Vec<Option<Vec<u8>>>, DbError> {
        madoguchi::db_read!(db, |conn| {
            Ok(m::table
                .filter(m::to_addr.eq(to))
                .order(m::id)
                .select(m::inline_png)
                .load(conn)
                .await?)
        })
    }
    load(app.db(), to).await.unwrap()
}

async fn the_completion_mail_shows_the_qr_inline_and_a_retry_sends_the_same(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let email = "qr-mail@example.jp";
    book_keeping_the_browser(&app, &[&s[83]], email, None).await;
    // The completion mail goes to a real SMTP conversation: refused first, then accepted
    // after the backoff, as a relay that is down for a moment.
    let smtp = FakeSmtp::start(Mode::Refuse421).await;
    let mut settings = test_settings(app.database_url(), false).mail;
    settings.transport = madoguchi::config::MailTransportKind::Smtp;
    settings.smtp_url = smtp.url();
    let mailer = Mailer::new(&settings).unwrap();
    let now = app.clock.now_unix();
    assert_eq!(
        madoguchi::mail::deliver_due(app.db(), &mailer, now)
            .await
            .unwrap(),
        0
    );
    assert!(smtp.received().is_empty());
    smtp.set_mode(Mode::Accept);
    assert_eq!(
        madoguchi::mail::deliver_due(app.db(), &mailer, now + 30)
            .await
            .unwrap(),
        1
    );
    let received = smtp.received();
    assert_eq!(received.len(), 1);
    let raw = &received[0].data;

    // text/plain beside multipart/related (the HTML and its picture).
    let alternative = parts(raw, boundary_of(raw, "alternative"));
    assert_eq!(alternative.len(), 2, "{raw}");
    assert!(
        alternative[0]
            .0
            .contains("Content-Type: text/plain; charset=utf-8")
    );
    let text = String::from_utf8(decode_body(alternative[0].0, alternative[0].1)).unwrap();
    let receipt =
        line_value(&text.replace("\r\n", "\n"), "受付番号").expect("the receipt in the text part");
    assert!(
        alternative[1]
            .0
            .contains("Content-Type: multipart/related;")
    );
    let related = parts(raw, boundary_of(raw, "related"));
    assert_eq!(related.len(), 2, "the HTML and its picture");
    assert!(
        related[0]
            .0
            .contains("Content-Type: text/html; charset=utf-8")
    );
    let html = String::from_utf8(decode_body(related[0].0, related[0].1)).unwrap();
    assert!(
        html.contains(&format!(
            "<img src=\"cid:receipt-qr@madoguchi\" width=\"145\" height=\"145\" alt=\"受付番号 {receipt} のQRコード\""
        )),
        "{html}"
    );
    let (headers, body) = related[1];
    assert!(
        headers.contains("Content-ID: <receipt-qr@madoguchi>"),
        "{headers}"
    );
    assert!(headers.contains("Content-Disposition: inline"), "{headers}");
    assert!(headers.contains("Content-Type: image/png"), "{headers}");
    let png = decode_body(headers, body);
    let (w, h, dark) = png_pixels(&png);
    assert_eq!((w, h), (290, 290), "twice the size it is shown at");
    assert_eq!(
        scan_picture(w, h, |x, y| dark[y * w + x]),
        [receipt.replace('-', "")],
        "the picture reads back as the receipt number alone"
    );
    // What was sent after the refusal is what the outbox row holds since the booking (the
    // address check mail before it has no picture).
    assert_eq!(stored_pngs(&app, email).await, [None, Some(png)]);
    // The calendar file is still attached.
    assert!(raw.contains("Content-Type: multipart/mixed;"));
    assert!(raw.contains("filename=\"yoyaku.ics\""));
}
on_both_databases!(the_completion_mail_shows_the_qr_inline_and_a_retry_sends_the_same);
