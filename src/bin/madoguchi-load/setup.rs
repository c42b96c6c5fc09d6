//! The municipality the residents book at: created through the library's own storage
//! functions (the same ones `madoguchi tenant add` and `notices import` use), before the
//! server starts.
use anyhow::Context;
use madoguchi::app::Clock;
use madoguchi::db::notices::{self, NewNotice};
use madoguchi::db::schedule::{self, NewOpeningTemplate};
use madoguchi::db::tenants::{self, CARD_PICKUP, NewCounter};
use madoguchi::db::{Db, slots};
use time::{Date, Month};

pub const SLUG: &str = "load";

pub struct Fixture {
    pub tenant_id: i64,
    pub service_id: i64,
    pub counter_id: i64,
    pub notices: Vec<NewNotice>,
}

/// A tiny deterministic generator: every run books the same people, so runs compare.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// `count` notices with unique numbers. Number 1 is three letters and six digits (the
/// default format AAA-999999), unique here so that number 1 and the birthdate always
/// identify exactly one notice, as for almost every real resident.
pub fn make_notices(count: usize) -> Vec<NewNotice> {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = Lcg(20261202);
    (0..count)
        .map(|i| {
            let block = i / 1_000_000;
            let prefix: String = [
                b'L',
                LETTERS[(block / LETTERS.len()) % LETTERS.len()],
                LETTERS[block % LETTERS.len()],
            ]
            .iter()
            .map(|&b| b as char)
            .collect();
            let year = 1930 + (rng.next() % 90) as i32;
            let month = Month::try_from(1 + (rng.next() % 12) as u8).expect("1..=12");
            let day = 1 + (rng.next() % 28) as u8;
            NewNotice {
                number1: format!("{prefix}{:06}", i % 1_000_000),
                number2: format!("LOAD{i:014}"),
                birthdate: Date::from_calendar_date(year, month, day).expect("day <= 28"),
                name: format!("負荷 {i}"),
                kana: "フカ\u{3000}タロウ".to_string(),
            }
        })
        .collect()
}

/// One counter open every day 8:30–17:15 in 15-minute slots with `clerks` places each,
/// and `notice_count` notices.
pub async fn create(db: &Db, clerks: i32, notice_count: usize) -> anyhow::Result<Fixture> {
    let clock = Clock::System;
    let now = clock.now_unix();
    let tenant_id = tenants::create_tenant(db, SLUG, "負荷試験市", now)
        .await
        .context("creating the tenant")?;
    let service_id = tenants::service_id(db, tenant_id, CARD_PICKUP).await?;
    let counter_id = tenants::add_counter(
        db,
        NewCounter {
            tenant_id,
            name: "本庁舎 市民課",
            address: "負荷試験市中央1丁目1番1号",
            directions: "負荷試験駅から徒歩3分。",
            map_url: None,
            position: 1,
        },
    )
    .await?;
    let templates: Vec<NewOpeningTemplate> = (1..=7)
        .map(|weekday| NewOpeningTemplate {
            counter_id,
            service_id,
            weekday,
            opens_min: 8 * 60 + 30,
            closes_min: 17 * 60 + 15,
            slot_min: 15,
            clerks,
        })
        .collect();
    schedule::add_opening_templates(db, &templates).await?;
    let notices = make_notices(notice_count);
    // In chunks: one transaction per chunk keeps each write short.
    for chunk in notices.chunks(5_000) {
        notices::upsert_many(db, tenant_id, chunk, now).await?;
    }
    slots::materialise(db, tenant_id, clock.today()).await?;
    // A city's tables have been analysed by autovacuum long before booking opens; a table
    // filled a second ago has no statistics, and PostgreSQL's generic plans then hash-join
    // over every slot to find a hold's one (seen in the statement log: 0.3 ms instead of
    // 0.02 ms). SQLite is left without statistics: with them its STAT4 planner re-prepares
    // a statement whenever a bound value changes.
    if let Db::Postgres(_) = db {
        use diesel_async::SimpleAsyncConnection;
        if let madoguchi::db::Conn::Postgres(mut conn) = db.get().await? {
            conn.batch_execute("ANALYZE").await?;
        }
    }
    Ok(Fixture {
        tenant_id,
        service_id,
        counter_id,
        notices,
    })
}

/// The vaccination fixture: the same municipality offering vaccination booking, one
/// venue open every day 9:00–17:00 in 30-minute slots with `places` each, and `count`
/// dose-1 tickets (`9000000000` upwards, all born 1950-04-01).
pub struct VaccinationFixture {
    pub tickets: Vec<madoguchi::db::tickets::NewTicket>,
}

pub async fn create_vaccination(
    db: &Db,
    tenant_id: i64,
    places: i32,
    count: usize,
) -> anyhow::Result<VaccinationFixture> {
    use madoguchi::db::tickets::{self, NewTicket};
    use madoguchi::db::{vaccination, venues};
    let clock = Clock::System;
    let now = clock.now_unix();
    let service_id = vaccination::offer(db, tenant_id, now).await?;
    let venue_id = venues::add(
        db,
        venues::NewVenue {
            tenant_id,
            name: "負荷試験市保健センター",
            address: "負荷試験市中央2丁目1番1号",
            directions: "",
            map_url: None,
            position: 1,
            venue_kind: "group",
            vaccine: "ファイザー",
            notice: "",
        },
    )
    .await?;
    let templates: Vec<NewOpeningTemplate> = (1..=7)
        .map(|weekday| NewOpeningTemplate {
            counter_id: venue_id,
            service_id,
            weekday,
            opens_min: 9 * 60,
            closes_min: 17 * 60,
            slot_min: 30,
            clerks: places,
        })
        .collect();
    schedule::add_opening_templates(db, &templates).await?;
    let birthdate = Date::from_calendar_date(1950, Month::April, 1).expect("a date");
    let list: Vec<NewTicket> = (0..count)
        .map(|i| NewTicket {
            ticket_number: format!("9{i:09}"),
            birthdate,
            dose_number: 1,
            name: format!("負荷 {i}"),
            kana: "フカ\u{3000}ハナコ".to_string(),
            previous_dose_on: None,
        })
        .collect();
    for chunk in list.chunks(5_000) {
        tickets::upsert_many(db, tenant_id, service_id, chunk, now).await?;
    }
    slots::materialise(db, tenant_id, clock.today()).await?;
    Ok(VaccinationFixture { tickets: list })
}
