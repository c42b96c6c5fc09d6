//! The operator's commands, run as the built binary against a test database.
use std::process::{Command, Output};

use crate::common::{Backend, TestApp, TestDb};
use crate::on_both_databases;

fn madoguchi(url: &str, production: bool, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_madoguchi"));
    cmd.args(args)
        .env("MADOGUCHI__DATABASE__URL", url)
        .env("MADOGUCHI__SERVER__BIND", "127.0.0.1:0")
        .env_remove("RUST_LOG");
    if production {
        cmd.env("MADOGUCHI__MODE", "production")
            .env("MADOGUCHI__MAIL__TRANSPORT", "smtp")
            .env("MADOGUCHI__MAIL__SMTP_URL", "smtp://127.0.0.1:1")
            .env("MADOGUCHI__DEMO__ENABLED", "false")
            .env(
                "MADOGUCHI__SECURITY__SECRET_KEY",
                "an-operator-secret-that-is-long-enough-0123456789",
            );
    }
    cmd.output().expect("running madoguchi")
}

fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

async fn production_refuses_the_demo_until_it_is_removed(backend: Backend) {
    let Some(test) = TestDb::new(backend).await else {
        return;
    };
    // `madoguchi demo` is refused in production mode and allowed in development.
    let refused = madoguchi(&test.url, true, &["demo"]);
    assert!(!refused.status.success());
    assert!(
        said(&refused).contains("refusing to create the demo"),
        "{}",
        said(&refused)
    );
    let created = madoguchi(&test.url, false, &["demo"]);
    assert!(created.status.success(), "{}", said(&created));
    assert!(said(&created).contains("created デモ市"));

    // A production server will not start while the demo municipality is in its database.
    let serve = madoguchi(&test.url, true, &["serve"]);
    assert!(!serve.status.success());
    assert!(
        said(&serve).contains("tenant remove --slug demo --confirm demo"),
        "{}",
        said(&serve)
    );
}
on_both_databases!(production_refuses_the_demo_until_it_is_removed);

async fn removing_a_municipality_takes_all_of_it_and_nothing_else(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let url = app.database_url().to_string();
    let s = madoguchi::demo::sample_notices();
    crate::resident::book(&app, &[&s[3], &s[4]], "family@example.jp").await;
    madoguchi::db::tenants::create_tenant(app.db(), "minato", "港区", 0)
        .await
        .unwrap();
    let demo = app.demo_tenant().await;
    assert_eq!(
        madoguchi::db::notices::count(app.db(), demo.id)
            .await
            .unwrap(),
        100
    );

    // The slug twice, or nothing happens.
    let careless = madoguchi(
        &url,
        false,
        &["tenant", "remove", "--slug", "demo", "--confirm", "dmeo"],
    );
    assert!(!careless.status.success());
    assert!(said(&careless).contains("nothing was deleted"));
    assert!(app.demo_tenant_exists().await);

    let removed = madoguchi(
        &url,
        false,
        &["tenant", "remove", "--slug", "demo", "--confirm", "demo"],
    );
    assert!(removed.status.success(), "{}", said(&removed));
    assert!(said(&removed).contains("removed デモ市"));
    let listed = said(&madoguchi(&url, false, &["tenant", "list"]));
    assert!(
        !listed.contains("demo") && listed.contains("minato"),
        "{listed}"
    );
    assert!(!app.demo_tenant_exists().await);
    assert_eq!(
        madoguchi::db::notices::count(app.db(), demo.id)
            .await
            .unwrap(),
        0,
        "the demo's notices are gone"
    );
}
on_both_databases!(removing_a_municipality_takes_all_of_it_and_nothing_else);

/// Every key can be set from the environment, as the README says.
async fn settings_come_from_the_environment(backend: Backend) {
    let Some(test) = TestDb::new(backend).await else {
        return;
    };
    let out = madoguchi(
        &test.url,
        false,
        &["tenant", "add", "--slug", "kita", "--name", "北区"],
    );
    assert!(out.status.success(), "{}", said(&out));
    // The tenant landed in the database named by MADOGUCHI__DATABASE__URL, not data/.
    let kita = madoguchi::db::tenants::find_by_slug(&test.db, "kita")
        .await
        .unwrap();
    assert_eq!(kita.map(|t| t.name).as_deref(), Some("北区"));
}
on_both_databases!(settings_come_from_the_environment);

/// `tenant add --vaccination` offers vaccination booking too; `tenant list` names the
/// services each municipality offers, and the vaccination pages answer only where offered.
async fn a_municipality_can_offer_vaccination_from_the_start(backend: Backend) {
    let Some(test) = TestDb::new(backend).await else {
        return;
    };
    for args in [
        &["tenant", "add", "--slug", "kita", "--name", "北区"][..],
        &[
            "tenant",
            "add",
            "--slug",
            "minami",
            "--name",
            "南区",
            "--vaccination",
        ][..],
    ] {
        let out = madoguchi(&test.url, false, args);
        assert!(out.status.success(), "{}", said(&out));
    }
    let list = madoguchi(&test.url, false, &["tenant", "list"]);
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(listed.contains("kita\t北区\tcard_pickup\n"), "{listed}");
    assert!(
        listed.contains("minami\t南区\tcard_pickup,vaccination\n"),
        "{listed}"
    );
    let minami = madoguchi::db::tenants::find_by_slug(&test.db, "minami")
        .await
        .unwrap()
        .unwrap();
    let settings = madoguchi::db::vaccination::settings(&test.db, minami.id)
        .await
        .unwrap()
        .expect("vaccination offered");
    assert_eq!(settings.intervals, "2:21d 3:5m");
    let kita = madoguchi::db::tenants::find_by_slug(&test.db, "kita")
        .await
        .unwrap()
        .unwrap();
    assert!(
        madoguchi::db::vaccination::settings(&test.db, kita.id)
            .await
            .unwrap()
            .is_none()
    );
}
on_both_databases!(a_municipality_can_offer_vaccination_from_the_start);
