//! The status page: one self-contained HTML page, the JSON data its script
//! refreshes it from, and an SVG badge of readiness.
//!
//! | file | what |
//! |---|---|
//! | `sha256.rs` | SHA-256 and Base64, for the CSP hashes |
//! | `escape.rs` | the HTML/SVG escaper |
//! | `format.rs` | how statuses, spans, times and shares are written |
//! | `assets.rs` | the embedded stylesheet and script, and the CSP headers made of their hashes |
//! | `chart.rs` | the heartbeat bar and the latency sparkline, as inline SVG |
//! | `page.rs` | the HTML page, rendered on the server |
//! | `data.rs` | the JSON body of the page's data endpoint |
//! | `badge.rs` | the SVG badge |
//!
//! Every request takes a [`Snapshot`] and renders it: each probe's
//! verdict, obtained as a probe would (so the registry's caches,
//! intervals, single flight and rate limit apply, and a page view runs no
//! check a probe would not), then, for a caller allowed to see components,
//! every check's history, read after the verdicts so it holds their
//! results. The page and its data are two renderings of one snapshot.

mod assets;
mod badge;
mod chart;
mod data;
mod escape;
mod format;
mod page;
mod sha256;

use crate::body::ContentType;
use crate::paths::Paths;
use crate::response::Response;
use bytes::Bytes;
use health_core::report::CheckHistory;
use health_core::{Probe, Registry, Status};
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;
use std::time::{Duration, SystemTime};

/// How often the page's script refreshes it, in milliseconds.
pub(crate) const REFRESH_MS: u32 = 5000;

/// What the status page needs to know of the paths, fixed when the
/// endpoints are built.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// The data endpoint relative to the page (`./ui/data`): right below
    /// whatever prefix an application nests the routes under.
    data_href: String,
    /// `/version` is served, so version, commit and uptime are public.
    public_version: bool,
}

impl Settings {
    pub(crate) fn new(paths: &Paths) -> Self {
        let page = paths.ui_path().unwrap_or_default();
        let last = page.rsplit('/').next().unwrap_or_default();
        let data_href = if last.is_empty() {
            "./data".to_owned()
        } else {
            format!("./{last}/data")
        };
        Self {
            data_href,
            public_version: paths.version_path().is_some(),
        }
    }
}

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
                .map(|r| health_core::text::sanitize(&r).into_owned());
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
        && let std::borrow::Cow::Owned(clean) = health_core::text::sanitize(text)
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

/// The headers every answer of the family carries besides
/// `Cache-Control: no-store`.
fn hardened(response: Response, csp: &'static str) -> Response {
    response
        .with_header("content-security-policy", csp)
        .with_header("x-content-type-options", "nosniff")
        .with_header("referrer-policy", "no-referrer")
        .with_header("x-frame-options", "DENY")
}

/// `GET /health/ui`.
pub(crate) async fn page(registry: &Registry, settings: &Settings, allowed: bool) -> Response {
    let snapshot = Snapshot::take(registry, settings, allowed).await;
    let body = page::render(&snapshot, &settings.data_href);
    hardened(
        Response::new(200, ContentType::Html, Bytes::from(body)),
        assets::PAGE_CSP.as_str(),
    )
}

/// `GET /health/ui/data`.
pub(crate) async fn data(registry: &Registry, settings: &Settings, allowed: bool) -> Response {
    let snapshot = Snapshot::take(registry, settings, allowed).await;
    let body = data::render(&snapshot);
    hardened(
        Response::new(200, ContentType::Json, Bytes::from(body)),
        assets::NONE_CSP,
    )
}

/// `GET /health/badge.svg`: readiness, for anybody (it is the overall
/// status only), obtained as a readiness probe would.
pub(crate) async fn badge(registry: &Registry) -> Response {
    badge_of(registry.verdict(Probe::Readiness).await.status)
}

/// The badge of readiness's `status`.
pub(crate) fn badge_of(status: Status) -> Response {
    hardened(
        Response::new(200, ContentType::Svg, Bytes::from(badge::render(status))),
        assets::NONE_CSP,
    )
}

#[cfg(test)]
mod tests;
