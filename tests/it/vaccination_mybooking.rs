//! A vaccination booking's pages from the マイページ (issue 12, resident step 8): 予約詳細,
//! キャンセル (with the question about dose 2), the deadline and the call centre, and one
//! ticket's session never reaching another ticket's booking. The bookings are made through
//! the library (hold + confirm), the pages are driven over HTTP after the ticket login.
use madoguchi::db::bookings::{self, Confirmed, NewBooking, NewPerson, TicketDose};
use madoguchi::db::holds::{self, NewHold};
use madoguchi::db::{slots, tickets, vaccination, venues};
use time::{Date, Month};

use crate::common::client::Client;
use crate::common::{Backend, TestApp, csrf};
use crate::on_both_databases;
use crate::vaccination::{logged_in, ticket};

pub const VENUE: &str = "デモ市保健センター";

pub fn day(d: u8) -> Date {
    Date::from_calendar_date(2026, Month::December, d).unwrap()
}

/// A booked dose: its id, receipt and the slot it took.
pub struct Made {
    pub id: i64,
    pub receipt: String,
    pub slot_id: i64,
}

/// Books demo ticket `i`'s `dose` at `VENUE` on `on` at `start_min`, through the library.
pub async fn book(
    app: &TestApp,
    i: usize,
    dose: i32,
    on: Date,
    start_min: i32,
    email: Option<&str>,
) -> Made {
    let db = app.db();
    let tenant = app.demo_tenant().await;
    let settings = vaccination::settings(db, tenant.id).await.unwrap().unwrap();
    let venue = venues::active(db, tenant.id)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.name == VENUE)
        .expect("the demo's health centre");
    let now = app.clock.now_unix();
    slots::materialise(db, tenant.id, app.clock.today())
        .await
        .unwrap();
    let slot = slots::find_by_counter_days(db, venue.id, on, on)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.start_min == start_min)
        .expect("a slot at that time");
    let hold_id = holds::place(
        db,
        &NewHold {
            tenant_id: tenant.id,
            counter_id: venue.id,
            slot_ids: &[slot.id],
            replaces: None,
            now,
            expires_at: now + 600,
        },
    )
    .await
    .unwrap()
    .expect("a free place");
    let (number, _) = ticket(i);
    let t = tickets::find_by_number(db, tenant.id, &number)
        .await
        .unwrap()
        .expect("the demo ticket");
    let receipt = format!("{:010}", 7_000_000_000u64 + (i as u64) * 10 + dose as u64);
    let people = [NewPerson {
        notice_id: None,
        name: t.name.clone(),
        kana: "デモ タロウ".into(),
        phone: "090-1234-5678".into(),
        answers: Vec::new(),
    }];
    let key = format!("test-{receipt}");
    let confirmed = bookings::confirm(
        db,
        &NewBooking {
            tenant_id: tenant.id,
            service_id: settings.service_id,
            counter_id: venue.id,
            hold_id,
            receipt_number: &receipt,
            password_hash: "",
            email,
            email2: None,
            idempotency_key: &key,
            people: &people,
            source: "web",
            lang: "ja",
            now,
            by_staff: None,
            ticket: Some(TicketDose {
                ticket_id: t.id,
                dose_number: dose,
                terms_version: settings.terms_version,
                booker_name: Some("デモ 花子"),
                booker_phone: Some("080-0000-1111"),
                wants_earlier: true,
            }),
            waitlist: None,
        },
        &[],
    )
    .await
    .unwrap();
    let Confirmed::Booked(id) = confirmed else {
        panic!("not booked: {confirmed:?}");
    };
    Made {
        id,
        receipt: format!("{}-{}-{}", &receipt[..4], &receipt[4..8], &receipt[8..]),
        slot_id: slot.id,
    }
}

pub async fn taken(app: &TestApp, slot_id: i64) -> i32 {
    slots::find(app.db(), slot_id).await.unwrap().unwrap().taken
}

pub async fn status(app: &TestApp, id: i64) -> String {
    bookings::find(app.db(), id).await.unwrap().unwrap().status
}

/// [はい] on 「キャンセルしますか？」 with `extra` fields.
async fn press_yes(
    client: &mut Client,
    id: i64,
    extra: &[(&str, &str)],
) -> crate::common::client::Page {
    let path = format!("/t/demo/vaccination/bookings/{id}/cancel");
    let page = client.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let token = csrf(&page.body);
    let mut form = vec![("csrf", token.as_str())];
    form.extend_from_slice(extra);
    client.post_form(&path, &form).await
}

/// The 詳細 shows what was booked with キャンセル; the マイページ links to it; the
/// second ticket's session gets 404 for it (page and cancel); English too.
async fn details_for_the_own_ticket_only(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let made = book(&app, 0, 1, day(10), 600, Some("taro@example.jp")).await;
    let mut client = app.client();
    let mypage = logged_in(&mut client, 0).await;
    let path = format!("/t/demo/vaccination/bookings/{}", made.id);
    assert!(
        mypage.body.contains(&format!("href=\"{path}\"")),
        "詳細 link"
    );
    let page = client.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.text());
    for text in [
        "予約詳細",
        made.receipt.as_str(),
        "1回目",
        "2026年12月10日(木)",
        "10:00",
        VENUE,
        "ファイザー",
        "デモ タロウ",
        "090-1234-5678",
        "taro@example.jp",
        "デモ 花子",
        "080-0000-1111",
        "希望する",
        "キャンセル",
        "予約日の3日前まで",
    ] {
        page.assert_text(text);
    }

    let mut other = app.client();
    logged_in(&mut other, 1).await;
    assert_eq!(other.get(&path).await.status, 404);
    assert_eq!(other.get(&format!("{path}/cancel")).await.status, 404);
    let own = other.get("/t/demo/vaccination/mypage").await;
    let token = csrf(&own.body);
    let refused = other
        .post_form(&format!("{path}/cancel"), &[("csrf", token.as_str())])
        .await;
    assert_eq!(refused.status, 404);
    assert_eq!(status(&app, made.id).await, "booked");
    // Not logged in: the login page, not the booking.
    let page = app.client().get(&path).await;
    assert_ne!(page.status, 200);

    let mut en = app.client();
    en.set_cookie("mdg_lang", "en");
    logged_in(&mut en, 0).await;
    let page = en.get(&path).await;
    page.assert_text("Booking details");
    page.assert_text("Cancel");
}
on_both_databases!(details_for_the_own_ticket_only);

/// 「キャンセルしますか？」 → はい cancels once under a double press: the place is free
/// again, one cancellation mail, the マイページ offers the dose again.
async fn cancel_once(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let made = book(&app, 0, 1, day(10), 600, Some("taro@example.jp")).await;
    assert_eq!(taken(&app, made.slot_id).await, 1);
    let mut client = app.client();
    logged_in(&mut client, 0).await;
    let path = format!("/t/demo/vaccination/bookings/{}/cancel", made.id);
    let page = client.get(&path).await;
    page.assert_text("キャンセルしますか？");
    page.assert_text("はい");
    page.assert_text("いいえ");
    let token = csrf(&page.body);
    let (a, b) = {
        let mut c2 = client.clone();
        let form = [("csrf", token.as_str())];
        tokio::join!(client.post_form(&path, &form), c2.post_form(&path, &form))
    };
    for p in [&a, &b] {
        assert_eq!(
            p.location.as_deref(),
            Some("/t/demo/vaccination/mypage"),
            "{}",
            p.text()
        );
    }
    assert_eq!(status(&app, made.id).await, "cancelled");
    assert_eq!(taken(&app, made.slot_id).await, 0);
    let mails = app.mails_to("taro@example.jp").await;
    assert_eq!(mails.len(), 1, "one cancellation mail");
    assert!(
        mails[0].subject.contains("予約取消"),
        "{}",
        mails[0].subject
    );
    assert!(mails[0].text.contains(&made.receipt), "{}", mails[0].text);
    let mypage = client.get("/t/demo/vaccination/mypage").await;
    mypage.assert_text("1回目の予約をキャンセルしました。");
    assert!(!mypage.body.contains(&made.receipt));
}
on_both_databases!(cancel_once);

/// Cancelling dose 1 with dose 2 booked asks first; 「2回目の予約もキャンセルする」 cancels
/// both, keeping dose 2 cancels dose 1 only and says to check the day with the centre.
async fn cancel_dose_one_asks_about_dose_two(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    // Ticket 0 cancels both. (The library does not check the interval; the pages do.)
    let first = book(&app, 0, 1, day(10), 600, None).await;
    let second = book(&app, 0, 2, day(26), 600, None).await;
    let mut client = app.client();
    logged_in(&mut client, 0).await;
    let asked = press_yes(&mut client, first.id, &[]).await;
    assert_eq!(asked.status, 200, "{}", asked.text());
    asked.assert_text("2回目の予約はどうしますか？");
    asked.assert_text("2回目の予約もキャンセルする");
    asked.assert_text("2回目の予約は残す");
    assert_eq!(
        status(&app, first.id).await,
        "booked",
        "nothing cancelled yet"
    );
    let token = csrf(&asked.body);
    let path = format!("/t/demo/vaccination/bookings/{}/cancel", first.id);
    let done = client
        .post_form(&path, &[("csrf", token.as_str()), ("next", "cancel")])
        .await;
    assert_eq!(done.location.as_deref(), Some("/t/demo/vaccination/mypage"));
    assert_eq!(status(&app, first.id).await, "cancelled");
    assert_eq!(status(&app, second.id).await, "cancelled");
    assert_eq!(taken(&app, second.slot_id).await, 0);

    // Ticket 1 keeps dose 2.
    let first = book(&app, 1, 1, day(10), 630, None).await;
    let second = book(&app, 1, 2, day(26), 630, None).await;
    let mut client = app.client();
    logged_in(&mut client, 1).await;
    press_yes(&mut client, first.id, &[]).await;
    let done = press_yes(&mut client, first.id, &[("next", "keep")]).await;
    assert_eq!(done.location.as_deref(), Some("/t/demo/vaccination/mypage"));
    assert_eq!(status(&app, first.id).await, "cancelled");
    assert_eq!(status(&app, second.id).await, "booked");
    let mypage = client.get("/t/demo/vaccination/mypage").await;
    mypage.assert_text("接種間隔の基準となる前回の予約がなくなりました");
    mypage.assert_text("予約相談センター");
}
on_both_databases!(cancel_dose_one_asks_about_dose_two);

/// Past 「予約日の3日前まで」 the buttons are gone, the page says why and shows the call
/// centre, and a cancel sent anyway is refused.
async fn past_the_deadline(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let made = book(&app, 0, 1, day(10), 600, Some("taro@example.jp")).await;
    let mut client = app.client();
    let mypage = logged_in(&mut client, 0).await;
    let token = csrf(&mypage.body);
    let path = format!("/t/demo/vaccination/bookings/{}", made.id);
    client.get(&path).await.assert_text("キャンセル");
    // 12月7日 23:59 is the last moment; 12月8日 00:00 is past it (a new login: the idle
    // session has expired meanwhile).
    app.clock.advance(6 * 86_400 + 15 * 3600);
    let mypage = logged_in(&mut client, 0).await;
    let token2 = csrf(&mypage.body);
    let page = client.get(&path).await;
    assert_eq!(page.status, 200);
    page.assert_text("予約日の3日前までを過ぎたため、このサイトでは変更・キャンセルできません。");
    page.assert_text("予約相談センター");
    assert!(!page.body.contains("/cancel\""), "no cancel button");
    for t in [token, token2] {
        let refused = client
            .post_form(&format!("{path}/cancel"), &[("csrf", t.as_str())])
            .await;
        assert_ne!(
            refused.location.as_deref(),
            Some("/t/demo/vaccination/mypage")
        );
    }
    assert_eq!(status(&app, made.id).await, "booked");
    assert_eq!(taken(&app, made.slot_id).await, 1);
    assert!(app.mails_to("taro@example.jp").await.is_empty());
}
on_both_databases!(past_the_deadline);
