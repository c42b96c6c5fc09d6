//! Staff login, logout, idle timeout and roles.
use axum::http::StatusCode;
use madoguchi::db::tenants::Role;

use crate::common::{Backend, TestApp, csrf};
use crate::on_both_databases;

async fn login_logout_and_idle_timeout(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut anonymous = app.client();
    let redirected = anonymous.get("/t/demo/staff/roster").await;
    assert_eq!(redirected.location.as_deref(), Some("/t/demo/staff/login"));

    let page = anonymous.get("/t/demo/staff/login").await;
    page.assert_text("職員ログイン");
    let wrong = anonymous
        .post_form(
            "/t/demo/staff/login",
            &[
                ("csrf", &csrf(&page.body)),
                ("login", "admin"),
                ("password", "nope"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_text("ログインIDまたはパスワードが正しくありません。");
    let unknown = anonymous
        .post_form(
            "/t/demo/staff/login",
            &[
                ("csrf", &csrf(&page.body)),
                ("login", "nobody"),
                ("password", "nope"),
            ],
        )
        .await;
    unknown.assert_text("ログインIDまたはパスワードが正しくありません。");

    let mut admin = app.admin_client().await;
    let roster = admin.get("/t/demo/staff/roster").await;
    assert_eq!(roster.status, StatusCode::OK);

    // 31 idle minutes end the session.
    app.clock.advance(31 * 60);
    let expired = admin.get("/t/demo/staff/roster").await;
    assert_eq!(expired.location.as_deref(), Some("/t/demo/staff/login"));

    let mut admin = app.admin_client().await;
    let roster = admin.get("/t/demo/staff/roster").await;
    let out = admin
        .post_form("/t/demo/staff/logout", &[("csrf", &csrf(&roster.body))])
        .await;
    assert_eq!(out.location.as_deref(), Some("/t/demo/staff/login"));
    let after = admin.get("/t/demo/staff/roster").await;
    assert_eq!(after.location.as_deref(), Some("/t/demo/staff/login"));
}
on_both_databases!(login_logout_and_idle_timeout);

async fn clerks_do_not_see_admin_pages_nor_other_tenants(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut clerk = app.staff_client("clerk1", Role::Clerk).await;
    assert_eq!(
        clerk.get("/t/demo/staff/roster").await.status,
        StatusCode::OK
    );
    for admin_page in [
        "/t/demo/staff/schedule",
        "/t/demo/staff/import",
        "/t/demo/staff/settings",
        "/t/demo/staff/audit",
    ] {
        assert_eq!(
            clerk.get(admin_page).await.status,
            StatusCode::NOT_FOUND,
            "{admin_page}"
        );
    }
    // A session for デモ市 opens nothing at another municipality.
    madoguchi::db::tenants::create_tenant(app.db(), "other", "他市", 0)
        .await
        .unwrap();
    let other = clerk.get("/t/other/staff/roster").await;
    assert_eq!(other.location.as_deref(), Some("/t/other/staff/login"));
}
on_both_databases!(clerks_do_not_see_admin_pages_nor_other_tenants);
