//! The admin's schedule and settings pages, driven as a browser would, on both databases:
//! every save re-materialises the slots in its own transaction and is refused when it would
//! take a slot from people who booked it.
use axum::http::StatusCode;
use madoguchi::db::audit;
use madoguchi::db::schedule::{self, NewOpeningTemplate};
use madoguchi::db::slots::{self, Slot};
use madoguchi::db::tenants::{self, CARD_PICKUP, NewCounter, Role};
use madoguchi::demo::sample_notices;
use time::Date;
use time::macros::date;

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, csrf};
use crate::on_both_databases;
use crate::resident::{book_at, digits, hold_labelled, open_link, post_apply, submit_entry};

const MAIN: &str = "本庁舎 市民課";
const BRANCH: &str = "北支所";

async fn day(app: &TestApp, counter_id: i64, day: Date) -> Vec<Slot> {
    slots::find_by_counter_days(app.db(), counter_id, day, day)
        .await
        .unwrap()
}

/// Posts `fields` with the page's CSRF token.
async fn post(client: &mut Client, path: &str, fields: &[(&str, &str)]) -> Page {
    let token = csrf(&client.get("/t/demo/staff/schedule").await.body);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    client.post_form(path, &all).await
}

/// Posts and expects the redirect back to the page; returns the page it redirects to.
async fn post_ok(client: &mut Client, path: &str, fields: &[(&str, &str)]) -> Page {
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
fn value(typed: &str) -> String {
    format!("value=\"{}\"", typed.replace('/', "&#x2F;"))
}

fn refs<'a>(fields: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn audit_rows(app: &TestApp, action: &str) -> Vec<String> {
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

async fn settings_explain_mistakes_and_change_what_residents_see(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let branch = app.counter_id(BRANCH).await;
    let branch_id = branch.to_string();
    let mut admin = app.admin_client().await;
    let page = admin.get("/t/demo/staff/settings").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_text("確認メールの有効期限(分)");
    assert!(page.body.contains("value=\"AAA-999999\""));
    let token = csrf(&page.body);
    let settings = |overrides: &[(&'static str, &'static str)]| {
        let mut fields = vec![
            ("faq_url", "https://example.jp/faq"),
            ("number1_format", "aaa-999999"),
            ("number2_format", "AAAAAAAAAAAAAAAAAA"),
            ("verification_ttl_min", "30"),
            ("hold_ttl_min", "5"),
            ("max_party_size", "２"),
            ("pinned_counter_id", ""),
        ];
        for (k, v) in overrides {
            fields.retain(|(name, _)| name != k);
            fields.push((k, v));
        }
        fields
    };
    let send = async |admin: &mut Client, fields: Vec<(&str, &str)>, pinned: &str| {
        let mut all = vec![("csrf", token.as_str())];
        all.extend(
            fields
                .into_iter()
                .filter(|(k, _)| *k != "pinned_counter_id"),
        );
        all.push(("pinned_counter_id", pinned));
        admin.post_form("/t/demo/staff/settings", &all).await
    };

    let bad = send(
        &mut admin,
        settings(&[
            ("number1_format", "AAA?999999"),
            ("max_party_size", "11"),
            ("verification_ttl_min", "4"),
            ("hold_ttl_min", "61"),
        ]),
        "",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_text("番号の書式「AAA?999999」に使えない文字「?」があります。");
    bad.assert_text("1から10までの数字で入力してください。");
    assert!(
        bad.body
            .contains("id=\"settings-max_party_size-error\">1から10までの数字で入力してください。"),
        "the message stands next to its field"
    );
    bad.assert_text("5から1440までの数字で入力してください。");
    bad.assert_text("3から60までの数字で入力してください。");
    assert!(bad.body.contains("value=\"AAA?999999\""));
    assert!(
        bad.body.contains(&value("https://example.jp/faq")),
        "other values stay as typed"
    );
    let tenant = app.demo_tenant().await;
    assert_eq!(
        (tenant.max_party_size, tenant.faq_url.as_deref()),
        (4, None),
        "nothing saved"
    );

    let saved = send(&mut admin, settings(&[]), &branch_id).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    admin
        .get(saved.location.as_deref().unwrap())
        .await
        .assert_text("設定を保存しました。");
    let tenant = app.demo_tenant().await;
    assert_eq!(tenant.max_party_size, 2);
    assert_eq!(tenant.number1_format, "AAA-999999");
    assert_eq!((tenant.verification_ttl_min, tenant.hold_ttl_min), (30, 5));
    assert_eq!(tenant.pinned_counter_id, Some(branch));
    assert_eq!(tenant.faq_url.as_deref(), Some("https://example.jp/faq"));

    // Residents: two people at most, the FAQ link.
    let mut resident = app.client();
    let entry = resident.get("/t/demo/entry").await;
    assert!(entry.body.contains(">2人</option>"), "{}", entry.text());
    assert!(!entry.body.contains(">3人</option>"));
    let home = resident.get("/t/demo/").await;
    assert!(
        home.body
            .contains(&value("https://example.jp/faq").replace("value=", "href="))
    );

    // Saving the same again changes nothing and writes no entry.
    let same = send(&mut admin, settings(&[]), &branch_id).await;
    assert!(same.location.as_deref().unwrap().contains("done=unchanged"));
    let audit = audit_rows(&app, "settings_change").await;
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert!(audit[0].contains("同時予約の最大人数 4人→2人"), "{audit:?}");
    assert!(audit[0].contains("窓口の固定 なし→北支所"), "{audit:?}");

    // The pinned counter cannot be stopped while it is pinned.
    let path = format!("/t/demo/staff/schedule/counters/{branch}/active");
    let stop = post(&mut admin, &path, &[("active", "0")]).await;
    assert_eq!(stop.status, StatusCode::UNPROCESSABLE_ENTITY);
    stop.assert_text("先に固定を解除してください。");
    assert_eq!(day(&app, branch, date!(2026 - 12 - 02)).await.len(), 35);

    // An inactive or unknown counter cannot be pinned.
    let unknown = send(&mut admin, settings(&[]), "999999").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    unknown.assert_text("受付中の窓口を選んでください。");
}
on_both_databases!(settings_explain_mistakes_and_change_what_residents_see);

async fn announcements_show_on_the_home_page_at_once(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut admin = app.admin_client().await;
    let page = admin.get("/t/demo/staff/settings").await;
    page.assert_text("マイナンバーカードの受取予約について");
    let token = csrf(&page.body);
    let mut resident = app.client();

    let empty = admin
        .post_form(
            "/t/demo/staff/settings/announcements",
            &[
                ("csrf", &token),
                ("title", " "),
                ("body", "本文だけ"),
                ("position", "x"),
                ("published", "1"),
            ],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    empty.assert_text("入力してください。");
    empty.assert_text("0から999までの数字で入力してください。");
    assert!(empty.body.contains("本文だけ</textarea>"));

    let added = admin
        .post_form(
            "/t/demo/staff/settings/announcements",
            &[
                ("csrf", &token),
                ("title", "年末年始の窓口について"),
                ("body", "12月29日から1月3日まではお休みです。"),
                ("position", "０"),
                ("published", "1"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text());
    let home = resident.get("/t/demo/").await;
    home.assert_text("年末年始の窓口について");
    home.assert_text("12月29日から1月3日まではお休みです。");
    let first_title = home.text().find("年末年始の窓口について").unwrap();
    assert!(
        first_title
            < home
                .text()
                .find("マイナンバーカードの受取予約について")
                .unwrap(),
        "position 0 comes first"
    );

    let tenant = app.demo_tenant().await;
    let id = tenants::all_announcements(app.db(), tenant.id)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.title == "年末年始の窓口について")
        .unwrap()
        .id;
    let base = format!("/t/demo/staff/settings/announcements/{id}");

    let hidden = admin
        .post_form(
            &format!("{base}/published"),
            &[("csrf", &token), ("published", "0")],
        )
        .await;
    assert_eq!(hidden.status, StatusCode::SEE_OTHER);
    resident
        .get("/t/demo/")
        .await
        .assert_no_text("年末年始の窓口について");
    admin
        .get("/t/demo/staff/settings")
        .await
        .assert_text("非公開");
    admin
        .post_form(
            &format!("{base}/published"),
            &[("csrf", &token), ("published", "1")],
        )
        .await;
    resident
        .get("/t/demo/")
        .await
        .assert_text("年末年始の窓口について");

    let edited = admin
        .post_form(
            &base,
            &[
                ("csrf", &token),
                ("title", "年末年始のお休み"),
                ("body", "12月29日〜1月3日"),
                ("position", "0"),
            ],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER);
    let home = resident.get("/t/demo/").await;
    home.assert_text("年末年始のお休み");
    home.assert_no_text("年末年始の窓口について");

    let bad_edit = admin
        .post_form(
            &base,
            &[
                ("csrf", &token),
                ("title", ""),
                ("body", "残す本文"),
                ("position", "0"),
            ],
        )
        .await;
    assert_eq!(bad_edit.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_edit.body.contains("残す本文</textarea>"));

    let deleted = admin
        .post_form(&format!("{base}/delete"), &[("csrf", &token)])
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    resident
        .get("/t/demo/")
        .await
        .assert_no_text("年末年始のお休み");

    let audit = audit_rows(&app, "settings_change").await;
    assert_eq!(audit.len(), 5, "{audit:?}");
    assert!(
        audit.iter().all(|d| d.starts_with("お知らせ「")),
        "{audit:?}"
    );
    assert!(audit.iter().any(|d| d.contains("を追加(公開)")));
    assert!(audit.iter().any(|d| d.contains("を非公開に")));
    assert!(audit.iter().any(|d| d.contains("を削除")));
}
on_both_databases!(announcements_show_on_the_home_page_at_once);

async fn only_admins_of_the_municipality_reach_these_pages(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let mut clerk = app.staff_client("clerk1", Role::Clerk).await;
    let token = csrf(&clerk.get("/t/demo/staff/roster").await.body);
    for path in ["/t/demo/staff/schedule", "/t/demo/staff/settings"] {
        assert_eq!(
            clerk.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    for path in [
        "/t/demo/staff/schedule/closures",
        "/t/demo/staff/schedule/window",
        "/t/demo/staff/settings",
        "/t/demo/staff/settings/announcements",
    ] {
        let page = clerk
            .post_form(
                path,
                &[
                    ("csrf", &token),
                    ("booking_window_days", "1"),
                    ("first_day", "2026-12-02"),
                    ("reason", "x"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(app.demo_tenant().await.booking_window_days, 56);
    let mut anonymous = app.client();
    let redirected = anonymous.get("/t/demo/staff/schedule").await;
    assert_eq!(redirected.location.as_deref(), Some("/t/demo/staff/login"));

    // Another municipality's ids are not found, whatever the page.
    let db = app.db();
    let other = tenants::create_tenant(db, "other", "他市", 0)
        .await
        .unwrap();
    let service = tenants::service_id(db, other, CARD_PICKUP).await.unwrap();
    let counter = tenants::add_counter(
        db,
        NewCounter {
            tenant_id: other,
            name: "他市役所",
            address: "",
            directions: "",
            map_url: None,
            position: 0,
        },
    )
    .await
    .unwrap();
    schedule::add_opening_templates(
        db,
        &[NewOpeningTemplate {
            counter_id: counter,
            service_id: service,
            weekday: 3,
            opens_min: 540,
            closes_min: 600,
            slot_min: 30,
            clerks: 1,
        }],
    )
    .await
    .unwrap();
    let template = schedule::templates(db, other).await.unwrap()[0].id;
    // Saved as the other municipality's own schedule page would save it.
    let saved = schedule::apply(
        db,
        &schedule::ChangeContext {
            tenant_id: other,
            staff_user_id: None,
            today: date!(2026 - 12 - 01),
            now: 0,
        },
        &schedule::ScheduleChange::AddClosure {
            counter_id: None,
            service_kind: None,
            first_day: date!(2026 - 12 - 24),
            last_day: date!(2026 - 12 - 24),
            reason: "他市の休み".into(),
        },
    )
    .await
    .unwrap();
    let schedule::Applied::Saved {
        id: Some(closure), ..
    } = saved
    else {
        panic!("the other municipality's closure is saved: {saved:?}");
    };
    tenants::add_announcement(db, other, "他市のお知らせ", "", 0, 0)
        .await
        .unwrap();
    let announcement = tenants::all_announcements(db, other).await.unwrap()[0].id;

    let mut admin = app.admin_client().await;
    let counter_s = counter.to_string();
    let hours = [
        ("weekday", "3"),
        ("opens", "9:00"),
        ("closes", "10:00"),
        ("slot_min", "30"),
        ("clerks", "1"),
    ];
    let cases: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("/t/demo/staff/schedule/counters/{counter}"),
            vec![("name", "乗っ取り"), ("map_url", "")],
        ),
        (
            format!("/t/demo/staff/schedule/counters/{counter}/active"),
            vec![("active", "0")],
        ),
        (
            "/t/demo/staff/schedule/templates".to_string(),
            [vec![("counter", counter_s.as_str())], hours.to_vec()].concat(),
        ),
        (
            format!("/t/demo/staff/schedule/templates/{template}"),
            hours.to_vec(),
        ),
        (
            format!("/t/demo/staff/schedule/templates/{template}/delete"),
            vec![],
        ),
        (
            format!("/t/demo/staff/schedule/closures/{closure}/delete"),
            vec![],
        ),
        (
            "/t/demo/staff/schedule/closures".to_string(),
            vec![
                ("first_day", "2026-12-02"),
                ("counter", counter_s.as_str()),
                ("reason", "x"),
            ],
        ),
        (
            format!("/t/demo/staff/settings/announcements/{announcement}"),
            vec![("title", "x"), ("body", ""), ("position", "1")],
        ),
        (
            format!("/t/demo/staff/settings/announcements/{announcement}/published"),
            vec![("published", "0")],
        ),
        (
            format!("/t/demo/staff/settings/announcements/{announcement}/delete"),
            vec![],
        ),
        (
            "/t/demo/staff/schedule/counters/abc".to_string(),
            vec![("name", "x")],
        ),
    ];
    for (path, fields) in cases {
        let page = post(&mut admin, &path, &fields).await;
        assert_eq!(
            page.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            page.text()
        );
    }
    // Nothing of the other municipality changed.
    let counters = tenants::all_counters(db, other).await.unwrap();
    assert_eq!(
        (counters[0].name.as_str(), counters[0].active),
        ("他市役所", true)
    );
    assert_eq!(schedule::templates(db, other).await.unwrap().len(), 1);
    assert_eq!(
        schedule::closures_from(db, other, date!(2026 - 12 - 01), CARD_PICKUP)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(tenants::all_announcements(db, other).await.unwrap()[0].published);
    // The admin's own console does not list them either.
    let page = admin.get("/t/demo/staff/schedule").await;
    page.assert_no_text("他市役所");
    page.assert_no_text("他市の休み");
    admin
        .get("/t/demo/staff/settings")
        .await
        .assert_no_text("他市のお知らせ");
}
on_both_databases!(only_admins_of_the_municipality_reach_these_pages);

/// Writes the template change straight into the database, past every check the app
/// makes: the one way a conflict between the schedule and bookings can arise.
async fn one_clerk_on_thursdays_behind_the_pages_back(db: &madoguchi::db::Db, counter_id: i64) {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use madoguchi::db::schema::opening_templates;
    async fn write(
        db: &madoguchi::db::Db,
        counter_id: i64,
    ) -> Result<usize, madoguchi::db::DbError> {
        madoguchi::db_write!(db, |conn| {
            Ok(diesel::update(
                opening_templates::table
                    .filter(opening_templates::counter_id.eq(counter_id))
                    .filter(opening_templates::weekday.eq(4)),
            )
            .set(opening_templates::clerks.eq(1))
            .execute(conn)
            .await?)
        })
    }
    assert!(write(db, counter_id).await.unwrap() > 0);
}

async fn earlier_conflicts_are_shown_and_do_not_block_other_changes(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (first, _) = book_at(&app, &[&s[14]], "p1@example.jp", "12月3日(木) 10:00").await;
    let (second, _) = book_at(&app, &[&s[15]], "p2@example.jp", "12月3日(木) 10:00").await;
    let main = app.counter_id(MAIN).await;
    let tenant = app.demo_tenant().await;
    // Changed behind the pages' back (an operator's SQL, or data from an older version):
    // one clerk on Thursdays. Every path in the app would refuse this; the background job
    // applies what it can and leaves the full slot as a conflict.
    one_clerk_on_thursdays_behind_the_pages_back(app.db(), main).await;
    let report = slots::materialise(app.db(), tenant.id, date!(2026 - 12 - 01))
        .await
        .unwrap();
    assert_eq!(report.conflicts.len(), 1);
    let thursday = day(&app, main, date!(2026 - 12 - 03)).await;
    let ten = thursday.iter().find(|s| s.start_min == 10 * 60).unwrap();
    assert_eq!(
        (ten.capacity, ten.taken),
        (2, 2),
        "the booked slot keeps its places"
    );
    assert!(
        thursday
            .iter()
            .filter(|s| s.start_min != 10 * 60)
            .all(|s| s.capacity == 1),
        "the others follow the new template"
    );

    let mut admin = app.admin_client().await;
    let page = admin.get("/t/demo/staff/schedule").await;
    page.assert_text("予約が入っているため、まだ反映できていない変更があります。");
    page.assert_text(&first);
    page.assert_text(&second);
    // Each listed booking links to its console page, where it can be moved or cancelled.
    for receipt in [&first, &second] {
        let id = madoguchi::db::bookings::find_by_receipt(
            app.db(),
            tenant.id,
            &receipt.replace('-', ""),
        )
        .await
        .unwrap()
        .unwrap()
        .id;
        assert!(
            page.body
                .contains(&format!("href=\"/t/demo/staff/bookings/{id}\"")),
            "a link to {receipt}"
        );
    }

    // An unrelated change still goes through.
    let main_id = main.to_string();
    post_ok(
        &mut admin,
        "/t/demo/staff/schedule/closures",
        &[
            ("first_day", "2026-12-02"),
            ("counter", &main_id),
            ("reason", "庁舎点検"),
        ],
    )
    .await
    .assert_text("休業日を追加しました。");
    assert!(day(&app, main, date!(2026 - 12 - 02)).await.is_empty());
}
on_both_databases!(earlier_conflicts_are_shown_and_do_not_block_other_changes);

async fn deactivating_a_counter_with_bookings_is_refused_with_links_to_them(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let s = sample_notices();
    let (single, _) = book_at(&app, &[&s[17]], "single@example.jp", "12月3日(木) 10:00").await;
    let (pair, _) = book_at(
        &app,
        &[&s[18], &s[19]],
        "pair@example.jp",
        "12月4日(金) 11:00",
    )
    .await;
    let main = app.counter_id(MAIN).await;
    let tenant = app.demo_tenant().await;
    let id_of = async |receipt: &str| {
        madoguchi::db::bookings::find_by_receipt(app.db(), tenant.id, &receipt.replace('-', ""))
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let (single_id, pair_id) = (id_of(&single).await, id_of(&pair).await);
    let slots_before = day(&app, main, date!(2026 - 12 - 03)).await;
    let mut admin = app.admin_client().await;
    let path = format!("/t/demo/staff/schedule/counters/{main}/active");

    let refused = post(&mut admin, &path, &[("active", "0")]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    refused.assert_text("この変更を保存すると、次の予約が受けられなくなります。");
    refused.assert_text("受けられなくなる予約(2件)");
    refused.assert_text(&format!(
        "{single} (予約詳細:日時の変更・取消) 2026年12月3日(木) 10:00〜10:15 {MAIN} 1人"
    ));
    refused.assert_text(&format!(
        "{pair} (予約詳細:日時の変更・取消) 2026年12月4日(金) 11:00〜11:30 {MAIN} 2人"
    ));
    // Each receipt number leads to the booking's console page.
    for id in [single_id, pair_id] {
        assert!(
            refused
                .body
                .contains(&format!("href=\"/t/demo/staff/bookings/{id}\"")),
            "a link to booking {id}"
        );
    }
    // Nothing changed.
    let counter = tenants::all_counters(app.db(), tenant.id)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.id == main)
        .unwrap();
    assert!(counter.active);
    assert_eq!(day(&app, main, date!(2026 - 12 - 03)).await, slots_before);
    assert!(audit_rows(&app, "schedule_change").await.is_empty());

    // The admin follows the links, cancels both bookings there, and then may stop it.
    for id in [single_id, pair_id] {
        let booking = admin.get(&format!("/t/demo/staff/bookings/{id}")).await;
        booking.assert_text("日時を変更する");
        booking.assert_text("予約を取り消す");
        let cancel = admin
            .get(&format!("/t/demo/staff/bookings/{id}/cancel"))
            .await;
        admin
            .post_form(
                &format!("/t/demo/staff/bookings/{id}/cancel"),
                &[("csrf", &csrf(&cancel.body))],
            )
            .await;
    }
    post_ok(&mut admin, &path, &[("active", "0")])
        .await
        .assert_text("窓口の受付を停止しました。");
    assert!(day(&app, main, date!(2026 - 12 - 03)).await.is_empty());
}
on_both_databases!(deactivating_a_counter_with_bookings_is_refused_with_links_to_them);
