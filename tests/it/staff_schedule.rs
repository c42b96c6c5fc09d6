//! The admin's schedule and settings pages, driven as a browser would, on both databases:
//! every save re-materialises the slots in its own transaction and is refused when it would
//! take a slot from people who booked it.
use axum::http::StatusCode;
use madoguchi::db::audit;
use madoguchi::db::schedule::{self};
use madoguchi::db::slots::{self, Slot};
use madoguchi::db::tenants::CARD_PICKUP;
use madoguchi::demo::sample_notices;
use time::Date;
use time::macros::date;

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, csrf};
use crate::on_both_databases;
use crate::resident::{book_at, digits, hold_labelled, open_link, post_apply, submit_entry};

mod access;
mod settings;

pub(crate) const MAIN: &str = "本庁舎 市民課";
pub(crate) const BRANCH: &str = "北支所";

pub(crate) async fn day(app: &TestApp, counter_id: i64, day: Date) -> Vec<Slot> {
    slots::find_by_counter_days(app.db(), counter_id, day, day)
        .await
        .unwrap()
}

/// Posts `fields` with the page's CSRF token.
pub(crate) async fn post(client: &mut Client, path: &str, fields: &[(&str, &str)]) -> Page {
    let token = csrf(&client.get("/t/demo/staff/schedule").await.body);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    client.post_form(path, &all).await
}

/// Posts and expects the redirect back to the page; returns the page it redirects to.
pub(crate) async fn post_ok(client: &mut Client, path: &str, fields: &[(&str, &str)]) -> Page {
    let done = post(client, path, fields).await;
    assert_eq!(
        done.status,
        StatusCode::SEE_OTHER,
        "{path}: {}",
        done.text()
    );
    let location = done.location.clone().expect("a redirect");
    client.get(&location).await
}

/// `value="..."` as the page writes it: tera escapes the slash too.
pub(crate) fn value(typed: &str) -> String {
    format!("value=\"{}\"", typed.replace('/', "&#x2F;"))
}

fn refs<'a>(fields: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

pub(crate) async fn audit_rows(app: &TestApp, action: &str) -> Vec<String> {
    let tenant = app.demo_tenant().await;
    audit::list(app.db(), tenant.id, None, 500)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.action == action)
        .map(|r| r.detail)
        .collect()
}

async fn a_new_counter_with_hours_gets_slots(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let page = admin.get("/t/demo/staff/schedule").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_text("窓口を追加");
    page.assert_text(MAIN);
    assert!(
        page.body.contains("value=\"08:30\""),
        "the templates are listed"
    );

    // A bad map address is refused next to its field; the rest stays as typed.
    let east = [
        ("name", "東支所"),
        ("address", "デモ市東町1-1"),
        ("directions", "東町バス停前"),
    ];
    let mut fields = east.to_vec();
    fields.push(("map_url", "javascript:alert(1)"));
    let bad = post(&mut admin, "/t/demo/staff/schedule/counters", &fields).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_text("「https://」で始まるURLを入力してください。");
    assert!(bad.body.contains("value=\"東支所\""));
    assert!(bad.body.contains("value=\"東町バス停前\""));

    let mut fields = east.to_vec();
    fields.push(("map_url", "https://example.jp/map"));
    let added = post_ok(&mut admin, "/t/demo/staff/schedule/counters", &fields).await;
    added.assert_text("窓口を追加しました。");
    added.assert_text("東支所");
    let east = app.counter_id("東支所").await;

    // Names are unique within the municipality.
    let dup = post(
        &mut admin,
        "/t/demo/staff/schedule/counters",
        &[("name", BRANCH), ("map_url", "")],
    )
    .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    dup.assert_text("同じ名前の窓口がすでにあります。");

    // Wednesday 9:00–12:00 in 30-minute slots with two clerks, typed in full width.
    let east_id = east.to_string();
    let hours = |opens: &'static str, closes: &'static str| {
        vec![
            ("counter", east_id.clone()),
            ("weekday", "3".to_string()),
            ("opens", opens.to_string()),
            ("closes", closes.to_string()),
            ("slot_min", "３０".to_string()),
            ("clerks", "2人".to_string()),
        ]
    };
    let bad_time = hours("２５:００", "12:00");
    let bad_time = refs(&bad_time);
    let bad = post(&mut admin, "/t/demo/staff/schedule/templates", &bad_time).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_text("0:00から24:00までの時刻を入力してください。");
    assert!(
        bad.body.contains("value=\"２５:００\""),
        "what was typed stays"
    );
    assert!(day(&app, east, date!(2026 - 12 - 02)).await.is_empty());

    let good = hours("９：００", "12:00");
    let good = refs(&good);
    let saved = post_ok(&mut admin, "/t/demo/staff/schedule/templates", &good).await;
    saved.assert_text("受付時間を追加しました。");
    saved.assert_text("予約枠を");
    for wednesday in [
        date!(2026 - 12 - 02),
        date!(2026 - 12 - 09),
        date!(2027 - 01 - 20),
    ] {
        let slots = day(&app, east, wednesday).await;
        let starts: Vec<i32> = slots.iter().map(|s| s.start_min).collect();
        assert_eq!(starts, vec![540, 570, 600, 630, 660, 690], "{wednesday}");
        assert!(
            slots
                .iter()
                .all(|s| s.capacity == 2 && s.end_min - s.start_min == 30)
        );
    }
    assert!(
        day(&app, east, date!(2026 - 12 - 03)).await.is_empty(),
        "Thursday stays closed"
    );

    // Overlapping hours on the same weekday are a slip the form catches.
    let overlap = hours("11:00", "13:00");
    let overlap = refs(&overlap);
    let refused = post(&mut admin, "/t/demo/staff/schedule/templates", &overlap).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_text("同じ曜日の受付時間(09:00〜12:00)と重なっています。");

    // Residents see the counter on the home page.
    let mut resident = app.client();
    resident.get("/t/demo/").await.assert_text("東支所");

    // Deactivating takes its free slots away and hides it; reactivating brings both back.
    let path = format!("/t/demo/staff/schedule/counters/{east}/active");
    post_ok(&mut admin, &path, &[("active", "0")])
        .await
        .assert_text("窓口の受付を停止しました。");
    assert!(day(&app, east, date!(2026 - 12 - 02)).await.is_empty());
    resident.get("/t/demo/").await.assert_no_text("東支所");
    post_ok(&mut admin, &path, &[("active", "1")])
        .await
        .assert_text("窓口の受付を再開しました。");
    assert_eq!(day(&app, east, date!(2026 - 12 - 02)).await.len(), 6);

    // Renaming keeps its slots.
    let path = format!("/t/demo/staff/schedule/counters/{east}");
    post_ok(
        &mut admin,
        &path,
        &[
            ("name", "東出張所"),
            ("address", "デモ市東町1-1"),
            ("directions", ""),
            ("map_url", ""),
        ],
    )
    .await
    .assert_text("東出張所");
    assert_eq!(day(&app, east, date!(2026 - 12 - 02)).await.len(), 6);

    let audit = audit_rows(&app, "schedule_change").await;
    assert!(
        audit.iter().any(|d| d.contains("窓口「東支所」を追加")),
        "{audit:?}"
    );
    assert!(
        audit
            .iter()
            .any(|d| d.contains("水曜 09:00〜12:00(30分枠・職員2人)")),
        "{audit:?}"
    );
    assert!(audit.iter().any(|d| d.contains("受付を停止")), "{audit:?}");
    assert!(
        audit.iter().any(|d| d.contains("名称を「東出張所」に")),
        "{audit:?}"
    );
}
on_both_databases!(a_new_counter_with_hours_gets_slots);

async fn closures_take_free_days_and_refuse_booked_ones(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (receipt, _) = book_at(&app, &[&s[10]], "closure@example.jp", "12月3日(木) 10:00").await;
    let main = app.counter_id(MAIN).await;
    let branch = app.counter_id(BRANCH).await;
    let main_id = main.to_string();
    // Somebody booked Wednesday and cancelled: the places are given back, and the rows
    // that remember the cancelled booking's slots must not stand in the way.
    let (cancelled, password) =
        book_at(&app, &[&s[13]], "cancel@example.jp", "12月2日(水) 11:00").await;
    let mut looker = app.client();
    let lookup = looker.get("/t/demo/lookup").await;
    looker
        .post_form(
            "/t/demo/lookup",
            &[
                ("csrf", &csrf(&lookup.body)),
                ("receipt_number", &cancelled),
                ("password", &password),
            ],
        )
        .await;
    let cancel = looker.get("/t/demo/booking/cancel").await;
    looker
        .post_form("/t/demo/booking/cancel", &[("csrf", &csrf(&cancel.body))])
        .await;
    looker.get("/t/demo/booking").await.assert_text("取消済");
    let mut admin = app.admin_client().await;

    // A Wednesday nobody booked now: the main office's slots go, the branch keeps its own.
    let closed = post_ok(
        &mut admin,
        "/t/demo/staff/schedule/closures",
        &[
            ("first_day", "2026-12-02"),
            ("last_day", ""),
            ("counter", &main_id),
            ("reason", "庁舎点検"),
        ],
    )
    .await;
    closed.assert_text("休業日を追加しました。");
    closed.assert_text("2026年12月2日(水)");
    closed.assert_text("庁舎点検");
    assert!(day(&app, main, date!(2026 - 12 - 02)).await.is_empty());
    assert_eq!(day(&app, branch, date!(2026 - 12 - 02)).await.len(), 35);

    // Thursday has a booking: closing every counter on Thursday and Friday is refused as a
    // whole, and the booking is listed.
    let thursday_before = day(&app, main, date!(2026 - 12 - 03)).await;
    let refused = post(
        &mut admin,
        "/t/demo/staff/schedule/closures",
        &[
            ("first_day", "２０２６/１２/０３"),
            ("last_day", "2026年12月4日"),
            ("counter", ""),
            ("reason", "システム更新"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    refused.assert_text("この変更を保存すると、次の予約が受けられなくなります。");
    refused.assert_text(&receipt);
    refused.assert_text("2026年12月3日(木) 10:00〜10:15");
    refused.assert_text("1人");
    assert!(
        refused.body.contains("value=\"システム更新\""),
        "what was typed stays"
    );
    assert_eq!(
        day(&app, main, date!(2026 - 12 - 03)).await,
        thursday_before
    );
    assert_eq!(day(&app, branch, date!(2026 - 12 - 04)).await.len(), 35);
    let tenant = app.demo_tenant().await;
    let stored = schedule::closures_from(app.db(), tenant.id, date!(2026 - 12 - 01), CARD_PICKUP)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1, "the refused closure is not stored");
    admin
        .get("/t/demo/staff/schedule")
        .await
        .assert_no_text("システム更新");

    // Deleting the first closure brings its slots back.
    let path = format!("/t/demo/staff/schedule/closures/{}/delete", stored[0].id);
    post_ok(&mut admin, &path, &[])
        .await
        .assert_text("休業日を削除しました。");
    assert_eq!(day(&app, main, date!(2026 - 12 - 02)).await.len(), 35);

    // Typing slips are explained next to each field.
    let bad = post(
        &mut admin,
        "/t/demo/staff/schedule/closures",
        &[
            ("first_day", "12/24"),
            ("last_day", ""),
            ("counter", ""),
            ("reason", ""),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_text("年月日で入力してください");
    bad.assert_text("入力してください。");
    assert!(bad.body.contains(&value("12/24")));
    let backwards = post(
        &mut admin,
        "/t/demo/staff/schedule/closures",
        &[
            ("first_day", "2026-12-10"),
            ("last_day", "2026-12-09"),
            ("counter", ""),
            ("reason", "点検"),
        ],
    )
    .await;
    backwards.assert_text("終了日は開始日と同じか、それより後にしてください。");

    let audit = audit_rows(&app, "schedule_change").await;
    assert_eq!(
        audit.len(),
        2,
        "the refused change left no entry: {audit:?}"
    );
    assert!(
        audit
            .iter()
            .any(|d| d.contains("休業日を追加") && d.contains("庁舎点検"))
    );
    assert!(audit.iter().any(|d| d.contains("休業日を削除")));
}
on_both_databases!(closures_take_free_days_and_refuse_booked_ones);

async fn clerks_never_drop_below_what_is_booked(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (first, _) = book_at(&app, &[&s[11]], "one@example.jp", "12月3日(木) 10:00").await;
    let (second, _) = book_at(&app, &[&s[12]], "two@example.jp", "12月3日(木) 10:00").await;
    let main = app.counter_id(MAIN).await;
    let tenant = app.demo_tenant().await;
    let thursday = schedule::templates(app.db(), tenant.id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.counter_id == main && t.weekday == 4)
        .unwrap();
    let path = format!("/t/demo/staff/schedule/templates/{}", thursday.id);
    let capacity_at_ten =
        |slots: Vec<Slot>| slots.into_iter().find(|s| s.start_min == 600).unwrap();
    let mut admin = app.admin_client().await;
    let hours = |closes: &'static str, clerks: &'static str| {
        [
            ("weekday", "4"),
            ("opens", "8:30"),
            ("closes", closes),
            ("slot_min", "15"),
            ("clerks", clerks),
        ]
    };

    // One clerk on Thursdays would leave two people booked into one place.
    let refused = post(&mut admin, &path, &hours("19:00", "1")).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    refused.assert_text("この変更を保存すると、次の予約が受けられなくなります。");
    refused.assert_text(&first);
    refused.assert_text(&second);
    assert!(
        refused.body.contains("value=\"1\""),
        "the typed clerks stay"
    );
    let ten = capacity_at_ten(day(&app, main, date!(2026 - 12 - 03)).await);
    assert_eq!((ten.capacity, ten.taken), (2, 2));
    assert_eq!(
        capacity_at_ten(day(&app, main, date!(2026 - 12 - 10)).await).capacity,
        2
    );

    // Closing at 10:00 would take their slot away altogether.
    let refused = post(&mut admin, &path, &hours("10:00", "2")).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    refused.assert_text(&first);
    assert_eq!(day(&app, main, date!(2026 - 12 - 03)).await.len(), 42);

    // Three clerks: applied everywhere; back to two: still safe, applied.
    post_ok(&mut admin, &path, &hours("19:00", "３"))
        .await
        .assert_text("受付時間を保存しました。");
    assert_eq!(
        capacity_at_ten(day(&app, main, date!(2026 - 12 - 03)).await).capacity,
        3
    );
    assert_eq!(
        capacity_at_ten(day(&app, main, date!(2026 - 12 - 10)).await).capacity,
        3
    );
    post_ok(&mut admin, &path, &hours("19:00", "2")).await;
    assert_eq!(
        capacity_at_ten(day(&app, main, date!(2026 - 12 - 03)).await).capacity,
        2
    );
    // One clerk is still refused: the booked Thursday alone is enough.
    assert_eq!(
        post(&mut admin, &path, &hours("19:00", "1")).await.status,
        StatusCode::CONFLICT
    );

    // Deleting the Thursday hours would strand both bookings too.
    let refused = post(&mut admin, &format!("{path}/delete"), &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    refused.assert_text(&second);

    // Bad numbers are explained next to their field.
    let bad = post(&mut admin, &path, &hours("8:00", "0")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_text("終了時刻は開始時刻より後にしてください。");
    bad.assert_text("1から50までの数字で入力してください。");

    let audit = audit_rows(&app, "schedule_change").await;
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert!(
        audit[1]
            .contains("木曜 08:30〜19:00(15分枠・職員2人) → 木曜 08:30〜19:00(15分枠・職員3人)"),
        "{audit:?}"
    );
}
on_both_databases!(clerks_never_drop_below_what_is_booked);

async fn holidays_and_the_booking_window(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let main = app.counter_id(MAIN).await;
    let branch = app.counter_id(BRANCH).await;
    let coming_of_age = date!(2027 - 01 - 11); // 成人の日, a Monday
    assert!(day(&app, main, coming_of_age).await.is_empty());
    let mut admin = app.admin_client().await;
    let page = admin.get("/t/demo/staff/schedule").await;
    page.assert_text("祝日は休業");
    page.assert_text("年末年始(12/29〜1/3)は休業");

    // Open on holidays (the year end stays closed).
    post_ok(
        &mut admin,
        "/t/demo/staff/schedule/calendar",
        &[("close_year_end", "1")],
    )
    .await
    .assert_text("祝日・年末年始の設定を保存しました。");
    assert_eq!(day(&app, main, coming_of_age).await.len(), 35);
    assert!(day(&app, main, date!(2026 - 12 - 29)).await.is_empty());
    // Closed on holidays again: the holiday's free slots go.
    post_ok(
        &mut admin,
        "/t/demo/staff/schedule/calendar",
        &[("close_on_holidays", "1"), ("close_year_end", "1")],
    )
    .await;
    assert!(day(&app, main, coming_of_age).await.is_empty());
    let tenant = app.demo_tenant().await;
    assert!(tenant.close_on_holidays && tenant.close_year_end);

    // Two weeks ahead instead of eight: nothing bookable (or stored free) beyond.
    let shorter = post_ok(
        &mut admin,
        "/t/demo/staff/schedule/window",
        &[("booking_window_days", "１４日")],
    )
    .await;
    shorter.assert_text("予約受付期間を保存しました。");
    let tenant = app.demo_tenant().await;
    assert_eq!(tenant.booking_window_days, 14);
    assert_eq!(day(&app, main, date!(2026 - 12 - 15)).await.len(), 35);
    for d in [
        date!(2026 - 12 - 16),
        date!(2027 - 01 - 12),
        date!(2027 - 01 - 26),
    ] {
        assert!(day(&app, main, d).await.is_empty(), "{d}");
    }
    // New hours only make slots within the window.
    let branch_id = branch.to_string();
    post_ok(
        &mut admin,
        "/t/demo/staff/schedule/templates",
        &[
            ("counter", &branch_id),
            ("weekday", "6"),
            ("opens", "9:00"),
            ("closes", "12:00"),
            ("slot_min", "15"),
            ("clerks", "1"),
        ],
    )
    .await;
    assert_eq!(day(&app, branch, date!(2026 - 12 - 05)).await.len(), 12);
    assert_eq!(day(&app, branch, date!(2026 - 12 - 12)).await.len(), 12);
    assert!(day(&app, branch, date!(2026 - 12 - 19)).await.is_empty());

    // Out of range or not a number: explained, typed values kept.
    let bad = post(
        &mut admin,
        "/t/demo/staff/schedule/window",
        &[("booking_window_days", "すぐ")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_text("0から365までの数字で入力してください。");
    assert!(bad.body.contains("value=\"すぐ\""));

    // Eight weeks again: the slots come back.
    post_ok(
        &mut admin,
        "/t/demo/staff/schedule/window",
        &[("booking_window_days", "56")],
    )
    .await;
    assert_eq!(day(&app, main, date!(2027 - 01 - 26)).await.len(), 35);

    let audit = audit_rows(&app, "schedule_change").await;
    assert!(
        audit.iter().any(|d| d.contains("祝日: 休業→受付")),
        "{audit:?}"
    );
    assert!(
        audit
            .iter()
            .any(|d| d.contains("予約受付期間: 56日先まで→14日先まで")),
        "{audit:?}"
    );
}
on_both_databases!(holidays_and_the_booking_window);

async fn short_holds_only_ask_for_a_retry(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let mut resident = app.client();
    let sent = submit_entry(
        &mut resident,
        &[(&s[20].number1, &digits(&s[20]))],
        "hold@example.jp",
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let form = open_link(&app, &mut resident, "hold@example.jp").await;
    let main = app.counter_id(MAIN).await;
    post_apply(&mut resident, &form.body, 1, main, "choose").await;
    hold_labelled(&mut resident, "12月3日(木) 10:00").await;

    let mut admin = app.admin_client().await;
    let main_id = main.to_string();
    let refused = post(
        &mut admin,
        "/t/demo/staff/schedule/closures",
        &[
            ("first_day", "2026-12-03"),
            ("counter", &main_id),
            ("reason", "点検"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    refused.assert_text("仮押さえ中の枠があります。数分後にもう一度お試しください。");
    refused.assert_no_text("この変更を保存すると");
    assert_eq!(day(&app, main, date!(2026 - 12 - 03)).await.len(), 42);

    // Once the hold has expired and been released, the closure goes through.
    app.clock.advance(11 * 60);
    madoguchi::db::holds::release_expired(app.db(), app.clock.now_unix())
        .await
        .unwrap();
    let mut admin = app.admin_client().await;
    post_ok(
        &mut admin,
        "/t/demo/staff/schedule/closures",
        &[
            ("first_day", "2026-12-03"),
            ("counter", &main_id),
            ("reason", "点検"),
        ],
    )
    .await;
    assert!(
        day(&app, main, date!(2026 - 12 - 03)).await.is_empty(),
        "released places do not block"
    );
}
on_both_databases!(short_holds_only_ask_for_a_retry);
