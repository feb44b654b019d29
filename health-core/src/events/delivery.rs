//! The delivery thread: the log line and the listeners of each transition,
//! in order, off the probes' path, so a slow listener or a slow log writer
//! never delays an answer.

use super::{Listener, Subject, Transition};
use crate::model::Status;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

/// Transitions waiting for a slow listener, at most; past it they are
/// counted, and the count is logged, rather than held without bound.
const QUEUE: usize = 1024;

/// One transition to log and deliver.
pub(super) struct Notice {
    pub(super) subject: Subject,
    pub(super) from: Option<Status>,
    pub(super) to: Status,
    pub(super) message: Option<String>,
    /// A check's criticality (a failure logs at ERROR); probes: `true`.
    pub(super) critical: bool,
    /// A check's execution time.
    pub(super) duration: Option<Duration>,
    pub(super) at: SystemTime,
    /// The tracing subscriber where the transition happened: its log line
    /// goes there, as if written in line (a test's `set_default` too).
    pub(super) dispatch: tracing::Dispatch,
}

/// The sending side, started with the first transition.
pub(super) struct Delivery {
    listeners: Arc<[Listener]>,
    queue: OnceLock<Option<SyncSender<Notice>>>,
    dropped: Arc<AtomicU64>,
}

impl Delivery {
    pub(super) fn new(listeners: Vec<Listener>) -> Self {
        Self {
            listeners: listeners.into(),
            queue: OnceLock::new(),
            dropped: Arc::default(),
        }
    }

    /// Queues `notice` for the delivery thread; delivers it here if no
    /// thread could be started.
    pub(super) fn send(&self, notice: Notice) {
        let queue = self.queue.get_or_init(|| {
            let (tx, rx) = sync_channel(QUEUE);
            let (listeners, dropped) = (Arc::clone(&self.listeners), Arc::clone(&self.dropped));
            let started = std::thread::Builder::new()
                .name("health-events".into())
                .spawn(move || deliver_all(&rx, &listeners, &dropped));
            match started {
                Ok(_) => Some(tx),
                Err(e) => {
                    tracing::error!(error = %e, "health: no event delivery thread; delivering in line");
                    None
                }
            }
        });
        match queue {
            Some(tx) => match tx.try_send(notice) {
                Ok(()) | Err(TrySendError::Disconnected(_)) => {}
                Err(TrySendError::Full(_)) => {
                    self.dropped.fetch_add(1, Ordering::Relaxed);
                }
            },
            None => deliver(&notice, &self.listeners),
        }
    }
}

fn deliver_all(rx: &Receiver<Notice>, listeners: &[Listener], dropped: &AtomicU64) {
    for notice in rx {
        deliver(&notice, listeners);
        let lost = dropped.swap(0, Ordering::Relaxed);
        if lost > 0 {
            tracing::warn!(
                lost,
                "health: transitions not delivered: an on_change listener is too slow"
            );
        }
    }
}

fn deliver(notice: &Notice, listeners: &[Listener]) {
    tracing::dispatcher::with_default(&notice.dispatch, || log(notice));
    if listeners.is_empty() {
        return;
    }
    let transition = Transition {
        subject: notice.subject.clone(),
        from: notice.from,
        to: notice.to,
        message: notice.message.clone(),
        at: notice.at,
    };
    for listener in listeners {
        // A panicking listener must not stop the others.
        if std::panic::catch_unwind(AssertUnwindSafe(|| listener(&transition))).is_err() {
            tracing::error!(subject = ?transition.subject, "health on_change listener panicked");
        }
    }
}

/// The log line of a transition: a failure at ERROR (critical) or WARN, a
/// recovery and a first UP quietly or at INFO.
fn log(notice: &Notice) {
    let from = notice.from.map_or("NONE", Status::as_str);
    let to = notice.to;
    match &notice.subject {
        Subject::Check(name) => {
            let name = &**name;
            let duration_ms = notice.duration.unwrap_or_default().as_secs_f64() * 1e3;
            let error = notice.message.as_deref().unwrap_or("");
            match to {
                Status::Up if notice.from.is_none() => {}
                Status::Up => {
                    tracing::info!(check = name, from, duration_ms, "health check recovered")
                }
                Status::Down if notice.critical => {
                    tracing::error!(check = name, from, to = %to, error, duration_ms, "health check failed");
                }
                _ => {
                    tracing::warn!(check = name, from, to = %to, error, duration_ms, "health check failed");
                }
            }
        }
        Subject::Probe(probe) => {
            let reason = notice.message.as_deref();
            if to.is_serving() {
                tracing::info!(probe = probe.as_str(), from, to = %to, "health probe changed");
            } else {
                tracing::warn!(probe = probe.as_str(), from, to = %to, reason, "health probe changed");
            }
        }
    }
}
