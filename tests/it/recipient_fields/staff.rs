//! The console's side: the clerk's phone booking, the admin's page with its messages and
//! audit entries, clerks and other municipalities kept out, and a change seen at once by
//! another instance.
use axum::http::StatusCode;
use madoguchi::db::notices::NewNotice;
use madoguchi::db::tenants::Role;
use madoguchi::demo::sample_notices;

use super::*;
use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, csrf, test_settings};
use crate::on_both_databases;
use crate::resident::{digits, slot_labelled};

/// Adds `notice` to a phone booking and holds `cell`; the confirmation page.
async fn phone_confirm(app: &TestApp, clerk: &mut Client, notice: &NewNotice, cell: &str) -> Page {
    let found = clerk
        .get(&format!(
            "/t/demo/staff/phone?birthdate={}&number={}",
            digits(notice),
            notice.number1
        ))
        .await;
    let id = crate::common::value_after(&found.body, "name=\"notice_id\"", "value").unwrap();
    clerk
        .post_form(
            "/t/demo/staff/phone/add",
            &[("csrf", &csrf(&found.body)), ("notice_id", &id)],
        )
        .await;
    let page = clerk.get("/t/demo/staff/phone").await;
    let counter = app.counter_id("本庁舎 市民課").await.to_string();
    clerk
        .post_form(
            "/t/demo/staff/phone/choose",
            &[("csrf", &csrf(&page.body)), ("counter", &counter)],
        )
        .await;
    let grid = clerk.get("/t/demo/staff/phone/slots").await;
    let slot = slot_labelled(&grid.body, cell).unwrap();
    clerk
        .post_form(
            "/t/demo/staff/phone/slots",
            &[("csrf", &csrf(&grid.body)), ("slot", &slot)],
        )
        .await;
    clerk.get("/t/demo/staff/phone/confirm").await
}

async fn clerks_on_the_phone_ask_the_same_fields(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut admin = app.admin_client().await;
    let ids = define_fields(&mut admin).await;
    let mut clerk = app.staff_client("kato", Role::Clerk).await;
    let confirm = phone_confirm(&app, &mut clerk, &s[40], "12月2日(水) 10:00").await;
    assert_eq!(confirm.status, StatusCode::OK);
    confirm.assert_text("本人確認書類");
    confirm.assert_text("車いすの貸出(任意)");
    confirm.assert_text("フリガナ(任意)");
    assert!(!confirm.body.contains("name=\"phone_1\""));
    let draft = crate::common::value_after(&confirm.body, "name=\"draft\"", "value").unwrap();
    let choice = format!("f{}_1", ids.choice);
    let number = format!("f{}_1", ids.number);
    let yes_no = format!("f{}_1", ids.yes_no);
    // The optional ones may stay empty; the required one may not.
    let missing = clerk
        .post_form(
            "/t/demo/staff/phone/confirm",
            &[
                ("csrf", &csrf(&confirm.body)),
                ("draft", &draft),
                ("name_1", &s[40].name),
                ("kana_1", ""),
                (&number, "五"),
                ("email", ""),
            ],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_of(&missing, &choice),
        "「本人確認書類」を選んでください。"
    );
    assert_eq!(
        error_of(&missing, &number),
        "「同行者の人数」は数字で入力してください(例:3)。"
    );
    assert!(missing.body.contains("value=\"五\""));
    let done = clerk
        .post_form(
            "/t/demo/staff/phone/confirm",
            &[
                ("csrf", &csrf(&confirm.body)),
                ("draft", &draft),
                ("name_1", &s[40].name),
                ("kana_1", ""),
                (&choice, "その他"),
                (&yes_no, "yes"),
                (&number, ""),
                ("email", ""),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    done.assert_text("本人確認書類 その他");
    done.assert_text("車いすの貸出 はい");
    done.assert_no_text("同行者の人数");
    let main = app.counter_id("本庁舎 市民課").await;
    clerk
        .get(&format!(
            "/t/demo/staff/roster?date=2026-12-02&counter={main}"
        ))
        .await
        .assert_text("本人確認書類:その他 車いすの貸出:はい");
}
on_both_databases!(clerks_on_the_phone_ask_the_same_fields);

async fn audit_details(app: &TestApp) -> Vec<String> {
    let tenant = app.demo_tenant().await;
    madoguchi::db::audit::list(app.db(), tenant.id, None, 500)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "settings_change")
        .map(|r| r.detail)
        .collect()
}

async fn the_console_explains_mistakes_and_records_every_change(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let page = admin.get("/t/demo/staff/fields").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_text("受取人情報の項目");
    page.assert_text("独自の項目はありません。");
    // Today's settings as they were: name and kana required, the phone for the first person.
    assert!(
        page.body
            .contains("<option value=\"required\" selected>必須</option>")
    );
    assert!(
        page.body
            .contains("<option value=\"first\" selected>1人目のみ必須(2人目からは任意)</option>")
    );
    // Linked from the console's menu; the settings page asks no more.
    assert!(
        page.body
            .contains("href=\"/t/demo/staff/fields\">受取人情報の項目</a>")
    );
    let settings = admin.get("/t/demo/staff/settings").await;
    assert!(
        !settings.body.contains("field_name"),
        "the old checkboxes are gone"
    );

    // Mistakes: a message next to each field, what was typed kept, nothing stored.
    let bad = post(
        &mut admin,
        "/t/demo/staff/fields/extra",
        &[
            ("label_ja", ""),
            ("label_en", "ID"),
            ("kind", "choice"),
            ("choices_ja", "運転免許証"),
            ("choices_en", "a\nb\nc"),
            ("position", "１００"),
            ("required", "1"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_of(&bad, "newextra-label_ja"), "入力してください。");
    assert_eq!(
        error_of(&bad, "newextra-choices_ja"),
        "選択肢を2つ以上、1行に1つずつ入力してください。"
    );
    assert_eq!(
        error_of(&bad, "newextra-position"),
        "1から99までの数字で入力してください。"
    );
    bad.assert_text("表示順: 1から99までの数字で入力してください。");
    assert!(bad.body.contains("value=\"ID\""));
    assert!(bad.body.contains(">運転免許証</textarea>"));
    assert!(audit_details(&app).await.is_empty(), "nothing saved");
    let bad = post(
        &mut admin,
        "/t/demo/staff/fields/builtin",
        &[("name", "first"), ("kana", "required"), ("phone", "first")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_of(&bad, "builtin-name"), "一覧から選んでください。");

    // Every change is recorded with what it was and what it became.
    let ids = define_fields(&mut admin).await;
    post_ok(
        &mut admin,
        &format!("/t/demo/staff/fields/extra/{}", ids.text),
        &[
            ("label_ja", "連絡事項"),
            ("label_en", "Notes"),
            ("kind", "text"),
            ("required", "1"),
            ("active", "1"),
            ("position", "9"),
        ],
    )
    .await;
    let same = post(
        &mut admin,
        &format!("/t/demo/staff/fields/extra/{}", ids.text),
        &[
            ("label_ja", "連絡事項"),
            ("label_en", "Notes"),
            ("kind", "text"),
            ("required", "1"),
            ("active", "1"),
            ("position", "9"),
        ],
    )
    .await;
    assert!(same.location.as_deref().unwrap().contains("done=unchanged"));
    let audit = audit_details(&app).await;
    let wanted = [
        "受取人情報の項目を変更: フリガナ 必須→任意、電話番号 1人目のみ必須→尋ねない",
        "受取人情報の項目を追加: 「本人確認書類」(選択肢・必須)",
        "受取人情報の項目を追加: 「車いすの貸出」(はい・いいえ・任意)",
        "受取人情報の項目を追加: 「備考」(文字・任意)",
        "受取人情報の項目「備考」を変更: 見出し 備考→連絡事項、必須 いいえ→はい、表示順 4→9",
    ];
    for w in wanted {
        assert!(audit.iter().any(|a| a == w), "{w:?} in {audit:?}");
    }
    assert_eq!(audit.len(), 6, "one entry per change: {audit:?}");

    // Five at most.
    post_ok(
        &mut admin,
        "/t/demo/staff/fields/extra",
        &[("label_ja", "五つ目"), ("kind", "text"), ("position", "5")],
    )
    .await;
    let page = admin.get("/t/demo/staff/fields").await;
    page.assert_text("独自の項目は5つまでです。追加するには、使わない項目を削除してください。");
    let sixth = post(
        &mut admin,
        "/t/demo/staff/fields/extra",
        &[("label_ja", "六つ目"), ("kind", "text"), ("position", "6")],
    )
    .await;
    assert_eq!(sixth.status, StatusCode::UNPROCESSABLE_ENTITY);
    sixth.assert_text("独自の項目は5つまでです。");

    // Clerks get nothing: not the page, not a change.
    let mut clerk = app.staff_client("suzuki", Role::Clerk).await;
    assert_eq!(
        clerk.get("/t/demo/staff/fields").await.status,
        StatusCode::NOT_FOUND
    );
    let token = csrf(&clerk.get("/t/demo/staff/roster").await.body);
    for path in [
        "/t/demo/staff/fields/builtin".to_string(),
        "/t/demo/staff/fields/extra".to_string(),
        format!("/t/demo/staff/fields/extra/{}/delete", ids.choice),
    ] {
        let refused = clerk
            .post_form(
                &path,
                &[
                    ("csrf", &token),
                    ("name", "off"),
                    ("kana", "off"),
                    ("phone", "off"),
                    ("label_ja", "x"),
                    ("kind", "text"),
                    ("position", "1"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(audit_details(&app).await.len(), 7, "nothing by the clerk");
}
on_both_databases!(the_console_explains_mistakes_and_records_every_change);

async fn another_municipality_keeps_its_own_fields(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let ids = define_fields(&mut admin).await;
    // Another municipality, with a field of its own.
    let other = madoguchi::db::tenants::create_tenant(app.db(), "minato", "港区", 0)
        .await
        .unwrap();
    let by = madoguchi::db::tenants::StaffAction {
        tenant_id: other,
        staff_user_id: None,
        now: 0,
    };
    let def = madoguchi::core::recipient_fields::admin::parse_definition(
        &madoguchi::core::recipient_fields::admin::DefinitionInput {
            label_ja: "港区の項目",
            kind: "text",
            position: "1",
            active: true,
            ..Default::default()
        },
    )
    .unwrap();
    madoguchi::db::recipient_fields::add_extra(app.db(), &by, &def)
        .await
        .unwrap();
    let theirs = madoguchi::db::recipient_fields::form(app.db(), other)
        .await
        .unwrap();
    assert_eq!(theirs.extras.len(), 1);
    assert_eq!(
        theirs.phone,
        Some(madoguchi::core::recipient_fields::Requirement::First),
        "its own defaults"
    );
    let their_id = theirs.extras[0].id;

    // The demo's admin sees, changes and deletes none of it.
    let page = admin.get("/t/demo/staff/fields").await;
    page.assert_no_text("港区の項目");
    let edit = post(
        &mut admin,
        &format!("/t/demo/staff/fields/extra/{their_id}"),
        &[
            ("label_ja", "乗っ取り"),
            ("kind", "text"),
            ("position", "1"),
        ],
    )
    .await;
    assert_eq!(edit.status, StatusCode::NOT_FOUND);
    let bad_edit = post(
        &mut admin,
        &format!("/t/demo/staff/fields/extra/{their_id}"),
        &[("label_ja", ""), ("kind", "text"), ("position", "1")],
    )
    .await;
    assert_eq!(
        bad_edit.status,
        StatusCode::NOT_FOUND,
        "typed errors or not"
    );
    let delete = post(
        &mut admin,
        &format!("/t/demo/staff/fields/extra/{their_id}/delete"),
        &[],
    )
    .await;
    assert_eq!(delete.status, StatusCode::NOT_FOUND);
    assert_eq!(
        admin.get("/t/minato/staff/fields").await.status,
        StatusCode::NOT_FOUND
    );
    let still = madoguchi::db::recipient_fields::form(app.db(), other)
        .await
        .unwrap();
    assert_eq!(still, theirs);
    // And the demo's fields are the demo's: the other municipality's form is untouched.
    assert!(still.extras.iter().all(|f| f.id != ids.choice));

    // Removing the municipality removes its fields; the demo keeps its own.
    madoguchi::db::tenants::remove_tenant(app.db(), other)
        .await
        .unwrap();
    let left = madoguchi::db::recipient_fields::form(app.db(), other)
        .await
        .unwrap();
    assert!(left.extras.is_empty());
    let demo = app.demo_tenant().await;
    let ours = madoguchi::db::recipient_fields::form(app.db(), demo.id)
        .await
        .unwrap();
    assert_eq!(ours.extras.len(), 4);
}
on_both_databases!(another_municipality_keeps_its_own_fields);

async fn a_change_shows_at_once_on_every_instance(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let second =
        madoguchi::server::build_app(test_settings(app.database_url(), true), app.clock.clone())
            .await
            .unwrap();
    let (resident, _) = to_form(&app, &[&s[35]], "elsewhere@example.jp").await;
    let mut elsewhere = Client::new(madoguchi::web::router(second)).with_cookies_of(&resident);
    elsewhere
        .get("/t/demo/apply")
        .await
        .assert_no_text("本人確認書類");
    let mut admin = app.admin_client().await;
    define_fields(&mut admin).await;
    let form = elsewhere.get("/t/demo/apply").await;
    form.assert_text("本人確認書類");
    assert!(!form.body.contains("name=\"phone_1\""));
}
on_both_databases!(a_change_shows_at_once_on_every_instance);
