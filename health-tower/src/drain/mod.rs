//! Draining the application's own traffic: [`DrainLayer`], the drain's
//! decision on each request of a tower service, and [`serve`], a server
//! that also sends HTTP/2 connections GOAWAY from the drain's start.
//!
//! | file | what |
//! |---|---|
//! | `layer.rs` | [`DrainLayer`], [`DrainService`], [`Draining`]: `Connection: close`, the refusal, Envoy's header |
//! | `serve.rs` | [`serve`]: accept, HTTP/1.1 or HTTP/2, GOAWAY, the request budget, the audit at exit |

mod layer;
mod serve;

pub use layer::{DrainLayer, DrainService, Draining};
pub use serve::serve;
