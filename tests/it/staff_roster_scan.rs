//! 来庁受付 on the roster by receipt number (issue 11 §3): what a USB or handheld scanner
//! types (the number and Enter, a form submit) or a clerk types by hand checks in that
//! day's booking at that counter once, with the roster's audit entry; every other receipt
//! gets its own message and writes nothing.
use axum::http::StatusCode;
use madoguchi::db::notices::NewNotice;
use madoguchi::db::tenants::Role;
use madoguchi::demo::sample_notices;

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, csrf, line_value};
use crate::on_both_databases;
use crate::resident::{book_at, digits, hold_labelled, open_link, post_apply, submit_entry};
use crate::staff_roster::{booking_id, post_status, resident_cancels};

const DAY: &str = "2026-12-03";
const MAIN: &str = "本庁舎 市民課";
const BRANCH: &str = "北支所";
/// From the tests' start (2026-12-01 09:00 JST) to 2026-12-03 09:00, the day of the visits.
const TWO_DAYS: i64 = 2 * 24 * 60 * 60;

/// The resident flow at `counter`; returns (receipt, password) from the mail.
async fn book_at_counter(
    app: &TestApp,
    notices: &[&NewNotice],
    email: &str,
    cell: &str,
    counter: &str,
) -> (String, String) {
    let mut client = app.client();
    let people: Vec<(String, String)> = notices
        .iter()
        .map(|n| (n.number1.clone(), digits(n)))
        .collect();
    let refs: Vec<(&str, &str)> = people
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let sent = submit_entry(&mut client, &refs, email).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    let form = open_link(app, &mut client, email).await;
    let counter = app.counter_id(counter).await;
    let chose = post_apply(&mut client, &form.body, notices.len(), counter, "choose").await;
    assert_eq!(chose.location.as_deref(), Some("/t/demo/apply/slots"));
    let (_, form) = hold_labelled(&mut client, cell).await;
    let to_confirm = post_apply(&mut client, &form.body, notices.len(), counter, "confirm").await;
    assert_eq!(
        to_confirm.location.as_deref(),
        Some("/t/demo/apply/confirm")
    );
    let confirm = client.get("/t/demo/apply/confirm").await;
    let booked = client
        .post_form("/t/demo/apply/confirm", &[("csrf", &csrf(&confirm.body))])
        .await;
    assert_eq!(booked.location.as_deref(), Some("/t/demo/apply/done"));
    let mail = app.mails_to(email).await.pop().unwrap();
    (
        line_value(&mail.text, "受付番号").unwrap(),
        line_value(&mail.text, "パスワード").unwrap(),
    )
}

/// Types `typed` into the 来庁受付 field of the roster of `day` at `counter` and presses
/// Enter (the form's submit), then follows the redirect back; returns where it led and
/// the page.
async fn scan(
    client: &mut Client,
    app: &TestApp,
    day: &str,
    counter: &str,
    typed: &str,
) -> (String, Page) {
    let counter = app.counter_id(counter).await.to_string();
    let roster = client
        .get(&format!(
            "/t/demo/staff/roster?date={day}&counter={counter}"
        ))
        .await;
    assert_eq!(roster.status, StatusCode::OK, "{}", roster.text());
    assert!(
        roster.body.contains("action=\"/t/demo/staff/roster/scan\""),
        "the roster has the scan form"
    );
    let posted = client
        .post_form(
            "/t/demo/staff/roster/scan",
            &[
                ("csrf", &csrf(&roster.body)),
                ("date", day),
                ("counter", &counter),
                ("receipt", typed),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text());
    let back = posted.location.unwrap();
    assert!(
        back.starts_with(&format!(
            "/t/demo/staff/roster?date={day}&counter={counter}&scan="
        )),
        "{back}"
    );
    assert!(
        !back.contains('#'),
        "no fragment, which would stop the autofocus: {back}"
    );
    let page = client.get(&back).await;
    assert_eq!(page.status, StatusCode::OK);
    (back, page)
}

/// What the 来庁受付 section says: the message and who it found.
fn result_text(page: &Page) -> String {
    let start = page
        .body
        .find("id=\"scan-result\"")
        .expect("the result region");
    let end = page.body[start..].find("</section>").unwrap() + start;
    Page {
        status: page.status,
        location: None,
        headers: Default::default(),
        body: format!("<div {}", &page.body[start..end]),
    }
    .text()
}

/// The field is empty and focused for the next scan, and tied to the result it reads.
fn assert_ready_for_the_next_scan(page: &Page) {
    let start = page
        .body
        .find("id=\"scan-receipt\"")
        .expect("the scan field");
    let tag_start = page.body[..start].rfind('<').unwrap();
    let tag = &page.body[tag_start..start + page.body[start..].find('>').unwrap()];
    assert!(tag.contains(" autofocus"), "{tag}");
    assert!(!tag.contains("value="), "{tag}");
    assert!(
        tag.contains("aria-describedby=\"scan-hint scan-result\""),
        "{tag}"
    );
    assert!(
        page.body
            .contains("id=\"scan-result\" class=\"roster-scan-result\" role=\"status\"")
    );
}

async fn audit_actions(app: &TestApp, id: i64) -> Vec<(String, String, Option<String>)> {
    let demo = app.demo_tenant().await;
    madoguchi::db::audit::list(app.db(), demo.id, Some(id), 50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.detail, e.staff_name))
        .collect()
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
            '-' => 'ー',
            c => c,
        })
        .collect()
}

async fn scanning_todays_receipt_checks_in_once_and_audits(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, _) = book_at(
        &app,
        &[&s[60], &s[61]],
        "scan@example.jp",
        "12月3日(木) 10:00",
    )
    .await;
    let id = booking_id(&app, &receipt).await;
    app.clock.advance(TWO_DAYS);
    let mut clerk = app.staff_client("yamamoto", Role::Clerk).await;

    // Before any scan the field waits without taking the focus from the skip link.
    let counter = app.counter_id(MAIN).await;
    let roster = clerk
        .get(&format!(
            "/t/demo/staff/roster?date={DAY}&counter={counter}"
        ))
        .await;
    roster.assert_text("来庁受付(QRコード・受付番号)");
    assert!(!roster.body.contains(" autofocus"));
    assert_eq!(result_text(&roster), "");

    // Typed by hand as the printout shows it, in full-width with a long-vowel mark for the
    // hyphen (an IME left on).
    let (back, page) = scan(&mut clerk, &app, DAY, MAIN, &full_width(&receipt)).await;
    assert!(back.contains("scan=checked_in"), "{back}");
    let result = result_text(&page);
    assert!(
        result.starts_with(&format!("受付番号 {receipt} を来庁済にしました。")),
        "{result}"
    );
    // The names and kana the resident typed on the booking form, as the roster shows them.
    assert!(result.contains("氏名 山田 1郎(ヤマダ"), "{result}");
    assert!(result.contains("、山田 2郎(ヤマダ"), "{result}");
    assert!(result.contains("人数 2名"), "{result}");
    assert!(
        result.contains("2026年12月3日(木) 10:00〜10:30"),
        "{result}"
    );
    assert!(result.contains("状態 来庁済"), "{result}");
    assert_ready_for_the_next_scan(&page);
    page.assert_text("来庁済 2人");
    let booking = madoguchi::db::bookings::find(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(booking.status, "visited");
    let people = madoguchi::db::bookings::people(app.db(), id).await.unwrap();
    assert!(
        people.iter().all(|(p, _)| p.status == "visited"),
        "{people:?}"
    );
    assert_eq!(
        audit_actions(&app, id).await,
        [(
            "check_in".to_string(),
            format!("受付番号 {receipt}(2名)を来庁済にしました"),
            Some("yamamoto".to_string())
        )],
        "the same entry as the roster's 来庁 button"
    );

    // The scanner again, five minutes later: said, not written.
    app.clock.advance(5 * 60);
    let (back, page) = scan(&mut clerk, &app, DAY, MAIN, &receipt.replace('-', "")).await;
    assert!(back.contains("scan=already"), "{back}");
    assert!(
        result_text(&page).starts_with(&format!(
            "受付番号 {receipt} はすでに09:00に来庁済になっています。重ねて記録はしていません。"
        )),
        "{}",
        result_text(&page)
    );
    assert_ready_for_the_next_scan(&page);
    assert_eq!(audit_actions(&app, id).await.len(), 1);
    let again = madoguchi::db::bookings::find(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again, booking, "nothing about the booking changed");

    // An admin scans as a clerk does; after an undo the scan checks in again, once.
    let mut admin = app.admin_client().await;
    post_status(&mut admin, &app, id, "booked").await;
    let (back, _) = scan(&mut admin, &app, DAY, MAIN, &format!(" {receipt}\t")).await;
    assert!(back.contains("scan=checked_in"), "{back}");
    let actions: Vec<String> = audit_actions(&app, id)
        .await
        .into_iter()
        .map(|a| a.0)
        .collect();
    assert_eq!(actions, ["check_in", "undo_status", "check_in"]);

    // Without the form's token nothing is looked at.
    post_status(&mut admin, &app, id, "booked").await;
    let forged = clerk
        .post_form(
            "/t/demo/staff/roster/scan",
            &[
                ("csrf", "forged"),
                ("date", DAY),
                ("counter", &counter.to_string()),
                ("receipt", &receipt),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let booking = madoguchi::db::bookings::find(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(booking.status, "booked");
    // Logged out, it is the login page.
    let mut nobody = app.client();
    let page = nobody.get("/t/demo/staff/login").await;
    let tried = nobody
        .post_form(
            "/t/demo/staff/roster/scan",
            &[
                ("csrf", &csrf(&page.body)),
                ("date", DAY),
                ("counter", &counter.to_string()),
                ("receipt", &receipt),
            ],
        )
        .await;
    assert_eq!(tried.location.as_deref(), Some("/t/demo/staff/login"));
}
on_both_databases!(scanning_todays_receipt_checks_in_once_and_audits);

async fn every_wrong_receipt_gets_its_message_and_writes_nothing(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    // Booked on the first day of the tests (12/1), to be anonymised 30 days after it.
    let (old, _) = book_at(&app, &[&s[62]], "old@example.jp", "12月1日(火) 10:00").await;
    let (tomorrow, _) = book_at(&app, &[&s[63]], "tomorrow@example.jp", "12月4日(金) 10:00").await;
    let (branch, _) = book_at_counter(
        &app,
        &[&s[64]],
        "branch@example.jp",
        "12月3日(木) 10:00",
        BRANCH,
    )
    .await;
    let (branch_tomorrow, _) = book_at_counter(
        &app,
        &[&s[65]],
        "branch2@example.jp",
        "12月4日(金) 11:00",
        BRANCH,
    )
    .await;
    let (gone, gone_password) =
        book_at(&app, &[&s[66]], "gone@example.jp", "12月3日(木) 11:00").await;
    resident_cancels(&app, &gone, &gone_password).await;
    let (missed, _) = book_at(&app, &[&s[67]], "missed@example.jp", "12月3日(木) 09:00").await;
    let ids = [
        booking_id(&app, &old).await,
        booking_id(&app, &tomorrow).await,
        booking_id(&app, &branch).await,
        booking_id(&app, &branch_tomorrow).await,
        booking_id(&app, &gone).await,
        booking_id(&app, &missed).await,
    ];
    app.clock.advance(TWO_DAYS);
    let mut clerk = app.staff_client("suzuki", Role::Clerk).await;
    post_status(&mut clerk, &app, ids[5], "no_show").await;
    let before: Vec<_> = {
        let mut v = Vec::new();
        for id in ids {
            v.push((
                madoguchi::db::bookings::find(app.db(), id).await.unwrap(),
                audit_actions(&app, id).await,
            ));
        }
        v
    };

    let expect = async |clerk: &mut Client, typed: &str, code: &str, says: &str| {
        let (back, page) = scan(clerk, &app, DAY, MAIN, typed).await;
        assert!(back.contains(&format!("scan={code}")), "{typed:?}: {back}");
        let result = result_text(&page);
        assert!(result.starts_with(says), "{typed:?}: {result}");
        assert!(
            page.body.contains("class=\"flash flash-warning\">"),
            "{typed:?}: a warning"
        );
        assert_ready_for_the_next_scan(&page);
        result
    };
    let result = expect(
        &mut clerk,
        &tomorrow,
        "elsewhere",
        &format!(
            "受付番号 {tomorrow} は2026年12月4日(金)の予約です。この一覧(本庁舎 市民課 2026年12月3日(木))の予約ではないため、来庁は記録していません。"
        ),
    )
    .await;
    assert!(result.contains("氏名 山田 1郎"), "who it is: {result}");
    expect(
        &mut clerk,
        &branch,
        "elsewhere",
        &format!(
            "受付番号 {branch} は窓口「北支所」の予約です。この一覧(本庁舎 市民課 2026年12月3日(木))の予約ではないため、来庁は記録していません。"
        ),
    )
    .await;
    expect(
        &mut clerk,
        &branch_tomorrow,
        "elsewhere",
        &format!("受付番号 {branch_tomorrow} は2026年12月4日(金)、窓口「北支所」の予約です。"),
    )
    .await;
    expect(
        &mut clerk,
        &gone,
        "cancelled",
        &format!("受付番号 {gone} の予約は取り消されています。来庁は記録していません。"),
    )
    .await;
    expect(
        &mut clerk,
        &missed,
        "no_show",
        &format!("受付番号 {missed} は不在として記録されています。"),
    )
    .await;
    let not_found = "この受付番号の予約は見つかりませんでした。番号を確かめて、もう一度読み取るか入力してください。";
    // A number no booking has (receipts are drawn at random: one of two is free).
    let taken: Vec<String> = [&old, &tomorrow, &branch, &branch_tomorrow, &gone, &missed]
        .iter()
        .map(|r| r.replace('-', ""))
        .collect();
    let unused = ["0000000000", "0000000001"]
        .into_iter()
        .find(|n| !taken.iter().any(|t| t == n))
        .unwrap();
    let result = expect(&mut clerk, unused, "not_found", not_found).await;
    assert_eq!(result, not_found);
    expect(
        &mut clerk,
        "",
        "empty",
        "受付番号を入力するか、QRコードを読み取ってください。",
    )
    .await;
    expect(
        &mut clerk,
        "12345-6789",
        "length",
        "受付番号は10桁の数字です。読み取った数字は9桁でした。",
    )
    .await;
    expect(
        &mut clerk,
        "https://example.jp/t/demo/",
        "not_digits",
        "受付番号として読み取れませんでした。受付番号は10桁の数字です",
    )
    .await;
    // Tomorrow's roster: that day's booking cannot be checked in yet.
    let (back, page) = scan(&mut clerk, &app, "2026-12-04", MAIN, &tomorrow).await;
    assert!(back.contains("scan=before_the_day"), "{back}");
    assert!(
        result_text(&page).starts_with(&format!(
            "受付番号 {tomorrow} は2026年12月4日(金)の予約のため、まだ来庁済にできません。来庁済・不在は予約日の当日から記録できます。"
        )),
        "{}",
        result_text(&page)
    );
    // Nothing was written by any of them.
    for (i, id) in ids.into_iter().enumerate() {
        assert_eq!(
            (
                madoguchi::db::bookings::find(app.db(), id).await.unwrap(),
                audit_actions(&app, id).await
            ),
            before[i],
            "booking {i}"
        );
    }

    // 30 days after its day, the 12/1 booking is anonymised: said so on that day's roster,
    // with no one shown.
    app.clock.advance(28 * 24 * 60 * 60);
    let report = madoguchi::server::purge_personal_data(&app.app)
        .await
        .unwrap();
    assert!(report.bookings_anonymised >= 1, "{report:?}");
    let mut clerk = app.staff_client("suzuki2", Role::Clerk).await;
    let (back, page) = scan(&mut clerk, &app, "2026-12-01", MAIN, &old).await;
    assert!(back.contains("scan=anonymised"), "{back}");
    let result = result_text(&page);
    assert_eq!(
        result,
        format!(
            "受付番号 {old} は2026年12月1日(火)の予約で、保存期間を過ぎたため個人情報を消去済みです。来庁は記録していません。"
        )
    );
    let booking = madoguchi::db::bookings::find(app.db(), ids[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(booking.status, "booked", "still as it was");
    assert!(audit_actions(&app, ids[0]).await.is_empty());
}
on_both_databases!(every_wrong_receipt_gets_its_message_and_writes_nothing);

async fn racing_scans_of_one_receipt_check_in_once(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, _) = book_at(&app, &[&s[70]], "race@example.jp", "12月3日(木) 10:00").await;
    let id = booking_id(&app, &receipt).await;
    app.clock.advance(TWO_DAYS);
    let clerk = app.staff_client("race", Role::Clerk).await;
    let admin = app.admin_client().await;
    let counter = app.counter_id(MAIN).await.to_string();
    let mut page_client = clerk.clone();
    let roster = page_client
        .get(&format!(
            "/t/demo/staff/roster?date={DAY}&counter={counter}"
        ))
        .await;
    let clerk_csrf = csrf(&roster.body);
    let mut admin_page = admin.clone();
    let admin_roster = admin_page
        .get(&format!(
            "/t/demo/staff/roster?date={DAY}&counter={counter}"
        ))
        .await;
    let admin_csrf = csrf(&admin_roster.body);
    // Two counters' scanners (a clerk's and an admin's), each read twice at once.
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (mut client, token) = if i % 2 == 0 {
            (clerk.clone(), clerk_csrf.clone())
        } else {
            (admin.clone(), admin_csrf.clone())
        };
        let (counter, receipt) = (counter.clone(), receipt.clone());
        tasks.push(tokio::spawn(async move {
            client
                .post_form(
                    "/t/demo/staff/roster/scan",
                    &[
                        ("csrf", &token),
                        ("date", DAY),
                        ("counter", &counter),
                        ("receipt", &receipt),
                    ],
                )
                .await
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        let page = t.await.unwrap();
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text());
        let back = page.location.unwrap();
        let code = back
            .split("scan=")
            .nth(1)
            .unwrap()
            .split(['&', '#'])
            .next()
            .unwrap()
            .to_string();
        results.push(code);
    }
    results.sort();
    assert_eq!(
        results,
        ["already"; 7]
            .into_iter()
            .chain(["checked_in"])
            .map(String::from)
            .collect::<Vec<_>>(),
        "one check-in, seven told it is done"
    );
    let entries = audit_actions(&app, id).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].0, "check_in");
}
on_both_databases!(racing_scans_of_one_receipt_check_in_once);

async fn another_municipalitys_receipt_is_not_found_and_its_roster_is_out_of_reach(
    backend: Backend,
) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, _) = book_at(&app, &[&s[71]], "iso@example.jp", "12月3日(木) 10:00").await;
    let id = booking_id(&app, &receipt).await;
    app.clock.advance(TWO_DAYS);
    let other = madoguchi::db::tenants::create_tenant(app.db(), "other", "他市", 0)
        .await
        .unwrap();
    let other_counter = madoguchi::db::tenants::add_counter(
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
    foreign
        .post_form(
            "/t/other/staff/login",
            &[
                ("csrf", &csrf(&login.body)),
                ("login", "clerk"),
                ("password", "other-clerk-password"),
            ],
        )
        .await;
    let roster = foreign
        .get(&format!(
            "/t/other/staff/roster?date={DAY}&counter={other_counter}"
        ))
        .await;
    assert_eq!(roster.status, StatusCode::OK);
    // The demo's receipt scanned at the other municipality: the same words as a number
    // nobody has, so the scan tells nothing about the demo's bookings.
    let mut said = Vec::new();
    for typed in [receipt.as_str(), "0000000001"] {
        let posted = foreign
            .post_form(
                "/t/other/staff/roster/scan",
                &[
                    ("csrf", &csrf(&roster.body)),
                    ("date", DAY),
                    ("counter", &other_counter.to_string()),
                    ("receipt", typed),
                ],
            )
            .await;
        let back = posted.location.unwrap();
        assert_eq!(
            back,
            format!("/t/other/staff/roster?date={DAY}&counter={other_counter}&scan=not_found")
        );
        let page = foreign.get(&back).await;
        said.push(result_text(&page));
        page.assert_no_text("山田 1郎");
    }
    assert_eq!(said[0], said[1]);
    assert!(said[0].starts_with("この受付番号の予約は見つかりませんでした。"));
    // A demo booking id put into the other's roster URL shows nothing of it.
    let crafted = foreign
        .get(&format!(
            "/t/other/staff/roster?date={DAY}&counter={other_counter}&scan=checked_in&booking={id}"
        ))
        .await;
    assert_eq!(result_text(&crafted), said[0]);
    crafted.assert_no_text(&receipt);
    // The demo's scan form, or the demo's counter, are not the other's to use.
    let demo_counter = app.counter_id(MAIN).await.to_string();
    for (path, counter) in [
        ("/t/demo/staff/roster/scan", other_counter.to_string()),
        ("/t/other/staff/roster/scan", demo_counter),
    ] {
        let tried = foreign
            .post_form(
                path,
                &[
                    ("csrf", &csrf(&roster.body)),
                    ("date", DAY),
                    ("counter", &counter),
                    ("receipt", &receipt),
                ],
            )
            .await;
        assert_eq!(tried.status, StatusCode::NOT_FOUND, "{path}");
    }
    let booking = madoguchi::db::bookings::find(app.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(booking.status, "booked");
    assert!(audit_actions(&app, id).await.is_empty());
}
on_both_databases!(another_municipalitys_receipt_is_not_found_and_its_roster_is_out_of_reach);
