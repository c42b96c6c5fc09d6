//! 編集 of a vaccination booking (issue 12, resident step 8): from its 詳細 to the choice,
//! a new time held, 「予約の変更」 with before and after, and 「変更を確定する」, which moves
//! the booking once under a double press and keeps its 予約ID. The intervals hold on both
//! sides (1回目 may not move closer to 2回目 than the interval, 2回目 not before it allows),
//! another ticket's session cannot start a change, and past the deadline there is none.
use madoguchi::db::{bookings, slots, venues};
use time::{Date, Month};

use crate::common::client::{Client, Page};
use crate::common::{Backend, TestApp, csrf};
use crate::on_both_databases;
use crate::vaccination::logged_in;
use crate::vaccination_mybooking::{VENUE, book, day, status, taken};

fn january(d: u8) -> Date {
    Date::from_calendar_date(2027, Month::January, d).unwrap()
}

/// The demo health centre's id and its slot at `start_min` on `on`.
async fn centre_slot(app: &TestApp, on: Date, start_min: i32) -> (i64, i64) {
    let tenant = app.demo_tenant().await;
    let venue = venues::active(app.db(), tenant.id)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.name == VENUE)
        .unwrap();
    slots::materialise(app.db(), tenant.id, app.clock.today())
        .await
        .unwrap();
    let slot = slots::find_by_counter_days(app.db(), venue.id, on, on)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.start_min == start_min)
        .unwrap_or_else(|| panic!("no slot at {start_min} on {on}"));
    (venue.id, slot.id)
}

fn day_path(venue: i64, on: Date) -> String {
    format!("/t/demo/vaccination/venues/{venue}/{on}")
}

/// [編集] on booking `id`, then the times of `on` at the centre, then `slot` held.
async fn hold_new_time(client: &mut Client, id: i64, venue: i64, on: Date, slot: i64) -> Page {
    let start = client
        .get(&format!("/t/demo/vaccination/bookings/{id}/change"))
        .await;
    assert_eq!(start.status, 200, "{}", start.text());
    let times = client.get(&day_path(venue, on)).await;
    assert_eq!(times.status, 200, "{}", times.text());
    // A refused day has no form: the session's token from the マイページ, as a page left
    // open would send it.
    let token = csrf(&client.get("/t/demo/vaccination/mypage").await.body);
    client
        .post_form(
            "/t/demo/vaccination/hold",
            &[("csrf", &token), ("slot", &slot.to_string())],
        )
        .await
}

/// The 詳細 offers 編集; the change page shows before and after; a double press moves the
/// booking once: same 予約ID, the old place free, the new one taken, one change mail.
async fn change_keeps_the_booking_id(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let made = book(&app, 0, 1, day(10), 600, Some("taro@example.jp")).await;
    let (venue, new_slot) = centre_slot(&app, day(12), 13 * 60).await;
    let mut client = app.client();
    logged_in(&mut client, 0).await;
    let detail_path = format!("/t/demo/vaccination/bookings/{}", made.id);
    let detail = client.get(&detail_path).await;
    assert!(
        detail
            .body
            .contains(&format!("href=\"{detail_path}/change\"")),
        "編集 link: {}",
        detail.text()
    );
    detail.assert_text("編集");
    let start = client.get(&format!("{detail_path}/change")).await;
    start.assert_text("予約の変更");
    start.assert_text("予約IDと連絡先は変わりません");
    // The header names this service, not card pickup.
    start.assert_text("デモ市 ワクチン接種予約");
    assert!(!start.text().contains("マイナンバーカード受取予約"));
    start.assert_text("場所から決める");
    start.assert_text("日時から決める");
    let held = hold_new_time(&mut client, made.id, venue, day(12), new_slot).await;
    assert_eq!(
        held.location.as_deref(),
        Some("/t/demo/vaccination/change"),
        "{}",
        held.text()
    );
    // 連絡先 is not asked again: it goes to the change page.
    let contact = client.get("/t/demo/vaccination/contact").await;
    assert_eq!(
        contact.location.as_deref(),
        Some("/t/demo/vaccination/change")
    );
    let page = client.get("/t/demo/vaccination/change").await;
    assert_eq!(page.status, 200, "{}", page.text());
    for text in [
        "予約の変更",
        "まだ変更は確定していません。",
        "変更前",
        "2026年12月10日(木) 10:00",
        "変更後",
        "2026年12月12日(土) 13:00",
        VENUE,
        "変更を確定する",
    ] {
        page.assert_text(text);
    }
    assert_eq!(taken(&app, made.slot_id).await, 1);
    assert_eq!(taken(&app, new_slot).await, 1, "the hold");

    let token = csrf(&page.body);
    let mut second = client.clone();
    let form = [("csrf", token.as_str())];
    let (a, b) = tokio::join!(
        client.post_form("/t/demo/vaccination/change", &form),
        second.post_form("/t/demo/vaccination/change", &form)
    );
    for p in [&a, &b] {
        assert_eq!(
            p.location.as_deref(),
            Some(detail_path.as_str()),
            "{}",
            p.text()
        );
    }
    let moved = bookings::find(app.db(), made.id).await.unwrap().unwrap();
    assert_eq!(moved.status, "booked");
    assert_eq!((moved.day, moved.start_min), (day(12), 13 * 60));
    assert_eq!(
        madoguchi::core::receipt::format_receipt(&moved.receipt_number),
        made.receipt,
        "the 予約ID stays"
    );
    assert_eq!(taken(&app, made.slot_id).await, 0, "the old place is free");
    assert_eq!(
        taken(&app, new_slot).await,
        1,
        "the new place is the booking's"
    );
    let mails = app.mails_to("taro@example.jp").await;
    assert_eq!(mails.len(), 1, "one change mail for the double press");
    assert!(
        mails[0].subject.contains("予約変更"),
        "{}",
        mails[0].subject
    );
    for text in [
        made.receipt.as_str(),
        "2026年12月10日(木) 10:00",
        "2026年12月12日(土) 13:00",
        "デモ市ワクチン接種予約相談センター",
    ] {
        assert!(mails[0].text.contains(text), "{text}: {}", mails[0].text);
    }
    let detail = client.get(&detail_path).await;
    detail.assert_text("1回目の予約を2026年12月12日(土) 13:00");
    detail.assert_text("予約IDは変わりません");
    // A third press, later, changes nothing and shows the booking.
    let again = client.post_form("/t/demo/vaccination/change", &form).await;
    assert_eq!(again.location.as_deref(), Some(detail_path.as_str()));
    assert_eq!(app.mails_to("taro@example.jp").await.len(), 1);

    // English.
    let mut en = app.client();
    en.set_cookie("mdg_lang", "en");
    logged_in(&mut en, 0).await;
    let start = en.get(&format!("{detail_path}/change")).await;
    start.assert_text("Change your booking");
    start.assert_text("Keep the booking as it is");
}
on_both_databases!(change_keeps_the_booking_id);

/// With 2回目 booked on 5 Jan, 1回目 may move up to 15 Dec (21 days before) and not to
/// 17 Dec, whose page says why; 2回目 may not move before 21 days after 1回目.
async fn intervals_hold_on_both_sides(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let first = book(&app, 0, 1, day(10), 600, None).await;
    let second = book(&app, 0, 2, january(5), 600, None).await;
    let (venue, too_late) = centre_slot(&app, day(17), 600).await;
    let (_, last_ok) = centre_slot(&app, day(15), 600).await;
    let mut client = app.client();
    logged_in(&mut client, 0).await;

    let refused = hold_new_time(&mut client, first.id, venue, day(17), too_late).await;
    assert_ne!(
        refused.location.as_deref(),
        Some("/t/demo/vaccination/change"),
        "17 Dec leaves 2回目 too early"
    );
    assert_eq!(taken(&app, too_late).await, 0, "no hold on a refused day");
    let times = client.get(&day_path(venue, day(17))).await;
    times.assert_text("次の回の予約日までの接種間隔が足りなくなるため");
    times.assert_text("2026年12月15日(火)以前の日を選んでください");
    assert!(crate::common::selectable_slots(&times.body).is_empty());
    let calendar = client
        .get(&format!("/t/demo/vaccination/venues/{venue}?month=2026-12"))
        .await;
    assert!(
        calendar.body.contains("day-too-late-for-next"),
        "{}",
        calendar.text()
    );

    let held = hold_new_time(&mut client, first.id, venue, day(15), last_ok).await;
    assert_eq!(held.location.as_deref(), Some("/t/demo/vaccination/change"));
    let page = client.get("/t/demo/vaccination/change").await;
    let done = client
        .post_form("/t/demo/vaccination/change", &[("csrf", &csrf(&page.body))])
        .await;
    assert_eq!(
        done.location,
        Some(format!("/t/demo/vaccination/bookings/{}", first.id))
    );
    let moved = bookings::find(app.db(), first.id).await.unwrap().unwrap();
    assert_eq!(moved.day, day(15));

    // 2回目 now counts from 15 Dec: 5 Jan is the first day; 26 Dec (Sat) is too early.
    let (_, early) = centre_slot(&app, day(26), 600).await;
    let refused = hold_new_time(&mut client, second.id, venue, day(26), early).await;
    assert_ne!(
        refused.location.as_deref(),
        Some("/t/demo/vaccination/change")
    );
    let times = client.get(&day_path(venue, day(26))).await;
    times.assert_text("接種可能な期間を経過していない");
    assert_eq!(status(&app, second.id).await, "booked");
}
on_both_databases!(intervals_hold_on_both_sides);

/// Another ticket's session gets 404 for the change; past the deadline there is no 編集
/// and the change page sends back to the 詳細, which shows the call centre.
async fn only_the_own_booking_until_the_deadline(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let made = book(&app, 0, 1, day(10), 600, None).await;
    let path = format!("/t/demo/vaccination/bookings/{}", made.id);
    let mut other = app.client();
    logged_in(&mut other, 1).await;
    assert_eq!(other.get(&format!("{path}/change")).await.status, 404);

    let mut client = app.client();
    app.clock.advance(6 * 86_400 + 15 * 3600);
    logged_in(&mut client, 0).await;
    let detail = client.get(&path).await;
    assert!(
        !detail.body.contains("/change\""),
        "no 編集 past the deadline"
    );
    detail.assert_text("予約相談センター");
    let start = client.get(&format!("{path}/change")).await;
    assert_eq!(start.location.as_deref(), Some(path.as_str()));
    assert_eq!(status(&app, made.id).await, "booked");
}
on_both_databases!(only_the_own_booking_until_the_deadline);
