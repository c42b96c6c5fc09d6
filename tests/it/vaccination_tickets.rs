//! 接種券: an admin imports the ticket list (UTF-8 or Shift_JIS, preview, line and column
//! errors, all or nothing), finds a ticket by its number, corrects it; clerks look only;
//! another municipality's tickets are not found; the operator's `madoguchi tickets import`.
use axum::http::StatusCode;
use encoding_rs::SHIFT_JIS;
use madoguchi::db::tenants::Role;
use madoguchi::db::{audit, tickets};
use time::macros::date;

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, TestDb, csrf};
use crate::on_both_databases;

const TICKETS: &str = "/t/demo/staff/vaccination/tickets";
const IMPORT: &str = "/t/demo/staff/vaccination/tickets/import";

async fn upload(client: &mut Client, name: &str, bytes: &[u8]) -> Page {
    let form = client.get(IMPORT).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text());
    client
        .post_multipart(
            IMPORT,
            &[("csrf", &csrf(&form.body))],
            &[("file", name, bytes)],
        )
        .await
}

fn commit_path(page: &Page) -> Option<String> {
    let marker = format!("action=\"{IMPORT}/");
    let start = page.body.find(&marker)? + "action=\"".len();
    let end = start + page.body[start..].find('"')?;
    let path = &page.body[start..end];
    path.ends_with("/commit").then(|| path.to_string())
}

async fn commit(client: &mut Client, preview: &Page) -> Page {
    let path = commit_path(preview).expect("a 取り込む button");
    let done = client
        .post_form(&path, &[("csrf", &csrf(&preview.body))])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    client.get(done.location.as_deref().unwrap()).await
}

async fn ticket_count(app: &TestApp) -> i64 {
    let tenant = app.demo_tenant().await;
    tickets::count(app.db(), tenant.id).await.unwrap()
}

async fn audits(app: &TestApp, action: &str) -> Vec<String> {
    let tenant = app.demo_tenant().await;
    audit::list(app.db(), tenant.id, None, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.action == action)
        .map(|r| r.detail)
        .collect()
}

/// Two new tickets and one of the demo's (2026000001, dose 1) moved on to dose 2, in UTF-8
/// with a BOM and CRLF, columns in their own order with an alias and a column not read.
fn utf8_file() -> Vec<u8> {
    let text = "券番号,接種回数,生年月日,前回接種日,氏名,フリガナ,会場\r\n\
        2026100001,1回目,昭和47年4月15日,,接種 一郎,セッシュ イチロウ,保健センター\r\n\
        2026-100-002,３,19850102,2026/6/1,接種 二郎,せっしゅ じろう,\r\n\
        2026000001,2,19400401,20261110,,,\r\n";
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

fn sjis_file() -> Vec<u8> {
    let text = "接種券番号,生年月日,接種回,氏名,ﾌﾘｶﾞﾅ\r\n2026200001,平成元年1月8日,1,髙橋 花子,ﾀｶﾊｼ ﾊﾅｺ\r\n";
    let (bytes, _, unmappable) = SHIFT_JIS.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

async fn the_ticket_list_imports_from_utf8_and_shift_jis(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    assert_eq!(ticket_count(&app).await, 20, "the demo's tickets");

    let form = admin.get(IMPORT).await;
    form.assert_text("接種券の取込");
    form.assert_text("接種券番号 券番号、ticket_number 必須");
    assert!(form.body.contains("enctype=\"multipart/form-data\""));

    // Errors by line and column; nothing saved, no button.
    let bad = "接種券番号,生年月日,接種回,前回接種日\n\
        2026100001,19720415,1,\n\
        2026100001,19720415,2,\n\
        2026100002,20000101,2,19991231\n\
        2026100003,19720415,0回目,\n";
    let page = upload(&mut admin, "bad.csv", bad.as_bytes()).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_text("3件のエラーがあるため、取り込めません");
    page.assert_text("3行目 接種券番号 接種券番号が2行目と重複しています。");
    page.assert_text("4行目 前回接種日 前回接種日が生年月日より前になっています。");
    page.assert_text("5行目 接種回 接種回数は1から20までの数字で入力してください。");
    assert_eq!(commit_path(&page), None);
    let columns = upload(
        &mut admin,
        "notices.csv",
        "番号1,番号2,生年月日\nA,B,19720415\n".as_bytes(),
    )
    .await;
    assert_eq!(columns.status, StatusCode::UNPROCESSABLE_ENTITY);
    columns.assert_text("必要な列がありません: 接種券番号、接種回。");
    assert_eq!(ticket_count(&app).await, 20);
    assert!(audits(&app, "import_tickets").await.is_empty());

    // The UTF-8 list: previewed, nothing written until 取り込む.
    let preview = upload(&mut admin, "tickets.csv", &utf8_file()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    preview.assert_text("文字コード UTF-8(BOM付き)");
    preview.assert_text("新規 2件");
    preview.assert_text("更新(接種券番号が登録済み) 1件");
    preview.assert_text("読み飛ばす列:会場");
    preview.assert_text(
        "2026100002 1985年1月2日(昭和60年) 3回目 2026年6月1日(令和8年) 接種 二郎 セッシュ ジロウ",
    );
    assert_eq!(ticket_count(&app).await, 20);
    let result = commit(&mut admin, &preview).await;
    result.assert_text("接種券を取り込みました: 新規2件・更新1件");
    assert_eq!(ticket_count(&app).await, 22);
    let tenant = app.demo_tenant().await;
    let moved = tickets::find_by_number(app.db(), tenant.id, "2026000001")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (moved.dose_number, moved.previous_dose_on),
        (2, Some(date!(2026 - 11 - 10)))
    );

    // Shift_JIS, as Excel saves it.
    let preview = upload(&mut admin, "sjis.csv", &sjis_file()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    preview.assert_text("文字コード Shift_JIS(CP932)");
    commit(&mut admin, &preview)
        .await
        .assert_text("新規1件・更新0件");
    let hanako = tickets::find_by_number(app.db(), tenant.id, "2026200001")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(hanako.kana, "タカハシ\u{3000}ハナコ");
    assert_eq!(hanako.birthdate, date!(1989 - 01 - 08));

    // The same list again updates; nothing is duplicated.
    let preview = upload(&mut admin, "tickets.csv", &utf8_file()).await;
    preview.assert_text("新規 0件");
    preview.assert_text("更新(接種券番号が登録済み) 3件");
    commit(&mut admin, &preview)
        .await
        .assert_text("新規0件・更新3件");
    assert_eq!(ticket_count(&app).await, 23);
    assert_eq!(audits(&app, "import_tickets").await.len(), 3);

    // Ticket imports and notice imports never mix.
    let tickets_form = admin.get(IMPORT).await;
    tickets_form.assert_text("sjis.csv");
    let notices_form = admin.get("/t/demo/staff/import").await;
    notices_form.assert_no_text("sjis.csv");
    notices_form.assert_no_text("tickets.csv");
    let ticket_import = commit_path(&preview).unwrap();
    let id = ticket_import
        .trim_start_matches(&format!("{IMPORT}/"))
        .trim_end_matches("/commit");
    let as_notice = admin.get(&format!("/t/demo/staff/import/{id}")).await;
    assert_eq!(as_notice.status, StatusCode::NOT_FOUND);
}
on_both_databases!(the_ticket_list_imports_from_utf8_and_shift_jis);

/// The link to the ticket on the list or search page.
fn ticket_link(page: &Page) -> String {
    let marker = format!("href=\"{TICKETS}/");
    page.body
        .match_indices(&marker)
        .map(|(at, _)| {
            let start = at + "href=\"".len();
            let end = start + page.body[start..].find('"').unwrap();
            page.body[start..end].to_string()
        })
        .find(|path| {
            path.rsplit('/')
                .next()
                .is_some_and(|id| id.parse::<i64>().is_ok())
        })
        .expect("a ticket link")
}

async fn tickets_are_found_by_number_and_corrected(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let list = admin.get(TICKETS).await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_text("登録されている接種券は20件です。");

    // Typed loosely: full-width digits and hyphens.
    let found = admin
        .get(&format!("{TICKETS}?number=%EF%BC%92026-000-003"))
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.text());
    found.assert_text("1件見つかりました。");
    found.assert_text("1946年4月3日");
    let none = admin.get(&format!("{TICKETS}?number=2026999999")).await;
    none.assert_text("入力された接種券番号の接種券は登録されていません。");
    let wrong = admin.get(&format!("{TICKETS}?number=12345")).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_text("接種券番号は数字10桁で入力してください(入力されたのは5桁です)。");
    assert!(wrong.body.contains("aria-invalid=\"true\""));

    let path = ticket_link(&found);
    let page = admin.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_text("接種券番号 2026000003");
    page.assert_text("接種回 1回目");
    page.assert_text("この接種券の予約はありません。");

    // A bad date: the message beside the field, what was typed kept, nothing saved.
    let token = csrf(&page.body);
    let bad = admin
        .post_form(
            &path,
            &[
                ("csrf", &token),
                ("dose", "2回目"),
                ("previous_dose", "20260231"),
                ("birthdate", "19460403"),
                ("name", "訂正 三郎"),
                ("kana", ""),
            ],
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bad.text()
    );
    bad.assert_text("入力内容に誤りがあります");
    bad.assert_text("前回接種日: 存在しない日付です。");
    assert!(bad.body.contains("id=\"ticket-previous_dose-error\""));
    assert!(
        bad.body
            .contains("aria-describedby=\"ticket-previous_dose-hint ticket-previous_dose-error\"")
    );
    assert!(bad.body.contains("value=\"訂正 三郎\""));
    let tenant = app.demo_tenant().await;
    let stored = tickets::find_by_number(app.db(), tenant.id, "2026000003")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.dose_number, 1);

    // A previous dose before the birthdate is refused there too.
    let early = admin
        .post_form(
            &path,
            &[
                ("csrf", &token),
                ("dose", "2"),
                ("previous_dose", "19450101"),
                ("birthdate", "19460403"),
                ("name", ""),
                ("kana", ""),
            ],
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    early.assert_text("前回接種日が生年月日より前になっています。");

    let saved = admin
        .post_form(
            &path,
            &[
                ("csrf", &token),
                ("dose", "２回目"),
                ("previous_dose", "令和8年11月10日"),
                ("birthdate", "19460403"),
                ("name", "訂正 三郎"),
                ("kana", "ていせい さぶろう"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let shown = admin.get(saved.location.as_deref().unwrap()).await;
    shown.assert_text("接種券の内容を保存しました。");
    shown.assert_text("接種回 2回目");
    shown.assert_text("前回接種日 2026年11月10日(令和8年)");
    shown.assert_text("フリガナ テイセイ サブロウ");
    let stored = tickets::find_by_number(app.db(), tenant.id, "2026000003")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            stored.dose_number,
            stored.previous_dose_on,
            stored.name.as_str()
        ),
        (2, Some(date!(2026 - 11 - 10)), "訂正 三郎")
    );
    let logged = audits(&app, "ticket_change").await;
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert!(
        logged[0].contains("接種回 1回目→2回目、前回接種日 なし→2026年11月10日(令和8年)、氏名を変更、フリガナを変更"),
        "{logged:?}"
    );
    assert!(
        !logged[0].contains("2026000003"),
        "the number is masked: {logged:?}"
    );

    // Saving it unchanged writes nothing.
    let again = admin.get(&path).await;
    let same = admin
        .post_form(
            &path,
            &[
                ("csrf", &csrf(&again.body)),
                ("dose", "2"),
                ("previous_dose", "20261110"),
                ("birthdate", "19460403"),
                ("name", "訂正 三郎"),
                ("kana", "テイセイ　サブロウ"),
            ],
        )
        .await;
    admin
        .get(same.location.as_deref().unwrap())
        .await
        .assert_text("変更はありませんでした。");
    assert_eq!(audits(&app, "ticket_change").await.len(), 1);
}
on_both_databases!(tickets_are_found_by_number_and_corrected);

async fn clerks_look_only_and_other_municipalities_tickets_are_not_found(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let tenant = app.demo_tenant().await;
    let ticket = tickets::find_by_number(app.db(), tenant.id, "2026000001")
        .await
        .unwrap()
        .unwrap();
    let path = format!("{TICKETS}/{}", ticket.id);

    let mut clerk = app.staff_client("clerk1", Role::Clerk).await;
    let page = clerk.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_text("接種券番号 2026000001");
    page.assert_no_text("内容の修正");
    assert_eq!(clerk.get(TICKETS).await.status, StatusCode::OK);
    assert_eq!(clerk.get(IMPORT).await.status, StatusCode::NOT_FOUND);
    let refused = clerk
        .post_form(
            &path,
            &[
                ("csrf", &csrf(&page.body)),
                ("dose", "3"),
                ("previous_dose", ""),
                ("birthdate", "19400401"),
                ("name", ""),
                ("kana", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let refused = clerk
        .post_multipart(
            IMPORT,
            &[("csrf", &csrf(&page.body))],
            &[("file", "a.csv", &utf8_file())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let unchanged = tickets::find(app.db(), tenant.id, ticket.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unchanged.dose_number, 1);

    // Another municipality's ticket is not found from this console.
    let other = madoguchi::db::tenants::create_tenant(app.db(), "other", "他市", 0)
        .await
        .unwrap();
    let service = madoguchi::db::vaccination::offer(app.db(), other, 0)
        .await
        .unwrap();
    let row = tickets::NewTicket {
        ticket_number: "2026000001".into(),
        birthdate: date!(1940 - 04 - 01),
        dose_number: 1,
        name: String::new(),
        kana: String::new(),
        previous_dose_on: None,
    };
    tickets::upsert_many(app.db(), other, service, &[row], 0)
        .await
        .unwrap();
    let theirs = tickets::find_by_number(app.db(), other, "2026000001")
        .await
        .unwrap()
        .unwrap();
    let mut admin = app.admin_client().await;
    let page = admin.get(&format!("{TICKETS}/{}", theirs.id)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let mine = admin.get(&path).await;
    let post = admin
        .post_form(
            &format!("{TICKETS}/{}", theirs.id),
            &[
                ("csrf", &csrf(&mine.body)),
                ("dose", "3"),
                ("previous_dose", ""),
                ("birthdate", "19400401"),
                ("name", ""),
                ("kana", ""),
            ],
        )
        .await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    let theirs_after = tickets::find(app.db(), other, theirs.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(theirs_after.dose_number, 1);
    // Nor this console's pages under the other municipality's address.
    assert_eq!(
        admin.get("/t/other/staff/vaccination/tickets").await.status,
        StatusCode::NOT_FOUND
    );
}
on_both_databases!(clerks_look_only_and_other_municipalities_tickets_are_not_found);

fn madoguchi(db_url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_madoguchi"))
        .args(args)
        .env("MADOGUCHI__DATABASE__URL", db_url)
        .env("RUST_LOG", "warn")
        .env_remove("MADOGUCHI_CONFIG")
        .output()
        .expect("running madoguchi")
}

async fn the_tickets_import_command_line(backend: Backend) {
    let Some(test) = TestDb::new(backend).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let added = madoguchi(
        &test.url,
        &["tenant", "add", "--slug", "town", "--name", "テスト町"],
    );
    assert!(added.status.success(), "{added:?}");
    let town = madoguchi::db::tenants::find_by_slug(&test.db, "town")
        .await
        .unwrap()
        .unwrap();
    let good = dir.path().join("tickets.csv");
    std::fs::write(&good, utf8_file()).unwrap();
    let args = |file: &std::path::Path| {
        vec![
            "tickets".to_string(),
            "import".to_string(),
            "--tenant".to_string(),
            "town".to_string(),
            file.to_str().unwrap().to_string(),
        ]
    };
    let run =
        |a: &[String]| madoguchi(&test.url, &a.iter().map(String::as_str).collect::<Vec<_>>());

    // A municipality without vaccination booking has no tickets to import.
    let refused = run(&args(&good));
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr)
            .contains("テスト町 does not offer vaccination booking"),
        "{refused:?}"
    );
    madoguchi::db::vaccination::offer(&test.db, town.id, 0)
        .await
        .unwrap();

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "接種券番号,生年月日,接種回\n202610000X,19720415,1\n2026100002,19720231,1\n",
    )
    .unwrap();
    let failed = run(&args(&bad));
    assert!(!failed.status.success());
    let report = String::from_utf8_lossy(&failed.stdout).into_owned();
    assert!(report.contains("2行目: 接種券番号: "), "{report}");
    assert!(
        report.contains("3行目: 生年月日: 存在しない日付です。"),
        "{report}"
    );
    assert!(
        report.contains("nothing written: fix the file and run again"),
        "{report}"
    );
    assert!(String::from_utf8_lossy(&failed.stderr).contains("bad.csv was not imported"));
    assert_eq!(tickets::count(&test.db, town.id).await.unwrap(), 0);

    let mut dry = args(&good);
    dry.insert(4, "--dry-run".to_string());
    let dry = run(&dry);
    assert!(dry.status.success(), "{dry:?}");
    assert!(String::from_utf8_lossy(&dry.stdout).contains("dry run: nothing written"));
    assert_eq!(tickets::count(&test.db, town.id).await.unwrap(), 0);

    let done = run(&args(&good));
    assert!(done.status.success(), "{done:?}");
    assert!(
        String::from_utf8_lossy(&done.stdout)
            .contains("imported tickets into テスト町: 3 new, 0 updated"),
        "{done:?}"
    );
    let again = run(&args(&good));
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 new, 3 updated"));
    assert_eq!(tickets::count(&test.db, town.id).await.unwrap(), 3);

    let help = madoguchi(&test.url, &["tickets", "import", "--help"]);
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("接種券番号"));
}
on_both_databases!(the_tickets_import_command_line);
