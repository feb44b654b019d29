//! [`Lifecycle`]: draining and maintenance, the service's own reasons to
//! leave rotation; [`DrainPhase`], where a drain stands; and the cell that
//! holds them.

use super::stop::StopSignal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
// tokio's: the same clock as the timers (paused in tests), std's outside a
// runtime.
use tokio::sync::watch;
use tokio::time::Instant;

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

/// Where a drain stands, for a server deciding what to do with a request
/// of the application: [`Registry::drain_phase`](super::Registry::drain_phase).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DrainPhase {
    /// No drain has begun.
    Serving,
    /// Readiness is OUT_OF_SERVICE and the drain delay runs: load balancers
    /// are taking the service out of rotation. Requests are still served,
    /// and their connections closed, so that clients reconnect elsewhere.
    Delay,
    /// The delay is over (or a second signal cut it short): the server
    /// stops accepting and finishes the requests in flight; a request that
    /// still arrives is refused with `Retry-After`.
    AfterDelay,
}

/// When and why the drain began.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DrainStart {
    pub(crate) at: Instant,
    /// `SIGTERM`, `SIGINT`, ... or `begin_drain`.
    pub(crate) cause: &'static str,
}

pub(crate) struct LifecycleCell {
    /// Fast path for readiness: anything but serving. Written only under
    /// the `switches` lock, so it never disagrees with it for long.
    out: AtomicBool,
    switches: Mutex<Switches>,
    /// Wakes [`drained`](Self::drained).
    drain_started: watch::Sender<bool>,
    drain_delay: Duration,
    /// The signals that begin the drain.
    pub(crate) stop_signals: Vec<StopSignal>,
    /// Fast path for [`phase`](Self::phase): draining has begun.
    draining: AtomicBool,
    /// Set once, by the first [`begin_drain`](Self::begin_drain).
    start: OnceLock<DrainStart>,
    /// A second signal ended the delay early.
    cut_short: AtomicBool,
}

/// What the operator and the shutdown signal have switched.
#[derive(Default)]
struct Switches {
    draining: bool,
    maintenance: Option<(String, Duration)>,
}

impl LifecycleCell {
    pub(crate) fn new(drain_delay: Duration, stop_signals: Vec<StopSignal>) -> Self {
        Self {
            out: AtomicBool::new(false),
            switches: Mutex::default(),
            drain_started: watch::Sender::new(false),
            drain_delay,
            stop_signals,
            draining: AtomicBool::new(false),
            start: OnceLock::new(),
            cut_short: AtomicBool::new(false),
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

    /// Begins the drain (once: a later call changes nothing); true if this
    /// call began it.
    pub(crate) fn begin_drain(&self, cause: &'static str) -> bool {
        let first = self.start.set(DrainStart {
            at: Instant::now(),
            cause,
        });
        self.update(|s| s.draining = true);
        self.draining.store(true, Ordering::Release);
        self.drain_started.send_replace(true);
        first.is_ok()
    }

    pub(crate) fn start(&self) -> Option<DrainStart> {
        self.start.get().copied()
    }

    pub(crate) fn cut_short(&self) {
        self.cut_short.store(true, Ordering::Release);
    }

    pub(crate) fn was_cut_short(&self) -> bool {
        self.cut_short.load(Ordering::Acquire)
    }

    /// The phase, and how long after the drain began it is asked (zero
    /// while serving). One atomic load while serving.
    pub(crate) fn phase(&self) -> (DrainPhase, Duration) {
        if !self.draining.load(Ordering::Acquire) {
            return (DrainPhase::Serving, Duration::ZERO);
        }
        let elapsed = self.start().map_or(Duration::ZERO, |s| s.at.elapsed());
        let phase = if elapsed >= self.drain_delay || self.was_cut_short() {
            DrainPhase::AfterDelay
        } else {
            DrainPhase::Delay
        };
        (phase, elapsed)
    }

    pub(crate) async fn drained(&self) {
        let mut rx = self.drain_started.subscribe();
        // The sender lives as long as `self`; an error cannot happen here.
        let _ = rx.wait_for(|started| *started).await;
    }

    /// Resolves with `true` once draining has begun, or `false` if the
    /// cell is dropped first; holds no reference to it.
    pub(crate) fn drain_begun(&self) -> impl Future<Output = bool> + Send + use<> {
        let mut rx = self.drain_started.subscribe();
        async move { rx.wait_for(|started| *started).await.is_ok() }
    }

    pub(crate) fn set_maintenance(&self, reason: String, retry_after: Duration) {
        self.update(|s| s.maintenance = Some((reason, retry_after)));
    }

    pub(crate) fn clear_maintenance(&self) {
        self.update(|s| s.maintenance = None);
    }
}
