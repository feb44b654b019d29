//! A check's recent past, for status pages: its last results, since when
//! its status holds, and its uptime over the last hour and day. The data
//! only: the runner keeps each check's history and makes these from it.

use crate::check::Probes;
use crate::model::Status;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// One check's recent past, from [`Registry::history`](crate::Registry::history).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CheckHistory {
    /// The check's name.
    pub name: Arc<str>,
    /// Whether a DOWN here fails its probes.
    pub critical: bool,
    /// The probes it takes part in.
    pub probes: Probes,
    /// Its tags.
    pub tags: Vec<String>,
    /// Its latest status (UNKNOWN before the first result).
    pub status: Status,
    /// Its slow threshold ([`Policy::slow`](crate::Policy::slow)).
    pub slow_after: Duration,
    /// Whether its latest result took longer than that.
    pub slow: bool,
    /// When that status began (wall clock), if there is a result.
    pub since: Option<SystemTime>,
    /// How old the latest result is.
    pub age: Option<Duration>,
    /// The latest result's message.
    pub message: Option<String>,
    /// The share of the last hour spent serving (UP or DEGRADED), as far
    /// as known: time-weighted, the time between two results counting as
    /// the first one's status.
    pub uptime_hour: Option<f64>,
    /// The same over the last day.
    pub uptime_day: Option<f64>,
    /// The last results, oldest first.
    pub samples: Vec<HistorySample>,
}

/// One result in a [`CheckHistory`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct HistorySample {
    /// When it finished (wall clock).
    pub at: SystemTime,
    /// How long the execution took.
    pub duration: Duration,
    /// Its status, after the failure threshold.
    pub status: Status,
    /// A failure's message.
    pub message: Option<String>,
}
