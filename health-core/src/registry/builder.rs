use super::Registry;
use super::declared_tasks::DeclaredTasks;
use super::definition::Making;
use super::error::{BuildError, Problem};
use super::lifecycle::LifecycleCell;
use super::stop::StopSignal;
use crate::check::state::State;
use crate::check::{Check, Jitter, RateLimit, declared};
use crate::events::{Events, Listener, Transition};
use crate::runner::Home;
use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;
use std::time::Duration;

type Filter = Box<dyn Fn(&Check) -> bool + Send + Sync>;

/// Builds a [`Registry`]: state for check parameters, run-time checks,
/// which declared checks to include, and service-level settings.
///
/// ```
/// use health_core::{Check, Registry};
/// use std::time::Duration;
///
/// struct Pool; // the application's connection pool
///
/// let registry = Registry::builder()
///     .state(Pool)
///     .filter(|check| !check.has_tag("experimental"))
///     .check(Check::new("upstream", || async { true }).with_timeout(Duration::from_millis(300)))
///     .version("1.2.3")
///     .drain_delay(Duration::from_secs(5))
///     .build()?;
/// assert!(registry.checks().iter().any(|c| c.name() == "upstream"));
/// # Ok::<(), health_core::BuildError>(())
/// ```
#[must_use = "call .build() to get a Registry"]
pub struct RegistryBuilder {
    states: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
    problems: Vec<Problem>,
    checks: Vec<Check>,
    declared: bool,
    filters: Vec<Filter>,
    version: Option<Cow<'static, str>>,
    commit: Option<Cow<'static, str>>,
    drain_delay: Duration,
    stop_signals: Vec<StopSignal>,
    rate_limit: Option<RateLimit>,
    history: usize,
    listeners: Vec<Listener>,
    runtime: Option<tokio::runtime::Handle>,
    jitter: Jitter,
    slow: Option<Duration>,
}

impl Default for RegistryBuilder {
    fn default() -> Self {
        Self {
            states: HashMap::new(),
            problems: Vec::new(),
            checks: Vec::new(),
            declared: true,
            filters: Vec::new(),
            version: None,
            commit: None,
            listeners: Vec::new(),
            drain_delay: Duration::from_secs(5),
            stop_signals: StopSignal::DEFAULT.to_vec(),
            rate_limit: None,
            history: DEFAULT_HISTORY,
            runtime: None,
            jitter: Jitter::DEFAULT,
            slow: None,
        }
    }
}

impl Registry {
    /// Starts a [`RegistryBuilder`].
    pub fn builder() -> RegistryBuilder {
        RegistryBuilder::default()
    }
}

impl RegistryBuilder {
    /// A value that `&T` parameters of declared checks resolve to. One value
    /// per type; giving a type twice is a build error.
    pub fn state<T: Any + Send + Sync>(mut self, value: T) -> Self {
        match self.states.entry(TypeId::of::<T>()) {
            Entry::Occupied(_) => self.problems.push(Problem::DuplicateState {
                type_name: std::any::type_name::<T>(),
            }),
            Entry::Vacant(v) => {
                v.insert(Box::new(value));
            }
        }
        self
    }

    /// Adds a check built at run time.
    pub fn check(mut self, check: Check) -> Self {
        self.checks.push(check);
        self
    }

    /// Adds several checks built at run time.
    pub fn checks(mut self, checks: impl IntoIterator<Item = Check>) -> Self {
        self.checks.extend(checks);
        self
    }

    /// Keeps only the declared (`#[health_check]`) checks for which
    /// `keep` is true. Several filters must all agree. Checks added with
    /// [`check`](Self::check) are not filtered.
    pub fn filter(mut self, keep: impl Fn(&Check) -> bool + Send + Sync + 'static) -> Self {
        self.filters.push(Box::new(keep));
        self
    }

    /// Leaves out every declared (`#[health_check]`) check: the registry
    /// holds only the checks added with [`check`](Self::check).
    pub fn without_declared(mut self) -> Self {
        self.declared = false;
        self
    }

    /// The service version: service metadata, which every protocol and
    /// page may show (HTTP's `/version` and detailed bodies).
    pub fn version(mut self, version: impl Into<Cow<'static, str>>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// The commit the service was built from: service metadata, like
    /// [`version`](Self::version).
    pub fn commit(mut self, commit: impl Into<Cow<'static, str>>) -> Self {
        self.commit = Some(commit.into());
        self
    }

    /// Calls `listener` on every transition: each check's status change
    /// (including its first result) and each probe's aggregate change, in
    /// order, on the registry's delivery thread: a slow listener never
    /// delays a probe (past 1024 waiting transitions the rest are counted
    /// and logged, not queued). A panicking listener is logged and ignored.
    pub fn on_change(mut self, listener: impl Fn(&Transition) + Send + Sync + 'static) -> Self {
        self.listeners.push(Box::new(listener));
        self
    }

    /// How long [`Registry::shutdown_signal`] waits, after the signal turned
    /// readiness OUT_OF_SERVICE, before it resolves (default 5 s): time for
    /// load balancers to notice and stop sending traffic.
    pub fn drain_delay(mut self, delay: Duration) -> Self {
        self.drain_delay = delay;
        self
    }

    /// The signals that begin the drain (default
    /// [`StopSignal::DEFAULT`]: SIGTERM and Ctrl-C); the same signal again
    /// during the delay cuts it short. None at all: only
    /// [`Registry::begin_drain`] begins it. Choose the container's stop
    /// signal here when it is not SIGTERM.
    pub fn stop_signals(mut self, signals: impl IntoIterator<Item = StopSignal>) -> Self {
        self.stop_signals = signals.into_iter().collect();
        self.stop_signals.dedup();
        self
    }

    /// How often each check may run, whoever asks (default: no limit).
    /// Past the limit, callers get the check's latest result with its true
    /// status: a flood of probes never turns into load on a dependency,
    /// and never into a wrong answer. See [`RateLimit`].
    pub fn rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.rate_limit = limit;
        self
    }

    /// The runtime the checks run on (default: the one [`build`](Self::build)
    /// is called on, the application's). A probe answered on another
    /// runtime, such as a dedicated probe listener's, starts checks there,
    /// so that they measure the application, and `interval` checks refresh
    /// there. Only [`Check::inline`] checks run where the probe is answered.
    ///
    /// ```
    /// use health_core::Registry;
    /// let app = tokio::runtime::Runtime::new()?;
    /// let registry = Registry::builder().without_declared().runtime(app.handle().clone()).build()?;
    /// # drop(registry);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn runtime(mut self, runtime: tokio::runtime::Handle) -> Self {
        self.runtime = Some(runtime);
        self
    }

    /// How the background runs of `interval` checks are spread (default
    /// [`Jitter::DEFAULT`]: each period shortened by up to 10 % at random,
    /// the first run at once). [`Jitter::NONE`] runs them in step.
    ///
    /// ```
    /// use health_core::Jitter;
    /// use health_core::Registry;
    /// use std::time::Duration;
    /// let registry = Registry::builder()
    ///     .without_declared()
    ///     .jitter(Jitter::fraction(0.2).with_initial(Duration::from_secs(2)))
    ///     .build()?;
    /// # Ok::<(), health_core::BuildError>(())
    /// ```
    pub fn jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// The slow threshold of every check that gives none of its own
    /// ([`Policy::with_slow`](crate::Policy::with_slow), the attribute's
    /// `slow`) and whose timeout is longer; else half its timeout.
    ///
    /// ```
    /// use health_core::{Check, Registry};
    /// use std::time::Duration;
    /// let registry = Registry::builder()
    ///     .without_declared()
    ///     .slow(Duration::from_millis(300))
    ///     .check(Check::new("db", || async {}))
    ///     .check(Check::new("quick", || async {}).with_timeout(Duration::from_millis(200)))
    ///     .build()?;
    /// let checks = registry.checks();
    /// assert_eq!(checks.get("db").unwrap().policy().slow(), Duration::from_millis(300));
    /// assert_eq!(checks.get("quick").unwrap().policy().slow(), Duration::from_millis(100));
    /// # Ok::<(), health_core::BuildError>(())
    /// ```
    pub fn slow(mut self, after: Duration) -> Self {
        self.slow = Some(after);
        self
    }

    /// How many recent results each check keeps for
    /// [`Registry::history`] (default 60, at most [`MAX_HISTORY`]; 0 keeps
    /// none, only the uptime counters and when the status last changed).
    /// Each result costs 24 bytes per check, plus a failure's own result
    /// (for its message, cut to
    /// [`MAX_MESSAGE_CHARS`](crate::hygiene::MAX_MESSAGE_CHARS) when stored):
    /// 1000 checks with 60 results each take about 1.5 MiB more than with
    /// none (`bench/history.sh`). More than [`MAX_HISTORY`] is a
    /// [`Problem::HistoryTooLong`] of [`build`](Self::build).
    ///
    /// ```
    /// use health_core::{MAX_HISTORY, Problem, Registry};
    /// let registry = Registry::builder().without_declared().history_capacity(120).build()?;
    /// let error = Registry::builder().without_declared().history_capacity(usize::MAX).build().unwrap_err();
    /// assert!(matches!(error.problems(), [Problem::HistoryTooLong { max: MAX_HISTORY, .. }]));
    /// # Ok::<(), health_core::BuildError>(())
    /// ```
    pub fn history_capacity(mut self, results: usize) -> Self {
        self.history = results;
        self
    }

    /// Validates everything and builds the registry. The error lists every
    /// problem: each unmet state requirement, each duplicate name (with both
    /// locations), each invalid name or policy.
    ///
    /// Inside a tokio runtime the background tasks of `interval` checks
    /// start now; otherwise on the registry's first use.
    pub fn build(self) -> Result<Registry, BuildError> {
        let Self {
            states,
            mut problems,
            checks,
            declared,
            filters,
            version,
            commit,
            drain_delay,
            stop_signals,
            rate_limit,
            history,
            listeners,
            runtime,
            jitter,
            slow,
        } = self;
        let state = State::from_map(states);
        let mut all: Vec<Check> = Vec::new();
        let mut tasks = DeclaredTasks::default();
        if declared {
            let keep = |c: &Check| filters.iter().all(|keep| keep(c));
            all.extend(declared::all().filter(|c| keep(c)));
            let (declared_tasks, components) = DeclaredTasks::declared(&state, keep);
            all.extend(components);
            tasks = declared_tasks;
        }
        all.extend(checks);
        // Sorted by name, then location: reports list components by name,
        // and duplicates sit side by side.
        all.sort_by(|a, b| {
            a.name
                .cmp(&b.name)
                .then_with(|| a.location.cmp(&b.location))
        });

        for pair in all.windows(2) {
            if pair[0].name == pair[1].name {
                problems.push(Problem::DuplicateName {
                    name: pair[0].name.to_string(),
                    first: pair[0].location,
                    second: pair[1].location,
                });
            }
        }
        for check in &all {
            validate(check, &state, &mut problems);
        }
        if history > MAX_HISTORY {
            problems.push(Problem::HistoryTooLong {
                results: history,
                max: MAX_HISTORY,
            });
        }
        if !problems.is_empty() {
            return Err(BuildError::new("the health registry", problems));
        }
        // HELP text and units of the series, for the recorder installed now.
        #[cfg(feature = "metrics")]
        crate::events::describe();
        let events = Arc::new(Events::new(listeners));
        let making = Making {
            state,
            rate_limit,
            history,
            slow,
            jitter,
        };
        let home = runtime.map(Home::new).or_else(Home::current);
        Ok(Registry::new(
            all,
            making,
            version,
            commit,
            LifecycleCell::new(drain_delay, stop_signals),
            events,
            tasks,
            home,
        ))
    }
}

/// Every problem of `check` on its own: its state, name, tags and policy.
pub(super) fn validate(check: &Check, state: &State, problems: &mut Vec<Problem>) {
    let location = check.location;
    for req in check.requirements() {
        if !state.contains((req.type_id)()) {
            problems.push(Problem::MissingState {
                check: check.name.to_string(),
                location,
                type_name: (req.type_name)(),
            });
        }
    }
    if let Some(reason) = health_names::problem(&check.name) {
        problems.push(Problem::InvalidName {
            name: check.name.to_string(),
            location,
            reason,
        });
    }
    for tag in check.tags() {
        if let Some(reason) = health_names::problem(tag) {
            problems.push(Problem::InvalidTag {
                check: check.name.to_string(),
                tag: tag.to_owned(),
                location,
                reason,
            });
        }
    }
    let p = check.policy();
    let mut invalid = |reason: String| {
        problems.push(Problem::InvalidPolicy {
            check: check.name.to_string(),
            location,
            reason,
        });
    };
    let fmt = health_names::duration::format;
    if p.timeout().is_zero() {
        invalid("the timeout must be longer than zero".into());
    }
    if p.probes().is_empty() {
        invalid("the check belongs to no probe".into());
    }
    if p.failure_threshold() == 0 {
        invalid("the failure threshold must be at least 1".into());
    }
    if p.failure_threshold() > 1 && p.cache().is_none() && p.interval().is_none() {
        invalid(THRESHOLD_NEEDS_PACE.into());
    }
    if p.success_threshold() == 0 {
        invalid("the success threshold must be at least 1".into());
    }
    if p.success_threshold() > 1 && p.cache().is_none() && p.interval().is_none() {
        invalid(SUCCESS_THRESHOLD_NEEDS_PACE.into());
    }
    match (p.failing_interval(), p.interval()) {
        (Some(_), None) => invalid("`failing_interval` needs `interval`".into()),
        (Some(f), Some(i)) if f >= i => invalid(format!(
            "the failing interval ({}) must be shorter than the interval ({})",
            fmt(f),
            fmt(i)
        )),
        (Some(f), Some(_)) if f <= p.timeout() => invalid(format!(
            "the failing interval ({}) must be longer than the timeout ({})",
            fmt(f),
            fmt(p.timeout())
        )),
        _ => {}
    }
    if let Some(slow) = p.slow_given()
        && (slow.is_zero() || slow >= p.timeout())
    {
        invalid(format!(
            "`slow` ({}) must be longer than zero and shorter than the timeout ({}): a run past the timeout is DOWN, not slow",
            fmt(slow),
            fmt(p.timeout())
        ));
    }
    if p.failure_threshold() > 1
        && p.cache().is_some()
        && p.interval().is_none()
        && p.cache_failure_given() == Some(Duration::ZERO)
    {
        invalid(THRESHOLD_NEEDS_CACHED_FAILURES.into());
    }
    let durations = [
        ("timeout", Some(p.timeout())),
        ("interval", p.interval()),
        ("cache", p.cache()),
        ("cache_failure", p.cache_failure_given()),
        ("failing_interval", p.failing_interval()),
    ];
    for (what, d) in durations {
        if d.is_some_and(|d| d > MAX_DURATION) {
            invalid(format!("the {what} is longer than a year"));
        }
    }
    match (p.interval(), p.cache()) {
        (Some(_), Some(_)) => invalid("`cache` and `interval` exclude each other: an interval check is always served from its latest result".into()),
        (Some(i), None) if i <= p.timeout() => {
            invalid(format!("the interval ({}) must be longer than the timeout ({})", fmt(i), fmt(p.timeout())))
        }
        _ => {}
    }
    match (p.cache(), p.cache_failure_given()) {
        (Some(c), _) if c.is_zero() => invalid("the cache TTL must be longer than zero".into()),
        (None, Some(_)) => invalid("`cache_failure` needs `cache`".into()),
        (Some(c), Some(f)) if f > c => invalid(format!(
            "`cache_failure` ({}) must not be longer than `cache` ({})",
            fmt(f),
            fmt(c)
        )),
        _ => {}
    }
}

/// The results each check keeps by default.
const DEFAULT_HISTORY: usize = 60;

/// The most results a check may keep in its history
/// ([`RegistryBuilder::history_capacity`]): an hour of results at one a second.
/// Its samples take 86 KiB per check, and as many failures with their
/// messages (each at most
/// [`MAX_MESSAGE_CHARS`](crate::hygiene::MAX_MESSAGE_CHARS)) up to about
/// 4 MiB more.
pub const MAX_HISTORY: usize = 3_600;

/// Why a failure threshold needs `cache` or `interval`; the attribute
/// says the same.
const THRESHOLD_NEEDS_PACE: &str = "a `failure_threshold` above 1 needs `cache` or `interval`: it counts runs, and without either every poller runs the check, so three pollers during a short outage reach the threshold at once; with `cache`, failed runs are at least `cache_failure` apart, with `interval` one period";

/// Why a success threshold needs `cache` or `interval`; the attribute
/// says the same.
const SUCCESS_THRESHOLD_NEEDS_PACE: &str = "a `success_threshold` above 1 needs `cache` or `interval`: it counts runs, and without either every poller runs the check, so three pollers in a row after an outage reach the threshold at once; with `cache`, runs are at least `cache` apart, with `interval` one period";

/// Why a failure threshold needs failed runs cached (`cache_failure`
/// above zero); the attribute says the same.
const THRESHOLD_NEEDS_CACHED_FAILURES: &str = "a `failure_threshold` above 1 needs failed runs cached: with `cache_failure` zero, every poller runs the check while it fails, so three pollers during a short outage reach the threshold at once; give `cache_failure` a TTL longer than zero, or leave it out to cache failures as long as `cache`";

/// The longest duration a policy takes: longer ones are mistakes, and
/// would overflow clock arithmetic. The attribute has the same cap.
const MAX_DURATION: Duration = Duration::from_secs(365 * 86_400);
