//! [`Component`]: one check's part of a report.

use super::Clock;
use crate::check::{Check, Tags};
use crate::model::{Finished, Observed, Status};
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// One check's part of a [`Report`](super::Report).
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub(crate) name: Arc<str>,
    pub(crate) critical: bool,
    /// The check's slow threshold.
    pub(crate) slow_after: Duration,
    pub(crate) tags: Tags,
    /// Shared with the check's slot: reports never copy outcomes.
    pub(crate) result: Option<Arc<Finished>>,
    /// The report's clock: ages and wall-clock times are derived when
    /// asked for, so a rendering that shows none computes none.
    pub(crate) clock: Clock,
    /// The run's deadline passed while this check's execution was under
    /// way: the result shown is its latest, older than the run.
    pub(crate) stale: bool,
}

impl Component {
    /// `check`'s part of a report, from a result (or UNKNOWN). A result's
    /// wall-clock time is derived from the report's clock rather than read
    /// for every execution.
    pub(crate) fn new(
        check: &Check,
        result: Option<Arc<Finished>>,
        stale: bool,
        clock: &Clock,
    ) -> Self {
        Self {
            name: Arc::clone(&check.name),
            critical: check.policy().is_critical(),
            slow_after: check.policy().slow(),
            tags: Arc::clone(&check.tags),
            result,
            clock: *clock,
            stale,
        }
    }
}

impl Component {
    /// The check's name.
    #[inline]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the result shown is stale: the run's deadline
    /// ([`Registry::run_until`](crate::Registry::run_until)) passed while
    /// the check's execution was still under way, so its latest result
    /// answers (see [`age`](Self::age)), or UNKNOWN before its first. The
    /// execution goes on, and the next run has it.
    #[inline]
    pub fn is_stale(&self) -> bool {
        self.stale
    }

    /// Its status, after the failure threshold was applied: UNKNOWN while
    /// there is no result yet.
    #[inline]
    pub fn status(&self) -> Status {
        self.result
            .as_ref()
            .map_or(Status::Unknown, |f| f.outcome.status())
    }

    /// The message of its latest outcome, if any.
    #[inline]
    pub fn message(&self) -> Option<&str> {
        match &self.result {
            Some(f) => f.outcome.message(),
            None => Some("no result yet"),
        }
    }

    /// Whether a DOWN here makes the whole probe DOWN.
    #[inline]
    pub fn is_critical(&self) -> bool {
        self.critical
    }

    /// How long the execution that produced this result took (`None` while
    /// UNKNOWN).
    #[inline]
    pub fn duration(&self) -> Option<Duration> {
        self.result.as_ref().map(|f| f.duration)
    }

    /// Whether the execution that produced this result was slow: longer
    /// than the check's slow threshold
    /// ([`Policy::slow`](crate::Policy::slow)).
    #[inline]
    pub fn is_slow(&self) -> bool {
        self.duration().is_some_and(|d| d > self.slow_after)
    }

    /// How old the served result is: zero when it was just computed, more
    /// when it came from the cache or from a background `interval` run.
    #[inline]
    pub fn age(&self) -> Option<Duration> {
        self.result.as_ref().map(|f| self.clock.age_of(f.at))
    }

    /// When the served result was produced (wall clock).
    #[inline]
    pub fn observed_at(&self) -> Option<SystemTime> {
        self.result.as_ref().and_then(|f| self.clock.wall_of(f.at))
    }

    /// The check's tags.
    #[inline]
    pub fn tags(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().map(|t| t.as_ref())
    }

    /// The observed value, if the check reported one.
    #[inline]
    pub fn observed(&self) -> Option<&Observed> {
        self.result.as_ref().and_then(|f| f.outcome.observed())
    }

    /// Structured details the check added.
    #[inline]
    pub fn details(&self) -> Option<&Map<String, Value>> {
        self.result
            .as_ref()
            .map(|f| f.outcome.details())
            .filter(|d| !d.is_empty())
    }
}
