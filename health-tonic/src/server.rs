//! [`HealthServer`]: what `Check`, `Watch` and `List` answer, and the end
//! of the watches.

use crate::names::{Services, Target};
use crate::proto::{HealthCheckResponse, HealthListResponse, LIST_LIMIT, ServingStatus};
use crate::watch::{Caps, Connection, Ending, Gate, Hub, WatchStream, stream};
use futures_util::future::join_all;
use health_core::{Probe, Registry};
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// The `grpc.health.v1.Health` service of a [`Registry`]: `Check`, `Watch`
/// and `List`, answered from the registry's checks. Add it to a tonic
/// server next to the application's own services; it is a tonic service
/// itself (cheap to clone; clones share everything).
///
/// ```no_run
/// use health_core::{Check, Registry};
/// use health_tonic::HealthServer;
///
/// # async fn serve() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = Registry::builder()
///     .check(Check::new("db", || async { Ok::<(), std::io::Error>(()) }))
///     .build()?;
/// let health = HealthServer::new(registry.clone())?;
/// tonic::transport::Server::builder()
///     .add_service(health)
///     // .add_service(GreeterServer::new(greeter))
///     .serve_with_shutdown("0.0.0.0:50051".parse()?, registry.shutdown_signal())
///     .await?;
/// # Ok(()) }
/// ```
///
/// # Service names
///
/// `""` (the server as a whole) and `"readiness"` are readiness;
/// `"liveness"` and `"startup"` those probes (names set with
/// [`probe_name`](crate::HealthServerBuilder::probe_name)); with
/// [`components(true)`](crate::HealthServerBuilder::components) (off by
/// default), each check's name is that one component. `Check` of any
/// other name answers `NOT_FOUND`; `Watch` sends `SERVICE_UNKNOWN` and
/// keeps the stream open (under a cap of its own); `List` answers every
/// known service, or `RESOURCE_EXHAUSTED` ("too many services") past
/// [`LIST_LIMIT`].
///
/// # Statuses
///
/// UP and DEGRADED are `SERVING`; DOWN, UNKNOWN and OUT_OF_SERVICE are
/// `NOT_SERVING`, exactly as HTTP answers 200 or 503: the startup latch,
/// timeouts, panics, single flight, cache, interval and failure threshold
/// are the registry's. A check of the startup probe alone is never run
/// again once startup latched: its latched result is its status. Only
/// statuses go out, never a check's message (nor in a gRPC status
/// message). With
/// [`not_serving_as_error`](crate::HealthServerBuilder::not_serving_as_error)
/// (for AWS ALB), `Check` answers `NOT_SERVING` as a gRPC error.
///
/// # Caps on `Watch`
///
/// Open watches are capped in total, per connection and for unknown names
/// (see [`max_watches`](crate::HealthServerBuilder::max_watches)); a
/// `Watch` past a cap gets `RESOURCE_EXHAUSTED` and every other caller is
/// served as before. A client that vanishes without closing its connection
/// keeps its watches until the connection is reaped: serve with HTTP/2
/// keepalive (`Server::builder().http2_keepalive_interval(..)`) so that it
/// is.
///
/// # Drain and shutdown
///
/// From the instant draining begins (SIGTERM or Ctrl-C under
/// [`Registry::shutdown_signal`], [`Registry::begin_drain`]) or maintenance
/// is set, readiness and `""` are `NOT_SERVING` in `Check` and in every open
/// `Watch`; liveness stays `SERVING`.
///
/// tonic's graceful shutdown waits for open streams, and a `Watch` never
/// ends by itself, so the server ends them (status OK) the drain delay
/// after draining began: the instant `registry.shutdown_signal()` resolves
/// on its own. A shutdown future that can resolve at another time (a
/// second SIGTERM cuts `shutdown_signal()`'s drain short; or a signal of
/// the application's) should be wrapped in
/// [`end_watches_on`](Self::end_watches_on), which ends the watches the
/// moment it resolves.
///
/// The drain delay is counted from when the server learns of the drain: at
/// once if it was built inside a tokio runtime (or served a `Watch`) before
/// draining began, else from its first `Watch`.
#[derive(Clone)]
pub struct HealthServer(pub(crate) Arc<Shared>);

pub(crate) struct Shared {
    registry: Registry,
    /// How long a caller without `grpc-timeout` waits.
    probe_timeout: Duration,
    /// `Check`'s error in place of OK with `NOT_SERVING`, if any.
    not_serving_as: Option<tonic::Code>,
    services: Services,
    hub: Arc<Hub>,
    gate: Arc<Gate>,
    ending: Ending,
}

impl HealthServer {
    pub(crate) fn new_validated(
        registry: Registry,
        services: Services,
        period: Duration,
        caps: Caps,
        probe_timeout: Duration,
        not_serving_as: Option<tonic::Code>,
    ) -> Self {
        let ending = Ending::new();
        ending.arm(&registry);
        Self(Arc::new(Shared {
            registry,
            probe_timeout,
            not_serving_as,
            services,
            hub: Arc::new(Hub::new(period)),
            gate: Arc::new(Gate::new(caps)),
            ending,
        }))
    }

    /// The registry served.
    pub fn registry(&self) -> &Registry {
        &self.0.registry
    }

    /// Every service name answered now, sorted (`""` first): with
    /// components, the registry's checks as they are now.
    pub fn services(&self) -> Vec<String> {
        let all = self.0.services.all(&self.0.registry);
        all.into_iter().map(|(name, _)| name).collect()
    }

    /// The watch period (see
    /// [`HealthServerBuilder::watch_period`](crate::HealthServerBuilder::watch_period)).
    pub fn watch_period(&self) -> Duration {
        self.0.hub.period()
    }

    /// How many services have an evaluation loop now: one per watched
    /// service (`""` and readiness count once), however many watchers.
    pub fn watched_services(&self) -> usize {
        self.0.hub.loops()
    }

    /// How many `Watch` streams are open now, of known and unknown names.
    pub fn open_watches(&self) -> usize {
        self.0.gate.open()
    }

    /// Ends every open `Watch` stream now (status OK), and every later one
    /// as soon as it has sent what is at hand.
    pub fn end_watches(&self) {
        self.0.ending.end();
    }

    /// `signal`, ending every open `Watch` when it resolves: pass this to
    /// `serve_with_shutdown` when the shutdown future is not (only)
    /// `registry.shutdown_signal()`, so open watches cannot hold up the
    /// graceful shutdown.
    ///
    /// ```no_run
    /// # async fn serve(health: health_tonic::HealthServer) -> Result<(), Box<dyn std::error::Error>> {
    /// let ctrl_c = async { let _ = tokio::signal::ctrl_c().await; };
    /// tonic::transport::Server::builder()
    ///     .add_service(health.clone())
    ///     .serve_with_shutdown("0.0.0.0:50051".parse()?, health.end_watches_on(ctrl_c))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn end_watches_on<F: Future<Output = ()>>(
        &self,
        signal: F,
    ) -> impl Future<Output = ()> + use<F> {
        let server = self.clone();
        async move {
            signal.await;
            server.end_watches();
        }
    }
}

impl Shared {
    /// How long a caller without `grpc-timeout` waits.
    pub(crate) fn probe_timeout(&self) -> Duration {
        self.probe_timeout
    }

    /// The service name of `probe` (readiness: its name, not `""`).
    pub(crate) fn probe_name(&self, probe: Probe) -> &str {
        self.services.name_of(probe)
    }

    /// `Check`: the status of `service`, or `NOT_FOUND`; by the caller's
    /// deadline (its `grpc-timeout`, else the probe timeout), a margin
    /// before it. `NOT_SERVING` is an error where the builder asked it.
    pub(crate) async fn check(
        &self,
        service: &str,
        timeout: Option<Duration>,
    ) -> Result<HealthCheckResponse, tonic::Status> {
        let target = self
            .services
            .get(&self.registry, service)
            .ok_or_else(|| tonic::Status::not_found("unknown service"))?;
        let deadline = due(timeout.unwrap_or(self.probe_timeout));
        let status = target.serving(&self.registry, Some(deadline)).await;
        match self.not_serving_as {
            Some(code) if status == ServingStatus::NotServing => {
                Err(tonic::Status::new(code, "NOT_SERVING"))
            }
            _ => Ok(HealthCheckResponse::new(status)),
        }
    }

    /// `List`: every service, each target evaluated once and all
    /// concurrently; `RESOURCE_EXHAUSTED` past [`LIST_LIMIT`].
    pub(crate) async fn list(
        &self,
        timeout: Option<Duration>,
    ) -> Result<HealthListResponse, tonic::Status> {
        let deadline = due(timeout.unwrap_or(self.probe_timeout));
        let services = self.services.all(&self.registry);
        let count = services.len();
        if count > LIST_LIMIT {
            // The count would tell an anonymous caller how many checks
            // there are: say only that there are too many.
            return Err(tonic::Status::resource_exhausted(
                "too many services to list: ask for each with Check",
            ));
        }
        // `""` and readiness are one target: evaluated once.
        let mut distinct: Vec<&Target> = Vec::with_capacity(count);
        for (_, target) in &services {
            if !distinct.contains(&target) {
                distinct.push(target);
            }
        }
        let evaluated = join_all(
            distinct
                .iter()
                .map(|t| t.serving(&self.registry, Some(deadline))),
        )
        .await;
        let by_target: HashMap<&Target, ServingStatus> =
            distinct.into_iter().zip(evaluated).collect();
        let statuses = services
            .iter()
            .filter_map(|(name, target)| {
                let status = by_target.get(target)?;
                Some((name.clone(), HealthCheckResponse::new(*status)))
            })
            .collect();
        Ok(HealthListResponse { statuses })
    }

    /// `Watch`: the stream of `service`'s statuses for a client on
    /// `connection`, or `RESOURCE_EXHAUSTED` past a cap. Call inside a
    /// tokio runtime.
    pub(crate) fn watch(
        &self,
        service: &str,
        connection: Option<Connection>,
    ) -> Result<WatchStream, tonic::Status> {
        // A name that is no service now is unknown to the caps, even when
        // it is followed in case a check so named is added.
        let known = self.services.get(&self.registry, service).is_some();
        let target = self.services.watched(&self.registry, service);
        let permit = self.gate.admit(connection, !known).map_err(|refusal| {
            tracing::debug!(?refusal, "grpc health: Watch refused, past a cap");
            refusal.status()
        })?;
        self.ending.arm(&self.registry);
        let latest = target.map(|target| self.hub.join(&self.registry, &target));
        Ok(stream(latest, self.ending.subscribe(), permit))
    }
}

impl std::fmt::Debug for HealthServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HealthServer")
            .field("services", &self.services())
            .field("watch_period", &self.watch_period())
            .field("watch_caps", &self.0.gate.caps())
            .field("not_serving_as_error", &self.0.not_serving_as)
            .finish_non_exhaustive()
    }
}

/// When the answer is due for a caller waiting `timeout`: a margin before
/// it (a tenth, at most 100 ms) for the bytes to reach the caller.
fn due(timeout: Duration) -> tokio::time::Instant {
    let margin = (timeout / 10).min(Duration::from_millis(100));
    tokio::time::Instant::now() + timeout.saturating_sub(margin)
}
