//! 受取人情報 as the municipality defines it: an administrator sets the built-in fields and
//! adds fields of the municipality's own on the console, over HTTP; residents (and clerks
//! on the phone) are asked them, get messages next to them, and their answers show on the
//! confirmation, the details, the print view, the roster and its CSV; changed or deleted
//! fields leave old answers readable; retention erases them; other municipalities and
//! clerks are kept out.
mod migration;
mod resident;
mod staff;

use axum::http::StatusCode;
use madoguchi::db::notices::NewNotice;

use crate::common::client::{Client, Page};
use crate::common::{TestApp, csrf, line_value};
use crate::resident::{digits, hold_labelled, open_link, submit_entry};

/// The four fields of the municipality's own the tests define, by id.
#[derive(Debug, Clone, Copy)]
struct Ids {
    /// 本人確認書類: a required choice with English.
    choice: i64,
    /// 車いすの貸出: an optional yes/no, Japanese only.
    yes_no: i64,
    /// 同行者の人数: an optional number.
    number: i64,
    /// 備考: an optional text.
    text: i64,
}

async fn post(admin: &mut Client, path: &str, fields: &[(&str, &str)]) -> Page {
    let page = admin.get("/t/demo/staff/fields").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let token = csrf(&page.body);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    admin.post_form(path, &all).await
}

async fn post_ok(admin: &mut Client, path: &str, fields: &[(&str, &str)]) -> Page {
    let done = post(admin, path, fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    admin.get(done.location.as_deref().unwrap()).await
}

async fn set_builtins(admin: &mut Client, name: &str, kana: &str, phone: &str) -> Page {
    post_ok(
        admin,
        "/t/demo/staff/fields/builtin",
        &[("name", name), ("kana", kana), ("phone", phone)],
    )
    .await
}

/// The id of the field labelled `label` (as the page's forms name it).
fn id_of(page: &Page, label: &str) -> i64 {
    let at = page
        .body
        .find(&format!("value=\"{label}\""))
        .unwrap_or_else(|| panic!("no field {label} on the page"));
    let before = &page.body[..at];
    let start =
        before.rfind("/staff/fields/extra/").expect("its form") + "/staff/fields/extra/".len();
    let end = start + before[start..].find('"').unwrap();
    before[start..end].parse().unwrap()
}

/// Phone off, kana optional, and four fields of the demo's own, as an admin sets them.
async fn define_fields(admin: &mut Client) -> Ids {
    let page = set_builtins(admin, "required", "optional", "off").await;
    page.assert_text("基本の項目を保存しました。");
    let add = async |admin: &mut Client, fields: &[(&str, &str)]| {
        let page = post_ok(admin, "/t/demo/staff/fields/extra", fields).await;
        page.assert_text("項目を追加しました。");
        page
    };
    add(
        admin,
        &[
            ("label_ja", "本人確認書類"),
            ("label_en", "ID document"),
            ("help_ja", "当日お持ちになる書類を選んでください。"),
            ("help_en", "The document you will bring."),
            ("kind", "choice"),
            ("choices_ja", "運転免許証\r\nパスポート\r\nその他"),
            ("choices_en", "Driving licence\r\nPassport"),
            ("required", "1"),
            ("active", "1"),
            ("position", "1"),
        ],
    )
    .await;
    add(
        admin,
        &[
            ("label_ja", "車いすの貸出"),
            ("help_ja", "窓口で車いすをお貸しします。"),
            ("kind", "yes_no"),
            ("active", "1"),
            ("position", "２"),
        ],
    )
    .await;
    add(
        admin,
        &[
            ("label_ja", "同行者の人数"),
            ("label_en", "Companions"),
            ("kind", "number"),
            ("active", "1"),
            ("position", "3"),
        ],
    )
    .await;
    let page = add(
        admin,
        &[
            ("label_ja", "備考"),
            ("label_en", "Notes"),
            ("kind", "text"),
            ("active", "1"),
            ("position", "4"),
        ],
    )
    .await;
    Ids {
        choice: id_of(&page, "本人確認書類"),
        yes_no: id_of(&page, "車いすの貸出"),
        number: id_of(&page, "同行者の人数"),
        text: id_of(&page, "備考"),
    }
}

/// From the entry form to the booking form for these notices.
async fn to_form(app: &TestApp, notices: &[&NewNotice], email: &str) -> (Client, Page) {
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
    assert_eq!(form.status, StatusCode::OK);
    (client, form)
}

/// One person's fields: name, kana, and answers by field id.
struct Person<'a> {
    name: &'a str,
    kana: &'a str,
    answers: Vec<(i64, &'a str)>,
}

async fn submit(
    app: &TestApp,
    client: &mut Client,
    page: &Page,
    people: &[Person<'_>],
    action: &str,
) -> Page {
    let counter = app.counter_id("本庁舎 市民課").await.to_string();
    let mut fields: Vec<(String, String)> = vec![
        ("csrf".into(), csrf(&page.body)),
        ("counter".into(), counter),
        ("action".into(), action.into()),
    ];
    for (i, p) in people.iter().enumerate() {
        let n = i + 1;
        fields.push((format!("name_{n}"), p.name.into()));
        fields.push((format!("kana_{n}"), p.kana.into()));
        for (id, v) in &p.answers {
            fields.push((format!("f{id}_{n}"), v.to_string()));
        }
    }
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    client.post_form("/t/demo/apply", &refs).await
}

/// The error next to field `name`, as the page shows it.
fn error_of(page: &Page, name: &str) -> String {
    let marker = format!("id=\"{name}-error\">");
    let start = page
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("no error for {name}: {}", page.text()))
        + marker.len();
    let end = start + page.body[start..].find("</p>").unwrap();
    page.body[start..end].to_string()
}

/// Books three people with answers; returns (receipt, password, booking id).
async fn book_three(
    app: &TestApp,
    ids: Ids,
    notices: [&NewNotice; 3],
    email: &str,
) -> (String, String, i64) {
    let (mut client, form) = to_form(app, &notices, email).await;
    let people = [
        Person {
            name: "山田 一郎",
            kana: "",
            answers: vec![
                (ids.choice, "運転免許証"),
                (ids.yes_no, "yes"),
                (ids.number, "２"),
                (ids.text, "=HYPERLINK(\"http://evil.example/\")"),
            ],
        },
        Person {
            name: "山田 二郎",
            kana: "やまだ じろう",
            answers: vec![(ids.choice, "パスポート"), (ids.yes_no, "no")],
        },
        Person {
            name: "山田 三郎",
            kana: "",
            answers: vec![(ids.choice, "その他"), (ids.text, "-付き添いあり")],
        },
    ];
    let chose = submit(app, &mut client, &form, &people, "choose").await;
    assert_eq!(
        chose.location.as_deref(),
        Some("/t/demo/apply/slots"),
        "{}",
        chose.text()
    );
    let (_, form) = hold_labelled(&mut client, "12月3日(木) 10:00").await;
    let to_confirm = submit(app, &mut client, &form, &people, "confirm").await;
    assert_eq!(
        to_confirm.location.as_deref(),
        Some("/t/demo/apply/confirm"),
        "{}",
        to_confirm.text()
    );

    // 予約入力確認: each person's answers, as they will be stored.
    let confirm = client.get("/t/demo/apply/confirm").await;
    assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.text());
    assert_person_answers(&confirm);

    let booked = client
        .post_form("/t/demo/apply/confirm", &[("csrf", &csrf(&confirm.body))])
        .await;
    assert_eq!(booked.location.as_deref(), Some("/t/demo/apply/done"));
    let mails = app.mails_to(email).await;
    let mail = mails.last().unwrap();
    let receipt = line_value(&mail.text, "受付番号").unwrap();
    let password = line_value(&mail.text, "パスワード").unwrap();
    let demo = app.demo_tenant().await;
    let id = madoguchi::db::bookings::find_by_receipt(app.db(), demo.id, &receipt.replace('-', ""))
        .await
        .unwrap()
        .unwrap()
        .id;
    (receipt, password, id)
}

/// The three people's answers, each in their own part of the page, in order, as the
/// details tables show them ("label answer").
fn assert_person_answers(page: &Page) {
    assert_person_answers_with(page, " ")
}

/// As the roster shows them ("label:answer").
fn assert_roster_answers(page: &Page) {
    assert_person_answers_with(page, ":")
}

fn assert_person_answers_with(page: &Page, sep: &str) {
    let text = page.text();
    let one = text.find("山田 一郎").expect("person 1");
    let two = text.find("山田 二郎").expect("person 2");
    let three = text.find("山田 三郎").expect("person 3");
    assert!(one < two && two < three, "{text}");
    let (p1, p2, p3) = (&text[one..two], &text[two..three], &text[three..]);
    let fix = |w: &str| w.replacen(' ', sep, 1);
    for (part, wanted, unwanted) in [
        (
            p1,
            &[
                "本人確認書類 運転免許証",
                "車いすの貸出 はい",
                "同行者の人数 2",
                "備考 =HYPERLINK(\"http://evil.example/\")",
            ][..],
            &["パスポート", "いいえ"][..],
        ),
        (
            p2,
            &[
                "本人確認書類 パスポート",
                "車いすの貸出 いいえ",
                "フリガナ ヤマダ ジロウ",
            ][..],
            &["運転免許証", "同行者の人数", "備考"][..],
        ),
        (
            p3,
            &["本人確認書類 その他", "備考 -付き添いあり"][..],
            &["車いすの貸出", "同行者の人数"][..],
        ),
    ] {
        for w in wanted {
            // フリガナ is a column of its own on the roster.
            let w = if w.starts_with("フリガナ") {
                w.to_string()
            } else {
                fix(w)
            };
            let w = if sep == ":" {
                w.replace("フリガナ ", "")
            } else {
                w
            };
            assert!(part.contains(&w), "{w:?} in {part:?}");
        }
        for u in unwanted {
            assert!(!part.contains(u), "{u:?} not in {part:?}");
        }
    }
}

async fn look_up(app: &TestApp, receipt: &str, password: &str) -> Client {
    let mut resident = app.client();
    let lookup = resident.get("/t/demo/lookup").await;
    let found = resident
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
    resident
}
