//! 仮押さえ that nobody confirms are given back by the background job within a minute of
//! their expiry, exactly once, with one or with two app instances on the database.
use std::time::{Duration, Instant};

use madoguchi::db::holds::{self, NewHold};
use madoguchi::db::slots;
use time::macros::date;

use crate::common::{Backend, START_UNIX, TestApp, test_settings};
use crate::on_both_databases;

mod expired_on_sight;

const HOLD_SECS: i64 = 600;

/// The first `n` slots of the demo's main counter from 2026-12-02 on.
async fn free_slots(app: &TestApp, n: usize) -> (i64, Vec<i64>) {
    let counter = app.counter_id("本庁舎 市民課").await;
    let found = slots::find_by_counter_days(
        app.db(),
        counter,
        date!(2026 - 12 - 02),
        date!(2026 - 12 - 11),
    )
    .await
    .unwrap();
    assert!(found.len() >= n, "{} slots", found.len());
    assert!(found.iter().all(|s| s.taken == 0));
    (counter, found.into_iter().take(n).map(|s| s.id).collect())
}

async fn hold_each(app: &TestApp, counter: i64, slot_ids: &[i64]) -> Vec<i64> {
    let tenant = app.demo_tenant().await;
    let now = app.clock.now_unix();
    let mut ids = Vec::new();
    for slot in slot_ids {
        let id = holds::place(
            app.db(),
            &NewHold {
                tenant_id: tenant.id,
                counter_id: counter,
                slot_ids: std::slice::from_ref(slot),
                replaces: None,
                now,
                expires_at: now + HOLD_SECS,
            },
        )
        .await
        .unwrap()
        .expect("the slot is free");
        ids.push(id);
    }
    ids
}

async fn taken(app: &TestApp, slot_ids: &[i64]) -> Vec<i32> {
    let mut out = Vec::new();
    for id in slot_ids {
        out.push(slots::find(app.db(), *id).await.unwrap().unwrap().taken);
    }
    out
}

async fn states(app: &TestApp, hold_ids: &[i64]) -> Vec<String> {
    let mut out = Vec::new();
    for id in hold_ids {
        out.push(holds::find(app.db(), *id).await.unwrap().unwrap().state);
    }
    out
}

/// Waits (real time, the job's own schedule) until every hold is expired; panics after a
/// minute.
async fn wait_until_released(app: &TestApp, hold_ids: &[i64]) -> Duration {
    let started = Instant::now();
    loop {
        if states(app, hold_ids).await.iter().all(|s| s == "expired") {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "holds not released within a minute of their expiry: {:?}",
            states(app, hold_ids).await
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn expired_holds_are_released_within_a_minute(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let (counter, slot_ids) = free_slots(&app, 3).await;
    let hold_ids = hold_each(&app, counter, &slot_ids).await;
    assert_eq!(taken(&app, &slot_ids).await, [1, 1, 1]);
    let jobs = tokio::spawn(madoguchi::server::run_background_jobs(app.app.clone()));
    // The job's first round runs at once: a live hold is left alone.
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.clock.advance(HOLD_SECS - 1);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(states(&app, &hold_ids).await, ["active"; 3]);
    assert_eq!(taken(&app, &slot_ids).await, [1, 1, 1]);

    app.clock.advance(1);
    let waited = wait_until_released(&app, &hold_ids).await;
    jobs.abort();
    assert!(waited < Duration::from_secs(60), "{waited:?}");
    assert_eq!(taken(&app, &slot_ids).await, [0, 0, 0]);
}
on_both_databases!(expired_holds_are_released_within_a_minute);

async fn two_instances_release_each_hold_once(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    // A second instance on the same database, sharing the test's clock.
    let second =
        madoguchi::server::build_app(test_settings(app.database_url(), true), app.clock.clone())
            .await
            .unwrap();
    let (counter, slot_ids) = free_slots(&app, 60).await;
    let (by_job, by_race) = slot_ids.split_at(20);

    // Both instances' background jobs running.
    let by_job_holds = hold_each(&app, counter, by_job).await;
    let jobs = [
        tokio::spawn(madoguchi::server::run_background_jobs(app.app.clone())),
        tokio::spawn(madoguchi::server::run_background_jobs(second.clone())),
    ];
    app.clock.advance(HOLD_SECS);
    wait_until_released(&app, &by_job_holds).await;
    for j in jobs {
        j.abort();
    }
    assert!(taken(&app, by_job).await.iter().all(|&t| t == 0));

    // Released at the same moment by four workers on the two instances: each hold's place is
    // given back once, never twice (a second release would free a place someone else took).
    let race_holds = hold_each(&app, counter, by_race).await;
    assert!(taken(&app, by_race).await.iter().all(|&t| t == 1));
    app.clock.advance(HOLD_SECS);
    let now = app.clock.now_unix();
    let mut workers = Vec::new();
    for db in [
        app.db().clone(),
        second.db.clone(),
        app.db().clone(),
        second.db.clone(),
    ] {
        workers.push(tokio::spawn(async move {
            let mut released = 0;
            for _ in 0..5 {
                released += holds::release_expired(&db, now).await.unwrap();
            }
            released
        }));
    }
    let mut total = 0;
    for w in workers {
        total += w.await.unwrap();
    }
    assert_eq!(total, race_holds.len());
    assert!(
        states(&app, &race_holds)
            .await
            .iter()
            .all(|s| s == "expired")
    );
    assert!(taken(&app, by_race).await.iter().all(|&t| t == 0));
    let _ = START_UNIX;
}
on_both_databases!(two_instances_release_each_hold_once);
