//! [`Report`]: the result of one probe run, and [`aggregate`], the
//! verdict over its components.

use super::Component;
use crate::check::Probe;
use crate::model::Status;
use std::borrow::Cow;
use std::time::{Duration, SystemTime};

/// The result of one probe run: the aggregate status and every component.
///
/// ```
/// use health_core::{Check, Probe, Registry, Status};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), health_core::BuildError> {
/// let registry = Registry::builder()
///     .without_declared()
///     .check(Check::new("db", || async { Ok::<(), std::io::Error>(()) }))
///     .check(Check::new("search", || async { false }).with_critical(false))
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
    #[inline]
    pub fn status(&self) -> Status {
        self.status
    }

    /// The probe this report answers (`None` for a single-component report).
    #[inline]
    pub fn probe(&self) -> Option<Probe> {
        self.probe
    }

    /// Why the status was overridden by the lifecycle (draining,
    /// maintenance), if it was.
    #[inline]
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }

    /// With OUT_OF_SERVICE: the suggested `Retry-After`.
    #[inline]
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Every component, sorted by name.
    #[inline]
    pub fn components(&self) -> &[Component] {
        &self.components
    }

    /// The component named `name`.
    #[inline]
    pub fn component(&self, name: &str) -> Option<&Component> {
        self.components.iter().find(|c| &*c.name == name)
    }

    /// When the report was made.
    #[inline]
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

    use crate::check::Tags;
    use crate::model::Finished;
    use crate::report::Clock;
    use std::sync::Arc;

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
            slow_after: Duration::from_millis(500),
            tags: Tags::default(),
            result,
            clock: Clock::new(tokio::time::Instant::now()),
            stale: false,
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
