//! What happens to checks, told to the world: tracing events on
//! transitions, [`Transition`]s to `on_change` listeners, [`Changes`] to
//! subscribers, and (feature `metrics`) `health_check_status`,
//! `health_check_duration_seconds` and `health_check_failures_total`
//! through the `metrics` facade.
//!
//! Nothing here delays a probe: log lines and listeners run on one
//! delivery thread per registry (`delivery.rs`), in order; subscribers are
//! woken and metrics recorded at once, which costs no more than an atomic.
//!
//! | file | what |
//! |---|---|
//! | `mod.rs` | [`Transition`], [`Subject`], [`Changes`]; what each event becomes |
//! | `delivery.rs` | the delivery thread: log lines and listeners |
//! | `metrics.rs` | the `metrics` series (feature `metrics`) |

mod delivery;
#[cfg(feature = "metrics")]
mod metrics;
#[cfg(feature = "metrics")]
pub(crate) use self::metrics::describe;

use delivery::{Delivery, Notice};

use crate::check::{Check, Probe};
use crate::model::Status;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
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
/// [`RegistryBuilder::on_change`](crate::RegistryBuilder::on_change), in
/// order, on the registry's delivery thread (never on a probe's path).
///
/// ```
/// use health_core::{Check, Probe, Registry, Status};
/// use health_core::events::Subject;
/// use std::sync::{Mutex, mpsc};
/// use std::time::Duration;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let (tx, rx) = mpsc::channel();
/// let tx = Mutex::new(tx);
/// let registry = Registry::builder()
///     .without_declared()
///     .check(Check::new("db", || async { false }))
///     .on_change(move |t| drop(tx.lock().unwrap().send((t.subject.clone(), t.from, t.to))))
///     .build()?;
/// registry.run(Probe::Readiness).await;
/// let first = rx.recv_timeout(Duration::from_secs(5))?;
/// assert_eq!(first, (Subject::Check("db".into()), None, Status::Down));
/// let second = rx.recv_timeout(Duration::from_secs(5))?;
/// assert_eq!(second, (Subject::Probe(Probe::Readiness), None, Status::Down));
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
