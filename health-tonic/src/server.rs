//! [`HealthServer`]: what `Check`, `Watch` and `List` answer, and the end
//! of the watches.

use crate::names::{Services, Target};
use crate::proto::{HealthCheckResponse, HealthListResponse, LIST_LIMIT, ServingStatus};
use crate::watch::{Ending, Hub, WatchStream, stream};
use futures_util::future::join_all;
use health_core::Registry;
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
/// [`probe_name`](crate::HealthServerBuilder::probe_name)); each check's
/// name is that one component (unless
/// [`components`](crate::HealthServerBuilder::components) is off). `Check`
/// of any other name answers `NOT_FOUND`; `Watch` sends `SERVICE_UNKNOWN`
/// and keeps the stream open; `List` answers every known service, or
/// `RESOURCE_EXHAUSTED` past [`LIST_LIMIT`].
///
/// # Statuses
///
/// UP and DEGRADED are `SERVING`; DOWN, UNKNOWN and OUT_OF_SERVICE are
/// `NOT_SERVING`, exactly as HTTP answers 200 or 503: the startup latch,
/// timeouts, panics, single flight, cache, interval and failure threshold
/// are the registry's. Only statuses go out, never a check's message (nor
/// in a gRPC status message).
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
    services: Services,
    hub: Arc<Hub>,
    ending: Ending,
}

impl HealthServer {
    pub(crate) fn new_validated(registry: Registry, services: Services, period: Duration) -> Self {
        let ending = Ending::new();
        ending.arm(&registry);
        Self(Arc::new(Shared {
            registry,
            services,
            hub: Arc::new(Hub::new(period)),
            ending,
        }))
    }

    /// The registry served.
    pub fn registry(&self) -> &Registry {
        &self.0.registry
    }

    /// Every service name answered, sorted (`""` first).
    pub fn services(&self) -> impl Iterator<Item = &str> {
        self.0.services.iter().map(|(name, _)| name)
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
    /// `Check`: the status of `service`, or `NOT_FOUND`.
    pub(crate) async fn check(&self, service: &str) -> Result<HealthCheckResponse, tonic::Status> {
        let target = self
            .services
            .get(service)
            .ok_or_else(|| tonic::Status::not_found("unknown service"))?;
        Ok(HealthCheckResponse::new(
            target.serving(&self.registry).await,
        ))
    }

    /// `List`: every service, each target evaluated once and all
    /// concurrently; `RESOURCE_EXHAUSTED` past [`LIST_LIMIT`].
    pub(crate) async fn list(&self) -> Result<HealthListResponse, tonic::Status> {
        let count = self.services.len();
        if count > LIST_LIMIT {
            return Err(tonic::Status::resource_exhausted(format!(
                "{count} services, more than the {LIST_LIMIT} List may return"
            )));
        }
        // `""` and readiness are one target: evaluated once.
        let mut distinct: Vec<&Target> = Vec::with_capacity(count);
        for (_, target) in self.services.iter() {
            if !distinct.contains(&target) {
                distinct.push(target);
            }
        }
        let evaluated = join_all(distinct.iter().map(|t| t.serving(&self.registry))).await;
        let by_target: HashMap<&Target, ServingStatus> =
            distinct.into_iter().zip(evaluated).collect();
        let statuses = self
            .services
            .iter()
            .filter_map(|(name, target)| {
                let status = by_target.get(target)?;
                Some((name.to_owned(), HealthCheckResponse::new(*status)))
            })
            .collect();
        Ok(HealthListResponse { statuses })
    }

    /// `Watch`: the stream of `service`'s statuses. Call inside a tokio
    /// runtime.
    pub(crate) fn watch(&self, service: &str) -> WatchStream {
        self.ending.arm(&self.registry);
        let latest = self
            .services
            .get(service)
            .map(|target| self.hub.join(&self.registry, target));
        stream(latest, self.ending.subscribe())
    }
}

impl std::fmt::Debug for HealthServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HealthServer")
            .field("services", &self.services().collect::<Vec<_>>())
            .field("watch_period", &self.watch_period())
            .finish_non_exhaustive()
    }
}
