//! The texts: each edited in Japanese and English and seen on the resident pages, English
//! falling back to the Japanese with lang="ja", back to the default, mistakes next to their
//! field, the log, and nobody else's pages.
use axum::http::StatusCode;
use madoguchi::db::tenants::Role;
use madoguchi::demo::sample_notices;

use super::*;
use crate::common::{Backend, TestApp, test_settings};
use crate::on_both_databases;

/// The entry form with 番号2 asked for person 1, in `lang` (the language switch sends the
/// form as typed, with the flag that 番号2 is shown).
async fn entry_with_number2(client: &mut Client, lang: &str) -> Page {
    let page = client.get("/t/demo/entry").await;
    let page = client
        .post_form(
            "/t/demo/entry",
            &[
                ("csrf", &csrf(&page.body)),
                ("shown_party", "1"),
                ("party", "1"),
                ("show_number2_1", "1"),
                ("switch_lang", lang),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert!(page.body.contains("name=\"number2_1\""));
    page
}

async fn each_text_shows_in_both_languages_and_goes_back_to_its_default(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut admin = app.admin_client().await;
    let mut ja = app.client();
    let mut en = app.client();
    en.set_cookie("mdg_lang", "en");

    // The defaults, as shipped.
    let home = ja.get("/t/demo/").await;
    home.assert_text("デモ市 マイナンバーカード受取予約");
    home.assert_no_text("お問い合わせ:");
    ja.get("/t/demo/entry")
        .await
        .assert_text("ハガキの宛名面、右肩のQRコードの上に印字されている番号です。");
    let page = admin.get(PAGES).await;
    page.assert_text("サイト名(初期値のまま)");
    assert!(!page.body.contains("/texts/site_name/reset"));

    // Japanese and English given.
    let saved = save_text(
        &mut admin,
        "site_name",
        "みどり市 カード受取予約",
        "Midori City card pickup",
    )
    .await;
    saved.assert_text("文言を保存しました。");
    saved.assert_text("サイト名(変更あり)");
    save_text(
        &mut admin,
        "number1_where",
        "ハガキの右上、\r\n<b>赤い枠</b>の中の番号です。",
        "In the red box at the top right.",
    )
    .await;
    save_text(
        &mut admin,
        "call_centre",
        "みどり市コールセンター 0120-000-000",
        "Midori call centre 0120-000-000",
    )
    .await;
    // Japanese only: English pages show it, marked as Japanese.
    save_text(&mut admin, "number2_where", "ハガキの裏面の18桁です。", "").await;
    save_text(
        &mut admin,
        "bring",
        "交付通知書と\n運転免許証をお持ちください。",
        "",
    )
    .await;
    save_text(
        &mut admin,
        "done_note",
        "当日は北口からお入りください。",
        "Please use the north entrance.",
    )
    .await;

    let home = ja.get("/t/demo/").await;
    assert!(home.body.contains("<span>みどり市 カード受取予約</span>"));
    assert!(home.body.contains("<h1>みどり市 カード受取予約</h1>"));
    home.assert_no_text("デモ市 マイナンバーカード受取予約");
    assert!(
        home.body
            .contains("お問い合わせ:<span>みどり市コールセンター 0120-000-000</span>")
    );
    let home_en = en.get("/t/demo/").await;
    assert!(home_en.body.contains("<h1>Midori City card pickup</h1>"));
    assert!(
        home_en
            .body
            .contains("Contact: <span>Midori call centre 0120-000-000</span>")
    );

    // Plain text: the markup is shown as typed, the line break kept.
    let entry = ja.get("/t/demo/entry").await;
    assert!(
        entry.body.contains(
            "<span class=\"page-text\">ハガキの右上、\n&lt;b&gt;赤い枠&lt;&#x2F;b&gt;の中の番号です。</span>英数字3桁と数字6桁"
        ),
        "{}",
        entry.body
    );
    entry.assert_no_text("右肩のQRコードの上");
    let entry_en = en.get("/t/demo/entry").await;
    assert!(
        entry_en
            .body
            .contains("<span class=\"page-text\">In the red box at the top right.</span> ")
    );
    let number2 = entry_with_number2(&mut ja, "ja").await;
    assert!(
        number2
            .body
            .contains("<span class=\"page-text\">ハガキの裏面の18桁です。</span>")
    );
    let number2_en = entry_with_number2(&mut en, "en").await;
    assert!(
        number2_en
            .body
            .contains("<span class=\"page-text\" lang=\"ja\">ハガキの裏面の18桁です。</span> "),
        "{}",
        number2_en.body
    );

    // The completion page, the details, the print view and the FAQ.
    let mut resident = booked(&app, &s[30], "pages@example.jp").await;
    let done = resident.get("/t/demo/apply/done").await;
    assert!(
        done.body
            .contains("<p class=\"page-text\">当日は北口からお入りください。</p>")
    );
    done.assert_no_text("予約内容の印刷は[予約照会へ]からできます。");
    let details = resident.get("/t/demo/booking").await;
    assert!(
        details
            .body
            .contains("交付通知書と\n運転免許証をお持ちください。"),
        "{}",
        details.text()
    );
    let print = resident.get("/t/demo/booking/print").await;
    assert!(
        print
            .body
            .contains("交付通知書と\n運転免許証をお持ちください。")
    );
    print.assert_text("印刷したこの用紙もお持ちください。");
    let faq = ja.get("/t/demo/faq").await;
    assert!(
        faq.body
            .contains("<dd class=\"page-text\">交付通知書と\n運転免許証をお持ちください。</dd>")
    );
    resident.set_cookie("mdg_lang", "en");
    let done_en = resident.get("/t/demo/apply/done").await;
    done_en.assert_text("Please use the north entrance.");
    let details_en = resident.get("/t/demo/booking").await;
    assert!(
        details_en
            .body
            .contains("lang=\"ja\">交付通知書と\n運転免許証をお持ちください。</p>")
    );
    // The completion mail carries the call-centre line.
    let mails = app.mails_to("pages@example.jp").await;
    assert!(
        mails
            .last()
            .unwrap()
            .text
            .contains("みどり市コールセンター 0120-000-000")
    );

    // English removed again: the Japanese, marked.
    save_text(&mut admin, "site_name", "みどり市 カード受取予約", "").await;
    let home_en = en.get("/t/demo/").await;
    assert!(
        home_en
            .body
            .contains("<h1 lang=\"ja\">みどり市 カード受取予約</h1>")
    );
    assert!(
        home_en
            .body
            .contains("<span lang=\"ja\">みどり市 カード受取予約</span>")
    );

    // 初期値に戻す: the shipped wording in both languages.
    let page = admin.get(PAGES).await;
    assert!(page.body.contains("/staff/pages/texts/number1_where/reset"));
    let reset = post(
        &mut admin,
        "/t/demo/staff/pages/texts/number1_where/reset",
        &[],
    )
    .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);
    admin
        .get(reset.location.as_deref().unwrap())
        .await
        .assert_text("文言を初期値に戻しました。");
    ja.get("/t/demo/entry")
        .await
        .assert_text("ハガキの宛名面、右肩のQRコードの上に印字されている番号です。");
    en.get("/t/demo/entry").await.assert_text(
        "The number printed above the QR code at the top right of the postcard's address side.",
    );
    // The call-centre line's default is none at all.
    post(
        &mut admin,
        "/t/demo/staff/pages/texts/call_centre/reset",
        &[],
    )
    .await;
    ja.get("/t/demo/").await.assert_no_text("お問い合わせ:");
    // A Japanese emptied hides the text.
    save_text(&mut admin, "done_note", "", "").await;
    let done = {
        let mut again = resident.clone();
        again.set_cookie("mdg_lang", "ja");
        again.get("/t/demo/apply/done").await
    };
    assert!(
        !done.body.contains("class=\"page-text\""),
        "{}",
        done.text()
    );

    // Saving what is there changes nothing and writes nothing.
    let same = post(
        &mut admin,
        "/t/demo/staff/pages/texts/bring",
        &[
            ("ja", "交付通知書と\r\n運転免許証をお持ちください。"),
            ("en", ""),
        ],
    )
    .await;
    assert!(same.location.as_deref().unwrap().contains("done=unchanged"));

    let log = audit_text(&mut admin).await;
    assert!(log.contains("画面の文言の変更"), "{log}");
    assert!(
        log.contains("画面の文言を変更: サイト名(日本語)初期値→「みどり市 カード受取予約」、(英語)日本語と同じ→「Midori City card pickup」"),
        "{log}"
    );
    assert!(
        log.contains("サイト名(英語)「Midori City card pickup」→日本語と同じ"),
        "{log}"
    );
    assert!(
        log.contains("画面の文言を初期値に戻す: 番号1の説明(日本語)「ハガキの右上、⏎<b>赤い枠</b>の中の番号です。」→初期値"),
        "{log}"
    );
    assert!(
        log.contains(
            "予約完了画面のお知らせ(日本語)「当日は北口からお入りください。」→(表示しない)"
        ),
        "{log}"
    );
    assert_eq!(log.matches("持ち物(日本語)").count(), 1, "{log}");
}
on_both_databases!(each_text_shows_in_both_languages_and_goes_back_to_its_default);

async fn mistakes_are_explained_next_to_their_field(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let long = "あ".repeat(61);
    let page = post(
        &mut admin,
        "/t/demo/staff/pages/texts/site_name",
        &[("ja", &long), ("en", "Two\r\nlines")],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains(
        "id=\"text-site_name-ja-error\">60文字以内で入力してください(いまは61文字です)。"
    ));
    assert!(
        page.body.contains(
            "id=\"text-site_name-en-error\">改行は入れられません。1行で入力してください。"
        )
    );
    assert!(
        page.body.contains(&format!("value=\"{long}\"")),
        "what was typed stays"
    );
    page.assert_text("サイト名(日本語): 60文字以内で入力してください");
    assert!(page.body.contains("href=\"#text-site_name-ja\""));
    let empty = post(
        &mut admin,
        "/t/demo/staff/pages/texts/site_name",
        &[("ja", " "), ("en", "")],
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .body
            .contains("id=\"text-site_name-ja-error\">サイト名を入力してください。")
    );
    let page = post(
        &mut admin,
        "/t/demo/staff/pages/texts/done_note",
        &[("ja", &"い".repeat(601)), ("en", "")],
    )
    .await;
    assert!(page.body.contains(
        "id=\"text-done_note-ja-error\">600文字以内で入力してください(いまは601文字です)。"
    ));
    let unknown = post(
        &mut admin,
        "/t/demo/staff/pages/texts/nope",
        &[("ja", "x"), ("en", "")],
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let mut resident = app.client();
    resident
        .get("/t/demo/")
        .await
        .assert_text("デモ市 マイナンバーカード受取予約");
    assert!(!audit_text(&mut admin).await.contains("画面の文言を"));
}
on_both_databases!(mistakes_are_explained_next_to_their_field);

async fn other_municipalities_clerks_and_instances(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    madoguchi::db::tenants::create_tenant(app.db(), "other", "他市", 0)
        .await
        .unwrap();
    // A second instance that has shown the pages before the change.
    let second =
        madoguchi::server::build_app(test_settings(app.database_url(), true), app.clock.clone())
            .await
            .unwrap();
    let mut elsewhere = Client::new(madoguchi::web::router(second));
    elsewhere
        .get("/t/demo/")
        .await
        .assert_text("デモ市 マイナンバーカード受取予約");

    let mut admin = app.admin_client().await;
    save_text(&mut admin, "site_name", "みどり市 カード受取予約", "").await;
    save_text(&mut admin, "call_centre", "みどり市コールセンター", "").await;
    let picture = png(30, 10, 9);
    upload(
        &mut admin,
        "みどり市",
        "",
        Some(("m.png", "image/png", &picture)),
    )
    .await;

    // The other instance shows it on its next page.
    let home = elsewhere.get("/t/demo/").await;
    home.assert_text("みどり市 カード受取予約");
    home.assert_text("みどり市コールセンター");
    let src = header_image_src(&home).expect("the picture on the other instance");
    assert_eq!(elsewhere.get_bytes(&src).await, (StatusCode::OK, picture));

    // Another municipality: its own defaults, and the picture is not under its name.
    let mut resident = app.client();
    let other = resident.get("/t/other/").await;
    other.assert_text("他市 マイナンバーカード受取予約");
    other.assert_no_text("みどり市");
    assert_eq!(header_image_src(&other), None);
    let theirs = src.replace("/t/demo/", "/t/other/");
    assert_eq!(resident.get(&theirs).await.status, StatusCode::NOT_FOUND);

    // A clerk has no such page, and no link to it.
    let mut clerk = app.staff_client("sato", Role::Clerk).await;
    let roster = clerk.get("/t/demo/staff/roster").await;
    assert!(!roster.body.contains("/staff/pages\""));
    assert!(
        admin
            .get("/t/demo/staff/roster")
            .await
            .body
            .contains("/staff/pages\">画面の文言</a>")
    );
    assert_eq!(clerk.get(PAGES).await.status, StatusCode::NOT_FOUND);
    let token = csrf(&roster.body);
    let posted = clerk
        .post_form(
            "/t/demo/staff/pages/texts/site_name",
            &[("csrf", &token), ("ja", "乗っ取り"), ("en", "")],
        )
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    let posted = clerk
        .post_multipart_typed(
            "/t/demo/staff/pages/image",
            &[("csrf", &token), ("alt_ja", "x")],
            &[("file", "x.png", "image/png", &png(2, 2, 1))],
        )
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    let posted = clerk
        .post_form("/t/demo/staff/pages/image/delete", &[("csrf", &token)])
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    resident
        .get("/t/demo/")
        .await
        .assert_text("みどり市 カード受取予約");
    // Without the CSRF token, an admin's form is refused too.
    let forged = admin
        .post_form(
            "/t/demo/staff/pages/texts/site_name",
            &[("ja", "x"), ("en", "")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}
on_both_databases!(other_municipalities_clerks_and_instances);
