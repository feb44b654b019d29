//! Draining and maintenance: the service's own reasons to leave rotation,
//! and the [`Registry`] methods that change them.

use super::Registry;
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

impl Registry {
    /// The lifecycle state.
    pub fn lifecycle(&self) -> Lifecycle {
        self.0.lifecycle.get()
    }

    /// Turns readiness OUT_OF_SERVICE for good: the service is shutting
    /// down. [`shutdown_signal`](Self::shutdown_signal) then resolves after
    /// the drain delay.
    pub fn begin_drain(&self) {
        if !matches!(self.lifecycle(), Lifecycle::Draining { .. }) {
            tracing::info!(drain_delay = ?self.0.lifecycle.drain_delay(), "health: draining, readiness is OUT_OF_SERVICE");
        }
        self.0.lifecycle.begin_drain();
        self.0.events.changed();
    }

    /// Takes the service out of rotation (readiness OUT_OF_SERVICE with
    /// `Retry-After`) until [`clear_maintenance`](Self::clear_maintenance).
    /// The reason is redacted like a check's message: it reaches logs and
    /// allowed callers.
    pub fn set_maintenance(&self, reason: impl Into<String>, retry_after: Duration) {
        let reason = crate::text::redact(&reason.into()).into_owned();
        tracing::info!(%reason, "health: maintenance, readiness is OUT_OF_SERVICE");
        self.0.lifecycle.set_maintenance(reason, retry_after);
        self.0.events.changed();
    }

    /// Ends maintenance (draining, once begun, stays).
    pub fn clear_maintenance(&self) {
        tracing::info!("health: maintenance over");
        self.0.lifecycle.clear_maintenance();
        self.0.events.changed();
    }

    /// Resolves once draining has begun (a shutdown signal, or
    /// [`begin_drain`](Self::begin_drain)); at once if it has.
    pub async fn draining(&self) {
        self.0.lifecycle.drained().await;
    }

    /// How long [`shutdown_signal`](Self::shutdown_signal) waits after the
    /// drain began.
    pub fn drain_delay(&self) -> Duration {
        self.0.lifecycle.drain_delay()
    }

    /// Resolves when the service should stop accepting connections: on
    /// SIGTERM or Ctrl-C (or [`begin_drain`](Self::begin_drain)) readiness
    /// turns OUT_OF_SERVICE at once, and this future resolves after the
    /// drain delay, so load balancers stop sending traffic first.
    ///
    /// ```no_run
    /// # async fn serve(registry: health_core::Registry) {
    /// // axum: axum::serve(listener, app).with_graceful_shutdown(registry.shutdown_signal())
    /// registry.shutdown_signal().await;
    /// # }
    /// ```
    pub fn shutdown_signal(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let registry = self.clone();
        async move {
            tokio::select! {
                () = os_signal() => registry.begin_drain(),
                () = registry.0.lifecycle.drained() => {}
            }
            // A second signal during the drain means "stop now".
            tokio::select! {
                () = tokio::time::sleep(registry.0.lifecycle.drain_delay()) => {}
                () = os_signal() => tracing::warn!("health: second signal, drain cut short"),
            }
        }
    }
}

/// Resolves on SIGTERM or Ctrl-C (Ctrl-C only off Unix). If installing a
/// handler fails, that branch never resolves rather than shutting down.
async fn os_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
