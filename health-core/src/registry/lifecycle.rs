//! [`Lifecycle`]: draining and maintenance, the service's own reasons to
//! leave rotation, and the cell that holds them.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::watch;

/// Where the service is in its lifecycle. Anything but `Serving` makes
/// readiness OUT_OF_SERVICE.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Lifecycle {
    /// Taking traffic as its checks allow.
    Serving,
    /// Shutting down: load balancers should stop sending traffic.
    Draining {
        /// Suggested `Retry-After`.
        retry_after: Duration,
    },
    /// Deliberately out of rotation.
    Maintenance {
        /// Why, for operators.
        reason: String,
        /// Suggested `Retry-After`.
        retry_after: Duration,
    },
}

impl Lifecycle {
    /// The suggested `Retry-After`, unless serving.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Lifecycle::Serving => None,
            Lifecycle::Draining { retry_after } | Lifecycle::Maintenance { retry_after, .. } => {
                Some(*retry_after)
            }
        }
    }
}

pub(crate) struct LifecycleCell {
    /// Fast path for readiness: anything but serving. Written only under
    /// the `switches` lock, so it never disagrees with it for long.
    out: AtomicBool,
    switches: Mutex<Switches>,
    /// Wakes [`drained`](Self::drained).
    drain_started: watch::Sender<bool>,
    drain_delay: Duration,
}

/// What the operator and the shutdown signal have switched.
#[derive(Default)]
struct Switches {
    draining: bool,
    maintenance: Option<(String, Duration)>,
}

impl LifecycleCell {
    pub(crate) fn new(drain_delay: Duration) -> Self {
        Self {
            out: AtomicBool::new(false),
            switches: Mutex::default(),
            drain_started: watch::Sender::new(false),
            drain_delay,
        }
    }

    pub(crate) fn drain_delay(&self) -> Duration {
        self.drain_delay
    }

    fn update(&self, change: impl FnOnce(&mut Switches)) {
        let mut state = self.switches.lock().unwrap_or_else(|p| p.into_inner());
        change(&mut state);
        self.out.store(
            state.draining || state.maintenance.is_some(),
            Ordering::Release,
        );
    }

    pub(crate) fn get(&self) -> Lifecycle {
        if !self.out.load(Ordering::Acquire) {
            return Lifecycle::Serving;
        }
        let state = self.switches.lock().unwrap_or_else(|p| p.into_inner());
        match &state.maintenance {
            _ if state.draining => Lifecycle::Draining {
                // At least one second: Retry-After counts whole seconds.
                retry_after: self.drain_delay.max(Duration::from_secs(1)),
            },
            Some((reason, retry_after)) => Lifecycle::Maintenance {
                reason: reason.clone(),
                retry_after: *retry_after,
            },
            None => Lifecycle::Serving,
        }
    }

    pub(crate) fn begin_drain(&self) {
        self.update(|s| s.draining = true);
        self.drain_started.send_replace(true);
    }

    pub(crate) async fn drained(&self) {
        let mut rx = self.drain_started.subscribe();
        // The sender lives as long as `self`; an error cannot happen here.
        let _ = rx.wait_for(|started| *started).await;
    }

    pub(crate) fn set_maintenance(&self, reason: String, retry_after: Duration) {
        self.update(|s| s.maintenance = Some((reason, retry_after)));
    }

    pub(crate) fn clear_maintenance(&self) {
        self.update(|s| s.maintenance = None);
    }
}
