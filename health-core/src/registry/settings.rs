//! The orchestrator's probe settings, derived from the declarations.

use super::definition::Registry;
use crate::check::{Check, Probe};
use std::time::Duration;

/// How long a probe's answer may take beyond its slowest check's timeout:
/// the request's own way in and out.
pub const PROBE_MARGIN: Duration = Duration::from_millis(500);

/// The kubelet's defaults: a probe every 10 s, 1 s to answer.
const KUBELET_PERIOD: Duration = Duration::from_secs(10);
const KUBELET_TIMEOUT: Duration = Duration::from_secs(1);

/// How often the startup probe asks (a fast start is seen within it), and
/// the least time it allows for a start.
const STARTUP_PERIOD: Duration = Duration::from_secs(2);
const STARTUP_WINDOW: Duration = Duration::from_secs(60);

/// How one probe should be polled, derived from its checks: what a
/// Kubernetes probe block (`timeoutSeconds`, `periodSeconds`,
/// `failureThreshold`, `successThreshold`) or any prober needs. Whole
/// seconds, as Kubernetes counts.
///
/// See [`Registry::probe_settings`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProbeSettings {
    /// The probe.
    pub probe: Probe,
    /// Seconds the prober waits for an answer: the slowest check the probe
    /// may wait for (a check with `interval` is never waited for) plus
    /// [`PROBE_MARGIN`], rounded up; at least the protocol's own probe
    /// timeout (by which it answers whatever runs) and the kubelet's 1 s.
    pub timeout_seconds: u64,
    /// Seconds between probes: the kubelet's 10 s, or as often as a
    /// result of the probe's checks can change (their shortest `cache` or
    /// `interval`, at least 1 s) when that is sooner; 2 s for startup.
    pub period_seconds: u64,
    /// Failed probes in a row before the orchestrator acts. Liveness: 3
    /// (a restart is expensive). Readiness: 2, or 1 when a check already
    /// tolerates failures (`failure_threshold` above 1), so as not to
    /// count them twice. Startup: enough periods for a minute, or for the
    /// slowest startup check's timeout if longer.
    pub failure_threshold: u64,
    /// Successful probes in a row before the orchestrator trusts the
    /// probe again: 1 (Kubernetes requires 1 for liveness and startup).
    pub success_threshold: u64,
    /// The slowest check this probe may wait for, and its timeout: the
    /// check behind `timeout_seconds`, if any.
    pub slowest: Option<(String, Duration)>,
}

/// The probe settings of a registry and the pod's grace period; see
/// [`Registry::probe_settings`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PodSettings {
    /// The startup probe.
    pub startup: ProbeSettings,
    /// The liveness probe.
    pub liveness: ProbeSettings,
    /// The readiness probe.
    pub readiness: ProbeSettings,
    /// Seconds the orchestrator waits between its stop signal and a kill:
    /// the drain delay, the budget for requests in flight, and
    /// [`PROBE_MARGIN`] twice, rounded up (Kubernetes'
    /// `terminationGracePeriodSeconds`).
    pub termination_grace_period_seconds: u64,
}

impl PodSettings {
    /// The three probes, startup first.
    pub fn probes(&self) -> [&ProbeSettings; 3] {
        [&self.startup, &self.liveness, &self.readiness]
    }
}

impl Registry {
    /// The probe settings the declarations call for, for a protocol that
    /// answers every probe within `probe_timeout` (`health-http`'s
    /// `EndpointsBuilder::probe_timeout`), and the pod's grace period given
    /// `request_budget`, the time requests in flight get to finish after
    /// the drain delay. The rules are on [`ProbeSettings`]' fields;
    /// protocol crates write them out (`health-http`: a Kubernetes
    /// `httpGet` block).
    ///
    /// ```
    /// use health_core::{Check, Probe, Registry};
    /// use std::time::Duration;
    /// # fn main() -> Result<(), health_core::BuildError> {
    /// let registry = Registry::builder()
    ///     .without_declared()
    ///     .check(Check::new("db", || async { true }).with_timeout(Duration::from_secs(2)))
    ///     .check(
    ///         Check::new("search", || async { true })
    ///             .with_timeout(Duration::from_secs(4))
    ///             .with_interval(Duration::from_secs(5)),
    ///     )
    ///     .drain_delay(Duration::from_secs(5))
    ///     .build()?;
    /// let pod = registry.probe_settings(Duration::from_secs(1), Duration::from_secs(10));
    /// // The probe waits for `db` (2 s), never for `search` (interval).
    /// assert_eq!(pod.readiness.timeout_seconds, 3);
    /// assert_eq!(pod.readiness.period_seconds, 5);
    /// assert_eq!(pod.termination_grace_period_seconds, 16);
    /// # Ok(()) }
    /// ```
    pub fn probe_settings(&self, probe_timeout: Duration, request_budget: Duration) -> PodSettings {
        let grace = self.drain_delay() + request_budget + PROBE_MARGIN * 2;
        let least = probe_timeout.max(KUBELET_TIMEOUT);
        PodSettings {
            startup: self.settings_of(Probe::Startup, least),
            liveness: self.settings_of(Probe::Liveness, least),
            readiness: self.settings_of(Probe::Readiness, least),
            termination_grace_period_seconds: whole_seconds(grace),
        }
    }

    /// Logs a warning for each probe whose slowest check (one it may wait
    /// for) cannot finish within `probe_timeout`, naming the check: the
    /// probe's answers will carry that check's previous result (stale),
    /// or none before its first. The protocols call it when they are
    /// built with their probe timeout (`health-http`'s `Endpoints`,
    /// `health-tonic`'s `HealthServer`).
    ///
    /// ```
    /// use health_core::{Check, Registry};
    /// use std::time::Duration;
    /// # fn main() -> Result<(), health_core::BuildError> {
    /// let registry = Registry::builder()
    ///     .without_declared()
    ///     .check(Check::new("db", || async { true }).with_timeout(Duration::from_secs(3)))
    ///     .build()?;
    /// // WARN probe=readiness check=db check_timeout=3s probe_timeout=1s
    /// registry.warn_of_slow_checks(Duration::from_secs(1));
    /// # Ok(()) }
    /// ```
    pub fn warn_of_slow_checks(&self, probe_timeout: Duration) {
        for probe in [Probe::Startup, Probe::Liveness, Probe::Readiness] {
            if let Some((check, timeout)) = self.settings_of(probe, probe_timeout).slowest
                && timeout > probe_timeout
            {
                tracing::warn!(
                    probe = %probe,
                    check = %check,
                    check_timeout = %health_names::duration::format(timeout),
                    probe_timeout = %health_names::duration::format(probe_timeout),
                    "a check cannot finish within the probe timeout: the probe answers its \
                     previous result (stale) meanwhile; raise the probe timeout (and the \
                     prober's), or give the check an `interval`"
                );
            }
        }
    }

    fn settings_of(&self, probe: Probe, least_timeout: Duration) -> ProbeSettings {
        let all = self.checks();
        let checks = || {
            all.iter()
                .filter(move |c| c.policy().probes().contains(probe))
        };
        let slowest = checks()
            .filter(|c| c.policy().interval().is_none())
            .map(|c| (c.name(), c.policy().timeout()))
            .max_by_key(|&(_, timeout)| timeout);
        let waited = slowest.map_or(Duration::ZERO, |(_, t)| t);
        let timeout = (waited + PROBE_MARGIN).max(least_timeout);
        let refresh = checks().filter_map(refresh_of).min();
        let period = match probe {
            Probe::Startup => STARTUP_PERIOD,
            _ => refresh.map_or(KUBELET_PERIOD, |r| {
                r.clamp(Duration::from_secs(1), KUBELET_PERIOD)
            }),
        };
        let failure_threshold = match probe {
            Probe::Liveness => 3,
            Probe::Readiness if checks().any(|c| c.policy().failure_threshold() > 1) => 1,
            Probe::Readiness => 2,
            Probe::Startup => {
                let window = STARTUP_WINDOW.max(waited + timeout);
                whole_seconds(window).div_ceil(whole_seconds(period))
            }
        };
        ProbeSettings {
            probe,
            timeout_seconds: whole_seconds(timeout),
            period_seconds: whole_seconds(period),
            failure_threshold,
            success_threshold: 1,
            slowest: slowest.map(|(name, t)| (name.to_owned(), t)),
        }
    }
}

/// How soon a check's result can change: its `interval`, or its `cache`.
fn refresh_of(check: &Check) -> Option<Duration> {
    let policy = check.policy();
    policy.interval().or(policy.cache())
}

/// `d` in whole seconds, rounded up, at least 1.
fn whole_seconds(d: Duration) -> u64 {
    let seconds = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    seconds.max(1)
}
