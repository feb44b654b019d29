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
//! health = { version = "0.1", features = ["tonic"] }
//! tonic = "0.14"
//! ```
//!
//! # Features
//!
//! None of its own. It works with tonic 0.14 and needs none of tonic's
//! features (the application's tonic brings its transport), nor `protoc`:
//! the messages are written out with prost's derives ([`proto`]).
//!
//! # Example
//!
//! ```no_run
//! use health_core::{Check, Registry};
//! use health_tonic::HealthServer;
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
//!
//! # Services and statuses
//!
//! | service name | status of | |
//! |---|---|---|
//! | `""` | readiness: the server as a whole | NOT_SERVING while draining or in maintenance |
//! | `liveness`, `readiness`, `startup` | that probe (names configurable) | startup latches |
//! | a check's name | that one component, whatever its probes | can be turned off |
//!
//! UP and DEGRADED are `SERVING`; DOWN, UNKNOWN and OUT_OF_SERVICE are
//! `NOT_SERVING`. Unknown names: `Check` answers `NOT_FOUND`, `Watch` sends
//! `SERVICE_UNKNOWN` and keeps the stream open, `List` answers every known
//! service (`RESOURCE_EXHAUSTED` past 100). Only statuses go out, never a
//! check's message. See [`HealthServer`] for drain and shutdown.
//!
//! # Watch
//!
//! A `Watch` sends the current status at once (the first watcher of a
//! service waits for one evaluation, bounded by the checks' timeouts), then
//! each change. For an unknown name it sends `SERVICE_UNKNOWN` and keeps the
//! stream open, as the protocol asks; the status would follow if the name
//! appeared, but a server's names are fixed when it is built, so nothing
//! follows until the watches end. Watchers
//! share evaluations: one loop per watched service, started by its first
//! watcher and stopped when the last leaves, re-evaluating on every change
//! the registry reports (so `interval` checks' transitions and drains are
//! pushed as they happen) and otherwise every
//! [watch period](HealthServerBuilder::watch_period) (default 5 s), which
//! bounds how stale a watcher can be about `cache` and plain checks.
//! Evaluations of one service are at least 50 ms apart. A thousand idle
//! watchers of a service cost the check runs of one.
//!
//! # Layers
//!
//! Each module imports only from the layers above it:
//!
//! | layer | what |
//! |---|---|
//! | [`proto`] | the `grpc.health.v1` messages, paths, the status mapping |
//! | `error` | [`BuildError`] and each [`Problem`] |
//! | `names` | service names and what they stand for; reading a status from the registry |
//! | `watch` | shared evaluation loops, the per-call stream, the end of the watches |
//! | `server` | [`HealthServer`]: what `Check`, `Watch` and `List` answer |
//! | `builder` | [`HealthServerBuilder`]: settings, validated once |
//! | `service` | the tonic glue: method routing and codec |
#![cfg_attr(docsrs, feature(doc_cfg))]

mod builder;
mod error;
mod names;
pub mod proto;
mod server;
mod service;
mod watch;

pub use builder::{DEFAULT_WATCH_PERIOD, HealthServerBuilder};
pub use error::{BuildError, Problem};
pub use server::HealthServer;
