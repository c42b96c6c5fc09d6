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
                ("password", "wrong-Zq9-password"),
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
                ("password", "another-Xk7-guess"),
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

    // The admin's audit page shows the failed attempts with the login typed (never the
    // password, never a member of staff), and the logout.
    let mut admin = app.admin_client().await;
    let audit = admin.get("/t/demo/staff/audit").await;
    assert_eq!(audit.status, StatusCode::OK);
    audit.assert_text("ログイン失敗 ログイン失敗(ログインID「admin」)");
    audit.assert_text("ログイン失敗 ログイン失敗(ログインID「nobody」)");
    audit.assert_text("ログアウト ログアウト");
    audit.assert_no_text("wrong-Zq9-password");
    audit.assert_no_text("another-Xk7-guess");
    let tenant = app.demo_tenant().await;
    let entries = madoguchi::db::audit::list(app.db(), tenant.id, None, 50)
        .await
        .unwrap();
    let failed: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "login_failed")
        .collect();
    assert_eq!(failed.len(), 2);
    assert!(failed.iter().all(|e| e.staff_name.is_none()), "{failed:?}");
    let logouts: Vec<_> = entries.iter().filter(|e| e.action == "logout").collect();
    assert_eq!(logouts.len(), 1);
    assert_eq!(logouts[0].staff_name.as_deref(), Some("デモ管理者"));
}
on_both_databases!(login_logout_and_idle_timeout);

async fn the_session_id_changes_at_login(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    // Someone plants a session cookie in the browser of a clerk before the clerk logs in.
    let planted = "planted-session-id-0123456789";
    let mut clerk = app.client();
    clerk.set_cookie("mdg_staff", planted);
    let page = clerk.get("/t/demo/staff/login").await;
    let done = clerk
        .post_form(
            "/t/demo/staff/login",
            &[
                ("csrf", &csrf(&page.body)),
                ("login", madoguchi::demo::ADMIN_LOGIN),
                ("password", madoguchi::demo::ADMIN_PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.location.as_deref(), Some("/t/demo/staff/roster"));
    let issued = clerk
        .cookie("mdg_staff")
        .expect("a session cookie")
        .to_string();
    assert_ne!(issued, planted, "a new id at login");
    assert_eq!(
        clerk.get("/t/demo/staff/roster").await.status,
        StatusCode::OK
    );
    // The planter's copy opens nothing.
    let mut planter = app.client();
    planter.set_cookie("mdg_staff", planted);
    let tried = planter.get("/t/demo/staff/roster").await;
    assert_eq!(tried.location.as_deref(), Some("/t/demo/staff/login"));

    // A live session copied before a second login stops working with it, too.
    let mut copier = app.client();
    copier.set_cookie("mdg_staff", &issued);
    assert_eq!(
        copier.get("/t/demo/staff/roster").await.status,
        StatusCode::OK
    );
    let page = clerk.get("/t/demo/staff/login").await;
    clerk
        .post_form(
            "/t/demo/staff/login",
            &[
                ("csrf", &csrf(&page.body)),
                ("login", madoguchi::demo::ADMIN_LOGIN),
                ("password", madoguchi::demo::ADMIN_PASSWORD),
            ],
        )
        .await;
    let second = clerk.cookie("mdg_staff").unwrap().to_string();
    assert_ne!(second, issued);
    let stale = copier.get("/t/demo/staff/roster").await;
    assert_eq!(stale.location.as_deref(), Some("/t/demo/staff/login"));
    assert_eq!(
        clerk.get("/t/demo/staff/roster").await.status,
        StatusCode::OK
    );
}
on_both_databases!(the_session_id_changes_at_login);

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
    // A session for デモ市 opens nothing at another municipality: its console answers as
    // if it did not exist, and logging out there ends nothing.
    madoguchi::db::tenants::create_tenant(app.db(), "other", "他市", 0)
        .await
        .unwrap();
    for path in [
        "/t/other/staff/roster",
        "/t/other/staff/phone",
        "/t/other/staff/audit",
    ] {
        let other = clerk.get(path).await;
        assert_eq!(other.status, StatusCode::NOT_FOUND, "{path}");
        other.assert_text("ページが見つかりません");
    }
    let roster = clerk.get("/t/demo/staff/roster").await;
    let out = clerk
        .post_form("/t/other/staff/logout", &[("csrf", &csrf(&roster.body))])
        .await;
    assert_eq!(out.status, StatusCode::NOT_FOUND);
    assert_eq!(
        clerk.get("/t/demo/staff/roster").await.status,
        StatusCode::OK,
        "still logged in at デモ市"
    );
    // Without a session, the other municipality's console still leads to its login.
    let anonymous = app.client().get("/t/other/staff/roster").await;
    assert_eq!(anonymous.location.as_deref(), Some("/t/other/staff/login"));
}
on_both_databases!(clerks_do_not_see_admin_pages_nor_other_tenants);

async fn ids_that_are_not_numbers_are_pages_that_do_not_exist(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let token = csrf(&admin.get("/t/demo/staff/roster").await.body);
    let not_found = |page: &crate::common::client::Page, what: &str| {
        assert_eq!(
            page.status,
            StatusCode::NOT_FOUND,
            "{what}: {}",
            page.text()
        );
        assert_eq!(
            page.headers
                .get("content-type")
                .map(|v| v.to_str().unwrap()),
            Some("text/html; charset=utf-8"),
            "{what}"
        );
        page.assert_text("ページが見つかりません");
        page.assert_text("お探しのページは見つかりませんでした。");
    };
    let too_big = "99999999999999999999999";
    for id in ["abc", "1.5", "-", too_big, "%E4%BA%88"] {
        for rest in ["", "/cancel", "/slots", "/change", "/password"] {
            let path = format!("/t/demo/staff/bookings/{id}{rest}");
            not_found(&admin.get(&path).await, &path);
        }
        for path in [
            format!("/t/demo/staff/bookings/{id}/cancel"),
            format!("/t/demo/staff/bookings/{id}/password"),
            format!("/t/demo/staff/bookings/{id}/status"),
            format!("/t/demo/staff/import/{id}/commit"),
            format!("/t/demo/staff/schedule/counters/{id}"),
            format!("/t/demo/staff/schedule/counters/{id}/active"),
            format!("/t/demo/staff/schedule/templates/{id}"),
            format!("/t/demo/staff/schedule/templates/{id}/delete"),
            format!("/t/demo/staff/schedule/closures/{id}/delete"),
            format!("/t/demo/staff/settings/announcements/{id}"),
            format!("/t/demo/staff/settings/announcements/{id}/published"),
            format!("/t/demo/staff/settings/announcements/{id}/delete"),
        ] {
            let page = admin
                .post_form(&path, &[("csrf", &token), ("status", "visited")])
                .await;
            not_found(&page, &path);
        }
        let path = format!("/t/demo/staff/import/{id}");
        not_found(&admin.get(&path).await, &path);
    }
    // The same without a session: nothing to log in to.
    let mut anonymous = app.client();
    not_found(
        &anonymous.get("/t/demo/staff/bookings/abc").await,
        "anonymous",
    );
    // A municipality in the URL that is not valid text (residents' pages and the console).
    for path in [
        "/t/%FF/",
        "/t/%FF/lookup",
        "/t/%FF/booking",
        "/t/%FF/staff/roster",
    ] {
        not_found(&anonymous.get(path).await, path);
    }
}
on_both_databases!(ids_that_are_not_numbers_are_pages_that_do_not_exist);
