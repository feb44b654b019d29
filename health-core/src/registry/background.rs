//! The refresh tasks of `interval` checks: spawned on the application's
//! runtime (or the first at hand), spawned again if theirs is gone
//! (a check found its result stale), spawned for a check added at run
//! time, aborted when its check is removed or the registry dropped.

use crate::check::Jitter;
use crate::runner::{Slot, Slots};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::task::AbortHandle;

pub(super) struct Tasks {
    /// Set when the tasks may not match the checks: at first, after a
    /// check was added or removed, and by a slot that found its
    /// background result stale (its task's runtime is gone).
    dirty: Arc<AtomicBool>,
    /// One per `interval` check, with its slot.
    handles: Mutex<Vec<(Arc<Slot>, AbortHandle)>>,
    /// How the runs are spread.
    jitter: Jitter,
}

impl Tasks {
    pub(super) fn new(jitter: Jitter) -> Self {
        Self {
            dirty: Arc::new(AtomicBool::new(true)),
            handles: Mutex::default(),
            jitter,
        }
    }

    /// The flag slots raise when their background result is stale.
    pub(super) fn gone_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.dirty)
    }

    /// Asks the next [`start`](Self::start) to look at the checks again.
    pub(super) fn changed(&self) {
        self.dirty.store(true, Ordering::Release);
    }

    /// Whether [`start`](Self::start) may have work: the checks changed,
    /// or a task's runtime is gone, or nothing started yet.
    #[inline]
    pub(super) fn may_need_start(&self) -> bool {
        self.dirty.load(Ordering::Acquire)
    }

    /// Makes the tasks match the checks, if they may not (one atomic load
    /// when they do): spawns the refresh task of each `interval` check
    /// that has none or whose runtime ended, on `home` (the application's
    /// runtime) or else the runtime at hand; aborts those of checks gone.
    /// Without a runtime, the next call tries again.
    pub(super) fn start(
        &self,
        slots: impl FnOnce() -> Slots,
        home: Option<&tokio::runtime::Handle>,
    ) {
        if !self.dirty.load(Ordering::Acquire) {
            return;
        }
        let Some(runtime) = home
            .cloned()
            .or_else(|| tokio::runtime::Handle::try_current().ok())
        else {
            return;
        };
        let mut handles = self.handles.lock().unwrap_or_else(|p| p.into_inner());
        if !self.dirty.swap(false, Ordering::AcqRel) {
            return;
        }
        let slots = slots();
        handles.retain(|(slot, handle)| {
            let kept = slots.iter().any(|s| Arc::ptr_eq(s, slot));
            if !kept {
                handle.abort();
            }
            kept
        });
        for slot in slots.iter() {
            let Some(period) = slot.check.policy().interval() else {
                continue;
            };
            match handles.iter_mut().find(|(s, _)| Arc::ptr_eq(s, slot)) {
                Some((_, handle)) if handle.is_finished() => {
                    tracing::info!(
                        check = slot.check.name(),
                        "health: background refresh restarted on this runtime"
                    );
                    *handle = spawn(&runtime, slot, period, &self.jitter);
                }
                Some(_) => {}
                None => handles.push((
                    Arc::clone(slot),
                    spawn(&runtime, slot, period, &self.jitter),
                )),
            }
        }
    }
}

impl Drop for Tasks {
    fn drop(&mut self) {
        let handles = self.handles.get_mut().unwrap_or_else(|p| p.into_inner());
        for (_, handle) in handles.drain(..) {
            handle.abort();
        }
    }
}

/// The refresh task of one `interval` check: its first run after the
/// jitter's initial delay, then one every `period` (its failing interval
/// while its latest result fails), each shortened by the jitter, counted
/// from start to start.
fn spawn(
    runtime: &tokio::runtime::Handle,
    slot: &Arc<Slot>,
    period: std::time::Duration,
    jitter: &Jitter,
) -> AbortHandle {
    let slot = Arc::clone(slot);
    let mut schedule = jitter.schedule(slot.check.name());
    let task = runtime.spawn(async move {
        let first = schedule.first();
        if !first.is_zero() {
            tokio::time::sleep(first).await;
        }
        loop {
            let started = tokio::time::Instant::now();
            crate::runner::refresh(&slot).await;
            let period = match slot.check.policy().failing_interval() {
                Some(failing) if slot.failing() => failing,
                _ => period,
            };
            tokio::time::sleep_until(started + schedule.next(period)).await;
        }
    });
    task.abort_handle()
}
