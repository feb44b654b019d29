//! Registration of `#[health_task]` functions before `main`.
//!
//! The attribute emits one `static` [`DeclaredTask`] through `declare!`
//! (`inventory::submit!`), as `#[health_check]` does its checks; the
//! registry's builder reads them with [`all`] and starts each task in
//! every registry it builds. The same trap applies: tasks declared in a
//! library crate the binary never names are not linked.

use super::restart::Restart;
use super::supervisor::Supervisor;
use crate::check::state::{State, StateReq};
use crate::check::{Check, Heartbeat, Location, Policy};
use std::borrow::Cow;
use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// What a declared task's run returns: `Err` with the error's text.
pub type TaskFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// The descriptor `#[health_task]` registers. Not public API.
#[doc(hidden)]
pub struct DeclaredTask {
    pub name: &'static str,
    pub tags: &'static [&'static str],
    /// Criticality and probes of the task's component.
    pub policy: Policy,
    pub location: Location,
    pub requires: &'static [StateReq],
    /// `None`: the function takes no `Heartbeat`, no stall detection.
    pub stall_after: Option<Duration>,
    pub restart: Restart,
    /// Starts one run, with the registry's state and the task's heartbeat.
    pub run: fn(&State, Heartbeat) -> TaskFuture,
}

inventory::collect!(DeclaredTask);

/// A declared task's component and its supervisor, not started yet.
pub(crate) struct Pending {
    pub(crate) declared: &'static DeclaredTask,
    pub(crate) supervisor: Supervisor,
}

impl DeclaredTask {
    fn to_check(&'static self) -> (Check, Pending) {
        let (mut check, supervisor) = Check::supervised(Cow::Borrowed(self.name), self.stall_after);
        check.tags = self.tags.iter().map(|t| Cow::Borrowed(*t)).collect();
        check.policy = self.policy;
        check.location = self.location;
        check.requires = Cow::Borrowed(self.requires);
        let pending = Pending {
            declared: self,
            supervisor,
        };
        (check, pending)
    }
}

impl Pending {
    /// The supervising loop of the task, with `state` for its `&T`
    /// parameters; its caller spawns it.
    pub(crate) fn run<H: super::Host>(
        self,
        host: H,
        state: State,
    ) -> impl Future<Output = ()> + Send + 'static {
        let Self {
            declared,
            supervisor,
        } = self;
        supervisor.run(host, declared.restart, move |heartbeat| {
            (declared.run)(&state, heartbeat)
        })
    }
}

/// Every declared task in the linked binary, in no particular order: each
/// one's component, and its supervisor to start.
pub(crate) fn all() -> impl Iterator<Item = (Check, Pending)> {
    inventory::iter::<DeclaredTask>
        .into_iter()
        .map(DeclaredTask::to_check)
}

/// What a declared task may return: `()`, or `Result<(), E>` with
/// `E: Display` (an `Err` ends the run, "exited: " and the error's text).
/// Not public API.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the result of a health task",
    label = "not a health task result",
    note = "a health task returns `()` or `Result<(), E>` where `E: Display`"
)]
pub trait TaskResult {
    /// `Err` with the error's text.
    fn into_task_result(self) -> Result<(), String>;
}

impl TaskResult for () {
    fn into_task_result(self) -> Result<(), String> {
        Ok(())
    }
}

impl<E: Display> TaskResult for Result<(), E> {
    fn into_task_result(self) -> Result<(), String> {
        self.map_err(|error| error.to_string())
    }
}
