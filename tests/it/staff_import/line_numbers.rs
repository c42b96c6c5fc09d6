//! The error report of an upload names the file's own lines: a Shift_JIS file with CRLF line
//! ends, as Excel saves it, with a blank line and a remark over two lines in quotes.
use axum::http::StatusCode;
use encoding_rs::SHIFT_JIS;

use super::{commit_path, notice_count, upload};
use crate::common::client::Page;
use crate::common::{Backend, TestApp};
use crate::on_both_databases;

/// The (line, column) of each row of the page's error table, in the order shown.
fn reported(page: &Page) -> Vec<(String, String)> {
    let start = page
        .body
        .find("<table class=\"import-errors\">")
        .expect("an error table");
    let table = &page.body[start..start + page.body[start..].find("</table>").unwrap()];
    let body = &table[table.find("<tbody>").expect("a table body")..];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let cells: Vec<&str> = row
                .split("<td>")
                .skip(1)
                .map(|c| c.split("</td>").next().unwrap().trim())
                .collect();
            (cells[0].to_string(), cells[1].to_string())
        })
        .collect()
}

async fn an_excel_csv_reports_the_files_own_line_numbers(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let before = notice_count(&app).await;
    let text = [
        "番号1,番号2,生年月日,氏名,備考",
        "IMP-000001,IMPORTTEST00000001,19720415,取込 一郎,",
        "IMP-00000X,IMPORTTEST00000002,19720415,取込 二郎,",
        "IMP-000003,IMPORTTEST00000003,19720415,取込 三郎,\"窓口で\r\n本人確認\"",
        "IMP-00000Y,IMPORTTEST00000004,19720415,取込 四郎,",
        "",
        "IMP-000006,IMPORTTEST00000006,19720231,取込 六郎,",
        "",
    ]
    .join("\r\n");
    let (bytes, _, unmappable) = SHIFT_JIS.encode(&text);
    assert!(!unmappable);

    let page = upload(&mut admin, "交付対象者.csv", &bytes).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.text()
    );
    page.assert_text("文字コード Shift_JIS(CP932)");
    page.assert_text("3件のエラーがあるため、取り込めません");
    // Line 4 runs on to line 5 (the quoted remark), line 7 is blank.
    assert_eq!(
        reported(&page),
        [
            ("3行目".to_string(), "番号1".to_string()),
            ("6行目".into(), "番号1".into()),
            ("8行目".into(), "生年月日".into()),
        ]
    );
    page.assert_text("3行目 番号1 番号1の9桁目は数字です(「X」が入力されています)。");
    page.assert_text("6行目 番号1 番号1の9桁目は数字です(「Y」が入力されています)。");
    page.assert_text("8行目 生年月日 存在しない日付です。");
    page.assert_text("読み取った行 5行");
    page.assert_text("取り込める行 2行");
    assert_eq!(commit_path(&page), None);
    assert_eq!(notice_count(&app).await, before);
}
on_both_databases!(an_excel_csv_reports_the_files_own_line_numbers);
