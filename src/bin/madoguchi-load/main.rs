//! `madoguchi-load`: the opening rush, measured. Starts a private database and the server,
//! creates a municipality with notices, runs an SMTP sink, and plays concurrent residents
//! through the whole booking flow; then reports throughput, latencies per step, errors,
//! the server's peak memory, and what the database says about overselling.
//!
//! `--mode core` measures hold + confirm straight through the library, `--mode pgbench`
//! the database's raw rate for the equivalent transaction (see docs/benchmarks.md).
mod checks;
mod core_mode;
mod pg;
mod report;
mod resident;
mod server;
mod setup;
mod smtp;
mod stats;
mod svg;
mod vaccination;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Parser, ValueEnum};
use madoguchi::db::Db;

use report::RunReport;
use stats::Stats;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DbKind {
    Sqlite,
    Postgres,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Residents through the web pages, mails over SMTP.
    Flow,
    /// Residents through the vaccination pages: terms, ticket login, by date, a time,
    /// 連絡先, confirm.
    Vaccination,
    /// Hold + confirm on a hot set of slots through the library, no HTTP.
    Core,
    /// pgbench with the equivalent transaction (conditional capacity update + insert).
    Pgbench,
}

impl Mode {
    /// The modes whose residents go through the web pages (and get mails).
    pub fn plays_residents(self) -> bool {
        matches!(self, Mode::Flow | Mode::Vaccination)
    }
}

#[derive(Parser, Debug, Clone)]
#[command(
    name = "madoguchi-load",
    about = "Load generator for Madoguchi: residents through the whole booking flow",
    long_about = "Starts its own database (SQLite file or a private PostgreSQL cluster), the \
                  madoguchi server(s) and an SMTP sink, creates a municipality and notices, and \
                  plays concurrent residents from the home page to the completed booking. \
                  Stops by itself after --duration seconds or --count bookings."
)]
pub struct Args {
    /// Database(s): sqlite, postgres, or both (sqlite,postgres) for a sweep.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "sqlite")]
    pub db: Vec<DbKind>,
    #[arg(long, value_enum, default_value = "flow")]
    pub mode: Mode,
    /// App instances on the one database (PostgreSQL for more than one); residents are
    /// spread over them.
    #[arg(long, default_value_t = 1)]
    pub instances: usize,
    /// Concurrent residents (or concurrent clients in core/pgbench mode).
    #[arg(long, default_value_t = 16)]
    pub residents: usize,
    /// Run this many concurrency levels one after the other (fresh database each), e.g.
    /// 16,64,256; overrides --residents.
    #[arg(long, value_delimiter = ',')]
    pub sweep: Vec<usize>,
    /// Seconds to run.
    #[arg(long, default_value_t = 20.0)]
    pub duration: f64,
    /// Stop after this many completed bookings (whichever comes first with --duration).
    #[arg(long)]
    pub count: Option<u64>,
    /// Places per 15-minute slot (parallel clerks).
    #[arg(long, default_value_t = 20)]
    pub clerks: i32,
    /// Notices to create (each can be booked once); 0: enough for the run.
    #[arg(long, default_value_t = 0)]
    pub notices: usize,
    /// Slots in the hot set of core mode and pgbench.
    #[arg(long, default_value_t = 64)]
    pub hot_slots: usize,
    /// Connection pool size of each server instance.
    #[arg(long, default_value_t = 16)]
    pub pool_size: usize,
    /// RUST_LOG for the server (its log goes to a file in the run folder).
    #[arg(long, default_value = "warn")]
    pub server_log: String,
    /// More server settings, KEY=VALUE, e.g. MADOGUCHI__ADMISSION__MAX_ACTIVE=100.
    #[arg(long)]
    pub server_env: Vec<String>,
    /// The madoguchi binary (default: next to this one).
    #[arg(long)]
    pub server_bin: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Write a chart (throughput and p99 against concurrency, per database) as SVG.
    #[arg(long)]
    pub svg: Option<PathBuf>,
    /// Keep the run folder (database file, server logs) and print where it is.
    #[arg(long)]
    pub keep: bool,
    /// Seconds a resident waits for the verification mail before it counts as an error.
    #[arg(long, default_value_t = 30)]
    pub mail_timeout: u64,
    /// Exit non-zero when any error, oversold slot or double booking was seen.
    #[arg(long)]
    pub strict: bool,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match runtime.block_on(run_all(args)) {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => std::process::ExitCode::from(2),
        Err(e) => {
            eprintln!("madoguchi-load: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Runs every (database, concurrency) asked for; true when all were clean (or not strict).
async fn run_all(args: Args) -> anyhow::Result<bool> {
    if args.instances == 0 {
        bail!("--instances must be at least 1");
    }
    if args.instances > 1
        && args.db.contains(&DbKind::Sqlite)
        && matches!(args.mode, Mode::Flow | Mode::Vaccination)
    {
        bail!("several instances need PostgreSQL (--db postgres): SQLite is one process's file");
    }
    let levels = if args.sweep.is_empty() {
        vec![args.residents]
    } else {
        args.sweep.clone()
    };
    let machine = report::Machine::now();
    let needs_pg = args.db.contains(&DbKind::Postgres) || args.mode == Mode::Pgbench;
    let max_conn =
        (args.instances * args.pool_size + levels.iter().max().unwrap_or(&16) + 40).max(100);
    let cluster = if needs_pg {
        Some(pg::Cluster::start(max_conn).context("starting a private PostgreSQL cluster")?)
    } else {
        None
    };
    let mut reports = Vec::new();
    let mut run_no = 0;
    for db in &args.db {
        for &residents in &levels {
            run_no += 1;
            let report = match args.mode {
                Mode::Flow | Mode::Vaccination => {
                    run_flow(&args, *db, residents, cluster.as_ref(), run_no).await?
                }
                Mode::Core => {
                    core_mode::run_core(&args, *db, residents, cluster.as_ref(), run_no).await?
                }
                Mode::Pgbench => {
                    let cluster = cluster.as_ref().context("pgbench needs PostgreSQL")?;
                    core_mode::run_pgbench(&args, residents, cluster, run_no).await?
                }
            };
            if !args.json {
                println!("{}", report.text(&machine));
            }
            reports.push(report);
        }
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report::JsonOut {
                machine: &machine,
                runs: &reports
            })?
        );
    }
    if let Some(path) = &args.svg {
        std::fs::write(path, svg::chart(&reports, &machine))
            .with_context(|| format!("writing {}", path.display()))?;
        eprintln!("chart written to {}", path.display());
    }
    let clean = reports.iter().all(RunReport::clean);
    Ok(clean || !args.strict)
}

/// A folder for one run's database and logs.
pub fn run_dir(run_no: usize) -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("madoguchi-load-{}-{run_no}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// The database for one run: a fresh SQLite file or a fresh PostgreSQL database.
pub async fn database_url(
    db: DbKind,
    cluster: Option<&pg::Cluster>,
    dir: &std::path::Path,
    run_no: usize,
) -> anyhow::Result<String> {
    Ok(match db {
        DbKind::Sqlite => format!("sqlite://{}", dir.join("load.sqlite3").display()),
        DbKind::Postgres => {
            cluster
                .context("no PostgreSQL cluster")?
                .create_database(&format!("load{run_no}"))
                .await?
        }
    })
}

async fn run_flow(
    args: &Args,
    db_kind: DbKind,
    residents: usize,
    cluster: Option<&pg::Cluster>,
    run_no: usize,
) -> anyhow::Result<RunReport> {
    let dir = run_dir(run_no)?;
    let url = database_url(db_kind, cluster, &dir, run_no).await?;
    // Enough notices for the fastest rate we expect, with room: each is booked once.
    let notice_count = if args.notices > 0 {
        args.notices
    } else {
        let by_time = (args.duration * 1500.0) as usize;
        let by_count = args.count.map_or(0, |c| c as usize + residents * 2);
        by_time
            .min(args.count.map_or(usize::MAX, |_| by_count))
            .max(residents * 4)
    };
    eprintln!(
        "run {run_no}: {db_kind:?}, {residents} residents, {} instance(s): creating {notice_count} notices…",
        args.instances
    );
    let db = Db::connect(&url, 4)
        .await
        .context("creating the database")?;
    let vaccination = args.mode == Mode::Vaccination;
    // Vaccination mode books with tickets: the card-pickup notices are not needed.
    let fixture =
        setup::create(&db, args.clerks, if vaccination { 0 } else { notice_count }).await?;
    let tickets = if vaccination {
        setup::create_vaccination(&db, fixture.tenant_id, args.clerks, notice_count)
            .await?
            .tickets
    } else {
        Vec::new()
    };

    let sink = Arc::new(smtp::Sink::default());
    // The link each mode's residents wait for: card pickup's 申込 link, or the address
    // check of vaccination's 連絡先.
    let link_marker = if vaccination {
        format!("/t/{}/vaccination/verify/", setup::SLUG)
    } else {
        format!("/t/{}/apply/", setup::SLUG)
    };
    let smtp_port = smtp::start(sink.clone(), link_marker).await?;
    let binary = match &args.server_bin {
        Some(b) => b.clone(),
        None => server::default_binary()?,
    };
    let mut instances = Vec::new();
    for n in 0..args.instances {
        let log_file = dir.join(format!("server{n}.log"));
        let mut instance = server::start(&server::Options {
            binary: &binary,
            database_url: &url,
            smtp_port,
            pool_size: args.pool_size,
            log_filter: &args.server_log,
            log_file: log_file.clone(),
            extra_env: &args.server_env,
        })?;
        instance.wait_ready(&log_file).await?;
        instances.push(instance);
    }
    let pids: Vec<u32> = instances.iter().map(server::Instance::pid).collect();
    eprintln!(
        "run {run_no}: server pid(s) {pids:?} ready; running for {}s…",
        args.duration
    );

    let started = Instant::now();
    let shared = Arc::new(resident::Shared {
        bases: instances.iter().map(|i| i.base.clone()).collect(),
        slug: setup::SLUG.to_string(),
        counter_id: fixture.counter_id,
        notices: Arc::new(fixture.notices),
        tickets: Arc::new(tickets),
        next: AtomicUsize::new(0),
        sink: sink.clone(),
        deadline: started + Duration::from_secs_f64(args.duration),
        target: args.count,
        completed: AtomicU64::new(0),
        stop: AtomicBool::new(false),
        mail_timeout: Duration::from_secs(args.mail_timeout),
    });
    let load_before = report::loadavg();
    let cpu_before: Vec<Option<u64>> = pids.iter().map(|&p| report::cpu_ticks(p)).collect();
    let sample_before = report::CpuSample::now();
    let workers: Vec<_> = (0..residents)
        .map(|_| tokio::spawn(resident::worker(shared.clone())))
        .collect();
    let mut stats = Stats::default();
    for w in workers {
        stats.merge(w.await.context("a resident task panicked")?);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu_after: Vec<Option<u64>> = pids.iter().map(|&p| report::cpu_ticks(p)).collect();
    let cpu = report::CpuSample::now().since(&sample_before);
    let load_after = report::loadavg();

    // The completion mails are sent after the booking: wait for them (bounded).
    let drain_started = Instant::now();
    while sink.completion_mails.load(Ordering::Relaxed) < stats.completed
        && drain_started.elapsed() < Duration::from_secs(30)
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let peak_rss_kb: Vec<Option<u64>> = instances.iter().map(|i| i.peak_rss_kb()).collect();
    let mut exit_codes = Vec::new();
    for instance in &mut instances {
        exit_codes.push(instance.stop()?);
    }
    let checks = checks::run(&db).await?;
    let server_cpu_secs = cpu_before
        .iter()
        .zip(&cpu_after)
        .map(|(a, b)| match (a, b) {
            (Some(a), Some(b)) => Some((b - a) as f64 / report::ticks_per_sec()),
            _ => None,
        })
        .collect();
    let report = RunReport::from_flow(report::FlowInputs {
        mode: args.mode,
        db: db_kind,
        instances: args.instances,
        residents,
        elapsed,
        stats,
        checks,
        peak_rss_kb,
        server_cpu_secs,
        cpu,
        exit_codes,
        verification_mails: sink.verification_mails.load(Ordering::Relaxed),
        completion_mails: sink.completion_mails.load(Ordering::Relaxed),
        unreadable_mails: sink.unreadable.load(Ordering::Relaxed),
        load_before,
        load_after,
        clerks: args.clerks,
        server_log: args.server_log.clone(),
        server_env: args.server_env.clone(),
    });
    drop(db);
    if args.keep {
        eprintln!("run {run_no}: kept {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(report)
}
