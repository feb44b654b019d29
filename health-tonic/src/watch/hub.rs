//! One evaluation loop per watched service, however many watch it.
//!
//! The first `Watch` of a service starts a task that evaluates it and
//! publishes the result in a `tokio::sync::watch` channel; every later
//! watcher of that service subscribes to the same channel. The task
//! re-evaluates
//! - after every change the registry reports ([`Registry::subscribe`]: a
//!   check's status, a probe's aggregate, drain, maintenance), so interval
//!   checks' transitions are pushed as they happen;
//! - and otherwise once per watch period, which bounds how stale a watcher
//!   can be about `cache` and plain checks.
//!
//! A change does not say which check changed, and most changes concern
//! other services. So a change is answered at once ([`MIN_GAP`] after the
//! previous evaluation) only where evaluating reads results at hand
//! (services that `interval` checks alone decide, startup once latched);
//! where it would run checks again, no sooner than [`RERUN_GAP`] after the
//! previous evaluation. A check that flaps twenty times a second so costs
//! every other watched service at most one extra evaluation a second,
//! not twenty. A drain or maintenance is published at once regardless
//! (readiness needs no check run to be NOT_SERVING), even while an
//! evaluation is in flight. When the last watcher leaves, the task ends.

use crate::names::Target;
use crate::proto::ServingStatus;
use health_core::Registry;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::{Instant, sleep_until};

/// The shortest time between two evaluations of one service.
pub(crate) const MIN_GAP: Duration = Duration::from_millis(50);

/// The shortest time between an evaluation of one service and one that a
/// change triggers and that runs checks again.
pub(crate) const RERUN_GAP: Duration = Duration::from_secs(1);

/// The latest status of one service (`None` before its first evaluation).
pub(crate) type Latest = watch::Receiver<Option<ServingStatus>>;
type Publisher = Arc<watch::Sender<Option<ServingStatus>>>;

/// The evaluation loops of one server, by service target (`""` and
/// `readiness` share one).
pub(crate) struct Hub {
    loops: Mutex<HashMap<Target, Publisher>>,
    period: Duration,
}

impl Hub {
    pub(crate) fn new(period: Duration) -> Self {
        Self {
            loops: Mutex::default(),
            period,
        }
    }

    pub(crate) fn period(&self) -> Duration {
        self.period
    }

    /// The number of evaluation loops running now.
    pub(crate) fn loops(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Target, Publisher>> {
        // Nothing panics while holding this lock; recover regardless.
        self.loops.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Subscribes to `target`'s loop, starting it if it is not running.
    /// Call inside a tokio runtime.
    pub(crate) fn join(self: &Arc<Self>, registry: &Registry, target: &Target) -> Latest {
        let mut loops = self.lock();
        if let Some(publisher) = loops.get(target) {
            return publisher.subscribe();
        }
        let (publisher, latest) = watch::channel(None);
        let publisher = Arc::new(publisher);
        loops.insert(target.clone(), Arc::clone(&publisher));
        drop(loops);
        tracing::debug!(
            ?target,
            "grpc health: first watcher, evaluation loop started"
        );
        let looped = Loop {
            hub: Arc::clone(self),
            registry: registry.clone(),
            target: target.clone(),
            publisher,
        };
        drop(tokio::spawn(looped.run()));
        latest
    }

    /// Removes `publisher`'s loop if nobody watches it any more; `false`
    /// if somebody joined meanwhile (the loop goes on). Subscribing happens
    /// under the same lock, so no watcher is left with a stopped loop.
    fn retire(&self, target: &Target, publisher: &Publisher) -> bool {
        let mut loops = self.lock();
        if !publisher.is_closed() {
            return false;
        }
        if loops.get(target).is_some_and(|p| Arc::ptr_eq(p, publisher)) {
            loops.remove(target);
        }
        tracing::debug!(
            ?target,
            "grpc health: last watcher gone, evaluation loop stopped"
        );
        true
    }
}

/// The task that keeps one service's status fresh for its watchers.
struct Loop {
    hub: Arc<Hub>,
    registry: Registry,
    target: Target,
    publisher: Publisher,
}

impl Loop {
    fn publish(&self, status: ServingStatus) {
        self.publisher.send_if_modified(|latest| {
            let changed = *latest != Some(status);
            *latest = Some(status);
            changed
        });
    }

    /// After a change: if the lifecycle alone decides, say so now; and
    /// when to evaluate again, counted from the start of the latest
    /// evaluation, `last`.
    fn changed(&self, due: &mut Option<Instant>, last: Instant) {
        if let Some(status) = self.target.overridden(&self.registry) {
            self.publish(status);
        }
        let gap = if self.target.runs_checks(&self.registry) {
            RERUN_GAP
        } else {
            MIN_GAP
        };
        let at = last + gap;
        *due = Some(due.map_or(at, |d| d.min(at)));
    }

    async fn run(self) {
        // Subscribed before the first evaluation: nothing that happens
        // during it is missed.
        let mut changes = self.registry.subscribe();
        // `Changes::changed` is false once the registry is gone, which
        // cannot happen while this loop holds it; stop listening then
        // rather than spin.
        let mut alive = true;
        // When the next evaluation is due for a change (at once for the
        // first); the period's tick is due regardless.
        let mut due = Some(Instant::now());
        let mut last = Instant::now();
        let mut tick = Instant::now();
        loop {
            if self.publisher.is_closed() && self.hub.retire(&self.target, &self.publisher) {
                return;
            }
            let now = Instant::now();
            if due.is_some_and(|d| now >= d) || now >= tick {
                due = None;
                last = now;
                tick = now + self.hub.period;
                let evaluation = self.target.serving(&self.registry, None);
                tokio::pin!(evaluation);
                let status = loop {
                    tokio::select! {
                        biased;
                        status = &mut evaluation => break status,
                        changed = changes.changed(), if alive => {
                            alive = changed;
                            // It may or may not be in this evaluation's
                            // result: evaluate again.
                            self.changed(&mut due, last);
                        }
                    }
                };
                self.publish(status);
                continue;
            }
            let wake = due.map_or(tick, |d| d.min(tick));
            tokio::select! {
                biased;
                () = self.publisher.closed() => {}
                changed = changes.changed(), if alive => {
                    alive = changed;
                    self.changed(&mut due, last);
                }
                () = sleep_until(wake) => {}
            }
        }
    }
}
