//! [`Endpoints`]: a registry served over HTTP, with its paths and
//! disclosure, validated once when built.

use crate::balancer::Balancer;
use crate::disclosure::{Disclosure, Rule};
use crate::error::{self, BuildError, Problem};
use crate::hosts::{AllowedHosts, HostRule};
use crate::paths::Paths;
use crate::query::{DEFAULT_PROBE_TIMEOUT, MAX_PROBE_TIMEOUT};
use crate::route::{self, Resource, Route};
use crate::ui;
use health_core::{Probe, Registry, Status};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// A [`Registry`] served over HTTP: what every adapter takes. Cheap to
/// clone. [`Endpoints::new`] gives the defaults (the paths of [`Paths`],
/// [`Disclosure::never`]).
///
/// ```
/// use health_http::{Disclosure, Resource, Endpoints, Paths};
/// let registry = health_core::Registry::builder().without_declared().build()?;
/// let endpoints = Endpoints::builder(registry)
///     .paths(Paths::default().prefix("/ops"))
///     .disclosure(Disclosure::bearer("4f9c2e7d1a8b3c6e5f0a"))
///     .build()?;
/// assert_eq!(endpoints.route("/ops/ready"), Some(Resource::Readiness));
/// assert_eq!(endpoints.route("/ops/health/db"), Some(Resource::Component));
/// assert_eq!(endpoints.route("/ops/health/db/x"), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Endpoints(pub(crate) Arc<Inner>);

pub(crate) struct Inner {
    pub(crate) registry: Registry,
    pub(crate) disclosure: Rule,
    /// Which hosts the status page and its data answer.
    pub(crate) hosts: HostRule,
    pub(crate) routes: Vec<Route>,
    /// What the status page needs to know of the paths.
    pub(crate) ui: ui::Settings,
    /// How long a prober waits for an answer, unless it says (`?timeout=`).
    pub(crate) probe_timeout: Duration,
    /// The status codes of probe answers, and `x-envoy-degraded`.
    pub(crate) balancer: Balancer,
}

impl Endpoints {
    /// Starts an [`EndpointsBuilder`] for `registry`.
    pub fn builder(registry: Registry) -> EndpointsBuilder {
        EndpointsBuilder {
            registry,
            paths: Paths::default(),
            disclosure: Disclosure::default(),
            hosts: AllowedHosts::default(),
            probe_timeout: DEFAULT_PROBE_TIMEOUT,
            status_codes: Vec::new(),
            envoy_degraded: false,
        }
    }

    /// The routes to register with a router.
    pub fn routes(&self) -> &[Route] {
        &self.0.routes
    }

    /// The resource serving `path`, for adapters without a router of their
    /// own.
    pub fn route(&self, path: &str) -> Option<Resource> {
        self.0
            .routes
            .iter()
            .find(|r| r.is(path))
            .map(|r| r.resource)
    }

    /// Whether a request for `path` (the path the server sees, any prefix
    /// included; no query) is one of these endpoints': a probe, for the
    /// application's own tracing and metrics to leave out. One rule with
    /// [`route`](Self::route) and the [`Drain`](crate::Drain), byte for
    /// byte.
    ///
    /// Leaving a probe out loses nothing: the contract leaves every
    /// failing answer (any status outside 2xx) in the traces itself, as a
    /// `health_request` span, wherever it is served; a healthy answer
    /// leaves none. The request's own span would add nothing but one span
    /// per probe. With tower-http's `TraceLayer`: `make_span_with(move
    /// |request: &http::Request<_>| if endpoints.is_probe(request.uri().path())
    /// { Span::none() } else { /* the application's span */ })`; with
    /// tracing-actix-web, the same in a `RootSpanBuilder` (the README's
    /// "Probes out of the traces").
    ///
    /// ```
    /// let registry = health_core::Registry::builder().without_declared().build()?;
    /// let endpoints = health_http::Endpoints::new(registry)?;
    /// assert!(endpoints.is_probe("/ready"));
    /// assert!(endpoints.is_probe("/health/db"));
    /// assert!(!endpoints.is_probe("/orders"));
    /// assert!(!endpoints.is_probe("/ready/")); // byte for byte: the contract's 404
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_probe(&self, path: &str) -> bool {
        self.0.routes.iter().any(|r| r.is(path))
    }

    /// The registry served.
    pub fn registry(&self) -> &Registry {
        &self.0.registry
    }
}

impl Endpoints {
    /// The defaults for `registry`: the paths of [`Paths::default`],
    /// [`Disclosure::never`]; [`Endpoints::builder`]`(registry).build()`.
    ///
    /// It refuses, as every builder does, a registry holding a check whose
    /// component path is a fixed one (a check named `ui` or `badge.svg`:
    /// `/health/ui` is the status page's): a [`Problem::PathClash`] naming
    /// the check. Rename the check, or move or turn off the page with
    /// [`Paths`].
    ///
    /// ```
    /// use health_core::{Check, Registry};
    /// use health_http::{Resource, Endpoints, Paths, Problem};
    /// let registry = Registry::builder()
    ///     .without_declared()
    ///     .check(Check::new("ui", || async {}))
    ///     .build()?;
    /// let error = Endpoints::new(registry.clone()).unwrap_err();
    /// assert!(matches!(error.problems(), [Problem::PathClash(_)]));
    /// let endpoints = Endpoints::builder(registry).paths(Paths::default().ui(None)).build()?;
    /// assert_eq!(endpoints.route("/health/ui"), Some(Resource::Component));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(registry: Registry) -> Result<Self, BuildError> {
        Self::builder(registry).build()
    }
}

impl fmt::Debug for Endpoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoints")
            .field("routes", &self.0.routes)
            .field("disclosure", &self.0.disclosure)
            .finish_non_exhaustive()
    }
}

/// Builds [`Endpoints`]: paths, disclosure, the status page's allowed
/// hosts, the probe timeout, and what balancers read besides the spec
/// (status codes per probe, `x-envoy-degraded`).
#[must_use = "call .build() to get Endpoints"]
pub struct EndpointsBuilder {
    registry: Registry,
    paths: Paths,
    disclosure: Disclosure,
    hosts: AllowedHosts,
    probe_timeout: Duration,
    status_codes: Vec<(Probe, Status, u16)>,
    envoy_degraded: bool,
}

impl EndpointsBuilder {
    /// Where the endpoints are served (default [`Paths::default`]).
    pub fn paths(mut self, paths: Paths) -> Self {
        self.paths = paths;
        self
    }

    /// Who sees components and messages (default
    /// [`Disclosure::never`]: the overall status only).
    pub fn disclosure(mut self, disclosure: Disclosure) -> Self {
        self.disclosure = disclosure;
        self
    }

    /// Which `Host` the status page and its data answer (default
    /// [`AllowedHosts::default`]: loopback names and addresses when a
    /// network rule grants details, any host otherwise): the guard against
    /// DNS rebinding.
    pub fn allowed_hosts(mut self, hosts: AllowedHosts) -> Self {
        self.hosts = hosts;
        self
    }

    /// How long probers wait for an answer (default
    /// [`DEFAULT_PROBE_TIMEOUT`], the kubelet's 1 s): every probe and
    /// component answer comes before it. Checks still running then answer
    /// their latest result, marked `"stale"` with its age in the verbose
    /// body (UNKNOWN before their first), and go on running, single flight,
    /// so the next probe has them. A caller may say its own with
    /// `?timeout=500ms` (up to [`MAX_PROBE_TIMEOUT`]). The answer is due a
    /// margin before the timeout (a tenth of it, at most 100 ms), for the
    /// bytes to reach the caller. Zero or above [`MAX_PROBE_TIMEOUT`] is a
    /// [`Problem::ProbeTimeout`].
    ///
    /// ```
    /// use health_http::Endpoints;
    /// use std::time::Duration;
    /// let registry = health_core::Registry::builder().without_declared().build()?;
    /// // The manifest says `timeoutSeconds: 2`.
    /// let endpoints = Endpoints::builder(registry).probe_timeout(Duration::from_secs(2)).build()?;
    /// # drop(endpoints);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn probe_timeout(mut self, timeout: Duration) -> Self {
        self.probe_timeout = timeout;
        self
    }

    /// The status code of `probe`'s answers with `status`, in place of
    /// [`status_code`](crate::status_code)'s (200 for UP and DEGRADED, 503
    /// for the others), for balancers that read codes their own way:
    /// Consul takes 429 as a warning, so `.status_code(Probe::Readiness,
    /// Status::Degraded, 429)` turns a DEGRADED service yellow in Consul
    /// instead of green. Give one call per probe and status to change; the
    /// last for a pair wins. It applies to every format of that probe's
    /// answers, HEAD included; `/health/{name}` keeps the defaults.
    ///
    /// A code no prober reads as the status means is a
    /// [`Problem::StatusCode`]: only 2xx (but 204 and 205, which forbid a
    /// body), 4xx and 5xx; a 2xx for UP; a 4xx or 5xx for UNKNOWN, DOWN
    /// and OUT_OF_SERVICE; DEGRADED either.
    ///
    /// Every prober reads the code, not just the one it was chosen for:
    /// the kubelet takes 200 to 399 as success and anything else as
    /// failure, so with DEGRADED readiness at 429 a DEGRADED pod leaves
    /// its Service's endpoints. Point each prober at the probe meant for
    /// it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use health_core::{Check, Outcome, Probe, Registry, Status};
    /// use health_http::{Endpoints, Method, Problem, Request, Resource};
    /// let registry = Registry::builder()
    ///     .without_declared()
    ///     .check(Check::new("search", || async { Outcome::degraded("slow") }))
    ///     .build()?;
    /// let endpoints = Endpoints::builder(registry.clone())
    ///     .status_code(Probe::Readiness, Status::Degraded, 429)
    ///     .build()?;
    /// let ready = endpoints.handle(Resource::Readiness, &Request::new(Method::Get, "/ready")).await;
    /// assert_eq!((ready.status(), &ready.body()[..]), (429, &br#"{"status":"DEGRADED"}"#[..]));
    ///
    /// // A DOWN service answering 200 would keep getting traffic.
    /// let error = Endpoints::builder(registry)
    ///     .status_code(Probe::Readiness, Status::Down, 200)
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(
    ///     error.problems(),
    ///     [Problem::StatusCode { probe: Probe::Readiness, status: Status::Down, code: 200 }]
    /// );
    /// # Ok(()) }
    /// ```
    pub fn status_code(mut self, probe: Probe, status: Status, code: u16) -> Self {
        self.status_codes.push((probe, status, code));
        self
    }

    /// Whether DEGRADED answers carry `x-envoy-degraded: true` (default
    /// `false`): Envoy's active HTTP health checker marks a host that
    /// answers it degraded, and sends it traffic only when the healthy
    /// hosts no longer suffice. On every probe's and `/health/{name}`'s
    /// DEGRADED answers, whatever their status code and format, HEAD
    /// included; the header says no more than the body's status, which
    /// every caller sees. (Envoy's other header,
    /// `x-envoy-immediate-health-check-fail`, is the drain's:
    /// [`Drain::with_envoy_header`](crate::Drain::with_envoy_header).)
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use health_core::{Check, Outcome, Registry};
    /// use health_http::{Endpoints, Method, Request, Resource};
    /// let registry = Registry::builder()
    ///     .without_declared()
    ///     .check(Check::new("search", || async { Outcome::degraded("slow") }))
    ///     .build()?;
    /// let endpoints = Endpoints::builder(registry).envoy_degraded_header(true).build()?;
    /// let ready = endpoints.handle(Resource::Readiness, &Request::new(Method::Get, "/ready")).await;
    /// assert_eq!(ready.status(), 200);
    /// assert_eq!(ready.header("x-envoy-degraded"), Some("true"));
    /// # Ok(()) }
    /// ```
    pub fn envoy_degraded_header(mut self, on: bool) -> Self {
        self.envoy_degraded = on;
        self
    }

    /// Validates and builds. The error lists every problem.
    pub fn build(self) -> Result<Endpoints, BuildError> {
        let Self {
            registry,
            paths,
            disclosure,
            hosts,
            probe_timeout,
            status_codes,
            envoy_degraded,
        } = self;
        let mut problems: Vec<Problem> = paths
            .clashes()
            .into_iter()
            .chain(paths.shadowed(registry.checks().iter().map(|c| c.name())))
            .map(Problem::PathClash)
            .collect();
        if probe_timeout.is_zero() || probe_timeout > MAX_PROBE_TIMEOUT {
            problems.push(Problem::ProbeTimeout {
                given: probe_timeout,
                max: MAX_PROBE_TIMEOUT,
            });
        }
        let hosts = hosts
            .compile(disclosure.has_networks())
            .map_err(|p| problems.extend(p));
        let disclosure = disclosure.compile().map_err(|p| problems.extend(p));
        let balancer = Balancer::new(&status_codes, envoy_degraded).map_err(|p| problems.extend(p));
        let (Ok(disclosure), Ok(hosts), Ok(balancer)) = (disclosure, hosts, balancer) else {
            return Err(BuildError::new(error::SUBJECT, problems));
        };
        if !problems.is_empty() {
            return Err(BuildError::new(error::SUBJECT, problems));
        }
        // Checks added at run time may not take these names either; a
        // check added since the names were looked at above is a clash too.
        let reserved = paths.reserved();
        let names = reserved.iter().map(|(name, _)| name.clone());
        if let Err(taken) = registry.reserve_names(RESERVED_BY, names) {
            let problems = reserved
                .into_iter()
                .filter(|(name, _)| taken.contains(name))
                .map(|(_, message)| Problem::PathClash(message))
                .collect();
            return Err(BuildError::new(error::SUBJECT, problems));
        }
        registry.warn_of_slow_checks(probe_timeout);
        Ok(Endpoints(Arc::new(Inner {
            routes: route::routes(&paths),
            ui: ui::Settings::new(&paths),
            registry,
            disclosure,
            hosts,
            probe_timeout,
            balancer,
        })))
    }
}

/// Who reserves the names of the status page family's paths in the
/// registry, as a check added at run time is told.
const RESERVED_BY: &str =
    "the HTTP endpoints: a page of the status page family is at this name's component path";
