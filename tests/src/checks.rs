//! Checks and registries the registry-level tests share.

use health::{Check, Jitter, Registry};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A registry of `checks` only. Interval checks run exactly at their
/// period (no jitter): the cases count runs and ages on the paused clock.
pub fn registry(checks: impl IntoIterator<Item = Check>) -> Registry {
    Registry::builder()
        .without_declared()
        .jitter(Jitter::NONE)
        .checks(checks)
        .build()
        .expect("valid registry")
}

/// A check that is UP while `up` holds, else DOWN "connection refused",
/// counting its executions in `runs`.
pub fn switch(name: &'static str, up: &Arc<AtomicBool>, runs: &Arc<AtomicUsize>) -> Check {
    let (up, runs) = (Arc::clone(up), Arc::clone(runs));
    Check::new(name, move || {
        runs.fetch_add(1, Ordering::SeqCst);
        let ok = up.load(Ordering::SeqCst);
        async move {
            if ok {
                Ok(())
            } else {
                Err("connection refused")
            }
        }
    })
}
