//! The core alone: hold + confirm on a hot set of slots straight through the library's
//! storage functions (no HTTP, no templates, no sessions), and pgbench running the
//! database's own idea of the same write (a conditional capacity update and an insert per
//! transaction) against the same cluster, for comparison.
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use madoguchi::core::receipt;
use madoguchi::db::bookings::{self, Confirmed, NewBooking, NewPerson};
use madoguchi::db::holds::{self, NewHold};
use madoguchi::db::{Db, notices};
use madoguchi::mail::OutgoingMail;
use madoguchi::secrets::{Secrets, random_digits, random_token};

use crate::report::{self, RunReport};
use crate::stats::Stats;
use crate::{Args, DbKind, Mode, pg, setup};

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// The first `n` slots in time: where an opening rush lands.
async fn hot_slots(db: &Db, n: usize) -> anyhow::Result<Vec<i64>> {
    let sql = format!("SELECT id FROM slots ORDER BY day, start_min LIMIT {n}");
    let ids: Vec<Id> = madoguchi::db_read!(db, |conn| {
        Ok(diesel::sql_query(sql.as_str()).load(conn).await?)
    })?;
    if ids.is_empty() {
        bail!("no slots were materialised");
    }
    Ok(ids.into_iter().map(|i| i.id).collect())
}

/// Places per slot in core mode: enough that the hot set does not fill during the run (a
/// full slot measures a refusal, not a booking).
const CORE_CAPACITY: i32 = 20_000;

struct CoreShared {
    db: Db,
    tenant_id: i64,
    service_id: i64,
    counter_id: i64,
    slots: Vec<i64>,
    notice_ids: Vec<i64>,
    next: AtomicUsize,
    deadline: Instant,
    secrets: Secrets,
    mail_text: String,
}

pub async fn run_core(
    args: &Args,
    db_kind: DbKind,
    clients: usize,
    cluster: Option<&pg::Cluster>,
    run_no: usize,
) -> anyhow::Result<RunReport> {
    let dir = crate::run_dir(run_no)?;
    let url = crate::database_url(db_kind, cluster, &dir, run_no).await?;
    let notice_count = if args.notices > 0 {
        args.notices
    } else {
        (args.duration * 4000.0) as usize
    };
    eprintln!("run {run_no}: core mode on {db_kind:?}, {clients} clients, {notice_count} notices…");
    let setup_db = Db::connect(&url, 4).await?;
    let fixture = setup::create(&setup_db, CORE_CAPACITY, notice_count).await?;
    let slots = hot_slots(&setup_db, args.hot_slots).await?;
    let notice_ids: Vec<i64> = notices::list(&setup_db, fixture.tenant_id, notice_count as i64)
        .await?
        .into_iter()
        .map(|n| n.id)
        .collect();
    drop(setup_db);
    // As the server would have it: one pool, as many connections as it is configured with.
    let db = Db::connect(&url, args.pool_size).await?;
    let load_before = report::loadavg();
    let started = Instant::now();
    let shared = Arc::new(CoreShared {
        db: db.clone(),
        tenant_id: fixture.tenant_id,
        service_id: fixture.service_id,
        counter_id: fixture.counter_id,
        slots,
        notice_ids,
        next: AtomicUsize::new(0),
        deadline: started + Duration::from_secs_f64(args.duration),
        secrets: Secrets::new(&format!("{:032x}", rand::random::<u128>())),
        // About the size of the real completion mail, which is queued in the same
        // transaction.
        mail_text: "予約完了通知メール 受付番号 パスワード 窓口 日時 持ち物 ".repeat(20),
    });
    let tasks: Vec<_> = (0..clients)
        .map(|_| tokio::spawn(core_worker(shared.clone())))
        .collect();
    let mut stats = Stats::default();
    for t in tasks {
        stats.merge(t.await?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let load_after = report::loadavg();
    let checks = crate::checks::run(&db).await?;
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(RunReport {
        mode: Mode::Core,
        db: db_kind,
        instances: 0,
        concurrency: clients,
        elapsed_secs: elapsed,
        completed: stats.completed,
        completed_per_sec: stats.completed as f64 / elapsed,
        requests: stats.requests,
        requests_per_sec: stats.requests as f64 / elapsed,
        steps: stats.summaries(),
        worst_p99_ms: stats.worst_p99_ms(),
        error_count: stats.error_count(),
        errors: stats.errors.clone(),
        server_5xx: 0,
        hold_taken_retries: stats.hold_taken,
        waiting_pages: 0,
        waiting_secs: 0.0,
        peak_rss_mb: vec![],
        server_cpu_secs: vec![],
        cpu: None,
        server_exit_codes: vec![],
        verification_mails: 0,
        completion_mails: 0,
        unreadable_mails: 0,
        checks: Some(checks),
        load_before,
        load_after,
        clerks: CORE_CAPACITY,
        server_log: String::new(),
        server_env: vec![],
        notes: vec![format!(
            "hot set: {} slots x {} places; pool size {}",
            shared.slots.len(),
            CORE_CAPACITY,
            args.pool_size
        )],
    })
}

async fn core_worker(s: Arc<CoreShared>) -> Stats {
    let mut stats = Stats::default();
    while Instant::now() < s.deadline {
        let i = s.next.fetch_add(1, Ordering::Relaxed);
        let Some(&notice_id) = s.notice_ids.get(i) else {
            stats.error("notices used up (raise --notices)");
            break;
        };
        let slot = s.slots[rand::random_range(0..s.slots.len())];
        match core_once(&s, slot, notice_id, &mut stats).await {
            Ok(true) => stats.completed += 1,
            Ok(false) => stats.hold_taken += 1,
            Err(e) => stats.error(e),
        }
    }
    stats
}

/// One hold and its confirmation, as the web handlers call them. Ok(false): the slot was
/// full.
async fn core_once(
    s: &CoreShared,
    slot: i64,
    notice_id: i64,
    stats: &mut Stats,
) -> Result<bool, String> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let t = Instant::now();
    stats.requests += 1;
    let hold = holds::place(
        &s.db,
        &NewHold {
            tenant_id: s.tenant_id,
            counter_id: s.counter_id,
            slot_ids: &[slot],
            replaces: None,
            now,
            expires_at: now + 600,
        },
    )
    .await
    .map_err(|e| format!("hold: {}", kind(&e)))?;
    stats.record("hold_core", t.elapsed().as_micros());
    let Some(hold_id) = hold else {
        return Ok(false);
    };
    let receipt_number = random_digits(receipt::RECEIPT_DIGITS);
    let password = random_token(receipt::PASSWORD_BYTES);
    let password_hash = s.secrets.keyed_hash(
        "receipt-password",
        &format!("{}:{receipt_number}:{password}", s.tenant_id),
    );
    let key = random_token(16);
    let people = [NewPerson {
        notice_id: Some(notice_id),
        name: "負荷 太郎".into(),
        kana: "フカ タロウ".into(),
        phone: "09012345678".into(),
        answers: Vec::new(),
    }];
    let mail = OutgoingMail {
        to: format!("core{notice_id}@example.jp"),
        subject: "【予約完了通知メール】".into(),
        text: s.mail_text.clone(),
        html: None,
        ics: None,
        inline_png: None,
    };
    let t = Instant::now();
    stats.requests += 1;
    let outcome = bookings::confirm(
        &s.db,
        &NewBooking {
            tenant_id: s.tenant_id,
            service_id: s.service_id,
            counter_id: s.counter_id,
            hold_id,
            receipt_number: &receipt_number,
            password_hash: &password_hash,
            email: Some(&mail.to),
            email2: None,
            idempotency_key: &key,
            people: &people,
            source: "web",
            lang: "ja",
            now,
            by_staff: None,
            ticket: None,
            waitlist: None,
        },
        std::slice::from_ref(&mail),
    )
    .await
    .map_err(|e| format!("confirm: {}", kind(&e)))?;
    stats.record("confirm_core", t.elapsed().as_micros());
    match outcome {
        Confirmed::Booked(_) => Ok(true),
        other => Err(format!("confirm: {other:?}")),
    }
}

/// An error's kind without its details (which may quote values).
fn kind(e: &madoguchi::db::DbError) -> String {
    use madoguchi::db::DbError;
    match e {
        DbError::Query(diesel::result::Error::DatabaseError(k, _)) => format!("database {k:?}"),
        DbError::Query(_) => "query".into(),
        DbError::Pool(_) => "no connection (pool wait timed out)".into(),
        DbError::Migration(_) => "migration".into(),
        DbError::Conflict(c) => format!("refused: {c}"),
        DbError::Url(_) => "url".into(),
    }
}

/// pgbench on the same cluster with the equivalent write: per transaction, take a place in
/// one of the hot slots with the same conditional update the app uses, and insert a row.
pub async fn run_pgbench(
    args: &Args,
    clients: usize,
    cluster: &pg::Cluster,
    run_no: usize,
) -> anyhow::Result<RunReport> {
    let name = format!("load{run_no}");
    let url = cluster.create_database(&name).await?;
    eprintln!("run {run_no}: pgbench, {clients} clients…");
    let db = Db::connect(&url, 2).await?;
    setup::create(&db, CORE_CAPACITY, 10).await?;
    let slots = hot_slots(&db, args.hot_slots).await?;
    madoguchi::db_read!(&db, |conn| {
        diesel::sql_query(
            "CREATE TABLE bench_bookings (id BIGSERIAL PRIMARY KEY, slot_id BIGINT NOT NULL \
             REFERENCES slots(id), created_at BIGINT NOT NULL)",
        )
        .execute(conn)
        .await?;
        Ok(())
    })?;
    let (first, last) = (slots[0], *slots.last().unwrap_or(&slots[0]));
    let script = cluster.scratch().join(format!("bench{run_no}.sql"));
    std::fs::write(
        &script,
        format!(
            "\\set sid random({first}, {last})\n\
             BEGIN;\n\
             UPDATE slots SET taken = taken + 1 WHERE id = :sid AND taken < capacity;\n\
             INSERT INTO bench_bookings (slot_id, created_at) VALUES (:sid, 0);\n\
             END;\n"
        ),
    )?;
    cluster.chown(&script);
    let load_before = report::loadavg();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let out = cluster
        .tool("pgbench")?
        .args(["-n", "-h", "127.0.0.1", "-U", "postgres"])
        .arg("-p")
        .arg(cluster.port.to_string())
        .arg("-c")
        .arg(clients.to_string())
        .arg("-j")
        .arg(threads.min(clients).to_string())
        .arg("-T")
        .arg(format!("{}", args.duration.ceil() as u64))
        .arg("-f")
        .arg(&script)
        .arg(&name)
        .output()
        .context("running pgbench")?;
    let load_after = report::loadavg();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    if !out.status.success() {
        bail!(
            "pgbench failed: {}\n{stdout}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let find = |prefix: &str| -> Option<String> {
        stdout
            .lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .map(|l| l.trim().to_string())
    };
    let tps: f64 = find("tps =")
        .and_then(|l| l.split_whitespace().nth(2).and_then(|v| v.parse().ok()))
        .context("no tps in pgbench's output")?;
    let processed: u64 = find("number of transactions actually processed:")
        .and_then(|l| l.rsplit(' ').next().and_then(|v| v.parse().ok()))
        .unwrap_or(0);
    let latency = find("latency average").unwrap_or_default();
    let failed = find("number of failed transactions").unwrap_or_default();
    let mut errors = BTreeMap::new();
    if let Some(n) = failed
        .split(':')
        .nth(1)
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|&n| n > 0)
    {
        errors.insert("pgbench failed transactions".to_string(), n);
    }
    // The app's checks do not apply: pgbench's rows are not bookings (its places have no
    // hold or booking behind them), and the CHECK constraint keeps taken <= capacity.
    Ok(RunReport {
        mode: Mode::Pgbench,
        db: DbKind::Postgres,
        instances: 0,
        concurrency: clients,
        elapsed_secs: args.duration.ceil(),
        completed: processed,
        completed_per_sec: tps,
        requests: processed,
        requests_per_sec: tps,
        steps: vec![],
        worst_p99_ms: 0.0,
        error_count: errors.values().sum(),
        errors,
        server_5xx: 0,
        hold_taken_retries: 0,
        waiting_pages: 0,
        waiting_secs: 0.0,
        peak_rss_mb: vec![],
        server_cpu_secs: vec![],
        cpu: None,
        server_exit_codes: vec![],
        verification_mails: 0,
        completion_mails: 0,
        unreadable_mails: 0,
        checks: None,
        load_before,
        load_after,
        clerks: CORE_CAPACITY,
        server_log: String::new(),
        server_env: vec![],
        notes: vec![
            format!("pgbench: {}", find("tps =").unwrap_or_default()),
            format!("pgbench: {latency}"),
            format!("hot set: {} slots (ids {first}..={last})", slots.len()),
        ],
    })
}
