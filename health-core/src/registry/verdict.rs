//! What a probe run decides: a pure function of the probe, the lifecycle,
//! the startup latch and the checks' statuses.

use super::Lifecycle;
use crate::check::Probe;
use crate::model::Status;
use crate::report::aggregate_statuses;
use std::borrow::Cow;
use std::time::Duration;

/// What a probe run decided: its status, and why and until when the
/// lifecycle took it out of service.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verdict {
    /// The aggregate status.
    pub status: Status,
    /// Why the lifecycle overrode it (draining, maintenance), if it did.
    pub reason: Option<Cow<'static, str>>,
    /// With OUT_OF_SERVICE: the suggested `Retry-After`.
    pub retry_after: Option<Duration>,
}

/// The verdict of `probe` over `statuses` (each check's criticality and
/// status), given the lifecycle and whether startup has latched.
///
/// Readiness is OUT_OF_SERVICE while draining or in maintenance. Startup
/// is UP once latched, and otherwise UP only when every startup check
/// passed (UP or DEGRADED, critical or not). Everything else aggregates.
pub(crate) fn decide(
    probe: Probe,
    lifecycle: &Lifecycle,
    startup_latched: bool,
    statuses: impl IntoIterator<Item = (bool, Status)>,
) -> Verdict {
    decide_from(probe, lifecycle, startup_latched, || Summary::of(statuses))
}

/// [`decide`] over the checks' [`Summary`], made only when needed (the
/// lifecycle and the latch decide without the checks).
pub(super) fn decide_from(
    probe: Probe,
    lifecycle: &Lifecycle,
    startup_latched: bool,
    summary: impl FnOnce() -> Summary,
) -> Verdict {
    let plain = |status| Verdict {
        status,
        reason: None,
        retry_after: None,
    };
    match (probe, lifecycle) {
        (Probe::Readiness, Lifecycle::Serving) | (Probe::Liveness, _) => plain(summary().aggregate),
        (Probe::Readiness, out) => Verdict {
            status: Status::OutOfService,
            reason: Some(match out {
                Lifecycle::Maintenance { reason, .. } => format!("maintenance: {reason}").into(),
                _ => "draining: shutting down".into(),
            }),
            retry_after: out.retry_after(),
        },
        (Probe::Startup, _) if startup_latched => plain(Status::Up),
        (Probe::Startup, _) => plain(if summary().all_serving {
            Status::Up
        } else {
            Status::Down
        }),
    }
}

/// What a verdict needs of the checks' statuses: their aggregate, and
/// whether every one passed (UP or DEGRADED).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Summary {
    aggregate: Status,
    all_serving: bool,
}

impl Summary {
    /// The summary of `statuses` (each check's criticality and status), in
    /// one pass.
    pub(super) fn of(statuses: impl IntoIterator<Item = (bool, Status)>) -> Self {
        let mut all_serving = true;
        let aggregate = aggregate_statuses(
            statuses
                .into_iter()
                .inspect(|(_, status)| all_serving &= status.is_serving()),
        );
        Self {
            aggregate,
            all_serving,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    const DRAINING: Lifecycle = Lifecycle::Draining {
        retry_after: Duration::from_secs(5),
    };

    fn maintenance() -> Lifecycle {
        Lifecycle::Maintenance {
            reason: "reindexing".into(),
            retry_after: Duration::from_secs(60),
        }
    }

    #[test]
    fn readiness_follows_the_lifecycle() {
        let up = [(true, Up)];
        assert_eq!(
            decide(Probe::Readiness, &Lifecycle::Serving, false, up).status,
            Up
        );
        let drain = decide(Probe::Readiness, &DRAINING, false, up);
        assert_eq!(drain.status, OutOfService);
        assert_eq!(drain.reason.as_deref(), Some("draining: shutting down"));
        assert_eq!(drain.retry_after, Some(Duration::from_secs(5)));
        let m = decide(Probe::Readiness, &maintenance(), false, [(true, Down)]);
        assert_eq!(m.status, OutOfService);
        assert_eq!(m.reason.as_deref(), Some("maintenance: reindexing"));
        assert_eq!(m.retry_after, Some(Duration::from_secs(60)));
    }

    #[test]
    fn liveness_ignores_the_lifecycle() {
        for lifecycle in [Lifecycle::Serving, DRAINING, maintenance()] {
            let v = decide(Probe::Liveness, &lifecycle, false, [(true, Up)]);
            assert_eq!((v.status, v.reason, v.retry_after), (Up, None, None));
            assert_eq!(
                decide(Probe::Liveness, &lifecycle, false, [(true, Down)]).status,
                Down
            );
        }
    }

    #[test]
    fn startup_needs_every_check_passed_until_latched() {
        let serving = &Lifecycle::Serving;
        assert_eq!(
            decide(
                Probe::Startup,
                serving,
                false,
                [(true, Up), (false, Degraded)]
            )
            .status,
            Up
        );
        // A non-critical failure still holds startup back.
        assert_eq!(
            decide(Probe::Startup, serving, false, [(true, Up), (false, Down)]).status,
            Down
        );
        assert_eq!(
            decide(Probe::Startup, serving, false, [(true, Unknown)]).status,
            Down
        );
        assert_eq!(
            decide(Probe::Startup, serving, true, [(true, Down)]).status,
            Up
        );
        // Draining does not un-start a service.
        assert_eq!(decide(Probe::Startup, &DRAINING, true, []).status, Up);
    }

    #[test]
    fn no_checks() {
        for probe in [Probe::Liveness, Probe::Readiness, Probe::Startup] {
            assert_eq!(decide(probe, &Lifecycle::Serving, false, []).status, Up);
        }
    }
}
