//! The server's face before any booking: home page, health, the demo's sample page.
use axum::http::StatusCode;

use crate::common::{Backend, TestApp};
use crate::on_both_databases;

async fn home_page_shows_the_demo_municipality(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();

    let root = client.get("/").await;
    assert_eq!(root.status, StatusCode::SEE_OTHER);
    assert_eq!(root.location.as_deref(), Some("/t/demo/"));

    let home = client.get("/t/demo/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.starts_with("<!DOCTYPE html>"));
    assert!(home.body.contains("<html lang=\"ja\">"));
    assert!(home.body.contains("name=\"viewport\""));
    home.assert_text("デモ市 マイナンバーカード受取予約");
    home.assert_text("お知らせ");
    home.assert_text("マイナンバーカードの受取予約について");
    home.assert_text("受取予約をする");
    home.assert_text("予約を照会する");
    home.assert_text("本庁舎 市民課");
    home.assert_text("デモ市中央1丁目1番1号 本庁舎1階");
    home.assert_text("北支所");
    home.assert_text("デモ市北町2丁目3番4号");
    assert!(home.body.contains("href=\"/t/demo/entry\""));
    assert!(home.body.contains("href=\"/t/demo/lookup\""));
    assert_eq!(
        home.headers.get("x-content-type-options").unwrap(),
        "nosniff"
    );
    assert!(
        home.headers
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );

    let css = client.get("/static/app.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.body.contains("--brand"));
}
on_both_databases!(home_page_shows_the_demo_municipality);

async fn unknown_pages_are_a_japanese_404(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    for path in ["/t/nowhere/", "/no/such/page", "/static/../Cargo.toml"] {
        let page = client.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        page.assert_text("ページが見つかりません");
    }
}
on_both_databases!(unknown_pages_are_a_japanese_404);

async fn health_and_readiness(backend: Backend) {
    let Some(app) = TestApp::empty(backend).await else {
        return;
    };
    let mut client = app.client();
    let health = client.get("/healthz").await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (StatusCode::OK, "ok")
    );
    let ready = client.get("/readyz").await;
    assert_eq!(
        (ready.status, ready.body.as_str()),
        (StatusCode::OK, "ready")
    );
}
on_both_databases!(health_and_readiness);

async fn without_tenants_the_root_page_says_how_to_add_one(backend: Backend) {
    let Some(app) = TestApp::empty(backend).await else {
        return;
    };
    let page = app.client().get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_text("まだ自治体が登録されていません");
}
on_both_databases!(without_tenants_the_root_page_says_how_to_add_one);

async fn several_tenants_are_listed(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    madoguchi::db::tenants::create_tenant(app.db(), "minato", "港区", 0)
        .await
        .unwrap();
    let page = app.client().get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_text("デモ市");
    page.assert_text("港区");
    assert!(page.body.contains("href=\"/t/minato/\""));
}
on_both_databases!(several_tenants_are_listed);

async fn sample_page_lists_one_hundred_notices_in_development(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let page = app.client().get("/dev/samples").await;
    assert_eq!(page.status, StatusCode::OK);
    // 100 notices for card pickup and 20 tickets for vaccination, in two tables.
    assert_eq!(page.body.matches("<tr><td><code>").count(), 120);
    page.assert_text("サンプル 100 件");
    page.assert_text("接種券 20 件");
    page.assert_text("2026000001 19400401");
    page.assert_text("番号2の入力が必要");
    page.assert_text("admin");
    // Number 1 shown as printed on the card: 3 characters, hyphen, 6 digits.
    let first = madoguchi::demo::sample_notices()[0].number1.clone();
    page.assert_text(&format!("{}-{}", &first[..3], &first[3..]));
}
on_both_databases!(sample_page_lists_one_hundred_notices_in_development);

async fn demo_is_created_once(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let created = madoguchi::demo::ensure(app.db(), app.clock.today(), app.clock.now_unix())
        .await
        .unwrap();
    assert!(!created, "a second start must not create a second demo");
    let tenant = madoguchi::db::tenants::find_by_slug(app.db(), "demo")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        madoguchi::db::notices::count(app.db(), tenant.id)
            .await
            .unwrap(),
        100
    );
}
on_both_databases!(demo_is_created_once);
