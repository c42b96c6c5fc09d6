//! 予約一覧: the day roster per counter, its A4 print view, its CSV for Excel, and
//! check-in (来庁 / 不在 / 元に戻す), as a clerk sees them.
use axum::http::{HeaderMap, StatusCode};
use madoguchi::db::notices::NewNotice;
use madoguchi::db::tenants::Role;
use madoguchi::demo::sample_notices;

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, csrf, line_value};
use crate::on_both_databases;
use crate::resident::{book_at, hold_labelled, open_link, submit_entry};

mod csv;

pub(crate) const DAY: &str = "2026-12-03";
pub(crate) const FORMULA_NAME: &str = "=cmd|' /C calc'!A0";
pub(crate) const OUTSIDE_CP932: &str = "𠮷田 花子";

/// Posts the booking form with these names (one per person).
pub(crate) async fn apply_named(
    client: &mut Client,
    body: &str,
    names: &[&str],
    counter: i64,
    action: &str,
) -> Page {
    let mut fields: Vec<(String, String)> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        fields.push((format!("name_{}", i + 1), name.to_string()));
        fields.push((format!("kana_{}", i + 1), "ヨシダ ハナコ".to_string()));
        fields.push((format!("phone_{}", i + 1), "03-1234-5678".to_string()));
    }
    fields.push(("csrf".into(), csrf(body)));
    fields.push(("counter".into(), counter.to_string()));
    fields.push(("action".into(), action.into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    client.post_form("/t/demo/apply", &refs).await
}

/// The resident flow, with the names the resident types on the booking form; returns the
/// receipt number from the mail.
pub(crate) async fn book_named(
    app: &TestApp,
    notices: &[&NewNotice],
    names: &[&str],
    email: &str,
    cell: &str,
) -> String {
    let mut client = app.client();
    let people: Vec<(String, String)> = notices
        .iter()
        .map(|n| (n.number1.clone(), crate::resident::digits(n)))
        .collect();
    let refs: Vec<(&str, &str)> = people
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let sent = submit_entry(&mut client, &refs, email).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    let form = open_link(app, &mut client, email).await;
    let counter = app.counter_id("本庁舎 市民課").await;
    let chose = apply_named(&mut client, &form.body, names, counter, "choose").await;
    assert_eq!(
        chose.location.as_deref(),
        Some("/t/demo/apply/slots"),
        "{}",
        chose.text()
    );
    let (_, form) = hold_labelled(&mut client, cell).await;
    let to_confirm = apply_named(&mut client, &form.body, names, counter, "confirm").await;
    assert_eq!(
        to_confirm.location.as_deref(),
        Some("/t/demo/apply/confirm"),
        "{}",
        to_confirm.text()
    );
    let confirm = client.get("/t/demo/apply/confirm").await;
    let booked = client
        .post_form("/t/demo/apply/confirm", &[("csrf", &csrf(&confirm.body))])
        .await;
    assert_eq!(
        booked.location.as_deref(),
        Some("/t/demo/apply/done"),
        "{}",
        booked.text()
    );
    let mails = app.mails_to(email).await;
    line_value(&mails.last().unwrap().text, "受付番号").expect("receipt in mail")
}

/// The resident cancels with the receipt and password from the mail.
pub async fn resident_cancels(app: &TestApp, receipt: &str, password: &str) {
    let mut client = app.client();
    let lookup = client.get("/t/demo/lookup").await;
    let found = client
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&lookup.body)),
                ("receipt_number", receipt),
                ("password", password),
            ],
        )
        .await;
    assert_eq!(found.location.as_deref(), Some("/t/demo/booking"));
    let cancel = client.get("/t/demo/booking/cancel").await;
    client
        .post_form("/t/demo/booking/cancel", &[("csrf", &csrf(&cancel.body))])
        .await;
    client
        .get("/t/demo/booking")
        .await
        .assert_text("予約を取り消しました");
}

pub async fn booking_id(app: &TestApp, receipt: &str) -> i64 {
    let demo = app.demo_tenant().await;
    madoguchi::db::bookings::find_by_receipt(app.db(), demo.id, &receipt.replace('-', ""))
        .await
        .unwrap()
        .unwrap()
        .id
}

pub(crate) async fn roster(client: &mut Client, app: &TestApp) -> Page {
    let counter = app.counter_id("本庁舎 市民課").await;
    let page = client
        .get(&format!(
            "/t/demo/staff/roster?date={DAY}&counter={counter}"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    page
}

/// Where each needle first appears in the page's text; panics when one is missing.
pub(crate) fn positions(page: &Page, needles: &[&str]) -> Vec<usize> {
    let text = page.text();
    needles
        .iter()
        .map(|n| {
            text.find(n)
                .unwrap_or_else(|| panic!("{n:?} not on the page:\n{text}"))
        })
        .collect()
}

/// The text of the `<tbody>` of booking `id`: what a clerk reads on that row.
pub(crate) fn row_text(page: &Page, id: i64) -> String {
    let start = page
        .body
        .find(&format!("id=\"booking-{id}\""))
        .expect("the booking's row");
    let end = page.body[start..].find("</tbody>").unwrap() + start;
    let row = Page {
        status: page.status,
        location: None,
        headers: HeaderMap::new(),
        body: page.body[start..end].to_string(),
    };
    row.text()
}

async fn the_roster_lists_the_day_in_order_with_masked_numbers(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (early, _) = book_at(&app, &[&s[10]], "early@example.jp", "12月3日(木) 09:00").await;
    let (group, _) = book_at(
        &app,
        &[&s[11], &s[12]],
        "group@example.jp",
        "12月3日(木) 10:00",
    )
    .await;
    let (gone, gone_password) =
        book_at(&app, &[&s[13]], "gone@example.jp", "12月3日(木) 10:00").await;
    let (late, _) = book_at(&app, &[&s[14]], "late@example.jp", "12月3日(木) 11:00").await;
    resident_cancels(&app, &gone, &gone_password).await;

    let mut clerk = app.staff_client("tanaka", Role::Clerk).await;
    let page = roster(&mut clerk, &app).await;
    page.assert_text("本庁舎 市民課 2026年12月3日(木)");
    page.assert_text("予約件数 3件");
    page.assert_text("人数 4人");
    page.assert_text("来庁済 0人");
    page.assert_text("不在 0人");
    page.assert_text("取消 1件");
    // By time, then receipt; the cancelled booking last among those at 10:00.
    let at = positions(&page, &[&early, &group, &gone, &late]);
    assert!(at.windows(2).all(|w| w[0] < w[1]), "order {at:?}");
    let group_id = booking_id(&app, &group).await;
    let group_row = row_text(&page, group_id);
    assert!(group_row.contains("10:00〜10:30"), "{group_row}");
    assert!(group_row.contains("2名"), "{group_row}");
    assert!(group_row.contains("予約済"), "{group_row}");
    assert!(
        group_row.contains("来庁") && group_row.contains("不在"),
        "{group_row}"
    );
    assert!(
        group_row.contains("山田 1郎") && group_row.contains("山田 2郎"),
        "{group_row}"
    );
    assert!(
        group_row.contains("ヤマダ イチロウ"),
        "kana as stored: {group_row}"
    );
    assert!(
        group_row.contains("090-1234-5678"),
        "phone readable: {group_row}"
    );
    let early_row = row_text(&page, booking_id(&app, &early).await);
    assert!(early_row.contains("09:00〜09:15"), "{early_row}");
    let gone_row = row_text(&page, booking_id(&app, &gone).await);
    assert!(gone_row.contains("取消"), "{gone_row}");
    assert!(
        !gone_row.contains("来庁") && !gone_row.contains("元に戻す"),
        "no actions: {gone_row}"
    );
    assert!(page.body.contains("roster-cancelled"), "greyed");
    // Numbers 1 are masked: the first three and the last two only.
    for n in &s[10..=14] {
        assert!(
            !page.body.contains(&n.number1),
            "full number 1 {} on the page",
            n.number1
        );
    }
    page.assert_text(&madoguchi::core::receipt::mask_number(&s[11].number1));
    // Links to the booking page, print view and CSV; the audit log is an admin page.
    assert!(
        page.body
            .contains(&format!("/t/demo/staff/bookings/{group_id}\""))
    );
    assert!(
        !page.body.contains("/t/demo/staff/audit?booking="),
        "clerks have no audit page"
    );
    page.assert_text("印刷用表示");
    page.assert_text("CSV(UTF-8)");
    page.assert_text("CSV(Excel用 Shift_JIS)");
    page.assert_text("前の日");
    page.assert_text("次の日");
    let mut admin = app.admin_client().await;
    let as_admin = roster(&mut admin, &app).await;
    assert!(
        as_admin
            .body
            .contains(&format!("/t/demo/staff/audit?booking={group_id}\""))
    );

    // The next day has nothing; a date nobody can read is a message, not an error.
    let next = clerk.get("/t/demo/staff/roster?date=2026-12-04").await;
    next.assert_text("この日の予約はありません。");
    let typo = clerk.get("/t/demo/staff/roster?date=2026-13-45").await;
    assert_eq!(typo.status, StatusCode::OK);
    typo.assert_text("日付を読み取れませんでした");
    typo.assert_text("2026年12月1日(火)");
    let full_width = clerk
        .get("/t/demo/staff/roster?date=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96%2F12%2F3")
        .await;
    full_width.assert_text("予約件数 3件");
    assert_eq!(
        clerk.get("/t/demo/staff/roster?counter=abc").await.status,
        StatusCode::NOT_FOUND
    );
    // Without a date: today, at the first counter.
    let today = clerk.get("/t/demo/staff/roster").await;
    today.assert_text("2026年12月1日(火)(今日)");
}
on_both_databases!(the_roster_lists_the_day_in_order_with_masked_numbers);

async fn the_print_view_has_one_a4_sheet_per_counter(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, _) = book_at(&app, &[&s[20]], "print@example.jp", "12月3日(木) 10:00").await;
    let mut clerk = app.staff_client("sato", Role::Clerk).await;
    let counters = madoguchi::db::tenants::active_counters(app.db(), app.demo_tenant().await.id)
        .await
        .unwrap();
    assert!(counters.len() >= 2);

    let all = clerk
        .get(&format!("/t/demo/staff/roster/print?date={DAY}"))
        .await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(
        all.body.matches("class=\"roster-sheet\"").count(),
        counters.len()
    );
    for c in &counters {
        all.assert_text(&format!("窓口 {}", c.name));
    }
    all.assert_text("デモ市 予約一覧");
    all.assert_text("日付 2026年12月3日(木)");
    all.assert_text("印刷日時 2026年12月1日(火) 09:00");
    all.assert_text(&receipt);
    all.assert_text("この日の予約はありません。");
    assert!(
        !all.body.contains("staff-nav"),
        "no console navigation on the sheet"
    );
    assert!(!all.body.contains(&s[20].number1));

    let one = clerk
        .get(&format!(
            "/t/demo/staff/roster/print?date={DAY}&counter={}",
            counters[0].id
        ))
        .await;
    assert_eq!(one.body.matches("class=\"roster-sheet\"").count(), 1);
    one.assert_text(&format!("窓口 {}", counters[0].name));
    one.assert_text(&receipt);

    // Each sheet's header is in its table's <thead>, which the browser repeats at the top
    // of every printed page: a counter whose day runs over a page keeps its header.
    let sheets: Vec<&str> = all.body.split("class=\"roster-sheet\"").skip(1).collect();
    assert_eq!(sheets.len(), counters.len());
    for (sheet, c) in sheets.iter().zip(&counters) {
        let head_start = sheet.find("<thead>").expect("a table head on every sheet");
        let head_end = sheet.find("</thead>").unwrap();
        assert!(
            sheet[..head_start].find("<table").is_some(),
            "the head belongs to the sheet's table"
        );
        let head = Page {
            status: all.status,
            location: None,
            headers: HeaderMap::new(),
            body: sheet[head_start..head_end].to_string(),
        };
        head.assert_text("デモ市 予約一覧");
        head.assert_text(&format!("窓口 {}", c.name));
        head.assert_text("日付 2026年12月3日(木)");
        head.assert_text("印刷日時 2026年12月1日(火) 09:00");
        head.assert_text("時間 受付番号 氏名");
        assert!(
            !sheet[..head_start].contains("印刷日時"),
            "nothing of the header outside the repeated head"
        );
    }

    let css = app.client().get("/static/app.css").await;
    let print_rules = &css.body[css.body.find(".roster-print").expect("roster print rules")..];
    assert!(css.body.contains("size: A4"), "A4 page rule");
    assert!(css.body.contains("margin: 12mm"));
    assert!(print_rules.contains("page-break-before: always"));
    assert!(print_rules.contains("@media print"));
    assert!(print_rules.contains("thead { display: table-header-group; }"));
}
on_both_databases!(the_print_view_has_one_a4_sheet_per_counter);

async fn printing_and_downloading_the_roster_are_recorded(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, _) = book_at(
        &app,
        &[&s[22], &s[23]],
        "export@example.jp",
        "12月3日(木) 10:00",
    )
    .await;
    let counter = app.counter_id("本庁舎 市民課").await;
    let mut clerk = app.staff_client("yamada", Role::Clerk).await;
    let print = clerk
        .get(&format!("/t/demo/staff/roster/print?date={DAY}"))
        .await;
    assert_eq!(print.status, StatusCode::OK);
    let csv = clerk
        .get(&format!(
            "/t/demo/staff/roster.csv?date={DAY}&counter={counter}&encoding=cp932"
        ))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    // Looking at the roster on screen is not an export.
    roster(&mut clerk, &app).await;

    let mut admin = app.admin_client().await;
    let audit = admin.get("/t/demo/staff/audit").await;
    audit.assert_text(
        "yamada 予約一覧のCSV出力 予約一覧CSV(Shift_JIS)の出力: 2026年12月3日(木) 窓口「本庁舎 市民課」 1件・2人分",
    );
    audit.assert_text("yamada 予約一覧の印刷 予約一覧の印刷用表示: 2026年12月3日(木) 全窓口 1件");
    // Who, when and how many; not whose.
    audit.assert_no_text(&s[22].name.split_whitespace().collect::<Vec<_>>().join(" "));
    audit.assert_no_text(&receipt);
    let demo = app.demo_tenant().await;
    let exports: Vec<String> = madoguchi::db::audit::list(app.db(), demo.id, None, 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action.starts_with("roster_"))
        .map(|e| e.action)
        .collect();
    assert_eq!(exports, ["roster_csv", "roster_print"]);
}
on_both_databases!(printing_and_downloading_the_roster_are_recorded);

async fn check_in_and_no_show_wait_for_the_day(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, _) = book_at(&app, &[&s[42]], "early@example.jp", "12月3日(木) 10:00").await;
    let (later, _) = book_at(&app, &[&s[43]], "later@example.jp", "12月3日(木) 11:00").await;
    let id = booking_id(&app, &receipt).await;
    let later_id = booking_id(&app, &later).await;
    let demo = app.demo_tenant().await;
    let mut clerk = app.staff_client("kato", Role::Clerk).await;

    // Two days ahead: no buttons yet, and the row says when they come.
    let page = roster(&mut clerk, &app).await;
    let row = row_text(&page, id);
    assert!(
        row.contains("来庁済・不在は予約日の当日から記録できます。"),
        "{row}"
    );
    assert!(!row.contains("来庁 (受付番号"), "{row}");
    assert!(!row.contains("不在 (受付番号"), "{row}");
    // A request sent anyway is refused with the reason, and changes nothing.
    for status in ["visited", "no_show"] {
        let page = post_status(&mut clerk, &app, id, status).await;
        page.assert_text(&format!(
            "受付番号 {receipt} は2026年12月3日(木)の予約のため、まだ来庁済・不在にできません。来庁済・不在は予約日の当日から記録できます。"
        ));
        assert!(row_text(&page, id).contains("予約済"));
    }
    let booking = madoguchi::db::bookings::find(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(booking.status, "booked");
    let people = madoguchi::db::bookings::people(app.db(), id).await.unwrap();
    let notices: Vec<i64> = people.iter().filter_map(|(p, _)| p.notice_id).collect();
    assert_eq!(
        madoguchi::db::bookings::notices_with_active_booking(app.db(), &notices)
            .await
            .unwrap(),
        notices,
        "the notice stays booked"
    );
    assert!(
        madoguchi::db::audit::list(app.db(), demo.id, Some(id), 10)
            .await
            .unwrap()
            .is_empty()
    );

    // On the day itself (JST), early in the morning, it can be recorded.
    app.clock.advance(2 * 24 * 60 * 60 - 60 * 60); // 2026-12-03 08:00
    let mut clerk = app.staff_client("kato2", Role::Clerk).await;
    let page = roster(&mut clerk, &app).await;
    assert!(row_text(&page, id).contains("来庁 (受付番号"));
    post_status(&mut clerk, &app, id, "visited")
        .await
        .assert_text(&format!("受付番号 {receipt} を来庁済にしました。"));
    // And on a later day too.
    app.clock.advance(24 * 60 * 60); // 2026-12-04 08:00
    let mut clerk = app.staff_client("kato3", Role::Clerk).await;
    post_status(&mut clerk, &app, later_id, "no_show")
        .await
        .assert_text(&format!("受付番号 {later} を不在にしました。"));
    // Undoing is possible whenever.
    post_status(&mut clerk, &app, id, "booked")
        .await
        .assert_text(&format!("受付番号 {receipt} を予約済に戻しました。"));
}
on_both_databases!(check_in_and_no_show_wait_for_the_day);

pub async fn post_status(client: &mut Client, app: &TestApp, id: i64, status: &str) -> Page {
    let page = roster(client, app).await;
    let counter = app.counter_id("本庁舎 市民課").await.to_string();
    let done = client
        .post_form(
            &format!("/t/demo/staff/bookings/{id}/status"),
            &[
                ("csrf", &csrf(&page.body)),
                ("status", status),
                ("date", DAY),
                ("counter", &counter),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    let back = done.location.clone().unwrap();
    assert!(
        back.starts_with(&format!(
            "/t/demo/staff/roster?date={DAY}&counter={counter}&"
        )),
        "{back}"
    );
    assert!(back.ends_with(&format!("#booking-{id}")), "{back}");
    let page = client.get(&back).await;
    assert_eq!(page.status, StatusCode::OK);
    page
}

async fn check_in_undo_and_no_show(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, _) = book_at(
        &app,
        &[&s[40], &s[41]],
        "checkin@example.jp",
        "12月3日(木) 10:00",
    )
    .await;
    let id = booking_id(&app, &receipt).await;
    let demo = app.demo_tenant().await;
    // The day of the visit, 09:00.
    app.clock.advance(2 * 24 * 60 * 60);
    let mut clerk = app.staff_client("kato", Role::Clerk).await;

    let page = post_status(&mut clerk, &app, id, "visited").await;
    page.assert_text(&format!("受付番号 {receipt} を来庁済にしました。"));
    let row = row_text(&page, id);
    assert!(row.contains("来庁済") && row.contains("元に戻す"), "{row}");
    page.assert_text("来庁済 2人");
    // A second press (a double click, or a colleague) changes nothing and says so.
    let again = post_status(&mut clerk, &app, id, "visited").await;
    again.assert_text("状態はすでに変更されていました(いまは「来庁済」です)");

    let page = post_status(&mut clerk, &app, id, "booked").await;
    page.assert_text(&format!("受付番号 {receipt} を予約済に戻しました。"));
    let row = row_text(&page, id);
    assert!(
        row.contains("予約済") && row.contains("来庁") && row.contains("不在"),
        "{row}"
    );

    let page = post_status(&mut clerk, &app, id, "no_show").await;
    page.assert_text(&format!("受付番号 {receipt} を不在にしました。"));
    assert!(row_text(&page, id).contains("不在"));
    page.assert_text("不在 2人");
    let people = madoguchi::db::bookings::people(app.db(), id).await.unwrap();
    assert!(
        people.iter().all(|(p, _)| p.status == "no_show"),
        "{people:?}"
    );
    // A resident who missed the visit may book again: the notices are free.
    let ids: Vec<i64> = people.iter().filter_map(|(p, _)| p.notice_id).collect();
    assert!(
        madoguchi::db::bookings::notices_with_active_booking(app.db(), &ids)
            .await
            .unwrap()
            .is_empty()
    );

    let entries = madoguchi::db::audit::list(app.db(), demo.id, Some(id), 10)
        .await
        .unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["no_show", "undo_status", "check_in"],
        "newest first"
    );
    assert!(
        entries.iter().all(|e| e.detail.contains(&receipt)),
        "{entries:?}"
    );
    assert!(
        entries
            .iter()
            .all(|e| e.staff_name.as_deref() == Some("kato"))
    );
    assert_eq!(
        entries[1].detail,
        format!("受付番号 {receipt}(2名)を来庁済から予約済に戻しました")
    );

    // Undoing 不在 takes the notices back.
    post_status(&mut clerk, &app, id, "booked").await;
    assert_eq!(
        madoguchi::db::bookings::notices_with_active_booking(app.db(), &ids)
            .await
            .unwrap()
            .len(),
        2
    );

    // Without the form's token nothing changes.
    let forged = clerk
        .post_form(
            &format!("/t/demo/staff/bookings/{id}/status"),
            &[("csrf", "forged"), ("status", "visited")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let booking = madoguchi::db::bookings::find(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(booking.status, "booked");
}
on_both_databases!(check_in_undo_and_no_show);

async fn a_cancelled_booking_cannot_be_checked_in(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, password) =
        book_at(&app, &[&s[45]], "cancel@example.jp", "12月3日(木) 10:00").await;
    let id = booking_id(&app, &receipt).await;
    resident_cancels(&app, &receipt, &password).await;
    let mut clerk = app.staff_client("ito", Role::Clerk).await;
    for status in ["visited", "no_show", "booked"] {
        let page = post_status(&mut clerk, &app, id, status).await;
        page.assert_text(&format!(
            "受付番号 {receipt} は取り消されているため、状態を変更できません。"
        ));
        assert!(row_text(&page, id).contains("取消"));
    }
    let booking = madoguchi::db::bookings::find(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(booking.status, "cancelled");
    let people = madoguchi::db::bookings::people(app.db(), id).await.unwrap();
    assert!(people.iter().all(|(p, _)| p.status == "cancelled"));
    let demo = app.demo_tenant().await;
    assert!(
        madoguchi::db::audit::list(app.db(), demo.id, Some(id), 10)
            .await
            .unwrap()
            .is_empty()
    );
}
on_both_databases!(a_cancelled_booking_cannot_be_checked_in);

async fn another_municipality_never_sees_nor_changes_demo_bookings(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, _) = book_at(&app, &[&s[50]], "iso@example.jp", "12月3日(木) 10:00").await;
    let id = booking_id(&app, &receipt).await;
    let demo_counter = app.counter_id("本庁舎 市民課").await;
    let other = madoguchi::db::tenants::create_tenant(app.db(), "other", "他市", 0)
        .await
        .unwrap();
    madoguchi::db::tenants::add_counter(
        app.db(),
        madoguchi::db::tenants::NewCounter {
            tenant_id: other,
            name: "他市役所 窓口",
            address: "",
            directions: "",
            map_url: None,
            position: 1,
        },
    )
    .await
    .unwrap();
    let hash = madoguchi::secrets::hash_password("other-clerk-password");
    madoguchi::db::tenants::add_staff(app.db(), other, "clerk", "他市職員", &hash, Role::Clerk, 0)
        .await
        .unwrap();
    let mut foreign = app.client();
    let login = foreign.get("/t/other/staff/login").await;
    let done = foreign
        .post_form(
            "/t/other/staff/login",
            &[
                ("csrf", &csrf(&login.body)),
                ("login", "clerk"),
                ("password", "other-clerk-password"),
            ],
        )
        .await;
    assert_eq!(done.location.as_deref(), Some("/t/other/staff/roster"));

    let own = foreign
        .get(&format!("/t/other/staff/roster?date={DAY}"))
        .await;
    assert_eq!(own.status, StatusCode::OK);
    own.assert_text("他市役所 窓口 2026年12月3日(木)");
    own.assert_text("この日の予約はありません。");
    own.assert_no_text(&receipt);
    own.assert_no_text("本庁舎");
    for path in [
        format!("/t/other/staff/roster?date={DAY}&counter={demo_counter}"),
        format!("/t/other/staff/roster/print?date={DAY}&counter={demo_counter}"),
        format!("/t/other/staff/roster.csv?date={DAY}&counter={demo_counter}"),
    ] {
        assert_eq!(
            foreign.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let print = foreign
        .get(&format!("/t/other/staff/roster/print?date={DAY}"))
        .await;
    print.assert_no_text(&receipt);
    let csv = foreign
        .get(&format!("/t/other/staff/roster.csv?date={DAY}"))
        .await;
    assert!(!csv.body.contains(&receipt) && !csv.body.contains("山田"));

    for status in ["visited", "no_show", "booked"] {
        let tried = foreign
            .post_form(
                &format!("/t/other/staff/bookings/{id}/status"),
                &[
                    ("csrf", &csrf(&own.body)),
                    ("status", status),
                    ("date", DAY),
                ],
            )
            .await;
        assert_eq!(tried.status, StatusCode::NOT_FOUND, "{status}");
    }
    let booking = madoguchi::db::bookings::find(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(booking.status, "booked");
    // The other municipality's log has its own login and its own (empty) exports, nothing
    // about the demo's booking.
    let other_audit = madoguchi::db::audit::list(app.db(), other, None, 10)
        .await
        .unwrap();
    assert!(
        other_audit
            .iter()
            .all(
                |e| ["login", "roster_print", "roster_csv"].contains(&e.action.as_str())
                    && e.booking_id.is_none()
                    && !e.detail.contains(&receipt)
            ),
        "{other_audit:?}"
    );
    // The demo's roster, print view, CSV and booking page with the other municipality's
    // session do not exist for it.
    for path in [
        format!("/t/demo/staff/roster?date={DAY}"),
        format!("/t/demo/staff/roster/print?date={DAY}"),
        format!("/t/demo/staff/roster.csv?date={DAY}"),
        format!("/t/demo/staff/bookings/{id}"),
    ] {
        let demo_page = foreign.get(&path).await;
        assert_eq!(demo_page.status, StatusCode::NOT_FOUND, "{path}");
        demo_page.assert_text("ページが見つかりません");
    }
    let tried = foreign
        .post_form(
            &format!("/t/demo/staff/bookings/{id}/status"),
            &[
                ("csrf", &csrf(&own.body)),
                ("status", "visited"),
                ("date", DAY),
            ],
        )
        .await;
    assert_eq!(tried.status, StatusCode::NOT_FOUND);
}
on_both_databases!(another_municipality_never_sees_nor_changes_demo_bookings);
