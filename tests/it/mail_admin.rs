//! メール送信状況: the admin's view of mails that failed for good or are still retrying,
//! and the [再送する] button.
use axum::http::StatusCode;
use madoguchi::db::outbox::{self, OutgoingMail};
use madoguchi::db::tenants::Role;

use crate::common::client::Client;
use crate::common::{Backend, START_UNIX, TestApp, csrf};
use crate::on_both_databases;

const PAGE: &str = "/t/demo/staff/mail";

fn mail(to: &str, subject: &str) -> OutgoingMail {
    OutgoingMail {
        to: to.into(),
        subject: subject.into(),
        text: "本文".into(),
        html: None,
        ics: None,
        inline_png: None,
    }
}

/// Queues a mail for `tenant_id` and fails it `failures` times as the worker would.
async fn queue_failing(
    app: &TestApp,
    tenant_id: i64,
    to: &str,
    subject: &str,
    failures: i32,
) -> i64 {
    outbox::enqueue(app.db(), Some(tenant_id), &mail(to, subject), START_UNIX)
        .await
        .unwrap();
    let mut id = None;
    let mut now = START_UNIX;
    for _ in 0..failures {
        let claimed = outbox::claim_due(app.db(), now, 60, 100).await.unwrap();
        let mine = claimed.iter().find(|m| m.to == to).expect("due").id;
        // The others go back untouched (their lease ends below).
        outbox::mark_failed(app.db(), mine, "421 4.3.2 Service not available", now)
            .await
            .unwrap();
        id = Some(mine);
        now += 10_000;
    }
    id.expect("at least one failure")
}

/// A logged-in member of staff of the municipality `slug`.
async fn login(app: &TestApp, slug: &str, login: &str, role: Role) -> Client {
    let tenant = madoguchi::db::tenants::find_by_slug(app.db(), slug)
        .await
        .unwrap()
        .unwrap();
    let password = format!("{login}-password-123");
    let hash = madoguchi::secrets::hash_password(&password);
    madoguchi::db::tenants::add_staff(app.db(), tenant.id, login, login, &hash, role, 0)
        .await
        .unwrap();
    let mut client = app.client();
    let form = client.get(&format!("/t/{slug}/staff/login")).await;
    let done = client
        .post_form(
            &format!("/t/{slug}/staff/login"),
            &[
                ("csrf", &csrf(&form.body)),
                ("login", login),
                ("password", &password),
            ],
        )
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some(format!("/t/{slug}/staff/roster").as_str())
    );
    client
}

async fn admins_see_failed_mails_and_resend_them(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let demo = app.demo_tenant().await;
    let failed = queue_failing(
        &app,
        demo.id,
        "taro.yamada@example.jp",
        "【予約完了通知メール】",
        outbox::MAX_ATTEMPTS,
    )
    .await;
    queue_failing(
        &app,
        demo.id,
        "hanako@example.jp",
        "【連絡先アドレス確認メール】",
        1,
    )
    .await;
    // Another municipality's failed mail is not shown here, nor resendable from here.
    let other = madoguchi::db::tenants::create_tenant(app.db(), "other", "他市", 0)
        .await
        .unwrap();
    let foreign = queue_failing(
        &app,
        other,
        "jiro@example.jp",
        "他市のメール",
        outbox::MAX_ATTEMPTS,
    )
    .await;

    let mut admin = app.admin_client().await;
    let roster = admin.get("/t/demo/staff/roster").await;
    assert!(
        roster.body.contains("href=\"/t/demo/staff/mail\""),
        "nav link"
    );
    let page = admin.get(PAGE).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.headers.get("cache-control").unwrap(),
        "no-store",
        "addresses are personal data"
    );
    let text = page.text();
    let failed_part = text
        .split("送信できなかったメール")
        .nth(1)
        .unwrap()
        .split("送り直しを待っているメール")
        .next()
        .unwrap();
    assert!(failed_part.contains("ta***@example.jp"), "{failed_part}");
    assert!(failed_part.contains("【予約完了通知メール】"));
    assert!(failed_part.contains("12回"));
    assert!(failed_part.contains("421 4.3.2 Service not available"));
    assert!(!failed_part.contains("ha***@example.jp"), "still retrying");
    let retrying_part = text.split("送り直しを待っているメール").nth(1).unwrap();
    assert!(
        retrying_part.contains("ha***@example.jp"),
        "{retrying_part}"
    );
    assert!(retrying_part.contains("1回"));
    for hidden in ["taro.yamada@", "hanako@", "jiro", "他市のメール"] {
        assert!(!page.body.contains(hidden), "{hidden} shown");
    }

    // Without the CSRF token nothing changes.
    let forged = admin
        .post_form(&format!("{PAGE}/{failed}/resend"), &[("csrf", "forged")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(app.mails_to("taro.yamada@example.jp").await.is_empty());
    // Another municipality's mail id: nothing happens.
    let token = csrf(&page.body);
    let stale = admin
        .post_form(&format!("{PAGE}/{foreign}/resend"), &[("csrf", &token)])
        .await;
    assert_eq!(
        stale.location.as_deref(),
        Some("/t/demo/staff/mail?result=stale")
    );
    assert!(app.mails_to("jiro@example.jp").await.is_empty());

    let resent = admin
        .post_form(&format!("{PAGE}/{failed}/resend"), &[("csrf", &token)])
        .await;
    assert_eq!(
        resent.location.as_deref(),
        Some("/t/demo/staff/mail?result=resent")
    );
    let after = admin.get(resent.location.as_deref().unwrap()).await;
    after.assert_text("メールを再送待ちにしました");
    after.assert_text("送信できなかったメールはありません。");
    // The next delivery run sends it (the memory transport accepts it), once.
    let delivered = app.mails_to("taro.yamada@example.jp").await;
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].subject, "【予約完了通知メール】");
    // A second press (a double click, a second admin) does nothing more.
    let twice = admin
        .post_form(&format!("{PAGE}/{failed}/resend"), &[("csrf", &token)])
        .await;
    assert_eq!(
        twice.location.as_deref(),
        Some("/t/demo/staff/mail?result=stale")
    );
    assert_eq!(app.mails_to("taro.yamada@example.jp").await.len(), 1);

    let audit = admin.get("/t/demo/staff/audit").await;
    audit.assert_text("メール再送");
    audit.assert_text("【予約完了通知メール】");
    assert!(!audit.body.contains("taro.yamada"));
}
on_both_databases!(admins_see_failed_mails_and_resend_them);

async fn clerks_and_other_municipalities_get_not_found(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let demo = app.demo_tenant().await;
    let failed = queue_failing(
        &app,
        demo.id,
        "taro@example.jp",
        "件名",
        outbox::MAX_ATTEMPTS,
    )
    .await;
    let mut clerk = app.staff_client("clerk1", Role::Clerk).await;
    let roster = clerk.get("/t/demo/staff/roster").await;
    assert!(
        !roster.body.contains("/staff/mail\""),
        "no nav link for clerks"
    );
    assert_eq!(clerk.get(PAGE).await.status, StatusCode::NOT_FOUND);
    let refused = clerk
        .post_form(
            &format!("{PAGE}/{failed}/resend"),
            &[("csrf", &csrf(&roster.body))],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);

    madoguchi::db::tenants::create_tenant(app.db(), "other", "他市", 0)
        .await
        .unwrap();
    for role in [Role::Clerk, Role::Admin] {
        let mut outsider = login(&app, "other", &format!("other-{}", role.as_str()), role).await;
        let own = outsider.get("/t/other/staff/roster").await;
        let page = outsider.get(PAGE).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{role:?}");
        page.assert_text("ページが見つかりません");
        let post = outsider
            .post_form(
                &format!("{PAGE}/{failed}/resend"),
                &[("csrf", &csrf(&own.body))],
            )
            .await;
        assert_eq!(post.status, StatusCode::NOT_FOUND, "{role:?}");
    }
    // Nothing was resent by any of them.
    assert!(app.mails_to("taro@example.jp").await.is_empty());
    let (still_failed, _) = outbox::troubled(app.db(), demo.id, 10).await.unwrap();
    assert_eq!(still_failed.len(), 1);
}
on_both_databases!(clerks_and_other_municipalities_get_not_found);
