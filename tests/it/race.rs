//! A rush: 100 residents at once for the 10 places of one time. Exactly 10 are booked and
//! everyone else is told plainly that the time was taken; on both databases.
use axum::http::StatusCode;
use madoguchi::db::slots;

use crate::common::client::Client;
use crate::common::towns::OneSlotTown;
use crate::common::{Backend, TestApp, csrf, link_in, selectable_slots};
use crate::on_both_databases;

const RESIDENTS: usize = 100;
const PLACES: i32 = 10;

/// Tuesdays 10:00–10:15, ten clerks: one slot of ten places today.
async fn town_with_one_slot(app: &TestApp) -> i64 {
    OneSlotTown {
        slug: "rush",
        name: "混雑市",
        opens_min: 600,
        places: PLACES,
        residents: RESIDENTS,
        number1_prefix: "RSH",
        number2_prefix: "RUSHRUSHRUSH",
    }
    .create(app)
    .await
}

/// Takes one resident up to the grid; returns the client, the grid's token and the slot.
async fn up_to_the_grid(app: &TestApp, i: usize) -> (Client, String, String) {
    let mut client = app.client();
    let email = format!("r{i}@example.jp");
    let entry = client.get("/t/rush/entry").await;
    let number = format!("RSH{i:06}");
    let sent = client
        .post_form(
            "/t/rush/entry",
            &[
                ("csrf", &csrf(&entry.body)),
                ("party", "1"),
                ("number1_1", &number),
                ("birth_text_1", "19800101"),
                ("email", &email),
                ("email_confirm", &email),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text());
    let mail = app.mails_to(&email).await.remove(0);
    let link = link_in(&mail.text, "http://127.0.0.1:3000/t/rush/apply/").unwrap();
    let landing = client.get(&link).await;
    client
        .post_form(&link, &[("csrf", &csrf(&landing.body))])
        .await;
    let form = client.get("/t/rush/apply").await;
    let chose = client
        .post_form(
            "/t/rush/apply",
            &[
                ("csrf", &csrf(&form.body)),
                ("name_1", "混雑 太郎"),
                ("kana_1", "コンザツ タロウ"),
                ("phone_1", "0312345678"),
                ("action", "choose"),
            ],
        )
        .await;
    assert_eq!(
        chose.location.as_deref(),
        Some("/t/rush/apply/slots"),
        "{}",
        chose.text()
    );
    let grid = client.get("/t/rush/apply/slots").await;
    let slot = selectable_slots(&grid.body).remove(0);
    (client, csrf(&grid.body), slot)
}

async fn a_hundred_residents_for_ten_places(backend: Backend) {
    let Some(app) = TestApp::with_demo(backend).await else {
        return;
    };
    let counter_id = town_with_one_slot(&app).await;
    let mut waiting = Vec::new();
    for i in 0..RESIDENTS {
        waiting.push(up_to_the_grid(&app, i).await);
    }
    let full_slot = waiting[0].2.clone();
    assert!(
        waiting.iter().all(|(_, _, slot)| *slot == full_slot),
        "everyone sees the same slot"
    );

    // Everyone presses the same cell at once.
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(RESIDENTS));
    let tasks: Vec<_> = waiting
        .into_iter()
        .map(|(mut client, token, slot)| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                let page = client
                    .post_form("/t/rush/apply/slots", &[("csrf", &token), ("slot", &slot)])
                    .await;
                (client, page.location.unwrap_or_default())
            })
        })
        .collect();
    let mut holders = Vec::new();
    let mut refused = Vec::new();
    for t in tasks {
        let (client, location) = t.await.unwrap();
        if location == "/t/rush/apply#hold" {
            holders.push(client);
        } else {
            refused.push((client, location));
        }
    }
    assert_eq!(holders.len(), PLACES as usize);
    assert_eq!(refused.len(), RESIDENTS - PLACES as usize);
    for (client, location) in refused.iter_mut() {
        assert!(location.starts_with("/t/rush/apply/slots"), "{location}");
        let page = client.get(location).await;
        page.assert_text("選択された日時は、ほかの方の予約が入ったため予約できませんでした。別の日時を選択してください。");
        assert!(
            !selectable_slots(&page.body).contains(&full_slot),
            "the full time is no longer offered"
        );
    }

    // The ten confirm at once.
    let tasks: Vec<_> = holders
        .into_iter()
        .map(|mut client| {
            tokio::spawn(async move {
                let form = client.get("/t/rush/apply").await;
                let to_confirm = client
                    .post_form(
                        "/t/rush/apply",
                        &[
                            ("csrf", &csrf(&form.body)),
                            ("name_1", "混雑 太郎"),
                            ("kana_1", "コンザツ タロウ"),
                            ("phone_1", "0312345678"),
                            ("action", "confirm"),
                        ],
                    )
                    .await;
                assert_eq!(
                    to_confirm.location.as_deref(),
                    Some("/t/rush/apply/confirm"),
                    "{}",
                    to_confirm.text()
                );
                let confirm = client.get("/t/rush/apply/confirm").await;
                client
                    .post_form("/t/rush/apply/confirm", &[("csrf", &csrf(&confirm.body))])
                    .await
                    .location
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().as_deref(), Some("/t/rush/apply/done"));
    }

    let today = app.clock.today();
    let slot = slots::find_by_counter_days(app.db(), counter_id, today, today)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(
        (slot.capacity, slot.taken),
        (PLACES, PLACES),
        "full, never over"
    );
    let confirmations = app
        .mails()
        .await
        .into_iter()
        .filter(|m| m.subject.contains("予約完了通知メール"))
        .count();
    assert_eq!(confirmations, PLACES as usize);
}
on_both_databases!(a_hundred_residents_for_ten_places);
