//! Municipalities built straight in the database for tests that need one exact timetable.
use madoguchi::db::notices::{self, NewNotice};
use madoguchi::db::schedule::{self, NewOpeningTemplate};
use madoguchi::db::slots;
use madoguchi::db::tenants::{self, CARD_PICKUP, NewCounter};
use time::macros::date;

use super::TestApp;

/// A town whose only time is one 15-minute slot today (the tests' Tuesday).
pub struct OneSlotTown<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    /// Minutes after midnight the slot opens.
    pub opens_min: i32,
    pub places: i32,
    /// Notices `{number1_prefix}{i:06}` / `{number2_prefix}{i:06}` for i in 0..residents,
    /// all born 1980-01-01.
    pub residents: usize,
    pub number1_prefix: &'a str,
    pub number2_prefix: &'a str,
}

impl OneSlotTown<'_> {
    /// Creates it with one counter 本庁舎 and materialised slots; returns the counter's id.
    pub async fn create(&self, app: &TestApp) -> i64 {
        let db = app.db();
        let tenant_id = tenants::create_tenant(db, self.slug, self.name, 0)
            .await
            .unwrap();
        let service_id = tenants::service_id(db, tenant_id, CARD_PICKUP)
            .await
            .unwrap();
        let counter_id = tenants::add_counter(
            db,
            NewCounter {
                tenant_id,
                name: "本庁舎",
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
                opens_min: self.opens_min,
                closes_min: self.opens_min + 15,
                slot_min: 15,
                clerks: self.places,
            }],
        )
        .await
        .unwrap();
        let rows: Vec<NewNotice> = (0..self.residents)
            .map(|i| NewNotice {
                number1: format!("{}{i:06}", self.number1_prefix),
                number2: format!("{}{i:06}", self.number2_prefix),
                birthdate: date!(1980 - 01 - 01),
                name: String::new(),
                kana: String::new(),
            })
            .collect();
        notices::upsert_many(db, tenant_id, &rows, 0).await.unwrap();
        slots::materialise(db, tenant_id, app.clock.today())
            .await
            .unwrap();
        counter_id
    }
}
