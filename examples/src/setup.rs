//! The steps of [`Service::new`](crate::Service::new), in its order: the
//! database pool, the health registry with the checks of what is
//! configured, its HTTP endpoints, the admin token, a log line.

use crate::{Config, Error};
use health::checks::RuntimeWatch;
use health::http::{AllowedHosts, Endpoints, Token};
use health::{Check, Registry};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use std::time::Duration;

/// A named in-memory SQLite database, shared by every connection of the
/// pool. The `file:` name with `cache=shared` is what makes SQLite share it;
/// plain `sqlite::memory:` would not do here, as the `sqlx::Any` driver
/// re-parses the URL for each connection and so gives each its own empty
/// database.
const EMBEDDED_DATABASE: &str = "sqlite:file:health-example?mode=memory&cache=shared";

/// How long a query waits for a connection from the pool. Below the
/// `database` check's timeout (300 ms, `checks.rs`), leaving 50 ms for the
/// `SELECT 1` itself: sqlx retries a refused connection until this
/// timeout, so with a longer one (2 s here before) a stopped PostgreSQL
/// showed only as the check's "timed out after 300ms"; with this one the
/// check fails with the pool's own error first ("pool timed out while
/// waiting for an open connection"), and the application's own queries give
/// up no later than the probe does. A connection to a server on the same
/// network opens in a few milliseconds, well within it.
const ACQUIRE_TIMEOUT: Duration = Duration::from_millis(250);

/// The pool of `DATABASE_URL`, or of the embedded SQLite database. Lazy:
/// it connects on first use.
pub(crate) fn database_pool(config: &Config) -> Result<AnyPool, Error> {
    sqlx::any::install_default_drivers();
    let pool = match &config.database_url {
        Some(url) => AnyPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy(url)?,
        // An in-memory database lives while one connection is open:
        // keep one, forever.
        None => AnyPoolOptions::new()
            .max_connections(4)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy(EMBEDDED_DATABASE)?,
    };
    Ok(pool)
}

/// The health registry. Declared checks (`checks.rs`) join by themselves;
/// the built-in checks join here: free disk space always, Redis and the
/// upstream when their URL is set.
pub(crate) fn registry(
    config: &Config,
    pool: &AnyPool,
    watch: &RuntimeWatch,
    tasks: impl IntoIterator<Item = Check>,
) -> Result<Registry, Error> {
    let mut builder = Registry::builder()
        .state(pool.clone())
        .check(disk_check())
        .checks(tasks)
        // Busy (readiness sheds) versus wedged (liveness fails), for this
        // runtime and every one that joins the watch (actix-web's workers).
        .checks(watch.checks())
        .version(env!("CARGO_PKG_VERSION"))
        .drain_delay(config.drain_delay)
        .stop_signals(config.stop_signals.iter().copied());
    if let Some(url) = &config.redis_url {
        builder = builder.check(redis_check(url)?);
    }
    if let Some(url) = &config.upstream_url {
        builder = builder.check(upstream_check(url)?);
    }
    if let Some(commit) = &config.commit {
        builder = builder.commit(commit.clone());
    }
    Ok(builder.build()?)
}

/// Free space where the service writes its scratch files: non-critical,
/// in the background every 30 s.
fn disk_check() -> health::Check {
    health::checks::disk("disk", std::env::temp_dir(), 64 * 1024 * 1024)
        .with_critical(false)
        .with_interval(Duration::from_secs(30))
        .with_timeout(Duration::from_secs(2))
        .with_tags(["disk"])
}

/// `PING` through a lazy connection manager: the service starts (and
/// reports DOWN) while Redis is down; the manager reconnects by itself.
fn redis_check(url: &str) -> Result<health::Check, Error> {
    let manager = ConnectionManager::new_lazy_with_config(
        redis::Client::open(url)?,
        ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(1)))
            .set_response_timeout(Some(Duration::from_secs(1)))
            .set_number_of_retries(2),
    )?;
    Ok(health::checks::redis("redis", manager)
        .with_timeout(Duration::from_millis(200))
        .with_tags(["redis"]))
}

/// `GET` the upstream, non-critical and cached: without its upstream the
/// service still answers (DEGRADED, 200), and at most one request per
/// 10 s reaches the upstream however often probes poll.
fn upstream_check(url: &str) -> Result<health::Check, Error> {
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(1))
        .build()?;
    Ok(health::checks::HttpCheck::new(client, url)?
        .into_check("upstream")
        .with_timeout(Duration::from_millis(500))
        .with_critical(false)
        .with_cache(Duration::from_secs(10))
        .with_tags(["external"]))
}

/// The registry's HTTP endpoints, with the configuration's disclosure rule
/// (a weak token or a bad network is an error here).
pub(crate) fn endpoints(config: &Config, registry: &Registry) -> Result<Endpoints, Error> {
    let mut builder = Endpoints::builder(registry.clone()).disclosure(config.disclosure());
    if !config.allowed_hosts.is_empty() {
        builder = builder.allowed_hosts(AllowedHosts::names(config.allowed_hosts.clone()));
    }
    builder
        .build()
        .map_err(|e| format!("HEALTH_TOKEN / HEALTH_NETWORKS / HEALTH_ALLOWED_HOSTS: {e}").into())
}

/// The admin routes' token, checked as the health endpoints' are.
pub(crate) fn admin_token(config: &Config) -> Result<Option<Token>, Error> {
    config
        .admin_token
        .as_deref()
        .map(|secret| Token::new(secret).map_err(|e| format!("HEALTH_ADMIN_TOKEN: {e}").into()))
        .transpose()
}

/// One line saying what runs: the database kind (never its URL), the
/// checks, and who sees their details.
pub(crate) fn log_configuration(name: &str, config: &Config, registry: &Registry) {
    tracing::info!(
        service = name,
        database = config
            .database_url
            .as_deref()
            .and_then(|url| url.split(':').next())
            .unwrap_or("embedded sqlite"),
        checks = ?registry.checks(),
        details_for_networks = ?config.health_networks,
        details_for_token = config.health_token.is_some(),
        "configured"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every check that uses the pool times out after the pool gives up, so
    /// a pool that cannot connect shows its own error.
    #[tokio::test]
    async fn the_pool_gives_up_before_the_database_checks_do() {
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new()
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy(EMBEDDED_DATABASE)
            .unwrap();
        let registry = Registry::builder()
            .filter(|c| c.has_tag("db"))
            .state(pool)
            .build()
            .unwrap();
        let checks = registry.checks();
        let timeouts: Vec<_> = checks
            .iter()
            .map(|c| (c.name(), c.policy().timeout()))
            .collect();
        assert_eq!(timeouts.len(), 2, "{timeouts:?}");
        for (name, timeout) in timeouts {
            assert!(
                ACQUIRE_TIMEOUT < timeout,
                "{name}: timeout {timeout:?}, acquire timeout {ACQUIRE_TIMEOUT:?}"
            );
        }
    }
}
