use std::borrow::Cow;
use std::fmt;
use std::num::NonZeroU32;

/// Who sees more than the overall status.
///
/// An authorized caller sees each component's status; with `?verbose`, its
/// messages, durations, observed values, the version and the uptime too. An
/// unauthorized caller sees only `{"status":"UP"}` (or DOWN...), `?verbose`
/// or not.
///
/// ```
/// use health_core::http::Details;
/// let details = Details::bearer("s3cret");
/// assert!(details.authorizes(Some("Bearer s3cret")));
/// assert!(!details.authorizes(Some("Bearer wrong")));
/// assert!(!details.authorizes(None));
/// assert!(!Details::Never.authorizes(Some("Bearer s3cret")));
/// ```
#[derive(Clone, Default)]
pub enum Details {
    /// Nobody (the default): every caller sees only the overall status.
    #[default]
    Never,
    /// Everybody: for services reachable only from inside the cluster.
    Always,
    /// Callers sending `Authorization: Bearer <token>`, compared in
    /// constant time.
    Bearer(Cow<'static, str>),
}

impl Details {
    /// Details for callers presenting this bearer token.
    pub fn bearer(token: impl Into<Cow<'static, str>>) -> Self {
        Details::Bearer(token.into())
    }

    /// Whether a request with this `Authorization` header value may see
    /// details.
    pub fn authorizes(&self, authorization: Option<&str>) -> bool {
        match self {
            Details::Never => false,
            Details::Always => true,
            Details::Bearer(token) => {
                let Some(given) = authorization.and_then(bearer_token) else {
                    return false;
                };
                // An empty configured token authorizes nobody.
                !token.is_empty()
                    && bool::from(subtle::ConstantTimeEq::ct_eq(
                        given.as_bytes(),
                        token.as_bytes(),
                    ))
            }
        }
    }
}

/// The token of an `Authorization: Bearer <token>` value (the scheme is
/// case-insensitive).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim_start())
}

impl fmt::Debug for Details {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Details::Never => f.write_str("Never"),
            Details::Always => f.write_str("Always"),
            Details::Bearer(_) => f.write_str("Bearer(<redacted>)"),
        }
    }
}

/// A token-bucket limit on one endpoint: `per_second` requests on average,
/// up to `burst` at once. Past it, 429 with `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub(crate) per_second: NonZeroU32,
    pub(crate) burst: NonZeroU32,
}

impl RateLimit {
    /// `per_second` requests a second, with a burst of as many. `None` for
    /// zero.
    pub fn per_second(per_second: u32) -> Option<Self> {
        let per_second = NonZeroU32::new(per_second)?;
        Some(Self {
            per_second,
            burst: per_second,
        })
    }

    /// Sets the burst (at least 1).
    pub fn burst(mut self, burst: u32) -> Self {
        self.burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        self
    }
}

/// Where the endpoints are served and how they are limited.
///
/// ```
/// use health_core::http::{HttpConfig, RateLimit};
/// let config = HttpConfig::default()
///     .prefix("/ops")
///     .readiness("/readyz")
///     .version(None)
///     .rate_limit(RateLimit::per_second(50));
/// assert_eq!(config.readiness_path(), "/ops/readyz");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpConfig {
    pub(crate) prefix: String,
    pub(crate) liveness: String,
    pub(crate) readiness: String,
    pub(crate) startup: String,
    pub(crate) component: Option<String>,
    pub(crate) version: Option<String>,
    pub(crate) rate_limit: Option<RateLimit>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            prefix: String::new(),
            liveness: "/health".into(),
            readiness: "/ready".into(),
            startup: "/startup".into(),
            component: Some("/health".into()),
            version: Some("/version".into()),
            rate_limit: None,
        }
    }
}

impl HttpConfig {
    /// A prefix for every path (`"/ops"`). Default: none.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = normalize(prefix.into());
        self
    }

    /// The liveness path (default `/health`).
    pub fn liveness(mut self, path: impl Into<String>) -> Self {
        self.liveness = normalize(path.into());
        self
    }

    /// The readiness path (default `/ready`).
    pub fn readiness(mut self, path: impl Into<String>) -> Self {
        self.readiness = normalize(path.into());
        self
    }

    /// The startup path (default `/startup`).
    pub fn startup(mut self, path: impl Into<String>) -> Self {
        self.startup = normalize(path.into());
        self
    }

    /// The base of per-component paths, `{base}/{name}` (default
    /// `/health`); `None` serves no component endpoint.
    pub fn component(mut self, base: Option<&str>) -> Self {
        self.component = base.map(|b| normalize(b.into()));
        self
    }

    /// The version path (default `/version`); `None` serves none.
    pub fn version(mut self, path: Option<&str>) -> Self {
        self.version = path.map(|p| normalize(p.into()));
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

    /// The full liveness path.
    pub fn liveness_path(&self) -> String {
        join(&self.prefix, &self.liveness)
    }

    /// The full readiness path.
    pub fn readiness_path(&self) -> String {
        join(&self.prefix, &self.readiness)
    }

    /// The full startup path.
    pub fn startup_path(&self) -> String {
        join(&self.prefix, &self.startup)
    }

    /// The full component path pattern, `{base}/{name}`, if served.
    pub fn component_path(&self) -> Option<String> {
        self.component
            .as_ref()
            .map(|base| format!("{}{}/{{name}}", self.prefix, base))
    }

    /// The full version path, if served.
    pub fn version_path(&self) -> Option<String> {
        self.version.as_ref().map(|v| join(&self.prefix, v))
    }
}

impl HttpConfig {
    /// Paths that two endpoints would share: routers disagree on who wins,
    /// so it is a build error.
    pub(crate) fn validate(&self) -> Vec<String> {
        let mut fixed = vec![
            ("liveness", self.liveness_path()),
            ("readiness", self.readiness_path()),
            ("startup", self.startup_path()),
        ];
        fixed.extend(self.version_path().map(|p| ("version", p)));
        let mut problems = Vec::new();
        for (i, (a, path)) in fixed.iter().enumerate() {
            for (b, other) in &fixed[i + 1..] {
                if path == other {
                    problems.push(format!("the {a} and {b} endpoints are both at `{path}`"));
                }
            }
            let component = self.component_path();
            let base = component.as_deref().and_then(|c| c.strip_suffix("{name}"));
            if let Some(name) = base.and_then(|base| path.strip_prefix(base))
                && !name.is_empty()
                && !name.contains('/')
            {
                problems.push(format!(
                    "the {a} endpoint `{path}` is also the path of a component named `{name}`"
                ));
            }
        }
        problems
    }
}

/// `"ops/"` → `"/ops"`; `"/"` → `""` for a prefix's sake.
fn normalize(path: String) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("/{trimmed}")
    }
}

fn join(prefix: &str, path: &str) -> String {
    let joined = format!("{prefix}{path}");
    if joined.is_empty() {
        "/".into()
    } else {
        joined
    }
}
