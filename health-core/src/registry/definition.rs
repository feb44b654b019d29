//! [`Registry`] itself: what it holds, how it is made, what it says
//! about the service (checks, version, commit, uptime, changes).

use super::audit::AuditCell;
use super::background::Tasks;
use super::declared_tasks::DeclaredTasks;
use super::latest::LatestVerdict;
use super::lifecycle::LifecycleCell;
use super::roster::{Checks, Roster};
use crate::check::state::State;
use crate::check::{Check, Jitter, Probe, RateLimit};
use crate::events::{Changes, Events};
use crate::runner::{Home, Slot};
use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
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
    /// The checks now: replaced whole when one is added or removed.
    roster: RwLock<Arc<Roster>>,
    /// Whether each probe has a check now, kept with the roster: an
    /// anonymous liveness probe reads it without the roster's lock.
    has_checks: [AtomicBool; 3],
    /// What a new check's slot is made of.
    pub(super) making: Making,
    /// Names a check added at run time may not take, and who reserved each.
    pub(super) reserved: Mutex<Vec<(String, &'static str)>>,
    metadata: Metadata,
    pub(super) events: Arc<Events>,
    /// The latest aggregate of each probe (run whole), for transitions.
    pub(super) overall: [LatestVerdict; 3],
    pub(super) lifecycle: LifecycleCell,
    /// The requests of the application that arrived while draining.
    pub(super) audit: AuditCell,
    pub(super) startup_latched: AtomicBool,
    pub(super) background: Tasks,
    /// The `#[health_task]` tasks, until started.
    pub(super) declared_tasks: DeclaredTasks,
    /// The runtime checks run on: the application's.
    pub(super) home: Option<Home>,
}

/// What every check's slot and background refresh is made of, at build
/// and at run time.
pub(super) struct Making {
    pub(super) state: State,
    pub(super) rate_limit: Option<RateLimit>,
    pub(super) history: usize,
    /// The registry's slow threshold, for checks without their own.
    pub(super) slow: Option<Duration>,
    /// How `interval` checks' runs are spread.
    pub(super) jitter: Jitter,
}

/// What the service says about itself, for every protocol and page.
struct Metadata {
    version: Option<Cow<'static, str>>,
    commit: Option<Cow<'static, str>>,
    started_at: Instant,
    started_wall: SystemTime,
}

impl Registry {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        checks: Vec<Check>,
        making: Making,
        version: Option<Cow<'static, str>>,
        commit: Option<Cow<'static, str>>,
        lifecycle: LifecycleCell,
        events: Arc<Events>,
        declared_tasks: DeclaredTasks,
        home: Option<Home>,
    ) -> Self {
        let background = Tasks::new(making.jitter);
        let slots = checks
            .into_iter()
            .map(|check| making.slot(check, &events, &background))
            .collect();
        let roster = Roster::new(slots);
        let registry = Self(Arc::new(Inner {
            has_checks: roster.has_checks().map(AtomicBool::new),
            roster: RwLock::new(Arc::new(roster)),
            making,
            reserved: Mutex::default(),
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
            declared_tasks,
            home,
        }));
        registry.start_background();
        registry
    }

    /// The checks now.
    pub(super) fn roster(&self) -> Arc<Roster> {
        Arc::clone(&self.0.roster.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Replaces the checks: `change` makes the new roster from the current
    /// one (`None`: no change), under the write lock.
    pub(super) fn replace_roster(&self, change: impl FnOnce(&Roster) -> Option<Roster>) -> bool {
        let mut roster = self.0.roster.write().unwrap_or_else(|p| p.into_inner());
        let Some(new) = change(&roster) else {
            return false;
        };
        for (has, now) in self.0.has_checks.iter().zip(new.has_checks()) {
            has.store(now, Ordering::Release);
        }
        *roster = Arc::new(new);
        true
    }

    /// Starts what runs in the background and is not running: refreshes
    /// of `interval` checks, declared tasks. Called on every probe: two
    /// atomic loads when nothing is to start.
    #[inline]
    pub(super) fn start_background(&self) {
        if self.0.background.may_need_start() || !self.0.declared_tasks.started() {
            self.start_background_now();
        }
    }

    #[cold]
    fn start_background_now(&self) {
        self.0.background.start(
            || self.roster().slots.clone(),
            self.0.home.as_ref().and_then(Home::alive),
        );
        self.start_declared_tasks();
    }

    /// Whether any check takes part in `probe`.
    pub fn has_checks(&self, probe: Probe) -> bool {
        self.0.has_checks[probe as usize].load(Ordering::Acquire)
    }

    /// The checks now, sorted by name: those built with the registry and
    /// those [added](Self::add) since and not yet removed.
    pub fn checks(&self) -> Checks {
        Checks(self.roster().slots.clone())
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
            .field("checks", &self.checks())
            .field("lifecycle", &self.lifecycle())
            .finish_non_exhaustive()
    }
}

impl Making {
    /// The slot of `check`, with the registry's slow threshold if it has
    /// none of its own and its timeout is longer.
    pub(super) fn slot(
        &self,
        mut check: Check,
        events: &Arc<Events>,
        background: &Tasks,
    ) -> Arc<Slot> {
        let policy = check.policy;
        if let Some(slow) = self.slow
            && policy.slow_given().is_none()
            && slow < policy.timeout()
        {
            check.policy = policy.with_slow(slow);
        }
        Arc::new(Slot::new(
            check,
            self.state.clone(),
            Arc::clone(events),
            self.rate_limit,
            background.gone_flag(),
            self.history,
        ))
    }
}
