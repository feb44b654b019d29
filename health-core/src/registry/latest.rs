//! The latest aggregate of each probe, ordered by when its run started, so
//! that of two overlapping runs the older can neither replace the newer's
//! status nor report a spurious pair of transitions.

use crate::model::Status;
use std::sync::Mutex;
use tokio::time::Instant;

/// One probe's latest aggregate (of runs of the whole probe).
#[derive(Debug, Default)]
pub(super) struct LatestVerdict(Mutex<Option<(Instant, Status)>>);

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
    /// recorded already.
    pub(super) fn record(&self, started: Instant, status: Status) -> Recorded {
        let mut latest = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match *latest {
            Some((at, _)) if at > started => Recorded::Superseded,
            _ => Recorded::Latest {
                previous: latest.replace((started, status)).map(|(_, s)| s),
            },
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
            cell.record(newer, Status::Up),
            Recorded::Latest { previous: None }
        );
        assert_eq!(cell.record(older, Status::Down), Recorded::Superseded);
        // So the next run sees UP before it: no DOWN in between.
        let next = newer + Duration::from_millis(50);
        assert_eq!(
            cell.record(next, Status::Up),
            Recorded::Latest {
                previous: Some(Status::Up)
            }
        );
        // Runs started at the same instant keep the order they finish in.
        assert_eq!(
            cell.record(next, Status::Down),
            Recorded::Latest {
                previous: Some(Status::Up)
            }
        );
    }
}
