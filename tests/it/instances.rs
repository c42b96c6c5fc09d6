//! Sessions live in the database: behind a load balancer, a browser's next request may
//! reach another instance and carries on there.
use axum::http::StatusCode;

use crate::common::client::Client;
use crate::common::{Backend, TestApp, csrf, test_settings};
use crate::on_both_databases;

async fn a_session_started_on_one_instance_continues_on_another(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let second =
        madoguchi::server::build_app(test_settings(app.database_url(), true), app.clock.clone())
            .await
            .unwrap();
    let admin = app.admin_client().await;
    let mut elsewhere = Client::new(madoguchi::web::router(second.clone())).with_cookies_of(&admin);
    let roster = elsewhere.get("/t/demo/staff/roster").await;
    assert_eq!(roster.status, StatusCode::OK, "{:?}", roster.location);
    // A form from one instance is accepted by the other (the CSRF key is shared).
    let out = elsewhere
        .post_form("/t/demo/staff/logout", &[("csrf", &csrf(&roster.body))])
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    // Logged out everywhere: the first instance no longer knows the session either.
    let mut again = admin.clone();
    let page = again.get("/t/demo/staff/roster").await;
    assert_eq!(page.location.as_deref(), Some("/t/demo/staff/login"));
}
on_both_databases!(a_session_started_on_one_instance_continues_on_another);
