//! The [`Registry`]: the checks of one service, their state, its
//! lifecycle and its metadata. Cheap to clone; clones share everything.
//!
//! | file | what |
//! |---|---|
//! | `roster.rs` | the checks held now, replaced whole on a change; [`Checks`], a snapshot of them |
//! | `definition.rs` | [`Registry`]: what it holds, how it is made, metadata |
//! | `added.rs` | checks added at run time: [`Registry::add`], [`CheckGuard`]; names reserved by adapters |
//! | `evaluate.rs` | running probes and components: the memo, verdicts, transitions |
//! | `history.rs` | each check's recent past |
//! | `builder.rs` | [`RegistryBuilder`]: state, checks, filters; validation |
//! | `error.rs` | [`BuildError`], the shape of every builder's refusal, and each [`Problem`] of this one; [`AddError`] |
//! | `selection.rs` | [`Selection`]: which checks a run covers |
//! | `verdict.rs` | [`Verdict`]: the pure decision of a probe's status |
//! | `lifecycle.rs` | [`Lifecycle`]: draining, maintenance; [`DrainPhase`]; the cell holding them |
//! | `stop.rs` | [`StopSignal`]: the signals that begin the drain |
//! | `audit.rs` | the drain audit: late requests counted; [`DrainReport`] |
//! | `drain.rs` | the methods that drain, count and report, set and clear maintenance; the shutdown signal |
//! | `latest.rs` | each probe's latest aggregate, ordered by when its run started |
//! | `memo.rs` | each probe's summary while its checks' results are at hand: [`Registry::verdict_now`] |
//! | `background.rs` | the refresh tasks of `interval` checks |
//! | `declared_tasks.rs` | the `#[health_task]` tasks of one registry, until started |
//! | `tasks.rs` | supervised tasks: [`Supervisor::spawn`](crate::task::Supervisor::spawn), and starting the declared ones, once per registry |
//! | `settings.rs` | [`PodSettings`]: the orchestrator's probe settings, derived from the checks; the warning of a check slower than the probe timeout |
//! | `kubernetes.rs` | [`KubernetesProbes`]: those settings as a container's probe blocks, for every protocol |

mod added;
mod audit;
mod background;
mod builder;
mod declared_tasks;
mod definition;
mod drain;
mod error;
mod evaluate;
mod history;
mod kubernetes;
mod latest;
mod lifecycle;
mod memo;
mod roster;
mod selection;
mod settings;
mod stop;
mod tasks;
mod verdict;

pub use added::CheckGuard;
pub use audit::DrainReport;
pub use builder::{MAX_HISTORY, RegistryBuilder};
pub use definition::Registry;
pub use error::{AddError, BuildError, Problem};
pub use kubernetes::KubernetesProbes;
pub use lifecycle::{DrainPhase, Lifecycle};
pub use roster::{Checks, Iter};
pub use selection::Selection;
pub use settings::{PROBE_MARGIN, PodSettings, ProbeSettings};
pub use stop::{StopSignal, UnknownSignal};
pub use verdict::Verdict;
