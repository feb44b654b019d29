//! [`HealthServerBuilder`]: the service's own settings, validated once.

use crate::error::{BuildError, Problem, SUBJECT};
use crate::names::Services;
use crate::server::HealthServer;
use crate::watch::Caps;
use health_core::{Probe, Registry};
use std::time::Duration;

/// How long a caller without `grpc-timeout` waits (the kubelet's default
/// probe timeout).
pub const DEFAULT_PROBE_TIMEOUT: Duration = Duration::from_secs(1);

/// How often an open `Watch` re-evaluates its service when nothing told it
/// to sooner: 5 s.
pub const DEFAULT_WATCH_PERIOD: Duration = Duration::from_secs(5);

/// How many `Watch` streams may be open on the whole server by default:
/// 1000 (about 10 MiB of server memory, nearly all of it tonic's and h2's
/// per-stream state; see `bench/grpc/README.md`).
pub const DEFAULT_MAX_WATCHES: usize = 1000;

/// How many `Watch` streams one connection may hold open by default: 16. A
/// gRPC client's health checking opens one per service it watches.
pub const DEFAULT_MAX_WATCHES_PER_CONNECTION: usize = 16;

/// How many `Watch` streams of names the server does not know may be open
/// by default, on the whole server: 16. Such a stream stays open (the
/// protocol asks it) though nothing will ever follow its `SERVICE_UNKNOWN`.
pub const DEFAULT_MAX_UNKNOWN_WATCHES: usize = 16;

const PROBES: [Probe; 3] = [Probe::Liveness, Probe::Readiness, Probe::Startup];

/// Builds a [`HealthServer`]: probe service names, components on or off,
/// the watch period, the caps on open watches. Every problem is reported
/// at once by [`build`](Self::build).
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
///     .components(true)
///     .watch_period(Duration::from_secs(1))
///     .max_watches(200)
///     .build()?;
/// assert_eq!(health.services(), ["", "db", "live", "readiness", "startup"]);
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
    caps: Caps,
    probe_timeout: Duration,
    not_serving_as: Option<tonic::Code>,
}

impl HealthServerBuilder {
    fn new(registry: Registry) -> Self {
        Self {
            registry,
            probe_names: PROBES.map(|p| p.as_str().to_owned()),
            components: false,
            watch_period: DEFAULT_WATCH_PERIOD,
            probe_timeout: DEFAULT_PROBE_TIMEOUT,
            not_serving_as: None,
            caps: Caps {
                total: DEFAULT_MAX_WATCHES,
                per_connection: DEFAULT_MAX_WATCHES_PER_CONNECTION,
                unknown: DEFAULT_MAX_UNKNOWN_WATCHES,
            },
        }
    }

    /// The service name of `probe` (default: `"liveness"`, `"readiness"`,
    /// `"startup"`). `""` always stands for readiness too.
    pub fn probe_name(mut self, probe: Probe, name: impl Into<String>) -> Self {
        self.probe_names[index(probe)] = name.into();
        self
    }

    /// Whether every check's name is a service of its own, that one
    /// component's status (default: `false`, only `""` and the probe names
    /// are services, as the HTTP endpoints show an anonymous caller no
    /// component either).
    ///
    /// `grpc.health.v1` knows no caller: with components on, any caller of
    /// the port can `List` every check's name and ask each one's status
    /// (never its message), and each such `Check` runs that check. Turn
    /// them on where only trusted callers reach the port (a port the
    /// cluster alone reaches, a loopback address). A check of the startup
    /// probe alone is not run again once startup latched: its latched
    /// result answers.
    pub fn components(mut self, serve: bool) -> Self {
        self.components = serve;
        self
    }

    /// How long an open `Watch` goes without re-evaluating its service
    /// (default [`DEFAULT_WATCH_PERIOD`]). Every change the registry
    /// reports (a check's or probe's status, drain, maintenance) triggers
    /// a re-evaluation sooner: at once where it runs no check (`interval`
    /// checks, a latched startup, drain and maintenance), else a second
    /// after the previous evaluation at the soonest. So the period only
    /// bounds how stale a watcher can be about checks whose results nobody
    /// else refreshes: `cache` checks past their TTL, and plain checks.
    /// Each watched service costs one evaluation per period, however many
    /// watch it.
    pub fn watch_period(mut self, period: Duration) -> Self {
        self.watch_period = period;
        self
    }

    /// How long a caller that sends no `grpc-timeout` waits for `Check` and
    /// `List` (default [`DEFAULT_PROBE_TIMEOUT`], the kubelet's 1 s). A
    /// caller's `grpc-timeout` takes its place. Either way the answer comes
    /// a margin before it (a tenth, at most 100 ms): checks still running
    /// then answer their latest result (UNKNOWN, so NOT_SERVING, before
    /// their first) and go on, single flight, for the next call; a client
    /// never sees DEADLINE_EXCEEDED for a slow check. Zero is a
    /// [`Problem::ZeroProbeTimeout`].
    pub fn probe_timeout(mut self, timeout: Duration) -> Self {
        self.probe_timeout = timeout;
        self
    }

    /// How many `Watch` streams may be open at once on the whole server
    /// (default [`DEFAULT_MAX_WATCHES`]). Past it, a `Watch` gets
    /// `RESOURCE_EXHAUSTED` ("too many open watches on this server") while
    /// `Check`, `List` and the open watches are served as before. Each
    /// open watch costs about 10 KB of server memory, nearly all of it
    /// tonic's and h2's per-stream state.
    ///
    /// Watches of a client that vanished without closing its connection
    /// stay counted until the connection is reaped: serve with HTTP/2
    /// keepalive (tonic's `Server::builder()
    /// .http2_keepalive_interval(Some(Duration::from_secs(30)))
    /// .http2_keepalive_timeout(Some(Duration::from_secs(10)))`) so that
    /// it is.
    pub fn max_watches(mut self, watches: usize) -> Self {
        self.caps.total = watches;
        self
    }

    /// How many `Watch` streams one client connection may hold open
    /// (default [`DEFAULT_MAX_WATCHES_PER_CONNECTION`]); past it, that
    /// client gets `RESOURCE_EXHAUSTED` ("too many open watches on this
    /// connection"). Connections are told apart by the addresses tonic's
    /// transport records with each request (TCP, with or without TLS);
    /// requests without them (a Unix socket, another transport) count
    /// toward the total only. Raise it when a proxy carries many clients'
    /// watches over few connections.
    pub fn max_watches_per_connection(mut self, watches: usize) -> Self {
        self.caps.per_connection = watches;
        self
    }

    /// How many `Watch` streams of names the server does not know may be
    /// open on the whole server (default [`DEFAULT_MAX_UNKNOWN_WATCHES`];
    /// they count toward the two other caps as well). Such a stream gets
    /// `SERVICE_UNKNOWN` and stays open, as the protocol asks, though a
    /// server's names are fixed when it is built; past this cap a `Watch`
    /// of an unknown name gets `RESOURCE_EXHAUSTED` ("too many open
    /// watches of unknown services"). Zero refuses every such `Watch`.
    pub fn max_unknown_watches(mut self, watches: usize) -> Self {
        self.caps.unknown = watches;
        self
    }

    /// Makes `Check` answer `NOT_SERVING` as the gRPC error `code` (with
    /// the message `"NOT_SERVING"`) instead of status OK carrying
    /// `NOT_SERVING` in the message (the default, as the protocol says),
    /// for balancers that read only the gRPC status code. AWS ALB is one:
    /// its gRPC health check (path `/grpc.health.v1.Health/Check`, success
    /// code `0`) takes any OK answer for healthy, so without this switch a
    /// target that answers `NOT_SERVING`, draining included, stays in the
    /// group. [`tonic::Code::Unavailable`] is the usual choice; a code of
    /// [`tonic::Code::Ok`] is a [`Problem::NotServingAsOk`].
    ///
    /// Only `Check` changes, and only its `NOT_SERVING` answers: `SERVING`
    /// stays OK; an unknown name stays `NOT_FOUND` (`Check` never answers
    /// `SERVICE_UNKNOWN`, which is `Watch`'s). `Watch` and `List` keep the
    /// protocol's answers: an error would end a `Watch` stream (whose
    /// clients, gRPC's client-side health checking among them, read the
    /// statuses it carries) and lose every other status of a `List`; no
    /// balancer that reads codes calls either.
    ///
    /// The other callers of `Check` see the error too: the kubelet's gRPC
    /// probe fails on both answers alike, while `grpc_health_probe` and
    /// `health-probe` report a failed call (exit code 2) instead of
    /// `NOT_SERVING` (exit code 4).
    ///
    /// ```
    /// use health_core::{Check, Registry};
    /// use health_tonic::HealthServer;
    ///
    /// let registry = Registry::builder()
    ///     .without_declared()
    ///     .check(Check::new("db", || async { true }))
    ///     .build()?;
    /// // Behind AWS ALB.
    /// let health = HealthServer::builder(registry)
    ///     .not_serving_as_error(tonic::Code::Unavailable)
    ///     .build()?;
    /// # drop(health);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn not_serving_as_error(mut self, code: tonic::Code) -> Self {
        self.not_serving_as = Some(code);
        self
    }

    /// Validates the settings against the registry's checks and builds the
    /// server. The error lists every problem: an empty probe name, two
    /// probes with one name, a probe name that is also a check's name
    /// (while components are served), a zero watch period, a zero cap on
    /// watches in total or per connection, `NOT_SERVING` as the error
    /// `OK`.
    ///
    /// Inside a tokio runtime this also starts the task that ends open
    /// watches after a drain (see [`HealthServer`]); otherwise the first
    /// `Watch` starts it. It logs a warning naming any check that cannot
    /// finish within the [probe timeout](Self::probe_timeout)
    /// ([`Registry::warn_of_slow_checks`]): a caller waiting no longer gets
    /// that check's previous result.
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
            if self.components && self.registry.checks().get(name).is_some() {
                problems.push(Problem::ClashWithCheck {
                    probe,
                    name: name.clone(),
                });
            }
        }
        if self.watch_period.is_zero() {
            problems.push(Problem::ZeroWatchPeriod);
        }
        if self.probe_timeout.is_zero() {
            problems.push(Problem::ZeroProbeTimeout);
        }
        if self.not_serving_as == Some(tonic::Code::Ok) {
            problems.push(Problem::NotServingAsOk);
        }
        for (setting, cap) in [
            ("max_watches", self.caps.total),
            ("max_watches_per_connection", self.caps.per_connection),
        ] {
            if cap == 0 {
                problems.push(Problem::ZeroWatchCap { setting });
            }
        }
        if !problems.is_empty() {
            return Err(BuildError::new(SUBJECT, problems));
        }
        let names: Vec<(Probe, String)> = PROBES.into_iter().zip(self.probe_names).collect();
        // With components, a check added at run time may not take a
        // probe's name; one added since the names were looked at above is
        // a clash too.
        if self.components {
            let probe_names = names.iter().map(|(_, name)| name.clone());
            if let Err(taken) = self.registry.reserve_names(RESERVED_BY, probe_names) {
                let problems = names
                    .into_iter()
                    .filter(|(_, name)| taken.contains(name))
                    .map(|(probe, name)| Problem::ClashWithCheck { probe, name })
                    .collect();
                return Err(BuildError::new(SUBJECT, problems));
            }
        }
        self.registry.warn_of_slow_checks(self.probe_timeout);
        let services = Services::new(&names, self.components);
        Ok(HealthServer::new_validated(
            self.registry,
            services,
            self.watch_period,
            self.caps,
            self.probe_timeout,
            self.not_serving_as,
        ))
    }
}

impl HealthServer {
    /// A server with the default settings: `""` and the three probes, no
    /// components. With these settings nothing can clash, so it does not
    /// fail today; it returns [`BuildError`] as the builder does, so that
    /// callers handle both alike.
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

/// Who reserves the probes' service names in the registry, as a check
/// added at run time is told.
const RESERVED_BY: &str = "the gRPC health service: it is a probe's service name";

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
            .components(true)
            .probe_name(Probe::Liveness, "live")
            .probe_name(Probe::Readiness, "")
            .watch_period(Duration::ZERO)
            .max_watches_per_connection(0)
            .max_unknown_watches(0)
            .not_serving_as_error(tonic::Code::Ok)
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
                Problem::NotServingAsOk,
                Problem::ZeroWatchCap {
                    setting: "max_watches_per_connection"
                },
            ]
        );
        let text = error.to_string();
        assert!(
            text.starts_with("cannot build the gRPC health service: 6 problems\n  - "),
            "{text}"
        );
    }

    #[test]
    fn components_are_opt_in() {
        let registry = registry(&["db", "liveness"]);
        let health = HealthServer::new(registry.clone()).unwrap();
        assert_eq!(health.services(), ["", "liveness", "readiness", "startup"]);
        let error = HealthServer::builder(registry)
            .components(true)
            .build()
            .unwrap_err();
        assert_eq!(
            error.problems(),
            [Problem::ClashWithCheck {
                probe: Probe::Liveness,
                name: "liveness".into()
            }]
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
            .components(true)
            .components(false)
            .build()
            .unwrap();
        assert_eq!(health.services(), ["", "liveness", "readiness", "startup"]);
    }
}
