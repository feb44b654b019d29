//! Items the `#[health_check]` and `#[health_task]` expansions refer to.
//! Not public API: no semver guarantees, may change in any release.

pub use crate::__health_declare as declare;
pub use crate::check::declared::Declared;
pub use crate::check::state::{State, StateReq};
pub use crate::check::{CheckFuture, Heartbeat, Location, Policy, Probe, Probes, run_blocking};
pub use crate::model::{IntoOutcome, Outcome};
pub use crate::task::Restart;
pub use crate::task::declared::{DeclaredTask, TaskFuture, TaskResult};
use crate::task::{Backoff, DEFAULT_JITTER};
pub use core::time::Duration;
pub use inventory;
pub use std::boxed::Box;
pub use std::option::Option;

/// The outcome of a declared check whose `&T` parameter has no state. The
/// registry refuses to build in that case, so this is a safety net only.
pub fn missing_state<T: ?Sized>() -> Outcome {
    Outcome::down(missing::<T>())
}

/// The end of a declared task's run whose `&T` parameter has no state; a
/// safety net, as [`missing_state`].
pub fn missing_task_state<T: ?Sized>() -> Result<(), String> {
    Err(missing::<T>())
}

fn missing<T: ?Sized>() -> String {
    format!(
        "no state of type `{}` was given to the registry",
        std::any::type_name::<T>()
    )
}

/// A declared task's backoff: `initial`, doubling to `max`, with the
/// default jitter.
pub const fn backoff(initial: Duration, max: Duration) -> Backoff {
    Backoff {
        initial,
        max,
        jitter: DEFAULT_JITTER,
    }
}

/// Compile-time assertion that a check's return type implements
/// [`IntoOutcome`]; the expansion spans it on the user's return type.
pub const fn assert_into_outcome<T: IntoOutcome>() {}

/// Compile-time assertion that a task's return type is `()` or
/// `Result<(), E: Display>`; the expansion spans it on the user's return
/// type.
pub const fn assert_task_result<T: TaskResult>() {}

/// Compile-time assertion that an async check's or task's future is
/// `Send`; the expansion spans it on the user's function.
pub fn assert_send<F: std::future::Future + Send>(future: F) -> F {
    future
}
