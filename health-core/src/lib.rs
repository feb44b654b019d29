//! The runtime of [`health`](https://docs.rs/health): the check model, the
//! registry, the concurrent runner, the lifecycle, events and the reports'
//! data. Durations in messages are written in the one grammar of
//! `health-names` that the attribute and the probe binary read. It knows
//! no protocol and writes no body: the HTTP contract
//! (`health-http`) and the gRPC service (`health-tonic`) are built on it.
//!
//! Applications depend on the facade crate `health`, which re-exports this
//! crate, the `#[health_check]` and `#[health_task]` attributes, the protocols and the adapters.
//!
//! # Layers
//!
//! Each module imports only from the layers above it in this table:
//!
//! | layer | what | may import |
//! |---|---|---|
//! | [`hygiene`] | redacting, cutting and sanitizing messages | std |
//! | [`model`] | [`Status`], [`Outcome`], [`Observed`]; a finished execution | `hygiene` |
//! | [`check`] | [`Check`], [`Policy`], [`Probe`]s, [`Location`], state, blocking runs, declared checks | `model` |
//! | [`events`] | logs, metrics and [`Transition`](events::Transition)s to listeners | `model`, `check` |
//! | [`report`] | the data a run produces: [`Report`], [`Component`], [`CheckHistory`](report::CheckHistory) | `model`, `check` |
//! | `runner` (private) | single flight, timeouts, cache, threshold, history: one slot per check | `hygiene`, `model`, `check`, `events`, `report` |
//! | [`task`] | supervised background tasks: [`Check::task`], [`task::Supervisor`] and its loop (reaching the registry through a host it is given), [`task::Restart`]; the descriptors `#[health_task]` registers | `hygiene`, `model`, `check`, `events` |
//! | [`registry`] | [`Registry`], its builder and its [`BuildError`], selection, verdict, lifecycle, probe settings; starting supervised tasks, declared ones once per registry | all of the above |
//! | `systemd` | systemd's notify protocol (feature `systemd`): `READY=1`, `WATCHDOG=1`, `STATUS=`, `STOPPING=1` | `check`, `model`, `registry` |
//! | `__private` | what `#[health_check]` and `#[health_task]` expand to; not public API | `model`, `check`, `task` |
//!
//! No module knows a protocol or a body format: the HTTP bodies and their
//! media types are `health-http`'s, the gRPC statuses `health-tonic`'s.
//! The Kubernetes probe blocks are written here, once, with each probe's
//! handler (`httpGet`, `grpc`) given by its protocol's crate.

pub mod check;
pub mod events;
pub mod hygiene;
pub mod model;
pub mod registry;
pub mod report;
mod runner;
#[cfg(all(feature = "systemd", unix))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "systemd", unix))))]
pub mod systemd;
pub mod task;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use check::{Check, Heartbeat, Jitter, Location, Policy, Probe, Probes, RateLimit};
pub use model::{IntoOutcome, Observed, Outcome, Status};
pub use registry::{
    AddError, BuildError, CheckGuard, DrainPhase, DrainReport, KubernetesProbes, Lifecycle,
    MAX_HISTORY, PROBE_MARGIN, PodSettings, ProbeSettings, Problem, Registry, RegistryBuilder,
    Selection, StopSignal, UnknownSignal, Verdict,
};
pub use report::{Component, Report};
