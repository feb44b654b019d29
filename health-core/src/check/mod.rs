//! What a check is: a name, a [`Policy`], the probes it belongs to, and a
//! function producing an [`Outcome`](crate::Outcome).
//!
//! Checks come from two places that behave identically: functions
//! annotated with `#[health_check]` (registered before `main`, see
//! `declared.rs`) and [`Check::new`] / [`Check::blocking`] at run time.
//!
//! | file | what |
//! |---|---|
//! | `definition.rs` | [`Check`]: name, tags, policy, run function |
//! | `policy.rs` | [`Policy`]: timeout, criticality, probes, cache, intervals, thresholds, slowness |
//! | `probe.rs` | [`Probe`] and the set [`Probes`] |
//! | `jitter.rs` | [`Jitter`]: how the background runs of `interval` checks are spread; the generator behind it |
//! | `rate_limit.rs` | [`RateLimit`]: how often a check may run, however many ask |
//! | `location.rs` | [`Location`]: where a check was declared or built |
//! | `state.rs` | the values `&T` parameters resolve to |
//! | `blocking.rs` | [`CheckFuture`], what a run returns; [`run_blocking`]: plain `fn` checks on the blocking pool |
//! | `waiting.rs` | [`waiting_for`]: what a running check waits for, for timeout messages |
//! | `heartbeat.rs` | [`Heartbeat`] and [`Check::ttl`]: a signal the application pushes, DOWN when silent |
//! | `declared.rs` | the descriptors `#[health_check]` registers |

mod blocking;
pub(crate) mod declared;
mod definition;
mod heartbeat;
mod jitter;
mod location;
mod policy;
mod probe;
mod rate_limit;
pub(crate) mod state;
mod waiting;

pub(crate) use blocking::{Busy, with_busy_flag};
pub use blocking::{CheckFuture, run_blocking};
pub use definition::Check;
pub(crate) use definition::Tags;
pub use heartbeat::Heartbeat;
pub(crate) use heartbeat::tenths;
pub use jitter::Jitter;
pub(crate) use jitter::Rng;
pub use location::Location;
pub use policy::Policy;
pub use probe::{Probe, Probes};
pub use rate_limit::RateLimit;
pub(crate) use rate_limit::Tokens;
pub(crate) use waiting::take_waiting_for;
pub use waiting::waiting_for;
