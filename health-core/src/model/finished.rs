//! A finished execution, as the runner stores it and reports show it.

use super::{Outcome, Status};
use std::time::Duration;
use tokio::time::Instant;

/// One finished execution of a check.
#[derive(Debug, PartialEq)]
pub(crate) struct Finished {
    /// After the failure threshold: a tolerated failure is DEGRADED here.
    pub(crate) outcome: Outcome,
    /// The status the check itself reported, before the threshold.
    pub(crate) raw: Status,
    pub(crate) duration: Duration,
    /// When it finished.
    pub(crate) at: Instant,
}

impl Finished {
    /// Whether the check itself passed (UP or DEGRADED): only a pass is
    /// cached for the success TTL; a failure, tolerated or not, and an
    /// UNKNOWN get the failure TTL.
    pub(crate) fn passed(&self) -> bool {
        self.raw.is_serving()
    }
}
