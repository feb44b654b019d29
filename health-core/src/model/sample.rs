//! One result in a check's history.

use super::{Finished, Status};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// One result in a check's history: a few words, and for a failure the
/// result itself, for its message (no copy of a passing one).
#[derive(Debug, Clone)]
pub(crate) struct Sample {
    pub(crate) at: Instant,
    pub(crate) duration: Duration,
    pub(crate) status: Status,
    pub(crate) failure: Option<Arc<Finished>>,
}
