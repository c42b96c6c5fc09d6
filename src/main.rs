//! The `madoguchi` command: the server and the operator's subcommands.
use std::io::BufRead;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use madoguchi::app::Clock;
use madoguchi::config::Settings;
use madoguchi::db::tenants::{self, Role};
use madoguchi::db::{Db, imports, slots, ticket_imports};
use madoguchi::{demo, secrets, server};

// A page is built from many short-lived strings and JSON values; mimalloc's thread-local
// free lists cut what glibc malloc cost under load (about 15 % of the server's CPU in the
// profile, see docs/benchmarks.md "Where the time goes").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "madoguchi",
    version,
    about = "窓口予約: appointment booking for municipal counters",
    long_about = "Madoguchi serves residents booking a counter visit (My Number card pickup) and \
                  the staff who run the counters.\n\nSettings come from config/default.toml, the \
                  file named by MADOGUCHI_CONFIG, and MADOGUCHI__SECTION__KEY variables."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default when no subcommand is given).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage municipalities.
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// Manage staff accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Create the demo municipality (デモ市) with sample notices, unless it exists.
    Demo,
    /// Bring every municipality's slots up to date with its opening hours now
    /// (the server also does this every hour).
    Materialise,
    /// Manage issued notices (交付対象者).
    Notices {
        #[command(subcommand)]
        command: NoticesCommand,
    },
    /// Manage vaccination tickets (接種券).
    Tickets {
        #[command(subcommand)]
        command: TicketsCommand,
    },
    /// Erase personal data past retention now: bookings visited `retention.days_after_visit`
    /// days ago or earlier are anonymised (the rows stay for statistics), expired
    /// verification links, holds and sessions are deleted. The server does this hourly;
    /// running it again, or on several instances, does no harm.
    Purge,
    /// Take a consistent backup of the SQLite database into a new file while the server
    /// runs (SQLite's VACUUM INTO). Never overwrites a file. For PostgreSQL it prints the
    /// pg_dump command to use instead.
    Backup {
        /// The backup file to create.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Restore a SQLite backup as the database named by database.url. The backup is checked
    /// first (a Madoguchi database, intact, not from a newer version), and the database
    /// path must not exist yet: stop the server and move the old database away first.
    Restore {
        /// The backup file.
        #[arg(long)]
        from: std::path::PathBuf,
        /// Required: restoring is meant.
        #[arg(long)]
        confirm: bool,
    },
}

#[derive(Subcommand)]
enum NoticesCommand {
    /// Import the issued-notice list from a CSV file (UTF-8 or Shift_JIS/CP932), with the
    /// same checks as the staff console. Every problem is printed as "line: column: reason";
    /// nothing is written unless the whole file is valid. A notice whose number 2 is already
    /// there is updated. Exits non-zero when the file has problems.
    Import {
        /// The municipality's slug.
        #[arg(long)]
        tenant: String,
        /// The CSV file.
        file: std::path::PathBuf,
        /// Check and report only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum TicketsCommand {
    /// Import the vaccination ticket list (接種券) from a CSV file (UTF-8 or Shift_JIS/CP932)
    /// with the same checks as the staff console. Columns: 接種券番号 (or 券番号), 生年月日,
    /// 接種回 (or 接種回数), and optionally 前回接種日, 氏名, フリガナ, in any order. Every
    /// problem is printed as "line: column: reason"; nothing is written unless the whole
    /// file is valid. A ticket whose number is already there is updated. Exits non-zero
    /// when the file has problems or the municipality does not offer vaccination booking.
    Import {
        /// The municipality's slug.
        #[arg(long)]
        tenant: String,
        /// The CSV file.
        file: std::path::PathBuf,
        /// Check and report only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Add a municipality; it is served at /t/SLUG/.
    Add {
        /// Short name used in URLs: lower-case letters, digits and hyphens.
        #[arg(long)]
        slug: String,
        /// Display name, e.g. 横浜市.
        #[arg(long)]
        name: String,
        /// Offer vaccination booking (ワクチン接種予約) too, with the default rules; its
        /// venues, tickets and wording are set on the console.
        #[arg(long)]
        vaccination: bool,
    },
    /// List municipalities.
    List,
    /// Delete a municipality and everything that belongs to it (bookings, notices, staff,
    /// the audit log, queued mail), all in one transaction. For taking the demo municipality
    /// or a trial installation off a production database. Cannot be undone: take a backup.
    Remove {
        #[arg(long)]
        slug: String,
        /// The slug once more, to show this is meant.
        #[arg(long)]
        confirm: String,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Add a staff account. The password is read from MADOGUCHI_STAFF_PASSWORD or, if that
    /// is unset, from the first line of standard input.
    Add {
        /// The municipality's slug.
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        login: String,
        /// Name shown in the console and the audit log.
        #[arg(long)]
        name: String,
        /// clerk or admin.
        #[arg(long, default_value = "clerk")]
        role: String,
    },
}

fn main() -> std::process::ExitCode {
    match start() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // The whole chain of causes, without a backtrace: this is read by operators.
            eprintln!("madoguchi: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn start() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        // Colours for a person at a terminal; none in a log file or the journal.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into())
                // The PostgreSQL driver logs every statement's parameters at debug level:
                // names, numbers and mail addresses. Never below info, whatever RUST_LOG says.
                .add_directive(
                    "tokio_postgres=info"
                        .parse()
                        .expect("a valid log directive"),
                ),
        )
        .init();
    let cli = Cli::parse();
    let settings = Settings::load().context("reading settings")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(cli.command.unwrap_or(Command::Serve), settings))
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    let clock = Clock::System;
    match &command {
        Command::Serve => return server::serve(settings).await,
        // Before connecting: connecting runs migrations, and would create the file a
        // restore must find absent.
        Command::Backup { to } => {
            let url = &settings.database.url;
            if madoguchi::db::sqlite_path(url).is_none() {
                bail!("{}", madoguchi::backup::postgres_instructions(url, to));
            }
            let checked = madoguchi::backup::backup_sqlite(url, to).await?;
            println!(
                "backup written to {} ({} bytes, {} municipalities, {} bookings), checked",
                to.display(),
                checked.bytes,
                checked.tenants,
                checked.bookings
            );
            return Ok(());
        }
        Command::Restore { from, confirm } => {
            let url = &settings.database.url;
            if madoguchi::db::sqlite_path(url).is_none() {
                bail!(
                    "{}",
                    madoguchi::backup::postgres_instructions(url, std::path::Path::new("FILE"))
                );
            }
            if !confirm {
                bail!(
                    "add --confirm to restore {}; nothing was restored",
                    from.display()
                );
            }
            let checked = madoguchi::backup::restore_sqlite(url, from).await?;
            println!(
                "restored {} to {} ({} municipalities, {} bookings), checked",
                from.display(),
                url,
                checked.tenants,
                checked.bookings
            );
            return Ok(());
        }
        _ => {}
    }
    let db = Db::connect(&settings.database.url, 2)
        .await
        .context("opening the database")?;
    match command {
        Command::Serve | Command::Backup { .. } | Command::Restore { .. } => {
            unreachable!("handled above")
        }
        Command::Purge => {
            let report = madoguchi::db::retention::purge(
                &db,
                clock.today(),
                clock.now_unix(),
                settings.retention.days_after_visit,
            )
            .await?;
            println!(
                "anonymised {} bookings (visit day {} or more days ago); deleted {} old mails, {} \
                 expired verification links, {} holds, {} sessions",
                report.bookings_anonymised,
                settings.retention.days_after_visit.max(1),
                report.mails_deleted,
                report.verifications_deleted,
                report.holds_deleted,
                report.sessions_deleted
            );
        }
        Command::Migrate => println!("migrations are up to date"),
        Command::Tenant {
            command:
                TenantCommand::Add {
                    slug,
                    name,
                    vaccination,
                },
        } => {
            if slug.is_empty()
                || !slug
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                bail!("slug must be lower-case letters, digits and hyphens");
            }
            let id = tenants::create_tenant(&db, &slug, &name, clock.now_unix()).await?;
            if vaccination {
                madoguchi::db::vaccination::offer(&db, id, clock.now_unix()).await?;
            }
            println!("added {name} (id {id}), served at /t/{slug}/");
            if vaccination {
                println!("vaccination booking at /t/{slug}/vaccination/");
            }
        }
        Command::Tenant {
            command: TenantCommand::Remove { slug, confirm },
        } => {
            if slug != confirm {
                bail!("--confirm must repeat the slug ({slug}) exactly; nothing was deleted");
            }
            let tenant = tenants::find_by_slug(&db, &slug)
                .await?
                .with_context(|| format!("no municipality with slug {slug}"))?;
            let rows = tenants::remove_tenant(&db, tenant.id).await?;
            println!("removed {} ({rows} rows)", tenant.name);
        }
        Command::Tenant {
            command: TenantCommand::List,
        } => {
            for t in tenants::list(&db).await? {
                let services = madoguchi::db::vaccination::offered_services(&db, t.id).await?;
                let kinds: Vec<&str> = services.iter().map(|(kind, _)| kind.as_str()).collect();
                println!("{}\t{}\t{}", t.slug, t.name, kinds.join(","));
            }
        }
        Command::Staff {
            command:
                StaffCommand::Add {
                    tenant,
                    login,
                    name,
                    role,
                },
        } => {
            let role = Role::parse(&role).context("role must be clerk or admin")?;
            let tenant = tenants::find_by_slug(&db, &tenant)
                .await?
                .with_context(|| format!("no municipality with slug {tenant}"))?;
            let password = match std::env::var("MADOGUCHI_STAFF_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    eprintln!("password (one line):");
                    let mut line = String::new();
                    std::io::stdin().lock().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            if password.chars().count() < 12 {
                bail!("the password must be at least 12 characters");
            }
            let hash = secrets::hash_password(&password);
            tenants::add_staff(&db, tenant.id, &login, &name, &hash, role, clock.now_unix())
                .await?;
            println!("added {} {login} to {}", role.as_str(), tenant.name);
        }
        Command::Demo => {
            if settings.mode == madoguchi::config::Mode::Production {
                bail!(
                    "refusing to create the demo municipality in production mode: its admin \
                     password and sample notices are published"
                );
            }
            if demo::ensure(&db, clock.today(), clock.now_unix()).await? {
                println!("created {} at /t/{}/", demo::NAME, demo::SLUG);
            } else {
                println!("{} already exists", demo::NAME);
            }
        }
        Command::Notices {
            command:
                NoticesCommand::Import {
                    tenant,
                    file,
                    dry_run,
                },
        } => {
            let tenant = tenants::find_by_slug(&db, &tenant)
                .await?
                .with_context(|| format!("no municipality with slug {tenant}"))?;
            let bytes = read_list_file(&file)?;
            let outcome = imports::import_for_operator(
                &db,
                &tenant,
                &bytes,
                clock.today(),
                clock.now_unix(),
                dry_run,
            )
            .await?;
            for line in outcome.report(&tenant.name) {
                println!("{line}");
            }
            if !outcome.ok() {
                bail!("{} was not imported", file.display());
            }
        }
        Command::Tickets {
            command:
                TicketsCommand::Import {
                    tenant,
                    file,
                    dry_run,
                },
        } => {
            let tenant = tenants::find_by_slug(&db, &tenant)
                .await?
                .with_context(|| format!("no municipality with slug {tenant}"))?;
            let service = madoguchi::db::vaccination::settings(&db, tenant.id)
                .await?
                .with_context(|| format!("{} does not offer vaccination booking", tenant.name))?;
            let bytes = read_list_file(&file)?;
            let outcome = ticket_imports::import_for_operator(
                &db,
                &tenant,
                service.service_id,
                &bytes,
                clock.today(),
                clock.now_unix(),
                dry_run,
            )
            .await?;
            for line in outcome.report(&tenant.name) {
                println!("{line}");
            }
            if !outcome.ok() {
                bail!("{} was not imported", file.display());
            }
        }
        Command::Materialise => {
            for tenant in tenants::list(&db).await? {
                let report = slots::materialise(&db, tenant.id, clock.today()).await?;
                println!(
                    "{}: created {}, capacity changed {}, deleted {}, not applied {}",
                    tenant.slug,
                    report.created,
                    report.capacity_changed,
                    report.deleted,
                    report.conflicts.len()
                );
                for c in &report.conflicts {
                    println!("  not applied: {c:?}");
                }
            }
        }
    }
    Ok(())
}

/// Reads an imported list, its size checked before it is read.
fn read_list_file(file: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    let size = std::fs::metadata(file)
        .with_context(|| format!("reading {}", file.display()))?
        .len();
    let max = madoguchi::core::notice_import::MAX_FILE_BYTES;
    if size > max as u64 {
        bail!(
            "{}",
            madoguchi::core::notice_import::FileError::TooLarge {
                bytes: usize::try_from(size).unwrap_or(usize::MAX),
                max
            }
        );
    }
    std::fs::read(file).with_context(|| format!("reading {}", file.display()))
}
