//! Running checks: every selected check concurrently, each bounded by its
//! timeout, isolated from panics, executed at most once at a time.

mod execution;
mod join;
mod slot;

use slot::Pending;
pub(crate) use slot::{Finished, Slot};

use crate::check::CheckFuture;
use crate::model::{Outcome, Status};
use crate::report::Component;
use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;
use tokio::time::Instant;

/// Whether a check's blocking run is still on its thread; one per check in
/// a registry.
#[derive(Debug, Default)]
pub(crate) struct Busy(AtomicBool);

thread_local! {
    /// The [`Busy`] flag of the check whose run function is being called:
    /// [`run_blocking`], called from it, takes the flag from here.
    static STARTING: RefCell<Option<Arc<Busy>>> = const { RefCell::new(None) };
}

/// Calls `start` (a check's run function) with `busy` as the flag
/// [`run_blocking`] uses.
pub(crate) fn starting<R>(busy: &Arc<Busy>, start: impl FnOnce() -> R) -> R {
    struct Restore(Option<Arc<Busy>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            STARTING.with(|s| *s.borrow_mut() = previous);
        }
    }
    let _restore = Restore(STARTING.with(|s| s.borrow_mut().replace(Arc::clone(busy))));
    start()
}

/// Clears the flag when the blocking function returns or panics.
struct Release(Arc<Busy>);

impl Drop for Release {
    fn drop(&mut self) {
        self.0.0.store(false, Ordering::Release);
    }
}

/// Runs a blocking function on tokio's blocking pool, so a slow synchronous
/// check never stalls the async runtime. A panic inside is DOWN
/// ("check panicked").
///
/// A thread cannot be stopped: a run that outlives its timeout keeps its
/// thread until it returns. So that these never pile up, while a check's
/// previous blocking run has not returned, a new one is DOWN at once
/// instead of taking another thread. That guard applies to the first call
/// made synchronously from a check's run function, as
/// [`Check::blocking`](crate::Check::blocking) and `#[health_check]` on a
/// plain `fn` do; a call from inside an async check is not guarded.
pub fn run_blocking<F>(f: F) -> CheckFuture
where
    F: FnOnce() -> Outcome + Send + 'static,
{
    // Taken: a second call from the same run function is not guarded,
    // rather than taken for a stuck previous run.
    let busy = STARTING.with(|s| s.borrow_mut().take());
    if busy
        .as_ref()
        .is_some_and(|b| b.0.swap(true, Ordering::AcqRel))
    {
        return Box::pin(std::future::ready(Outcome::down(
            "the previous run has not returned yet",
        )));
    }
    // The guard exists before the task: if the task is never run (no
    // runtime, or one shutting down), dropping the closure clears the flag.
    let release = busy.map(Release);
    let task = tokio::task::spawn_blocking(move || {
        let _release = release;
        f()
    });
    Box::pin(async move {
        match task.await {
            Ok(outcome) => outcome,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Outcome::down("check was cancelled"),
        }
    })
}

/// The times a report is made with: ages count from the run's start,
/// wall-clock times derive from one wall-clock read.
pub(crate) struct Clock {
    pub(crate) started: Instant,
    pub(crate) instant: Instant,
    pub(crate) wall: SystemTime,
}

/// The results of one run: one per selected check, in order.
pub(crate) struct Results<'a> {
    slots: Vec<&'a Arc<Slot>>,
    results: Vec<Option<Arc<Finished>>>,
    /// When the run started: ages are measured from here, so a result this
    /// run produced is zero old, a cached one as old as it was then.
    started: Instant,
}

/// Runs `slots` concurrently, each served from its cache, its background
/// result or a shared execution, as its policy says.
pub(crate) async fn run(slots: Vec<&Arc<Slot>>) -> Results<'_> {
    let started = Instant::now();
    let mut results = Vec::with_capacity(slots.len());
    let mut waiting = Vec::new();
    for (index, slot) in slots.iter().enumerate() {
        match slot.pending(started) {
            Pending::Ready(result) => results.push(result),
            pending => {
                results.push(None);
                waiting.push((index, pending));
            }
        }
    }
    // Results at hand cost no future at all; only the rest are awaited.
    if !waiting.is_empty() {
        let (indices, pending): (Vec<usize>, Vec<Pending>) = waiting.into_iter().unzip();
        for (index, result) in indices.into_iter().zip(join::join_all(pending).await) {
            results[index] = result;
        }
    }
    Results {
        slots,
        results,
        started,
    }
}

/// The latest results of `slots`, without running anything.
pub(crate) fn latest(slots: Vec<&Arc<Slot>>) -> Results<'_> {
    let results = slots.iter().map(|slot| slot.last()).collect();
    Results {
        slots,
        results,
        started: Instant::now(),
    }
}

impl Results<'_> {
    /// Each check's criticality and status.
    pub(crate) fn statuses(&self) -> impl Iterator<Item = (bool, Status)> + '_ {
        self.slots.iter().zip(&self.results).map(|(slot, result)| {
            let status = result
                .as_ref()
                .map_or(Status::Unknown, |f| f.outcome.status());
            (slot.check.policy.critical, status)
        })
    }

    /// The report's components, and the wall-clock time of the run.
    pub(crate) fn components(self) -> (Vec<Component>, SystemTime) {
        // One wall-clock read: each result's time is derived from when it
        // was produced; its age is counted from the start of the run.
        let (instant, wall) = (Instant::now(), SystemTime::now());
        let clock = Clock {
            started: self.started,
            instant,
            wall,
        };
        let components = self
            .slots
            .iter()
            .zip(self.results)
            .map(|(slot, result)| slot.component(result, &clock))
            .collect();
        (components, wall)
    }
}
