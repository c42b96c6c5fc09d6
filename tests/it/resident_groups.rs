//! Families: the grid for a group, 番号2 inside a group, changing the number of people,
//! and places given back showing up for the next resident.
use axum::http::StatusCode;
use madoguchi::demo::sample_notices;

use crate::common::{Backend, TestApp, csrf};
use crate::on_both_databases;
use crate::resident::{book_at, digits, open_link, post_apply, slot_labelled, submit_entry};

/// A resident for `notices` (番号1 + birthdate) up to the grid of `counter`; returns the grid.
async fn grid_for(
    app: &TestApp,
    people: &[&madoguchi::db::notices::NewNotice],
    email: &str,
    counter: &str,
    from: &str,
) -> crate::common::client::Page {
    let mut client = app.client();
    let typed: Vec<(String, String)> = people
        .iter()
        .map(|n| (n.number1.clone(), digits(n)))
        .collect();
    let refs: Vec<(&str, &str)> = typed
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let sent = submit_entry(&mut client, &refs, email).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    let form = open_link(app, &mut client, email).await;
    let counter = app.counter_id(counter).await;
    post_apply(&mut client, &form.body, people.len(), counter, "choose").await;
    client
        .get(&format!("/t/demo/apply/slots?from={from}"))
        .await
}

/// Two people need two contiguous slots with a place each: a time whose next slot is full,
/// or the last slot of the day, is shown but cannot be chosen.
async fn a_group_is_offered_only_runs_it_fits(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    // 北支所 on Wednesday 2 December, 10:15: both places taken.
    let branch = app.counter_id("北支所").await;
    let dec2 = time::macros::date!(2026 - 12 - 02);
    let day = madoguchi::db::slots::find_by_counter_days(app.db(), branch, dec2, dec2)
        .await
        .unwrap();
    let at = |hhmm: i32| day.iter().find(|s| s.start_min == hhmm).unwrap().id;
    for _ in 0..2 {
        assert!(
            madoguchi::db::slots::take_places(app.db(), &[at(10 * 60 + 15)])
                .await
                .unwrap()
        );
    }

    let pair = grid_for(
        &app,
        &[&s[20], &s[21]],
        "pair@example.jp",
        "北支所",
        "2026-12-02",
    )
    .await;
    pair.assert_text("2名様分の予約のため、連続して2枠の予約枠が必要です。");
    assert!(slot_labelled(&pair.body, "12月2日(水) 09:45").is_some());
    assert!(
        slot_labelled(&pair.body, "12月2日(水) 10:00").is_none(),
        "10:00 needs 10:15 too, which is full"
    );
    assert!(slot_labelled(&pair.body, "12月2日(水) 10:15").is_none());
    assert!(slot_labelled(&pair.body, "12月2日(水) 10:30").is_some());
    assert!(
        slot_labelled(&pair.body, "12月2日(水) 17:00").is_none(),
        "the day's last slot has no slot after it"
    );
    // The cell still shows its free places: a number, not a button.
    assert!(pair.text().contains("2"));

    // Alone, 10:00 and the last slot are fine.
    let single = grid_for(&app, &[&s[22]], "single@example.jp", "北支所", "2026-12-02").await;
    single.assert_no_text("名様分の予約のため");
    assert!(slot_labelled(&single.body, "12月2日(水) 10:00").is_some());
    assert!(slot_labelled(&single.body, "12月2日(水) 17:00").is_some());
    assert!(slot_labelled(&single.body, "12月2日(水) 10:15").is_none());

    // Choosing 10:00 for the pair anyway (an old page) is refused, and says why.
    let mut client = app.client();
    let typed = [
        (s[23].number1.clone(), digits(&s[23])),
        (s[24].number1.clone(), digits(&s[24])),
    ];
    let refs: Vec<(&str, &str)> = typed
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    submit_entry(&mut client, &refs, "stale@example.jp").await;
    let form = open_link(&app, &mut client, "stale@example.jp").await;
    post_apply(&mut client, &form.body, 2, branch, "choose").await;
    let grid = client.get("/t/demo/apply/slots?from=2026-12-02").await;
    let refused = client
        .post_form(
            "/t/demo/apply/slots",
            &[
                ("csrf", &csrf(&grid.body)),
                ("slot", &at(10 * 60).to_string()),
            ],
        )
        .await;
    let location = refused.location.clone().unwrap_or_default();
    assert!(location.starts_with("/t/demo/apply/slots"), "{location}");
    let page = client.get(&location).await;
    page.assert_text("予約できませんでした");
    let taken: i32 = madoguchi::db::slots::find(app.db(), at(10 * 60))
        .await
        .unwrap()
        .unwrap()
        .taken;
    assert_eq!(taken, 0, "nothing held");
}
on_both_databases!(a_group_is_offered_only_runs_it_fits);

/// In a family of two, the first person's 番号1 + birthdate is shared with someone else:
/// only that person is asked for 番号2, the second person's entry stays as typed.
async fn number2_is_asked_only_for_the_person_who_needs_it(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (twin, other) = (&s[0], &s[5]);
    let mut client = app.client();
    let page = submit_entry(
        &mut client,
        &[
            (&twin.number1, &digits(twin)),
            (&other.number1, &digits(other)),
        ],
        "family2@example.jp",
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_text("1人目: 交付対象を特定できませんでした。番号2も入力してください。");
    page.assert_no_text("2人目: 交付対象");
    assert!(page.body.contains("id=\"number2_1\""));
    assert!(!page.body.contains("id=\"number2_2\""));
    assert!(page.body.contains(&format!("value=\"{}\"", other.number1)));

    let fields = [
        ("csrf", csrf(&page.body)),
        ("party", "2".into()),
        ("shown_party", "2".into()),
        ("number1_1", twin.number1.clone()),
        ("birth_text_1", digits(twin)),
        ("show_number2_1", "1".into()),
        ("number2_1", twin.number2.clone()),
        ("number1_2", other.number1.clone()),
        ("birth_text_2", digits(other)),
        ("email", "family2@example.jp".into()),
        ("email_confirm", "family2@example.jp".into()),
    ];
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let sent = client.post_form("/t/demo/entry", &refs).await;
    assert_eq!(
        sent.location.as_deref(),
        Some("/t/demo/entry/sent"),
        "{}",
        sent.text()
    );
    let form = open_link(&app, &mut client, "family2@example.jp").await;
    // Shown as printed on the notice, with its hyphen.
    let printed = |n: &str| format!("{}-{}", &n[..3], &n[3..]);
    form.assert_text(&format!("1人目(番号1:{})", printed(&twin.number1)));
    form.assert_text(&format!("2人目(番号1:{})", printed(&other.number1)));
}
on_both_databases!(number2_is_asked_only_for_the_person_who_needs_it);

/// Changing the number of people keeps everything typed; a changed select sent with
/// [送信する] is taken as a change of the number, not checked against the old one.
async fn changing_the_number_of_people_keeps_what_was_typed(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut client = app.client();
    let page = client.get("/t/demo/entry").await;
    let grown = client
        .post_form(
            "/t/demo/entry",
            &[
                ("csrf", &csrf(&page.body)),
                ("shown_party", "1"),
                ("party", "3"),
                ("action", "party"),
                ("number1_1", &s[7].number1),
                ("birth_text_1", &digits(&s[7])),
                ("email", "grow@example.jp"),
                ("email_confirm", "grow@example.jp"),
            ],
        )
        .await;
    assert_eq!(grown.status, StatusCode::OK);
    grown.assert_text("入力欄を3人分にしました。");
    grown.assert_text("3人目");
    grown.assert_no_text("入力内容に誤りがあります");
    assert!(grown.body.contains(&format!("value=\"{}\"", s[7].number1)));
    assert!(grown.body.contains(&format!("value=\"{}\"", digits(&s[7]))));
    assert!(grown.body.contains("value=\"grow@example.jp\""));
    assert!(grown.body.contains("name=\"shown_party\" value=\"3\""));

    // The select set back to 2, then 送信する pressed without 人数を決定.
    let shrunk = client
        .post_form(
            "/t/demo/entry",
            &[
                ("csrf", &csrf(&grown.body)),
                ("shown_party", "3"),
                ("party", "2"),
                ("action", "send"),
                ("number1_1", &s[7].number1),
                ("birth_text_1", &digits(&s[7])),
                ("number1_2", &s[8].number1),
                ("birth_text_2", &digits(&s[8])),
                ("number1_3", "ZZZ999999"),
                ("email", "grow@example.jp"),
                ("email_confirm", "grow@example.jp"),
            ],
        )
        .await;
    assert_eq!(shrunk.status, StatusCode::OK);
    shrunk.assert_text("入力欄を2人分にしました。");
    shrunk.assert_no_text("3人目");
    assert!(shrunk.body.contains(&format!("value=\"{}\"", s[8].number1)));
    assert!(
        app.mails_to("grow@example.jp").await.is_empty(),
        "nothing sent yet"
    );

    // Then 送信する with the numbers agreeing sends the mail.
    let sent = client
        .post_form(
            "/t/demo/entry",
            &[
                ("csrf", &csrf(&shrunk.body)),
                ("shown_party", "2"),
                ("party", "2"),
                ("action", "send"),
                ("number1_1", &s[7].number1),
                ("birth_text_1", &digits(&s[7])),
                ("number1_2", &s[8].number1),
                ("birth_text_2", &digits(&s[8])),
                ("email", "grow@example.jp"),
                ("email_confirm", "grow@example.jp"),
            ],
        )
        .await;
    assert_eq!(
        sent.location.as_deref(),
        Some("/t/demo/entry/sent"),
        "{}",
        sent.text()
    );
}
on_both_databases!(changing_the_number_of_people_keeps_what_was_typed);

/// What a cancellation gives back, the next resident sees on the grid at once.
async fn a_cancelled_place_is_offered_again(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, password) = book_at(
        &app,
        &[&s[30], &s[31]],
        "giveback@example.jp",
        "12月3日(木) 10:00",
    )
    .await;
    let seen = grid_for(
        &app,
        &[&s[32]],
        "next@example.jp",
        "本庁舎 市民課",
        "2026-12-03",
    )
    .await;
    assert!(seen.body.contains("aria-label=\"12月3日(木) 10:00 空き1\""));
    assert!(seen.body.contains("aria-label=\"12月3日(木) 10:15 空き1\""));

    let mut client = app.client();
    let lookup = client.get("/t/demo/lookup").await;
    client
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&lookup.body)),
                ("receipt_number", &receipt),
                ("password", &password),
            ],
        )
        .await;
    let cancel = client.get("/t/demo/booking/cancel").await;
    client
        .post_form("/t/demo/booking/cancel", &[("csrf", &csrf(&cancel.body))])
        .await;

    let seen = grid_for(
        &app,
        &[&s[33]],
        "later@example.jp",
        "本庁舎 市民課",
        "2026-12-03",
    )
    .await;
    assert!(
        seen.body.contains("aria-label=\"12月3日(木) 10:00 空き2\""),
        "the place given back is offered"
    );
    assert!(seen.body.contains("aria-label=\"12月3日(木) 10:15 空き2\""));
}
on_both_databases!(a_cancelled_place_is_offered_again);

/// 連絡先メールアドレス2 gets what the first address gets: the completion mail with the
/// receipt and password, and the change and cancellation mails, each with its calendar file.
async fn the_second_address_hears_everything(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut client = app.client();
    submit_entry(
        &mut client,
        &[(&s[34].number1, &digits(&s[34]))],
        "parent@example.jp",
    )
    .await;
    let form = open_link(&app, &mut client, "parent@example.jp").await;
    let counter = app.counter_id("本庁舎 市民課").await;
    let mut fields = crate::resident::recipients(1);
    fields.push(("csrf".into(), csrf(&form.body)));
    fields.push(("counter".into(), counter.to_string()));
    fields.push(("email2".into(), "Child@Example.jp ".into()));
    fields.push(("action".into(), "choose".into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    client.post_form("/t/demo/apply", &refs).await;
    let grid = client.get("/t/demo/apply/slots?from=2026-12-03").await;
    let slot = slot_labelled(&grid.body, "12月3日(木) 11:00").unwrap();
    client
        .post_form(
            "/t/demo/apply/slots",
            &[("csrf", &csrf(&grid.body)), ("slot", &slot)],
        )
        .await;
    let form = client.get("/t/demo/apply").await;
    // Kept as typed on the form; the confirmation shows it as it will be used.
    assert!(form.body.contains("value=\"Child@Example.jp \""));
    let mut fields = crate::resident::recipients(1);
    fields.push(("csrf".into(), csrf(&form.body)));
    fields.push(("counter".into(), counter.to_string()));
    fields.push(("email2".into(), "Child@Example.jp ".into()));
    fields.push(("action".into(), "confirm".into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let to_confirm = client.post_form("/t/demo/apply", &refs).await;
    assert_eq!(
        to_confirm.location.as_deref(),
        Some("/t/demo/apply/confirm"),
        "{}",
        to_confirm.text()
    );
    let confirm = client.get("/t/demo/apply/confirm").await;
    confirm.assert_text("Child@example.jp");
    client
        .post_form("/t/demo/apply/confirm", &[("csrf", &csrf(&confirm.body))])
        .await;

    let first = app.mails_to("parent@example.jp").await;
    let second = app.mails_to("Child@example.jp").await;
    let completion = |mails: &[madoguchi::mail::SentMail]| {
        mails
            .iter()
            .find(|m| m.subject.contains("予約完了通知メール"))
            .cloned()
            .expect("a completion mail")
    };
    let (a, b) = (completion(&first), completion(&second));
    let receipt = crate::common::line_value(&a.text, "受付番号").unwrap();
    let password = crate::common::line_value(&a.text, "パスワード").unwrap();
    assert_eq!(
        crate::common::line_value(&b.text, "受付番号").unwrap(),
        receipt
    );
    assert_eq!(
        crate::common::line_value(&b.text, "パスワード").unwrap(),
        password
    );
    assert!(b.ics.as_deref().unwrap().contains("METHOD:PUBLISH"));

    // Cancelled from the lookup: both hear it, and both calendars are told to drop it.
    let mut other = app.client();
    let lookup = other.get("/t/demo/lookup").await;
    other
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&lookup.body)),
                ("receipt_number", &receipt),
                ("password", &password),
            ],
        )
        .await;
    let cancel = other.get("/t/demo/booking/cancel").await;
    other
        .post_form("/t/demo/booking/cancel", &[("csrf", &csrf(&cancel.body))])
        .await;
    for to in ["parent@example.jp", "Child@example.jp"] {
        let cancelled: Vec<_> = app
            .mails_to(to)
            .await
            .into_iter()
            .filter(|m| m.subject.contains("取消"))
            .collect();
        assert_eq!(cancelled.len(), 1, "{to}");
        let ics = cancelled[0].ics.as_deref().expect("a calendar file");
        assert!(
            ics.contains("METHOD:CANCEL") && ics.contains("STATUS:CANCELLED"),
            "{ics}"
        );
    }
}
on_both_databases!(the_second_address_hears_everything);
