//! The [`Registry`]: the checks of one service, their state, its
//! lifecycle and its metadata. Cheap to clone; clones share everything.
//!
//! | file | what |
//! |---|---|
//! | `mod.rs` | [`Registry`]: running probes and components, metadata |
//! | `builder.rs` | [`RegistryBuilder`]: state, checks, filters; validation |
//! | `error.rs` | each [`Problem`] a build can refuse |
//! | `selection.rs` | [`Selection`]: which checks a run covers |
//! | `verdict.rs` | [`Verdict`]: the pure decision of a probe's status |
//! | `lifecycle.rs` | [`Lifecycle`]: draining, maintenance, the shutdown signal |
//! | `latest.rs` | each probe's latest aggregate, ordered by when its run started |
//! | `memo.rs` | each probe's summary while its checks' results are at hand: [`Registry::verdict_now`] |
//! | `background.rs` | the refresh tasks of `interval` checks |

mod background;
mod builder;
mod error;
mod latest;
mod lifecycle;
mod memo;
mod selection;
mod verdict;

pub use builder::{MAX_HISTORY, RegistryBuilder};
pub use error::Problem;
pub use lifecycle::Lifecycle;
pub use selection::Selection;
pub use verdict::Verdict;

use crate::check::{Check, Probe};
use crate::events::{Changes, Events};
use crate::model::Status;
use crate::report::{CheckHistory, Clock, Component, Past, Report};
use crate::runner::{self, Slot, Window};
use latest::{LatestVerdict, Recorded};
use lifecycle::LifecycleCell;
use memo::Memo;
use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};
use tokio::time::Instant;
use verdict::Summary;

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
pub struct Registry(Arc<Inner>);

struct Inner {
    /// Sorted by name.
    slots: Vec<Arc<Slot>>,
    /// Each probe's checks, sorted by name: a whole probe's run takes its
    /// list as it is.
    by_probe: [Vec<Arc<Slot>>; 3],
    metadata: Metadata,
    events: Arc<Events>,
    /// The latest aggregate of each probe (run whole), for transitions.
    overall: [LatestVerdict; 3],
    /// Each probe's summary while its checks' results are at hand; kept
    /// only for probes whose every check has a `cache` or an `interval`.
    memo: [Option<Memo>; 3],
    lifecycle: LifecycleCell,
    startup_latched: AtomicBool,
    background: background::Tasks,
}

/// What the service says about itself, for every protocol and page.
struct Metadata {
    version: Option<Cow<'static, str>>,
    commit: Option<Cow<'static, str>>,
    started_at: Instant,
    started_wall: SystemTime,
}

impl Registry {
    /// Starts a [`RegistryBuilder`].
    pub fn builder() -> RegistryBuilder {
        RegistryBuilder::default()
    }

    fn new(
        slots: Vec<Arc<Slot>>,
        version: Option<Cow<'static, str>>,
        commit: Option<Cow<'static, str>>,
        drain_delay: Duration,
        events: Arc<Events>,
        background: background::Tasks,
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
            lifecycle: LifecycleCell::new(drain_delay),
            startup_latched: AtomicBool::new(false),
            background,
        }));
        registry.start_background();
        registry
    }

    fn start_background(&self) {
        self.0.background.start(&self.0.slots);
    }

    /// Runs the selected checks (a whole [`Probe`], or a [`Selection`])
    /// concurrently and aggregates them.
    ///
    /// Readiness is OUT_OF_SERVICE while draining or in maintenance (checks
    /// are then not run; components show their latest results). Startup is
    /// latched: once every startup check has passed (each UP or DEGRADED,
    /// critical or not), it is UP for good and its checks no longer run;
    /// until then it is DOWN.
    pub async fn run(&self, selection: impl Into<Selection>) -> Report {
        let selection = selection.into();
        let (verdict, results) = self.evaluate(&selection).await;
        let clock = Clock::new(results.started());
        let components = results
            .pairs()
            .map(|(check, result)| Component::new(check, result, &clock))
            .collect();
        Report {
            probe: Some(selection.probe()),
            status: verdict.status,
            reason: verdict.reason,
            retry_after: verdict.retry_after,
            components,
            timestamp: clock.wall(),
        }
    }

    /// What [`run`](Self::run) decides, without the components: for callers
    /// that need only the status, such as an anonymous probe.
    pub async fn verdict(&self, selection: impl Into<Selection>) -> Verdict {
        let selection = selection.into();
        match self.verdict_at_hand(&selection) {
            Some(verdict) => verdict,
            None => self.evaluate(&selection).await.0,
        }
    }

    /// What [`verdict`](Self::verdict) decides, at once, when nothing needs
    /// to run or be waited for: `None` when a check must run first (then
    /// await [`verdict`](Self::verdict)). A whole probe's verdict is at hand
    /// while every one of its checks has a result it may serve (within its
    /// `cache`, or an `interval` check's), and while readiness is out of
    /// service or startup latched (nothing runs then).
    ///
    /// For protocol adapters that answer without a future when they can.
    ///
    /// ```
    /// use health_core::{Check, Policy, Probe, Registry, Status};
    /// use std::time::Duration;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), health_core::BuildError> {
    /// let db = Check::new("db", || async { true })
    ///     .with_policy(Policy::default().with_cache(Duration::from_secs(10)));
    /// let registry = Registry::builder().without_declared().check(db).build()?;
    /// // Nothing has run yet: the verdict needs a run.
    /// assert_eq!(registry.verdict_now(Probe::Readiness), None);
    /// assert_eq!(registry.verdict(Probe::Readiness).await.status, Status::Up);
    /// // Cached now: at hand for the next 10 seconds.
    /// let at_hand = registry.verdict_now(Probe::Readiness).map(|v| v.status);
    /// assert_eq!(at_hand, Some(Status::Up));
    /// # Ok(()) }
    /// ```
    pub fn verdict_now(&self, selection: impl Into<Selection>) -> Option<Verdict> {
        self.verdict_at_hand(&selection.into())
    }

    fn verdict_at_hand(&self, selection: &Selection) -> Option<Verdict> {
        if !selection.is_whole_probe() {
            return None;
        }
        let probe = selection.probe();
        self.start_background();
        let lifecycle = self.0.lifecycle.get();
        let latched = probe == Probe::Startup && self.is_started();
        let now = Instant::now();
        let summary = if (probe == Probe::Readiness && lifecycle != Lifecycle::Serving) || latched {
            // The verdict does not look at the checks.
            None
        } else {
            Some(
                self.0.memo[probe as usize]
                    .as_ref()?
                    .get(now, self.0.events.count())?,
            )
        };
        let verdict = verdict::decide_from(probe, &lifecycle, latched, || {
            summary.unwrap_or_else(|| Summary::of([]))
        });
        self.conclude(probe, now, &verdict);
        Some(verdict)
    }

    async fn evaluate(&self, selection: &Selection) -> (Verdict, runner::Results<'_>) {
        self.start_background();
        let probe = selection.probe();
        let slots: runner::Slots<'_> = if selection.is_whole_probe() {
            Cow::Borrowed(&self.0.by_probe[probe as usize])
        } else {
            self.0.by_probe[probe as usize]
                .iter()
                .filter(|s| selection.keeps(&s.check))
                .cloned()
                .collect::<Vec<_>>()
                .into()
        };
        let out_of_service =
            probe == Probe::Readiness && self.0.lifecycle.get() != Lifecycle::Serving;
        let latched = probe == Probe::Startup && self.is_started();
        let results = if out_of_service || latched {
            runner::latest(slots)
        } else {
            runner::run(slots).await
        };
        // Read again after the run: a drain or maintenance begun while the
        // checks ran must not be answered with a late UP.
        let verdict = verdict::decide(probe, &self.0.lifecycle.get(), latched, results.statuses());
        if selection.is_whole_probe() {
            self.conclude(probe, results.started(), &verdict);
            if !(out_of_service || latched) {
                self.remember(probe, results.started());
            }
        }
        (verdict, results)
    }

    /// Keeps `probe`'s summary in its memo, if it has one and every check's
    /// result is at hand. Read from the slots as they are now, after the
    /// change count: any change after this read voids it.
    fn remember(&self, probe: Probe, now: Instant) {
        let Some(memo) = &self.0.memo[probe as usize] else {
            return;
        };
        let count = self.0.events.count();
        if memo.get(now, count).is_some() {
            // Still valid: nothing changed, no result went stale.
            return;
        }
        let mut until = runner::later(now, Duration::MAX);
        let mut statuses = Vec::with_capacity(self.0.by_probe[probe as usize].len());
        for slot in &self.0.by_probe[probe as usize] {
            let Some((status, fresh_until)) = slot.at_hand() else {
                return;
            };
            until = until.min(fresh_until);
            statuses.push((slot.check.policy().is_critical(), status));
        }
        memo.set(count, until, Summary::of(statuses));
    }

    /// After a whole probe's verdict (of a run started at `started`):
    /// latches startup, records the probe's status, reports a change.
    fn conclude(&self, probe: Probe, started: Instant, verdict: &Verdict) {
        if probe == Probe::Startup && verdict.status == Status::Up {
            self.0.startup_latched.store(true, Ordering::Release);
        }
        let recorded = self.0.overall[probe as usize].record(started, verdict.status);
        if let Recorded::Latest { previous } = recorded {
            self.0
                .events
                .probe(probe, previous, verdict.status, verdict.reason.as_deref());
        }
    }

    /// Runs the one check named `name`, whatever its probes; `None` if there
    /// is no such check. The report's status is that component's.
    pub async fn run_component(&self, name: &str) -> Option<Report> {
        self.start_background();
        let index = self
            .0
            .slots
            .binary_search_by(|s| (*s.check.name).cmp(name))
            .ok()?;
        let results = runner::run(Cow::Borrowed(std::slice::from_ref(&self.0.slots[index]))).await;
        let clock = Clock::new(results.started());
        let components: Vec<Component> = results
            .pairs()
            .map(|(check, result)| Component::new(check, result, &clock))
            .collect();
        let status = components
            .first()
            .map_or(Status::Unknown, Component::status);
        Some(Report {
            probe: None,
            status,
            reason: None,
            retry_after: None,
            components,
            timestamp: clock.wall(),
        })
    }

    /// Every check's recent past, sorted by name: its last results (see
    /// [`RegistryBuilder::history`]), since when its status holds, and its
    /// uptime over the last hour and day. Runs nothing.
    ///
    /// ```
    /// use health_core::{Check, Probe, Registry, Status};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), health_core::BuildError> {
    /// let registry = Registry::builder()
    ///     .without_declared()
    ///     .check(Check::new("db", || async { false }))
    ///     .build()?;
    /// registry.run(Probe::Readiness).await;
    /// registry.run(Probe::Readiness).await;
    /// let db = &registry.history()[0];
    /// assert_eq!((db.status, db.samples.len()), (Status::Down, 2));
    /// assert_eq!(db.samples[0].message.as_deref(), Some("check returned false"));
    /// # Ok(()) }
    /// ```
    pub fn history(&self) -> Vec<CheckHistory> {
        let clock = Clock::new(Instant::now());
        self.0
            .slots
            .iter()
            .map(|slot| {
                let last = slot.last();
                slot.with_history(|h| {
                    let now = Instant::now();
                    let past = Past {
                        samples: h.samples(),
                        since: h.since(),
                        uptime_hour: h.uptime(Window::Hour, now),
                        uptime_day: h.uptime(Window::Day, now),
                    };
                    CheckHistory::new(&slot.check, last.as_deref(), past, &clock)
                })
            })
            .collect()
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
