//! One check's runtime state inside a registry: single flight, cache,
//! failure threshold, and the latest result.

use super::execution::{Execution, Host};
use super::history::History;
use crate::check::state::State;
use crate::check::{Bucket, Busy, Check, CheckFuture, RateLimit, with_busy_flag};
use crate::events::Events;
use crate::model::{Finished, Outcome, Status};
use futures_util::FutureExt;
use futures_util::future::{Shared, WeakShared};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use tokio::time::Instant;

type Run = Shared<Execution<Slot>>;

/// What a probe awaits for one check.
pub(crate) enum Pending {
    /// A result at hand (cached, or from the background).
    AtHand(Option<Arc<Finished>>),
    /// Joining an execution another probe started.
    Join(Run),
    /// Leading a new execution: if it does not finish at its first poll, it
    /// is handed to the runtime, so that it completes (and its result, log
    /// line and metrics are recorded) even if every waiting probe gives up.
    Lead { run: Run, detached: bool },
}

impl Future for Pending {
    type Output = Option<Arc<Finished>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut *self {
            Pending::AtHand(result) => Poll::Ready(result.take()),
            Pending::Join(run) => Pin::new(run).poll(cx),
            Pending::Lead {
                run,
                detached: true,
            } => Pin::new(run).poll(cx),
            Pending::Lead { run, detached } => {
                // The first poll, with a waker that does nothing: most checks
                // finish here, and `Shared` would otherwise wake this task
                // for its own completion.
                let first = Pin::new(&mut *run).poll(&mut Context::from_waker(Waker::noop()));
                if first.is_ready() {
                    return first;
                }
                *detached = true;
                // Still running: hand it to the runtime, which drives it to
                // its end whatever the waiters do...
                if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                    drop(runtime.spawn(run.clone().map(drop)));
                }
                // ...and poll again with the real waker, so this probe is
                // woken when it ends.
                Pin::new(run).poll(cx)
            }
        }
    }
}

pub(crate) struct Slot {
    pub(crate) check: Check,
    pub(crate) state: State,
    /// Set while a blocking run of this check holds a thread.
    pub(crate) busy: Arc<Busy>,
    events: Arc<Events>,
    /// When the registry was built: an `interval` check without a result
    /// this long after is stale too.
    created: Instant,
    /// Raised when the background result is stale: the registry then
    /// restarts the refresh task on the runtime at hand.
    background_gone: Arc<AtomicBool>,
    inner: Mutex<Inner>,
}

struct Inner {
    last: Option<Arc<Finished>>,
    /// How often callers may start an execution (background runs aside).
    bucket: Option<Bucket>,
    /// Weak: a slow execution is held by the task driving it (see
    /// [`Pending::Lead`]), and is gone once it finished.
    inflight: Option<WeakShared<Execution<Slot>>>,
    consecutive_failures: u32,
    passed_once: bool,
    history: History,
}

impl Slot {
    pub(crate) fn new(
        check: Check,
        state: State,
        events: Arc<Events>,
        rate_limit: Option<RateLimit>,
        background_gone: Arc<AtomicBool>,
        history: usize,
    ) -> Self {
        let created = Instant::now();
        Self {
            check,
            state,
            busy: Arc::default(),
            events,
            created,
            background_gone,
            inner: Mutex::new(Inner {
                last: None,
                bucket: rate_limit.map(Bucket::new),
                inflight: None,
                consecutive_failures: 0,
                passed_once: false,
                history: History::new(history, created),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Nothing panics while holding this lock; recover regardless.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The result a probe should serve: the cached or background result
    /// when the policy allows it, else a (shared) fresh execution, unless
    /// the rate limit says the latest result must do. `now` is the run's
    /// start, read once for all its checks.
    pub(crate) fn pending(self: &Arc<Self>, now: Instant) -> Pending {
        let policy = self.check.policy();
        let mut inner = self.lock();
        let age = |at: Instant| now.saturating_duration_since(at);
        if let Some(period) = policy.interval() {
            // A result (or, before the first, the registry) older than two
            // periods and a timeout means the background task is gone (its
            // runtime ended): run here rather than serve it forever.
            let stale = period.saturating_mul(2).saturating_add(policy.timeout());
            match &inner.last {
                None if age(self.created) <= stale => return Pending::AtHand(None),
                Some(last) if age(last.at) <= stale => {
                    return Pending::AtHand(Some(Arc::clone(last)));
                }
                _ => self.background_gone.store(true, Ordering::Release),
            }
        } else if let (Some(ttl), Some(failure_ttl), Some(last)) =
            (policy.cache(), policy.cache_failure(), &inner.last)
        {
            let ttl = if last.passed() { ttl } else { failure_ttl };
            if age(last.at) < ttl {
                return Pending::AtHand(Some(Arc::clone(last)));
            }
        }
        if let Some(run) = inner.inflight.as_ref().and_then(WeakShared::upgrade) {
            return Pending::Join(run);
        }
        // Past the rate limit, the latest result; with none yet, run once.
        let Inner { bucket, last, .. } = &mut *inner;
        if let (Some(bucket), Some(last)) = (bucket.as_mut(), last.as_ref())
            && !bucket.take(now)
        {
            return Pending::AtHand(Some(Arc::clone(last)));
        }
        Pending::Lead {
            run: self.start(&mut inner),
            detached: false,
        }
    }

    /// Executes now, or joins the execution already in flight (background
    /// runs: not rate limited).
    pub(crate) fn execute(self: &Arc<Self>) -> Run {
        let mut inner = self.lock();
        match inner.inflight.as_ref().and_then(WeakShared::upgrade) {
            Some(run) => run,
            None => self.start(&mut inner),
        }
    }

    /// A new execution, in flight from now. Nothing of the check runs here,
    /// under the lock: an execution starts at its first poll.
    fn start(self: &Arc<Self>, inner: &mut Inner) -> Run {
        let run = Execution::new(Arc::clone(self)).shared();
        inner.inflight = run.downgrade();
        run
    }

    /// The latest result, without executing.
    pub(crate) fn last(&self) -> Option<Arc<Finished>> {
        self.lock().last.clone()
    }

    /// Reads the check's history, under the slot's lock.
    pub(crate) fn with_history<R>(&self, read: impl FnOnce(&History) -> R) -> R {
        read(&self.lock().history)
    }
}

impl Host for Slot {
    fn check(&self) -> &Check {
        &self.check
    }

    fn call(&self) -> CheckFuture {
        let run = || (self.check.run)(&self.state);
        // Only a blocking check needs its busy flag at hand.
        if self.check.blocking {
            with_busy_flag(&self.busy, run)
        } else {
            run()
        }
    }

    fn finish(&self, outcome: Outcome, started: Instant) -> Arc<Finished> {
        let at = Instant::now();
        let duration = at.saturating_duration_since(started);
        let threshold = self.check.policy().failure_threshold();
        let outcome = outcome.cleaned();
        let raw = outcome.status();
        let mut inner = self.lock();
        let outcome = match raw {
            Status::Down => {
                inner.consecutive_failures = inner.consecutive_failures.saturating_add(1);
                let failures = inner.consecutive_failures;
                if inner.passed_once && failures < threshold {
                    let message = outcome.message().unwrap_or("failed").to_owned();
                    let mut tolerated = outcome.with_message(format!(
                        "{message} (failure {failures} of {threshold} tolerated)"
                    ));
                    tolerated.set_status(Status::Degraded);
                    tolerated
                } else {
                    outcome
                }
            }
            // Not a success: the failure count stands.
            Status::Unknown | Status::OutOfService => outcome,
            Status::Up | Status::Degraded => {
                inner.consecutive_failures = 0;
                inner.passed_once = true;
                outcome
            }
        };
        let finished = Arc::new(Finished {
            outcome,
            raw,
            duration,
            at,
        });
        let previous = inner
            .last
            .replace(Arc::clone(&finished))
            .map(|f| f.outcome.status());
        inner.inflight = None;
        inner.history.record(&finished);
        drop(inner);
        let outcome = &finished.outcome;
        self.events.executed(
            &self.check,
            previous,
            outcome.status(),
            raw == Status::Down,
            outcome.message(),
            duration,
        );
        finished
    }
}
