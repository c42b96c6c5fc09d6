//! The resident's booking flow of seed 004, driven as a browser would: forms, cookies,
//! mails read back from the mailbox; on both databases.
use axum::http::StatusCode;
use madoguchi::db::notices::NewNotice;
use madoguchi::demo::sample_notices;

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, csrf, line_value, link_in, selectable_slots};
use crate::on_both_databases;

pub fn digits(n: &NewNotice) -> String {
    format!(
        "{:04}{:02}{:02}",
        n.birthdate.year(),
        n.birthdate.month() as u8,
        n.birthdate.day()
    )
}

/// Fills the entry form for these notices and submits it.
pub async fn submit_entry(client: &mut Client, people: &[(&str, &str)], email: &str) -> Page {
    let page = client
        .get(&format!("/t/demo/entry?party={}", people.len()))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let token = csrf(&page.body);
    let party = people.len().to_string();
    let mut fields: Vec<(String, String)> = vec![
        ("csrf".into(), token),
        ("party".into(), party),
        ("email".into(), email.into()),
        ("email_confirm".into(), email.into()),
    ];
    for (i, (number1, birth)) in people.iter().enumerate() {
        fields.push((format!("number1_{}", i + 1), number1.to_string()));
        fields.push((format!("birth_text_{}", i + 1), birth.to_string()));
    }
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    client.post_form("/t/demo/entry", &refs).await
}

/// From the verification mail to the booking form: open the link, press the button.
pub async fn open_link(app: &TestApp, client: &mut Client, email: &str) -> Page {
    let mails = app.mails_to(email).await;
    let mail = mails.last().expect("a verification mail");
    assert!(
        mail.subject.contains("連絡先アドレス確認メール"),
        "{}",
        mail.subject
    );
    let link = link_in(&mail.text, "http://127.0.0.1:3000/t/demo/apply/").expect("a link");
    let landing = client.get(&link).await;
    assert_eq!(landing.status, StatusCode::OK, "{}", landing.text());
    let used = client
        .post_form(&link, &[("csrf", &csrf(&landing.body))])
        .await;
    assert_eq!(used.status, StatusCode::SEE_OTHER, "{}", used.text());
    assert_eq!(used.location.as_deref(), Some("/t/demo/apply"));
    client.get("/t/demo/apply").await
}

/// Recipient fields for `n` people.
pub fn recipients(n: usize) -> Vec<(String, String)> {
    // Typed as people type: hiragana and half-width katakana are turned into katakana.
    const KANA: [&str; 4] = [
        "やまだ いちろう",
        "ﾔﾏﾀﾞ ｼﾞﾛｳ",
        "ヤマダ　サブロウ",
        "やまだ しろう",
    ];
    let mut v = Vec::new();
    for i in 1..=n {
        v.push((format!("name_{i}"), format!("山田 {i}郎")));
        v.push((format!("kana_{i}"), KANA[(i - 1) % 4].to_string()));
        v.push((format!("phone_{i}"), "０９０−１２３４−５６７８".to_string()));
    }
    v
}

pub async fn post_apply(
    client: &mut Client,
    page_body: &str,
    n: usize,
    counter: i64,
    action: &str,
) -> Page {
    let mut fields = recipients(n);
    fields.push(("csrf".into(), csrf(page_body)));
    fields.push(("counter".into(), counter.to_string()));
    fields.push(("action".into(), action.into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    client.post_form("/t/demo/apply", &refs).await
}

/// Goes to the grid and holds the cell at `index` among the selectable ones.
pub async fn hold_cell(client: &mut Client, index: usize) -> (String, Page) {
    let grid = client.get("/t/demo/apply/slots").await;
    assert_eq!(grid.status, StatusCode::OK);
    let cells = selectable_slots(&grid.body);
    let slot = cells.get(index).expect("a selectable cell").clone();
    hold_slot(client, &grid, &slot).await
}

/// Holds the cell whose button a screen reader announces as `label`.
pub async fn hold_labelled(client: &mut Client, label: &str) -> (String, Page) {
    let grid = client.get("/t/demo/apply/slots").await;
    let slot = slot_labelled(&grid.body, label).unwrap_or_else(|| panic!("no cell {label}"));
    hold_slot(client, &grid, &slot).await
}

pub fn slot_labelled(html: &str, label: &str) -> Option<String> {
    let at = html.find(&format!("aria-label=\"{label}"))?;
    let before = &html[..at];
    let v = before.rfind("value=\"")? + "value=\"".len();
    let end = before[v..].find('"')?;
    Some(before[v..v + end].to_string())
}

async fn hold_slot(client: &mut Client, grid: &Page, slot: &str) -> (String, Page) {
    let slot = slot.to_string();
    let held = client
        .post_form(
            "/t/demo/apply/slots",
            &[("csrf", &csrf(&grid.body)), ("slot", &slot)],
        )
        .await;
    assert_eq!(held.status, StatusCode::SEE_OTHER);
    (slot, client.get("/t/demo/apply").await)
}

/// The whole flow for these notices at today 10:00 (past the change deadline); returns
/// (receipt number, password) from the mail.
pub async fn book(app: &TestApp, notices: &[&NewNotice], email: &str) -> (String, String) {
    book_at(app, notices, email, "12月1日(火) 10:00").await
}

/// The whole flow, holding the cell announced as `cell`.
pub async fn book_at(
    app: &TestApp,
    notices: &[&NewNotice],
    email: &str,
    cell: &str,
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
    let counter = app.counter_id("本庁舎 市民課").await;
    let chose = post_apply(&mut client, &form.body, notices.len(), counter, "choose").await;
    assert_eq!(chose.location.as_deref(), Some("/t/demo/apply/slots"));
    let (_, form) = hold_labelled(&mut client, cell).await;
    form.assert_text("仮押さえ中です");
    let to_confirm = post_apply(&mut client, &form.body, notices.len(), counter, "confirm").await;
    assert_eq!(
        to_confirm.location.as_deref(),
        Some("/t/demo/apply/confirm"),
        "{}",
        to_confirm.text()
    );
    let confirm = client.get("/t/demo/apply/confirm").await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.text());
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
    let mail = mails.last().unwrap();
    assert!(
        mail.subject.contains("予約完了通知メール"),
        "{}",
        mail.subject
    );
    (
        line_value(&mail.text, "受付番号").expect("receipt in mail"),
        line_value(&mail.text, "パスワード").expect("password in mail"),
    )
}

async fn one_person_books_end_to_end(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let samples = sample_notices();
    let n = &samples[10];
    let mut client = app.client();

    let home = client.get("/t/demo/").await;
    home.assert_text("受取予約をする");
    let entry = client.get("/t/demo/entry").await;
    entry.assert_text("メールアドレス入力");
    entry.assert_text("番号1を入力してください");
    entry.assert_text("誕生日を入力してください");
    entry.assert_text("連絡先メールアドレス(確認用)");
    assert!(
        entry.body.contains("1972年(昭和47年)"),
        "era beside the Western year"
    );

    let sent = submit_entry(&mut client, &[(&n.number1, &digits(n))], "taro@example.jp").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    let sent = client.get(sent.location.as_deref().unwrap()).await;
    sent.assert_text("メール送信完了");
    sent.assert_text("taro@example.jp");

    let form = open_link(&app, &mut client, "taro@example.jp").await;
    form.assert_text("窓口予約申込");
    form.assert_text("受取人情報");
    form.assert_text("予約日時選択");
    form.assert_text("連絡先メールアドレス2");

    let counter = app.counter_id("本庁舎 市民課").await;
    // Confirming without a time says so next to the field, keeping what was typed.
    let no_time = post_apply(&mut client, &form.body, 1, counter, "confirm").await;
    assert_eq!(no_time.status, StatusCode::UNPROCESSABLE_ENTITY);
    no_time.assert_text("予約日時を選択してください。");
    assert!(no_time.body.contains("value=\"山田 1郎\""));

    post_apply(&mut client, &form.body, 1, counter, "choose").await;
    let grid = client.get("/t/demo/apply/slots").await;
    grid.assert_text("予約日選択");
    grid.assert_text("本庁舎 市民課");
    // Today is Tuesday 2026-12-01, 09:00 with a 60-minute cut-off: 10:00 is the first,
    // and inside the 24-hour change deadline already, which its label says.
    assert!(
        grid.body
            .contains("aria-label=\"12月1日(火) 10:00 空き2 (ウェブでの変更・取消不可)\""),
        "{}",
        grid.text()
    );
    assert!(!grid.body.contains("aria-label=\"12月1日(火) 09:45"));
    let (_, form) = hold_labelled(&mut client, "12月1日(火) 10:00").await;
    form.assert_text("2026年12月1日(火) 10:00〜10:15");
    form.assert_text("09:10までに");

    let to_confirm = post_apply(&mut client, &form.body, 1, counter, "confirm").await;
    assert_eq!(
        to_confirm.location.as_deref(),
        Some("/t/demo/apply/confirm")
    );
    let confirm = client.get("/t/demo/apply/confirm").await;
    confirm.assert_text("予約入力確認");
    confirm.assert_text("ヤマダ イチロウ");
    confirm.assert_text("窓口へのアクセス");
    confirm.assert_text("デモ駅東口から徒歩5分");
    confirm.assert_text("入力へ戻る");
    let done = client
        .post_form("/t/demo/apply/confirm", &[("csrf", &csrf(&confirm.body))])
        .await;
    let done = client.get(done.location.as_deref().unwrap()).await;
    done.assert_text("予約入力完了");
    done.assert_text("予約照会へ");

    let mails = app.mails_to("taro@example.jp").await;
    assert_eq!(mails.len(), 2);
    let mail = &mails[1];
    assert!(mail.subject.contains("予約完了通知メール"));
    let receipt = line_value(&mail.text, "受付番号").unwrap();
    let password = line_value(&mail.text, "パスワード").unwrap();
    done.assert_text(&receipt);
    assert!(mail.text.contains("2026年12月1日(火)"));
    assert!(mail.text.contains("10:00〜10:15"));
    assert!(mail.text.contains("本庁舎 市民課"));
    assert!(mail.text.contains("デモ駅東口から徒歩5分"));
    assert!(mail.text.contains("山田 1郎"));
    let ics = mail.ics.as_ref().expect("a calendar attachment");
    assert!(ics.contains("BEGIN:VEVENT"));
    assert!(
        ics.contains("DTSTART:20261201T010000Z"),
        "10:00 JST is 01:00 UTC\n{ics}"
    );

    // [予約照会へ] opens the details straight away.
    let details = client.get("/t/demo/booking").await;
    details.assert_text("予約詳細");
    details.assert_text(&receipt);
    details.assert_text("予約済");

    // Another browser looks it up with the receipt and password from the mail.
    let mut other = app.client();
    let lookup = other.get("/t/demo/lookup").await;
    let wrong = other
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&lookup.body)),
                ("receipt_number", &receipt),
                ("password", "AAAA-BBBB-CCCC-DDDD"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_text("受付番号またはパスワードが正しくありません");
    let ok = other
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&lookup.body)),
                ("receipt_number", &receipt),
                ("password", &password.to_lowercase()),
            ],
        )
        .await;
    assert_eq!(ok.location.as_deref(), Some("/t/demo/booking"));
    let details = other.get("/t/demo/booking").await;
    details.assert_text(&receipt);
    details.assert_text("山田 1郎");
    let print = other.get("/t/demo/booking/print").await;
    print.assert_text("予約内容");
    print.assert_text(&receipt);
}
on_both_databases!(one_person_books_end_to_end);

async fn groups_of_two_and_four_take_contiguous_slots(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt2, _) = book(&app, &[&s[20], &s[21]], "pair@example.jp").await;
    let (receipt4, _) = book(&app, &[&s[3], &s[4], &s[5], &s[6]], "family@example.jp").await;
    assert_ne!(receipt2, receipt4);
    let tenant = app.demo_tenant().await;
    for (receipt, n) in [(receipt2, 2), (receipt4, 4)] {
        let folded = receipt.replace('-', "");
        let b = madoguchi::db::bookings::find_by_receipt(app.db(), tenant.id, &folded)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(b.party_size, n);
        assert_eq!(
            b.end_min - b.start_min,
            15 * n,
            "{n} contiguous 15-minute slots"
        );
    }
    let mails = app.mails_to("family@example.jp").await;
    let text = &mails.last().unwrap().text;
    for i in 1..=4 {
        assert!(text.contains(&format!("山田 {i}郎")), "{text}");
    }
}
on_both_databases!(groups_of_two_and_four_take_contiguous_slots);
