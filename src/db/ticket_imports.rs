//! Imports of the vaccination ticket list: an upload waits in `notice_imports` with
//! kind `tickets` between its preview and its commit (the notice list's uploads are kind
//! `notices`; neither side ever reads the other's), and the commit writes every ticket or
//! none, with its audit entry, in one transaction.
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use time::Date;

use super::audit::{AuditEntry, AuditWrites};
use super::imports::{
    CommitOutcome, ImportCounts, NoticeImport, PENDING_TTL_SECS, PendingUpload, STATUS_COMMITTED,
    STATUS_PENDING, create_pending_upload, find_of_kind, recent_of_kind,
};
use super::schema::notice_imports;
use super::tenants::Tenant;
use super::tickets::{NewTicket, TicketWrites};
use super::{Conn, Db, DbError};
use crate::core::notice_import::Limits;
use crate::core::ticket_import::{
    TicketFileError, TicketPreview, decode_payload, encode_payload, parse_ticket_file,
};
use crate::{db_read, db_write};

/// `notice_imports.kind` of the ticket list.
pub const KIND_TICKETS: &str = "tickets";
/// The audit action of a ticket import.
pub const AUDIT_ACTION: &str = "import_tickets";

fn counts(total: usize, existing: i64) -> ImportCounts {
    let updated = usize::try_from(existing).unwrap_or(0).min(total);
    ImportCounts {
        new: total - updated,
        updated,
    }
}

/// The audit detail of an import.
pub fn audit_detail(counts: ImportCounts) -> String {
    format!(
        "接種券を取り込みました: 新規{}件・更新{}件",
        counts.new, counts.updated
    )
}

/// The write steps of an import, shared by the console's commit and the operator's command.
pub trait TicketImportWrites: TicketWrites + AuditWrites {
    fn import_tickets_in(
        &mut self,
        tenant_id: i64,
        service_id: i64,
        staff_user_id: Option<i64>,
        rows: &[NewTicket],
        detail_suffix: &str,
        now: i64,
    ) -> impl Future<Output = Result<ImportCounts, DbError>> + Send;
}

crate::impl_for_both_backends!(TicketImportWrites {
    async fn import_tickets_in(
        &mut self,
        tenant_id: i64,
        service_id: i64,
        staff_user_id: Option<i64>,
        rows: &[NewTicket],
        detail_suffix: &str,
        now: i64,
    ) -> Result<ImportCounts, DbError> {
        let numbers: Vec<&str> = rows.iter().map(|r| r.ticket_number.as_str()).collect();
        let existing = self.count_existing_tickets_in(tenant_id, &numbers).await?;
        let counts = counts(rows.len(), existing);
        self.upsert_tickets_in(tenant_id, service_id, rows, now).await?;
        let detail = format!("{}{detail_suffix}", audit_detail(counts));
        self.audit_in(&AuditEntry {
            tenant_id,
            staff_user_id,
            action: AUDIT_ACTION,
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
    rows: &[NewTicket],
) -> Result<ImportCounts, DbError> {
    if rows.is_empty() {
        return Ok(ImportCounts::default());
    }
    let numbers: Vec<&str> = rows.iter().map(|r| r.ticket_number.as_str()).collect();
    let existing = match db.get().await? {
        Conn::Sqlite(mut conn) => conn.count_existing_tickets_in(tenant_id, &numbers).await?,
        Conn::Postgres(mut conn) => conn.count_existing_tickets_in(tenant_id, &numbers).await?,
    };
    Ok(counts(rows.len(), existing))
}

/// Keeps a validated upload until it is committed (see [`super::imports::create_pending_upload`]).
/// Returns the new import's id.
pub async fn create_pending(
    db: &Db,
    tenant_id: i64,
    staff_user_id: Option<i64>,
    encoding: &str,
    file_name: &str,
    rows: &[NewTicket],
    now: i64,
) -> Result<i64, DbError> {
    let upload = PendingUpload {
        kind: KIND_TICKETS,
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

/// The tenant's ticket import with this id (None for another tenant's, or a notice import).
pub async fn find(db: &Db, tenant_id: i64, id: i64) -> Result<Option<NoticeImport>, DbError> {
    find_of_kind(db, KIND_TICKETS, tenant_id, id).await
}

/// The tenant's newest ticket imports.
pub async fn recent(db: &Db, tenant_id: i64, limit: i64) -> Result<Vec<NoticeImport>, DbError> {
    recent_of_kind(db, KIND_TICKETS, tenant_id, limit).await
}

/// Commits a previewed upload: every ticket or none, the audit entry in the same
/// transaction; the claim (`pending` → `committed`) makes two clicks or two instances
/// commit once.
pub async fn commit(
    db: &Db,
    tenant_id: i64,
    service_id: i64,
    id: i64,
    staff_user_id: Option<i64>,
    now: i64,
) -> Result<CommitOutcome, DbError> {
    let stored: Option<(String, i64, String)> = db_read!(db, |conn| {
        Ok(notice_imports::table
            .filter(notice_imports::id.eq(id))
            .filter(notice_imports::tenant_id.eq(tenant_id))
            .filter(notice_imports::kind.eq(KIND_TICKETS))
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
    let rows = decode_payload(&payload).map_err(|e| {
        tracing::error!(import_id = id, error = %e, "unreadable ticket import payload");
        DbError::Conflict("the stored import cannot be read")
    })?;
    drop(payload);
    db_write!(db, |conn| {
        let claimed = diesel::update(
            notice_imports::table
                .filter(notice_imports::id.eq(id))
                .filter(notice_imports::tenant_id.eq(tenant_id))
                .filter(notice_imports::kind.eq(KIND_TICKETS))
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
            .import_tickets_in(tenant_id, service_id, staff_user_id, &rows, "", now)
            .await?;
        // The tickets are in `resident_tickets` now; the copy is not kept.
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

/// Reads a file the way the console does.
pub fn parse(bytes: &[u8], today: Date) -> Result<TicketPreview, TicketFileError> {
    parse_ticket_file(bytes, today, Limits::STANDARD)
}

/// What `madoguchi tickets import` did.
pub type OperatorImport = super::imports::OperatorImport<NewTicket, TicketFileError>;

/// The operator's import: the console's checks; writes (with an audit entry without a
/// member of staff) only when the file has no problem and `dry_run` is false.
pub async fn import_for_operator(
    db: &Db,
    tenant: &Tenant,
    service_id: i64,
    bytes: &[u8],
    today: Date,
    now: i64,
    dry_run: bool,
) -> Result<OperatorImport, DbError> {
    let preview = parse(bytes, today);
    let Ok(p) = &preview else {
        return Ok(OperatorImport {
            preview,
            counts: ImportCounts::default(),
            written: false,
            what: "tickets ",
        });
    };
    if !p.is_clean() || dry_run {
        let counts = preview_counts(db, tenant.id, &p.rows).await?;
        return Ok(OperatorImport {
            preview,
            counts,
            written: false,
            what: "tickets ",
        });
    }
    let tenant_id = tenant.id;
    let rows = &p.rows;
    let counts = db_write!(db, |conn| {
        conn.import_tickets_in(tenant_id, service_id, None, rows, "(運用コマンド)", now)
            .await
    })?;
    Ok(OperatorImport {
        preview,
        counts,
        written: true,
        what: "tickets ",
    })
}
