//! Running checks: every selected check concurrently, each bounded by its
//! timeout, isolated from panics, executed at most once at a time.

mod execution;
mod join;
mod slot;

pub(crate) use slot::{Finished, Slot};

use crate::check::CheckFuture;
use crate::model::Outcome;
use crate::report::Component;
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;
use tokio::time::Instant;

/// Whether a blocking check's previous run is still on its thread.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Busy(AtomicBool);

impl Busy {
    /// Not busy.
    pub const fn new() -> Self {
        Self(AtomicBool::new(false))
    }
}

/// Clears the flag when the blocking function returns or panics.
struct Release<B: Deref<Target = Busy>>(B);

impl<B: Deref<Target = Busy>> Drop for Release<B> {
    fn drop(&mut self) {
        self.0.0.store(false, Ordering::Release);
    }
}

/// Runs a blocking function on tokio's blocking pool, so a slow synchronous
/// check never stalls the async runtime. A panic inside is DOWN
/// ("check panicked").
///
/// A thread cannot be stopped: a run that outlives its timeout keeps its
/// thread until it returns. `busy`, one per check, keeps that from piling
/// up: while the previous run has not returned, a new one is DOWN at once
/// instead of taking another thread.
pub fn run_blocking<B, F>(busy: B, f: F) -> CheckFuture
where
    B: Deref<Target = Busy> + Send + 'static,
    F: FnOnce() -> Outcome + Send + 'static,
{
    if busy.0.swap(true, Ordering::AcqRel) {
        return Box::pin(std::future::ready(Outcome::down(
            "the previous run has not returned yet",
        )));
    }
    let task = tokio::task::spawn_blocking(move || {
        let _release = Release(busy);
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

/// Runs `slots` concurrently (each served from cache, background result or a
/// shared execution, as its policy says) and returns their components, in
/// the order of `slots`, and the wall-clock time the run started.
pub(crate) async fn run(slots: &[&Arc<Slot>]) -> (Vec<Component>, SystemTime) {
    // Ages are measured from the start of the run: a result produced by this
    // run is zero old, a cached or background one as old as it was then.
    let now = (Instant::now(), SystemTime::now());
    let results = join::join_all(slots.iter().map(|slot| slot.pending(now.0))).await;
    let components = slots
        .iter()
        .zip(results)
        .map(|(slot, finished)| slot.component(finished, now));
    (components.collect(), now.1)
}

/// The components of `slots` from their latest results, without running.
pub(crate) fn latest(slots: &[&Arc<Slot>]) -> (Vec<Component>, SystemTime) {
    let now = (Instant::now(), SystemTime::now());
    (
        slots
            .iter()
            .map(|slot| slot.component(slot.last(), now))
            .collect(),
        now.1,
    )
}
