use super::Probes;
use std::time::Duration;

/// How a check is run and judged: everything of `#[health_check(...)]` but
/// its name and tags. Built in `const` context by the attribute, or with the
/// same methods on [`Check`](crate::Check).
///
/// ```
/// use health_core::{Policy, Probes};
/// use std::time::Duration;
/// const P: Policy = Policy::DEFAULT.timeout(Duration::from_millis(200)).critical(false);
/// assert_eq!(P.timeout_duration(), Duration::from_millis(200));
/// assert_eq!(P.probe_set(), Probes::READINESS);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub(crate) timeout: Duration,
    pub(crate) critical: bool,
    pub(crate) probes: Probes,
    pub(crate) cache: Option<Duration>,
    pub(crate) cache_failure: Option<Duration>,
    pub(crate) interval: Option<Duration>,
    pub(crate) failure_threshold: u32,
}

impl Policy {
    /// The defaults: timeout 1 s, critical, readiness, no cache, no interval,
    /// failure threshold 1 (the first failure reports DOWN).
    pub const DEFAULT: Policy = Policy {
        timeout: Duration::from_secs(1),
        critical: true,
        probes: Probes::READINESS,
        cache: None,
        cache_failure: None,
        interval: None,
        failure_threshold: 1,
    };

    /// Bounds every execution; a slower one is DOWN "timed out after ...".
    pub const fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// `false`: DOWN only degrades the service (it keeps answering 200).
    pub const fn critical(mut self, critical: bool) -> Self {
        self.critical = critical;
        self
    }

    /// The probes the check takes part in.
    pub const fn probes(mut self, probes: Probes) -> Self {
        self.probes = probes;
        self
    }

    /// Reuse a finished result this long. Single flight alone bounds how
    /// many runs happen *at once*; `cache` bounds how *often* a dependency
    /// is asked, however many probes arrive.
    pub const fn cache(mut self, ttl: Duration) -> Self {
        self.cache = Some(ttl);
        self
    }

    /// Reuse a *failed* result only this long (default: the `cache` TTL),
    /// so a recovery is seen sooner than a success expires.
    pub const fn cache_failure(mut self, ttl: Duration) -> Self {
        self.cache_failure = Some(ttl);
        self
    }

    /// Run in the background every `period`; probes serve the latest result
    /// and never wait.
    pub const fn interval(mut self, period: Duration) -> Self {
        self.interval = Some(period);
        self
    }

    /// The consecutive failure that reports DOWN: with `3`, the first two
    /// failures in a row after a success report DEGRADED (with the error
    /// and "failure 1 of 3 tolerated"), the third DOWN. Before the first
    /// success nothing is tolerated. `1`, the default, reports DOWN at the
    /// first failure; `0` is taken as `1`.
    pub const fn failure_threshold(mut self, failures: u32) -> Self {
        self.failure_threshold = if failures == 0 { 1 } else { failures };
        self
    }

    /// The timeout.
    pub const fn timeout_duration(&self) -> Duration {
        self.timeout
    }

    /// Whether a DOWN fails the probe.
    pub const fn is_critical(&self) -> bool {
        self.critical
    }

    /// The probes the check takes part in.
    pub const fn probe_set(&self) -> Probes {
        self.probes
    }

    /// The cache TTL, if any.
    pub const fn cache_ttl(&self) -> Option<Duration> {
        self.cache
    }

    /// The background refresh period, if any.
    pub const fn interval_period(&self) -> Option<Duration> {
        self.interval
    }

    /// The failure threshold (at least 1).
    pub const fn threshold(&self) -> u32 {
        self.failure_threshold
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy::DEFAULT
    }
}
