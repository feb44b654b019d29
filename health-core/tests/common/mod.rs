//! Helpers shared by health-core's integration tests.

use health_core::Check;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A check that is UP while `up` is true, else DOWN "connection refused".
pub(crate) fn switch(name: &'static str, up: &Arc<AtomicBool>) -> Check {
    let up = Arc::clone(up);
    Check::new(name, move || {
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
