//! The application both binaries serve: its connections, migration, routes
//! and health registry.

use crate::{Config, Error, setup};
use health::checks::RuntimeWatch;
use health::http::{Drain, Endpoints, Token};
use health::task::{Backoff, Restart, Supervisor};
use health::tonic::HealthServer;
use health::{Check, Heartbeat};
use health::{KubernetesProbes, Registry};
use sqlx::AnyPool;
use std::num::NonZeroU16;
use std::sync::Arc;
use std::time::Duration;

/// The schema version the migration creates and the `migrations` startup
/// check waits for.
pub(crate) const SCHEMA_VERSION: i64 = 1;

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
    pub(crate) fn json(status: u16, body: &serde_json::Value) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.to_string(),
        }
    }

    pub(crate) fn error(status: u16, message: &str) -> Self {
        Self::json(status, &serde_json::json!({ "error": message }))
    }
}

/// The example application: configuration, database pool, health
/// registry. Cheap to clone.
#[derive(Clone)]
pub struct Service(pub(crate) Arc<Inner>);

/// The argument that asks a binary for its probe settings.
const PRINT_KUBERNETES_PROBES: &str = "--print-kubernetes-probes";

/// With `--print-kubernetes-probes` among the arguments: prints the
/// probe settings `service` calls for ([`Service::kubernetes_probes`]),
/// configured from the environment as it would serve, and returns `true`
/// (the caller then exits without serving).
pub fn print_kubernetes_probes_if_asked(
    name: &'static str,
    default_bind: &str,
) -> Result<bool, Error> {
    print_if_asked(name, default_bind, Service::kubernetes_probes)
}

/// [`print_kubernetes_probes_if_asked`] for `grpc-service`: its `grpc`
/// probes ([`Service::grpc_kubernetes_probes`]).
pub fn print_grpc_kubernetes_probes_if_asked(
    name: &'static str,
    default_bind: &str,
) -> Result<bool, Error> {
    print_if_asked(name, default_bind, Service::grpc_kubernetes_probes)
}

/// Prints what `probes` writes for the service, if asked.
fn print_if_asked(
    name: &'static str,
    default_bind: &str,
    probes: fn(&Service) -> Result<String, Error>,
) -> Result<bool, Error> {
    if !std::env::args()
        .skip(1)
        .any(|a| a == PRINT_KUBERNETES_PROBES)
    {
        return Ok(false);
    }
    let service = Service::new(name, Config::from_env(default_bind)?)?;
    print!("{}", probes(&service)?);
    Ok(true)
}

/// How long requests in flight get to finish after the drain delay, for
/// the pod's grace period ([`Service::kubernetes_probes`]).
pub const REQUEST_BUDGET: Duration = Duration::from_secs(10);

/// The grace period at a pod spec's indentation, and the probe blocks at
/// its first container's, as `deploy/*.yaml` lay them out.
fn pod_yaml(kubernetes: &KubernetesProbes) -> String {
    format!(
        "      terminationGracePeriodSeconds: {}\n{}",
        kubernetes.termination_grace_period_seconds(),
        kubernetes.container_yaml(10)
    )
}

pub(crate) struct Inner {
    name: &'static str,
    config: Config,
    pool: AnyPool,
    registry: Registry,
    endpoints: Endpoints,
    drain: Drain,
    /// The admin routes' token, checked when the service is built.
    pub(crate) admin_token: Option<Token>,
    runtime_watch: RuntimeWatch,
    /// The page-view counter's supervisor, until the schema exists.
    counter: std::sync::Mutex<Option<Supervisor>>,
}

impl Service {
    /// Sets up the connections and the health registry. Nothing connects
    /// yet: the pool and the Redis manager connect on first use, so the
    /// service starts (and its probes answer 503) while a dependency is
    /// down. Call inside a tokio runtime.
    ///
    /// Each step is a function of `setup.rs`, in this order.
    pub fn new(name: &'static str, config: Config) -> Result<Self, Error> {
        let pool = setup::database_pool(&config)?;
        let runtime_watch = RuntimeWatch::new();
        // The application's background work, supervised: a component.
        let (counter, supervisor) = Check::task(COUNTER_TASK, Duration::from_secs(10));
        let registry = setup::registry(&config, &pool, &runtime_watch, [counter])?;
        let endpoints = setup::endpoints(&config, &registry)?;
        let admin_token = setup::admin_token(&config)?;
        let drain = Drain::new(&endpoints).with_request_budget(REQUEST_BUDGET);
        setup::log_configuration(name, &config, &registry);
        Ok(Self(Arc::new(Inner {
            name,
            config,
            pool,
            registry,
            endpoints,
            drain,
            admin_token,
            runtime_watch,
            counter: std::sync::Mutex::new(Some(supervisor)),
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

    /// The drain of the application's own connections, with
    /// [`REQUEST_BUDGET`]: serve with it unless `DRAIN_CONNECTIONS=off`.
    pub fn drain(&self) -> &Drain {
        &self.0.drain
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.0.config
    }

    /// The watch of the application's runtimes: actix-web's workers each
    /// join it (`watch_this_runtime`) in the server's factory.
    pub fn runtime_watch(&self) -> &RuntimeWatch {
        &self.0.runtime_watch
    }

    /// Serves the probes on `PROBE_BIND`, on a thread and runtime of their
    /// own (the recommended wiring: a busy service still answers its
    /// probes in time); `None` with `PROBE_BIND=none`. Keep the result
    /// for the life of the process.
    pub fn serve_probes(&self) -> Result<Option<health::tower::Serving>, Error> {
        let Some(addr) = self.0.config.probe_bind else {
            return Ok(None);
        };
        let serving = health::tower::ProbeListener::bind(addr)
            .map_err(|e| format!("PROBE_BIND={addr}: {e}"))?
            .serve(self.0.endpoints.clone())?;
        tracing::info!(probes = %serving.local_addr(), "probes served on their own port");
        Ok(Some(serving))
    }

    /// Speaks systemd's notify protocol when `NOTIFY_SOCKET` is set (a
    /// `Type=notify` unit, `deploy/health-example.service`): `READY=1`
    /// once startup latches, `WATCHDOG=1` at half `WATCHDOG_USEC` while
    /// liveness is UP, `STATUS=` on changes, `STOPPING=1` when the drain
    /// begins. Call inside the runtime that serves.
    pub fn notify_systemd(&self) -> Result<(), Error> {
        if health::systemd::notify(&self.0.registry)
            .map_err(|e| format!("NOTIFY_SOCKET: {e}"))?
            .is_some()
        {
            tracing::info!("systemd notify protocol on NOTIFY_SOCKET");
        }
        Ok(())
    }

    /// The container's three probe blocks and the pod's grace period, as
    /// this service's checks call for (`--print-kubernetes-probes`): the
    /// probes on the container port named `probes`, requests in flight
    /// given [`REQUEST_BUDGET`] after the drain delay. YAML, indented for
    /// `deploy/kubernetes.yaml`.
    pub fn kubernetes_probes(&self) -> Result<String, Error> {
        let kubernetes = self
            .0
            .endpoints
            .kubernetes_probes("probes", REQUEST_BUDGET)?;
        Ok(pod_yaml(&kubernetes))
    }

    /// [`kubernetes_probes`](Self::kubernetes_probes) for `grpc-service`:
    /// `grpc` probes on `BIND`'s port, asking the health service as that
    /// binary builds it (the default service names and probe timeout)
    /// for each probe's service. YAML, indented for
    /// `deploy/kubernetes-grpc.yaml`.
    pub fn grpc_kubernetes_probes(&self) -> Result<String, Error> {
        let port = NonZeroU16::new(self.0.config.bind.port())
            .ok_or("BIND: a Kubernetes probe needs a port number, not 0")?;
        let health = HealthServer::new(self.0.registry.clone())?;
        Ok(pod_yaml(&health.kubernetes_probes(port, REQUEST_BUDGET)))
    }

    /// Applies the schema migration in the background, retrying until the
    /// database answers. The `/startup` probe answers 503 until it is done;
    /// serving the probes meanwhile is what lets an orchestrator tell
    /// "still starting" from "hung".
    pub fn spawn_migrations(&self) {
        let pool = self.0.pool.clone();
        let service = self.clone();
        tokio::spawn(async move {
            let mut wait = Duration::from_millis(500);
            loop {
                match migrate(&pool).await {
                    Ok(()) => {
                        tracing::info!(version = SCHEMA_VERSION, "schema migration applied");
                        service.spawn_counter();
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

    /// Starts the supervised page-view counter (once the schema exists):
    /// every second it reads the total of `page_views`, real work on the
    /// application's database, and logs it when it moved. An error ends
    /// the run, restarted after a backoff; an await that never returns
    /// reads as stalled after 10 s.
    fn spawn_counter(&self) {
        let supervisor = self
            .0
            .counter
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        let Some(supervisor) = supervisor else {
            return;
        };
        let pool = self.0.pool.clone();
        supervisor.spawn(
            &self.0.registry,
            Restart::OnFailure(Backoff::default()),
            move |heartbeat| count_page_views(pool.clone(), heartbeat),
        );
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

/// The supervised task's component name.
pub const COUNTER_TASK: &str = "page-view-counter";

/// The page-view counter's loop: the total of `page_views` every second.
async fn count_page_views(pool: AnyPool, heartbeat: Heartbeat) -> Result<(), sqlx::Error> {
    let mut last = -1_i64;
    loop {
        let total: i64 =
            sqlx::query_scalar("SELECT CAST(COALESCE(SUM(hits), 0) AS BIGINT) FROM page_views")
                .fetch_one(&pool)
                .await?;
        if total != last {
            tracing::debug!(total, "page views");
            last = total;
        }
        heartbeat.progress(1);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
