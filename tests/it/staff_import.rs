//! 交付対象者の取込: an admin uploads the issued-notice list, reads the preview, commits;
//! residents can then book with the imported notices. Bad files get a report and change
//! nothing. On both databases.
use std::time::Instant;

use axum::http::StatusCode;
use encoding_rs::SHIFT_JIS;
use madoguchi::core::notice_import::UNKNOWN_ENCODING;
use madoguchi::db::imports::{self, CommitOutcome, ImportCounts};
use madoguchi::db::tenants::Role;
use madoguchi::db::{audit, notices};

use crate::common::client::{Client, Page};
use crate::common::{Backend, START_UNIX, TestApp, TestDb, csrf};
use crate::on_both_databases;
use crate::resident::submit_entry;

mod line_numbers;

const IMPORT: &str = "/t/demo/staff/import";

/// Opens the upload form and sends `bytes` as the file `name`.
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

/// The commit URL on a preview, if the preview offers one.
fn commit_path(page: &Page) -> Option<String> {
    let start = page.body.find("action=\"/t/demo/staff/import/")? + "action=\"".len();
    let end = start + page.body[start..].find('"')?;
    let path = &page.body[start..end];
    path.ends_with("/commit").then(|| path.to_string())
}

/// Presses [取り込む] and follows to the result page.
async fn commit(client: &mut Client, preview: &Page) -> Page {
    let path = commit_path(preview).expect("a 取り込む button");
    let done = client
        .post_form(&path, &[("csrf", &csrf(&preview.body))])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    let location = done.location.clone().expect("a redirect");
    assert_eq!(format!("{location}/commit"), path);
    client.get(&location).await
}

async fn notice_count(app: &TestApp) -> i64 {
    let tenant = app.demo_tenant().await;
    notices::count(app.db(), tenant.id).await.unwrap()
}

async fn import_audits(app: &TestApp) -> Vec<String> {
    let tenant = app.demo_tenant().await;
    audit::list(app.db(), tenant.id, None, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "import_notices")
        .map(|r| r.detail)
        .collect()
}

/// Three notices in UTF-8 with a BOM and CRLF, under alias headers, with a column the
/// import does not know.
fn utf8_file() -> Vec<u8> {
    let text = "交付通知書番号,番号2,生年月日,氏名,フリガナ,住所\r\n\
        IMP-000001,IMPORTTEST00000001,昭和47年4月15日,取込 一郎,トリコミ イチロウ,デモ市1-1\r\n\
        IMP-000002,IMPORTTEST00000002,1985/01/02,取込 二郎,とりこみ じろう,デモ市1-2\r\n\
        IMP-000003,IMPORTTEST00000003,H3.3.3,\"取込, 三郎\",,デモ市1-3\r\n\
        \r\n";
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

/// Two notices in Shift_JIS (CP932) as Excel saves it, half-width kana and all.
fn sjis_file() -> Vec<u8> {
    let text = "番号1,番号2,誕生日,名前,ﾌﾘｶﾞﾅ\r\n\
        SJS-000001,SJISTEST0000000001,平成元年1月8日,髙橋 花子,ﾀｶﾊｼ ﾊﾅｺ\r\n\
        SJS-000002,SJISTEST0000000002,令和2年5月1日,髙橋 ①,ﾀｶﾊｼ\r\n";
    let (bytes, _, unmappable) = SHIFT_JIS.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

async fn good_files_import_and_residents_can_book(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let before = notice_count(&app).await;

    let form = admin.get(IMPORT).await;
    form.assert_text("交付対象者の取込");
    form.assert_text("UTF-8");
    form.assert_text("Shift_JIS(CP932");
    form.assert_text("交付通知書番号");
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    assert!(form.body.contains("accept=\".csv,text/csv\""));

    let preview = upload(&mut admin, "交付対象者.csv", &utf8_file()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    preview.assert_text("文字コード UTF-8(BOM付き)");
    preview.assert_text("読み取った行 3行");
    preview.assert_text("新規 3件");
    preview.assert_text("更新(番号2が登録済み) 0件");
    preview.assert_text("エラー 0件");
    preview.assert_text("読み飛ばす列:住所");
    preview.assert_text(
        "IMP-000001 IMPORTTEST00000001 1972年4月15日(昭和47年) 取込 一郎 トリコミ イチロウ",
    );
    preview.assert_text("取込, 三郎");
    preview.assert_text("トリコミ ジロウ");
    // Nothing is written by the preview.
    assert_eq!(notice_count(&app).await, before);
    assert!(import_audits(&app).await.is_empty());

    let result = commit(&mut admin, &preview).await;
    assert_eq!(result.status, StatusCode::OK);
    result.assert_text("交付対象者を取り込みました: 新規3件・更新0件");
    assert_eq!(notice_count(&app).await, before + 3);
    assert_eq!(
        import_audits(&app).await,
        vec!["交付対象者を取り込みました: 新規3件・更新0件".to_string()]
    );

    // A resident books with an imported notice: number with or without hyphen, era date.
    let mut resident = app.client();
    let sent = submit_entry(
        &mut resident,
        &[("imp000001", "昭和47年4月15日")],
        "ichiro@example.jp",
    )
    .await;
    assert_eq!(
        sent.location.as_deref(),
        Some("/t/demo/entry/sent"),
        "{}",
        sent.text()
    );

    // The Shift_JIS list.
    let preview = upload(&mut admin, "C:\\Users\\madoguchi\\sjis.csv", &sjis_file()).await;
    preview.assert_text("ファイル sjis.csv");
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    preview.assert_text("文字コード Shift_JIS(CP932)");
    preview.assert_text("新規 2件");
    preview.assert_text("髙橋 花子 タカハシ ハナコ");
    let result = commit(&mut admin, &preview).await;
    result.assert_text("新規2件・更新0件");
    assert_eq!(notice_count(&app).await, before + 5);
    let tenant = app.demo_tenant().await;
    let hanako = notices::find_by_number2(
        app.db(),
        tenant.id,
        "SJISTEST0000000001",
        time::macros::date!(1989 - 01 - 08),
    )
    .await
    .unwrap()
    .expect("imported");
    assert_eq!(hanako.name, "髙橋 花子");
    assert_eq!(hanako.kana, "タカハシ\u{3000}ハナコ");
    assert_eq!(hanako.status, "issued");
    let mut resident = app.client();
    let sent = submit_entry(
        &mut resident,
        &[("SJS-000002", "20200501")],
        "hanako@example.jp",
    )
    .await;
    assert_eq!(
        sent.location.as_deref(),
        Some("/t/demo/entry/sent"),
        "{}",
        sent.text()
    );

    // The import page lists both imports.
    let form = admin.get(IMPORT).await;
    form.assert_text("最近の取込");
    form.assert_text("sjis.csv");
    form.assert_text("交付対象者.csv");
    form.assert_text("取込済み");
}
on_both_databases!(good_files_import_and_residents_can_book);

async fn reimporting_updates_instead_of_duplicating(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let preview = upload(&mut admin, "a.csv", &utf8_file()).await;
    commit(&mut admin, &preview).await;
    let after_first = notice_count(&app).await;

    // The same list again, one name corrected and one row added.
    let mut text = String::from_utf8(utf8_file())
        .unwrap()
        .replace("取込 二郎", "取込 次郎");
    text.push_str("IMP-000004,IMPORTTEST00000004,19990909,取込 四郎,\r\n");
    let preview = upload(&mut admin, "a.csv", text.as_bytes()).await;
    preview.assert_text("新規 1件");
    preview.assert_text("更新(番号2が登録済み) 3件");
    let result = commit(&mut admin, &preview).await;
    result.assert_text("交付対象者を取り込みました: 新規1件・更新3件");
    assert_eq!(notice_count(&app).await, after_first + 1);

    // The very same file a third time: all updates, the count unchanged.
    let preview = upload(&mut admin, "a.csv", text.as_bytes()).await;
    preview.assert_text("新規 0件");
    preview.assert_text("更新(番号2が登録済み) 4件");
    commit(&mut admin, &preview)
        .await
        .assert_text("新規0件・更新4件");
    assert_eq!(notice_count(&app).await, after_first + 1);

    let tenant = app.demo_tenant().await;
    let jiro = notices::find_by_number2(
        app.db(),
        tenant.id,
        "IMPORTTEST00000002",
        time::macros::date!(1985 - 01 - 02),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(jiro.name, "取込 次郎");
}
on_both_databases!(reimporting_updates_instead_of_duplicating);

async fn bad_files_get_a_report_and_change_nothing(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let before = notice_count(&app).await;

    // Row errors: line, column and reason, and no button.
    let text = "番号1,番号2,生年月日,氏名\n\
        IMP-000001,IMPORTTEST00000001,19720415,一郎\n\
        IMP-00000X,IMPORTTEST00000002,19720415,二郎\n\
        IMP-000003,IMPORTTEST00000003,昭和64年2月1日,三郎\n\
        IMP-000004,IMPORTTEST00000001,19720231,四郎\n";
    let page = upload(&mut admin, "bad.csv", text.as_bytes()).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_text("4件のエラーがあるため、取り込めません");
    page.assert_text("3行目 番号1 番号1の9桁目は数字です(「X」が入力されています)。");
    page.assert_text("4行目 生年月日 昭和64年は1月7日までです。1月8日からは平成元年です。");
    page.assert_text("5行目 生年月日 存在しない日付です。");
    page.assert_text("5行目 番号2 番号2が2行目と重複しています。");
    page.assert_text("読み取った行 4行");
    page.assert_text("取り込める行 1行");
    assert_eq!(commit_path(&page), None);

    // Problems with the file as a whole: one message each.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let mut many_errors = String::from("番号1,番号2,生年月日\n");
    for i in 0..600 {
        many_errors.push_str(&format!("X{i},Y{i},Z\n"));
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", Vec::new(), "ファイルが空です。"),
        ("utf16.csv", utf16, UNKNOWN_ENCODING),
        (
            "book.xlsx",
            b"PK\x03\x04\x14\x00\x06\x00binary".to_vec(),
            "Excelのブック形式",
        ),
        (
            "columns.csv",
            "番号1,氏名\nIMP-000001,一郎\n".as_bytes().to_vec(),
            "必要な列がありません: 番号2、生年月日。1行目(見出し行)にあった列: 「番号1」、「氏名」。",
        ),
        (
            "header.csv",
            "番号1,番号2,生年月日\r\n".as_bytes().to_vec(),
            "見出し行のほかにデータの行がありません。",
        ),
        (
            "many.csv",
            many_errors.into_bytes(),
            "ほかに1300件のエラーがあります。",
        ),
    ];
    for (name, bytes, message) in cases {
        let page = upload(&mut admin, name, &bytes).await;
        assert!(page.status.is_client_error(), "{name}: {}", page.status);
        page.assert_text(message);
        assert_eq!(commit_path(&page), None, "{name}");
    }

    // No file chosen: the browser sends an empty, nameless file part, or none at all.
    let form = admin.get(IMPORT).await;
    let token = csrf(&form.body);
    let none = admin
        .post_multipart(IMPORT, &[("csrf", &token)], &[("file", "", b"")])
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    none.assert_text("ファイルが選択されていません。");
    let none = admin.post_multipart(IMPORT, &[("csrf", &token)], &[]).await;
    none.assert_text("ファイルが選択されていません。");
    // Not multipart at all: a message, not a bare rejection.
    let wrong = admin.post_form(IMPORT, &[("csrf", &token)]).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    wrong.assert_text("ファイルを受け取れませんでした。");
    // Without the CSRF token nothing is read.
    let forged = admin
        .post_multipart(
            IMPORT,
            &[("csrf", "forged")],
            &[("file", "a.csv", &utf8_file())],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    assert_eq!(notice_count(&app).await, before);
    let tenant = app.demo_tenant().await;
    assert!(
        imports::recent(app.db(), tenant.id, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(import_audits(&app).await.is_empty());
}
on_both_databases!(bad_files_get_a_report_and_change_nothing);

async fn a_commit_happens_once_for_this_tenant_and_within_a_day(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let before = notice_count(&app).await;
    let preview = upload(&mut admin, "a.csv", &utf8_file()).await;
    let path = commit_path(&preview).unwrap();
    let token = csrf(&preview.body);

    // A double click: the second post finds the import committed and writes nothing.
    let first = admin.post_form(&path, &[("csrf", &token)]).await;
    let second = admin.post_form(&path, &[("csrf", &token)]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(second.status, StatusCode::SEE_OTHER);
    let again = admin.get(second.location.as_deref().unwrap()).await;
    again.assert_text("この取込はすでに完了しています。");
    again.assert_text("新規3件・更新0件");
    assert_eq!(notice_count(&app).await, before + 3);
    assert_eq!(import_audits(&app).await.len(), 1);

    // Two instances committing at the same moment: one writes.
    let preview = upload(&mut admin, "b.csv", &sjis_file()).await;
    let id: i64 = commit_path(&preview)
        .unwrap()
        .trim_start_matches("/t/demo/staff/import/")
        .trim_end_matches("/commit")
        .parse()
        .unwrap();
    let tenant = app.demo_tenant().await;
    let (a, b) = tokio::join!(
        imports::commit(app.db(), tenant.id, id, None, START_UNIX),
        imports::commit(app.db(), tenant.id, id, None, START_UNIX),
    );
    let mut outcomes = vec![a.unwrap(), b.unwrap()];
    outcomes.sort_by_key(|o| matches!(o, CommitOutcome::AlreadyCommitted));
    assert_eq!(
        outcomes,
        vec![
            CommitOutcome::Committed(ImportCounts { new: 2, updated: 0 }),
            CommitOutcome::AlreadyCommitted
        ]
    );
    assert_eq!(notice_count(&app).await, before + 5);

    // Another municipality cannot commit (or see) this one's upload.
    let other = madoguchi::db::tenants::create_tenant(app.db(), "other", "他市", 0)
        .await
        .unwrap();
    let preview = upload(
        &mut admin,
        "c.csv",
        "番号1,番号2,生年月日\nOTH-000001,OTHERTEST000000001,19720415\n".as_bytes(),
    )
    .await;
    let path = commit_path(&preview).unwrap();
    let id: i64 = path
        .trim_start_matches("/t/demo/staff/import/")
        .trim_end_matches("/commit")
        .parse()
        .unwrap();
    assert_eq!(
        imports::commit(app.db(), other, id, None, START_UNIX)
            .await
            .unwrap(),
        CommitOutcome::NotFound
    );
    assert_eq!(imports::find(app.db(), other, id).await.unwrap(), None);
    assert_eq!(
        admin.get(&format!("{IMPORT}/999999")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin.get(&format!("{IMPORT}/abc")).await.status,
        StatusCode::NOT_FOUND
    );

    // A preview left for more than a day is not committed.
    app.clock.advance(25 * 60 * 60);
    let mut admin = app.admin_client().await;
    let page = admin.get(&path.replace("/commit", "")).await;
    let late = admin.post_form(&path, &[("csrf", &csrf(&page.body))]).await;
    let late = admin.get(late.location.as_deref().unwrap()).await;
    assert_eq!(late.status, StatusCode::GONE);
    late.assert_text("確認から24時間が過ぎたため、この取込はできません");
    assert_eq!(notice_count(&app).await, before + 5);
}
on_both_databases!(a_commit_happens_once_for_this_tenant_and_within_a_day);

async fn clerks_get_404(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let preview = upload(&mut admin, "a.csv", &utf8_file()).await;
    let path = commit_path(&preview).unwrap();
    let before = notice_count(&app).await;

    let mut clerk = app.staff_client("clerk1", Role::Clerk).await;
    let roster = clerk.get("/t/demo/staff/roster").await;
    let token = csrf(&roster.body);
    assert_eq!(clerk.get(IMPORT).await.status, StatusCode::NOT_FOUND);
    let sent = clerk
        .post_multipart(
            IMPORT,
            &[("csrf", &token)],
            &[("file", "a.csv", &utf8_file())],
        )
        .await;
    assert_eq!(sent.status, StatusCode::NOT_FOUND);
    assert_eq!(
        clerk.get(&path.replace("/commit", "")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        clerk.post_form(&path, &[("csrf", &token)]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(notice_count(&app).await, before);
    // Not logged in: to the login page.
    let mut anonymous = app.client();
    assert_eq!(
        anonymous.get(IMPORT).await.location.as_deref(),
        Some("/t/demo/staff/login")
    );
}
on_both_databases!(clerks_get_404);

/// `rows` valid notices, all distinct, as UTF-8 CSV.
fn big_file(rows: usize) -> Vec<u8> {
    let mut text = String::with_capacity(rows * 80);
    text.push_str("番号1,番号2,生年月日,氏名,フリガナ\r\n");
    for i in 0..rows {
        text.push_str(&format!(
            "BIG-{:06},BIGIMPORT{:09},{}{:02}{:02},大量 太郎{},タイリョウ タロウ\r\n",
            i % 1_000_000,
            i,
            1930 + i % 80,
            1 + i % 12,
            1 + i % 28,
            i
        ));
    }
    text.into_bytes()
}

async fn a_hundred_thousand_rows_import(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let before = notice_count(&app).await;
    let bytes = big_file(100_000);
    let size = bytes.len();

    let t = Instant::now();
    let preview = upload(&mut admin, "big.csv", &bytes).await;
    let preview_time = t.elapsed();
    assert_eq!(
        preview.status,
        StatusCode::OK,
        "{}",
        &preview.text()[..2000.min(preview.text().len())]
    );
    preview.assert_text("読み取った行 100000行");
    preview.assert_text("新規 100000件");
    preview.assert_text("先頭20行の内容");

    let t = Instant::now();
    let result = commit(&mut admin, &preview).await;
    let commit_time = t.elapsed();
    result.assert_text("新規100000件・更新0件");
    assert_eq!(notice_count(&app).await, before + 100_000);

    // The same list again: every row an update.
    let t = Instant::now();
    let preview = upload(&mut admin, "big.csv", &bytes).await;
    preview.assert_text("更新(番号2が登録済み) 100000件");
    let result = commit(&mut admin, &preview).await;
    let again_time = t.elapsed();
    result.assert_text("新規0件・更新100000件");
    assert_eq!(notice_count(&app).await, before + 100_000);
    eprintln!(
        "[{backend:?}] 100,000 rows ({:.1} MB): upload+preview {preview_time:.2?}, commit {commit_time:.2?}, \
         re-import (preview+commit, all updates) {again_time:.2?}",
        size as f64 / 1_048_576.0
    );
}
on_both_databases!(a_hundred_thousand_rows_import);

async fn too_many_rows_or_bytes_are_refused_with_a_message(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let before = notice_count(&app).await;

    let page = upload(&mut admin, "big.csv", &big_file(100_001)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_text("データの行が多すぎます。1回に取り込めるのは100000行までです。");
    assert_eq!(commit_path(&page), None);

    // One byte over 20 MB: refused while reading, with the upload form and a message.
    let mut huge = big_file(1);
    huge.resize(20 * 1024 * 1024 + 1, b' ');
    let page = upload(&mut admin, "huge.csv", &huge).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    page.assert_text("ファイルが大きすぎます(20.1MB)。20MBまでのCSVにしてください");
    page.assert_text("取り込むCSVファイル");
    // Far over: refused from the declared length before the body is read.
    huge.resize(30 * 1024 * 1024, b' ');
    let page = upload(&mut admin, "huger.csv", &huge).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    page.assert_text("ファイルが大きすぎます(30.1MB)。20MBまでのCSVにしてください");
    // A file of exactly 20 MB is read (the padding is a blank last line).
    let mut limit = big_file(1);
    limit.resize(20 * 1024 * 1024, b' ');
    let page = upload(&mut admin, "limit.csv", &limit).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    page.assert_text("読み取った行 1行");

    assert_eq!(notice_count(&app).await, before);
}
on_both_databases!(too_many_rows_or_bytes_are_refused_with_a_message);

/// `madoguchi notices import` calls this function; the binary only prints its report.
async fn the_operators_command(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let tenant = app.demo_tenant().await;
    let before = notice_count(&app).await;
    let today = app.clock.today();

    // --dry-run: checked and counted, not written.
    let dry =
        imports::import_for_operator(app.db(), &tenant, &utf8_file(), today, START_UNIX, true)
            .await
            .unwrap();
    assert!(dry.ok());
    assert!(!dry.written);
    assert_eq!(dry.counts, ImportCounts { new: 3, updated: 0 });
    let report = dry.report(&tenant.name);
    assert_eq!(
        report,
        vec![
            "3 data rows read (UTF-8(BOM付き)); 3 valid: 3 new, 0 updated; 0 errors".to_string(),
            "ignored columns: 住所".into(),
            "dry run: nothing written".into(),
        ]
    );
    assert_eq!(notice_count(&app).await, before);

    // Errors: reported line by line, not written, and not ok (the command exits non-zero).
    let bad = "番号1,番号2,生年月日\nIMP-00000X,IMPORTTEST00000001,19720415\nIMP-000002,IMPORTTEST00000002,19720415\n";
    let failed =
        imports::import_for_operator(app.db(), &tenant, bad.as_bytes(), today, START_UNIX, false)
            .await
            .unwrap();
    assert!(!failed.ok());
    assert!(!failed.written);
    let report = failed.report(&tenant.name);
    assert_eq!(
        report[0],
        "2行目: 番号1: 番号1の9桁目は数字です(「X」が入力されています)。"
    );
    assert_eq!(
        report.last().unwrap(),
        "nothing written: fix the file and run again"
    );
    let unreadable = imports::import_for_operator(app.db(), &tenant, b"", today, START_UNIX, false)
        .await
        .unwrap();
    assert!(!unreadable.ok());
    assert_eq!(
        unreadable.report(&tenant.name)[0],
        "error: ファイルが空です。交付対象者の一覧(CSV)を選んでください。"
    );
    assert_eq!(notice_count(&app).await, before);

    // For real, twice: the second run updates.
    let done =
        imports::import_for_operator(app.db(), &tenant, &sjis_file(), today, START_UNIX, false)
            .await
            .unwrap();
    assert!(done.ok() && done.written);
    assert_eq!(
        done.report(&tenant.name).last().unwrap(),
        "imported into デモ市: 2 new, 0 updated"
    );
    let again =
        imports::import_for_operator(app.db(), &tenant, &sjis_file(), today, START_UNIX, false)
            .await
            .unwrap();
    assert_eq!(again.counts, ImportCounts { new: 0, updated: 2 });
    assert_eq!(notice_count(&app).await, before + 2);
    assert_eq!(
        import_audits(&app).await,
        vec![
            "交付対象者を取り込みました: 新規0件・更新2件(運用コマンド)".to_string(),
            "交付対象者を取り込みました: 新規2件・更新0件(運用コマンド)".into(),
        ]
    );
}
on_both_databases!(the_operators_command);

/// Runs the built `madoguchi` binary against `db_url`, as an operator would.
fn madoguchi(db_url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_madoguchi"))
        .args(args)
        .env("MADOGUCHI__DATABASE__URL", db_url)
        .env("RUST_LOG", "warn")
        .env_remove("MADOGUCHI_CONFIG")
        .output()
        .expect("running madoguchi")
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn the_notices_import_command_line(backend: Backend) {
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
        .expect("the municipality the command added");

    // A bad file: every problem as "line: column: reason", a non-zero exit, nothing written.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "番号1,番号2,生年月日\nIMP-00000X,IMPORTTEST00000001,19720415\nIMP-000002,IMPORTTEST00000002,19720231\n",
    )
    .unwrap();
    let failed = madoguchi(
        &test.url,
        &[
            "notices",
            "import",
            "--tenant",
            "town",
            bad.to_str().unwrap(),
        ],
    );
    assert!(!failed.status.success(), "{failed:?}");
    let report = stdout(&failed);
    assert!(
        report.contains("2行目: 番号1: 番号1の9桁目は数字です(「X」が入力されています)。"),
        "{report}"
    );
    assert!(
        report.contains("3行目: 生年月日: 存在しない日付です。"),
        "{report}"
    );
    assert!(
        report.contains("nothing written: fix the file and run again"),
        "{report}"
    );
    assert!(String::from_utf8_lossy(&failed.stderr).contains("bad.csv was not imported"));
    assert_eq!(notices::count(&test.db, town.id).await.unwrap(), 0);

    // --dry-run on a good file: checked, counted, not written.
    let good = dir.path().join("good.csv");
    std::fs::write(&good, utf8_file()).unwrap();
    let dry = madoguchi(
        &test.url,
        &[
            "notices",
            "import",
            "--tenant",
            "town",
            "--dry-run",
            good.to_str().unwrap(),
        ],
    );
    assert!(dry.status.success(), "{dry:?}");
    assert!(stdout(&dry).contains("dry run: nothing written"));
    assert_eq!(notices::count(&test.db, town.id).await.unwrap(), 0);

    // For real: the rows are written, as the file says.
    let done = madoguchi(
        &test.url,
        &[
            "notices",
            "import",
            "--tenant",
            "town",
            good.to_str().unwrap(),
        ],
    );
    assert!(done.status.success(), "{done:?}");
    assert!(
        stdout(&done).contains("imported into テスト町: 3 new, 0 updated"),
        "{}",
        stdout(&done)
    );
    assert_eq!(notices::count(&test.db, town.id).await.unwrap(), 3);
    let found = notices::find_by_number1(
        &test.db,
        town.id,
        "IMP000001",
        time::macros::date!(1972 - 04 - 15),
    )
    .await
    .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].number2.as_str(), found[0].name.as_str()),
        ("IMPORTTEST00000001", "取込 一郎")
    );

    // A Shift_JIS file updates what is there and adds the rest.
    let sjis = dir.path().join("sjis.csv");
    std::fs::write(&sjis, sjis_file()).unwrap();
    let more = madoguchi(
        &test.url,
        &[
            "notices",
            "import",
            "--tenant",
            "town",
            sjis.to_str().unwrap(),
        ],
    );
    assert!(more.status.success(), "{more:?}");
    assert!(stdout(&more).contains("imported into テスト町: 2 new, 0 updated"));
    assert_eq!(notices::count(&test.db, town.id).await.unwrap(), 5);

    // An unknown municipality or a missing file: a message and a non-zero exit.
    let nowhere = madoguchi(
        &test.url,
        &[
            "notices",
            "import",
            "--tenant",
            "nowhere",
            good.to_str().unwrap(),
        ],
    );
    assert!(!nowhere.status.success());
    assert!(String::from_utf8_lossy(&nowhere.stderr).contains("no municipality with slug nowhere"));
    let missing = dir.path().join("missing.csv");
    let absent = madoguchi(
        &test.url,
        &[
            "notices",
            "import",
            "--tenant",
            "town",
            missing.to_str().unwrap(),
        ],
    );
    assert!(!absent.status.success());
    assert!(String::from_utf8_lossy(&absent.stderr).contains("missing.csv"));
    assert_eq!(notices::count(&test.db, town.id).await.unwrap(), 5);
}
on_both_databases!(the_notices_import_command_line);
