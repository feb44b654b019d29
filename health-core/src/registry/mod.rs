//! The [`Registry`]: the checks of one service, their state, and its
//! lifecycle. Cheap to clone; clones share everything.

mod builder;
mod error;
mod lifecycle;

pub use builder::RegistryBuilder;
pub use error::{BuildError, Problem};
pub use lifecycle::Lifecycle;

use crate::check::{Check, Probe};
use crate::events::Events;
use crate::http::HttpState;
use crate::model::Status;
use crate::report::{Component, Report, aggregate_statuses};
use crate::runner::{self, Slot};
use lifecycle::LifecycleCell;
use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tokio::task::AbortHandle;
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
/// assert_eq!(registry.check(Probe::Readiness).await.status(), Status::Up);
///
/// registry.set_maintenance("reindexing", std::time::Duration::from_secs(60));
/// assert_eq!(registry.check(Probe::Readiness).await.status(), Status::OutOfService);
/// // Liveness ignores the lifecycle: the process is fine.
/// assert_eq!(registry.check(Probe::Liveness).await.status(), Status::Up);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Registry(Arc<Inner>);

struct Inner {
    /// Sorted by name.
    slots: Vec<Arc<Slot>>,
    version: Option<Cow<'static, str>>,
    http: HttpState,
    events: Arc<Events>,
    /// The last aggregate of each probe (run whole), for transitions.
    overall: [Mutex<Option<Status>>; 3],
    lifecycle: LifecycleCell,
    started_at: Instant,
    started_wall: SystemTime,
    startup_latched: AtomicBool,
    background_started: AtomicBool,
    background: Mutex<Vec<AbortHandle>>,
}

impl Inner {
    fn new(
        slots: Vec<Arc<Slot>>,
        version: Option<Cow<'static, str>>,
        http: HttpState,
        drain_delay: Duration,
        events: Arc<Events>,
    ) -> Self {
        Self {
            slots,
            version,
            http,
            events,
            overall: Default::default(),
            lifecycle: LifecycleCell::new(drain_delay),
            started_at: Instant::now(),
            started_wall: SystemTime::now(),
            startup_latched: AtomicBool::new(false),
            background_started: AtomicBool::new(false),
            background: Mutex::new(Vec::new()),
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        let handles = self.background.get_mut().unwrap_or_else(|p| p.into_inner());
        for handle in handles.drain(..) {
            handle.abort();
        }
    }
}

/// What a probe run decided: its status, and why and until when the
/// lifecycle took it out of service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The aggregate status.
    pub status: Status,
    /// Why the lifecycle overrode it (draining, maintenance), if it did.
    pub reason: Option<Cow<'static, str>>,
    /// With OUT_OF_SERVICE: the suggested `Retry-After`.
    pub retry_after: Option<Duration>,
}

/// Which checks a probe run covers: those of one probe, less the excluded
/// names, optionally only those with a tag.
///
/// ```
/// use health_core::{Probe, registry::Selection};
/// let s = Selection::new(Probe::Readiness).exclude(["search"]).tag("db");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    probe: Probe,
    exclude: Vec<String>,
    tag: Option<String>,
}

impl Selection {
    /// Every check of `probe`.
    pub fn new(probe: Probe) -> Self {
        Self {
            probe,
            exclude: Vec::new(),
            tag: None,
        }
    }

    /// Leaves out these names.
    pub fn exclude<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        self.exclude.extend(names.into_iter().map(Into::into));
        self
    }

    /// Keeps only checks with this tag.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = Some(tag.into());
        self
    }

    fn is_whole_probe(&self) -> bool {
        self.exclude.is_empty() && self.tag.is_none()
    }

    fn keeps(&self, check: &Check) -> bool {
        check.policy.probes.contains(self.probe)
            && !self.exclude.iter().any(|n| **n == *check.name)
            && self.tag.as_deref().is_none_or(|t| check.has_tag(t))
    }
}

impl Registry {
    /// Starts a [`RegistryBuilder`].
    pub fn builder() -> RegistryBuilder {
        RegistryBuilder::default()
    }

    fn from_inner(inner: Inner) -> Self {
        let registry = Self(Arc::new(inner));
        registry.start_background();
        registry
    }

    /// Spawns the refresh tasks of `interval` checks, once, if a tokio
    /// runtime is at hand.
    fn start_background(&self) {
        if self.0.background_started.load(Ordering::Acquire) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let mut handles = self.0.background.lock().unwrap_or_else(|p| p.into_inner());
        if self.0.background_started.swap(true, Ordering::AcqRel) {
            return;
        }
        for slot in &self.0.slots {
            let Some(period) = slot.check.policy.interval else {
                continue;
            };
            let slot = Arc::clone(slot);
            let task = runtime.spawn(async move {
                let mut ticks = tokio::time::interval(period);
                ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    ticks.tick().await;
                    slot.execute().await;
                }
            });
            handles.push(task.abort_handle());
        }
    }

    /// Runs every check of `probe` and aggregates them.
    ///
    /// Readiness is OUT_OF_SERVICE while draining or in maintenance (checks
    /// are then not run; components show their latest results). Startup is
    /// latched: once every startup check has passed (each UP or DEGRADED,
    /// critical or not), it is UP for good and its checks no longer run;
    /// until then it is DOWN.
    pub async fn check(&self, probe: Probe) -> Report {
        self.run(&Selection::new(probe)).await
    }

    /// Runs the selected checks and aggregates them (see [`check`](Self::check)).
    pub async fn run(&self, selection: &Selection) -> Report {
        let (verdict, results) = self.evaluate(selection).await;
        let (components, timestamp) = results.components();
        Report {
            probe: Some(selection.probe),
            status: verdict.status,
            reason: verdict.reason,
            retry_after: verdict.retry_after,
            components,
            timestamp,
        }
    }

    /// What [`run`](Self::run) decides, without the components: for callers
    /// that need only the status, such as an anonymous HTTP probe.
    pub async fn verdict(&self, selection: &Selection) -> Verdict {
        self.evaluate(selection).await.0
    }

    async fn evaluate(&self, selection: &Selection) -> (Verdict, runner::Results<'_>) {
        self.start_background();
        let probe = selection.probe;
        let slots: Vec<&Arc<Slot>> = self
            .0
            .slots
            .iter()
            .filter(|s| selection.keeps(&s.check))
            .collect();
        let lifecycle = self.0.lifecycle.get();
        let out_of_service = probe == Probe::Readiness && lifecycle != Lifecycle::Serving;
        let latched = probe == Probe::Startup && self.0.startup_latched.load(Ordering::Acquire);
        let results = if out_of_service || latched {
            runner::latest(slots)
        } else {
            runner::run(slots).await
        };
        // Read again after the run: a drain or maintenance begun while the
        // checks ran must not be answered with a late UP.
        let lifecycle = self.0.lifecycle.get();
        let out_of_service = probe == Probe::Readiness && lifecycle != Lifecycle::Serving;
        let retry_after = lifecycle.retry_after().filter(|_| out_of_service);
        let (status, reason) = match lifecycle {
            Lifecycle::Draining { .. } if out_of_service => {
                (Status::OutOfService, Some("draining: shutting down".into()))
            }
            Lifecycle::Maintenance { reason, .. } if out_of_service => (
                Status::OutOfService,
                Some(format!("maintenance: {reason}").into()),
            ),
            _ if latched => (Status::Up, None),
            // Started once every startup check has passed (UP or
            // DEGRADED), critical or not; until then DOWN.
            _ if probe == Probe::Startup => {
                let passed = results.statuses().all(|(_, status)| status.is_serving());
                (if passed { Status::Up } else { Status::Down }, None)
            }
            _ => (aggregate_statuses(results.statuses()), None),
        };
        if selection.is_whole_probe() {
            if probe == Probe::Startup && status == Status::Up {
                self.0.startup_latched.store(true, Ordering::Release);
            }
            let previous = self.0.overall[probe as usize]
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .replace(status);
            self.0
                .events
                .probe(probe, previous, status, reason.as_deref());
        }
        (
            Verdict {
                status,
                reason,
                retry_after,
            },
            results,
        )
    }

    /// Runs the one check named `name`, whatever its probes; `None` if there
    /// is no such check. The report's status is that component's.
    pub async fn check_component(&self, name: &str) -> Option<Report> {
        self.start_background();
        let index = self
            .0
            .slots
            .binary_search_by(|s| (*s.check.name).cmp(name))
            .ok()?;
        let (components, timestamp) = runner::run(vec![&self.0.slots[index]]).await.components();
        let status = components
            .first()
            .map_or(Status::Unknown, Component::status);
        Some(Report {
            probe: None,
            status,
            reason: None,
            retry_after: None,
            components,
            timestamp,
        })
    }

    /// Whether any check takes part in `probe`.
    pub fn has_checks(&self, probe: Probe) -> bool {
        self.0
            .slots
            .iter()
            .any(|s| s.check.policy.probes.contains(probe))
    }

    /// The checks, sorted by name.
    pub fn checks(&self) -> impl Iterator<Item = &Check> {
        self.0.slots.iter().map(|s| &s.check)
    }

    pub(crate) fn http(&self) -> &HttpState {
        &self.0.http
    }

    /// The version given to the builder.
    pub fn version(&self) -> Option<&str> {
        self.0.version.as_deref()
    }

    /// Time since the registry was built.
    pub fn uptime(&self) -> Duration {
        self.0.started_at.elapsed()
    }

    /// When the registry was built (wall clock).
    pub fn started_at(&self) -> SystemTime {
        self.0.started_wall
    }

    /// Whether the startup probe has latched UP.
    pub fn is_started(&self) -> bool {
        self.0.startup_latched.load(Ordering::Acquire)
    }

    /// The lifecycle state.
    pub fn lifecycle(&self) -> Lifecycle {
        self.0.lifecycle.get()
    }

    /// Turns readiness OUT_OF_SERVICE for good: the service is shutting
    /// down. [`shutdown_signal`](Self::shutdown_signal) then resolves after
    /// the drain delay.
    pub fn begin_drain(&self) {
        if !matches!(self.lifecycle(), Lifecycle::Draining { .. }) {
            tracing::info!(drain_delay = ?self.0.lifecycle.drain_delay(), "health: draining, readiness is OUT_OF_SERVICE");
        }
        self.0.lifecycle.begin_drain();
    }

    /// Takes the service out of rotation (readiness OUT_OF_SERVICE with
    /// `Retry-After`) until [`clear_maintenance`](Self::clear_maintenance).
    pub fn set_maintenance(&self, reason: impl Into<String>, retry_after: Duration) {
        let reason = reason.into();
        tracing::info!(%reason, "health: maintenance, readiness is OUT_OF_SERVICE");
        self.0.lifecycle.set_maintenance(reason, retry_after);
    }

    /// Ends maintenance (draining, once begun, stays).
    pub fn clear_maintenance(&self) {
        tracing::info!("health: maintenance over");
        self.0.lifecycle.clear_maintenance();
    }

    /// Resolves when the service should stop accepting connections: on
    /// SIGTERM or Ctrl-C (or [`begin_drain`](Self::begin_drain)) readiness
    /// turns OUT_OF_SERVICE at once, and this future resolves after the
    /// drain delay, so load balancers stop sending traffic first.
    ///
    /// ```no_run
    /// # async fn serve(registry: health_core::Registry) {
    /// // axum: axum::serve(listener, app).with_graceful_shutdown(registry.shutdown_signal())
    /// registry.shutdown_signal().await;
    /// # }
    /// ```
    pub fn shutdown_signal(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let registry = self.clone();
        async move {
            tokio::select! {
                () = lifecycle::os_signal() => registry.begin_drain(),
                () = registry.0.lifecycle.drained() => {}
            }
            // A second signal during the drain means "stop now".
            tokio::select! {
                () = tokio::time::sleep(registry.0.lifecycle.drain_delay()) => {}
                () = lifecycle::os_signal() => tracing::warn!("health: second signal, drain cut short"),
            }
        }
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field(
                "checks",
                &self
                    .0
                    .slots
                    .iter()
                    .map(|s| &*s.check.name)
                    .collect::<Vec<_>>(),
            )
            .field("lifecycle", &self.lifecycle())
            .finish_non_exhaustive()
    }
}
