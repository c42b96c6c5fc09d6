//! The admin's audit page (操作履歴): every staff action, newest first, a page at a time,
//! narrowed by date range and member of staff, with mistakes in the filter explained.
use axum::http::StatusCode;
use madoguchi::db::tenants::Role;

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp};
use crate::on_both_databases;

const AUDIT: &str = "/t/demo/staff/audit";
const DAY_SECS: i64 = 24 * 60 * 60;

/// The rows of the page's log table, each as a person reads it.
fn rows(page: &Page) -> Vec<String> {
    let Some(start) = page.body.find("<tbody>") else {
        return Vec::new();
    };
    let end = page.body[start..].find("</tbody>").unwrap() + start;
    page.body[start..end]
        .split("<tr>")
        .skip(1)
        .map(|row| {
            Page {
                status: page.status,
                location: None,
                headers: Default::default(),
                body: row.to_string(),
            }
            .text()
        })
        .collect()
}

/// The href of the link labelled `label`, entities decoded as a browser would.
fn link(page: &Page, label: &str) -> Option<String> {
    let at = page.body.find(&format!(">{label}"))?;
    let before = &page.body[..at];
    let start = before.rfind("href=\"")? + "href=\"".len();
    let end = before[start..].find('"')? + start;
    Some(
        before[start..end]
            .replace("&amp;", "&")
            .replace("&#x2F;", "/"),
    )
}

/// The value of the staff filter's option shown as `name`.
fn staff_option(page: &Page, name: &str) -> String {
    let at = page
        .body
        .find(&format!(">{name}</option>"))
        .unwrap_or_else(|| panic!("no option {name}"));
    let before = &page.body[..at];
    let start = before.rfind("value=\"").unwrap() + "value=\"".len();
    let end = before[start..].find('"').unwrap() + start;
    before[start..end].to_string()
}

async fn open(client: &mut Client, path: &str) -> Page {
    let page = client.get(path).await;
    assert!(
        page.status == StatusCode::OK || page.status == StatusCode::UNPROCESSABLE_ENTITY,
        "{path}: {} {}",
        page.status,
        page.text()
    );
    page
}

async fn the_admin_pages_through_and_filters_the_log(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    // 1 December: sato logs in and prints the roster 120 times.
    let mut sato = app.staff_client("sato", Role::Clerk).await;
    for _ in 0..120 {
        let print = sato.get("/t/demo/staff/roster/print?date=2026-12-03").await;
        assert_eq!(print.status, StatusCode::OK);
    }
    // 2 December: suzuki logs in and downloads the CSV 5 times.
    app.clock.advance(DAY_SECS);
    let mut suzuki = app.staff_client("suzuki", Role::Clerk).await;
    for _ in 0..5 {
        let csv = suzuki.get("/t/demo/staff/roster.csv?date=2026-12-03").await;
        assert_eq!(csv.status, StatusCode::OK);
    }
    // 3 December: the admin looks at the log (128 entries in all).
    app.clock.advance(DAY_SECS);
    let mut admin = app.admin_client().await;

    let newest = open(&mut admin, AUDIT).await;
    newest.assert_text("新しい順(1ページ100件まで)");
    let first = rows(&newest);
    assert_eq!(first.len(), 100);
    assert_eq!(
        first[0],
        "2026年12月3日(木) 09:00 デモ管理者 ログイン ログイン"
    );
    assert!(
        first[1].starts_with("2026年12月2日(水) 09:00 suzuki 予約一覧のCSV出力 予約一覧CSV(UTF-8)の出力: 2026年12月3日(木) 全窓口"),
        "{}",
        first[1]
    );
    assert!(link(&newest, "&lt; 新しい記録").is_none(), "nothing newer");
    let older = link(&newest, "古い記録 &gt;").expect("a link to older entries");

    let page2 = open(&mut admin, &older).await;
    let second = rows(&page2);
    assert_eq!(second.len(), 28, "the remaining entries");
    assert!(
        second.last().unwrap().contains("sato ログイン ログイン"),
        "{second:?}"
    );
    assert!(link(&page2, "古い記録 &gt;").is_none(), "nothing older");
    // 100 + 28: every entry once, the 120 prints split across the two pages.
    let prints = |rows: &[String]| rows.iter().filter(|r| r.contains("予約一覧の印刷")).count();
    assert_eq!(prints(&first) + prints(&second), 120);
    let back = link(&page2, "&lt; 新しい記録").expect("a link back");
    assert_eq!(rows(&open(&mut admin, &back).await), first);

    // One member of staff: suzuki's login and downloads only, on one page.
    let suzuki_id = staff_option(&newest, "suzuki");
    let only = open(&mut admin, &format!("{AUDIT}?staff={suzuki_id}")).await;
    let found = rows(&only);
    assert_eq!(found.len(), 6, "{found:?}");
    assert!(found.iter().all(|r| r.contains(" suzuki ")), "{found:?}");
    only.assert_text("絞り込み中");
    assert!(link(&only, "古い記録 &gt;").is_none());
    assert!(only.body.contains("selected>suzuki</option>"));

    // A date range, typed in full-width: only 2 December.
    let range = open(
        &mut admin,
        &format!(
            "{AUDIT}?from={}&to=2026-12-02",
            url::form_urlencoded::byte_serialize("２０２６年１２月２日".as_bytes())
                .collect::<String>()
        ),
    )
    .await;
    assert_eq!(rows(&range).len(), 6);
    assert!(
        rows(&range)
            .iter()
            .all(|r| r.starts_with("2026年12月2日(水)"))
    );

    // 1 December alone is 121 entries: paged, and the paging keeps the filter.
    let day_one = open(
        &mut admin,
        &format!("{AUDIT}?from=2026-12-01&to=2026-12-01"),
    )
    .await;
    assert_eq!(rows(&day_one).len(), 100);
    let more = link(&day_one, "古い記録 &gt;").unwrap();
    assert!(
        more.contains("from=2026-12-01") && more.contains("to=2026-12-01"),
        "{more}"
    );
    let rest = rows(&open(&mut admin, &more).await);
    assert_eq!(rest.len(), 21);
    assert!(rest.iter().all(|r| r.contains(" sato ")));
    // Both filters at once, and a day nobody worked.
    let both = open(
        &mut admin,
        &format!("{AUDIT}?from=2026-12-01&to=2026-12-03&staff={suzuki_id}"),
    )
    .await;
    assert_eq!(rows(&both).len(), 6);
    let quiet = open(
        &mut admin,
        &format!("{AUDIT}?from=2026-11-01&to=2026-11-30"),
    )
    .await;
    quiet.assert_text("条件に合う記録はありません。");

    // Mistakes are explained next to the field, what was typed stays, nothing is listed.
    let bad = admin
        .get(&format!("{AUDIT}?from=2026-13-01&to=2026-12-02"))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains(
        "id=\"audit-from-error\">日付を読み取れませんでした。「2026-12-01」の形で入力してください。"
    ));
    assert!(bad.body.contains("value=\"2026-13-01\""));
    assert!(bad.body.contains("value=\"2026-12-02\""));
    bad.assert_text("絞り込みの条件に誤りがあります");
    assert!(rows(&bad).is_empty());
    let backwards = admin
        .get(&format!("{AUDIT}?from=2026-12-03&to=2026-12-01"))
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(backwards.body.contains(
        "id=\"audit-to-error\">終了日は開始日と同じ日か、それより後の日付にしてください。"
    ));
    let stranger = admin.get(&format!("{AUDIT}?staff=999999")).await;
    assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        stranger
            .body
            .contains("id=\"audit-staff-error\">職員は一覧から選んでください。")
    );
    // A paging link that makes no sense is just the newest page.
    let odd = open(&mut admin, &format!("{AUDIT}?older=abc")).await;
    assert_eq!(rows(&odd)[0], first[0]);

    // Clerks do not have this page.
    let mut clerk = app.staff_client("kato", Role::Clerk).await;
    assert_eq!(clerk.get(AUDIT).await.status, StatusCode::NOT_FOUND);
}
on_both_databases!(the_admin_pages_through_and_filters_the_log);
