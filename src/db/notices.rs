//! Issued notices (交付通知書): who may book, identified by number 1 or 2 and birthdate.
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use time::Date;

use super::schema::notices;
use super::{Db, DbError};
use crate::{db_read, db_write};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = notices)]
pub struct Notice {
    pub id: i64,
    pub tenant_id: i64,
    pub number1: String,
    pub number2: String,
    pub birthdate: Date,
    pub name: String,
    pub kana: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    pub number1: String,
    pub number2: String,
    pub birthdate: Date,
    pub name: String,
    pub kana: String,
}

/// Inserts the notices, or updates the one with the same number 2 (re-importing a list
/// updates, never duplicates). All or nothing. Returns the number of rows written.
pub async fn upsert_many(
    db: &Db,
    tenant_id: i64,
    rows: &[NewNotice],
    now: i64,
) -> Result<usize, DbError> {
    db_write!(db, |conn| {
        let mut written = 0;
        for row in rows {
            written += diesel::insert_into(notices::table)
                .values((
                    notices::tenant_id.eq(tenant_id),
                    notices::number1.eq(&row.number1),
                    notices::number2.eq(&row.number2),
                    notices::birthdate.eq(row.birthdate),
                    notices::name.eq(&row.name),
                    notices::kana.eq(&row.kana),
                    notices::imported_at.eq(now),
                ))
                .on_conflict((notices::tenant_id, notices::number2))
                .do_update()
                .set((
                    notices::number1.eq(excluded(notices::number1)),
                    notices::birthdate.eq(excluded(notices::birthdate)),
                    notices::name.eq(excluded(notices::name)),
                    notices::kana.eq(excluded(notices::kana)),
                    notices::imported_at.eq(excluded(notices::imported_at)),
                ))
                .execute(conn)
                .await?;
        }
        Ok(written)
    })
}

/// The tenant's notices in import order, at most `limit`.
pub async fn list(db: &Db, tenant_id: i64, limit: i64) -> Result<Vec<Notice>, DbError> {
    db_read!(db, |conn| {
        Ok(notices::table
            .filter(notices::tenant_id.eq(tenant_id))
            .order(notices::id)
            .limit(limit)
            .select(Notice::as_select())
            .load(conn)
            .await?)
    })
}

pub async fn count(db: &Db, tenant_id: i64) -> Result<i64, DbError> {
    db_read!(db, |conn| {
        Ok(notices::table
            .filter(notices::tenant_id.eq(tenant_id))
            .count()
            .get_result(conn)
            .await?)
    })
}

/// The tenant's notices with this number 1 and birthdate (more than one means number 2 is
/// needed to tell them apart).
pub async fn find_by_number1(
    db: &Db,
    tenant_id: i64,
    number1: &str,
    birthdate: Date,
) -> Result<Vec<Notice>, DbError> {
    db_read!(db, |conn| {
        Ok(notices::table
            .filter(notices::tenant_id.eq(tenant_id))
            .filter(notices::number1.eq(number1))
            .filter(notices::birthdate.eq(birthdate))
            .filter(notices::status.eq("issued"))
            .select(Notice::as_select())
            .load(conn)
            .await?)
    })
}

pub async fn find_by_number2(
    db: &Db,
    tenant_id: i64,
    number2: &str,
    birthdate: Date,
) -> Result<Option<Notice>, DbError> {
    db_read!(db, |conn| {
        Ok(notices::table
            .filter(notices::tenant_id.eq(tenant_id))
            .filter(notices::number2.eq(number2))
            .filter(notices::birthdate.eq(birthdate))
            .filter(notices::status.eq("issued"))
            .select(Notice::as_select())
            .get_result(conn)
            .await
            .optional()?)
    })
}

pub async fn find_many(db: &Db, tenant_id: i64, ids: &[i64]) -> Result<Vec<Notice>, DbError> {
    db_read!(db, |conn| {
        Ok(notices::table
            .filter(notices::tenant_id.eq(tenant_id))
            .filter(notices::id.eq_any(ids))
            .select(Notice::as_select())
            .load(conn)
            .await?)
    })
}

/// The tenant's notices for people born on `birthdate` (for the name search on the phone:
/// a municipality has few people per birthdate, so the name is matched in Rust, where
/// spaces and kana can be folded).
pub async fn find_by_birthdate(
    db: &Db,
    tenant_id: i64,
    birthdate: Date,
) -> Result<Vec<Notice>, DbError> {
    db_read!(db, |conn| {
        Ok(notices::table
            .filter(notices::tenant_id.eq(tenant_id))
            .filter(notices::birthdate.eq(birthdate))
            .order(notices::id)
            .limit(500)
            .select(Notice::as_select())
            .load(conn)
            .await?)
    })
}
