//! [`Events`]: where a registry and its slots report executions and
//! transitions, and what each becomes (metrics, subscribers' wake-ups, log
//! lines and listeners on the delivery thread).

use super::delivery::{Delivery, Notice};
#[cfg(feature = "metrics")]
use super::metrics;
use super::{Changes, Listener, Subject};
use crate::check::{Check, Probe};
use crate::model::Status;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};
use tokio::sync::watch;

/// Where executions and transitions are reported; shared by a registry and
/// its slots.
pub(crate) struct Events {
    /// Log lines and listeners, off the probes' path.
    delivery: Delivery,
    /// Bumped on every change, for [`Changes`].
    generation: watch::Sender<u64>,
    /// The same count, readable without a lock: a probe's memo is valid
    /// only while it has not moved.
    count: AtomicU64,
}

impl Events {
    pub(crate) fn new(listeners: Vec<Listener>) -> Self {
        Self {
            delivery: Delivery::new(listeners),
            generation: watch::Sender::new(0),
            count: AtomicU64::new(0),
        }
    }

    /// How many changes there were so far (a check's status, a probe's,
    /// the lifecycle).
    pub(crate) fn count(&self) -> u64 {
        self.count.load(Ordering::Acquire)
    }

    /// A new subscription to changes.
    pub(crate) fn subscribe(&self) -> Changes {
        Changes(self.generation.subscribe())
    }

    /// Tells subscribers that something changed.
    pub(crate) fn changed(&self) {
        self.count.fetch_add(1, Ordering::AcqRel);
        self.generation.send_modify(|g| *g = g.wrapping_add(1));
    }

    /// Reports one execution of `check`: metrics at once; on a change of
    /// status, subscribers at once, and the log line and the listeners on
    /// the delivery thread. `failed` is the raw result, before the failure
    /// threshold.
    pub(crate) fn executed(
        &self,
        check: &Check,
        previous: Option<Status>,
        status: Status,
        failed: bool,
        message: Option<&str>,
        duration: Duration,
    ) {
        #[cfg(feature = "metrics")]
        metrics::record(check, status, failed, duration);
        #[cfg(not(feature = "metrics"))]
        let _ = failed;
        if previous == Some(status) {
            return;
        }
        self.changed();
        self.delivery.send(Notice {
            subject: Subject::Check(Arc::clone(&check.name)),
            from: previous,
            to: status,
            message: message.map(str::to_owned),
            critical: check.policy().is_critical(),
            duration: Some(duration),
            at: SystemTime::now(),
            dispatch: tracing::dispatcher::get_default(Clone::clone),
        });
    }

    /// Records a whole probe's status in `health_probe_status` (feature
    /// `metrics`). The registry calls it on a change (the first verdict is
    /// one), and again every 10 s at most while the verdict holds and the
    /// probe is asked (so that an exporter's idle timeout does not retire
    /// it), while it holds the probe's latest verdict: of two verdicts
    /// concluded at once, the gauge keeps the one kept.
    pub(crate) fn probe_status(&self, probe: Probe, status: Status) {
        #[cfg(feature = "metrics")]
        metrics::record_probe(probe, status);
        #[cfg(not(feature = "metrics"))]
        let _ = (probe, status);
    }

    /// Reports the first slow run of `check` after a fast one (a run of
    /// `duration`, past `slow_after`): one WARN and the slow-run counter.
    pub(crate) fn slow(&self, check: &Check, duration: Duration, slow_after: Duration) {
        #[cfg(feature = "metrics")]
        metrics::record_slow(check);
        let format = health_names::duration::format;
        tracing::warn!(
            check = check.name(),
            duration = %format(duration),
            slow_after = %format(slow_after),
            timeout = %format(check.policy().timeout()),
            "health check slow: it may soon time out"
        );
    }

    /// Reports a change of a whole probe's status.
    pub(crate) fn probe(
        &self,
        probe: Probe,
        previous: Option<Status>,
        status: Status,
        reason: Option<&str>,
    ) {
        if previous == Some(status) {
            return;
        }
        self.changed();
        self.delivery.send(Notice {
            subject: Subject::Probe(probe),
            from: previous,
            to: status,
            message: reason.map(str::to_owned),
            critical: true,
            duration: None,
            at: SystemTime::now(),
            dispatch: tracing::dispatcher::get_default(Clone::clone),
        });
    }
}
