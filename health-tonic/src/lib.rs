//! gRPC health for tonic: the standard `grpc.health.v1.Health` service
//! (`Check`, `Watch` and `List`) answered from the checks of a
//! [`health_core::Registry`], the same declarations the HTTP endpoints
//! serve, with the same statuses.
//!
//! # Install
//!
//! Depend on the facade with the `tonic` feature; this crate is then
//! `health::tonic`:
//!
//! ```toml
//! [dependencies]
//! health = { version = "0.2", features = ["tonic"] }
//! tonic = "0.14"
//! ```
//!
//! # Features
//!
//! None of its own. It works with tonic 0.14 and needs its `server`
//! feature only (which a tonic server compiles anyway: it gives each
//! request its connection's addresses), nor `protoc`: the messages are
//! written out with prost's derives in `health-grpc-proto`, re-exported as
//! [`proto`].
//!
//! # Example
//!
//! ```no_run
//! use health_core::{Check, Registry};
//! use health_tonic::HealthServer;
//! use std::time::Duration;
//! use tonic::transport::Server;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let registry = Registry::builder()
//!         .check(Check::new("db", || async { Ok::<(), std::io::Error>(()) }))
//!         .build()?;
//!     // With the facade: `health::tonic::HealthServer`.
//!     let health = HealthServer::new(registry.clone())?;
//!     Server::builder()
//!         // HTTP/2 keepalive: a client that vanished without closing its
//!         // connection is found out within 40 s, and its open watches
//!         // (capped) are given back.
//!         .http2_keepalive_interval(Some(Duration::from_secs(30)))
//!         .http2_keepalive_timeout(Some(Duration::from_secs(10)))
//!         .add_service(health)
//!         // .add_service(GreeterServer::new(greeter)), the application
//!         // SIGTERM: readiness and "" turn NOT_SERVING at once; after the
//!         // drain delay open watches end and the server stops.
//!         .serve_with_shutdown("0.0.0.0:50051".parse()?, registry.shutdown_signal())
//!         .await?;
//!     Ok(())
//! }
//! ```
//!
//! Kubernetes probes it natively (`grpc: {port: 50051, service: liveness}`;
//! no `service` is `""`, readiness), and so does `health-probe
//! grpc://127.0.0.1:50051 --service readiness`.
//! [`HealthServer::kubernetes_probes`] writes the three probe blocks and
//! the grace period the registry's checks call for.
//!
//! # Services and statuses
//!
//! | service name | status of | |
//! |---|---|---|
//! | `""` | readiness: the server as a whole | NOT_SERVING while draining or in maintenance |
//! | `liveness`, `readiness`, `startup` | that probe (names configurable) | startup latches |
//! | a check's name | that one component, whatever its probes | only with [`components(true)`](HealthServerBuilder::components) |
//!
//! Components follow the registry: a check added at run time
//! ([`Registry::add`](health_core::Registry::add)) is answered, listed and
//! pushed to the open `Watch` streams of its name at once, and is unknown
//! again when its guard drops. The probes' names are reserved in the
//! registry, so no check added later can take one.
//!
//! The port discloses no more than the HTTP endpoints do by default: an
//! anonymous HTTP caller sees no component, and `grpc.health.v1` knows no
//! caller, so components are off unless turned on. A check of the startup
//! probe alone is never run again once startup latched, whoever asks: its
//! latched result answers.
//!
//! UP and DEGRADED are `SERVING`; DOWN, UNKNOWN and OUT_OF_SERVICE are
//! `NOT_SERVING` ([`serving_status`]). Unknown names: `Check` answers
//! `NOT_FOUND`, `Watch` sends `SERVICE_UNKNOWN` and keeps the stream open
//! (under a cap of its own), `List` answers every known service
//! (`RESOURCE_EXHAUSTED`, "too many services", past 100; the count is not
//! told). Only statuses go out, never a check's message. See
//! [`HealthServer`] for drain and shutdown.
//!
//! # Balancers that read status codes
//!
//! AWS ALB judges a gRPC health check by its gRPC status code alone, so
//! the protocol's OK carrying `NOT_SERVING` counts as healthy (grpc-go
//! #4460), and a draining target is never taken out. Behind ALB, build
//! with [`not_serving_as_error(Code::Unavailable)`](HealthServerBuilder::not_serving_as_error):
//! `Check` then answers `NOT_SERVING` as that error; `Watch` and `List`
//! keep the protocol's answers.
//!
//! # Watch
//!
//! A `Watch` sends the current status at once (the first watcher of a
//! service waits for one evaluation, bounded by the checks' timeouts), then
//! each change. For an unknown name it sends `SERVICE_UNKNOWN` and keeps the
//! stream open, as the protocol asks; the status would follow if the name
//! appeared, but a server's names are fixed when it is built, so nothing
//! follows until the watches end.
//!
//! Watchers share evaluations: one loop per watched service, started by
//! its first watcher and stopped when the last leaves, re-evaluating after
//! the changes the registry reports and otherwise every
//! [watch period](HealthServerBuilder::watch_period) (default 5 s), which
//! bounds how stale a watcher can be about `cache` and plain checks. A
//! change is pushed at once (evaluations stay 50 ms apart) where reading
//! it runs no check: services that `interval` checks alone decide, startup
//! once latched, a drain or maintenance. Where it would run checks again,
//! the re-evaluation waits until a second after the previous one: a check
//! that flaps costs every other watched service at most one extra
//! evaluation a second. A thousand idle watchers of a service cost the
//! check runs of one.
//!
//! Open watches are capped: in total ([`max_watches`](HealthServerBuilder::max_watches),
//! default 1000), per connection
//! ([`max_watches_per_connection`](HealthServerBuilder::max_watches_per_connection),
//! default 16) and for unknown names
//! ([`max_unknown_watches`](HealthServerBuilder::max_unknown_watches),
//! default 16). A `Watch` past a cap gets `RESOURCE_EXHAUSTED` while every
//! other caller is served. Serve with HTTP/2 keepalive (as in the example
//! above) so that the watches of clients that vanished are given back.
//!
//! # Layers
//!
//! The `grpc.health.v1` messages and method paths are `health-grpc-proto`'s,
//! re-exported as [`proto`]. Each module imports only from the layers above
//! it:
//!
//! | layer | what |
//! |---|---|
//! | `status` | [`serving_status`]: a health status as a serving status |
//! | `error` | [`BuildError`] and each [`Problem`] |
//! | `names` | service names and what they stand for; reading a status from the registry |
//! | `watch` | the caps on open watches, shared evaluation loops, the per-call stream, the end of the watches |
//! | `server` | [`HealthServer`]: what `Check`, `Watch` and `List` answer |
//! | `kubernetes` | [`HealthServer::kubernetes_probes`]: the `grpc` probe blocks the declarations call for |
//! | `builder` | [`HealthServerBuilder`]: settings, validated once |
//! | `service` | the tonic glue: method routing and codec |
#![cfg_attr(docsrs, feature(doc_cfg))]

mod builder;
mod error;
mod kubernetes;
mod names;
mod server;
mod service;
mod status;
mod watch;

pub use builder::{
    DEFAULT_MAX_UNKNOWN_WATCHES, DEFAULT_MAX_WATCHES, DEFAULT_MAX_WATCHES_PER_CONNECTION,
    DEFAULT_PROBE_TIMEOUT, DEFAULT_WATCH_PERIOD, HealthServerBuilder,
};
pub use error::{BuildError, Problem};
pub use server::HealthServer;
pub use status::serving_status;

/// The `grpc.health.v1` messages and method paths: the crate
/// `health-grpc-proto`, which `health-probe` shares.
pub use health_grpc_proto as proto;
