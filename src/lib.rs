//! Declarative health checks for Rust services.
//!
//! Annotate plain functions with [`#[health_check]`](health_check); they
//! are registered before `main`, run concurrently under their timeouts by a
//! [`Registry`], and aggregated into UP / DEGRADED / DOWN. The `axum` and
//! `actix` features serve them as liveness, readiness and startup endpoints.
//!
//! ```standalone_crate
//! use health::{health_check, Probe, Registry, Status};
//!
//! #[health_check(timeout = "200ms", tags = ["doc"])]
//! async fn cache() -> Result<(), std::io::Error> {
//!     Ok(())
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), health::BuildError> {
//! let registry = Registry::builder().build()?;
//! let report = registry.run(Probe::Readiness).await;
//! assert_eq!(report.status(), Status::Up);
//! # Ok(()) }
//! ```
//!
//! # Features
//!
//! | feature | brings |
//! |---|---|
//! | `http` | [`http`]: the HTTP contract (paths, disclosure, bodies, the status page) |
//! | `axum` | [`axum`]: the axum adapter (and `http`) |
//! | `actix` | [`actix`]: the actix-web adapter (and `http`) |
//! | `tower` | [`tower`]: the contract as a tower service, and the dedicated probe listener (and `http`) |
//! | `tonic` | [`tonic`]: `grpc.health.v1` (Check, Watch, List) for tonic, from the same checks |
//! | `metrics` | `health_check_*` and `health_probe_status` series through the `metrics` facade |
//! | `checks` | [`checks`]: built-in checks, the TCP one |
//! | `disk`, `postgres`, `sqlite`, `redis`, `http-check` | one more built-in check each (and `checks`) |
//!
//! # Crates
//!
//! | crate | here as | what |
//! |---|---|---|
//! | `health-core` | the root (chosen items) | model, checks, registry, runner, lifecycle, events, reports' data; no protocol |
//! | `health-macros` | [`health_check`], [`health_task`] | the attributes |
//! | `health-http` | [`http`] | the HTTP contract, once for every adapter |
//! | `health-axum`, `health-actix`, `health-tower` | [`axum`], [`actix`], [`tower`] | thin adapters over the contract; the probe listener |
//! | `health-tonic` | [`tonic`] | `grpc.health.v1` from the same registry |
//! | `health-checks` | [`checks`] | built-in checks |
//!
//! [`#[health_task]`](health_task) declares a supervised task the same
//! way: a queue consumer or a refresher that every registry starts, restarts
//! after a failure with a backoff, and shows as a component (DOWN when it
//! exited, panicked or stalled); [`task`] builds one at run time.
//!
//! ```standalone_crate
//! use health::{health_task, Heartbeat, Probe, Registry, Status};
//! use std::time::Duration;
//!
//! struct Queue;
//!
//! #[health_task(stall_after = "30s", restart = "on_failure", tags = ["queue"])]
//! async fn consumer(heartbeat: Heartbeat, queue: &Queue) -> Result<(), std::io::Error> {
//!     let _ = queue;
//!     loop {
//!         heartbeat.tick(); // a message handled
//!         tokio::time::sleep(Duration::from_millis(10)).await;
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), health::BuildError> {
//! // Built inside a runtime: `consumer` starts now, with the `Queue`.
//! let registry = Registry::builder().state(Queue).build()?;
//! tokio::time::sleep(Duration::from_millis(50)).await;
//! let report = registry.run(Probe::Readiness).await;
//! assert_eq!(report.component("consumer").map(|c| c.status()), Some(Status::Up));
//! # Ok(()) }
//! ```
//!
//! Every declared check and task in a binary joins every registry it
//! builds, unless filtered out with [`RegistryBuilder::filter`]. Doc tests
//! that declare checks or tasks are best marked `standalone_crate`: merged
//! doc tests share one binary, and with it everything declared in any of
//! them.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use health_core::check::waiting_for;
pub use health_core::events::{Changes, Subject, Transition};
pub use health_core::hygiene::MAX_MESSAGE_CHARS;
pub use health_core::registry::Checks;
pub use health_core::report::{CheckHistory, HistorySample};
pub use health_core::{
    AddError, BuildError, Check, CheckGuard, Component, DrainPhase, DrainReport, Heartbeat,
    IntoOutcome, Jitter, KubernetesProbes, Lifecycle, Location, Observed, Outcome, PodSettings,
    Policy, Probe, ProbeSettings, Probes, Problem, RateLimit, Registry, RegistryBuilder, Report,
    Selection, Status, StopSignal, UnknownSignal, Verdict,
};
pub use health_macros::{health_check, health_task};

/// Supervised background tasks: [`Check::task`] and its supervisor.
pub use health_core::task;

#[cfg(all(feature = "systemd", unix))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "systemd", unix))))]
pub use health_core::systemd;

/// The HTTP contract: [`http::Endpoints`] built from a registry, with its
/// paths and disclosure (rate limits are the registry's: they bound how
/// often checks run, for every protocol).
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub use health_http as http;

/// Built-in checks: TCP with `checks`; disk, PostgreSQL, SQLite, Redis and
/// HTTP upstreams behind the features `disk`, `postgres`, `sqlite`,
/// `redis`, `http-check`.
#[cfg(feature = "checks")]
#[cfg_attr(docsrs, doc(cfg(feature = "checks")))]
pub use health_checks as checks;

/// The axum adapter: `Router::new().merge(health::axum::routes(endpoints))`.
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use health_axum as axum;

/// The actix-web adapter: `App::new().configure(health::actix::configure(endpoints))`.
#[cfg(feature = "actix")]
#[cfg_attr(docsrs, doc(cfg(feature = "actix")))]
pub use health_actix as actix;

/// The contract as a tower service for any hyper or tower server, and the
/// dedicated probe listener: `health::tower::ProbeListener::bind(addr)?.serve(endpoints)?`.
#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub use health_tower as tower;

/// gRPC health for tonic: `Server::builder().add_service(health::tonic::HealthServer::new(registry)?)`.
#[cfg(feature = "tonic")]
#[cfg_attr(docsrs, doc(cfg(feature = "tonic")))]
pub use health_tonic as tonic;

#[doc(hidden)]
pub use health_core::__private;

/// The README's Rust blocks, compiled as doc tests so the front page
/// cannot drift from the API (they use every feature).
#[cfg(all(
    doctest,
    feature = "axum",
    feature = "actix",
    feature = "disk",
    feature = "postgres",
    feature = "redis",
    feature = "http-check",
    feature = "tonic",
    feature = "tower"
))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
