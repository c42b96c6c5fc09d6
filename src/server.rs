//! Starting the server: database, demo data, background jobs, and graceful shutdown.
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use crate::app::{App, AppState, Clock};
use crate::config::Settings;
use crate::db::{Db, slots, tenants};
use crate::demo;

/// Connects (running migrations) and, when demo data is on, creates the demo municipality.
pub async fn build_app(settings: Settings, clock: Clock) -> anyhow::Result<AppState> {
    let db = Db::connect(&settings.database.url, settings.database.pool_size)
        .await
        .context("opening the database")?;
    if settings.demo.enabled && demo::ensure(&db, clock.today(), clock.now_unix()).await? {
        tracing::info!("created the demo municipality ({})", demo::NAME);
    }
    let app = App::new(settings, db, clock).context("loading templates and mail settings")?;
    Ok(Arc::new(app))
}

/// Serves until SIGTERM or Ctrl-C, then lets requests in flight finish.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let problems = settings.production_problems();
    if !problems.is_empty() {
        anyhow::bail!(
            "refusing to start in production mode:\n  - {}",
            problems.join("\n  - ")
        );
    }
    let bind = settings.server.bind.clone();
    let production = settings.mode == crate::config::Mode::Production;
    let app = build_app(settings, Clock::System).await?;
    if production && tenants::find_by_slug(&app.db, demo::SLUG).await?.is_some() {
        anyhow::bail!(
            "refusing to start in production mode: the database holds the demo municipality \
             (/t/{slug}/), whose admin password and sample notices are published; remove it with \
             `madoguchi tenant remove --slug {slug} --confirm {slug}`",
            slug = demo::SLUG
        );
    }
    warn_if_holidays_run_out(&app).await?;
    let jobs = tokio::spawn(run_background_jobs(app.clone()));
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .with_context(|| format!("binding {bind}"))?;
    tracing::info!("serving on http://{bind}/");
    // With the peer's address on every request: limits count per client.
    axum::serve(
        listener,
        crate::web::router(app).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    jobs.abort();
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Japanese holidays are shipped as data; past its last day every day would count as an
/// ordinary working day. Say so while there is time to update.
async fn warn_if_holidays_run_out(app: &App) -> anyhow::Result<()> {
    let widest = tenants::list(&app.db)
        .await?
        .iter()
        .map(|t| t.booking_window_days)
        .max()
        .unwrap_or(0);
    let horizon = app
        .clock
        .today()
        .saturating_add(time::Duration::days(widest.max(0).into()));
    let last = crate::core::holidays::covered_until();
    if horizon > last {
        tracing::warn!(
            %last,
            "the national holiday list ends before a booking window does: update Madoguchi \
             (src/core/holidays_jp.csv), or holidays after that day are open days"
        );
    }
    Ok(())
}

/// Periodic work. Every job is safe to run on several instances at once (idempotent or
/// guarded in the database).
pub async fn run_background_jobs(app: AppState) {
    let mut materialise = tokio::time::interval(Duration::from_secs(3600));
    let mut holds = tokio::time::interval(Duration::from_secs(20));
    let mut mail = tokio::time::interval(Duration::from_secs(15));
    let mut retention = tokio::time::interval(Duration::from_secs(3600));
    let mut reminders = tokio::time::interval(Duration::from_secs(60));
    loop {
        tokio::select! {
            _ = materialise.tick() => {
                if let Err(e) = materialise_all(&app).await {
                    tracing::warn!(error = %e, "slot materialisation failed; will retry");
                }
            }
            _ = holds.tick() => {
                match crate::db::holds::release_expired(&app.db, app.clock.now_unix()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(released = n, "expired holds released"),
                    Err(e) => tracing::warn!(error = %e, "releasing expired holds failed"),
                }
            }
            _ = reminders.tick() => {
                match crate::web::reminders::queue_due(&app).await {
                    Ok(report) if report.queued == 0 => {}
                    Ok(report) => tracing::info!(queued = report.queued, "reminders queued"),
                    Err(e) => tracing::warn!(error = ?e, "queueing reminders failed; will retry"),
                }
                // 空き枠のお知らせ at the set times, on the same minute's tick.
                match crate::web::waitlist::notices::send_due(&app).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(queued = n, "waitlist notices queued"),
                    Err(e) => tracing::warn!(error = ?e, "queueing waitlist notices failed; will retry"),
                }
            }
            _ = retention.tick() => {
                match purge_personal_data(&app).await {
                    Ok(report) if report.is_empty() => {}
                    Ok(report) => tracing::info!(?report, "personal data past retention erased"),
                    Err(e) => tracing::warn!(error = %e, "retention purge failed; will retry"),
                }
            }
            // Due mails every few seconds, and at once when a handler queued one.
            _ = async { tokio::select! { _ = mail.tick() => {}, _ = app.mail_wakeup.notified() => {} } } => {
                if let Err(e) = deliver_mail(&app).await {
                    tracing::warn!(error = %e, "mail delivery failed; will retry");
                }
            }
        }
    }
}

/// Erases personal data past `retention.days_after_visit` and expired verification, hold and
/// session rows (see [`crate::db::retention`]). What `madoguchi purge` runs too.
pub async fn purge_personal_data(
    app: &App,
) -> Result<crate::db::retention::PurgeReport, crate::db::DbError> {
    crate::db::retention::purge(
        &app.db,
        app.clock.today(),
        app.clock.now_unix(),
        app.settings.retention.days_after_visit,
    )
    .await
}

/// Sends what is due in the outbox.
pub async fn deliver_mail(app: &App) -> Result<usize, crate::db::DbError> {
    crate::mail::deliver_due(&app.db, &app.mailer, app.clock.now_unix()).await
}

/// Extends every tenant's slots to the end of its booking window (the window moves daily).
pub async fn materialise_all(app: &App) -> anyhow::Result<()> {
    for tenant in tenants::list(&app.db).await? {
        let report = slots::materialise(&app.db, tenant.id, app.clock.today()).await?;
        if report.created + report.deleted + report.capacity_changed > 0 {
            tracing::info!(
                tenant = %tenant.slug,
                created = report.created,
                deleted = report.deleted,
                capacity_changed = report.capacity_changed,
                "slots materialised"
            );
        }
        for conflict in &report.conflicts {
            tracing::warn!(tenant = %tenant.slug, ?conflict, "slot change not applied: places taken");
        }
    }
    Ok(())
}
