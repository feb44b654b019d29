//! The tasks `#[health_task]` declares, kept by one registry until they
//! are started (`tasks.rs` starts them).

use crate::check::Check;
use crate::check::state::State;
use crate::task::Host;
use crate::task::declared::{self, Pending};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The declared tasks of one registry, until they are started.
#[derive(Default)]
pub(super) struct DeclaredTasks {
    started: AtomicBool,
    pending: Mutex<Vec<Pending>>,
    state: State,
}

impl DeclaredTasks {
    /// Every declared task that `keep` keeps (it is given the task's
    /// component), with `state` for their `&T` parameters; and their
    /// components, for the registry to hold.
    pub(super) fn declared(state: &State, keep: impl Fn(&Check) -> bool) -> (Self, Vec<Check>) {
        let (checks, pending) = declared::all().filter(|(check, _)| keep(check)).unzip();
        let tasks = Self {
            started: AtomicBool::new(false),
            pending: Mutex::new(pending),
            state: state.clone(),
        };
        (tasks, checks)
    }

    /// Whether the tasks were started (or there was none to start).
    #[inline]
    pub(super) fn started(&self) -> bool {
        self.started.load(Ordering::Acquire)
    }

    /// Starts every task, once, on `home` or else the runtime at hand,
    /// each with the [`Host`] `host` makes; outside any runtime, nothing
    /// yet.
    pub(super) fn start<H: Host>(
        &self,
        home: Option<&tokio::runtime::Handle>,
        host: impl Fn() -> H,
    ) {
        if self.started.load(Ordering::Acquire) {
            return;
        }
        let Some(runtime) = home
            .cloned()
            .or_else(|| tokio::runtime::Handle::try_current().ok())
        else {
            return;
        };
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        if self.started.swap(true, Ordering::AcqRel) {
            return;
        }
        for task in pending.drain(..) {
            drop(runtime.spawn(task.run(host(), self.state.clone())));
        }
    }
}
