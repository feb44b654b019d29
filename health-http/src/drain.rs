//! [`Drain`]: what the application's server does with each request once the
//! drain has begun, so that no request is lost on a connection a load
//! balancer pins to this replica.

use crate::endpoints::Endpoints;
use crate::response::Response;
use health_core::{DrainPhase, Registry};
use std::sync::Arc;
use std::time::Duration;

/// The header Envoy reads to take a host out of its pool at once, on any
/// response ([`Drain::with_envoy_header`]).
pub const ENVOY_IMMEDIATE_HEALTH_CHECK_FAIL: &str = "x-envoy-immediate-health-check-fail";

/// The `User-Agent`s of probers (their prefixes): their requests are never
/// cut or counted by the drain, wherever they are sent. The kubelet, the
/// `health-probe` binary, and the health checkers of AWS's and Google's
/// load balancers and of Envoy.
pub const PROBE_USER_AGENTS: [&str; 5] = [
    "kube-probe/",
    "health-probe/",
    "ELB-HealthChecker/",
    "GoogleHC/",
    "Envoy/HC",
];

/// After the drain delay, a server keeps answering (refusing) late
/// requests until none has arrived for this long, so that the drain audit
/// sees how late they come; then it closes its listener. Bounded by the
/// request budget.
pub const DRAIN_QUIET: Duration = Duration::from_millis(500);

/// The default [`request_budget`](Drain::with_request_budget): how long
/// requests in flight may take to finish once the server stops accepting.
pub const DEFAULT_REQUEST_BUDGET: Duration = Duration::from_secs(10);

/// The drain of the application's own traffic, not only of the probes.
///
/// Readiness going OUT_OF_SERVICE takes a replica out of a balancer for
/// *new* connections; connections already open stay pinned to it wherever
/// the balancer works on connections (kube-proxy, a TCP load balancer, a
/// client's pool). Put once in front of the whole application (the
/// adapters' layer, middleware and `serve`), it decides for each request:
///
/// | phase | a request of the application | a probe |
/// |---|---|---|
/// | serving | served | served |
/// | the drain delay | served, its connection closed (`Connection: close` on HTTP/1.1; GOAWAY on HTTP/2, sent by the server) so the client reconnects through the balancer, elsewhere | served, connection kept |
/// | after the delay | HTTP/1: refused: 503, `Retry-After: 1`, `Connection: close`; HTTP/2: served (GOAWAY was sent) | served, connection kept |
///
/// After the delay the server keeps its listener open while late requests
/// keep coming (until none for [`DRAIN_QUIET`]), refusing them, so that
/// the audit measures how late the balancers were; then it closes the
/// listener, and requests in flight finish. All of it within the
/// [request budget](Self::with_request_budget). Probes are requests to
/// the endpoints' own paths, or from a prober's `User-Agent`
/// ([`PROBE_USER_AGENTS`]); every other request is counted for the drain
/// audit ([`Registry::drain_report`]). While serving, the decision costs
/// one atomic load.
///
/// ```
/// use health_core::Registry;
/// use health_http::{Drain, DrainDecision, Endpoints, Http};
/// use std::time::Duration;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = Registry::builder()
///     .without_declared()
///     .drain_delay(Duration::from_secs(5))
///     .build()?;
/// let drain = Drain::new(&Endpoints::new(registry.clone())?);
/// assert_eq!(drain.decide("/orders", None, Http::One), DrainDecision::Serve);
///
/// registry.begin_drain();
/// assert_eq!(drain.decide("/orders", None, Http::One), DrainDecision::Draining { close: true });
/// assert_eq!(drain.decide("/ready", None, Http::One), DrainDecision::Draining { close: false });
/// assert_eq!(drain.decide("/", Some(b"kube-probe/1.37"), Http::One), DrainDecision::Draining { close: false });
/// // HTTP/2: never closed by a response (the server sends GOAWAY).
/// assert_eq!(drain.decide("/orders", None, Http::Two), DrainDecision::Draining { close: false });
/// assert_eq!(registry.drain_report().map(|r| r.during_delay), Some(2));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Drain(Arc<Inner>);

#[derive(Clone)]
struct Inner {
    endpoints: Endpoints,
    budget: Duration,
    envoy: bool,
}

/// The protocol of a request's connection, for [`Drain::decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Http {
    /// HTTP/1.0 or HTTP/1.1: one request at a time; a response can close
    /// the connection (`Connection: close`).
    One,
    /// HTTP/2: multiplexed; only the server can close the connection
    /// (GOAWAY), and a stream the client opened before it must be served.
    Two,
}

/// What to do with one request: [`Drain::decide`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DrainDecision {
    /// No drain: serve it as usual.
    Serve,
    /// Draining: serve it, and with `close` close its connection after
    /// the response (`Connection: close`: HTTP/1 only; HTTP/2 connections
    /// get GOAWAY from the server instead). A probe is never closed.
    Draining {
        /// Close the connection after this response.
        close: bool,
    },
    /// The delay is over: answer [`Drain::refusal`] instead, and close
    /// the connection (HTTP/1 only).
    Refuse,
}

impl DrainDecision {
    /// Whether the connection is to be closed after the response.
    pub fn closes_connection(self) -> bool {
        matches!(self, Self::Draining { close: true } | Self::Refuse)
    }
}

impl Drain {
    /// The drain of the application served beside `endpoints` (whose paths
    /// are the probes'), with the [default budget](DEFAULT_REQUEST_BUDGET)
    /// and without Envoy's header.
    pub fn new(endpoints: &Endpoints) -> Self {
        Self(Arc::new(Inner {
            endpoints: endpoints.clone(),
            budget: DEFAULT_REQUEST_BUDGET,
            envoy: false,
        }))
    }

    /// How long requests in flight may take to finish once the delay is
    /// over and the server stops accepting (default 10 s); then the
    /// server closes what is left. The pod's
    /// `terminationGracePeriodSeconds` must cover the drain delay plus
    /// this: [`Endpoints::kubernetes_probes`] computes it.
    #[must_use]
    pub fn with_request_budget(self, budget: Duration) -> Self {
        self.with(|inner| inner.budget = budget)
    }

    /// Adds `x-envoy-immediate-health-check-fail` to every response once
    /// the drain has begun, probes' included: Envoy then takes the host
    /// out of its pool at once, without waiting for its health checks.
    #[must_use]
    pub fn with_envoy_header(self) -> Self {
        self.with(|inner| inner.envoy = true)
    }

    fn with(self, change: impl FnOnce(&mut Inner)) -> Self {
        let mut inner = Arc::unwrap_or_clone(self.0);
        change(&mut inner);
        Self(Arc::new(inner))
    }

    /// The request budget.
    pub fn request_budget(&self) -> Duration {
        self.0.budget
    }

    /// The registry whose lifecycle this drain follows.
    pub fn registry(&self) -> &Registry {
        self.0.endpoints.registry()
    }

    /// The header a response carries for `decision`, if any:
    /// [`ENVOY_IMMEDIATE_HEALTH_CHECK_FAIL`] once the drain has begun, with
    /// [`with_envoy_header`](Self::with_envoy_header). The adapter adds it
    /// as it is (the [`refusal`](Self::refusal) has it already).
    pub fn header(&self, decision: DrainDecision) -> Option<(&'static str, &'static str)> {
        (self.0.envoy && decision != DrainDecision::Serve)
            .then_some((ENVOY_IMMEDIATE_HEALTH_CHECK_FAIL, "true"))
    }

    /// What to do with a request for `path` (the request target's path)
    /// from `user_agent` on an `http` connection. Counts the request for
    /// the drain audit unless it is a probe. One atomic load while
    /// serving.
    ///
    /// An HTTP/2 request is always served: the server moves its client
    /// with GOAWAY, and a stream opened before the GOAWAY arrived is
    /// owed an answer; refusing it would fail a request the client cannot
    /// send elsewhere on that connection.
    pub fn decide(&self, path: &str, user_agent: Option<&[u8]>, http: Http) -> DrainDecision {
        let registry = self.registry();
        if registry.drain_phase() == DrainPhase::Serving {
            return DrainDecision::Serve;
        }
        if self.is_probe(path, user_agent) {
            return DrainDecision::Draining { close: false };
        }
        match (registry.count_request(), http) {
            (_, Http::Two) => DrainDecision::Draining { close: false },
            (DrainPhase::AfterDelay, Http::One) => DrainDecision::Refuse,
            (_, Http::One) => DrainDecision::Draining { close: true },
        }
    }

    /// A request to the endpoints' paths, or from a prober.
    fn is_probe(&self, path: &str, user_agent: Option<&[u8]>) -> bool {
        self.0.endpoints.is_probe(path)
            || user_agent.is_some_and(|agent| {
                PROBE_USER_AGENTS
                    .iter()
                    .any(|prefix| agent.starts_with(prefix.as_bytes()))
            })
    }

    /// The answer to a request [refused](DrainDecision::Refuse) after the
    /// delay: 503 with `Retry-After: 1` (a retry goes through the
    /// balancer, to another replica) and a JSON error. The adapter adds
    /// `Connection: close` on HTTP/1.1.
    pub fn refusal(&self) -> Response {
        let response = Response::error(503, "draining: this instance is shutting down, retry")
            .with_retry_after(Some(Duration::from_secs(1)));
        match self.header(DrainDecision::Refuse) {
            Some((name, value)) => response.with_header(name, value),
            None => response,
        }
    }
}

impl std::fmt::Debug for Drain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Drain")
            .field("request_budget", &self.0.budget)
            .field("envoy_header", &self.0.envoy)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn after_the_delay_http1_is_refused_and_http2_served() {
        let registry = Registry::builder()
            .without_declared()
            .drain_delay(Duration::ZERO)
            .build()
            .expect("registry");
        let drain = Drain::new(&Endpoints::new(registry.clone()).expect("endpoints"));
        registry.begin_drain();
        assert_eq!(
            drain.decide("/orders", None, Http::One),
            DrainDecision::Refuse
        );
        assert_eq!(
            drain.decide("/orders", None, Http::Two),
            DrainDecision::Draining { close: false }
        );
        assert_eq!(
            drain.decide("/health", None, Http::One),
            DrainDecision::Draining { close: false }
        );
        let report = registry.drain_report().expect("draining");
        assert_eq!((report.during_delay, report.after_delay), (0, 2));
        let refusal = drain.refusal();
        assert_eq!(
            (refusal.status(), refusal.header("retry-after")),
            (503, Some("1"))
        );
    }
}
