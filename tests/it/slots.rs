//! Slot materialisation from opening templates, and the capacity race, on both databases.
use madoguchi::db::Db;
use madoguchi::db::holds::{self, NewHold};
use madoguchi::db::schedule::{
    self, Applied, ChangeContext, NewOpeningTemplate, ScheduleChange, TemplateFields,
    TemplateRecord,
};
use madoguchi::db::slots::{self, Slot};
use madoguchi::db::tenants::{self, CARD_PICKUP, NewCounter};
use time::Date;
use time::macros::date;

use crate::common::{Backend, TestDb};
use crate::on_both_databases;

const TODAY: Date = date!(2026 - 12 - 01); // a Tuesday

struct Town {
    tenant_id: i64,
    main_office: i64,
    branch: i64,
}

/// Weekdays 8:30–17:15 in 15-minute slots with two clerks at both counters, Saturday
/// 9:00–12:00 with one clerk at the main office; the default 56-day window.
async fn town(db: &Db) -> Town {
    let tenant_id = tenants::create_tenant(db, "town", "テスト町", 0)
        .await
        .unwrap();
    let service_id = tenants::service_id(db, tenant_id, CARD_PICKUP)
        .await
        .unwrap();
    let counter = |name: &'static str| NewCounter {
        tenant_id,
        name,
        address: "",
        directions: "",
        map_url: None,
        position: 0,
    };
    let main_office = tenants::add_counter(db, counter("本庁舎")).await.unwrap();
    let branch = tenants::add_counter(db, counter("支所")).await.unwrap();
    let mut rows = Vec::new();
    for counter_id in [main_office, branch] {
        for weekday in 1..=5 {
            rows.push(NewOpeningTemplate {
                counter_id,
                service_id,
                weekday,
                opens_min: 8 * 60 + 30,
                closes_min: 17 * 60 + 15,
                slot_min: 15,
                clerks: 2,
            });
        }
    }
    rows.push(NewOpeningTemplate {
        counter_id: main_office,
        service_id,
        weekday: 6,
        opens_min: 9 * 60,
        closes_min: 12 * 60,
        slot_min: 15,
        clerks: 1,
    });
    schedule::add_opening_templates(db, &rows).await.unwrap();
    Town {
        tenant_id,
        main_office,
        branch,
    }
}

async fn day(db: &Db, counter_id: i64, day: Date) -> Vec<Slot> {
    slots::find_by_counter_days(db, counter_id, day, day)
        .await
        .unwrap()
}

async fn materialises_templates_closures_holidays_and_window(backend: Backend) {
    let Some(test) = TestDb::new(backend).await else {
        return;
    };
    let db = &test.db;
    let town = town(db).await;
    let report = slots::materialise(db, town.tenant_id, TODAY).await.unwrap();
    assert!(report.created > 0);
    assert!(report.conflicts.is_empty());

    // A weekday: 35 slots from 08:30 to the one starting 17:00, two places each.
    let tuesday = day(db, town.main_office, TODAY).await;
    assert_eq!(tuesday.len(), 35);
    assert_eq!((tuesday[0].start_min, tuesday[0].end_min), (510, 525));
    assert_eq!(tuesday[34].start_min, 17 * 60);
    assert!(tuesday.iter().all(|s| s.capacity == 2 && s.taken == 0));
    assert_eq!(day(db, town.branch, TODAY).await.len(), 35);

    // Saturday morning at the main office only; nothing on Sunday.
    let saturday = date!(2026 - 12 - 05);
    assert_eq!(day(db, town.main_office, saturday).await.len(), 12);
    assert!(day(db, town.branch, saturday).await.is_empty());
    assert!(
        day(db, town.main_office, date!(2026 - 12 - 06))
            .await
            .is_empty()
    );

    // 年末年始 (Dec 29 – Jan 3) and 成人の日 (2027-01-11) are closed; the day after is open.
    for d in [
        date!(2026 - 12 - 29),
        date!(2026 - 12 - 31),
        date!(2027 - 01 - 01),
        date!(2027 - 01 - 11),
    ] {
        assert!(
            day(db, town.main_office, d).await.is_empty(),
            "{d} should be closed"
        );
    }
    assert_eq!(
        day(db, town.main_office, date!(2027 - 01 - 12)).await.len(),
        35
    );

    // The window's last day (today + 56) is included, the day after is not.
    assert_eq!(
        day(db, town.main_office, date!(2027 - 01 - 26)).await.len(),
        35
    );
    assert!(
        day(db, town.main_office, date!(2027 - 01 - 27))
            .await
            .is_empty()
    );
    // Nothing before today.
    assert!(
        day(db, town.main_office, date!(2026 - 11 - 30))
            .await
            .is_empty()
    );

    // Running again changes nothing.
    let again = slots::materialise(db, town.tenant_id, TODAY).await.unwrap();
    assert_eq!(
        (again.created, again.deleted, again.capacity_changed),
        (0, 0, 0)
    );
    assert!(again.conflicts.is_empty());

    // The next day the window moves by one day: exactly that day's slots are added.
    let tomorrow = slots::materialise(db, town.tenant_id, date!(2026 - 12 - 02))
        .await
        .unwrap();
    assert_eq!(
        tomorrow.created, 70,
        "2027-01-27 is a Wednesday: 35 slots at each counter"
    );
}
on_both_databases!(materialises_templates_closures_holidays_and_window);

/// A change saved as the admin's schedule page saves it: tenant-checked, re-materialised
/// and audited in one transaction.
async fn change(db: &Db, town: &Town, change: ScheduleChange) -> Applied {
    let ctx = ChangeContext {
        tenant_id: town.tenant_id,
        staff_user_id: None,
        today: TODAY,
        now: 0,
    };
    schedule::apply(db, &ctx, &change).await.unwrap()
}

/// The town's one opening template of `counter_id` on `weekday`.
async fn template(db: &Db, town: &Town, counter_id: i64, weekday: i32) -> TemplateRecord {
    schedule::templates(db, town.tenant_id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.counter_id == counter_id && t.weekday == weekday)
        .expect("a template")
}

fn with_clerks(t: &TemplateRecord, clerks: i32) -> TemplateFields {
    TemplateFields {
        weekday: t.weekday,
        opens_min: t.opens_min,
        closes_min: t.closes_min,
        slot_min: t.slot_min,
        clerks,
    }
}

async fn changes_never_strand_taken_places(backend: Backend) {
    let Some(test) = TestDb::new(backend).await else {
        return;
    };
    let db = &test.db;
    let town = town(db).await;
    slots::materialise(db, town.tenant_id, TODAY).await.unwrap();
    let wednesday = date!(2026 - 12 - 02);
    let held = day(db, town.main_office, wednesday).await[2].clone(); // 09:00
    // Two residents hold the two places of 09:00; a third finds it full.
    let hold = async || {
        holds::place(
            db,
            &NewHold {
                tenant_id: town.tenant_id,
                counter_id: town.main_office,
                slot_ids: &[held.id],
                replaces: None,
                now: 0,
                expires_at: 600,
            },
        )
        .await
        .unwrap()
    };
    let first = hold().await.expect("a place");
    let second = hold().await.expect("the second place");
    assert_eq!(hold().await, None, "third place of two");

    // One clerk on Wednesdays would leave 09:00 with fewer places than are taken: the
    // whole change is refused (the places are held, not booked: retry later), and no
    // Wednesday slot changes.
    let wed = template(db, &town, town.main_office, 3).await;
    let one_clerk = ScheduleChange::EditTemplate {
        id: wed.id,
        fields: with_clerks(&wed, 1),
    };
    match change(db, &town, one_clerk.clone()).await {
        Applied::Refused(r) => assert!(r.bookings.is_empty() && r.held, "{r:?}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let after = day(db, town.main_office, wednesday).await;
    assert_eq!(after.len(), 35);
    assert!(after.iter().all(|s| s.capacity == 2), "nothing lowered");
    assert_eq!(template(db, &town, town.main_office, 3).await.clerks, 2);

    // Closing the main office that Wednesday would remove the held slot: refused too.
    let closure = ScheduleChange::AddClosure {
        counter_id: Some(town.main_office),
        service_kind: None,
        first_day: wednesday,
        last_day: wednesday,
        reason: "庁舎点検".into(),
    };
    assert!(matches!(
        change(db, &town, closure.clone()).await,
        Applied::Refused(_)
    ));
    assert_eq!(day(db, town.main_office, wednesday).await.len(), 35);
    assert!(
        schedule::closures_from(
            db,
            town.tenant_id,
            TODAY,
            madoguchi::db::tenants::CARD_PICKUP
        )
        .await
        .unwrap()
        .is_empty(),
        "the refused closure is not stored"
    );

    // A municipality-wide closure of days nobody holds goes through: both counters close.
    let range = ScheduleChange::AddClosure {
        counter_id: None,
        service_kind: None,
        first_day: date!(2026 - 12 - 07),
        last_day: date!(2026 - 12 - 08),
        reason: "システム更新".into(),
    };
    assert!(matches!(
        change(db, &town, range).await,
        Applied::Saved { .. }
    ));
    for d in [date!(2026 - 12 - 07), date!(2026 - 12 - 08)] {
        assert!(day(db, town.main_office, d).await.is_empty());
        assert!(day(db, town.branch, d).await.is_empty());
    }
    assert_eq!(day(db, town.branch, date!(2026 - 12 - 09)).await.len(), 35);

    // Stop opening on Saturdays: the Saturday slots disappear.
    let saturday = template(db, &town, town.main_office, 6).await;
    assert!(matches!(
        change(
            db,
            &town,
            ScheduleChange::DeleteTemplate { id: saturday.id }
        )
        .await,
        Applied::Saved { .. }
    ));
    assert!(
        day(db, town.main_office, date!(2026 - 12 - 05))
            .await
            .is_empty()
    );

    // Once the holds are given back, both refused changes go through.
    assert!(holds::release(db, first).await.unwrap());
    assert!(holds::release(db, second).await.unwrap());
    match change(db, &town, one_clerk).await {
        Applied::Saved { report, .. } => assert!(report.capacity_changed > 0),
        other => panic!("expected the change saved, got {other:?}"),
    }
    assert!(
        day(db, town.main_office, wednesday)
            .await
            .iter()
            .all(|s| s.capacity == 1)
    );
    assert!(matches!(
        change(db, &town, closure).await,
        Applied::Saved { .. }
    ));
    assert!(day(db, town.main_office, wednesday).await.is_empty());
    assert_eq!(day(db, town.branch, wednesday).await.len(), 35);
}
on_both_databases!(changes_never_strand_taken_places);

/// 50 residents at once for the 10 places of one slot: exactly 10 get one, and the
/// database agrees afterwards.
async fn fifty_tasks_race_for_ten_places(backend: Backend) {
    let Some(test) = TestDb::new(backend).await else {
        return;
    };
    let db = &test.db;
    let tenant_id = tenants::create_tenant(db, "race", "競争町", 0)
        .await
        .unwrap();
    let service_id = tenants::service_id(db, tenant_id, CARD_PICKUP)
        .await
        .unwrap();
    let counter_id = tenants::add_counter(
        db,
        NewCounter {
            tenant_id,
            name: "窓口",
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
            counter_id,
            service_id,
            weekday: 2,
            opens_min: 540,
            closes_min: 600,
            slot_min: 60,
            clerks: 10,
        }],
    )
    .await
    .unwrap();
    slots::materialise(db, tenant_id, TODAY).await.unwrap();
    let slot = day(db, counter_id, TODAY).await.remove(0);
    assert_eq!((slot.capacity, slot.taken), (10, 0));

    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(50));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let db = db.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                slots::take_places(&db, &[slot.id])
                    .await
                    .expect("no database error under contention")
            })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        if t.await.unwrap() {
            won += 1;
        }
    }
    assert_eq!(won, 10);
    let after = slots::find(db, slot.id).await.unwrap().unwrap();
    assert_eq!((after.capacity, after.taken), (10, 10));
}
on_both_databases!(fifty_tasks_race_for_ten_places);

/// The background job meets a schedule it cannot fully apply (a template edited outside
/// the console, a holiday list update): the slot with more people in it than the new plan
/// wants keeps them, is reported, and closes to newcomers until the plan fits again.
async fn the_background_job_closes_what_it_cannot_shrink(backend: Backend) {
    let Some(test) = TestDb::new(backend).await else {
        return;
    };
    let db = &test.db;
    let town = town(db).await;
    slots::materialise(db, town.tenant_id, TODAY).await.unwrap();
    let wednesday = date!(2026 - 12 - 02);
    let booked = day(db, town.main_office, wednesday).await[2].clone(); // 09:00
    assert!(slots::take_places(db, &[booked.id]).await.unwrap());
    assert!(slots::take_places(db, &[booked.id]).await.unwrap());

    // One clerk on Wednesdays, written straight into the table (not through the console,
    // which would refuse it).
    sql_update(
        db,
        town.main_office,
        "UPDATE opening_templates SET clerks = 1 WHERE weekday = 3 AND counter_id = ",
    )
    .await;
    let report = slots::materialise(db, town.tenant_id, TODAY).await.unwrap();
    assert!(matches!(
        report.conflicts.as_slice(),
        [madoguchi::core::schedule::SlotConflict::CapacityBelowTaken { slot_id, taken: 2, wanted: 1, .. }]
            if *slot_id == booked.id
    ));
    assert_eq!(report.closed, 1);
    let after = day(db, town.main_office, wednesday).await;
    assert_eq!(after[2].capacity, 2, "not lowered below what is taken");
    assert!(
        after[2].closed,
        "closed to newcomers while over the new capacity"
    );
    assert_eq!(after[3].capacity, 1);

    // One of the two gives the place back: 1 of 1 is still full, so nobody new gets in;
    // the next run finds the plan fits and reopens the slot at its new capacity.
    give_one_back(db, booked.id).await;
    assert!(!slots::take_places(db, &[booked.id]).await.unwrap());
    let report = slots::materialise(db, town.tenant_id, TODAY).await.unwrap();
    assert!(report.conflicts.is_empty(), "{:?}", report.conflicts);
    assert_eq!(report.reopened, 1);
    let settled = &day(db, town.main_office, wednesday).await[2];
    assert_eq!(
        (settled.capacity, settled.taken, settled.closed),
        (1, 1, false)
    );
}
on_both_databases!(the_background_job_closes_what_it_cannot_shrink);

/// Runs `sql` followed by `id` (an integer of ours, never input) as a change made outside
/// the app.
async fn sql_update(db: &Db, id: i64, sql: &str) {
    use diesel_async::RunQueryDsl;
    let statement = format!("{sql}{id}");
    let result: Result<(), madoguchi::db::DbError> = async {
        madoguchi::db_write!(db, |conn| {
            diesel::sql_query(statement.clone()).execute(conn).await?;
            Ok(())
        })
    }
    .await;
    result.unwrap();
}

/// One place given back, as a cancelled booking does.
async fn give_one_back(db: &Db, slot_id: i64) {
    sql_update(
        db,
        slot_id,
        "UPDATE slots SET taken = taken - 1 WHERE id = ",
    )
    .await;
}
