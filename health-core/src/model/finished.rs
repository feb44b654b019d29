//! A finished execution, as the runner stores it and reports show it.

use super::Outcome;
use std::time::Duration;
use tokio::time::Instant;

/// One finished execution of a check.
#[derive(Debug, PartialEq)]
pub(crate) struct Finished {
    /// After the failure threshold: a tolerated failure is DEGRADED here.
    pub(crate) outcome: Outcome,
    /// The raw result was a failure (tolerated or not): it is cached for
    /// the failure TTL.
    pub(crate) failed: bool,
    pub(crate) duration: Duration,
    /// When it finished.
    pub(crate) at: Instant,
}
