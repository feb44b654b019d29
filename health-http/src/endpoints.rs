//! [`Endpoints`]: a registry served over HTTP, with its paths, disclosure
//! and rate limits, validated once when built.

use crate::disclosure::Disclosure;
use crate::limit::{Bucket, RateLimit};
use crate::paths::Paths;
use crate::route::{self, Endpoint, Route};
use health_core::{Probe, Registry};
use std::fmt;
use std::sync::Arc;

/// A [`Registry`] served over HTTP: what every adapter takes. Cheap to
/// clone. [`From<Registry>`] gives the defaults (the paths of [`Paths`],
/// [`Disclosure::never`], no rate limit).
///
/// ```
/// use health_http::{Disclosure, Endpoint, Endpoints, Paths};
/// let registry = health_core::Registry::builder().without_declared().build()?;
/// let endpoints = Endpoints::builder(registry)
///     .paths(Paths::default().prefix("/ops"))
///     .disclosure(Disclosure::bearer("a-long-enough-secret-token"))
///     .build()?;
/// assert_eq!(endpoints.route("/ops/ready"), Some(Endpoint::Readiness));
/// assert_eq!(endpoints.route("/ops/health/db"), Some(Endpoint::Component));
/// assert_eq!(endpoints.route("/ops/health/db/x"), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Endpoints(pub(crate) Arc<Inner>);

pub(crate) struct Inner {
    pub(crate) registry: Registry,
    pub(crate) disclosure: Disclosure,
    pub(crate) routes: Vec<Route>,
    /// One bucket per endpoint, by [`Endpoint::index`].
    pub(crate) buckets: Vec<Option<Bucket>>,
    /// No liveness check: the anonymous liveness answer needs no run.
    pub(crate) static_liveness: bool,
}

impl Endpoints {
    /// Starts an [`EndpointsBuilder`] for `registry`.
    pub fn builder(registry: Registry) -> EndpointsBuilder {
        EndpointsBuilder {
            registry,
            paths: Paths::default(),
            disclosure: Disclosure::default(),
            rate_limit: None,
        }
    }

    /// The routes to register with a router.
    pub fn routes(&self) -> &[Route] {
        &self.0.routes
    }

    /// The endpoint serving `path`, for adapters without a router of their
    /// own.
    pub fn route(&self, path: &str) -> Option<Endpoint> {
        self.0
            .routes
            .iter()
            .find(|r| r.serves(path))
            .map(|r| r.endpoint)
    }

    /// The registry served.
    pub fn registry(&self) -> &Registry {
        &self.0.registry
    }
}

impl From<Registry> for Endpoints {
    /// The defaults, which never clash.
    fn from(registry: Registry) -> Self {
        let builder = Endpoints::builder(registry);
        builder.assemble()
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

/// Builds [`Endpoints`]: paths, disclosure, rate limits.
#[must_use = "call .build() to get Endpoints"]
pub struct EndpointsBuilder {
    registry: Registry,
    paths: Paths,
    disclosure: Disclosure,
    rate_limit: Option<RateLimit>,
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

    /// A rate limit applied to each endpoint separately, shared by all
    /// callers, except liveness: a flood of requests must not fail the
    /// orchestrator's liveness probe and restart a healthy process.
    /// Default: none.
    pub fn rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.rate_limit = limit;
        self
    }

    /// Validates and builds. The error lists every problem.
    pub fn build(self) -> Result<Endpoints, ConfigError> {
        let problems: Vec<ConfigProblem> = self
            .paths
            .clashes()
            .into_iter()
            .map(ConfigProblem::PathClash)
            .collect();
        if !problems.is_empty() {
            return Err(ConfigError { problems });
        }
        Ok(self.assemble())
    }

    fn assemble(self) -> Endpoints {
        let Self {
            registry,
            paths,
            disclosure,
            rate_limit,
        } = self;
        // Liveness is never limited: a flood of anonymous requests must not
        // make the kubelet's probe fail and restart a healthy process.
        let buckets = Endpoint::ALL
            .iter()
            .map(|e| {
                rate_limit
                    .filter(|_| *e != Endpoint::Liveness)
                    .map(Bucket::new)
            })
            .collect();
        let static_liveness = !registry.has_checks(Probe::Liveness);
        Endpoints(Arc::new(Inner {
            routes: route::routes(&paths),
            registry,
            disclosure,
            buckets,
            static_liveness,
        }))
    }
}

/// Why [`EndpointsBuilder::build`] refused: every problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    problems: Vec<ConfigProblem>,
}

impl ConfigError {
    /// Every problem found.
    pub fn problems(&self) -> &[ConfigProblem] {
        &self.problems
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "cannot build the health endpoints: {n} problem{}",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// One problem found by [`EndpointsBuilder::build`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigProblem {
    /// Two endpoints share a path, or a fixed path is also a component's
    /// (`/health/version` beside `/health/{name}`).
    PathClash(String),
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigProblem::PathClash(clash) => write!(f, "paths: {clash}"),
        }
    }
}

impl std::error::Error for ConfigProblem {}
