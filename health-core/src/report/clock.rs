//! [`Clock`]: the times a report is made with.

use std::time::{Duration, SystemTime};
use tokio::time::Instant;

/// The times a report is made with: ages count from the run's start,
/// wall-clock times derive from one wall-clock read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Clock {
    started: Instant,
    instant: Instant,
    wall: SystemTime,
}

impl Clock {
    /// The clock of a run started at `started`, read now.
    pub(crate) fn new(started: Instant) -> Self {
        Self {
            started,
            instant: Instant::now(),
            wall: SystemTime::now(),
        }
    }

    /// The report's wall-clock time.
    pub(crate) fn wall(&self) -> SystemTime {
        self.wall
    }

    /// The wall-clock time of the monotonic instant `at`.
    pub(crate) fn wall_of(&self, at: Instant) -> Option<SystemTime> {
        self.wall
            .checked_sub(self.instant.saturating_duration_since(at))
    }

    /// How old something from `at` is, counted from the run's start.
    pub(crate) fn age_of(&self, at: Instant) -> Duration {
        self.started.saturating_duration_since(at)
    }
}
