//! The demo municipality (デモ市): two counters, real opening hours, 100 sample notices and
//! an admin login, so a newcomer can book within a minute of the first start; and the
//! vaccination service with three venues and sample tickets (`vaccination`).
use time::{Date, Month};

use crate::core::resident_input::{NumberFormat, format_date_ja};
use crate::db::notices::{self, NewNotice};
use crate::db::schedule::{self, NewOpeningTemplate};
use crate::db::tenants::{self, CARD_PICKUP, NewCounter, Role};
use crate::db::{Db, DbError, slots};

pub mod vaccination;

pub const SLUG: &str = "demo";
pub const NAME: &str = "デモ市";
pub const ADMIN_LOGIN: &str = "admin";
/// Shown on the development page; the demo never runs in production mode.
pub const ADMIN_PASSWORD: &str = "demo-admin-password";
pub const SAMPLE_COUNT: usize = 100;

/// Creates the demo municipality unless it exists. Returns whether it created it.
///
/// Several instances may start at once on one PostgreSQL: the one whose tenant row lands
/// first builds the demo, the others find the slug taken and go on.
pub async fn ensure(db: &Db, today: Date, now: i64) -> Result<bool, DbError> {
    if tenants::find_by_slug(db, SLUG).await?.is_some() {
        return Ok(false);
    }
    match create(db, today, now).await {
        Ok(_) => Ok(true),
        Err(e) if e.is_unique_violation() => Ok(false),
        Err(e) => Err(e),
    }
}

/// Creates the demo municipality. If a step after the tenant row fails, what was made is
/// taken away again, so a later start does not find half a demo and skip it.
pub async fn create(db: &Db, today: Date, now: i64) -> Result<i64, DbError> {
    let tenant_id = tenants::create_tenant(db, SLUG, NAME, now).await?;
    if let Err(e) = fill(db, tenant_id, today, now).await {
        if let Err(cleanup) = tenants::remove_tenant(db, tenant_id).await {
            tracing::error!(error = %cleanup, "could not remove the half-built demo municipality");
        }
        return Err(e);
    }
    Ok(tenant_id)
}

async fn fill(db: &Db, tenant_id: i64, today: Date, now: i64) -> Result<(), DbError> {
    let service_id = tenants::service_id(db, tenant_id, CARD_PICKUP).await?;
    let main_office = tenants::add_counter(
        db,
        NewCounter {
            tenant_id,
            name: "本庁舎 市民課",
            address: "デモ市中央1丁目1番1号 本庁舎1階",
            directions: "デモ駅東口から徒歩5分。本庁舎1階の3番窓口へお越しください。",
            map_url: Some("https://www.openstreetmap.org/"),
            position: 1,
        },
    )
    .await?;
    let branch = tenants::add_counter(
        db,
        NewCounter {
            tenant_id,
            name: "北支所",
            address: "デモ市北町2丁目3番4号",
            directions: "北町バス停からすぐ。",
            map_url: None,
            position: 2,
        },
    )
    .await?;
    schedule::add_opening_templates(db, &demo_templates(main_office, branch, service_id)).await?;
    tenants::add_announcement(
        db,
        tenant_id,
        "マイナンバーカードの受取予約について",
        "交付通知書(ハガキ)がお手元に届いた方は、このサイトから受取の予約ができます。\
         ご来庁の際は交付通知書と本人確認書類をお持ちください。",
        1,
        now,
    )
    .await?;
    tenants::add_announcement(
        db,
        tenant_id,
        "木曜日は19時まで、土曜日は午前も受け付けています(本庁舎のみ)",
        "平日の日中にお越しになれない方はご利用ください。",
        2,
        now,
    )
    .await?;
    notices::upsert_many(db, tenant_id, &sample_notices(), now).await?;
    let hash = crate::secrets::hash_password(ADMIN_PASSWORD);
    tenants::add_staff(
        db,
        tenant_id,
        ADMIN_LOGIN,
        "デモ管理者",
        &hash,
        Role::Admin,
        now,
    )
    .await?;
    vaccination::fill(db, tenant_id, today, now).await?;
    slots::materialise(db, tenant_id, today).await?;
    Ok(())
}

/// Weekdays 8:30–17:15 in 15-minute slots with two clerks at both counters; the main office
/// stays open until 19:00 on Thursdays and opens on Saturday mornings with one clerk.
fn demo_templates(main_office: i64, branch: i64, service_id: i64) -> Vec<NewOpeningTemplate> {
    let t = |counter_id, weekday, opens_min, closes_min, clerks| NewOpeningTemplate {
        counter_id,
        service_id,
        weekday,
        opens_min,
        closes_min,
        slot_min: 15,
        clerks,
    };
    let mut rows = Vec::new();
    for weekday in 1..=5 {
        let main_close = if weekday == 4 { 19 * 60 } else { 17 * 60 + 15 };
        rows.push(t(main_office, weekday, 8 * 60 + 30, main_close, 2));
        rows.push(t(branch, weekday, 8 * 60 + 30, 17 * 60 + 15, 2));
    }
    rows.push(t(main_office, 6, 9 * 60, 12 * 60, 1));
    rows
}

const SURNAMES: [(&str, &str); 20] = [
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("山口", "ヤマグチ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("斎藤", "サイトウ"),
    ("清水", "シミズ"),
];

const GIVEN_NAMES: [(&str, &str); 20] = [
    ("太郎", "タロウ"),
    ("花子", "ハナコ"),
    ("一郎", "イチロウ"),
    ("幸子", "サチコ"),
    ("健太", "ケンタ"),
    ("美咲", "ミサキ"),
    ("翔太", "ショウタ"),
    ("陽菜", "ヒナ"),
    ("大輔", "ダイスケ"),
    ("結衣", "ユイ"),
    ("誠", "マコト"),
    ("恵子", "ケイコ"),
    ("博", "ヒロシ"),
    ("和子", "カズコ"),
    ("蓮", "レン"),
    ("さくら", "サクラ"),
    ("茂", "シゲル"),
    ("節子", "セツコ"),
    ("湊", "ミナト"),
    ("葵", "アオイ"),
];

/// A tiny deterministic generator: the sample numbers are the same on every machine, so
/// the README and the sample page can be relied on.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick(&mut self, alphabet: &[u8]) -> char {
        alphabet[(self.next() % alphabet.len() as u64) as usize] as char
    }
}

const ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
const DIGITS: &[u8] = b"0123456789";

/// 100 notices. Notices 1 and 2 share number 1 and birthdate (so number 2 is needed);
/// notices 3–6 are one family (same surname) for group bookings; birthdates run from the
/// Taisho era to Reiwa so era input can be tried.
pub fn sample_notices() -> Vec<NewNotice> {
    let mut rng = Lcg(20261121);
    let mut out = Vec::with_capacity(SAMPLE_COUNT);
    for i in 0..SAMPLE_COUNT {
        let mut number1: String = (0..3).map(|_| rng.pick(ALNUM)).collect();
        number1.extend((0..6).map(|_| rng.pick(DIGITS)));
        let number2: String = (0..18).map(|_| rng.pick(ALNUM)).collect();
        let year = 1925 + (rng.next() % 96) as i32;
        let month = Month::try_from(1 + (rng.next() % 12) as u8).expect("1..=12");
        let day = 1 + (rng.next() % 28) as u8;
        let birthdate = Date::from_calendar_date(year, month, day).expect("day <= 28");
        let surname = if (3..=6).contains(&i) {
            SURNAMES[0]
        } else {
            SURNAMES[(rng.next() % 20) as usize]
        };
        let given = GIVEN_NAMES[(rng.next() % 20) as usize];
        out.push(NewNotice {
            number1,
            number2,
            birthdate,
            name: format!("{} {}", surname.0, given.0),
            kana: format!("{}\u{3000}{}", surname.1, given.1),
        });
    }
    // Two notices that number 1 and birthdate alone cannot tell apart.
    out[1].number1 = out[0].number1.clone();
    out[1].birthdate = out[0].birthdate;
    out
}

/// A row of the development sample page.
pub struct SampleRow {
    pub number1_display: String,
    pub number2: String,
    pub birthdate_digits: String,
    pub birthdate_ja: String,
    pub name: String,
    pub note: &'static str,
}

pub async fn sample_notices_for_page(db: &Db, tenant_id: i64) -> Result<Vec<SampleRow>, DbError> {
    let tenant = tenants::find(db, tenant_id).await?;
    let format = NumberFormat::parse(&tenant.number1_format).ok();
    let rows = notices::list(db, tenant_id, SAMPLE_COUNT as i64).await?;
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, n)| SampleRow {
            number1_display: format
                .as_ref()
                .map(|f| f.display(&n.number1))
                .unwrap_or_else(|| n.number1.clone()),
            birthdate_digits: format!(
                "{:04}{:02}{:02}",
                n.birthdate.year(),
                n.birthdate.month() as u8,
                n.birthdate.day()
            ),
            birthdate_ja: format_date_ja(n.birthdate),
            number2: n.number2,
            name: n.name,
            note: match i {
                0 | 1 => "番号1と誕生日が同じ2件:番号2の入力が必要",
                3..=6 => "家族(複数人予約用)",
                _ => "",
            },
        })
        .collect())
}
