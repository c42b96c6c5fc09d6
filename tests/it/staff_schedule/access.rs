//! Who reaches the schedule pages (admins of the municipality only), conflicts shown without
//! blocking other changes, and a counter with bookings that cannot be stopped.
use axum::http::StatusCode;
use madoguchi::db::schedule::{self, NewOpeningTemplate};
use madoguchi::db::slots::{self};
use madoguchi::db::tenants::{self, CARD_PICKUP, NewCounter, Role};
use madoguchi::demo::sample_notices;
use time::macros::date;

use crate::common::{Backend, TestApp, csrf};
use crate::on_both_databases;
use crate::resident::book_at;

use super::{MAIN, audit_rows, day, post, post_ok};

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
