//! The runtime of [`health`](https://docs.rs/health): the check model, the
//! registry, the concurrent runner, the lifecycle, events and reports. It
//! knows no protocol: the HTTP contract (`health-http`) and the gRPC
//! service (`health-tonic`) are built on it.
//!
//! Applications depend on the facade crate `health`, which re-exports this
//! crate, the `#[health_check]` attribute, the protocols and the adapters.
//!
//! # Layers
//!
//! Each module imports only from the layers above it in this table:
//!
//! | layer | what | may import |
//! |---|---|---|
//! | [`time`], [`text`] | RFC 3339 and duration text; redacting and sanitizing messages | std |
//! | [`model`] | [`Status`], [`Outcome`], [`Observed`]; a finished execution | `time`, `text` |
//! | [`check`] | [`Check`], [`Policy`], [`Probe`]s, [`Location`], state, blocking runs, declared checks | `model` |
//! | [`events`] | logs, metrics and [`Transition`](events::Transition)s to listeners | `model`, `check` |
//! | `runner` (private) | single flight, timeouts, cache, threshold: one slot per check | `model`, `check`, `events` |
//! | [`report`] | [`Report`], [`Component`], the native, IETF and text renderings | `time`, `text`, `model`, `check` |
//! | [`registry`] | [`Registry`], its builder, selection, verdict, lifecycle | all of the above |
//! | `__private` | what `#[health_check]` expands to; not public API | `model`, `check` |

pub mod check;
pub mod error;
pub mod events;
pub mod model;
pub mod registry;
pub mod report;
mod runner;
pub mod text;
pub mod time;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use check::{Check, Location, Policy, Probe, Probes, RateLimit};
pub use error::BuildError;
pub use model::{IntoOutcome, Observed, Outcome, Status};
pub use registry::{
    Lifecycle, MAX_HISTORY, Problem, Registry, RegistryBuilder, Selection, Verdict,
};
pub use report::{Component, Report};
