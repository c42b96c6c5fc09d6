//! Vaccination venues (接種会場): counters of the vaccination service, each a 集団接種会場
//! or a 医療機関, with the vaccine it gives and its own notice (会場からのお知らせ). Their
//! opening templates, closures and slots are the engine's, as for any counter.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::counters;
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
        match (self.venue_kind.as_str(), lang) {
            ("clinic", crate::i18n::Lang::Ja) => "医療機関",
            ("clinic", crate::i18n::Lang::En) => "Clinic",
            (_, crate::i18n::Lang::Ja) => "集団接種会場",
            (_, crate::i18n::Lang::En) => "Vaccination centre",
        }
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
