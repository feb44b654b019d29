//! The [`Registry`] methods that take the service out of rotation and put
//! it back: draining (on a stop signal) with its phases and audit,
//! maintenance.

use super::audit::DrainReport;
use super::lifecycle::DrainPhase;
use super::stop::Listening;
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
        self.begin_drain_by("begin_drain");
    }

    fn begin_drain_by(&self, cause: &'static str) {
        if self.0.lifecycle.begin_drain(cause) {
            tracing::info!(cause, drain_delay = ?self.0.lifecycle.drain_delay(), "health: draining, readiness is OUT_OF_SERVICE");
        }
        self.0.events.changed();
    }

    /// Where the drain stands: one atomic load while serving. Servers read
    /// it to close connections during the delay and refuse requests after
    /// it; [`count_request`](Self::count_request) reads it and counts.
    pub fn drain_phase(&self) -> DrainPhase {
        self.0.lifecycle.phase().0
    }

    /// The phase a request of the application (not a probe) arrives in,
    /// counted for the drain audit when a drain has begun
    /// ([`drain_report`](Self::drain_report), and with the `metrics`
    /// feature the counter `health_drain_requests_total{phase}`). One
    /// atomic load while serving.
    pub fn count_request(&self) -> DrainPhase {
        let (phase, elapsed) = self.0.lifecycle.phase();
        if phase != DrainPhase::Serving {
            self.0.audit.record(phase, elapsed);
        }
        phase
    }

    /// Resolves once the drain has begun and no request of the
    /// application has arrived ([`count_request`](Self::count_request))
    /// for `quiet`. A server keeps answering (refusing) late requests
    /// after the delay until then, so that the audit sees how late they
    /// come; then it closes its listener.
    pub async fn drain_quiet(&self, quiet: Duration) {
        self.draining().await;
        let lifecycle = &self.0.lifecycle;
        loop {
            let elapsed = lifecycle.start().map_or(Duration::ZERO, |s| s.at.elapsed());
            let last = self.0.audit.counts().2.unwrap_or(Duration::ZERO);
            let silent = elapsed.saturating_sub(last);
            if silent >= quiet {
                return;
            }
            tokio::time::sleep(quiet - silent).await;
        }
    }

    /// The drain audit, once a drain has begun: how many requests of the
    /// application arrived during the delay and after it, when the last
    /// one did, and whether the delay was long enough. Log it when the
    /// server has stopped ([`DrainReport::log`]).
    pub fn drain_report(&self) -> Option<DrainReport> {
        let lifecycle = &self.0.lifecycle;
        let start = lifecycle.start()?;
        let (during_delay, after_delay, last_request) = self.0.audit.counts();
        Some(DrainReport {
            cause: start.cause,
            drain_delay: lifecycle.drain_delay(),
            cut_short: lifecycle.was_cut_short(),
            during_delay,
            after_delay,
            last_request,
        })
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

    /// Resolves when the service should stop accepting connections: on a
    /// stop signal (SIGTERM or Ctrl-C unless
    /// [`stop_signals`](super::RegistryBuilder::stop_signals) says
    /// otherwise), or [`begin_drain`](Self::begin_drain), readiness turns
    /// OUT_OF_SERVICE at once, and this future resolves after the drain
    /// delay, so load balancers stop sending traffic first. A second signal
    /// during the delay cuts it short.
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
            let mut signals = Listening::install(&registry.0.lifecycle.stop_signals);
            tokio::select! {
                which = signals.next() => registry.begin_drain_by(which.name()),
                () = registry.0.lifecycle.drained() => {}
            }
            let started = registry.0.lifecycle.start().map(|s| s.at);
            let delay_over = async {
                match started {
                    Some(at) => tokio::time::sleep_until(at + registry.drain_delay()).await,
                    None => tokio::time::sleep(registry.drain_delay()).await,
                }
            };
            tokio::select! {
                () = delay_over => {}
                which = signals.next() => {
                    registry.0.lifecycle.cut_short();
                    tracing::warn!(signal = which.name(), "health: second signal, drain cut short");
                }
            }
        }
    }
}
