//! Browser sessions: the cookie carries a random id, this table its keyed hash and the
//! session's data as JSON, so any app instance can serve the next request.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::schema::web_sessions;
use super::{Db, DbError};
use crate::{db_read, db_write};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = web_sessions)]
pub struct SessionRow {
    pub id_hash: String,
    pub tenant_id: i64,
    pub kind: String,
    pub staff_user_id: Option<i64>,
    pub data: String,
    pub expires_at: i64,
}

pub async fn create(
    db: &Db,
    id_hash: &str,
    tenant_id: i64,
    kind: &str,
    data: &str,
    expires_at: i64,
    now: i64,
) -> Result<(), DbError> {
    db_write!(db, |conn| {
        diesel::insert_into(web_sessions::table)
            .values((
                web_sessions::id_hash.eq(id_hash),
                web_sessions::tenant_id.eq(tenant_id),
                web_sessions::kind.eq(kind),
                web_sessions::data.eq(data),
                web_sessions::expires_at.eq(expires_at),
                web_sessions::created_at.eq(now),
            ))
            .execute(conn)
            .await?;
        Ok(())
    })
}

/// The live session with this id hash, if it has not expired.
pub async fn load(db: &Db, id_hash: &str, now: i64) -> Result<Option<SessionRow>, DbError> {
    db_read!(db, |conn| {
        Ok(web_sessions::table
            .find(id_hash)
            .filter(web_sessions::expires_at.gt(now))
            .select(SessionRow::as_select())
            .get_result(conn)
            .await
            .optional()?)
    })
}

pub async fn save(db: &Db, id_hash: &str, data: &str, expires_at: i64) -> Result<(), DbError> {
    db_write!(db, |conn| {
        diesel::update(web_sessions::table.find(id_hash))
            .set((
                web_sessions::data.eq(data),
                web_sessions::expires_at.eq(expires_at),
            ))
            .execute(conn)
            .await?;
        Ok(())
    })
}

pub async fn delete(db: &Db, id_hash: &str) -> Result<(), DbError> {
    db_write!(db, |conn| {
        diesel::delete(web_sessions::table.find(id_hash))
            .execute(conn)
            .await?;
        Ok(())
    })
}

/// Binds a staff session to its member of staff.
pub async fn set_staff_user(db: &Db, id_hash: &str, staff_user_id: i64) -> Result<(), DbError> {
    db_write!(db, |conn| {
        diesel::update(web_sessions::table.find(id_hash))
            .set(web_sessions::staff_user_id.eq(staff_user_id))
            .execute(conn)
            .await?;
        Ok(())
    })
}
