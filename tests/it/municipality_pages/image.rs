//! The header image: upload, what residents see, the URL and its cache, bad files, removal.
use axum::http::{StatusCode, header};

use super::*;
use crate::common::{Backend, TestApp};
use crate::on_both_databases;

async fn an_admin_sets_the_header_image_and_residents_see_it(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let mut resident = app.client();
    assert_eq!(header_image_src(&resident.get("/t/demo/").await), None);

    let first = png(40, 12, 1);
    let saved = upload(
        &mut admin,
        "デモ市のロゴ",
        "",
        Some(("logo.png", "image/png", &first)),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let page = admin.get(saved.location.as_deref().unwrap()).await;
    page.assert_text("ヘッダー画像を保存しました。");
    page.assert_text("いまの画像:logo.png(PNG、40×12ピクセル)");

    // Every resident page carries it, with its alternative text, beside the site name.
    let home = resident.get("/t/demo/").await;
    let src = header_image_src(&home).expect("the picture in the header");
    assert!(
        src.starts_with("/t/demo/header-image/") && src.ends_with(".png"),
        "{src}"
    );
    assert!(
        home.body
            .contains("alt=\"デモ市のロゴ\" width=\"40\" height=\"12\"")
    );
    home.assert_text("デモ市 マイナンバーカード受取予約");
    let entry = resident.get("/t/demo/entry").await;
    assert_eq!(header_image_src(&entry).as_deref(), Some(src.as_str()));

    // The picture itself: the bytes uploaded, cached for a year.
    let served = resident.get(&src).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(
        served.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        resident.get_bytes(&src).await,
        (StatusCode::OK, first.clone())
    );

    // English without an English text reads the Japanese one, marked as Japanese.
    let mut english = app.client();
    english.set_cookie("mdg_lang", "en");
    let home_en = english.get("/t/demo/").await;
    assert!(
        home_en.body.contains("alt=\"デモ市のロゴ\" lang=\"ja\""),
        "{}",
        home_en.body
    );

    // Only the alternative texts change: the same picture, the same URL.
    let alt = upload(&mut admin, "デモ市のロゴ", "Demo City logo", None).await;
    assert_eq!(alt.status, StatusCode::SEE_OTHER, "{}", alt.text());
    let home_en = english.get("/t/demo/").await;
    assert!(home_en.body.contains("alt=\"Demo City logo\" width="));
    assert_eq!(header_image_src(&home_en).as_deref(), Some(src.as_str()));

    // A new picture has a new URL; the old one is gone.
    let second = png(60, 20, 2);
    upload(
        &mut admin,
        "デモ市",
        "Demo City logo",
        Some(("new.png", "image/png", &second)),
    )
    .await;
    let new_src = header_image_src(&resident.get("/t/demo/").await).unwrap();
    assert_ne!(new_src, src);
    assert_eq!(resident.get_bytes(&new_src).await, (StatusCode::OK, second));
    assert_eq!(resident.get(&src).await.status, StatusCode::NOT_FOUND);
    // Another ending or another municipality's path does not serve it.
    let as_jpg = new_src.replace(".png", ".jpg");
    assert_eq!(resident.get(&as_jpg).await.status, StatusCode::NOT_FOUND);

    // Removed: the site name alone again.
    let gone = post(&mut admin, "/t/demo/staff/pages/image/delete", &[]).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert_eq!(header_image_src(&resident.get("/t/demo/").await), None);
    assert_eq!(resident.get(&new_src).await.status, StatusCode::NOT_FOUND);

    // Each step in the log, with before and after.
    let log = audit_text(&mut admin).await;
    assert!(log.contains("ヘッダー画像の変更"), "{log}");
    assert!(
        log.contains(
            "ヘッダー画像を変更: 画像 なし→logo.png(40×12)、代替テキスト なし→「デモ市のロゴ」"
        ),
        "{log}"
    );
    assert!(
        log.contains("代替テキスト(英語) 日本語と同じ→「Demo City logo」"),
        "{log}"
    );
    assert!(
        log.contains(
            "画像 logo.png(40×12)→new.png(60×20)、代替テキスト 「デモ市のロゴ」→「デモ市」"
        ),
        "{log}"
    );
    assert!(
        log.contains("ヘッダー画像を削除: 画像 new.png(60×20)→なし"),
        "{log}"
    );
}
on_both_databases!(an_admin_sets_the_header_image_and_residents_see_it);

/// The file field's message on a refused upload, and nothing stored.
async fn refused(app: &TestApp, page: &Page, status: StatusCode, message: &str) {
    assert_eq!(page.status, status, "{}", page.text());
    assert!(
        page.body.contains(&format!(
            "<p class=\"field-error\" id=\"image-file-error\">{message}"
        )),
        "expected {message:?} next to the file field:\n{}",
        page.text()
    );
    assert!(
        page.body
            .contains("aria-describedby=\"image-file-hint image-file-error\"")
    );
    assert!(
        page.body.contains("href=\"#image-file\""),
        "the error summary links the field"
    );
    let mut resident = app.client();
    assert_eq!(header_image_src(&resident.get("/t/demo/").await), None);
}

async fn bad_image_files_get_a_message_next_to_the_field(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let text = b"name,number\nthis is a text file\n".to_vec();
    let page = upload(
        &mut admin,
        "ロゴ",
        "",
        Some(("logo.png", "image/png", &text)),
    )
    .await;
    refused(
        &app,
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ファイルの中身が画像ではありません",
    )
    .await;
    assert!(page.body.contains("value=\"ロゴ\""), "what was typed stays");

    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;".to_vec();
    let page = upload(
        &mut admin,
        "ロゴ",
        "",
        Some(("logo.gif", "image/gif", &gif)),
    )
    .await;
    refused(
        &app,
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
        "GIF形式の画像は使えません。",
    )
    .await;
    // A GIF renamed .png is refused for what it is.
    let page = upload(
        &mut admin,
        "ロゴ",
        "",
        Some(("logo.png", "image/png", &gif)),
    )
    .await;
    refused(
        &app,
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
        "GIF形式の画像は使えません。",
    )
    .await;

    // A PNG cut short: the header is right, the picture is not.
    let whole = png(64, 64, 3);
    let cut = &whole[..whole.len() / 2];
    let page = upload(&mut admin, "ロゴ", "", Some(("logo.png", "image/png", cut))).await;
    refused(
        &app,
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
        "PNGの画像として読み取れませんでした",
    )
    .await;

    // Just over the limit, then far over it (refused from the declared length).
    let mut large = png(8, 8, 4);
    large.resize(1024 * 1024 + 1, 0);
    let page = upload(
        &mut admin,
        "ロゴ",
        "",
        Some(("logo.png", "image/png", &large)),
    )
    .await;
    refused(
        &app,
        &page,
        StatusCode::PAYLOAD_TOO_LARGE,
        "ファイルが大きすぎます(1025KB)。1024KBまでの画像にしてください。",
    )
    .await;
    assert!(page.body.contains("value=\"ロゴ\""));
    let huge = vec![0u8; 3 * 1024 * 1024];
    let page = upload(
        &mut admin,
        "ロゴ",
        "",
        Some(("logo.png", "image/png", &huge)),
    )
    .await;
    refused(
        &app,
        &page,
        StatusCode::PAYLOAD_TOO_LARGE,
        "ファイルが大きすぎます",
    )
    .await;

    // A good picture without its alternative text.
    let good = png(20, 10, 5);
    let page = upload(
        &mut admin,
        " ",
        "Logo",
        Some(("logo.png", "image/png", &good)),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains(
        "id=\"image-alt_ja-error\">画像の代わりに読み上げる文を入力してください(例:デモ市のロゴ)。"
    ));
    assert!(page.body.contains("value=\"Logo\""));
    // No picture yet and none chosen.
    let page = upload(&mut admin, "ロゴ", "", None).await;
    refused(
        &app,
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
        "画像ファイルを選んでください(PNG、JPEG、WebP)。",
    )
    .await;
    // Nothing was written to the log.
    assert!(!audit_text(&mut admin).await.contains("ヘッダー画像"));
}
on_both_databases!(bad_image_files_get_a_message_next_to_the_field);
