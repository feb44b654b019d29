//! The [`Registry`] methods that take the service out of rotation and put
//! it back: draining (on a shutdown signal), maintenance.

use super::{Lifecycle, Registry};
use std::time::Duration;

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
        let reason = crate::hygiene::redact(&reason.into()).into_owned();
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
