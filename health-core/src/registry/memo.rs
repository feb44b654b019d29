//! Each probe's latest summary, kept while every one of its checks has a
//! result at hand (cached, or an `interval` check's): a probe over cached
//! checks is then answered without visiting them, and without waiting.
//!
//! An entry is valid while no change was reported since it was made (the
//! registry's change count, bumped after a check's status changes) and
//! until the first of its checks' results stops being at hand.

use super::verdict::Summary;
use std::sync::Mutex;
use tokio::time::Instant;

/// One probe's memo.
#[derive(Debug, Default)]
pub(super) struct Memo(Mutex<Option<Entry>>);

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The change count read before the run that made it.
    count: u64,
    /// When the first of the checks' results stops being at hand.
    until: Instant,
    summary: Summary,
}

impl Memo {
    /// The summary, if it is still valid at `now` with the change count at
    /// `count`.
    pub(super) fn get(&self, now: Instant, count: u64) -> Option<Summary> {
        let entry = (*self.0.lock().unwrap_or_else(|p| p.into_inner()))?;
        (entry.count == count && now < entry.until).then_some(entry.summary)
    }

    /// Keeps `summary` of a run begun when the change count was `count`,
    /// valid until `until`.
    pub(super) fn set(&self, count: u64, until: Instant, summary: Summary) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(Entry {
            count,
            until,
            summary,
        });
    }
}
