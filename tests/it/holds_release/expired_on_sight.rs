//! An expired 仮押さえ never stands in anyone's way: the moment it has expired its places are
//! free on the grid, to a new hold and to its own holder choosing again, before the
//! background job has run; each hold's places are given back exactly once, with two
//! instances and a rush; the job run afterwards changes nothing. On both databases.
use axum::http::StatusCode;
use madoguchi::app::AppState;
use madoguchi::db::holds;
use madoguchi::db::slots;

use crate::common::client::{Client, Page};
use crate::common::rows::{inconsistent_slots, taken_mismatches};
use crate::common::towns::OneSlotTown;
use crate::common::{Backend, TestApp, csrf, link_in, selectable_slots, test_settings};
use crate::on_both_databases;

const HOLD_EXPIRED: &str =
    "仮押さえの有効期限が切れました。入力へ戻って予約日時を再設定してください。";
const SLOT_TAKEN: &str = "選択された日時は、ほかの方の予約が入ったため予約できませんでした。別の日時を選択してください。";
/// How a screen reader announces today's 14:00 with its one place free.
/// (A prefix: today is also inside the change deadline, which the label adds after it.)
const TODAY_FREE: &str = "aria-label=\"12月1日(火) 14:00 空き1";
/// The tenant's hold time (the default, 10 minutes), and a second past it.
const PAST_EXPIRY: i64 = 10 * 60 + 1;

/// A town whose only time is today 14:00–14:15 with `places` places, and `residents`
/// notices. Returns the counter.
async fn town(app: &TestApp, places: i32, residents: usize) -> i64 {
    OneSlotTown {
        slug: "expiry",
        name: "期限市",
        opens_min: 14 * 60,
        places,
        residents,
        number1_prefix: "EXP",
        number2_prefix: "EXPIRYEXPIRY",
    }
    .create(app)
    .await
}

/// The one slot's (capacity, taken) as stored.
async fn stored(app: &TestApp, counter_id: i64) -> (i32, i32) {
    let today = app.clock.today();
    let slot = slots::find_by_counter_days(app.db(), counter_id, today, today)
        .await
        .unwrap()
        .remove(0);
    (slot.capacity, slot.taken)
}

/// Resident `i` from the entry form to the booking form, on `instance`.
async fn up_to_the_form(app: &TestApp, instance: &AppState, i: usize) -> Client {
    let mut client = Client::new(madoguchi::web::router(instance.clone())).at_ip(&format!(
        "10.9.{}.{}",
        i / 200,
        i % 200 + 1
    ));
    let email = format!("e{i}@example.jp");
    let entry = client.get("/t/expiry/entry").await;
    let sent = client
        .post_form(
            "/t/expiry/entry",
            &[
                ("csrf", &csrf(&entry.body)),
                ("party", "1"),
                ("number1_1", &format!("EXP{i:06}")),
                ("birth_text_1", "19800101"),
                ("email", &email),
                ("email_confirm", &email),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    let mail = app.mails_to(&email).await.remove(0);
    let link = link_in(&mail.text, "http://127.0.0.1:3000/t/expiry/apply/").unwrap();
    let landing = client.get(&link).await;
    client
        .post_form(&link, &[("csrf", &csrf(&landing.body))])
        .await;
    client
}

/// 予約日時選択 from the booking form: the grid page.
async fn to_the_grid(client: &mut Client) -> Page {
    let form = client.get("/t/expiry/apply").await;
    let chose = client
        .post_form(
            "/t/expiry/apply",
            &[
                ("csrf", &csrf(&form.body)),
                ("name_1", "期限 太郎"),
                ("kana_1", "キゲン タロウ"),
                ("phone_1", "0312345678"),
                ("action", "choose"),
            ],
        )
        .await;
    assert_eq!(
        chose.location.as_deref(),
        Some("/t/expiry/apply/slots"),
        "{}",
        chose.text()
    );
    client.get("/t/expiry/apply/slots").await
}

/// Today's 14:00 as the grid's buttons name it.
async fn todays_slot(app: &TestApp, counter_id: i64) -> String {
    let today = app.clock.today();
    slots::find_by_counter_days(app.db(), counter_id, today, today)
        .await
        .unwrap()
        .remove(0)
        .id
        .to_string()
}

/// True when the grid offers today's 14:00.
fn offers(grid: &Page, slot: &str) -> bool {
    selectable_slots(&grid.body).iter().any(|s| s == slot)
}

/// Presses today's 14:00 on the grid; true when the hold was placed.
async fn choose(client: &mut Client, grid: &Page, slot: &str) -> bool {
    assert!(offers(grid, slot), "the time is offered");
    let page = client
        .post_form(
            "/t/expiry/apply/slots",
            &[("csrf", &csrf(&grid.body)), ("slot", slot)],
        )
        .await;
    match page.location.as_deref() {
        Some("/t/expiry/apply#hold") => true,
        Some(other) => {
            assert!(other.starts_with("/t/expiry/apply/slots"), "{other}");
            client.get(other).await.assert_text(SLOT_TAKEN);
            false
        }
        None => panic!("{} {}", page.status, page.text()),
    }
}

/// [確認へ進む] then [予約する]; the page the resident ends on.
async fn confirm(client: &mut Client) -> Page {
    let form = client.get("/t/expiry/apply").await;
    let to_confirm = client
        .post_form(
            "/t/expiry/apply",
            &[
                ("csrf", &csrf(&form.body)),
                ("name_1", "期限 太郎"),
                ("kana_1", "キゲン タロウ"),
                ("phone_1", "0312345678"),
                ("action", "confirm"),
            ],
        )
        .await;
    let page = match to_confirm.location.as_deref() {
        Some("/t/expiry/apply/confirm") => client.get("/t/expiry/apply/confirm").await,
        _ => return to_confirm,
    };
    let booked = client
        .post_form("/t/expiry/apply/confirm", &[("csrf", &csrf(&page.body))])
        .await;
    match booked.location.as_deref() {
        Some(location) => client.get(location).await,
        None => booked,
    }
}

/// The last place, held and left to expire: without the job, the grid shows it free, another
/// resident holds and books it, and the first holder's [予約する] is refused with the
/// manual's message. The job afterwards finds nothing to do.
async fn the_last_place_of_an_expired_hold_is_free_at_once(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let counter = town(&app, 1, 3).await;
    let slot = todays_slot(&app, counter).await;
    let mut first = up_to_the_form(&app, &app.app, 0).await;
    let grid = to_the_grid(&mut first).await;
    assert!(choose(&mut first, &grid, &slot).await);
    assert_eq!(stored(&app, counter).await, (1, 1));

    // While the hold is live the time is full for everyone else.
    let mut second = up_to_the_form(&app, &app.app, 1).await;
    let full = to_the_grid(&mut second).await;
    assert!(!offers(&full, &slot));
    assert!(!full.body.contains(TODAY_FREE));

    // A second past its expiry, and no background job anywhere.
    app.clock.advance(PAST_EXPIRY);
    let grid = second.get("/t/expiry/apply/slots").await;
    assert!(grid.body.contains(TODAY_FREE), "{}", grid.text());
    assert!(choose(&mut second, &grid, &slot).await);
    // The expired hold's place went back and the new one's was taken, each once.
    assert_eq!(stored(&app, counter).await, (1, 1));
    let done = confirm(&mut second).await;
    done.assert_text("予約が完了しました");

    let refused = confirm(&mut first).await;
    refused.assert_text(HOLD_EXPIRED);
    assert_eq!(stored(&app, counter).await, (1, 1));
    assert_eq!(inconsistent_slots(app.db()).await.unwrap(), 0);
    assert_eq!(taken_mismatches(app.db()).await, 0);

    // The job, run now, has nothing left to release.
    assert_eq!(
        holds::release_expired(app.db(), app.clock.now_unix())
            .await
            .unwrap(),
        0
    );
    assert_eq!(stored(&app, counter).await, (1, 1));
}
on_both_databases!(the_last_place_of_an_expired_hold_is_free_at_once);

/// The manual's way back: the hold expired, [予約する] says so, the resident returns to the
/// grid and chooses the same time again — and gets it, on the other instance.
async fn the_refused_holder_chooses_the_same_time_again(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let second_instance =
        madoguchi::server::build_app(test_settings(app.database_url(), true), app.clock.clone())
            .await
            .unwrap();
    let counter = town(&app, 1, 1).await;
    let slot = todays_slot(&app, counter).await;
    let mut resident = up_to_the_form(&app, &app.app, 0).await;
    let grid = to_the_grid(&mut resident).await;
    assert!(choose(&mut resident, &grid, &slot).await);
    app.clock.advance(PAST_EXPIRY);

    let refused = confirm(&mut resident).await;
    refused.assert_text(HOLD_EXPIRED);
    // Refused, so released: the stored count is free again, not only the grid's.
    assert_eq!(stored(&app, counter).await, (1, 0));

    let mut elsewhere =
        Client::new(madoguchi::web::router(second_instance.clone())).with_cookies_of(&resident);
    let grid = to_the_grid(&mut elsewhere).await;
    assert!(grid.body.contains(TODAY_FREE), "{}", grid.text());
    assert!(choose(&mut elsewhere, &grid, &slot).await);
    assert_eq!(stored(&app, counter).await, (1, 1));
    confirm(&mut elsewhere)
        .await
        .assert_text("予約が完了しました");
    assert_eq!(taken_mismatches(app.db()).await, 0);
    assert_eq!(
        holds::release_expired(app.db(), app.clock.now_unix())
            .await
            .unwrap(),
        0
    );
    assert_eq!(stored(&app, counter).await, (1, 1));
}
on_both_databases!(the_refused_holder_chooses_the_same_time_again);

const PLACES: i32 = 5;
const FIRST_WAVE: usize = PLACES as usize;
const RUSH: usize = 30;

/// Five hold every place and let it expire; then, at the same moment, thirty newcomers press
/// the time on two instances while the five press [予約する] and both instances' jobs run.
/// Exactly five newcomers get the places, all five stale holders are refused, nothing is
/// oversold and every counter matches its holds and bookings.
async fn a_rush_on_a_time_whose_holds_expired(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let second_instance =
        madoguchi::server::build_app(test_settings(app.database_url(), true), app.clock.clone())
            .await
            .unwrap();
    let counter = town(&app, PLACES, FIRST_WAVE + RUSH).await;
    let slot = todays_slot(&app, counter).await;
    let mut stale = Vec::new();
    for i in 0..FIRST_WAVE {
        let mut client = up_to_the_form(&app, &app.app, i).await;
        let grid = to_the_grid(&mut client).await;
        assert!(choose(&mut client, &grid, &slot).await);
        stale.push(client);
    }
    assert_eq!(stored(&app, counter).await, (PLACES, PLACES));
    let mut newcomers = Vec::new();
    for i in 0..RUSH {
        let instance = if i % 2 == 0 {
            &app.app
        } else {
            &second_instance
        };
        let mut client = up_to_the_form(&app, instance, FIRST_WAVE + i).await;
        let grid = to_the_grid(&mut client).await;
        assert!(!offers(&grid, &slot), "full while held");
        newcomers.push(client);
    }

    app.clock.advance(PAST_EXPIRY);
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(RUSH + FIRST_WAVE + 2));
    let mut rush = Vec::new();
    for mut client in newcomers {
        let barrier = barrier.clone();
        let slot = slot.clone();
        rush.push(tokio::spawn(async move {
            let grid = client.get("/t/expiry/apply/slots").await;
            barrier.wait().await;
            let held = choose(&mut client, &grid, &slot).await;
            (client, held)
        }));
    }
    let mut refusals = Vec::new();
    for mut client in stale {
        let barrier = barrier.clone();
        refusals.push(tokio::spawn(async move {
            barrier.wait().await;
            confirm(&mut client).await.text()
        }));
    }
    let mut jobs = Vec::new();
    for db in [app.db().clone(), second_instance.db.clone()] {
        let barrier = barrier.clone();
        let now = app.clock.now_unix();
        jobs.push(tokio::spawn(async move {
            barrier.wait().await;
            let mut released = 0;
            for _ in 0..3 {
                released += holds::release_expired(&db, now).await.unwrap();
            }
            released
        }));
    }
    let mut holders = Vec::new();
    for task in rush {
        let (client, held) = task.await.unwrap();
        if held {
            holders.push(client);
        }
    }
    for task in refusals {
        let text = task.await.unwrap();
        assert!(text.contains(HOLD_EXPIRED), "{text}");
    }
    for job in jobs {
        job.await.unwrap();
    }
    assert_eq!(holders.len(), PLACES as usize, "every freed place, once");
    assert_eq!(stored(&app, counter).await, (PLACES, PLACES));
    assert_eq!(inconsistent_slots(app.db()).await.unwrap(), 0);
    assert_eq!(taken_mismatches(app.db()).await, 0);

    let mut booked = Vec::new();
    for mut client in holders {
        booked.push(tokio::spawn(
            async move { confirm(&mut client).await.text() },
        ));
    }
    for task in booked {
        let text = task.await.unwrap();
        assert!(text.contains("予約が完了しました"), "{text}");
    }
    assert_eq!(
        stored(&app, counter).await,
        (PLACES, PLACES),
        "full, never over"
    );
    assert_eq!(inconsistent_slots(app.db()).await.unwrap(), 0);
    assert_eq!(taken_mismatches(app.db()).await, 0);
    // Released exactly once: the job afterwards changes nothing.
    assert_eq!(
        holds::release_expired(app.db(), app.clock.now_unix())
            .await
            .unwrap(),
        0
    );
    assert_eq!(stored(&app, counter).await, (PLACES, PLACES));
}
on_both_databases!(a_rush_on_a_time_whose_holds_expired);
