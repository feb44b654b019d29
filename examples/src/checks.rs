//! The health checks of both example services, declared once.
//!
//! Every check here joins the registry that [`Service::new`](crate::Service::new)
//! builds. The checks of the optional services (Redis, the upstream) and
//! of free disk space are built-in checks of `health::checks`, added at run
//! time in `Service::new` when their service is configured.

use crate::service::SCHEMA_VERSION;
use health::{Observed, Outcome, health_check};
use sqlx::AnyPool;
use std::time::Instant;

/// Critical readiness check: one round trip through the application's own
/// pool, so a pool exhausted by the application shows here too.
#[health_check(timeout = "300ms", tags = ["db"])]
async fn database(pool: &AnyPool) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1").execute(pool).await.map(|_| ())
}

/// Startup check: passes once the schema migration is applied; latched UP
/// afterwards, so it runs only while the service starts.
#[health_check(probe = "startup", timeout = "1s", tags = ["db"])]
async fn migrations(pool: &AnyPool) -> Result<Outcome, sqlx::Error> {
    let version: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
        .fetch_one(pool)
        .await?;
    Ok(match version {
        Some(v) if v >= SCHEMA_VERSION => Outcome::up().with_detail("schema_version", v),
        _ => Outcome::down("schema migration not applied yet"),
    })
}

/// Non-critical, blocking, refreshed in the background every 30 s: the
/// scratch directory must be writable. A plain `fn` runs on tokio's
/// blocking pool, so slow disk I/O never stalls a request.
#[health_check(interval = "30s", timeout = "2s", critical = false, tags = ["disk"])]
fn scratch_disk() -> Result<Observed, std::io::Error> {
    let started = Instant::now();
    let path = std::env::temp_dir().join(format!("health-example-{}.probe", std::process::id()));
    std::fs::write(&path, b"probe")?;
    std::fs::remove_file(&path)?;
    Ok(Observed::new(started.elapsed().as_secs_f64() * 1e3, "ms"))
}

/// Liveness check: the async runtime still schedules tasks. A yield that
/// takes longer than the timeout means a thread is stuck in blocking code;
/// restarting the process is then the fix, which is what liveness is for.
/// It touches no dependency: a database outage must never restart pods.
#[health_check(probe = "liveness", timeout = "250ms")]
async fn event_loop() -> Observed {
    let started = Instant::now();
    tokio::task::yield_now().await;
    Observed::new(started.elapsed().as_secs_f64() * 1e3, "ms")
}
