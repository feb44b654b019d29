//! [`Registry`] itself: what it holds, how it is made, what it says
//! about the service (checks, version, commit, uptime, changes).

use super::audit::AuditCell;
use super::background::Tasks;
use super::latest::LatestVerdict;
use super::lifecycle::LifecycleCell;
use super::memo::Memo;
use crate::check::{Check, Probe};
use crate::events::{Changes, Events};
use crate::runner::{Home, Slot};
use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};
use tokio::time::Instant;

/// The checks of one service, ready to run.
///
/// ```
/// use health_core::{Check, Probe, Registry, Status};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), health_core::BuildError> {
/// let registry = Registry::builder()
///     .without_declared()
///     .check(Check::new("db", || async { Ok::<(), std::io::Error>(()) }))
///     .build()?;
/// assert_eq!(registry.run(Probe::Readiness).await.status(), Status::Up);
///
/// registry.set_maintenance("reindexing", std::time::Duration::from_secs(60));
/// assert_eq!(registry.run(Probe::Readiness).await.status(), Status::OutOfService);
/// // Liveness ignores the lifecycle: the process is fine.
/// assert_eq!(registry.run(Probe::Liveness).await.status(), Status::Up);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Registry(pub(super) Arc<Inner>);

pub(super) struct Inner {
    /// Sorted by name.
    pub(super) slots: Vec<Arc<Slot>>,
    /// Each probe's checks, sorted by name: a whole probe's run takes its
    /// list as it is.
    pub(super) by_probe: [Vec<Arc<Slot>>; 3],
    metadata: Metadata,
    pub(super) events: Arc<Events>,
    /// The latest aggregate of each probe (run whole), for transitions.
    pub(super) overall: [LatestVerdict; 3],
    /// Each probe's summary while its checks' results are at hand; kept
    /// only for probes whose every check has a `cache` or an `interval`.
    pub(super) memo: [Option<Memo>; 3],
    pub(super) lifecycle: LifecycleCell,
    /// The requests of the application that arrived while draining.
    pub(super) audit: AuditCell,
    pub(super) startup_latched: AtomicBool,
    background: Tasks,
    /// The runtime checks run on: the application's.
    pub(super) home: Option<Home>,
}

/// What the service says about itself, for every protocol and page.
struct Metadata {
    version: Option<Cow<'static, str>>,
    commit: Option<Cow<'static, str>>,
    started_at: Instant,
    started_wall: SystemTime,
}

impl Registry {
    pub(super) fn new(
        slots: Vec<Arc<Slot>>,
        version: Option<Cow<'static, str>>,
        commit: Option<Cow<'static, str>>,
        lifecycle: LifecycleCell,
        events: Arc<Events>,
        background: Tasks,
        home: Option<Home>,
    ) -> Self {
        let by_probe = [Probe::Liveness, Probe::Readiness, Probe::Startup].map(|probe| {
            slots
                .iter()
                .filter(|s| s.check.policy().probes().contains(probe))
                .cloned()
                .collect()
        });
        let memo = by_probe.each_ref().map(|slots: &Vec<Arc<Slot>>| {
            let at_hand = |s: &Arc<Slot>| {
                let policy = s.check.policy();
                policy.cache().is_some() || policy.interval().is_some()
            };
            slots.iter().all(at_hand).then(Memo::default)
        });
        let registry = Self(Arc::new(Inner {
            memo,
            by_probe,
            slots,
            metadata: Metadata {
                version,
                commit,
                started_at: Instant::now(),
                started_wall: SystemTime::now(),
            },
            events,
            overall: Default::default(),
            lifecycle,
            audit: AuditCell::default(),
            startup_latched: AtomicBool::new(false),
            background,
            home,
        }));
        registry.start_background();
        registry
    }

    pub(super) fn start_background(&self) {
        self.0
            .background
            .start(&self.0.slots, self.0.home.as_ref().and_then(Home::alive));
    }

    /// Whether any check takes part in `probe`.
    pub fn has_checks(&self, probe: Probe) -> bool {
        self.checks().any(|c| c.policy().probes().contains(probe))
    }

    /// The checks, sorted by name.
    pub fn checks(&self) -> impl Iterator<Item = &Check> {
        self.0.slots.iter().map(|s| &s.check)
    }

    /// The service version given to the builder.
    pub fn version(&self) -> Option<&str> {
        self.0.metadata.version.as_deref()
    }

    /// The commit the service was built from, given to the builder.
    pub fn commit(&self) -> Option<&str> {
        self.0.metadata.commit.as_deref()
    }

    /// Time since the registry was built.
    pub fn uptime(&self) -> Duration {
        self.0.metadata.started_at.elapsed()
    }

    /// When the registry was built (wall clock).
    pub fn started_at(&self) -> SystemTime {
        self.0.metadata.started_wall
    }

    /// A subscription to this registry's changes: check and probe statuses,
    /// the lifecycle.
    pub fn subscribe(&self) -> Changes {
        self.0.events.subscribe()
    }

    /// Whether the startup probe has latched UP.
    pub fn is_started(&self) -> bool {
        self.0.startup_latched.load(Ordering::Acquire)
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field(
                "checks",
                &self.checks().map(Check::name).collect::<Vec<_>>(),
            )
            .field("lifecycle", &self.lifecycle())
            .finish_non_exhaustive()
    }
}
