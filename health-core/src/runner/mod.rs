//! Running checks: every selected check concurrently, each bounded by its
//! timeout, isolated from panics, executed at most once at a time.
//!
//! | file | what |
//! |---|---|
//! | `mod.rs` | running a selection: results at hand, the rest awaited together |
//! | `slot.rs` | one check's cell: single flight, cache, rate limit, threshold, latest result |
//! | `execution.rs` | one execution: timeout, panic isolation, span |
//! | `join.rs` | awaiting many check futures at once, cheaply |
//! | `history.rs` | a check's last results and uptime counters |

mod execution;
mod history;
mod join;
mod slot;

pub(crate) use history::Window;
use slot::Pending;
pub(crate) use slot::Slot;

use crate::check::Check;
use crate::model::{Finished, Status};
use std::sync::Arc;
use tokio::time::Instant;

/// The results of one run: one per selected check, in order.
pub(crate) struct Results<'a> {
    slots: Vec<&'a Arc<Slot>>,
    results: Vec<Option<Arc<Finished>>>,
    /// When the run started: ages are measured from here, so a result this
    /// run produced is zero old, a cached one as old as it was then.
    started: Instant,
}

/// Runs `slots` concurrently, each served from its cache, its background
/// result or a shared execution, as its policy says.
pub(crate) async fn run(slots: Vec<&Arc<Slot>>) -> Results<'_> {
    let started = Instant::now();
    let mut results = Vec::with_capacity(slots.len());
    let mut waiting = Vec::new();
    for (index, slot) in slots.iter().enumerate() {
        match slot.pending(started) {
            Pending::AtHand(result) => results.push(result),
            pending => {
                results.push(None);
                waiting.push((index, pending));
            }
        }
    }
    // Results at hand cost no future at all; only the rest are awaited.
    if !waiting.is_empty() {
        let (indices, pending): (Vec<usize>, Vec<Pending>) = waiting.into_iter().unzip();
        for (index, result) in indices.into_iter().zip(join::join_all(pending).await) {
            results[index] = result;
        }
    }
    Results {
        slots,
        results,
        started,
    }
}

/// The latest results of `slots`, without running anything.
pub(crate) fn latest(slots: Vec<&Arc<Slot>>) -> Results<'_> {
    let results = slots.iter().map(|slot| slot.last()).collect();
    Results {
        slots,
        results,
        started: Instant::now(),
    }
}

impl<'a> Results<'a> {
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

    /// Each check with its result (`None`: no result yet).
    pub(crate) fn pairs(self) -> impl Iterator<Item = (&'a Check, Option<Arc<Finished>>)> {
        self.slots.into_iter().map(|s| &s.check).zip(self.results)
    }
}
