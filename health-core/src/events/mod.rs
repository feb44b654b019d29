//! What happens to checks, told to the world: tracing events on
//! transitions, [`Transition`]s to `on_change` listeners, [`Changes`] to
//! subscribers, and (feature `metrics`) `health_check_status`,
//! `health_check_duration_seconds`, `health_check_failures_total`,
//! `health_check_slow_total`, `health_probe_status`,
//! `health_task_restarts_total` and `health_drain_requests_total` through
//! the `metrics` facade.
//!
//! Nothing here delays a probe: log lines and listeners run on one
//! delivery thread per registry (`delivery.rs`), in order; subscribers are
//! woken and metrics recorded at once, which costs no more than an atomic.
//!
//! | file | what |
//! |---|---|
//! | `transition.rs` | [`Transition`] and its [`Subject`]; listeners |
//! | `changes.rs` | [`Changes`]: a subscription |
//! | `hub.rs` | where executions and transitions are reported, and what each becomes |
//! | `delivery.rs` | the delivery thread: log lines and listeners |
//! | `metrics.rs` | the `metrics` series (feature `metrics`) |

mod changes;
mod delivery;
mod hub;
#[cfg(feature = "metrics")]
mod metrics;
mod transition;

#[cfg(feature = "metrics")]
pub(crate) use self::metrics::{describe, record_drain_request, record_task_restart};
pub use changes::Changes;
pub(crate) use hub::Events;
pub(crate) use transition::Listener;
pub use transition::{Subject, Transition};
