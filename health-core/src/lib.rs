//! The runtime of [`health`](https://docs.rs/health): the check model, the
//! registry, the concurrent runner, the lifecycle and the reports.
//!
//! Applications depend on the facade crate `health`, which re-exports this
//! crate, the `#[health_check]` attribute and the HTTP adapters.

pub mod check;
pub mod events;
pub mod http;
pub mod model;
pub mod registry;
pub mod report;
pub mod runner;
pub mod state;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use check::{Check, Location, Policy, Probe, Probes};
pub use http::{Details, HttpConfig};
pub use model::{Detail, IntoOutcome, Outcome, Status};
pub use registry::{BuildError, Lifecycle, Registry, RegistryBuilder};
pub use report::{Component, Report};
pub use state::State;
