//! [`HealthServerBuilder`]: the service's own settings, validated once.

use crate::error::{BuildError, Problem};
use crate::names::Services;
use crate::server::HealthServer;
use health_core::{Probe, Registry};
use std::time::Duration;

/// How often an open `Watch` re-evaluates its service when nothing told it
/// to sooner: 5 s.
pub const DEFAULT_WATCH_PERIOD: Duration = Duration::from_secs(5);

const PROBES: [Probe; 3] = [Probe::Liveness, Probe::Readiness, Probe::Startup];

/// Builds a [`HealthServer`]: probe service names, components on or off,
/// the watch period. Every problem is reported at once by
/// [`build`](Self::build).
///
/// ```
/// use health_core::{Check, Probe, Registry};
/// use health_tonic::HealthServer;
/// use std::time::Duration;
///
/// let registry = Registry::builder()
///     .without_declared()
///     .check(Check::new("db", || async { true }))
///     .build()?;
/// let health = HealthServer::builder(registry)
///     .probe_name(Probe::Liveness, "live")
///     .watch_period(Duration::from_secs(1))
///     .build()?;
/// assert_eq!(health.services().collect::<Vec<_>>(), ["", "db", "live", "readiness", "startup"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use = "call .build() to get a HealthServer"]
#[derive(Debug)]
pub struct HealthServerBuilder {
    registry: Registry,
    /// Indexed like [`PROBES`].
    probe_names: [String; 3],
    components: bool,
    watch_period: Duration,
}

impl HealthServerBuilder {
    fn new(registry: Registry) -> Self {
        Self {
            registry,
            probe_names: PROBES.map(|p| p.as_str().to_owned()),
            components: true,
            watch_period: DEFAULT_WATCH_PERIOD,
        }
    }

    /// The service name of `probe` (default: `"liveness"`, `"readiness"`,
    /// `"startup"`). `""` always stands for readiness too.
    pub fn probe_name(mut self, probe: Probe, name: impl Into<String>) -> Self {
        self.probe_names[index(probe)] = name.into();
        self
    }

    /// Whether every check's name is a service of its own, that one
    /// component's status (default: `true`). Off, only `""` and the probe
    /// names are services. `grpc.health.v1` knows no caller: with
    /// components on, any caller of the port can ask each one's status
    /// (never its message). Turn them off where the port is reachable
    /// from outside the cluster and check names are sensitive.
    pub fn components(mut self, serve: bool) -> Self {
        self.components = serve;
        self
    }

    /// How long an open `Watch` goes without re-evaluating its service
    /// (default [`DEFAULT_WATCH_PERIOD`]). Every change the registry
    /// reports (a check's or probe's status, drain, maintenance) triggers
    /// a re-evaluation sooner, so the period only bounds how stale a
    /// watcher can be about checks whose results nobody else refreshes:
    /// `cache` checks past their TTL, and plain checks. Each watched
    /// service costs one evaluation per period, however many watch it.
    pub fn watch_period(mut self, period: Duration) -> Self {
        self.watch_period = period;
        self
    }

    /// Validates the settings against the registry's checks and builds the
    /// server. The error lists every problem: an empty probe name, two
    /// probes with one name, a probe name that is also a check's name
    /// (while components are served), a zero watch period.
    ///
    /// Inside a tokio runtime this also starts the task that ends open
    /// watches after a drain (see [`HealthServer`]); otherwise the first
    /// `Watch` starts it.
    pub fn build(self) -> Result<HealthServer, BuildError> {
        let mut problems = Vec::new();
        for (i, probe) in PROBES.into_iter().enumerate() {
            let name = &self.probe_names[i];
            if name.is_empty() {
                problems.push(Problem::EmptyProbeName { probe });
                continue;
            }
            if let Some(first) = PROBES[..i]
                .iter()
                .zip(&self.probe_names)
                .find(|(_, n)| *n == name)
            {
                problems.push(Problem::DuplicateProbeName {
                    name: name.clone(),
                    first: *first.0,
                    second: probe,
                });
            }
            if self.components && self.registry.checks().any(|c| c.name() == name) {
                problems.push(Problem::ClashWithCheck {
                    probe,
                    name: name.clone(),
                });
            }
        }
        if self.watch_period.is_zero() {
            problems.push(Problem::ZeroWatchPeriod);
        }
        if !problems.is_empty() {
            return Err(BuildError::new(problems));
        }
        let names: Vec<(Probe, String)> = PROBES.into_iter().zip(self.probe_names).collect();
        let services = Services::new(&self.registry, &names, self.components);
        Ok(HealthServer::new_validated(
            self.registry,
            services,
            self.watch_period,
        ))
    }
}

impl HealthServer {
    /// A server with the default settings; fails only when a check is named
    /// like a probe (`liveness`, `readiness`, `startup`).
    pub fn new(registry: Registry) -> Result<Self, BuildError> {
        Self::builder(registry).build()
    }

    /// Starts a [`HealthServerBuilder`].
    pub fn builder(registry: Registry) -> HealthServerBuilder {
        HealthServerBuilder::new(registry)
    }
}

fn index(probe: Probe) -> usize {
    match probe {
        Probe::Liveness => 0,
        Probe::Readiness => 1,
        Probe::Startup => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use health_core::Check;

    fn registry(names: &[&'static str]) -> Registry {
        Registry::builder()
            .without_declared()
            .checks(names.iter().map(|n| Check::new(*n, || async { true })))
            .build()
            .unwrap()
    }

    #[test]
    fn every_problem_at_once() {
        let error = HealthServer::builder(registry(&["live", "startup"]))
            .probe_name(Probe::Liveness, "live")
            .probe_name(Probe::Readiness, "")
            .watch_period(Duration::ZERO)
            .build()
            .unwrap_err();
        assert_eq!(
            error.problems(),
            [
                Problem::ClashWithCheck {
                    probe: Probe::Liveness,
                    name: "live".into()
                },
                Problem::EmptyProbeName {
                    probe: Probe::Readiness
                },
                Problem::ClashWithCheck {
                    probe: Probe::Startup,
                    name: "startup".into()
                },
                Problem::ZeroWatchPeriod,
            ]
        );
        let text = error.to_string();
        assert!(
            text.starts_with("cannot build the gRPC health service: 4 problems\n  - "),
            "{text}"
        );
    }

    #[test]
    fn duplicate_probe_names() {
        let error = HealthServer::builder(registry(&[]))
            .probe_name(Probe::Startup, "liveness")
            .build()
            .unwrap_err();
        assert_eq!(
            error.problems(),
            [Problem::DuplicateProbeName {
                name: "liveness".into(),
                first: Probe::Liveness,
                second: Probe::Startup
            }]
        );
    }

    #[test]
    fn without_components_a_check_may_share_a_probe_name() {
        let health = HealthServer::builder(registry(&["liveness", "db"]))
            .components(false)
            .build()
            .unwrap();
        assert_eq!(
            health.services().collect::<Vec<_>>(),
            ["", "liveness", "readiness", "startup"]
        );
    }
}
