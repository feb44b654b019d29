//! What happens to checks, told to the world: tracing events on
//! transitions, [`Transition`]s to `on_change` listeners, and (feature
//! `metrics`) `health_check_status`, `health_check_duration_seconds` and
//! `health_check_failures_total` through the `metrics` facade.

use crate::check::{Check, Probe};
use crate::model::Status;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::sync::watch;

/// What a [`Transition`] is about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Subject {
    /// One check, by name.
    Check(Arc<str>),
    /// The aggregate of a whole probe.
    Probe(Probe),
}

/// A change of status, given to the listeners of
/// [`RegistryBuilder::on_change`](crate::RegistryBuilder::on_change).
///
/// ```
/// use health_core::{Check, Probe, Registry, Status};
/// use health_core::events::Subject;
/// use std::sync::{Arc, Mutex};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), health_core::BuildError> {
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let log = Arc::clone(&seen);
/// let registry = Registry::builder()
///     .without_declared()
///     .check(Check::new("db", || async { false }))
///     .on_change(move |t| log.lock().unwrap().push((t.subject.clone(), t.from, t.to)))
///     .build()?;
/// registry.run(Probe::Readiness).await;
/// let seen = seen.lock().unwrap();
/// assert!(seen.contains(&(Subject::Check("db".into()), None, Status::Down)));
/// assert!(seen.contains(&(Subject::Probe(Probe::Readiness), None, Status::Down)));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Transition {
    /// A check, or a probe's aggregate.
    pub subject: Subject,
    /// The status before; `None` for the first result.
    pub from: Option<Status>,
    /// The status now.
    pub to: Status,
    /// The check's message, or the lifecycle's reason.
    pub message: Option<String>,
    /// When it happened.
    pub at: SystemTime,
}

pub(crate) type Listener = Box<dyn Fn(&Transition) + Send + Sync>;

/// A subscription to a registry's changes: each check's status change, each
/// probe's aggregate change and each lifecycle change (drain, maintenance).
/// From [`Registry::subscribe`](crate::Registry::subscribe); for protocols
/// that push statuses (gRPC `Watch`) and pages that refresh.
///
/// Changes coalesce: one wake-up may stand for several; read the state
/// anew after each.
///
/// ```
/// use health_core::{Check, Probe, Registry};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), health_core::BuildError> {
/// let registry = Registry::builder().without_declared().check(Check::new("db", || async { false })).build()?;
/// let mut changes = registry.subscribe();
/// registry.run(Probe::Readiness).await; // db: none -> DOWN
/// assert!(changes.changed().await);
/// registry.begin_drain();
/// assert!(changes.changed().await);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Changes(watch::Receiver<u64>);

impl Changes {
    /// Waits for the next change after the last one seen; `false` once the
    /// registry is gone (no change will come).
    pub async fn changed(&mut self) -> bool {
        self.0.changed().await.is_ok()
    }
}

/// Where executions and transitions are reported; shared by a registry and
/// its slots.
pub(crate) struct Events {
    listeners: Vec<Listener>,
    /// Bumped on every change, for [`Changes`].
    generation: watch::Sender<u64>,
}

impl Events {
    pub(crate) fn new(listeners: Vec<Listener>) -> Self {
        Self {
            listeners,
            generation: watch::Sender::new(0),
        }
    }

    /// A new subscription to changes.
    pub(crate) fn subscribe(&self) -> Changes {
        Changes(self.generation.subscribe())
    }

    /// Tells subscribers that something changed.
    pub(crate) fn changed(&self) {
        self.generation.send_modify(|g| *g = g.wrapping_add(1));
    }

    /// Reports one execution of `check`: metrics always; a log line and the
    /// listeners on a change of status. `failed` is the raw result, before
    /// the failure threshold.
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
        record(check, status, failed, duration);
        #[cfg(not(feature = "metrics"))]
        let _ = failed;
        if previous == Some(status) {
            return;
        }
        self.changed();
        let name = &*check.name;
        let duration_ms = duration.as_secs_f64() * 1e3;
        let from = previous.map_or("NONE", Status::as_str);
        let error = message.unwrap_or("");
        match status {
            Status::Up if previous.is_none() => {}
            Status::Up => tracing::info!(check = name, from, duration_ms, "health check recovered"),
            Status::Down if check.policy().is_critical() => {
                tracing::error!(check = name, from, to = %status, error, duration_ms, "health check failed");
            }
            _ => {
                tracing::warn!(check = name, from, to = %status, error, duration_ms, "health check failed")
            }
        }
        self.notify(
            Subject::Check(Arc::clone(&check.name)),
            previous,
            status,
            message,
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
        let from = previous.map_or("NONE", Status::as_str);
        if status.is_serving() {
            tracing::info!(probe = probe.as_str(), from, to = %status, "health probe changed");
        } else {
            tracing::warn!(probe = probe.as_str(), from, to = %status, reason, "health probe changed");
        }
        self.notify(Subject::Probe(probe), previous, status, reason);
    }

    fn notify(&self, subject: Subject, from: Option<Status>, to: Status, message: Option<&str>) {
        if self.listeners.is_empty() {
            return;
        }
        let transition = Transition {
            subject,
            from,
            to,
            message: message.map(str::to_owned),
            at: SystemTime::now(),
        };
        for listener in &self.listeners {
            // A panicking listener must not take the probe down with it.
            if std::panic::catch_unwind(AssertUnwindSafe(|| listener(&transition))).is_err() {
                tracing::error!(subject = ?transition.subject, "health on_change listener panicked");
            }
        }
    }
}

/// The value of `health_check_status`: 1 UP, 0.5 DEGRADED, 0 DOWN,
/// -1 UNKNOWN (and OUT_OF_SERVICE, which checks never report).
#[cfg(feature = "metrics")]
fn gauge_value(status: Status) -> f64 {
    match status {
        Status::Up => 1.0,
        Status::Degraded => 0.5,
        Status::Down => 0.0,
        Status::Unknown | Status::OutOfService => -1.0,
    }
}

#[cfg(feature = "metrics")]
fn record(check: &Check, status: Status, failed: bool, duration: Duration) {
    let name = metrics::SharedString::from(Arc::clone(&check.name));
    metrics::gauge!("health_check_status", "check" => name.clone()).set(gauge_value(status));
    metrics::histogram!("health_check_duration_seconds", "check" => name.clone())
        .record(duration.as_secs_f64());
    // Incremented by zero too: the series exists from the first run, so
    // `increase()` sees the first failure.
    metrics::counter!("health_check_failures_total", "check" => name).increment(u64::from(failed));
}
