//! The resident flow's edges: number 2, full-width and era input, links, holds, double
//! submits, already-booked notices, change and cancellation, the deadline, and the race.
use axum::http::StatusCode;
use madoguchi::db::notices::NewNotice;
use madoguchi::demo::sample_notices;

use crate::common::{Backend, TestApp, csrf, line_value, link_in, selectable_slots};
use crate::on_both_databases;
use crate::resident::{book, book_at, digits, hold_cell, open_link, post_apply, submit_entry};

fn to_full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' | 'A'..='Z' | 'a'..='z' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap(),
            other => other,
        })
        .collect()
}

fn era(n: &NewNotice) -> String {
    let (era, year) = madoguchi::core::resident_input::era_of(n.birthdate).unwrap();
    format!(
        "{}{}年{}月{}日",
        era.name(),
        year,
        n.birthdate.month() as u8,
        n.birthdate.day()
    )
}

async fn number2_is_asked_when_number1_is_ambiguous(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (first, twin) = (&s[0], &s[1]);
    assert_eq!(
        (&first.number1, first.birthdate),
        (&twin.number1, twin.birthdate)
    );
    let mut client = app.client();
    let page = submit_entry(
        &mut client,
        &[(&first.number1, &digits(first))],
        "twin@example.jp",
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_text("交付対象を特定できませんでした。番号2も入力してください。");
    page.assert_text("番号2を入力してください");
    // Everything typed is still there.
    assert!(page.body.contains(&format!("value=\"{}\"", first.number1)));
    assert!(page.body.contains("value=\"twin@example.jp\""));
    let fields = [
        ("csrf", csrf(&page.body)),
        ("party", "1".into()),
        ("number1_1", first.number1.clone()),
        ("birth_text_1", digits(first)),
        ("show_number2_1", "1".into()),
        ("number2_1", twin.number2.to_lowercase()),
        ("email", "twin@example.jp".into()),
        ("email_confirm", "twin@example.jp".into()),
    ];
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let sent = client.post_form("/t/demo/entry", &refs).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    assert_eq!(app.mails_to("twin@example.jp").await.len(), 1);
}
on_both_databases!(number2_is_asked_when_number1_is_ambiguous);

async fn full_width_hyphens_and_era_input_are_understood(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let n = &s[30];
    let typed_number = format!(
        " {}ー{} ",
        to_full_width(&n.number1[..3].to_lowercase()),
        to_full_width(&n.number1[3..])
    );
    let mut client = app.client();
    let sent = submit_entry(
        &mut client,
        &[(&typed_number, &to_full_width(&era(n)))],
        "ＥＲＡ＠example.jp",
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    let page = client.get("/t/demo/entry/sent").await;
    page.assert_text(&madoguchi::core::resident_input::format_date_ja(
        n.birthdate,
    ));
    assert_eq!(app.mails_to("ERA@example.jp").await.len(), 1);
}
on_both_databases!(full_width_hyphens_and_era_input_are_understood);

async fn bad_entry_input_is_explained_next_to_each_field(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut client = app.client();
    let page = client.get("/t/demo/entry?party=2").await;
    let fields = [
        ("csrf", csrf(&page.body)),
        ("party", "2".to_string()),
        ("number1_1", "AB".to_string()),
        ("birth_text_1", "昭和64年2月1日".to_string()),
        ("number1_2", "".to_string()),
        ("birth_text_2", "20990101".to_string()),
        ("email", "taro@@example".to_string()),
        ("email_confirm", "other@example.jp".to_string()),
    ];
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let bad = client.post_form("/t/demo/entry", &refs).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_text("入力内容に誤りがあります");
    bad.assert_text("昭和64年は1月7日までです");
    bad.assert_text("未来の日付は入力できません");
    bad.assert_text("番号1を入力してください。");
    bad.assert_text("メールアドレスの形式が正しくありません");
    assert!(bad.body.contains("value=\"AB\""));
    assert!(bad.body.contains("value=\"昭和64年2月1日\""));
    assert!(bad.body.contains("aria-invalid=\"true\""));
    assert!(app.mails().await.is_empty(), "nothing sent for a bad form");

    // Unknown number with a plausible birthdate: number 2 is asked for, nothing leaks.
    let unknown = submit_entry(&mut client, &[("ZZZ999999", "19800101")], "x@example.jp").await;
    unknown.assert_text("交付対象を特定できませんでした。番号2も入力してください。");

    // A missing CSRF token is refused.
    let forged = client.post_form("/t/demo/entry", &[("party", "1")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}
on_both_databases!(bad_entry_input_is_explained_next_to_each_field);

async fn links_expire_and_work_once(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut client = app.client();
    submit_entry(
        &mut client,
        &[(&s[40].number1, &digits(&s[40]))],
        "late@example.jp",
    )
    .await;
    let mail = app.mails_to("late@example.jp").await.remove(0);
    let link = link_in(&mail.text, "http://127.0.0.1:3000/t/demo/apply/").unwrap();
    app.clock.advance(61 * 60);
    let late = client.get(&link).await;
    assert_eq!(late.status, StatusCode::GONE);
    late.assert_text("有効期限が切れています");
    late.assert_text("最初からやり直す");
    app.clock.advance(-61 * 60);

    let form = open_link(&app, &mut client, "late@example.jp").await;
    form.assert_text("窓口予約申込");
    let again = client.get(&link).await;
    assert_eq!(again.status, StatusCode::GONE);
    again.assert_text("すでに使用されています");
    let bogus = client.get("/t/demo/apply/NOTATOKEN").await;
    assert_eq!(bogus.status, StatusCode::NOT_FOUND);
    bogus.assert_text("URLが正しくありません");
}
on_both_databases!(links_expire_and_work_once);

async fn an_expired_hold_is_refused_and_can_be_extended_before(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut client = app.client();
    submit_entry(
        &mut client,
        &[(&s[41].number1, &digits(&s[41]))],
        "slow@example.jp",
    )
    .await;
    let form = open_link(&app, &mut client, "slow@example.jp").await;
    let counter = app.counter_id("北支所").await;
    post_apply(&mut client, &form.body, 1, counter, "choose").await;
    let (_, form) = hold_cell(&mut client, 0).await;
    form.assert_text("仮押さえを延長する");

    // Extending moves the end by the hold time from now.
    app.clock.advance(8 * 60);
    let extended = post_apply(&mut client, &form.body, 1, counter, "extend").await;
    extended.assert_text("仮押さえを延長しました。09:18まで有効です。");
    // Pressed again at once it gives nothing more, and says so plainly.
    let again = post_apply(&mut client, &form.body, 1, counter, "extend").await;
    again.assert_text("仮押さえは09:18まで有効です。");
    again.assert_no_text("延長しました");

    // A hold runs at most 30 minutes after it was placed (09:00).
    app.clock.advance(8 * 60);
    post_apply(&mut client, &form.body, 1, counter, "extend")
        .await
        .assert_text("09:26まで有効です");
    app.clock.advance(9 * 60);
    let capped = post_apply(&mut client, &form.body, 1, counter, "extend").await;
    capped.assert_text("仮押さえを延長しました。09:30まで有効です。");
    capped.assert_no_text("仮押さえを延長する");
    app.clock.advance(60);
    let at_cap = post_apply(&mut client, &form.body, 1, counter, "extend").await;
    at_cap.assert_text("仮押さえはこれ以上延長できません。09:30までに予約を確定してください。");
    at_cap.assert_no_text("延長しました");

    post_apply(&mut client, &form.body, 1, counter, "confirm").await;
    let confirm = client.get("/t/demo/apply/confirm").await;
    app.clock.advance(11 * 60);
    let late = client
        .post_form("/t/demo/apply/confirm", &[("csrf", &csrf(&confirm.body))])
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    late.assert_text("仮押さえの有効期限が切れました。入力へ戻って予約日時を再設定してください。");
    assert_eq!(
        app.mails_to("slow@example.jp").await.len(),
        1,
        "no completion mail"
    );

    // The refusal gave the expired hold's place back at once (every slot's count matches its
    // holds and bookings again), so the background job has nothing left to release.
    assert_eq!(crate::common::rows::taken_mismatches(app.db()).await, 0);
    let released = madoguchi::db::holds::release_expired(app.db(), app.clock.now_unix())
        .await
        .unwrap();
    assert_eq!(released, 0);
}
on_both_databases!(an_expired_hold_is_refused_and_can_be_extended_before);

async fn pressing_book_twice_makes_one_booking(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut client = app.client();
    submit_entry(
        &mut client,
        &[(&s[42].number1, &digits(&s[42]))],
        "double@example.jp",
    )
    .await;
    let form = open_link(&app, &mut client, "double@example.jp").await;
    let counter = app.counter_id("本庁舎 市民課").await;
    post_apply(&mut client, &form.body, 1, counter, "choose").await;
    let (_, form) = hold_cell(&mut client, 3).await;
    post_apply(&mut client, &form.body, 1, counter, "confirm").await;
    let confirm = client.get("/t/demo/apply/confirm").await;
    let token = csrf(&confirm.body);
    let first = client
        .post_form("/t/demo/apply/confirm", &[("csrf", &token)])
        .await;
    let second = client
        .post_form("/t/demo/apply/confirm", &[("csrf", &token)])
        .await;
    assert_eq!(first.location, second.location);
    assert_eq!(second.location.as_deref(), Some("/t/demo/apply/done"));
    let mails = app.mails_to("double@example.jp").await;
    assert_eq!(
        mails
            .iter()
            .filter(|m| m.subject.contains("予約完了通知メール"))
            .count(),
        1
    );
}
on_both_databases!(pressing_book_twice_makes_one_booking);

/// Five presses of each button at the same instant from one browser (a double click, an
/// impatient retry): one booking, one change, one cancellation, one mail each, and every
/// press ends on the page a person expects rather than an error.
async fn simultaneous_presses_act_once_and_say_so(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut client = app.client();
    submit_entry(
        &mut client,
        &[(&s[46].number1, &digits(&s[46]))],
        "clicky@example.jp",
    )
    .await;
    let form = open_link(&app, &mut client, "clicky@example.jp").await;
    let counter = app.counter_id("本庁舎 市民課").await;
    post_apply(&mut client, &form.body, 1, counter, "choose").await;
    let (_, form) = hold_cell(&mut client, 3).await;
    post_apply(&mut client, &form.body, 1, counter, "confirm").await;
    let confirm = client.get("/t/demo/apply/confirm").await;
    let token = csrf(&confirm.body);
    let presses = (0..5).map(|_| {
        let mut c = client.clone();
        let token = token.clone();
        tokio::spawn(async move {
            c.post_form("/t/demo/apply/confirm", &[("csrf", &token)])
                .await
        })
    });
    for press in futures_join(presses).await {
        assert_eq!(
            press.location.as_deref(),
            Some("/t/demo/apply/done"),
            "{}",
            press.text()
        );
    }
    let done = client.get("/t/demo/apply/done").await;
    done.assert_text("予約入力完了");
    let tenant = app.demo_tenant().await;
    let booked = madoguchi::db::bookings::notices_with_active_booking(
        app.db(),
        &[notice_id(&app, tenant.id, &s[46]).await],
    )
    .await
    .unwrap();
    assert_eq!(booked.len(), 1);
    let mails = app.mails_to("clicky@example.jp").await;
    let completion = mails
        .iter()
        .filter(|m| m.subject.contains("予約完了通知メール"))
        .collect::<Vec<_>>();
    assert_eq!(completion.len(), 1, "one completion mail");
    let receipt = line_value(&completion[0].text, "受付番号").unwrap();
    let password = line_value(&completion[0].text, "パスワード").unwrap();

    // The change, pressed five times at once.
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
    let grid = client.get("/t/demo/booking/slots?from=2026-12-10").await;
    let cells = selectable_slots(&grid.body);
    client
        .post_form(
            "/t/demo/booking/slots",
            &[("csrf", &csrf(&grid.body)), ("slot", &cells[0])],
        )
        .await;
    let change = client.get("/t/demo/booking/change").await;
    let token = csrf(&change.body);
    let presses = (0..5).map(|_| {
        let mut c = client.clone();
        let token = token.clone();
        tokio::spawn(async move {
            c.post_form("/t/demo/booking/change", &[("csrf", &token)])
                .await
        })
    });
    for press in futures_join(presses).await {
        assert_eq!(
            press.location.as_deref(),
            Some("/t/demo/booking"),
            "{}",
            press.text()
        );
    }
    // A press that arrives after the change ended the hold in the session (the race the
    // five above may or may not hit) still answers with the changed booking.
    let late = client
        .post_form("/t/demo/booking/change", &[("csrf", &token)])
        .await;
    assert_eq!(
        late.location.as_deref(),
        Some("/t/demo/booking"),
        "{}",
        late.text()
    );
    let details = client.get("/t/demo/booking").await;
    details.assert_text("2026年12月10日(木)");
    let changes = app
        .mails_to("clicky@example.jp")
        .await
        .into_iter()
        .filter(|m| m.subject.contains("変更"))
        .count();
    assert_eq!(changes, 1, "one change mail");

    // The cancellation, pressed five times at once.
    let cancel = client.get("/t/demo/booking/cancel").await;
    let token = csrf(&cancel.body);
    let presses = (0..5).map(|_| {
        let mut c = client.clone();
        let token = token.clone();
        tokio::spawn(async move {
            c.post_form("/t/demo/booking/cancel", &[("csrf", &token)])
                .await
        })
    });
    for press in futures_join(presses).await {
        assert_eq!(press.location.as_deref(), Some("/t/demo/booking"));
    }
    let details = client.get("/t/demo/booking").await;
    details.assert_text("取消済");
    details.assert_no_text("変更・取消できません");
    let cancels = app
        .mails_to("clicky@example.jp")
        .await
        .into_iter()
        .filter(|m| m.subject.contains("取消"))
        .count();
    assert_eq!(cancels, 1, "one cancellation mail");
    let dec10 = madoguchi::db::slots::find_by_counter_days(
        app.db(),
        counter,
        time::macros::date!(2026 - 12 - 10),
        time::macros::date!(2026 - 12 - 10),
    )
    .await
    .unwrap();
    assert_eq!(dec10.iter().map(|s| s.taken).sum::<i32>(), 0);
}
on_both_databases!(simultaneous_presses_act_once_and_say_so);

async fn futures_join<T: Send + 'static>(
    tasks: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<T> {
    let mut out = Vec::new();
    for t in tasks.collect::<Vec<_>>() {
        out.push(t.await.expect("task"));
    }
    out
}

async fn notice_id(app: &TestApp, tenant_id: i64, notice: &NewNotice) -> i64 {
    madoguchi::db::notices::find_by_number2(app.db(), tenant_id, &notice.number2, notice.birthdate)
        .await
        .unwrap()
        .expect("the notice")
        .id
}

async fn a_booked_notice_cannot_be_booked_again(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    book(&app, &[&s[43]], "once@example.jp").await;
    let mut client = app.client();
    let again = submit_entry(
        &mut client,
        &[(&s[43].number1, &digits(&s[43]))],
        "twice@example.jp",
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    again.assert_text("この交付通知書はすでに予約済みです");
    assert!(again.body.contains("href=\"/t/demo/lookup\""));
}
on_both_databases!(a_booked_notice_cannot_be_booked_again);

async fn lookup_then_change_and_cancel_free_the_places(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, password) = book_at(
        &app,
        &[&s[44], &s[45]],
        "move@example.jp",
        "12月3日(木) 10:00",
    )
    .await;
    let tenant = app.demo_tenant().await;
    let booking =
        madoguchi::db::bookings::find_by_receipt(app.db(), tenant.id, &receipt.replace('-', ""))
            .await
            .unwrap()
            .unwrap();
    let old_slots = madoguchi::db::slots::find_by_counter_days(
        app.db(),
        booking.counter_id,
        booking.day,
        booking.day,
    )
    .await
    .unwrap();
    let taken_before: i32 = old_slots.iter().map(|s| s.taken).sum();

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
    let grid = client.get("/t/demo/booking/slots?from=2026-12-10").await;
    grid.assert_text("予約日選択");
    let cells = selectable_slots(&grid.body);
    client
        .post_form(
            "/t/demo/booking/slots",
            &[("csrf", &csrf(&grid.body)), ("slot", &cells[0])],
        )
        .await;
    let change = client.get("/t/demo/booking/change").await;
    change.assert_text("変更前");
    change.assert_text("2026年12月10日(木)");
    change.assert_text("仮押さえは09:10まで有効です。");
    // The new time's hold can be extended like the booking form's.
    app.clock.advance(7 * 60);
    let extended = client
        .post_form(
            "/t/demo/booking/change/extend",
            &[("csrf", &csrf(&change.body))],
        )
        .await;
    assert_eq!(extended.location.as_deref(), Some("/t/demo/booking/change"));
    let change = client.get("/t/demo/booking/change").await;
    change.assert_text("仮押さえを延長しました。09:17まで有効です。");
    change.assert_text("仮押さえは09:17まで有効です。");
    let changed = client
        .post_form("/t/demo/booking/change", &[("csrf", &csrf(&change.body))])
        .await;
    assert_eq!(changed.location.as_deref(), Some("/t/demo/booking"));
    let details = client.get("/t/demo/booking").await;
    details.assert_text("予約日時を 2026年12月10日(木)");
    details.assert_text(&receipt);
    let after = madoguchi::db::slots::find_by_counter_days(
        app.db(),
        booking.counter_id,
        booking.day,
        booking.day,
    )
    .await
    .unwrap();
    assert_eq!(
        after.iter().map(|s| s.taken).sum::<i32>(),
        taken_before - 2,
        "old places given back"
    );
    assert!(
        app.mails_to("move@example.jp")
            .await
            .iter()
            .any(|m| m.subject.contains("変更"))
    );

    let cancel = client.get("/t/demo/booking/cancel").await;
    cancel.assert_text("予約を取り消す");
    client
        .post_form("/t/demo/booking/cancel", &[("csrf", &csrf(&cancel.body))])
        .await;
    let details = client.get("/t/demo/booking").await;
    details.assert_text("予約を取り消しました");
    details.assert_text("取消済");
    let dec10 = madoguchi::db::slots::find_by_counter_days(
        app.db(),
        booking.counter_id,
        time::macros::date!(2026 - 12 - 10),
        time::macros::date!(2026 - 12 - 10),
    )
    .await
    .unwrap();
    assert_eq!(
        dec10.iter().map(|s| s.taken).sum::<i32>(),
        0,
        "cancelled places given back"
    );
    assert!(
        app.mails_to("move@example.jp")
            .await
            .iter()
            .any(|m| m.subject.contains("取消"))
    );
    // The notices can be booked again.
    book_at(&app, &[&s[44]], "again@example.jp", "12月2日(水) 10:00").await;
}
on_both_databases!(lookup_then_change_and_cancel_free_the_places);

async fn no_change_after_the_deadline(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    // Booked for today 10:00; the demo's deadline is 24 hours before.
    let (receipt, password) = book(&app, &[&s[46]], "deadline@example.jp").await;
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
    let details = client.get("/t/demo/booking").await;
    details.assert_text("変更・取消の受付期限");
    details.assert_no_text("予約日時を変更する");
    let cancel = client.get("/t/demo/booking/cancel").await;
    assert_eq!(cancel.status, StatusCode::SEE_OTHER);
    let token = csrf(&details.body);
    client
        .post_form("/t/demo/booking/cancel", &[("csrf", &token)])
        .await;
    let details = client.get("/t/demo/booking").await;
    details.assert_text("予約済");
    details.assert_text("を過ぎています");
}
on_both_databases!(no_change_after_the_deadline);

async fn resend_mails_a_new_password(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, password) = book(&app, &[&s[47]], "resend@example.jp").await;
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
    let details = client.get("/t/demo/booking").await;
    client
        .post_form("/t/demo/booking/resend", &[("csrf", &csrf(&details.body))])
        .await;
    let mails = app.mails_to("resend@example.jp").await;
    let new_password = line_value(&mails.last().unwrap().text, "パスワード").unwrap();
    assert_ne!(new_password, password);
    let mut other = app.client();
    let lookup = other.get("/t/demo/lookup").await;
    let old = other
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&lookup.body)),
                ("receipt_number", &receipt),
                ("password", &password),
            ],
        )
        .await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    let new = other
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&lookup.body)),
                ("receipt_number", &receipt),
                ("password", &new_password),
            ],
        )
        .await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);
}
on_both_databases!(resend_mails_a_new_password);

/// A closure that arrives after somebody booked the day (a holiday list update, a change
/// made while an earlier conflict stood): the booking stays, and the free place left in its
/// slot is not offered to the next resident.
async fn a_day_closed_after_a_booking_offers_nothing_more(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, _) = book_at(&app, &[&s[47]], "early@example.jp", "12月3日(木) 10:00").await;
    let tenant = app.demo_tenant().await;
    let main_office = app.counter_id("本庁舎 市民課").await;
    let dec3 = time::macros::date!(2026 - 12 - 03);
    let closed: Result<(), madoguchi::db::DbError> = async {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        use madoguchi::db::schema::closures::dsl;
        madoguchi::db_write!(app.db(), |conn| {
            diesel::insert_into(dsl::closures)
                .values((
                    dsl::tenant_id.eq(tenant.id),
                    dsl::counter_id.eq(Some(main_office)),
                    dsl::first_day.eq(dec3),
                    dsl::last_day.eq(dec3),
                    dsl::reason.eq("庁舎点検"),
                ))
                .execute(conn)
                .await?;
            Ok(())
        })
    }
    .await;
    closed.unwrap();
    let report = madoguchi::db::slots::materialise(app.db(), tenant.id, app.clock.today())
        .await
        .unwrap();
    assert_eq!(report.closed, 1, "{report:?}");

    let mut client = app.client();
    submit_entry(
        &mut client,
        &[(&s[48].number1, &digits(&s[48]))],
        "late@example.jp",
    )
    .await;
    let form = open_link(&app, &mut client, "late@example.jp").await;
    post_apply(&mut client, &form.body, 1, main_office, "choose").await;
    let grid = client.get("/t/demo/apply/slots").await;
    assert!(
        crate::resident::slot_labelled(&grid.body, "12月3日(木) 10:00").is_none(),
        "the free place of the closed day is offered"
    );
    assert!(!grid.body.contains("aria-label=\"12月3日(木)"));
    // The booking made before the closure still stands.
    let booking =
        madoguchi::db::bookings::find_by_receipt(app.db(), tenant.id, &receipt.replace('-', ""))
            .await
            .unwrap()
            .unwrap();
    assert_eq!((booking.day, booking.status.as_str()), (dec3, "booked"));
}
on_both_databases!(a_day_closed_after_a_booking_offers_nothing_more);
