//! Items the `#[health_check]` expansion refers to. Not public API: no
//! semver guarantees, may change in any release.

pub use crate::__health_declare as declare;
pub use crate::check::declared::Declared;
pub use crate::check::state::{State, StateReq};
pub use crate::check::{CheckFuture, Location, Policy, Probe, Probes, run_blocking};
pub use crate::model::{IntoOutcome, Outcome};
pub use core::time::Duration;
pub use inventory;
pub use std::boxed::Box;
pub use std::option::Option;

/// The outcome of a declared check whose `&T` parameter has no state. The
/// registry refuses to build in that case, so this is a safety net only.
pub fn missing_state<T: ?Sized>() -> Outcome {
    Outcome::down(format!(
        "no state of type `{}` was given to the registry",
        std::any::type_name::<T>()
    ))
}

/// Compile-time assertion that a check's return type implements
/// [`IntoOutcome`]; the expansion spans it on the user's return type.
pub const fn assert_into_outcome<T: IntoOutcome>() {}

/// Compile-time assertion that an async check's future is `Send`; the
/// expansion spans it on the user's function.
pub fn assert_send<F: std::future::Future + Send>(future: F) -> F {
    future
}
