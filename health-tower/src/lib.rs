//! The HTTP contract of the `health` crate for every hyper and tower
//! server, and a dedicated probe listener.
//!
//! - [`ProbeService`]: the contract as a [`tower_service::Service`] over
//!   `http` 1.x requests, routing by path itself: usable with plain hyper
//!   and any tower-based server.
//! - [`ProbeListener`]: that service on its own port, thread, runtime and
//!   accept queue: probes answered first, whatever the application's
//!   server is (axum, actix-web, tonic...), while checks run on the
//!   application's runtime and measure it. The recommended wiring for
//!   Kubernetes probes: a busy service keeps answering its probes in time.
//! - [`serve`] and [`DrainLayer`]: the application's own traffic drained on
//!   shutdown, not only its readiness: `Connection: close` on HTTP/1.1,
//!   GOAWAY on HTTP/2, a refusal with `Retry-After` after the delay, a
//!   budget for requests in flight, the drain audit at exit
//!   ([`health_http::Drain`] decides).
//!
//! Every HTTP decision is `health-http`'s; this crate translates.
//!
//! # Layers
//!
//! | module | what |
//! |---|---|
//! | `service` | [`ProbeService`], [`Peer`]: the contract as a tower service |
//! | `listener` | [`ProbeListener`], [`Serving`]: the service on a thread of its own |
//! | `drain` | [`DrainLayer`] and [`serve`]: the application's connections drained |
#![cfg_attr(docsrs, feature(doc_cfg))]

mod drain;
mod listener;
mod service;

pub use drain::{DrainLayer, DrainService, Draining, serve};
pub use listener::{ProbeListener, Serving};
pub use service::{Answering, Peer, ProbeService};
