//! Closures of vaccination venues (issue 12, staff part): one venue's, refused over a booked
//! day; every venue's, which leaves card pickup open, and the schedule page's closure of
//! every card-pickup counter, which leaves the venues open.
use axum::http::StatusCode;
use madoguchi::db::schedule;
use madoguchi::db::slots;
use madoguchi::db::tenants;
use madoguchi::db::vaccination::VACCINATION;
use madoguchi::db::venues;
use time::Date;
use time::macros::date;

use crate::common::{Backend, TestApp, csrf};
use crate::on_both_databases;
use crate::vaccination_venues::{
    HALL, HEALTH_CENTRE, VENUES, audit_details, book_ticket, post, post_ok, venue_id,
};

async fn closure_count(app: &TestApp, tenant_id: i64) -> usize {
    schedule::closures_from(app.db(), tenant_id, date!(2026 - 12 - 01), VACCINATION)
        .await
        .unwrap()
        .len()
}

async fn a_closure_over_a_booked_day_is_refused(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let tenant = app.demo_tenant().await;
    let mut admin = app.admin_client().await;
    let centre = venue_id(&app, HEALTH_CENTRE).await;
    let thursday = date!(2026 - 12 - 03);
    let receipt = book_ticket(&app, centre, thursday, "2026000001").await;
    let before = closure_count(&app, tenant.id).await;

    let centre_value = centre.to_string();
    let refused = post(
        &mut admin,
        VENUES,
        &format!("{VENUES}/closures"),
        &[
            ("counter", centre_value.as_str()),
            ("first_day", "2026年12月3日"),
            ("last_day", ""),
            ("reason", "設備点検のため"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    refused.assert_text("この変更を保存すると、次の予約が受けられなくなります。");
    refused.assert_text(&madoguchi::core::receipt::format_receipt(&receipt));
    refused.assert_text("2026年12月3日(木) 09:00〜09:30");
    assert!(
        refused.body.contains("value=\"設備点検のため\""),
        "typed kept"
    );
    assert_eq!(
        closure_count(&app, tenant.id).await,
        before,
        "nothing saved"
    );
    assert_eq!(
        slots::find_by_counter_days(app.db(), centre, thursday, thursday)
            .await
            .unwrap()
            .len(),
        12
    );

    // Stopping the venue would strand the booking too.
    let stop = post(
        &mut admin,
        VENUES,
        &format!("{VENUES}/{centre}/active"),
        &[("active", "0")],
    )
    .await;
    assert_eq!(stop.status, StatusCode::CONFLICT);
    assert!(
        venues::find(app.db(), tenant.id, centre)
            .await
            .unwrap()
            .unwrap()
            .active
    );

    // Saturday has no booking: closed, for this venue only.
    let saturday = date!(2026 - 12 - 05);
    let hall = venue_id(&app, HALL).await;
    let hall_before = slots::find_by_counter_days(app.db(), hall, saturday, saturday)
        .await
        .unwrap()
        .len();
    let done = post_ok(
        &mut admin,
        VENUES,
        &format!("{VENUES}/closures"),
        &[
            ("counter", centre_value.as_str()),
            ("first_day", "2026-12-05"),
            ("reason", "設備点検のため"),
        ],
    )
    .await;
    done.assert_text("休業日を追加しました。");
    done.assert_text("2026年12月5日(土)");
    assert!(
        slots::find_by_counter_days(app.db(), centre, saturday, saturday)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        slots::find_by_counter_days(app.db(), hall, saturday, saturday)
            .await
            .unwrap()
            .len(),
        hall_before
    );
    // The venue's closure is not listed among card pickup's.
    admin
        .get("/t/demo/staff/schedule")
        .await
        .assert_no_text("設備点検のため");
    let audit = audit_details(&app, "schedule_change").await;
    assert!(
        audit.iter().any(|d| d.contains(
            "休業日を追加: 2026年12月5日(土) 接種会場「デモ市保健センター」「設備点検のため」"
        )),
        "{audit:?}"
    );
}
on_both_databases!(a_closure_over_a_booked_day_is_refused);

/// 「すべての接種会場」 on the venues page closes every venue and no card-pickup counter;
/// 「すべての窓口(接種会場は除く)」 on the schedule page the other way round; each page
/// lists what applies to it and 「すべての窓口・接種会場」 still closes both.
async fn closing_every_venue_or_every_counter(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let tenant = app.demo_tenant().await;
    let mut admin = app.admin_client().await;
    let centre = venue_id(&app, HEALTH_CENTRE).await;
    let counter = tenants::active_counters(app.db(), tenant.id)
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap()
        .id;
    let count = |id: i64, day: Date| {
        let db = app.db().clone();
        async move {
            slots::find_by_counter_days(&db, id, day, day)
                .await
                .unwrap()
                .len()
        }
    };
    let tuesday = date!(2026 - 12 - 08);
    let thursday = date!(2026 - 12 - 10);
    let (centre_tue, counter_tue) = (count(centre, tuesday).await, count(counter, tuesday).await);
    assert!(centre_tue > 0 && counter_tue > 0);

    let done = post_ok(
        &mut admin,
        VENUES,
        &format!("{VENUES}/closures"),
        &[
            ("counter", "all"),
            ("first_day", "2026-12-08"),
            ("reason", "接種会場の一斉点検のため"),
        ],
    )
    .await;
    done.assert_text("すべての接種会場");
    assert_eq!(count(centre, tuesday).await, 0, "the venues close");
    assert_eq!(
        count(counter, tuesday).await,
        counter_tue,
        "card pickup stays open"
    );
    let schedule = admin.get("/t/demo/staff/schedule").await;
    schedule.assert_no_text("接種会場の一斉点検のため");

    let (centre_thu, counter_thu) = (
        count(centre, thursday).await,
        count(counter, thursday).await,
    );
    assert!(centre_thu > 0 && counter_thu > 0);
    let schedule = admin.get("/t/demo/staff/schedule").await;
    schedule.assert_text("すべての窓口(接種会場は除く)");
    let token = csrf(&schedule.body);
    let saved = admin
        .post_form(
            "/t/demo/staff/schedule/closures",
            &[
                ("csrf", token.as_str()),
                ("counter", "all"),
                ("first_day", "2026-12-10"),
                ("last_day", ""),
                ("reason", "システム更新のため"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    assert_eq!(count(counter, thursday).await, 0, "the counters close");
    assert_eq!(
        count(centre, thursday).await,
        centre_thu,
        "the venues stay open"
    );
    admin.get(VENUES).await.assert_no_text("システム更新のため");
    let schedule = admin.get("/t/demo/staff/schedule").await;
    schedule.assert_text("システム更新のため");

    // The venues page removes its own closure of every venue.
    let venues_page = admin.get(VENUES).await;
    let id = schedule::closures_from(app.db(), tenant.id, tuesday, VACCINATION)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.reason == "接種会場の一斉点検のため")
        .unwrap()
        .id;
    let removed = admin
        .post_form(
            &format!("{VENUES}/closures/{id}/delete"),
            &[("csrf", csrf(&venues_page.body).as_str())],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.text());
    assert_eq!(count(centre, tuesday).await, centre_tue);
    let audit = audit_details(&app, "schedule_change").await;
    assert!(
        audit
            .iter()
            .any(|d| d.contains("すべての接種会場「接種会場の一斉点検のため」")),
        "{audit:?}"
    );
}
on_both_databases!(closing_every_venue_or_every_counter);
