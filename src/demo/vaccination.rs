//! The demo municipality's vaccination service: three venues (two 集団接種会場 and a 医療機関,
//! each with its vaccine), the wording of the terms, notice and call centre, and sample
//! tickets that show every case of the interval rule (listed on the development page).
use time::{Date, Duration};

use crate::core::month_calendar::add_months;
use crate::core::resident_input::format_date_ja;
use crate::db::schedule::{self, NewOpeningTemplate};
use crate::db::tickets::{self, NewTicket};
use crate::db::vaccination::{self, Wording};
use crate::db::venues::{self, NewVenue};
use crate::db::{Db, DbError};

pub const SAMPLE_TICKETS: usize = 20;

pub async fn fill(db: &Db, tenant_id: i64, today: Date, now: i64) -> Result<(), DbError> {
    let service_id = vaccination::offer(db, tenant_id, now).await?;
    vaccination::set_wording(db, service_id, &wording(), now).await?;
    let centre = venues::add(
        db,
        NewVenue {
            tenant_id,
            name: "デモ市保健センター",
            address: "デモ市中央2丁目5番1号",
            directions: "デモ駅東口から徒歩8分。駐車場(40台)があります。",
            map_url: Some("https://www.openstreetmap.org/"),
            position: 1,
            venue_kind: "group",
            vaccine: "ファイザー",
            notice: "1階の受付で接種券と予診票をお出しください。",
        },
    )
    .await?;
    let hall = venues::add(
        db,
        NewVenue {
            tenant_id,
            name: "デモ市文化会館",
            address: "デモ市北町5丁目1番地",
            directions: "北町バス停から徒歩3分。",
            map_url: None,
            position: 2,
            venue_kind: "group",
            vaccine: "モデルナ",
            notice: "土日のみの会場です。",
        },
    )
    .await?;
    let clinic = venues::add(
        db,
        NewVenue {
            tenant_id,
            name: "みなとクリニック",
            address: "デモ市港町1丁目2番3号",
            directions: "港町駅から徒歩2分。",
            map_url: None,
            position: 3,
            venue_kind: "clinic",
            vaccine: "ファイザー",
            notice: "",
        },
    )
    .await?;
    schedule::add_opening_templates(db, &templates(service_id, centre, hall, clinic)).await?;
    tickets::upsert_many(db, tenant_id, service_id, &sample_tickets(today), now).await?;
    Ok(())
}

fn wording() -> Wording {
    Wording {
        terms_ja: "この予約システムは、デモ市の新型コロナワクチン接種の予約のためのものです。\n\
                   予約は接種を受けるご本人1人につき1回分です。接種券がお手元に届いてから予約してください。\n\
                   予約の変更・キャンセルは予約日の3日前までこのサイトでできます。それ以降は予約相談センターへお電話ください。"
            .into(),
        terms_en: "This site takes bookings for COVID-19 vaccinations in デモ市 (Demo City).\n\
                   Each booking is for one dose of one person. Please book once your ticket has arrived.\n\
                   You can change or cancel a booking on this site until three days before its day; after that, please call the booking help centre."
            .into(),
        privacy_ja: "入力された情報は、ワクチン接種の予約と接種の実施のためにのみ使い、法令に基づく場合を除き第三者に提供しません。".into(),
        privacy_en: "What you enter is used only to book and give your vaccination and is not given to anyone else except as the law requires.".into(),
        notice_ja: "接種当日は、接種券・予診票・本人確認書類をお持ちください。".into(),
        notice_en: "On the day, please bring your ticket, the questionnaire and proof of identity.".into(),
        items_ja: "接種券(切り離さずにお持ちください)、予診票、本人確認書類(運転免許証、保険証など)、お薬手帳(お持ちの方)".into(),
        items_en: "Your vaccination ticket (do not detach it), the questionnaire, proof of identity (driving licence, health insurance card) and your medicine notebook if you have one".into(),
        call_centre_name: "デモ市ワクチン接種予約相談センター".into(),
        call_centre_phone: "0120-000-000".into(),
        call_centre_hours: "平日 9:00〜17:00".into(),
    }
}

/// 保健センター: Tuesday, Thursday and Saturday, 9:00–12:00 and 13:00–16:00 in 30-minute
/// slots, six places each; 文化会館: weekends 10:00–16:00, ten places; the clinic: weekday
/// afternoons in 15-minute slots, one place.
fn templates(service_id: i64, centre: i64, hall: i64, clinic: i64) -> Vec<NewOpeningTemplate> {
    let t = |counter_id, weekday, opens_min, closes_min, slot_min, clerks| NewOpeningTemplate {
        counter_id,
        service_id,
        weekday,
        opens_min,
        closes_min,
        slot_min,
        clerks,
    };
    let mut rows = Vec::new();
    for weekday in [2, 4, 6] {
        rows.push(t(centre, weekday, 9 * 60, 12 * 60, 30, 6));
        rows.push(t(centre, weekday, 13 * 60, 16 * 60, 30, 6));
    }
    for weekday in [6, 7] {
        rows.push(t(hall, weekday, 10 * 60, 16 * 60, 30, 10));
    }
    for weekday in 1..=5 {
        rows.push(t(clinic, weekday, 14 * 60, 17 * 60, 15, 1));
    }
    rows
}

/// What each sample ticket shows, in the order of [`sample_tickets`].
pub fn ticket_note(i: usize) -> &'static str {
    match i {
        0..=9 => "1回目:続けて2回目(2件目)も予約できる",
        10..=13 => "3回目:前回から5か月を過ぎている",
        14..=15 => "3回目:前回から5か月たっていない(その日以降のみ選べる)",
        16 => "2回目:前回の接種日が未登録(予約相談センターの案内)",
        _ => "2回目:前回の接種から21日後以降",
    }
}

/// Twenty tickets `2026000001`…`2026000020`, their previous doses counted back from `today`
/// so the sample cases hold on any day the demo is created.
pub fn sample_tickets(today: Date) -> Vec<NewTicket> {
    let names = super::SURNAMES.iter().zip(super::GIVEN_NAMES.iter().rev());
    names
        .take(SAMPLE_TICKETS)
        .enumerate()
        .map(|(i, (surname, given))| {
            let (dose, previous) = match i {
                0..=9 => (1, None),
                10..=13 => (3, add_months(today, -6)),
                14..=15 => (3, add_months(today, -3)),
                16 => (2, None),
                _ => (2, today.checked_sub(Duration::days(7))),
            };
            let year = 1940 + (i as i32 * 3) % 60;
            NewTicket {
                ticket_number: format!("2026{:06}", i + 1),
                birthdate: Date::from_calendar_date(year, time::Month::April, 1 + i as u8)
                    .expect("a day in April"),
                dose_number: dose,
                name: format!("{} {}", surname.0, given.0),
                kana: format!("{}\u{3000}{}", surname.1, given.1),
                previous_dose_on: previous,
            }
        })
        .collect()
}

/// A row of the development sample page's ticket table.
pub struct SampleTicket {
    pub ticket_number: String,
    pub birthdate_digits: String,
    pub birthdate_ja: String,
    pub dose: String,
    pub previous: String,
    pub name: String,
    pub note: &'static str,
}

pub async fn sample_tickets_for_page(
    db: &Db,
    tenant_id: i64,
) -> Result<Vec<SampleTicket>, DbError> {
    let rows = tickets::list(db, tenant_id, SAMPLE_TICKETS as i64).await?;
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, t)| SampleTicket {
            birthdate_digits: format!(
                "{:04}{:02}{:02}",
                t.birthdate.year(),
                t.birthdate.month() as u8,
                t.birthdate.day()
            ),
            birthdate_ja: format_date_ja(t.birthdate),
            dose: format!("{}回目", t.dose_number),
            previous: t.previous_dose_on.map(format_date_ja).unwrap_or_default(),
            ticket_number: t.ticket_number,
            name: t.name,
            note: ticket_note(i),
        })
        .collect())
}
