//! 画面の文言 and the header image, as an administrator sets them on the console over HTTP
//! and residents then see them: the picture (checked, served at a content-hash URL with a
//! long cache), every text in Japanese and English with the English falling back to the
//! Japanese marked lang="ja", back to the default, the audit log's before and after, and
//! other municipalities, clerks and other instances.
mod image;
mod texts;

use axum::http::StatusCode;

use crate::common::client::{Client, Page};
use crate::common::{TestApp, csrf};
use crate::resident::{hold_labelled, open_link, post_apply, submit_entry};

const PAGES: &str = "/t/demo/staff/pages";

/// A real PNG of `width` x `height`, its pixels from `seed` (another seed, other bytes).
fn png(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        let pixels: Vec<u8> = (0..width * height * 3)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
            .collect();
        writer.write_image_data(&pixels).unwrap();
    }
    out
}

/// Sends the image form: the alternative texts and, when given, a file (name, type, bytes).
async fn upload(
    admin: &mut Client,
    alt_ja: &str,
    alt_en: &str,
    file: Option<(&str, &str, &[u8])>,
) -> Page {
    let page = admin.get(PAGES).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let token = csrf(&page.body);
    let fields = [
        ("csrf", token.as_str()),
        ("alt_ja", alt_ja),
        ("alt_en", alt_en),
    ];
    let files: Vec<(&str, &str, &str, &[u8])> = match file {
        Some((name, kind, bytes)) => vec![("file", name, kind, bytes)],
        None => vec![("file", "", "application/octet-stream", &[])],
    };
    admin
        .post_multipart_typed("/t/demo/staff/pages/image", &fields, &files)
        .await
}

/// Posts a console form of this page with a fresh CSRF token.
async fn post(admin: &mut Client, path: &str, fields: &[(&str, &str)]) -> Page {
    let page = admin.get(PAGES).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let token = csrf(&page.body);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    admin.post_form(path, &all).await
}

/// Saves a text in both languages; the page it comes back to.
async fn save_text(admin: &mut Client, key: &str, ja: &str, en: &str) -> Page {
    let done = post(
        admin,
        &format!("/t/demo/staff/pages/texts/{key}"),
        &[("ja", ja), ("en", en)],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    admin.get(done.location.as_deref().unwrap()).await
}

/// The `src` of the header picture on a resident page, if it has one.
fn header_image_src(page: &Page) -> Option<String> {
    crate::common::value_after(&page.body, "class=\"header-image\"", "src")
        .map(|s| s.replace("&#x2F;", "/"))
}

/// The audit log as the admin reads it, newest first.
async fn audit_text(admin: &mut Client) -> String {
    let page = admin.get("/t/demo/staff/audit").await;
    assert_eq!(page.status, StatusCode::OK);
    page.text()
}

/// A browser that booked `notice` for 12月2日(水) 10:00 and stands on the completion page.
async fn booked(app: &TestApp, notice: &madoguchi::db::notices::NewNotice, email: &str) -> Client {
    let mut client = app.client();
    let birth = crate::resident::digits(notice);
    let sent = submit_entry(&mut client, &[(&notice.number1, &birth)], email).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    let form = open_link(app, &mut client, email).await;
    let counter = app.counter_id("本庁舎 市民課").await;
    post_apply(&mut client, &form.body, 1, counter, "choose").await;
    let (_, form) = hold_labelled(&mut client, "12月2日(水) 10:00").await;
    let to_confirm = post_apply(&mut client, &form.body, 1, counter, "confirm").await;
    assert_eq!(
        to_confirm.status,
        StatusCode::SEE_OTHER,
        "{}",
        to_confirm.text()
    );
    let confirm = client.get("/t/demo/apply/confirm").await;
    let done = client
        .post_form("/t/demo/apply/confirm", &[("csrf", &csrf(&confirm.body))])
        .await;
    assert_eq!(done.location.as_deref(), Some("/t/demo/apply/done"));
    client
}
