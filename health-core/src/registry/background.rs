//! The refresh tasks of `interval` checks: spawned once, on the first
//! tokio runtime at hand, aborted when the registry is dropped.

use crate::runner::Slot;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::task::AbortHandle;

#[derive(Default)]
pub(super) struct Tasks {
    started: AtomicBool,
    handles: Mutex<Vec<AbortHandle>>,
}

impl Tasks {
    /// Spawns the refresh task of each `interval` check, once, if a tokio
    /// runtime is at hand.
    pub(super) fn start(&self, slots: &[Arc<Slot>]) {
        if self.started.load(Ordering::Acquire) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let mut handles = self.handles.lock().unwrap_or_else(|p| p.into_inner());
        if self.started.swap(true, Ordering::AcqRel) {
            return;
        }
        for slot in slots {
            let Some(period) = slot.check.policy().interval() else {
                continue;
            };
            let slot = Arc::clone(slot);
            let task = runtime.spawn(async move {
                let mut ticks = tokio::time::interval(period);
                ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    ticks.tick().await;
                    slot.execute().await;
                }
            });
            handles.push(task.abort_handle());
        }
    }
}

impl Drop for Tasks {
    fn drop(&mut self) {
        let handles = self.handles.get_mut().unwrap_or_else(|p| p.into_inner());
        for handle in handles.drain(..) {
            handle.abort();
        }
    }
}
