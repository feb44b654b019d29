//! The refresh tasks of `interval` checks: spawned on the application's
//! runtime (or the first at hand), spawned again if theirs is gone
//! (a check found its result stale), aborted when the registry is dropped.

use crate::runner::Slot;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::task::AbortHandle;

#[derive(Default)]
pub(super) struct Tasks {
    started: AtomicBool,
    /// Set by a slot that found its background result stale.
    gone: Arc<AtomicBool>,
    /// One per `interval` check, by slot index.
    handles: Mutex<Vec<(usize, AbortHandle)>>,
}

impl Tasks {
    /// Spawns the refresh task of each `interval` check, once, if a tokio
    /// runtime is at hand.
    /// The flag slots raise when their background result is stale.
    pub(super) fn gone_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.gone)
    }

    /// Spawns the refresh task of each `interval` check once, on `home`
    /// (the application's runtime) or else the runtime at hand; and again
    /// each task whose runtime ended.
    pub(super) fn start(&self, slots: &[Arc<Slot>], home: Option<&tokio::runtime::Handle>) {
        let first = !self.started.load(Ordering::Acquire);
        if !first && !self.gone.load(Ordering::Acquire) {
            return;
        }
        let Some(runtime) = home
            .cloned()
            .or_else(|| tokio::runtime::Handle::try_current().ok())
        else {
            return;
        };
        let mut handles = self.handles.lock().unwrap_or_else(|p| p.into_inner());
        if !self.started.swap(true, Ordering::AcqRel) {
            for (index, slot) in slots.iter().enumerate() {
                if let Some(period) = slot.check.policy().interval() {
                    handles.push((index, spawn(&runtime, slot, period)));
                }
            }
        } else if self.gone.swap(false, Ordering::AcqRel) {
            for (index, handle) in handles.iter_mut() {
                let slot = &slots[*index];
                if let (true, Some(period)) = (handle.is_finished(), slot.check.policy().interval())
                {
                    tracing::info!(
                        check = slot.check.name(),
                        "health: background refresh restarted on this runtime"
                    );
                    *handle = spawn(&runtime, slot, period);
                }
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

/// The refresh task of one `interval` check.
fn spawn(
    runtime: &tokio::runtime::Handle,
    slot: &Arc<Slot>,
    period: std::time::Duration,
) -> AbortHandle {
    let slot = Arc::clone(slot);
    let task = runtime.spawn(async move {
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            crate::runner::refresh(&slot).await;
        }
    });
    task.abort_handle()
}
