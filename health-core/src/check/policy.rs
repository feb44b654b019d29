//! How a check is run and judged.

use super::Probes;
use std::time::Duration;

/// How a check is run and judged: everything of `#[health_check(...)]` but
/// its name and tags. Built in `const` context by the attribute with the
/// `with_*` methods, or through the same-named setters of
/// [`Check`](crate::Check). The registry validates it when it is built.
///
/// ```
/// use health_core::{Policy, Probes};
/// use std::time::Duration;
/// const P: Policy = Policy::DEFAULT.with_timeout(Duration::from_millis(200)).with_critical(false);
/// assert_eq!(P.timeout(), Duration::from_millis(200));
/// assert_eq!(P.probes(), Probes::READINESS);
/// assert!(!P.is_critical());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    timeout: Duration,
    critical: bool,
    probes: Probes,
    cache: Option<Duration>,
    cache_failure: Option<Duration>,
    interval: Option<Duration>,
    failing_interval: Option<Duration>,
    failure_threshold: u32,
    success_threshold: u32,
    slow: Option<Duration>,
}

impl Policy {
    /// The defaults: timeout 1 s, critical, readiness, no cache, no interval,
    /// failure and success thresholds 1 (the first failure reports DOWN,
    /// the first success after it UP), slow past half the timeout.
    pub const DEFAULT: Policy = Policy {
        timeout: Duration::from_secs(1),
        critical: true,
        probes: Probes::READINESS,
        cache: None,
        cache_failure: None,
        interval: None,
        failing_interval: None,
        failure_threshold: 1,
        success_threshold: 1,
        slow: None,
    };

    /// Bounds every execution; a slower one is DOWN "timed out after ...".
    pub const fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// `false`: DOWN only degrades the service (it keeps answering 200).
    pub const fn with_critical(mut self, critical: bool) -> Self {
        self.critical = critical;
        self
    }

    /// The probes the check takes part in.
    pub const fn with_probes(mut self, probes: Probes) -> Self {
        self.probes = probes;
        self
    }

    /// Reuse a finished result this long. Single flight alone bounds how
    /// many runs happen *at once*; `cache` bounds how *often* a dependency
    /// is asked, however many probes arrive.
    pub const fn with_cache(mut self, ttl: Duration) -> Self {
        self.cache = Some(ttl);
        self
    }

    /// Reuse a *failed* result only this long (default: the `cache` TTL),
    /// so a recovery is seen sooner than a success expires.
    pub const fn with_cache_failure(mut self, ttl: Duration) -> Self {
        self.cache_failure = Some(ttl);
        self
    }

    /// Run in the background every `period`; probes serve the latest result
    /// and never wait.
    pub const fn with_interval(mut self, period: Duration) -> Self {
        self.interval = Some(period);
        self
    }

    /// The consecutive failure that reports DOWN: with `3`, the first two
    /// failures in a row after a success report DEGRADED (with the error
    /// and "failure 1 of 3 tolerated"), the third DOWN. Before the first
    /// success nothing is tolerated. `1`, the default, reports DOWN at the
    /// first failure; `0` is refused when the registry is built.
    pub const fn with_failure_threshold(mut self, failures: u32) -> Self {
        self.failure_threshold = failures;
        self
    }

    /// While its latest result fails, run an `interval` check every
    /// `period` instead (shorter than its interval), so a recovery is seen
    /// sooner without asking a healthy dependency more often (Envoy's
    /// `unhealthy_interval`).
    pub const fn with_failing_interval(mut self, period: Duration) -> Self {
        self.failing_interval = Some(period);
        self
    }

    /// The consecutive success that reports UP again after a failure was
    /// reported: with `3`, the first two successes in a row after a DOWN
    /// still report DOWN (with the failure and "recovering: success 1 of
    /// 3"), the third UP; a flapping dependency does not flap the service
    /// (Kubernetes' `successThreshold`, Envoy's `healthy_threshold`). The
    /// first success ever reports UP at once. `1`, the default, reports UP
    /// at the first success; `0` is refused when the registry is built.
    pub const fn with_success_threshold(mut self, successes: u32) -> Self {
        self.success_threshold = successes;
        self
    }

    /// A run longer than this is slow (default: half the timeout, or the
    /// registry's [`slow`](crate::RegistryBuilder::slow)): the first slow
    /// run after a fast one logs one WARN naming the check, counts in
    /// `health_check_slow_total`, and every slow run is marked in its
    /// span, its component and on the status page.
    pub const fn with_slow(mut self, after: Duration) -> Self {
        self.slow = Some(after);
        self
    }

    /// The timeout.
    pub const fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Whether a DOWN fails the probe.
    pub const fn is_critical(&self) -> bool {
        self.critical
    }

    /// The probes the check takes part in.
    pub const fn probes(&self) -> Probes {
        self.probes
    }

    /// The cache TTL, if any.
    pub const fn cache(&self) -> Option<Duration> {
        self.cache
    }

    /// The TTL of a failed result: `cache_failure` if given, else the
    /// `cache` TTL; `None` without `cache`.
    pub const fn cache_failure(&self) -> Option<Duration> {
        match self.cache_failure {
            Some(ttl) => Some(ttl),
            None => self.cache,
        }
    }

    /// The background refresh period, if any.
    pub const fn interval(&self) -> Option<Duration> {
        self.interval
    }

    /// The consecutive failure that reports DOWN.
    pub const fn failure_threshold(&self) -> u32 {
        self.failure_threshold
    }

    /// The background refresh period while the latest result fails, if
    /// one was given.
    pub const fn failing_interval(&self) -> Option<Duration> {
        self.failing_interval
    }

    /// The consecutive success that reports UP after a failure.
    pub const fn success_threshold(&self) -> u32 {
        self.success_threshold
    }

    /// The duration past which a run is slow: the one given, else half
    /// the timeout.
    pub const fn slow(&self) -> Duration {
        match self.slow {
            Some(after) => after,
            None => Duration::from_nanos((self.timeout.as_nanos() / 2) as u64),
        }
    }

    /// The slow threshold given, if any (the registry's default fills in
    /// for the rest).
    pub(crate) const fn slow_given(&self) -> Option<Duration> {
        self.slow
    }

    /// The `cache_failure` given, if any (validation tells "given" from
    /// "defaulted to `cache`").
    pub(crate) const fn cache_failure_given(&self) -> Option<Duration> {
        self.cache_failure
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy::DEFAULT
    }
}
