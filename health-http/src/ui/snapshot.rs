//! [`Snapshot`]: what one view of the page, or of its data, shows: each
//! probe's verdict, obtained as a probe would, then the checks' history.

use super::Settings;
use health_core::report::CheckHistory;
use health_core::{Probe, Registry, Status};
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;
use std::time::{Duration, SystemTime};

/// The probes, in the order the page shows them.
pub(crate) const PROBES: [Probe; 3] = [Probe::Readiness, Probe::Liveness, Probe::Startup];

/// What one page view shows.
#[derive(Debug)]
pub(crate) struct Snapshot {
    /// When it was taken (wall clock).
    pub(crate) now: SystemTime,
    /// Each probe's status, in [`PROBES`] order, and, for an allowed
    /// caller, why the lifecycle overrode it.
    pub(crate) probes: [(Probe, Status, Option<String>); 3],
    /// Version, commit, uptime: for an allowed caller, or for everybody
    /// while `/version` is served.
    pub(crate) service: Option<Service>,
    /// Every check's history; `None` for a caller who may not see
    /// components.
    pub(crate) checks: Option<Vec<CheckHistory>>,
}

/// What the service says about itself.
#[derive(Debug)]
pub(crate) struct Service {
    pub(crate) version: Option<String>,
    pub(crate) commit: Option<String>,
    pub(crate) uptime: Duration,
    pub(crate) started_at: SystemTime,
}

impl Snapshot {
    /// Runs each probe as a probe request would (concurrently: a check in
    /// two probes runs once, single flight) and reads the history after.
    pub(crate) async fn take(registry: &Registry, settings: &Settings, allowed: bool) -> Self {
        let verdicts = join(PROBES.map(|probe| registry.verdict(probe))).await;
        let mut verdicts = verdicts.into_iter();
        let probes = PROBES.map(|probe| {
            let verdict = verdicts.next();
            let status = verdict.as_ref().map_or(Status::Unknown, |v| v.status);
            let reason = verdict
                .and_then(|v| v.reason)
                .filter(|_| allowed)
                .map(|r| health_core::hygiene::sanitize(&r).into_owned());
            (probe, status, reason)
        });
        let service = (allowed || settings.public_version).then(|| Service {
            version: registry.version().map(str::to_owned),
            commit: registry.commit().map(str::to_owned),
            uptime: registry.uptime(),
            started_at: registry.started_at(),
        });
        Self {
            now: SystemTime::now(),
            probes,
            service,
            checks: allowed.then(|| registry.history().into_iter().map(clean).collect()),
        }
    }

    /// The readiness status: the page's title and the badge.
    pub(crate) fn readiness(&self) -> Status {
        self.probes[0].1
    }
}

/// The latest message as every body shows it: sanitised (the core keeps
/// messages redacted; sanitising strips control, separator, bidi and
/// zero-width characters and bounds the length). The samples' messages,
/// which only the data shows, are sanitised there.
fn clean(mut check: CheckHistory) -> CheckHistory {
    if let Some(text) = &mut check.message
        && let std::borrow::Cow::Owned(clean) = health_core::hygiene::sanitize(text)
    {
        *text = clean;
    }
    check
}

/// Awaits `futures` together, in one task.
async fn join<F: Future, const N: usize>(futures: [F; N]) -> Vec<F::Output> {
    let mut futures: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = (0..N).map(|_| None).collect();
    poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}
