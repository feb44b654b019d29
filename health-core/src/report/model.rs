//! The report of a probe run and its components.

use crate::check::{Check, Probe, Tags};
use crate::model::{Finished, Observed, Status};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::sync::Arc;
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

/// One check's part of a [`Report`].
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub(crate) name: Arc<str>,
    pub(crate) critical: bool,
    pub(crate) tags: Tags,
    /// Shared with the check's slot: reports never copy outcomes.
    pub(crate) result: Option<Arc<Finished>>,
    /// The report's clock: ages and wall-clock times are derived when
    /// asked for, so a rendering that shows none computes none.
    pub(crate) clock: Clock,
}

impl Component {
    /// `check`'s part of a report, from a result (or UNKNOWN). A result's
    /// wall-clock time is derived from the report's clock rather than read
    /// for every execution.
    pub(crate) fn new(check: &Check, result: Option<Arc<Finished>>, clock: &Clock) -> Self {
        Self {
            name: Arc::clone(&check.name),
            critical: check.policy().is_critical(),
            tags: Arc::clone(&check.tags),
            result,
            clock: *clock,
        }
    }
}

impl Component {
    /// The check's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its status, after the failure threshold was applied: UNKNOWN while
    /// there is no result yet.
    pub fn status(&self) -> Status {
        self.result
            .as_ref()
            .map_or(Status::Unknown, |f| f.outcome.status())
    }

    /// The message of its latest outcome, if any.
    pub fn message(&self) -> Option<&str> {
        match &self.result {
            Some(f) => f.outcome.message(),
            None => Some("no result yet"),
        }
    }

    /// Whether a DOWN here makes the whole probe DOWN.
    pub fn is_critical(&self) -> bool {
        self.critical
    }

    /// How long the execution that produced this result took (`None` while
    /// UNKNOWN).
    pub fn duration(&self) -> Option<Duration> {
        self.result.as_ref().map(|f| f.duration)
    }

    /// How old the served result is: zero when it was just computed, more
    /// when it came from the cache or from a background `interval` run.
    pub fn age(&self) -> Option<Duration> {
        self.result.as_ref().map(|f| self.clock.age_of(f.at))
    }

    /// When the served result was produced (wall clock).
    pub fn observed_at(&self) -> Option<SystemTime> {
        self.result.as_ref().and_then(|f| self.clock.wall_of(f.at))
    }

    /// The check's tags.
    pub fn tags(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().map(|t| t.as_ref())
    }

    /// The observed value, if the check reported one.
    pub fn observed(&self) -> Option<&Observed> {
        self.result.as_ref().and_then(|f| f.outcome.observed())
    }

    /// Structured details the check added.
    pub fn details(&self) -> Option<&Map<String, Value>> {
        self.result
            .as_ref()
            .map(|f| f.outcome.details())
            .filter(|d| !d.is_empty())
    }
}

/// The result of one probe run: the aggregate status and every component.
///
/// ```
/// use health_core::{Check, Probe, Registry, Status};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), health_core::BuildError> {
/// let registry = Registry::builder()
///     .without_declared()
///     .check(Check::new("db", || async { Ok::<(), std::io::Error>(()) }))
///     .check(Check::new("search", || async { false }).critical(false))
///     .build()?;
/// let report = registry.run(Probe::Readiness).await;
/// assert_eq!(report.status(), Status::Degraded);
/// assert_eq!(report.component("search").unwrap().status(), Status::Down);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub(crate) probe: Option<Probe>,
    pub(crate) status: Status,
    pub(crate) reason: Option<Cow<'static, str>>,
    /// With OUT_OF_SERVICE: when to try again, as the lifecycle said when
    /// the report was made.
    pub(crate) retry_after: Option<Duration>,
    pub(crate) components: Vec<Component>,
    pub(crate) timestamp: SystemTime,
}

impl Report {
    /// The aggregate status.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The probe this report answers (`None` for a single-component report).
    pub fn probe(&self) -> Option<Probe> {
        self.probe
    }

    /// Why the status was overridden by the lifecycle (draining,
    /// maintenance), if it was.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }

    /// With OUT_OF_SERVICE: the suggested `Retry-After`.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Every component, sorted by name.
    pub fn components(&self) -> &[Component] {
        &self.components
    }

    /// The component named `name`.
    pub fn component(&self, name: &str) -> Option<&Component> {
        self.components.iter().find(|c| &*c.name == name)
    }

    /// When the report was made.
    pub fn timestamp(&self) -> SystemTime {
        self.timestamp
    }
}

/// The aggregate of components: the most severe critical status, with a
/// non-critical component contributing at most DEGRADED.
///
/// Any critical DOWN gives DOWN; a critical UNKNOWN (no result yet) gives
/// UNKNOWN, which is not serving: a service is ready only once it is known to
/// be. A non-critical DOWN or UNKNOWN, or any DEGRADED, gives DEGRADED.
/// No components give UP.
pub fn aggregate<'a>(components: impl IntoIterator<Item = &'a Component>) -> Status {
    aggregate_statuses(components.into_iter().map(|c| (c.critical, c.status())))
}

/// [`aggregate`] over `(critical, status)` pairs.
pub(crate) fn aggregate_statuses(statuses: impl IntoIterator<Item = (bool, Status)>) -> Status {
    statuses
        .into_iter()
        .map(|(critical, status)| {
            if critical {
                status
            } else {
                status.min(Status::Degraded)
            }
        })
        .max()
        .unwrap_or(Status::Up)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn component(status: Status, critical: bool) -> Component {
        let result = (status != Status::Unknown).then(|| {
            let mut outcome = crate::Outcome::up();
            outcome.set_status(status);
            Arc::new(Finished {
                raw: status,
                outcome,
                duration: Duration::ZERO,
                at: tokio::time::Instant::now(),
            })
        });
        Component {
            name: "c".into(),
            critical,
            tags: Tags::default(),
            result,
            clock: Clock::new(tokio::time::Instant::now()),
        }
    }

    #[test]
    fn aggregation_table() {
        use Status::*;
        let cases: &[(&[(Status, bool)], Status)] = &[
            (&[], Up),
            (&[(Up, true), (Up, false)], Up),
            (&[(Up, true), (Degraded, true)], Degraded),
            (&[(Up, true), (Degraded, false)], Degraded),
            (&[(Up, true), (Down, false)], Degraded),
            (&[(Up, true), (Unknown, false)], Degraded),
            (&[(Up, true), (Unknown, true)], Unknown),
            (&[(Up, true), (Down, true)], Down),
            (&[(Unknown, true), (Down, true), (Degraded, false)], Down),
            (&[(Down, false), (Down, false)], Degraded),
        ];
        for (input, expected) in cases {
            let comps: Vec<_> = input.iter().map(|(s, c)| component(*s, *c)).collect();
            assert_eq!(aggregate(&comps), *expected, "{input:?}");
            assert_eq!(expected.is_serving(), matches!(expected, Up | Degraded));
        }
    }
}
