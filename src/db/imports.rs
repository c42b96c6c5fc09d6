//! Imports of the issued-notice list: an upload waits in `notice_imports` between its
//! preview and its commit (app instances keep nothing in memory), and the commit writes
//! every row or none, with its audit entry, in one transaction.
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use time::Date;

use super::audit::{AuditEntry, AuditWrites};
use super::notices::NewNotice;
use super::schema::{notice_imports, notices};
use super::tenants::Tenant;
use super::{Conn, Db, DbError, PgConn, SqliteConn};
use crate::core::notice_import::{
    FileError, ImportPreview, Limits, decode_payload, encode_payload, parse_notice_file,
};
use crate::core::resident_input::NumberFormat;
use crate::{db_read, db_write};

/// An upload not committed within a day is dropped (the next upload clears it away).
pub const PENDING_TTL_SECS: i64 = 24 * 60 * 60;

/// Rows per INSERT on PostgreSQL: 7 bound values a row, far below its 65,535 parameters.
const PG_UPSERT_CHUNK: usize = 2_000;
/// Rows per INSERT on SQLite (one JSON parameter, so only memory bounds it).
const SQLITE_UPSERT_CHUNK: usize = 10_000;

pub const STATUS_PENDING: &str = "pending";
/// `notice_imports.kind` of the notice list; the ticket list's uploads wait in the same
/// table as `tickets` (db::ticket_imports) and every query here keeps to its own kind.
pub const KIND_NOTICES: &str = "notices";
pub const STATUS_COMMITTED: &str = "committed";

/// One upload, without its payload.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = notice_imports)]
pub struct NoticeImport {
    pub id: i64,
    pub tenant_id: i64,
    pub staff_user_id: Option<i64>,
    pub encoding: String,
    pub file_name: String,
    pub row_count: i32,
    pub status: String,
    pub created_at: i64,
    pub committed_at: Option<i64>,
    pub new_count: Option<i32>,
    pub updated_count: Option<i32>,
}

impl NoticeImport {
    pub fn is_committed(&self) -> bool {
        self.status == STATUS_COMMITTED
    }

    pub fn is_expired(&self, now: i64) -> bool {
        !self.is_committed() && self.created_at + PENDING_TTL_SECS < now
    }
}

/// How many notices were added and how many replaced an existing one (same number 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportCounts {
    pub new: usize,
    pub updated: usize,
}

impl ImportCounts {
    fn split(total: usize, existing: i64) -> ImportCounts {
        let updated = usize::try_from(existing).unwrap_or(0).min(total);
        ImportCounts {
            new: total - updated,
            updated,
        }
    }
}

/// The audit detail of an import.
pub fn audit_detail(counts: ImportCounts) -> String {
    format!(
        "交付対象者を取り込みました: 新規{}件・更新{}件",
        counts.new, counts.updated
    )
}

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The two steps whose SQL differs between the databases.
///
/// "How many of these numbers 2 are already there" is one query whatever the number of
/// rows: the list travels as one parameter (a JSON array that SQLite unpacks with
/// json_each, a text array for PostgreSQL's `= ANY`), so 100,000 rows neither make
/// 100,000 queries nor exceed either database's limit on bound parameters.
///
/// The upsert inserts each row or updates the notice with the same number 2 (never
/// touching its status), in a few large statements; call it inside a write transaction.
pub trait BackendImportSteps {
    fn count_existing_in(
        &mut self,
        tenant_id: i64,
        number2s: &[&str],
    ) -> impl Future<Output = Result<i64, DbError>> + Send;

    fn upsert_notices_in(
        &mut self,
        tenant_id: i64,
        rows: &[NewNotice],
        now: i64,
    ) -> impl Future<Output = Result<(), DbError>> + Send;
}

impl BackendImportSteps for SqliteConn {
    async fn count_existing_in(
        &mut self,
        tenant_id: i64,
        number2s: &[&str],
    ) -> Result<i64, DbError> {
        let list = serde_json::to_string(number2s).expect("strings always serialise");
        let row: CountRow = diesel::sql_query(
            "SELECT COUNT(*) AS n FROM notices WHERE tenant_id = ? \
             AND number2 IN (SELECT value FROM json_each(?))",
        )
        .bind::<BigInt, _>(tenant_id)
        .bind::<Text, _>(list)
        .get_result(self)
        .await?;
        Ok(row.n)
    }

    /// diesel cannot batch an upsert on SQLite, and one statement per row costs a thread
    /// hop each through the sync wrapper; so the rows go in as one JSON parameter per
    /// chunk and SQLite unpacks them. Dates are written as diesel writes them (YYYY-MM-DD).
    /// `WHERE true` is SQLite's required disambiguation of INSERT … SELECT … ON CONFLICT.
    async fn upsert_notices_in(
        &mut self,
        tenant_id: i64,
        rows: &[NewNotice],
        now: i64,
    ) -> Result<(), DbError> {
        for chunk in rows.chunks(SQLITE_UPSERT_CHUNK) {
            let json = serde_json::to_string(
                &chunk
                    .iter()
                    .map(|r| {
                        (
                            &r.number1,
                            &r.number2,
                            iso_date(r.birthdate),
                            &r.name,
                            &r.kana,
                        )
                    })
                    .collect::<Vec<_>>(),
            )
            .expect("strings always serialise");
            diesel::sql_query(
                "INSERT INTO notices (tenant_id, number1, number2, birthdate, name, kana, imported_at) \
                 SELECT ?, json_extract(value, '$[0]'), json_extract(value, '$[1]'), \
                        json_extract(value, '$[2]'), json_extract(value, '$[3]'), \
                        json_extract(value, '$[4]'), ? \
                 FROM json_each(?) WHERE true \
                 ON CONFLICT (tenant_id, number2) DO UPDATE SET \
                   number1 = excluded.number1, birthdate = excluded.birthdate, \
                   name = excluded.name, kana = excluded.kana, imported_at = excluded.imported_at",
            )
            .bind::<BigInt, _>(tenant_id)
            .bind::<BigInt, _>(now)
            .bind::<Text, _>(json)
            .execute(self)
            .await?;
        }
        Ok(())
    }
}

impl BackendImportSteps for PgConn {
    async fn count_existing_in(
        &mut self,
        tenant_id: i64,
        number2s: &[&str],
    ) -> Result<i64, DbError> {
        // diesel writes eq_any as `= ANY($2)` with one array parameter on PostgreSQL.
        Ok(notices::table
            .filter(notices::tenant_id.eq(tenant_id))
            .filter(notices::number2.eq_any(number2s))
            .count()
            .get_result(self)
            .await?)
    }

    async fn upsert_notices_in(
        &mut self,
        tenant_id: i64,
        rows: &[NewNotice],
        now: i64,
    ) -> Result<(), DbError> {
        for chunk in rows.chunks(PG_UPSERT_CHUNK) {
            let values: Vec<_> = chunk
                .iter()
                .map(|row| {
                    (
                        notices::tenant_id.eq(tenant_id),
                        notices::number1.eq(&row.number1),
                        notices::number2.eq(&row.number2),
                        notices::birthdate.eq(row.birthdate),
                        notices::name.eq(&row.name),
                        notices::kana.eq(&row.kana),
                        notices::imported_at.eq(now),
                    )
                })
                .collect();
            diesel::insert_into(notices::table)
                .values(values)
                .on_conflict((notices::tenant_id, notices::number2))
                .do_update()
                .set((
                    notices::number1.eq(excluded(notices::number1)),
                    notices::birthdate.eq(excluded(notices::birthdate)),
                    notices::name.eq(excluded(notices::name)),
                    notices::kana.eq(excluded(notices::kana)),
                    notices::imported_at.eq(excluded(notices::imported_at)),
                ))
                .execute(self)
                .await?;
        }
        Ok(())
    }
}

fn iso_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The write steps of an import, shared by the web commit and the operator's command.
pub trait ImportWrites: BackendImportSteps + AuditWrites {
    /// Counts new and updated rows, writes them and records the audit entry.
    fn import_rows_in(
        &mut self,
        tenant_id: i64,
        staff_user_id: Option<i64>,
        rows: &[NewNotice],
        detail_suffix: &str,
        now: i64,
    ) -> impl Future<Output = Result<ImportCounts, DbError>> + Send;
}

crate::impl_for_both_backends!(ImportWrites {
    async fn import_rows_in(
        &mut self,
        tenant_id: i64,
        staff_user_id: Option<i64>,
        rows: &[NewNotice],
        detail_suffix: &str,
        now: i64,
    ) -> Result<ImportCounts, DbError> {
        let number2s: Vec<&str> = rows.iter().map(|r| r.number2.as_str()).collect();
        let existing = self.count_existing_in(tenant_id, &number2s).await?;
        let counts = ImportCounts::split(rows.len(), existing);
        self.upsert_notices_in(tenant_id, rows, now).await?;
        let detail = format!("{}{detail_suffix}", audit_detail(counts));
        self.audit_in(&AuditEntry {
            tenant_id,
            staff_user_id,
            action: "import_notices",
            booking_id: None,
            detail: &detail,
            now,
        })
        .await?;
        Ok(counts)
    }
});

/// What the rows would do if committed now: one query for the whole file.
pub async fn preview_counts(
    db: &Db,
    tenant_id: i64,
    rows: &[NewNotice],
) -> Result<ImportCounts, DbError> {
    if rows.is_empty() {
        return Ok(ImportCounts::default());
    }
    let number2s: Vec<&str> = rows.iter().map(|r| r.number2.as_str()).collect();
    let existing = match db.get().await? {
        Conn::Sqlite(mut conn) => conn.count_existing_in(tenant_id, &number2s).await?,
        Conn::Postgres(mut conn) => conn.count_existing_in(tenant_id, &number2s).await?,
    };
    Ok(ImportCounts::split(rows.len(), existing))
}

/// Keeps a validated upload until it is committed; drops this tenant's uploads that were
/// never committed within [`PENDING_TTL_SECS`]. Returns the new import's id.
pub async fn create_pending(
    db: &Db,
    tenant_id: i64,
    staff_user_id: Option<i64>,
    encoding: &str,
    file_name: &str,
    rows: &[NewNotice],
    now: i64,
) -> Result<i64, DbError> {
    let upload = PendingUpload {
        kind: KIND_NOTICES,
        tenant_id,
        staff_user_id,
        encoding,
        file_name,
        row_count: rows.len(),
        payload: encode_payload(rows),
        now,
    };
    create_pending_upload(db, &upload).await
}

/// A validated upload of one list (`kind`: notices or tickets) with its encoded rows.
pub struct PendingUpload<'a> {
    pub kind: &'static str,
    pub tenant_id: i64,
    pub staff_user_id: Option<i64>,
    pub encoding: &'a str,
    pub file_name: &'a str,
    pub row_count: usize,
    pub payload: String,
    pub now: i64,
}

/// Stores `upload` in `notice_imports` under its kind and drops the tenant's uploads of
/// that kind never committed within [`PENDING_TTL_SECS`]: what both lists' imports do.
pub async fn create_pending_upload(db: &Db, upload: &PendingUpload<'_>) -> Result<i64, DbError> {
    let row_count = i32::try_from(upload.row_count).unwrap_or(i32::MAX);
    db_write!(db, |conn| {
        diesel::delete(
            notice_imports::table
                .filter(notice_imports::tenant_id.eq(upload.tenant_id))
                .filter(notice_imports::kind.eq(upload.kind))
                .filter(notice_imports::status.eq(STATUS_PENDING))
                .filter(notice_imports::created_at.lt(upload.now - PENDING_TTL_SECS)),
        )
        .execute(conn)
        .await?;
        Ok(diesel::insert_into(notice_imports::table)
            .values((
                notice_imports::tenant_id.eq(upload.tenant_id),
                notice_imports::kind.eq(upload.kind),
                notice_imports::staff_user_id.eq(upload.staff_user_id),
                notice_imports::encoding.eq(upload.encoding),
                notice_imports::file_name.eq(upload.file_name),
                notice_imports::row_count.eq(row_count),
                notice_imports::payload.eq(&upload.payload),
                notice_imports::status.eq(STATUS_PENDING),
                notice_imports::created_at.eq(upload.now),
            ))
            .returning(notice_imports::id)
            .get_result(conn)
            .await?)
    })
}

/// The tenant's notice import with this id (None for another tenant's, or a ticket import).
pub async fn find(db: &Db, tenant_id: i64, id: i64) -> Result<Option<NoticeImport>, DbError> {
    find_of_kind(db, KIND_NOTICES, tenant_id, id).await
}

/// The tenant's import of `kind` with this id.
pub async fn find_of_kind(
    db: &Db,
    kind: &'static str,
    tenant_id: i64,
    id: i64,
) -> Result<Option<NoticeImport>, DbError> {
    db_read!(db, |conn| {
        Ok(notice_imports::table
            .filter(notice_imports::id.eq(id))
            .filter(notice_imports::tenant_id.eq(tenant_id))
            .filter(notice_imports::kind.eq(kind))
            .select(NoticeImport::as_select())
            .get_result(conn)
            .await
            .optional()?)
    })
}

/// The tenant's newest notice imports.
pub async fn recent(db: &Db, tenant_id: i64, limit: i64) -> Result<Vec<NoticeImport>, DbError> {
    recent_of_kind(db, KIND_NOTICES, tenant_id, limit).await
}

/// The tenant's newest imports of `kind`.
pub async fn recent_of_kind(
    db: &Db,
    kind: &'static str,
    tenant_id: i64,
    limit: i64,
) -> Result<Vec<NoticeImport>, DbError> {
    db_read!(db, |conn| {
        Ok(notice_imports::table
            .filter(notice_imports::tenant_id.eq(tenant_id))
            .filter(notice_imports::kind.eq(kind))
            .order(notice_imports::id.desc())
            .limit(limit)
            .select(NoticeImport::as_select())
            .load(conn)
            .await?)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitOutcome {
    Committed(ImportCounts),
    /// Committed before (a second click, another tab): nothing was written this time.
    AlreadyCommitted,
    /// Waited longer than [`PENDING_TTL_SECS`]: upload again.
    Expired,
    NotFound,
}

/// Commits a previewed upload: every row or none, the audit entry in the same
/// transaction. The claim is a conditional update (`status = 'pending'` → `'committed'`),
/// so two clicks, or two instances, commit once.
pub async fn commit(
    db: &Db,
    tenant_id: i64,
    id: i64,
    staff_user_id: Option<i64>,
    now: i64,
) -> Result<CommitOutcome, DbError> {
    let stored: Option<(String, i64, String)> = db_read!(db, |conn| {
        Ok(notice_imports::table
            .filter(notice_imports::id.eq(id))
            .filter(notice_imports::tenant_id.eq(tenant_id))
            .filter(notice_imports::kind.eq(KIND_NOTICES))
            .select((
                notice_imports::status,
                notice_imports::created_at,
                notice_imports::payload,
            ))
            .get_result(conn)
            .await
            .optional()?)
    })?;
    let Some((status, created_at, payload)) = stored else {
        return Ok(CommitOutcome::NotFound);
    };
    if status == STATUS_COMMITTED {
        return Ok(CommitOutcome::AlreadyCommitted);
    }
    if created_at + PENDING_TTL_SECS < now {
        return Ok(CommitOutcome::Expired);
    }
    // Decoded outside the transaction: the write lock is held for the writes only.
    let rows = decode_payload(&payload).map_err(|e| {
        tracing::error!(import_id = id, error = %e, "unreadable import payload");
        DbError::Conflict("the stored import cannot be read")
    })?;
    drop(payload);
    db_write!(db, |conn| {
        let claimed = diesel::update(
            notice_imports::table
                .filter(notice_imports::id.eq(id))
                .filter(notice_imports::tenant_id.eq(tenant_id))
                .filter(notice_imports::kind.eq(KIND_NOTICES))
                .filter(notice_imports::status.eq(STATUS_PENDING)),
        )
        .set((
            notice_imports::status.eq(STATUS_COMMITTED),
            notice_imports::committed_at.eq(now),
        ))
        .execute(conn)
        .await?;
        if claimed == 0 {
            return Ok(CommitOutcome::AlreadyCommitted);
        }
        let counts = conn
            .import_rows_in(tenant_id, staff_user_id, &rows, "", now)
            .await?;
        // The rows are in `notices` now; the copy is not kept.
        diesel::update(notice_imports::table.filter(notice_imports::id.eq(id)))
            .set((
                notice_imports::payload.eq(""),
                notice_imports::new_count.eq(i32::try_from(counts.new).unwrap_or(i32::MAX)),
                notice_imports::updated_count.eq(i32::try_from(counts.updated).unwrap_or(i32::MAX)),
            ))
            .execute(conn)
            .await?;
        Ok(CommitOutcome::Committed(counts))
    })
}

/// The tenant's two number formats; an error names a misconfigured tenant.
pub fn tenant_formats(tenant: &Tenant) -> Result<(NumberFormat, NumberFormat), String> {
    let number1 = NumberFormat::parse(&tenant.number1_format)
        .map_err(|e| format!("{}: number1_format: {e}", tenant.slug))?;
    let number2 = NumberFormat::parse(&tenant.number2_format)
        .map_err(|e| format!("{}: number2_format: {e}", tenant.slug))?;
    Ok((number1, number2))
}

/// Reads a file the way the console does, for the tenant's formats.
pub fn parse_for_tenant(
    tenant: &Tenant,
    bytes: &[u8],
    today: Date,
) -> Result<Result<ImportPreview, FileError>, String> {
    let (number1, number2) = tenant_formats(tenant)?;
    Ok(parse_notice_file(
        bytes,
        &number1,
        &number2,
        today,
        Limits::STANDARD,
    ))
}

/// What an operator's import command did (`madoguchi notices import`, and as
/// `OperatorImport<NewTicket, TicketFileError>` `madoguchi tickets import`).
#[derive(Debug)]
pub struct OperatorImport<R = NewNotice, E = FileError> {
    pub preview: Result<ImportPreview<R>, E>,
    /// What the rows do (or would do, on a dry run or with errors).
    pub counts: ImportCounts,
    pub written: bool,
    /// What was imported, as the last line names it: "" for notices, "tickets " for tickets.
    pub what: &'static str,
}

impl<R, E: std::fmt::Display> OperatorImport<R, E> {
    /// Exit status for the command: success only for a file without problems.
    pub fn ok(&self) -> bool {
        matches!(&self.preview, Ok(p) if p.is_clean())
    }

    /// The text the command prints: each problem as "line: field: reason", then the
    /// counts and what was done.
    pub fn report(&self, tenant_name: &str) -> Vec<String> {
        let mut out = Vec::new();
        match &self.preview {
            Err(e) => out.push(format!("error: {e}")),
            Ok(p) => {
                out.extend(p.errors.iter().map(|e| e.to_string()));
                out.push(format!(
                    "{} data rows read ({}); {} valid: {} new, {} updated; {} errors",
                    p.data_lines,
                    p.encoding,
                    p.rows.len(),
                    self.counts.new,
                    self.counts.updated,
                    p.errors.len()
                ));
                if !p.ignored_columns.is_empty() {
                    out.push(format!("ignored columns: {}", p.ignored_columns.join(", ")));
                }
            }
        }
        out.push(if self.written {
            format!(
                "imported {}into {tenant_name}: {} new, {} updated",
                self.what, self.counts.new, self.counts.updated
            )
        } else if self.ok() {
            "dry run: nothing written".to_string()
        } else {
            "nothing written: fix the file and run again".to_string()
        });
        out
    }
}

/// The operator's import: the same checks as the console; writes (with an audit entry
/// without a member of staff) only when the file has no problem and `dry_run` is false.
pub async fn import_for_operator(
    db: &Db,
    tenant: &Tenant,
    bytes: &[u8],
    today: Date,
    now: i64,
    dry_run: bool,
) -> Result<OperatorImport, anyhow::Error> {
    let preview = parse_for_tenant(tenant, bytes, today).map_err(anyhow::Error::msg)?;
    let Ok(p) = &preview else {
        return Ok(OperatorImport {
            preview,
            counts: ImportCounts::default(),
            written: false,
            what: "",
        });
    };
    if !p.is_clean() || dry_run {
        let counts = preview_counts(db, tenant.id, &p.rows).await?;
        return Ok(OperatorImport {
            preview,
            counts,
            written: false,
            what: "",
        });
    }
    let tenant_id = tenant.id;
    let rows = &p.rows;
    let counts = db_write!(db, |conn| {
        conn.import_rows_in(tenant_id, None, rows, "(運用コマンド)", now)
            .await
    })?;
    Ok(OperatorImport {
        preview,
        counts,
        written: true,
        what: "",
    })
}
