//! [`Home`]: the runtime a registry's checks run on, the application's, so
//! that they measure it wherever the probe that asks is answered (a
//! dedicated probe listener on a thread and runtime of its own, say).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::runtime::Handle;

/// The application's runtime, and whether it still runs.
#[derive(Debug)]
pub(crate) struct Home {
    handle: Handle,
    /// Set when the runtime shut down: its tasks, the sentinel among them,
    /// were dropped.
    gone: Arc<AtomicBool>,
}

impl Home {
    /// `handle`'s runtime as home: a sentinel task on it tells when it
    /// shuts down.
    pub(crate) fn new(handle: Handle) -> Self {
        let gone = Arc::new(AtomicBool::new(false));
        let sentinel = Sentinel(Arc::clone(&gone));
        drop(handle.spawn(async move {
            let _sentinel = sentinel;
            std::future::pending::<()>().await;
        }));
        Self { handle, gone }
    }

    /// The runtime at hand, if any.
    pub(crate) fn current() -> Option<Self> {
        Handle::try_current().ok().map(Self::new)
    }

    /// Its handle while it runs.
    pub(crate) fn alive(&self) -> Option<&Handle> {
        (!self.gone.load(Ordering::Acquire)).then_some(&self.handle)
    }

    /// Where a caller should start a check's execution: `None` on the home
    /// runtime itself (in place, as it always was), or off any runtime,
    /// or once home is gone; else home's handle, to spawn it there.
    pub(crate) fn away(&self) -> Option<&Handle> {
        let home = self.alive()?;
        let here = Handle::try_current().ok()?;
        (here.id() != home.id()).then_some(home)
    }
}

/// Dropped with the home runtime's tasks.
struct Sentinel(Arc<AtomicBool>);

impl Drop for Sentinel {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn away_from_home_and_home_gone() {
        let app = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let home = Home::new(app.handle().clone());
        assert!(home.away().is_none(), "off any runtime: in place");
        app.block_on(async { assert!(home.away().is_none(), "at home: in place") });
        let probes = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        probes.block_on(async { assert!(home.away().is_some(), "elsewhere: at home") });
        drop(app);
        assert!(home.alive().is_none());
        probes.block_on(async { assert!(home.away().is_none(), "home gone: in place") });
    }
}
