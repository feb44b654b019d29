//! The HTTP contract, once for every adapter.
//!
//! Every HTTP decision lives here: paths, methods, status codes, headers,
//! bodies, query parameters, authorization of details, rate limits. An
//! adapter registers [`routes`], turns its framework's request into a
//! [`Request`], calls [`handle`], and copies the [`Response`] back.
//!
//! | endpoint (default path) | 200 | 503 |
//! |---|---|---|
//! | `/health`: liveness checks | UP, DEGRADED | DOWN |
//! | `/ready`: readiness checks and lifecycle | UP, DEGRADED | DOWN, UNKNOWN, OUT_OF_SERVICE (with `Retry-After`) |
//! | `/startup`: startup checks, latched | UP, DEGRADED | DOWN, UNKNOWN |
//! | `/health/{name}`: one component, 404 if unknown | UP, DEGRADED | DOWN, UNKNOWN |
//! | `/version`: version, commit, uptime | always | |
//!
//! Under [`Details::Never`] an anonymous caller sees only overall statuses,
//! but `/health/{name}` (one component's status) and `?exclude` / `?tag`
//! (which change the aggregate) still let it tell components apart: turn
//! the component endpoint off with `HttpConfig::component(None)` where
//! check names are sensitive. `/version` is public: it is the answer to
//! "what is deployed", and can be turned off with `HttpConfig::version(None)`.
//!
//! GET and HEAD; other methods 405 with `Allow`. Query: `verbose`,
//! `exclude=a,b`, `tag=x`, `format=json|ietf|text` (or
//! `Accept: application/health+json`); anything else is a 400 with a JSON
//! error. 429 with `Retry-After` past the optional rate limit.
//!
//! ```
//! use health_core::http::{self, Endpoint, Method, Request};
//! use health_core::{Check, Registry};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), health_core::BuildError> {
//! let registry = Registry::builder()
//!     .without_declared()
//!     .check(Check::new("db", || async { false }))
//!     .build()?;
//! let response = http::handle(&registry, Endpoint::Readiness, &Request::new(Method::Get, "/ready")).await;
//! assert_eq!(response.status(), 503);
//! assert_eq!(&response.body()[..], br#"{"status":"DOWN"}"#);
//! assert_eq!(response.header("cache-control"), Some("no-store"));
//! # Ok(()) }
//! ```

mod config;
mod limit;
mod query;
mod request;
mod response;

pub use config::{Details, HttpConfig, RateLimit};
pub use request::{Method, Request};
pub use response::Response;

use crate::check::Probe;
use crate::model::Status;
use crate::registry::{Registry, Selection};
use crate::report::{IETF_CONTENT_TYPE, Render, Report, Visibility};
use bytes::Bytes;
use limit::Limiter;
use query::Format;
use response::{JSON, TEXT};
use std::time::Duration;

/// The longest request path accepted, in bytes: longer ones get 414.
pub const MAX_PATH: usize = 1024;

/// One of the contract's endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// Liveness checks.
    Liveness,
    /// Readiness checks and the lifecycle.
    Readiness,
    /// Startup checks, latched.
    Startup,
    /// One component by name: the path's last segment.
    Component,
    /// Version, commit, uptime.
    Version,
}

impl Endpoint {
    const ALL: [Endpoint; 5] = [
        Endpoint::Liveness,
        Endpoint::Readiness,
        Endpoint::Startup,
        Endpoint::Component,
        Endpoint::Version,
    ];

    fn index(self) -> usize {
        self as usize
    }
}

/// A path to register with a router, and the endpoint it serves. Paths use
/// `{name}` for the component segment, as axum and actix-web both do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The path pattern.
    pub path: String,
    /// The endpoint.
    pub endpoint: Endpoint,
}

/// The HTTP side of a registry, built with it.
pub(crate) struct HttpState {
    config: HttpConfig,
    details: Details,
    commit: Option<String>,
    limiters: Vec<Option<Limiter>>,
    /// No liveness check: the anonymous liveness answer needs no run.
    static_liveness: bool,
}

impl HttpState {
    pub(crate) fn new(
        config: HttpConfig,
        details: Details,
        commit: Option<String>,
        has_liveness: bool,
    ) -> Self {
        // Liveness is never limited: a flood of anonymous requests must not
        // make the kubelet's probe fail and restart a healthy process.
        let limiters = Endpoint::ALL
            .iter()
            .map(|e| {
                config
                    .rate_limit
                    .filter(|_| *e != Endpoint::Liveness)
                    .map(Limiter::new)
            })
            .collect();
        Self {
            config,
            details,
            commit,
            limiters,
            static_liveness: !has_liveness,
        }
    }
}

/// The routes to register, for the registry's [`HttpConfig`].
pub fn routes(registry: &Registry) -> Vec<Route> {
    let c = &registry.http().config;
    let mut routes = vec![
        Route {
            path: c.liveness_path(),
            endpoint: Endpoint::Liveness,
        },
        Route {
            path: c.readiness_path(),
            endpoint: Endpoint::Readiness,
        },
        Route {
            path: c.startup_path(),
            endpoint: Endpoint::Startup,
        },
    ];
    routes.extend(c.component_path().map(|path| Route {
        path,
        endpoint: Endpoint::Component,
    }));
    routes.extend(c.version_path().map(|path| Route {
        path,
        endpoint: Endpoint::Version,
    }));
    routes
}

/// The endpoint serving `path`, for adapters without a router of their own.
///
/// ```
/// # let registry = health_core::Registry::builder().without_declared().build().unwrap();
/// use health_core::http::{self, Endpoint};
/// assert_eq!(http::route(&registry, "/ready"), Some(Endpoint::Readiness));
/// assert_eq!(http::route(&registry, "/health/db"), Some(Endpoint::Component));
/// assert_eq!(http::route(&registry, "/health/db/x"), None);
/// ```
pub fn route(registry: &Registry, path: &str) -> Option<Endpoint> {
    routes(registry)
        .into_iter()
        .find_map(|route| match route.path.strip_suffix("{name}") {
            Some(base) => path
                .strip_prefix(base)
                .filter(|name| !name.is_empty() && !name.contains('/'))
                .map(|_| route.endpoint),
            None => (route.path == path).then_some(route.endpoint),
        })
}

/// Answers `request` for `endpoint`.
///
/// A HEAD request gets the GET answer, body included, so that its
/// `Content-Length` is the GET body's: the server sends the headers only
/// (hyper and actix-web do so by themselves; a router-less adapter must).
pub async fn handle(registry: &Registry, endpoint: Endpoint, request: &Request<'_>) -> Response {
    respond(registry, endpoint, request).await
}

async fn respond(registry: &Registry, endpoint: Endpoint, request: &Request<'_>) -> Response {
    let http = registry.http();
    if request.path.len() > MAX_PATH || request.query.is_some_and(|q| q.len() > query::MAX_QUERY) {
        return Response::error(414, "the request URI is too long");
    }
    if request.method == Method::Other {
        return Response::error(405, "only GET and HEAD are allowed")
            .with_header("allow", "GET, HEAD");
    }
    if let Some(Err(wait)) = http.limiters[endpoint.index()].as_ref().map(Limiter::check) {
        return Response::error(429, "too many requests").with_header("retry-after", seconds(wait));
    }
    let query = match query::parse(request.query) {
        Ok(query) => query,
        Err(message) => return Response::error(400, &message),
    };
    if let Err(message) = known_names(registry, &query) {
        return Response::error(400, message);
    }
    let visibility = match (
        http.details.authorizes(request.authorization),
        query.verbose,
    ) {
        (false, _) => Visibility::Status,
        (true, false) => Visibility::Components,
        (true, true) => Visibility::Full,
    };
    let format = query
        .format
        .or_else(|| accepts_ietf(request.accept).then_some(Format::Ietf))
        .unwrap_or(Format::Native);
    let render = Render {
        visibility,
        version: registry.version(),
        // Read only when shown: a clock read per request adds up.
        uptime: (visibility == Visibility::Full).then(|| registry.uptime()),
    };

    let probe = match endpoint {
        Endpoint::Liveness => Probe::Liveness,
        Endpoint::Readiness => Probe::Readiness,
        Endpoint::Startup => Probe::Startup,
        Endpoint::Version => return version(registry, http),
        Endpoint::Component => {
            let name = request
                .path
                .rsplit('/')
                .next()
                .and_then(query::decode_segment);
            let report = match name {
                Some(name) => registry.check_component(&name).await,
                None => None,
            };
            return match report {
                Some(report) => report_response(&report, format, &render),
                None => Response::error(404, "no such component"),
            };
        }
    };
    if probe == Probe::Liveness && http.static_liveness && visibility == Visibility::Status {
        return Response::new(
            200,
            format.content_type(),
            status_body(format, Some(probe), Status::Up),
        );
    }
    let mut selection = Selection::new(probe).exclude(query.exclude);
    if let Some(tag) = query.tag {
        selection = selection.tag(tag);
    }
    let (response, retry_after) = if visibility == Visibility::Status {
        // No components to show: none are built.
        let verdict = registry.verdict(&selection).await;
        let body = status_body(format, Some(probe), verdict.status);
        let response = Response::new(verdict.status.http_code(), format.content_type(), body);
        (response, verdict.retry_after)
    } else {
        let report = registry.run(&selection).await;
        (
            report_response(&report, format, &render),
            report.retry_after(),
        )
    };
    match retry_after {
        Some(wait) => response.with_header("retry-after", seconds(wait)),
        None => response,
    }
}

/// A tag no check carries, or an excluded name no check has, is a typo: a
/// probe URL selecting nothing would answer UP forever.
fn known_names(registry: &Registry, query: &query::Query) -> Result<(), &'static str> {
    if let Some(tag) = &query.tag
        && !registry.checks().any(|c| c.has_tag(tag))
    {
        return Err("no check has this `tag`");
    }
    if query
        .exclude
        .iter()
        .any(|name| !registry.checks().any(|c| c.name() == name))
    {
        return Err("`exclude` names a check that does not exist");
    }
    Ok(())
}

fn report_response(report: &Report, format: Format, render: &Render<'_>) -> Response {
    let status = report.status();
    let body = match (render.visibility, format) {
        (Visibility::Status, _) => status_body(format, report.probe(), status),
        (_, Format::Native) => Bytes::from(report.to_json(render)),
        (_, Format::Ietf) => Bytes::from(report.to_ietf_json(render)),
        (_, Format::Text) => Bytes::from(report.to_text(render)),
    };
    Response::new(status.http_code(), format.content_type(), body)
}

fn version(registry: &Registry, http: &HttpState) -> Response {
    let body = serde_json::json!({
        "version": registry.version(),
        "commit": http.commit,
        "uptime_seconds": registry.uptime().as_secs(),
        "started_at": crate::report::rfc3339(registry.started_at()),
    });
    Response::new(
        200,
        JSON,
        Bytes::from(serde_json::to_vec(&body).unwrap_or_default()),
    )
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Format::Native => JSON,
            Format::Ietf => IETF_CONTENT_TYPE,
            Format::Text => TEXT,
        }
    }
}

/// Whether `Accept` lists `application/health+json` with a quality above
/// zero.
fn accepts_ietf(accept: Option<&str>) -> bool {
    accept.is_some_and(|accept| {
        accept.split(',').any(|range| {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or_default().trim();
            media.eq_ignore_ascii_case(IETF_CONTENT_TYPE) && !parts.any(zero_quality)
        })
    })
}

/// A `q=0` parameter: "not acceptable".
fn zero_quality(param: &str) -> bool {
    let param = param.trim();
    let q = param
        .strip_prefix("q=")
        .or_else(|| param.strip_prefix("Q="));
    q.is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q == 0.0))
}

/// `Retry-After` in whole seconds, rounded up, at least 1.
fn seconds(wait: Duration) -> String {
    let secs = wait
        .as_secs()
        .saturating_add(u64::from(wait.subsec_nanos() > 0));
    secs.max(1).to_string()
}

/// The status-only bodies: constants, so an anonymous probe costs no
/// serialization.
fn status_body(format: Format, probe: Option<Probe>, status: Status) -> Bytes {
    let body: &'static str = match format {
        Format::Native => match status {
            Status::Up => r#"{"status":"UP"}"#,
            Status::Degraded => r#"{"status":"DEGRADED"}"#,
            Status::Unknown => r#"{"status":"UNKNOWN"}"#,
            Status::Down => r#"{"status":"DOWN"}"#,
            Status::OutOfService => r#"{"status":"OUT_OF_SERVICE"}"#,
        },
        Format::Ietf => match status.ietf() {
            "pass" => r#"{"status":"pass"}"#,
            "warn" => r#"{"status":"warn"}"#,
            _ => r#"{"status":"fail"}"#,
        },
        Format::Text => match (probe, status.is_serving()) {
            (Some(Probe::Liveness), true) => "liveness check passed\n",
            (Some(Probe::Liveness), false) => "liveness check failed\n",
            (Some(Probe::Readiness), true) => "readiness check passed\n",
            (Some(Probe::Readiness), false) => "readiness check failed\n",
            (Some(Probe::Startup), true) => "startup check passed\n",
            (Some(Probe::Startup), false) => "startup check failed\n",
            (None, true) => "health check passed\n",
            (None, false) => "health check failed\n",
        },
    };
    Bytes::from_static(body.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Check;

    #[test]
    fn accept_header() {
        assert!(accepts_ietf(Some("application/health+json")));
        assert!(accepts_ietf(Some(
            "text/html, Application/Health+JSON; q=0.5"
        )));
        assert!(!accepts_ietf(Some("application/health+json;q=0")));
        assert!(!accepts_ietf(Some("application/json")));
        assert!(!accepts_ietf(None));
    }

    #[test]
    fn retry_after_rounds_up_and_never_overflows() {
        assert_eq!(seconds(Duration::from_millis(1500)), "2");
        assert_eq!(seconds(Duration::ZERO), "1");
        assert_eq!(seconds(Duration::MAX), u64::MAX.to_string());
    }

    /// The constant status-only bodies are what the renderers produce.
    #[tokio::test]
    async fn status_bodies_match_the_renderings() {
        for (ok, expected) in [(true, Status::Up), (false, Status::Down)] {
            let registry = Registry::builder()
                .without_declared()
                .check(
                    Check::new("c", move || async move { ok }).probes(
                        crate::Probes::LIVENESS
                            .with(Probe::Readiness)
                            .with(Probe::Startup),
                    ),
                )
                .build()
                .unwrap();
            for probe in [Probe::Liveness, Probe::Readiness, Probe::Startup] {
                let report = registry.check(probe).await;
                assert_eq!(report.status(), expected);
                let render = Render::STATUS;
                assert_eq!(
                    status_body(Format::Native, Some(probe), expected),
                    report.to_json(&render)
                );
                assert_eq!(
                    status_body(Format::Ietf, Some(probe), expected),
                    report.to_ietf_json(&render)
                );
                assert_eq!(
                    status_body(Format::Text, Some(probe), expected),
                    report.to_text(&render)
                );
            }
        }
        for status in [Status::Degraded, Status::Unknown, Status::OutOfService] {
            let body: serde_json::Value =
                serde_json::from_slice(&status_body(Format::Native, None, status)).unwrap();
            assert_eq!(body["status"], status.as_str());
            let body: serde_json::Value =
                serde_json::from_slice(&status_body(Format::Ietf, None, status)).unwrap();
            assert_eq!(body["status"], status.ietf());
        }
    }
}
