//! gRPC health (`health::tonic`) over real HTTP/2 on 127.0.0.1, with a real
//! tonic client: service names and statuses, `Watch` and its caps, `List`,
//! load, and shutdown. The scenario table shared with HTTP is `tests/protocols`.

#![allow(clippy::unwrap_used)]

#[path = "../grpc_support/mod.rs"]
mod grpc_support;

mod added;
mod balancers;
mod caps;
mod checks;
mod deadline;
mod dedicated;
mod list;
mod load;
mod services;
mod shutdown;
mod tasks;
mod ttl;
mod watch;
