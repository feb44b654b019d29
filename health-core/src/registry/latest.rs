//! The latest aggregate of each probe, ordered by when its run started, so
//! that of two overlapping runs the older can neither replace the newer's
//! status nor report a spurious pair of transitions.

use crate::model::Status;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// How long a verdict that holds goes without being published again
/// (`health_probe_status`), while the probe is asked: an exporter's
/// `idle_timeout` longer than this never retires the gauge of a probe
/// whose verdict holds.
pub(super) const REPUBLISH: Duration = Duration::from_secs(10);

/// One probe's latest aggregate (of runs of the whole probe).
#[derive(Debug, Default)]
pub(super) struct LatestVerdict(Mutex<Option<Latest>>);

#[derive(Debug)]
struct Latest {
    /// When the run that decided it started.
    started: Instant,
    status: Status,
    /// When it is to be published again if it holds: [`REPUBLISH`] after
    /// it was last published (an instant, so that a verdict that holds
    /// costs one comparison).
    republish_at: Instant,
}

/// What [`LatestVerdict::record`] did.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Recorded {
    /// This run is the latest: its status replaced `previous`.
    Latest { previous: Option<Status> },
    /// A run that started later has already recorded: nothing changed.
    Superseded,
}

impl LatestVerdict {
    /// Records `status`, of a run started at `started`, unless a later run
    /// recorded already. When that changes the status (the first is a
    /// change), or the status held for [`REPUBLISH`] since it was last
    /// published, calls `publish` before letting go of the cell: what
    /// `publish` records ends in the order the statuses were kept, even for
    /// runs that conclude at once. A verdict that repeats, as a probe
    /// answered from its memo, costs no more than a comparison.
    pub(super) fn record(
        &self,
        started: Instant,
        status: Status,
        publish: impl FnOnce(),
    ) -> Recorded {
        let mut latest = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match &mut *latest {
            Some(latest) if latest.started > started => Recorded::Superseded,
            Some(latest) => {
                let previous = std::mem::replace(&mut latest.status, status);
                latest.started = started;
                if previous != status || started >= latest.republish_at {
                    publish();
                    latest.republish_at = crate::runner::later(started, REPUBLISH);
                }
                Recorded::Latest {
                    previous: Some(previous),
                }
            }
            None => {
                publish();
                *latest = Some(Latest {
                    started,
                    status,
                    republish_at: crate::runner::later(started, REPUBLISH),
                });
                Recorded::Latest { previous: None }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn an_older_run_finishing_last_changes_nothing() {
        let cell = LatestVerdict::default();
        let t0 = Instant::now();
        let (older, newer) = (t0, t0 + Duration::from_millis(50));
        // The newer run (UP) finishes first, the older (DOWN) after it.
        assert_eq!(
            cell.record(newer, Status::Up, || {}),
            Recorded::Latest { previous: None }
        );
        assert_eq!(
            cell.record(older, Status::Down, || {}),
            Recorded::Superseded
        );
        // So the next run sees UP before it: no DOWN in between.
        let next = newer + Duration::from_millis(50);
        assert_eq!(
            cell.record(next, Status::Up, || {}),
            Recorded::Latest {
                previous: Some(Status::Up)
            }
        );
        // Runs started at the same instant keep the order they finish in.
        assert_eq!(
            cell.record(next, Status::Down, || {}),
            Recorded::Latest {
                previous: Some(Status::Up)
            }
        );
    }

    #[test]
    fn published_on_the_first_status_each_change_and_after_republish() {
        let cell = LatestVerdict::default();
        let calls = std::cell::Cell::new(0);
        let t0 = Instant::now();
        let at = |ms| t0 + Duration::from_millis(ms);
        let count = || calls.set(calls.get() + 1);
        cell.record(at(10), Status::Up, count);
        assert_eq!(calls.get(), 1, "the first verdict is a change");
        cell.record(at(20), Status::Up, count);
        assert_eq!(calls.get(), 1, "the same verdict again");
        cell.record(at(5), Status::Down, count);
        assert_eq!(calls.get(), 1, "a superseded verdict");
        cell.record(at(30), Status::OutOfService, count);
        assert_eq!(calls.get(), 2);
        let republish = u64::try_from(REPUBLISH.as_millis()).unwrap();
        cell.record(at(30 + republish - 1), Status::OutOfService, count);
        assert_eq!(calls.get(), 2, "held for less than REPUBLISH");
        cell.record(at(30 + republish), Status::OutOfService, count);
        assert_eq!(calls.get(), 3, "held for REPUBLISH");
        cell.record(at(31 + republish), Status::OutOfService, count);
        assert_eq!(calls.get(), 3, "published again just now");
    }
}
