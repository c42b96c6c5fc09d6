//! Vaccination venues (接種会場): counters of the vaccination service, each a 集団接種会場
//! or a 医療機関, with the vaccine it gives and its own notice (会場からのお知らせ). Their
//! opening templates, closures and slots are the engine's, as for any counter.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::audit::AuditWrites;
use super::schema::counters;
use super::tenants::StaffAction;
use super::vaccination::VACCINATION;
use super::{Db, DbError};
use crate::{db_read, db_write};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = counters)]
pub struct Venue {
    pub id: i64,
    pub tenant_id: i64,
    pub name: String,
    pub address: String,
    pub directions: String,
    pub map_url: Option<String>,
    pub active: bool,
    pub position: i32,
    /// "group" (集団接種会場) or "clinic" (医療機関).
    pub venue_kind: String,
    /// The vaccine given there (ファイザー, モデルナ, ...), as the municipality writes it.
    pub vaccine: String,
    pub notice: String,
}

impl Venue {
    /// 「集団接種会場」 / 「医療機関」 in the page's language.
    pub fn kind_label(&self, lang: crate::i18n::Lang) -> &'static str {
        kind_label(&self.venue_kind, lang)
    }
}

/// 「集団接種会場」 / 「医療機関」 for a stored kind ("group", "clinic").
pub fn kind_label(kind: &str, lang: crate::i18n::Lang) -> &'static str {
    match (kind, lang) {
        ("clinic", crate::i18n::Lang::Ja) => "医療機関",
        ("clinic", crate::i18n::Lang::En) => "Clinic",
        (_, crate::i18n::Lang::Ja) => "集団接種会場",
        (_, crate::i18n::Lang::En) => "Vaccination centre",
    }
}

#[derive(Debug, Clone)]
pub struct NewVenue<'a> {
    pub tenant_id: i64,
    pub name: &'a str,
    pub address: &'a str,
    pub directions: &'a str,
    pub map_url: Option<&'a str>,
    pub position: i32,
    pub venue_kind: &'a str,
    pub vaccine: &'a str,
    pub notice: &'a str,
}

pub async fn add(db: &Db, v: NewVenue<'_>) -> Result<i64, DbError> {
    db_write!(db, |conn| {
        Ok(diesel::insert_into(counters::table)
            .values((
                counters::tenant_id.eq(v.tenant_id),
                counters::name.eq(v.name),
                counters::address.eq(v.address),
                counters::directions.eq(v.directions),
                counters::map_url.eq(v.map_url),
                counters::position.eq(v.position),
                counters::service_kind.eq(VACCINATION),
                counters::venue_kind.eq(v.venue_kind),
                counters::vaccine.eq(v.vaccine),
                counters::notice.eq(v.notice),
            ))
            .returning(counters::id)
            .get_result(conn)
            .await?)
    })
}

/// The municipality's venues open for booking, in display order.
pub async fn active(db: &Db, tenant_id: i64) -> Result<Vec<Venue>, DbError> {
    db_read!(db, |conn| {
        Ok(counters::table
            .filter(counters::tenant_id.eq(tenant_id))
            .filter(counters::service_kind.eq(VACCINATION))
            .filter(counters::active.eq(true))
            .order((counters::position, counters::id))
            .select(Venue::as_select())
            .load(conn)
            .await?)
    })
}

/// Every venue, inactive ones too (the console's list).
pub async fn all(db: &Db, tenant_id: i64) -> Result<Vec<Venue>, DbError> {
    db_read!(db, |conn| {
        Ok(counters::table
            .filter(counters::tenant_id.eq(tenant_id))
            .filter(counters::service_kind.eq(VACCINATION))
            .order((counters::position, counters::id))
            .select(Venue::as_select())
            .load(conn)
            .await?)
    })
}

/// The venue `id` of this municipality, active or not.
pub async fn find(db: &Db, tenant_id: i64, id: i64) -> Result<Option<Venue>, DbError> {
    db_read!(db, |conn| {
        Ok(counters::table
            .filter(counters::tenant_id.eq(tenant_id))
            .filter(counters::service_kind.eq(VACCINATION))
            .filter(counters::id.eq(id))
            .select(Venue::as_select())
            .get_result(conn)
            .await
            .optional()?)
    })
}

// ---- the console's 接種会場 page ---------------------------------------------------------

/// A venue's details as an administrator types them (its hours and closures are the
/// schedule's: `db::schedule::apply`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueFields {
    pub name: String,
    pub address: String,
    pub directions: String,
    pub map_url: Option<String>,
    /// "group" or "clinic".
    pub venue_kind: String,
    pub vaccine: String,
    pub notice: String,
}

impl VenueFields {
    pub fn of(v: &Venue) -> VenueFields {
        VenueFields {
            name: v.name.clone(),
            address: v.address.clone(),
            directions: v.directions.clone(),
            map_url: v.map_url.clone(),
            venue_kind: v.venue_kind.clone(),
            vaccine: v.vaccine.clone(),
            notice: v.notice.clone(),
        }
    }
}

/// 「集団接種会場」 / 「医療機関」 for the audit entry.
fn kind_ja(kind: &str) -> &'static str {
    if kind == "clinic" {
        "医療機関"
    } else {
        "集団接種会場"
    }
}

/// What changed, before → after, for the audit entry. Long texts are named, not quoted.
pub fn describe_changes(old: &VenueFields, new: &VenueFields) -> Vec<String> {
    let mut what = Vec::new();
    if old.name != new.name {
        what.push(format!("名称 「{}」→「{}」", old.name, new.name));
    }
    if old.venue_kind != new.venue_kind {
        what.push(format!(
            "種別 {}→{}",
            kind_ja(&old.venue_kind),
            kind_ja(&new.venue_kind)
        ));
    }
    if old.vaccine != new.vaccine {
        what.push(format!(
            "ワクチンの種類 「{}」→「{}」",
            old.vaccine, new.vaccine
        ));
    }
    for (label, a, b) in [
        ("住所", &old.address, &new.address),
        ("案内", &old.directions, &new.directions),
        ("会場からのお知らせ", &old.notice, &new.notice),
    ] {
        if a != b {
            what.push(label.to_string());
        }
    }
    if old.map_url != new.map_url {
        what.push("地図のURL".to_string());
    }
    what
}

/// What became of an edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VenueSaved {
    Saved,
    Unchanged,
    /// Not a venue of this municipality.
    NotFound,
}

/// Adds a venue after the others, with its `schedule_change` audit entry, in one
/// transaction. A name another counter or venue of the municipality has already is a unique
/// violation (`DbError::is_unique_violation`).
pub async fn create(db: &Db, by: &StaffAction, v: &VenueFields) -> Result<i64, DbError> {
    let detail = format!(
        "接種会場「{}」を追加({}・{})",
        v.name,
        kind_ja(&v.venue_kind),
        if v.vaccine.is_empty() {
            "ワクチン未設定"
        } else {
            v.vaccine.as_str()
        }
    );
    db_write!(db, |conn| {
        let position: Option<i32> = counters::table
            .filter(counters::tenant_id.eq(by.tenant_id))
            .select(diesel::dsl::max(counters::position))
            .get_result(conn)
            .await?;
        let id: i64 = diesel::insert_into(counters::table)
            .values((
                counters::tenant_id.eq(by.tenant_id),
                counters::name.eq(&v.name),
                counters::address.eq(&v.address),
                counters::directions.eq(&v.directions),
                counters::map_url.eq(v.map_url.as_deref()),
                counters::position.eq(position.unwrap_or(0) + 1),
                counters::service_kind.eq(VACCINATION),
                counters::venue_kind.eq(&v.venue_kind),
                counters::vaccine.eq(&v.vaccine),
                counters::notice.eq(&v.notice),
            ))
            .returning(counters::id)
            .get_result(conn)
            .await?;
        conn.audit_in(&by.entry("schedule_change", &detail)).await?;
        Ok(id)
    })
}

/// Replaces a venue's details with the audit entry (before → after) in one transaction.
/// Nothing here touches slots: the hours and closures are saved by the schedule.
pub async fn update(
    db: &Db,
    by: &StaffAction,
    id: i64,
    new: &VenueFields,
) -> Result<VenueSaved, DbError> {
    db_write!(db, |conn| {
        let old: Option<Venue> = counters::table
            .filter(counters::tenant_id.eq(by.tenant_id))
            .filter(counters::service_kind.eq(VACCINATION))
            .filter(counters::id.eq(id))
            .select(Venue::as_select())
            .get_result(conn)
            .await
            .optional()?;
        let Some(old) = old else {
            return Ok(VenueSaved::NotFound);
        };
        let what = describe_changes(&VenueFields::of(&old), new);
        if what.is_empty() {
            return Ok(VenueSaved::Unchanged);
        }
        diesel::update(counters::table.find(id))
            .set((
                counters::name.eq(&new.name),
                counters::address.eq(&new.address),
                counters::directions.eq(&new.directions),
                counters::map_url.eq(new.map_url.as_deref()),
                counters::venue_kind.eq(&new.venue_kind),
                counters::vaccine.eq(&new.vaccine),
                counters::notice.eq(&new.notice),
            ))
            .execute(conn)
            .await?;
        let detail = format!("接種会場「{}」を変更: {}", old.name, what.join("、"));
        conn.audit_in(&by.entry("schedule_change", &detail)).await?;
        Ok(VenueSaved::Saved)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hall() -> VenueFields {
        VenueFields {
            name: "デモ市文化会館".into(),
            address: "デモ市本町1-2".into(),
            directions: String::new(),
            map_url: None,
            venue_kind: "group".into(),
            vaccine: "モデルナ".into(),
            notice: String::new(),
        }
    }

    #[test]
    fn changes_name_the_vaccine_and_kind_before_and_after_and_texts_by_name() {
        let new = VenueFields {
            venue_kind: "clinic".into(),
            vaccine: "ファイザー".into(),
            notice: "駐車場はありません。".into(),
            map_url: Some("https://example.jp/map".into()),
            ..hall()
        };
        assert_eq!(
            describe_changes(&hall(), &new),
            vec![
                "種別 集団接種会場→医療機関".to_string(),
                "ワクチンの種類 「モデルナ」→「ファイザー」".to_string(),
                "会場からのお知らせ".to_string(),
                "地図のURL".to_string(),
            ]
        );
        assert!(describe_changes(&hall(), &hall()).is_empty());
    }
}
