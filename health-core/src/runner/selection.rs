//! Running a selection of checks: results at hand, the rest awaited
//! together; and the background refresh of one check.

use super::execution::Execution;
use super::home::Home;
use super::join;
use super::slot::{Join, Pending, Slot};

use crate::check::Check;
use crate::model::{Finished, Status};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::time::Instant;

/// The checks of a run: a registry's own list of a probe's checks (shared,
/// so a run holds the list it started with while checks are added or
/// removed), or a selection of them.
pub(crate) type Slots = Arc<[Arc<Slot>]>;

/// The results of one run: one per selected check, in order.
pub(crate) struct Results {
    slots: Slots,
    results: Vec<Option<Arc<Finished>>>,
    /// After a deadline cut the run short: which checks' executions were
    /// still under way (their latest result is served, stale). Empty when
    /// the run finished.
    stale: Vec<bool>,
    /// When the run started: ages are measured from here, so a result this
    /// run produced is zero old, a cached one as old as it was then.
    started: Instant,
}

/// Runs `slots` concurrently, each served from its cache, its background
/// result, the execution under way, or a new one, as its policy says.
///
/// On the `home` runtime (or off any runtime), a new execution is polled
/// once in place: most finish there (a cached dependency, a check with no
/// I/O), one after the other, each starting when the previous one finished
/// (one clock read per check). One still waiting is handed to the runtime,
/// so it finishes (and is recorded) whatever its callers do; the callers
/// then wait for it with the rest. A caller on another runtime (a probe
/// listener's) starts every execution on `home` instead, so checks measure
/// the application's runtime; an inline check runs in place wherever asked.
pub(crate) async fn run(slots: Slots, home: Option<&Home>) -> Results {
    let away = home.and_then(Home::away);
    let started = Instant::now();
    // When the previous execution ended: the next one's start.
    let mut clock = Some(started);
    let mut results = Vec::with_capacity(slots.len());
    let mut waiting = Vec::new();
    for (index, slot) in slots.iter().enumerate() {
        let wait = match slot.pending(started) {
            Pending::AtHand(result) => {
                results.push(result);
                continue;
            }
            Pending::Join(join) => Waiting::Join(join),
            Pending::Lead => match away.filter(|_| !slot.check.is_inline()) {
                Some(home) => {
                    let execution = slot.lead(Instant::now());
                    let join = slot.join_latest();
                    drop(home.spawn(execution));
                    clock = None;
                    Waiting::Join(join)
                }
                None => {
                    let mut execution = slot.lead(clock.unwrap_or_else(Instant::now));
                    match execution.poll_first() {
                        Poll::Ready(finished) => {
                            clock = Some(finished.at);
                            results.push(Some(finished));
                            continue;
                        }
                        Poll::Pending => {
                            clock = None;
                            detach(slot, execution)
                        }
                    }
                }
            },
        };
        results.push(None);
        waiting.push((index, wait));
    }
    // Results at hand cost no future at all; only the rest are awaited.
    if !waiting.is_empty() {
        let (indices, waits): (Vec<usize>, Vec<Waiting>) = waiting.into_iter().unzip();
        for (index, result) in indices.into_iter().zip(join::join_all(waits).await) {
            results[index] = result;
        }
    }
    Results {
        slots,
        results,
        stale: Vec::new(),
        started,
    }
}

/// [`run`], cut short at `deadline` if it comes first: the executions
/// under way go on (single flight, so the next caller has them), and the
/// answer is each check's latest result, stale where its execution was
/// still running (UNKNOWN before its first). The deadline is kept by the
/// caller's runtime, so it holds even if `home` is wedged. A run that
/// finishes at its first poll (results at hand) sets no timer; without a
/// timer at hand (no runtime, or one without time) the run goes to its end.
pub(crate) async fn run_until(
    slots: Slots,
    home: Option<&Home>,
    deadline: Option<Instant>,
) -> Results {
    let Some(deadline) = deadline else {
        return run(slots, home).await;
    };
    let mut work = std::pin::pin!(run(slots.clone(), home));
    let mut timer: Option<Pin<Box<tokio::time::Sleep>>> = None;
    let mut timeless = false;
    let finished = std::future::poll_fn(|cx| {
        if let Poll::Ready(results) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(results));
        }
        if timeless {
            return Poll::Pending;
        }
        // Tokio's timer panics without a runtime or without time: then
        // there is no deadline, never a panic.
        let expired = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let timer = timer.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
            timer.as_mut().poll(cx).is_ready()
        }));
        match expired {
            Ok(true) => Poll::Ready(None),
            Ok(false) => Poll::Pending,
            Err(_) => {
                timeless = true;
                Poll::Pending
            }
        }
    })
    .await;
    match finished {
        Some(results) => results,
        None => {
            let (results, stale) = slots.iter().map(|s| s.last_and_running()).unzip();
            Results {
                slots,
                results,
                stale,
                started: Instant::now(),
            }
        }
    }
}

/// Runs the execution of an `interval` check's background refresh.
pub(crate) async fn refresh(slot: &Arc<Slot>) {
    match slot.execute() {
        Pending::Lead => drop(slot.lead(Instant::now()).await),
        Pending::Join(join) => drop(join.await),
        Pending::AtHand(_) => {}
    }
}

/// An execution still waiting after its first poll: handed to the runtime,
/// which drives it to its end whatever the callers do, and joined; without
/// a runtime, driven by the caller itself.
fn detach(slot: &Arc<Slot>, execution: Execution<Slot>) -> Waiting {
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => {
            let join = slot.join_latest();
            drop(runtime.spawn(execution));
            Waiting::Join(join)
        }
        Err(_) => Waiting::Drive(execution),
    }
}

/// What a caller awaits for one check.
enum Waiting {
    Join(Join),
    Drive(Execution<Slot>),
}

impl Future for Waiting {
    type Output = Option<Arc<Finished>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut *self {
            Waiting::Join(join) => Pin::new(join).poll(cx),
            Waiting::Drive(execution) => execution.poll_execution(cx).map(Some),
        }
    }
}

/// The results of `slots` when every one is at hand at `now` (see
/// `Slot::at_hand_result`), each read under one lock: the verdict and the
/// components of a selection then agree. `None` if any would have to run.
pub(crate) fn at_hand(slots: Slots, now: Instant) -> Option<Results> {
    let mut results = Vec::with_capacity(slots.len());
    for slot in slots.iter() {
        results.push(slot.at_hand_result(now)?);
    }
    Some(Results {
        slots,
        results,
        stale: Vec::new(),
        started: now,
    })
}

/// The latest results of `slots`, without running anything.
pub(crate) fn latest(slots: Slots) -> Results {
    let results = slots.iter().map(|slot| slot.last()).collect();
    Results {
        slots,
        results,
        stale: Vec::new(),
        started: Instant::now(),
    }
}

impl Results {
    /// Each check's criticality and status.
    pub(crate) fn statuses(&self) -> impl Iterator<Item = (bool, Status)> + '_ {
        self.slots.iter().zip(&self.results).map(|(slot, result)| {
            let status = result
                .as_ref()
                .map_or(Status::Unknown, |f| f.outcome.status());
            (slot.check.policy().is_critical(), status)
        })
    }

    /// When the run started: ages are counted from here.
    pub(crate) fn started(&self) -> Instant {
        self.started
    }

    /// Each check with its result (`None`: no result yet), and whether
    /// that result is stale (a deadline cut the run short while the
    /// check's execution was under way).
    pub(crate) fn each(&self) -> impl Iterator<Item = (&Check, Option<Arc<Finished>>, bool)> {
        self.slots
            .iter()
            .zip(self.results.iter().cloned())
            .enumerate()
            .map(|(i, (s, result))| {
                (
                    &s.check,
                    result,
                    self.stale.get(i).copied().unwrap_or(false),
                )
            })
    }

    /// Whether a deadline cut the run short.
    pub(crate) fn was_cut(&self) -> bool {
        !self.stale.is_empty()
    }
}
