//! Row counts of every table, to show that a refused request or a purge left the
//! database as it should.
use std::collections::BTreeMap;

use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use diesel_async::RunQueryDsl;
use madoguchi::db::{Db, DbError};

pub const TABLES: [&str; 15] = [
    "tenants",
    "counters",
    "slots",
    "notices",
    "email_verifications",
    "web_sessions",
    "holds",
    "hold_slots",
    "bookings",
    "booking_slots",
    "booking_people",
    "mail_outbox",
    "staff_users",
    "audit_log",
    "recipient_fields",
];

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn count(db: &Db, table: &str) -> Result<i64, DbError> {
    let sql = format!("SELECT COUNT(*) AS n FROM {table}");
    madoguchi::db_read!(db, |conn| {
        let c: Count = diesel::sql_query(&sql).get_result(conn).await?;
        Ok(c.n)
    })
}

pub async fn counts(db: &Db) -> BTreeMap<&'static str, i64> {
    let mut out = BTreeMap::new();
    for t in TABLES {
        out.insert(t, count(db, t).await.unwrap());
    }
    out
}

/// (name, kana, phone, notice id) of every person of a booking.
pub async fn people(db: &Db, booking_id: i64) -> Vec<(String, String, String, Option<i64>)> {
    use diesel::{ExpressionMethods, QueryDsl};
    use madoguchi::db::schema::booking_people as p;
    async fn load(
        db: &Db,
        booking_id: i64,
    ) -> Result<Vec<(String, String, String, Option<i64>)>, DbError> {
        madoguchi::db_read!(db, |conn| {
            Ok(p::table
                .filter(p::booking_id.eq(booking_id))
                .order(p::position)
                .select((p::name, p::kana, p::phone, p::notice_id))
                .load(conn)
                .await?)
        })
    }
    load(db, booking_id).await.unwrap()
}

/// (email, email2, status, anonymised_at) of a booking.
pub async fn booking(db: &Db, id: i64) -> (Option<String>, Option<String>, String, Option<i64>) {
    use diesel::QueryDsl;
    use madoguchi::db::schema::bookings as b;
    async fn load(
        db: &Db,
        id: i64,
    ) -> Result<(Option<String>, Option<String>, String, Option<i64>), DbError> {
        madoguchi::db_read!(db, |conn| {
            Ok(b::table
                .find(id)
                .select((b::email, b::email2, b::status, b::anonymised_at))
                .first(conn)
                .await?)
        })
    }
    load(db, id).await.unwrap()
}

/// Slots whose count of taken places is over capacity, or below the places that
/// (not cancelled) bookings hold in them.
pub async fn inconsistent_slots(db: &Db) -> Result<i64, DbError> {
    madoguchi::db_read!(db, |conn| {
        let c: Count = diesel::sql_query(
            "SELECT COUNT(*) AS n FROM slots s WHERE s.taken > s.capacity OR s.taken < \
             (SELECT COUNT(*) FROM booking_slots bs JOIN bookings b ON b.id = bs.booking_id \
              WHERE bs.slot_id = s.id AND b.status <> 'cancelled')",
        )
        .get_result(conn)
        .await?;
        Ok(c.n)
    })
}

/// (status, subject, claimed_until) of every outbox row to `to`.
pub async fn outbox_to(db: &Db, to: &str) -> Vec<(String, String, Option<i64>)> {
    use diesel::{ExpressionMethods, QueryDsl};
    use madoguchi::db::schema::mail_outbox as m;
    async fn load(db: &Db, to: &str) -> Result<Vec<(String, String, Option<i64>)>, DbError> {
        madoguchi::db_read!(db, |conn| {
            Ok(m::table
                .filter(m::to_addr.eq(to))
                .order(m::id)
                .select((m::status, m::subject, m::claimed_until))
                .load(conn)
                .await?)
        })
    }
    load(db, to).await.unwrap()
}

/// The stored answers of every person of a booking, as stored (JSON).
pub async fn answers(db: &Db, booking_id: i64) -> Vec<String> {
    use diesel::{ExpressionMethods, QueryDsl};
    use madoguchi::db::schema::booking_people as p;
    async fn load(db: &Db, booking_id: i64) -> Result<Vec<String>, DbError> {
        madoguchi::db_read!(db, |conn| {
            Ok(p::table
                .filter(p::booking_id.eq(booking_id))
                .order(p::position)
                .select(p::answers)
                .load(conn)
                .await?)
        })
    }
    load(db, booking_id).await.unwrap()
}

// --- Holds released on sight (issue 11, defect 2) ---

/// Slots whose `taken` is not exactly the places of their (not cancelled) bookings and of
/// the holds still marked active (an expired hold not yet released still counts in
/// `taken`): a place released twice, or never, shows here.
pub async fn taken_mismatches(db: &Db) -> i64 {
    async fn count(db: &Db) -> Result<i64, DbError> {
        madoguchi::db_read!(db, |conn| {
            let c: Count = diesel::sql_query(
                "SELECT COUNT(*) AS n FROM slots s WHERE s.taken <> \
                 (SELECT COUNT(*) FROM booking_slots bs JOIN bookings b ON b.id = bs.booking_id \
                  WHERE bs.slot_id = s.id AND b.status <> 'cancelled') + \
                 (SELECT COUNT(*) FROM hold_slots hs JOIN holds h ON h.id = hs.hold_id \
                  WHERE hs.slot_id = s.id AND h.state = 'active')",
            )
            .get_result(conn)
            .await?;
            Ok(c.n)
        })
    }
    count(db).await.unwrap()
}
