//! [`Check`]: a name, tags, a policy and a run function.

use super::blocking::{CheckFuture, run_blocking};
use super::location::Location;
use super::policy::Policy;
use super::probe::Probes;
use super::state::{State, StateReq};
use crate::model::IntoOutcome;
use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// A check's tags; shared, as every report carries them.
pub(crate) type Tags = Arc<[Cow<'static, str>]>;

type RunFn = Arc<dyn Fn(&State) -> CheckFuture + Send + Sync>;

/// A health check: built at run time with [`Check::new`] or
/// [`Check::blocking`], or declared with `#[health_check]`.
///
/// ```
/// use health_core::{Check, Outcome, Probe, Registry};
/// use std::time::Duration;
///
/// let queue_depth = Check::new("queue", || async {
///     let depth = 12; // ask the queue
///     if depth < 100 { Outcome::up() } else { Outcome::degraded("queue is backing up") }
/// })
/// .with_timeout(Duration::from_millis(300))
/// .with_critical(false)
/// .with_tags(["queue"]);
/// assert!(queue_depth.has_tag("queue") && !queue_depth.policy().is_critical());
///
/// let registry = Registry::builder().without_declared().check(queue_depth).build()?;
/// # Ok::<(), health_core::BuildError>(())
/// ```
#[derive(Clone)]
pub struct Check {
    pub(crate) name: Arc<str>,
    pub(crate) tags: Tags,
    pub(crate) policy: Policy,
    pub(crate) location: Location,
    pub(crate) requires: Cow<'static, [StateReq]>,
    pub(crate) run: RunFn,
    /// Runs on the blocking pool (see [`run_blocking`]).
    pub(crate) blocking: bool,
    /// Runs where it is asked, at once (see [`Check::inline`]).
    pub(crate) inline: bool,
}

impl Check {
    /// A check running the async function `f` on every execution.
    #[track_caller]
    pub fn new<F, Fut, O>(name: impl Into<Cow<'static, str>>, f: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = O> + Send + 'static,
        O: IntoOutcome,
    {
        let run: RunFn = Arc::new(move |_: &State| -> CheckFuture {
            let fut = f();
            Box::pin(async move { fut.await.into_outcome() })
        });
        Self::from_parts(&name.into(), Location::caller(), run)
    }

    /// A check running the blocking function `f` on tokio's blocking pool,
    /// so it can never stall the async runtime.
    #[track_caller]
    pub fn blocking<F, O>(name: impl Into<Cow<'static, str>>, f: F) -> Self
    where
        F: Fn() -> O + Send + Sync + 'static,
        O: IntoOutcome,
    {
        let f = Arc::new(f);
        let run: RunFn = Arc::new(move |_: &State| {
            let f = Arc::clone(&f);
            run_blocking(move || f().into_outcome())
        });
        Self {
            blocking: true,
            ..Self::from_parts(&name.into(), Location::caller(), run)
        }
    }

    /// A check evaluated where the probe that asks is answered, at once:
    /// `f` must neither block nor wait (it reads a value, such as a
    /// heartbeat's age). Every other check runs on the application's
    /// runtime, so a probe answered elsewhere (a dedicated listener)
    /// still measures it; an inline check is what tells that runtime is
    /// wedged, since it needs nothing of it. No timeout applies.
    ///
    /// ```
    /// use health_core::{Check, Probe, Registry, Status};
    /// use std::sync::Arc;
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), health_core::BuildError> {
    /// let alive = Arc::new(AtomicBool::new(true));
    /// let flag = Arc::clone(&alive);
    /// let check = Check::inline("worker", move || flag.load(Ordering::Relaxed));
    /// let registry = Registry::builder().without_declared().check(check).build()?;
    /// alive.store(false, Ordering::Relaxed);
    /// assert_eq!(registry.run(Probe::Readiness).await.status(), Status::Down);
    /// # Ok(()) }
    /// ```
    #[track_caller]
    pub fn inline<F, O>(name: impl Into<Cow<'static, str>>, f: F) -> Self
    where
        F: Fn() -> O + Send + Sync + 'static,
        O: IntoOutcome,
    {
        let run: RunFn = Arc::new(move |_: &State| -> CheckFuture {
            Box::pin(std::future::ready(f().into_outcome()))
        });
        Self {
            inline: true,
            ..Self::from_parts(&name.into(), Location::caller(), run)
        }
    }

    /// Whether it is evaluated where asked ([`Check::inline`]).
    pub fn is_inline(&self) -> bool {
        self.inline
    }

    fn from_parts(name: &str, location: Location, run: RunFn) -> Self {
        Self {
            name: Arc::from(name),
            tags: Tags::default(),
            policy: Policy::DEFAULT,
            location,
            requires: Cow::Borrowed(&[]),
            run,
            blocking: false,
            inline: false,
        }
    }

    /// Replaces the whole policy.
    pub fn with_policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// See [`Policy::with_timeout`].
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.policy = self.policy.with_timeout(timeout);
        self
    }

    /// See [`Policy::with_critical`].
    pub fn with_critical(mut self, critical: bool) -> Self {
        self.policy = self.policy.with_critical(critical);
        self
    }

    /// See [`Policy::with_probes`]: `Probe::Liveness`, or a [`Probes`] set.
    pub fn with_probes(mut self, probes: impl Into<Probes>) -> Self {
        self.policy = self.policy.with_probes(probes.into());
        self
    }

    /// See [`Policy::with_cache`].
    pub fn with_cache(mut self, ttl: Duration) -> Self {
        self.policy = self.policy.with_cache(ttl);
        self
    }

    /// See [`Policy::with_cache_failure`].
    pub fn with_cache_failure(mut self, ttl: Duration) -> Self {
        self.policy = self.policy.with_cache_failure(ttl);
        self
    }

    /// See [`Policy::with_interval`].
    pub fn with_interval(mut self, period: Duration) -> Self {
        self.policy = self.policy.with_interval(period);
        self
    }

    /// See [`Policy::with_failure_threshold`].
    pub fn with_failure_threshold(mut self, failures: u32) -> Self {
        self.policy = self.policy.with_failure_threshold(failures);
        self
    }

    /// See [`Policy::with_failing_interval`].
    pub fn with_failing_interval(mut self, period: Duration) -> Self {
        self.policy = self.policy.with_failing_interval(period);
        self
    }

    /// See [`Policy::with_success_threshold`].
    pub fn with_success_threshold(mut self, successes: u32) -> Self {
        self.policy = self.policy.with_success_threshold(successes);
        self
    }

    /// See [`Policy::with_slow`].
    pub fn with_slow(mut self, after: Duration) -> Self {
        self.policy = self.policy.with_slow(after);
        self
    }

    /// Replaces the tags: free labels, for `?tag=` filtering and
    /// [`RegistryBuilder::filter`](crate::RegistryBuilder::filter). Each
    /// follows the name rule; the registry refuses one that does not.
    pub fn with_tags<I, T>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<Cow<'static, str>>,
    {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The tags.
    pub fn tags(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().map(|t| t.as_ref())
    }

    /// Whether the check carries `tag`.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Where the check was declared or built.
    pub fn location(&self) -> Location {
        self.location
    }

    /// The state types its parameters need (declared checks only).
    pub(crate) fn requirements(&self) -> &[StateReq] {
        &self.requires
    }
}

impl fmt::Debug for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Check")
            .field("name", &self.name)
            .field("tags", &self.tags)
            .field("policy", &self.policy)
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}
