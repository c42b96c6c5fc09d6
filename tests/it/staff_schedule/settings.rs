//! 設定 and お知らせ of the admin console: mistakes explained beside the field, and what
//! residents see changing at once.
use axum::http::StatusCode;
use madoguchi::db::tenants;
use time::macros::date;

use crate::common::client::Client;
use crate::common::{Backend, TestApp, csrf};
use crate::on_both_databases;

use super::{BRANCH, audit_rows, day, post, value};

async fn settings_explain_mistakes_and_change_what_residents_see(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let branch = app.counter_id(BRANCH).await;
    let branch_id = branch.to_string();
    let mut admin = app.admin_client().await;
    let page = admin.get("/t/demo/staff/settings").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_text("確認メールの有効期限(分)");
    assert!(page.body.contains("value=\"AAA-999999\""));
    let token = csrf(&page.body);
    let settings = |overrides: &[(&'static str, &'static str)]| {
        let mut fields = vec![
            ("faq_url", "https://example.jp/faq"),
            ("number1_format", "aaa-999999"),
            ("number2_format", "AAAAAAAAAAAAAAAAAA"),
            ("verification_ttl_min", "30"),
            ("hold_ttl_min", "5"),
            ("max_party_size", "２"),
            ("pinned_counter_id", ""),
        ];
        for (k, v) in overrides {
            fields.retain(|(name, _)| name != k);
            fields.push((k, v));
        }
        fields
    };
    let send = async |admin: &mut Client, fields: Vec<(&str, &str)>, pinned: &str| {
        let mut all = vec![("csrf", token.as_str())];
        all.extend(
            fields
                .into_iter()
                .filter(|(k, _)| *k != "pinned_counter_id"),
        );
        all.push(("pinned_counter_id", pinned));
        admin.post_form("/t/demo/staff/settings", &all).await
    };

    let bad = send(
        &mut admin,
        settings(&[
            ("number1_format", "AAA?999999"),
            ("max_party_size", "11"),
            ("verification_ttl_min", "4"),
            ("hold_ttl_min", "61"),
        ]),
        "",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_text("番号の書式「AAA?999999」に使えない文字「?」があります。");
    bad.assert_text("1から10までの数字で入力してください。");
    assert!(
        bad.body
            .contains("id=\"settings-max_party_size-error\">1から10までの数字で入力してください。"),
        "the message stands next to its field"
    );
    bad.assert_text("5から1440までの数字で入力してください。");
    bad.assert_text("3から60までの数字で入力してください。");
    assert!(bad.body.contains("value=\"AAA?999999\""));
    assert!(
        bad.body.contains(&value("https://example.jp/faq")),
        "other values stay as typed"
    );
    let tenant = app.demo_tenant().await;
    assert_eq!(
        (tenant.max_party_size, tenant.faq_url.as_deref()),
        (4, None),
        "nothing saved"
    );

    let saved = send(&mut admin, settings(&[]), &branch_id).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    admin
        .get(saved.location.as_deref().unwrap())
        .await
        .assert_text("設定を保存しました。");
    let tenant = app.demo_tenant().await;
    assert_eq!(tenant.max_party_size, 2);
    assert_eq!(tenant.number1_format, "AAA-999999");
    assert_eq!((tenant.verification_ttl_min, tenant.hold_ttl_min), (30, 5));
    assert_eq!(tenant.pinned_counter_id, Some(branch));
    assert_eq!(tenant.faq_url.as_deref(), Some("https://example.jp/faq"));

    // Residents: two people at most, the FAQ link.
    let mut resident = app.client();
    let entry = resident.get("/t/demo/entry").await;
    assert!(entry.body.contains(">2人</option>"), "{}", entry.text());
    assert!(!entry.body.contains(">3人</option>"));
    let home = resident.get("/t/demo/").await;
    assert!(
        home.body
            .contains(&value("https://example.jp/faq").replace("value=", "href="))
    );

    // Saving the same again changes nothing and writes no entry.
    let same = send(&mut admin, settings(&[]), &branch_id).await;
    assert!(same.location.as_deref().unwrap().contains("done=unchanged"));
    let audit = audit_rows(&app, "settings_change").await;
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert!(audit[0].contains("同時予約の最大人数 4人→2人"), "{audit:?}");
    assert!(audit[0].contains("窓口の固定 なし→北支所"), "{audit:?}");

    // The pinned counter cannot be stopped while it is pinned.
    let path = format!("/t/demo/staff/schedule/counters/{branch}/active");
    let stop = post(&mut admin, &path, &[("active", "0")]).await;
    assert_eq!(stop.status, StatusCode::UNPROCESSABLE_ENTITY);
    stop.assert_text("先に固定を解除してください。");
    assert_eq!(day(&app, branch, date!(2026 - 12 - 02)).await.len(), 35);

    // An inactive or unknown counter cannot be pinned.
    let unknown = send(&mut admin, settings(&[]), "999999").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    unknown.assert_text("受付中の窓口を選んでください。");
}
on_both_databases!(settings_explain_mistakes_and_change_what_residents_see);

async fn announcements_show_on_the_home_page_at_once(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let page = admin.get("/t/demo/staff/settings").await;
    page.assert_text("マイナンバーカードの受取予約について");
    let token = csrf(&page.body);
    let mut resident = app.client();

    let empty = admin
        .post_form(
            "/t/demo/staff/settings/announcements",
            &[
                ("csrf", &token),
                ("title", " "),
                ("body", "本文だけ"),
                ("position", "x"),
                ("published", "1"),
            ],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    empty.assert_text("入力してください。");
    empty.assert_text("0から999までの数字で入力してください。");
    assert!(empty.body.contains("本文だけ</textarea>"));

    let added = admin
        .post_form(
            "/t/demo/staff/settings/announcements",
            &[
                ("csrf", &token),
                ("title", "年末年始の窓口について"),
                ("body", "12月29日から1月3日まではお休みです。"),
                ("position", "０"),
                ("published", "1"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text());
    let home = resident.get("/t/demo/").await;
    home.assert_text("年末年始の窓口について");
    home.assert_text("12月29日から1月3日まではお休みです。");
    let first_title = home.text().find("年末年始の窓口について").unwrap();
    assert!(
        first_title
            < home
                .text()
                .find("マイナンバーカードの受取予約について")
                .unwrap(),
        "position 0 comes first"
    );

    let tenant = app.demo_tenant().await;
    let id = tenants::all_announcements(app.db(), tenant.id)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.title == "年末年始の窓口について")
        .unwrap()
        .id;
    let base = format!("/t/demo/staff/settings/announcements/{id}");

    let hidden = admin
        .post_form(
            &format!("{base}/published"),
            &[("csrf", &token), ("published", "0")],
        )
        .await;
    assert_eq!(hidden.status, StatusCode::SEE_OTHER);
    resident
        .get("/t/demo/")
        .await
        .assert_no_text("年末年始の窓口について");
    admin
        .get("/t/demo/staff/settings")
        .await
        .assert_text("非公開");
    admin
        .post_form(
            &format!("{base}/published"),
            &[("csrf", &token), ("published", "1")],
        )
        .await;
    resident
        .get("/t/demo/")
        .await
        .assert_text("年末年始の窓口について");

    let edited = admin
        .post_form(
            &base,
            &[
                ("csrf", &token),
                ("title", "年末年始のお休み"),
                ("body", "12月29日〜1月3日"),
                ("position", "0"),
            ],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER);
    let home = resident.get("/t/demo/").await;
    home.assert_text("年末年始のお休み");
    home.assert_no_text("年末年始の窓口について");

    let bad_edit = admin
        .post_form(
            &base,
            &[
                ("csrf", &token),
                ("title", ""),
                ("body", "残す本文"),
                ("position", "0"),
            ],
        )
        .await;
    assert_eq!(bad_edit.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_edit.body.contains("残す本文</textarea>"));

    let deleted = admin
        .post_form(&format!("{base}/delete"), &[("csrf", &token)])
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    resident
        .get("/t/demo/")
        .await
        .assert_no_text("年末年始のお休み");

    let audit = audit_rows(&app, "settings_change").await;
    assert_eq!(audit.len(), 5, "{audit:?}");
    assert!(
        audit.iter().all(|d| d.starts_with("お知らせ「")),
        "{audit:?}"
    );
    assert!(audit.iter().any(|d| d.contains("を追加(公開)")));
    assert!(audit.iter().any(|d| d.contains("を非公開に")));
    assert!(audit.iter().any(|d| d.contains("を削除")));
}
on_both_databases!(announcements_show_on_the_home_page_at_once);
