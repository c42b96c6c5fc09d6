//! Read from the database after the run: what the residents' pages claimed must agree with
//! what is stored, and nothing may be oversold or booked twice.
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use madoguchi::db::{Db, DbError};
use serde::Serialize;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Checks {
    /// Slots whose places taken, or active bookings, exceed their capacity.
    pub oversold_slots: i64,
    /// Notices (card pickup) or ticket doses (vaccination) with more than one active booking.
    pub notices_booked_twice: i64,
    /// Active bookings in the database.
    pub bookings_in_db: i64,
    /// Slots whose `taken` differs from their active bookings plus live holds.
    pub taken_mismatch: i64,
}

async fn count(db: &Db, sql: &'static str) -> Result<i64, DbError> {
    madoguchi::db_read!(db, |conn| {
        let row: Count = diesel::sql_query(sql).get_result(conn).await?;
        Ok(row.n)
    })
}

pub async fn run(db: &Db) -> Result<Checks, DbError> {
    Ok(Checks {
        oversold_slots: count(
            db,
            "SELECT COUNT(*) AS n FROM slots s WHERE s.taken > s.capacity OR s.capacity < \
             (SELECT COUNT(*) FROM booking_slots bs JOIN bookings b ON b.id = bs.booking_id \
              WHERE bs.slot_id = s.id AND b.status <> 'cancelled')",
        )
        .await?,
        notices_booked_twice: count(
            db,
            "SELECT COUNT(*) AS n FROM (SELECT bp.notice_id FROM booking_people bp \
             JOIN bookings b ON b.id = bp.booking_id WHERE b.status <> 'cancelled' \
             AND bp.notice_id IS NOT NULL GROUP BY bp.notice_id HAVING COUNT(*) > 1 \
             UNION ALL SELECT b.ticket_id FROM bookings b WHERE b.status <> 'cancelled' \
             AND b.ticket_id IS NOT NULL GROUP BY b.ticket_id, b.dose_number \
             HAVING COUNT(*) > 1) x",
        )
        .await?,
        bookings_in_db: count(
            db,
            "SELECT COUNT(*) AS n FROM bookings WHERE status <> 'cancelled'",
        )
        .await?,
        taken_mismatch: count(
            db,
            "SELECT COUNT(*) AS n FROM slots s WHERE s.taken <> \
             (SELECT COUNT(*) FROM booking_slots bs JOIN bookings b ON b.id = bs.booking_id \
              WHERE bs.slot_id = s.id AND b.status <> 'cancelled') + \
             (SELECT COUNT(*) FROM hold_slots hs JOIN holds h ON h.id = hs.hold_id \
              WHERE hs.slot_id = s.id AND h.state = 'active')",
        )
        .await?,
    })
}
