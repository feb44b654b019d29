//! The health checks of both example services, declared once.
//!
//! Every check here joins the registry that [`Service::new`](crate::Service::new)
//! builds, except `redis` and `upstream` when their service is not
//! configured (see the filter in `Service::new`).

use crate::service::{SCHEMA_VERSION, Upstream};
use health::{Detail, Outcome, health_check};
use redis::aio::ConnectionManager;
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

/// Critical readiness check, only when `REDIS_URL` is set: PING through the
/// application's connection manager (which reconnects by itself).
#[health_check(timeout = "200ms", tags = ["redis"])]
async fn redis(manager: &ConnectionManager) -> Result<Outcome, redis::RedisError> {
    let mut conn = manager.clone();
    let pong: String = redis::cmd("PING").query_async(&mut conn).await?;
    Ok(if pong == "PONG" {
        Outcome::up()
    } else {
        Outcome::down("unexpected answer to PING")
    })
}

/// Non-critical, cached, only when `UPSTREAM_URL` is set: the service still
/// answers without its upstream (DEGRADED, still 200), and at most one
/// request per 10 s reaches it however often the probe is polled.
#[health_check(timeout = "500ms", critical = false, cache = "10s", tags = ["external"])]
async fn upstream(upstream: &Upstream) -> Result<Detail, String> {
    let started = Instant::now();
    upstream
        .client
        .get(upstream.url.clone())
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| with_causes(&e))?;
    Ok(Detail::new(started.elapsed().as_secs_f64() * 1e3, "ms"))
}

/// Non-critical, blocking, refreshed in the background every 30 s: the
/// scratch directory must be writable. A plain `fn` runs on tokio's
/// blocking pool, so slow disk I/O never stalls a request.
#[health_check(interval = "30s", timeout = "2s", critical = false, tags = ["disk"])]
fn scratch_disk() -> Result<Detail, std::io::Error> {
    let started = Instant::now();
    let path = std::env::temp_dir().join(format!("health-example-{}.probe", std::process::id()));
    std::fs::write(&path, b"probe")?;
    std::fs::remove_file(&path)?;
    Ok(Detail::new(started.elapsed().as_secs_f64() * 1e3, "ms"))
}

/// Liveness check: the async runtime still schedules tasks. A yield that
/// takes longer than the timeout means a thread is stuck in blocking code;
/// restarting the process is then the fix, which is what liveness is for.
/// It touches no dependency: a database outage must never restart pods.
#[health_check(probe = "liveness", timeout = "250ms")]
async fn event_loop() -> Detail {
    let started = Instant::now();
    tokio::task::yield_now().await;
    Detail::new(started.elapsed().as_secs_f64() * 1e3, "ms")
}

/// An error's message followed by its causes: reqwest's own says only
/// "error sending request", the cause says "connection refused".
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
