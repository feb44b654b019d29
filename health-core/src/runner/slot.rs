//! One check's runtime state inside a registry: single flight, cache,
//! rate limit, failure and success thresholds, slowness, the latest result
//! and the history.
//!
//! Single flight without a shared future: the slot numbers its
//! executions; one that is under way is joined by waiting, under the
//! slot's own lock, for its number to finish. A check whose future is
//! ready at its first poll (a cached dependency, a check with no I/O)
//! costs no allocation beyond its own future and its result.

use super::execution::{Execution, Host};
use super::history::History;
use super::later::later;
use crate::check::state::State;
use crate::check::{Busy, Check, CheckFuture, RateLimit, Tokens, with_busy_flag};
use crate::events::Events;
use crate::model::{Finished, Outcome, Status};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;
use tokio::time::Instant;

/// What a caller gets for one check.
pub(crate) enum Pending {
    /// A result at hand (cached, from the background, or past the rate
    /// limit).
    AtHand(Option<Arc<Finished>>),
    /// An execution another caller started: wait for it.
    Join(Join),
    /// No execution under way: this caller starts one (the slot counts it
    /// as under way already) with [`Slot::lead`].
    Lead,
}

/// Waiting for an execution under way (number `execution`) to finish.
pub(crate) struct Join {
    slot: Arc<Slot>,
    execution: u64,
}

impl Future for Join {
    /// The latest result once that execution finished (its own, or a later
    /// one's).
    type Output = Option<Arc<Finished>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut inner = self.slot.lock();
        if inner.finished >= self.execution {
            return Poll::Ready(inner.last.clone());
        }
        if !inner.waiters.iter().any(|w| w.will_wake(cx.waker())) {
            inner.waiters.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

pub(crate) struct Slot {
    pub(crate) check: Check,
    pub(crate) state: State,
    /// Set while a blocking run of this check holds a thread.
    pub(crate) busy: Arc<Busy>,
    events: Arc<Events>,
    /// An `interval` check without a result after this instant is stale:
    /// two periods and a timeout after the registry was built.
    unknown_until: Instant,
    /// Raised when the background result is stale: the registry then
    /// restarts the refresh task on the runtime at hand.
    background_gone: Arc<AtomicBool>,
    inner: Mutex<Inner>,
}

struct Inner {
    last: Option<Arc<Finished>>,
    /// Until when `last` may be served without a run (computed once, when
    /// it finished): its cache TTL, or an `interval` check's staleness.
    fresh_until: Option<Instant>,
    /// How often callers may start an execution (background runs aside).
    tokens: Option<Tokens>,
    /// The number of the latest execution started; one is under way while
    /// `finished` is below it.
    started: u64,
    /// The number of the latest execution finished.
    finished: u64,
    /// The callers waiting for the execution under way.
    waiters: Vec<Waker>,
    consecutive_failures: u32,
    passed_once: bool,
    /// Successes in a row, for the success threshold.
    consecutive_successes: u32,
    /// The message of the failure reported (DOWN) and not yet recovered
    /// from: successes report it until the success threshold is reached.
    failure: Option<String>,
    /// Whether the latest run was slow: a WARN comes only at a change.
    slow: bool,
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
        let unknown_until = later(created, staleness(check.policy()).unwrap_or_default());
        Self {
            check,
            state,
            busy: Arc::default(),
            events,
            unknown_until,
            background_gone,
            inner: Mutex::new(Inner {
                last: None,
                fresh_until: None,
                tokens: rate_limit.map(Tokens::new),
                started: 0,
                finished: 0,
                waiters: Vec::new(),
                consecutive_failures: 0,
                passed_once: false,
                consecutive_successes: 0,
                failure: None,
                slow: false,
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
        let mut inner = self.lock();
        if let Some(result) = self.servable(&inner, now) {
            return Pending::AtHand(result);
        }
        // An `interval` check's result (or, before the first, the registry)
        // older than two periods and a timeout: its background task is gone
        // (its runtime ended). Run here rather than serve it forever.
        if self.check.policy().interval().is_some() {
            self.background_gone.store(true, Ordering::Release);
        }
        if inner.finished < inner.started {
            return self.join(&inner);
        }
        // Past the rate limit, the latest result; with none yet, run once.
        let Inner { tokens, last, .. } = &mut *inner;
        if let (Some(tokens), Some(last)) = (tokens.as_mut(), last.as_ref())
            && !tokens.take(now)
        {
            return Pending::AtHand(Some(Arc::clone(last)));
        }
        inner.started += 1;
        Pending::Lead
    }

    /// For a background run: joins the execution under way, or leads a new
    /// one (not rate limited).
    pub(crate) fn execute(self: &Arc<Self>) -> Pending {
        let mut inner = self.lock();
        if inner.finished < inner.started {
            return self.join(&inner);
        }
        inner.started += 1;
        Pending::Lead
    }

    fn join(self: &Arc<Self>, inner: &Inner) -> Pending {
        Pending::Join(Join {
            slot: Arc::clone(self),
            execution: inner.started,
        })
    }

    /// Waiting for the latest execution started (the caller's own, once it
    /// detached it).
    pub(crate) fn join_latest(self: &Arc<Self>) -> Join {
        Join {
            slot: Arc::clone(self),
            execution: self.lock().started,
        }
    }

    /// Starts the execution a [`Pending::Lead`] promised, at `started`,
    /// outside the slot's lock.
    pub(crate) fn lead(self: &Arc<Self>, started: Instant) -> Execution<Slot> {
        Execution::start(Arc::clone(self), started)
    }

    /// What a run would be served without executing (see [`pending`]), and
    /// until when: the latest result's status and freshness, or before an
    /// `interval` check's first result, UNKNOWN while it waits for one;
    /// `None` if a run would execute.
    ///
    /// [`pending`]: Self::pending
    pub(crate) fn at_hand(&self) -> Option<(Status, Instant)> {
        let inner = self.lock();
        let (result, until) = self.serves(&inner)?;
        Some((
            result.map_or(Status::Unknown, |f| f.outcome.status()),
            until,
        ))
    }

    /// The one rule of a result served without executing, and until when:
    /// the latest result while fresh, or, before an `interval` check's
    /// first background result, none (UNKNOWN).
    fn serves<'i>(&self, inner: &'i Inner) -> Option<(Option<&'i Arc<Finished>>, Instant)> {
        match &inner.last {
            Some(last) => Some((Some(last), inner.fresh_until?)),
            None => self
                .check
                .policy()
                .interval()
                .map(|_| (None, self.unknown_until)),
        }
    }

    /// The result this slot serves at `now` without executing (`Some(None)`:
    /// UNKNOWN before an `interval` check's first result); `None` if a run
    /// would execute.
    fn servable(&self, inner: &Inner, now: Instant) -> Option<Option<Arc<Finished>>> {
        let (result, until) = self.serves(inner)?;
        (now < until).then(|| result.cloned())
    }

    /// [`servable`](Self::servable), under the slot's lock.
    pub(crate) fn at_hand_result(&self, now: Instant) -> Option<Option<Arc<Finished>>> {
        self.servable(&self.lock(), now)
    }

    /// The latest result, without executing.
    pub(crate) fn last(&self) -> Option<Arc<Finished>> {
        self.lock().last.clone()
    }

    /// The latest result, and whether an execution is under way (its
    /// result is then older than the run a caller waits for).
    pub(crate) fn last_and_running(&self) -> (Option<Arc<Finished>>, bool) {
        let inner = self.lock();
        (inner.last.clone(), inner.finished < inner.started)
    }

    /// Whether its latest result does not serve (DOWN, UNKNOWN, or none
    /// yet): an `interval` check then runs at its `failing_interval`.
    pub(crate) fn failing(&self) -> bool {
        let inner = self.lock();
        inner
            .last
            .as_ref()
            .is_none_or(|f| !f.outcome.status().is_serving())
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
        let policy = self.check.policy();
        let threshold = policy.failure_threshold();
        let outcome = outcome.cleaned();
        let raw = outcome.status();
        let mut inner = self.lock();
        let outcome = match raw {
            Status::Down => {
                inner.consecutive_successes = 0;
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
                    if policy.success_threshold() > 1 {
                        inner.failure = Some(outcome.message().unwrap_or("failed").to_owned());
                    }
                    outcome
                }
            }
            // Not a success: the failure count stands.
            Status::Unknown | Status::OutOfService => outcome,
            Status::Up | Status::Degraded => {
                inner.consecutive_failures = 0;
                inner.passed_once = true;
                inner.consecutive_successes = inner.consecutive_successes.saturating_add(1);
                let successes = inner.consecutive_successes;
                let needed = policy.success_threshold();
                match inner.failure.take() {
                    Some(failure) if successes < needed => {
                        let recovering = Outcome::down(format!(
                            "{failure} (recovering: success {successes} of {needed})"
                        ));
                        inner.failure = Some(failure);
                        recovering
                    }
                    _ => outcome,
                }
            }
        };
        let slow_after = policy.slow();
        let slow = duration > slow_after;
        let became_slow = slow && !inner.slow;
        inner.slow = slow;
        let fresh = Finished {
            outcome,
            raw,
            duration,
            at,
        };
        inner.fresh_until = fresh_for(policy, &fresh).map(|d| later(at, d));
        let previous = inner.last.as_ref().map(|f| f.outcome.status());
        // The previous result's allocation, when nothing else holds it
        // (no report, no history sample): most runs of a steady check.
        let finished = match inner.last.take() {
            Some(mut last) => match Arc::get_mut(&mut last) {
                Some(reused) => {
                    *reused = fresh;
                    last
                }
                None => Arc::new(fresh),
            },
            None => Arc::new(fresh),
        };
        inner.last = Some(Arc::clone(&finished));
        inner.finished = inner.started;
        inner.history.record(&finished);
        let waiters = std::mem::take(&mut inner.waiters);
        drop(inner);
        for waiter in waiters {
            waiter.wake();
        }
        if became_slow {
            self.events.slow(&self.check, duration, slow_after);
        }
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

/// How long after a result an `interval` check's next one is overdue: two
/// periods and a timeout (then its background task is taken as gone).
fn staleness(policy: &crate::check::Policy) -> Option<Duration> {
    let period = policy.interval()?;
    Some(period.saturating_mul(2).saturating_add(policy.timeout()))
}

/// How long `finished` may be served without a run: an `interval` check's
/// staleness (inclusive), or the cache TTL (its failure TTL unless it
/// passed); `None` without either.
fn fresh_for(policy: &crate::check::Policy, finished: &Finished) -> Option<Duration> {
    if let Some(stale) = staleness(policy) {
        return Some(stale.saturating_add(Duration::from_nanos(1)));
    }
    match finished.passed() {
        true => policy.cache(),
        false => policy.cache_failure(),
    }
}
