//! Supervised tasks started by the registry: [`Supervisor::spawn`] for a
//! task built at run time, and the tasks `#[health_task]` declares
//! (`declared_tasks.rs`), each started once per registry on its home
//! runtime. The registry is each supervisor's [`Host`].

use super::definition::{Inner, Registry};
use crate::check::Heartbeat;
use crate::runner::Home;
use crate::task::{Host, Restart, Supervisor};
use std::fmt::Display;
use std::future::Future;
use std::sync::{Arc, Weak};
use tokio::task::JoinHandle;

impl Supervisor {
    /// Spawns the task on the current tokio runtime: `make` is called for
    /// each start with the task's [`Heartbeat`]. Returns
    /// the supervisor's own task, which ends when the task is over for good
    /// (an exit not restarted, or the end of the drain).
    pub fn spawn<F, Fut, E>(self, registry: &Registry, restart: Restart, make: F) -> JoinHandle<()>
    where
        F: FnMut(Heartbeat) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Display + Send + 'static,
    {
        tokio::spawn(self.run(registry.clone(), restart, make))
    }
}

/// A task spawned at run time holds its registry.
impl Host for Registry {
    async fn refresh(&self, name: &str) {
        let _ = self.run_component(name).await;
    }

    fn stopped(&self) -> impl Future<Output = ()> + Send + 'static {
        drain_over(&self.0)
    }
}

/// A declared task does not keep its registry alive: dropping the
/// registry stops it, as it aborts the refresh tasks of `interval` checks.
struct Declared(Weak<Inner>);

impl Host for Declared {
    async fn refresh(&self, name: &str) {
        if let Some(inner) = self.0.upgrade() {
            let _ = Registry(inner).run_component(name).await;
        }
    }

    fn stopped(&self) -> impl Future<Output = ()> + Send + 'static {
        let over = self.0.upgrade().map(|inner| drain_over(&inner));
        async move {
            if let Some(over) = over {
                over.await;
            }
        }
    }
}

/// Resolves when the drain is over: the drain delay after it began; or
/// at once when the registry is dropped.
fn drain_over(inner: &Inner) -> impl Future<Output = ()> + Send + use<> {
    let begun = inner.lifecycle.drain_begun();
    let delay = inner.lifecycle.drain_delay();
    async move {
        if begun.await {
            tokio::time::sleep(delay).await;
        }
    }
}

impl Registry {
    /// Starts the declared tasks, once, on the home runtime or else the
    /// one at hand; outside any runtime, nothing yet.
    pub(super) fn start_declared_tasks(&self) {
        let home = self.0.home.as_ref().and_then(Home::alive);
        self.0
            .declared_tasks
            .start(home, || Declared(Arc::downgrade(&self.0)));
    }
}
