//! The application both binaries serve: its connections, migration, routes
//! and health registry.

use crate::{Config, Error};
use health::http::{Endpoints, Token};
use health::{Lifecycle, Registry};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The schema version the migration creates and the `migrations` startup
/// check waits for.
pub(crate) const SCHEMA_VERSION: i64 = 1;

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

/// How long readiness answers `Retry-After` during maintenance.
const MAINTENANCE_RETRY_AFTER: Duration = Duration::from_secs(60);

/// An answer of the application's own routes, independent of the
/// framework: each binary turns it into its framework's response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// Extra headers; the body is always `application/json`.
    pub headers: Vec<(&'static str, String)>,
    /// JSON body.
    pub body: String,
}

impl Reply {
    fn json(status: u16, body: &serde_json::Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.to_string(),
        }
    }

    fn error(status: u16, message: &str) -> Self {
        Self::json(status, &serde_json::json!({ "error": message }))
    }
}

/// The example application: configuration, database pool, health
/// registry. Cheap to clone.
#[derive(Clone)]
pub struct Service(Arc<Inner>);

struct Inner {
    name: &'static str,
    config: Config,
    pool: AnyPool,
    registry: Registry,
    endpoints: Endpoints,
    /// The admin routes' token, checked when the service is built.
    admin_token: Option<Token>,
    /// Serializes maintenance toggles: read-then-write of the lifecycle.
    toggle: Mutex<()>,
}

impl Service {
    /// Sets up the connections and the health registry. Nothing connects
    /// yet: the pool and the Redis manager connect on first use, so the
    /// service starts (and its probes answer 503) while a dependency is
    /// down. Call inside a tokio runtime.
    pub fn new(name: &'static str, config: Config) -> Result<Self, Error> {
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
        // Declared checks (`checks.rs`) join by themselves; the built-in
        // checks of optional services join when their service is set.
        let mut builder = Registry::builder()
            .state(pool.clone())
            .check(
                // Free space where the service writes its scratch files.
                health::checks::disk("disk", std::env::temp_dir(), 64 * 1024 * 1024)
                    .with_critical(false)
                    .with_interval(Duration::from_secs(30))
                    .with_timeout(Duration::from_secs(2))
                    .with_tags(["disk"]),
            )
            .version(env!("CARGO_PKG_VERSION"))
            .drain_delay(config.drain_delay);
        if let Some(url) = &config.redis_url {
            // Lazy: the service starts (and reports DOWN) while Redis is
            // down; the manager reconnects by itself.
            let manager = ConnectionManager::new_lazy_with_config(
                redis::Client::open(url.as_str())?,
                ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(Duration::from_secs(1)))
                    .set_response_timeout(Some(Duration::from_secs(1)))
                    .set_number_of_retries(2),
            )?;
            builder = builder.check(
                health::checks::redis("redis", manager)
                    .with_timeout(Duration::from_millis(200))
                    .with_tags(["redis"]),
            );
        }
        if let Some(url) = &config.upstream_url {
            let client = reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(1))
                .build()?;
            // Non-critical and cached: without its upstream the service
            // still answers (DEGRADED, 200), and at most one request per
            // 10 s reaches the upstream however often probes poll.
            builder = builder.check(
                health::checks::HttpCheck::new(client, url)?
                    .into_check("upstream")
                    .with_timeout(Duration::from_millis(500))
                    .with_critical(false)
                    .with_cache(Duration::from_secs(10))
                    .with_tags(["external"]),
            );
        }
        if let Some(commit) = &config.commit {
            builder = builder.commit(commit.clone());
        }
        let registry = builder.build()?;
        let endpoints = Endpoints::builder(registry.clone())
            .disclosure(config.disclosure())
            .build()
            .map_err(|e| format!("HEALTH_TOKEN / HEALTH_NETWORKS: {e}"))?;
        let admin_token = match &config.admin_token {
            Some(secret) => {
                Some(Token::new(secret).map_err(|e| format!("HEALTH_ADMIN_TOKEN: {e}"))?)
            }
            None => None,
        };
        tracing::info!(
            service = name,
            database = config
                .database_url
                .as_deref()
                .and_then(|url| url.split(':').next())
                .unwrap_or("embedded sqlite"),
            checks = ?registry.checks().map(|c| c.name()).collect::<Vec<_>>(),
            "configured"
        );
        Ok(Self(Arc::new(Inner {
            name,
            config,
            pool,
            registry,
            endpoints,
            admin_token,
            toggle: Mutex::new(()),
        })))
    }

    /// The health registry: its shutdown signal drives the server.
    pub fn registry(&self) -> &Registry {
        &self.0.registry
    }

    /// The registry's HTTP endpoints, with the disclosure rule of the
    /// configuration: serve them with the framework's adapter.
    pub fn endpoints(&self) -> &Endpoints {
        &self.0.endpoints
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.0.config
    }

    /// Applies the schema migration in the background, retrying until the
    /// database answers. The `/startup` probe answers 503 until it is done;
    /// serving the probes meanwhile is what lets an orchestrator tell
    /// "still starting" from "hung".
    pub fn spawn_migrations(&self) {
        let pool = self.0.pool.clone();
        tokio::spawn(async move {
            let mut wait = Duration::from_millis(500);
            loop {
                match migrate(&pool).await {
                    Ok(()) => {
                        tracing::info!(version = SCHEMA_VERSION, "schema migration applied");
                        return;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, retry_in = ?wait, "schema migration failed");
                        tokio::time::sleep(wait).await;
                        wait = (wait * 2).min(Duration::from_secs(10));
                    }
                }
            }
        });
    }

    /// `GET /`: the application's own work, counting its page views in the
    /// database.
    pub async fn index(&self) -> Reply {
        let hits: Result<i64, sqlx::Error> = sqlx::query_scalar(
            "INSERT INTO page_views (path, hits) VALUES ('/', 1) \
             ON CONFLICT (path) DO UPDATE SET hits = page_views.hits + 1 \
             RETURNING hits",
        )
        .fetch_one(&self.0.pool)
        .await;
        match hits {
            Ok(hits) => Reply::json(
                200,
                &serde_json::json!({
                    "service": self.0.name,
                    "version": env!("CARGO_PKG_VERSION"),
                    "page_views": hits,
                }),
            ),
            Err(e) => {
                tracing::warn!(error = %e, "GET / failed");
                Reply::error(503, "the database is not available")
            }
        }
    }

    /// `POST /admin/maintenance`: toggles maintenance. While on, `/ready`
    /// answers 503 OUT_OF_SERVICE with `Retry-After`, so load balancers
    /// take the instance out of rotation; liveness stays UP.
    ///
    /// Needs `Authorization: Bearer $HEALTH_ADMIN_TOKEN`; without a
    /// configured token the route answers 403: an admin route must never be
    /// open by default.
    pub fn toggle_maintenance(&self, authorization: Option<&str>) -> Reply {
        let Some(token) = &self.0.admin_token else {
            return Reply::error(403, "set HEALTH_ADMIN_TOKEN to enable the admin routes");
        };
        // The same digest comparison as the health endpoints.
        if !token.authorizes(authorization) {
            let mut reply = Reply::error(401, "a valid bearer token is required");
            reply.headers.push(("www-authenticate", "Bearer".into()));
            return reply;
        }
        let _guard = self.0.toggle.lock().unwrap_or_else(|p| p.into_inner());
        let registry = &self.0.registry;
        match registry.lifecycle() {
            Lifecycle::Serving => {
                registry.set_maintenance(
                    "maintenance via POST /admin/maintenance",
                    MAINTENANCE_RETRY_AFTER,
                );
                Reply::json(
                    200,
                    &serde_json::json!({
                        "maintenance": true,
                        "retry_after_seconds": MAINTENANCE_RETRY_AFTER.as_secs(),
                    }),
                )
            }
            Lifecycle::Maintenance { .. } => {
                registry.clear_maintenance();
                Reply::json(200, &serde_json::json!({ "maintenance": false }))
            }
            // Draining, or a state a later version adds: leave it alone.
            _ => Reply::error(409, "the service is shutting down"),
        }
    }
}

/// Creates the schema: portable SQL, the same for SQLite and PostgreSQL.
async fn migrate(pool: &AnyPool) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS page_views (path TEXT PRIMARY KEY, hits BIGINT NOT NULL)",
    )
    .execute(&mut *tx)
    .await?;
    // Version 1: SCHEMA_VERSION (a literal, as sqlx takes static SQL).
    sqlx::query(
        "INSERT INTO schema_migrations (version) VALUES (1) ON CONFLICT (version) DO NOTHING",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await
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
        let timeouts: Vec<_> = registry
            .checks()
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
