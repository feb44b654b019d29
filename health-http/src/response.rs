//! The contract's [`Response`], and the answers every resource shares
//! (refusals, a probe's verdict or report, `Retry-After`).

use crate::balancer::{Balancer, ENVOY_DEGRADED};
use crate::body::{self, ContentType, View, Visibility};
use bytes::Bytes;
use health_core::report::Report;
use health_core::{Probe, Status, Verdict};
use std::borrow::Cow;
use std::time::Duration;

/// The contract's answer: adapters copy it into their framework's response
/// as it is. Every answer has a `content-type` (a static string) and
/// `cache-control: no-store`; a few have more headers (`retry-after`,
/// `allow`, ...).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use health_http::{Resource, Endpoints, Method, Request};
/// let endpoints = Endpoints::new(health_core::Registry::builder().without_declared().build()?)?;
/// let response = endpoints.handle(Resource::Liveness, &Request::new(Method::Get, "/health")).await;
/// let parts = response.into_parts();
/// assert_eq!((parts.status, parts.content_type.as_str()), (200, "application/json"));
/// assert!(parts.extra_headers.is_empty());
/// assert_eq!(&parts.body[..], br#"{"status":"UP"}"#);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    status: u16,
    content_type: ContentType,
    /// Beyond `content-type` and `cache-control`.
    extra: Vec<(&'static str, Cow<'static, str>)>,
    body: Bytes,
}

/// A [`Response`] taken apart, for adapters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Parts {
    /// The status code.
    pub status: u16,
    /// The `content-type`, one of a few constants: adapters can keep each
    /// as their framework's header value, made once.
    pub content_type: ContentType,
    /// The headers beyond `content-type` and `cache-control: no-store`
    /// (which every answer has): names lowercase.
    pub extra_headers: Vec<(&'static str, Cow<'static, str>)>,
    /// The body; for a HEAD request the GET body (send the headers only).
    pub body: Bytes,
}

/// The `cache-control` of every answer.
pub const CACHE_CONTROL: &str = "no-store";

impl Response {
    pub(crate) fn new(status: u16, content_type: ContentType, body: Bytes) -> Self {
        Self {
            status,
            content_type,
            extra: Vec::new(),
            body,
        }
    }

    /// A refusal: `status` with `{"error":"<message>"}`.
    pub(crate) fn error(status: u16, message: &str) -> Self {
        Self::new(
            status,
            ContentType::Json,
            Bytes::from(body::error_json(message)),
        )
    }

    /// The one answer for a path that is not ours, or a component the
    /// caller may not know of.
    pub(crate) fn not_found() -> Self {
        Self::error(404, "not found")
    }

    /// The status-only answer of `probe` with `status`, in
    /// `content_type`.
    pub(crate) fn status_only(
        content_type: ContentType,
        probe: Probe,
        status: Status,
        balancer: &Balancer,
    ) -> Self {
        let body = body::status_only(content_type, Some(probe), status);
        Self::probe(Some(probe), status, content_type, body, balancer)
    }

    /// The status-only answer of `probe`, in `content_type`.
    pub(crate) fn verdict(
        content_type: ContentType,
        probe: Probe,
        verdict: &Verdict,
        balancer: &Balancer,
    ) -> Self {
        Self::status_only(content_type, probe, verdict.status, balancer)
            .with_retry_after(verdict.retry_after)
    }

    /// The answer of `report`, as much of it as `view` shows, in
    /// `content_type`.
    pub(crate) fn report(
        report: &Report,
        content_type: ContentType,
        view: &View<'_>,
        balancer: &Balancer,
    ) -> Self {
        let status = report.status();
        let body = match (view.visibility(), content_type) {
            (Visibility::Status, _) => body::status_only(content_type, report.probe(), status),
            (_, ContentType::HealthJson) => Bytes::from(body::health_json(report, view)),
            (_, ContentType::Text) => Bytes::from(body::text(report, view)),
            (_, _) => Bytes::from(body::json(report, view)),
        };
        Self::probe(report.probe(), status, content_type, body, balancer)
            .with_retry_after(report.retry_after())
    }

    /// A probe's (or, `None`, a component's) answer with `status`: its
    /// status code, and `x-envoy-degraded` where the balancer asks it.
    fn probe(
        probe: Option<Probe>,
        status: Status,
        content_type: ContentType,
        body: Bytes,
        balancer: &Balancer,
    ) -> Self {
        let response = Self::new(balancer.code(probe, status), content_type, body);
        if balancer.marks_degraded(status) {
            response.with_header(ENVOY_DEGRADED, "true")
        } else {
            response
        }
    }

    /// With `Retry-After` in whole seconds (rounded up, at least 1), if
    /// there is a wait.
    pub(crate) fn with_retry_after(self, wait: Option<Duration>) -> Self {
        match wait {
            Some(wait) => self.with_header("retry-after", seconds(wait)),
            None => self,
        }
    }

    pub(crate) fn with_header(
        mut self,
        name: &'static str,
        value: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.extra.push((name, value.into()));
        self
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Every header, names in lowercase.
    pub fn headers(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("content-type", self.content_type.as_str()),
            ("cache-control", CACHE_CONTROL),
        ]
        .into_iter()
        .chain(self.extra.iter().map(|(n, v)| (*n, v.as_ref())))
    }

    /// The value of header `name` (lowercase), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The body. For a HEAD request, the GET body: send the headers only.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The parts, for adapters.
    pub fn into_parts(self) -> Parts {
        Parts {
            status: self.status,
            content_type: self.content_type,
            extra_headers: self.extra,
            body: self.body,
        }
    }
}

/// `Retry-After` in whole seconds, rounded up, at least 1.
fn seconds(wait: Duration) -> String {
    let secs = wait
        .as_secs()
        .saturating_add(u64::from(wait.subsec_nanos() > 0));
    secs.max(1).to_string()
}

#[cfg(test)]
mod tests {
    use super::seconds;
    use std::time::Duration;

    #[test]
    fn retry_after_rounds_up_and_never_overflows() {
        assert_eq!(seconds(Duration::from_millis(1500)), "2");
        assert_eq!(seconds(Duration::ZERO), "1");
        assert_eq!(seconds(Duration::MAX), u64::MAX.to_string());
    }
}
