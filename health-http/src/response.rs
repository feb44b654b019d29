//! The contract's answer, and the status code of a health status.

use bytes::Bytes;
use std::borrow::Cow;

/// The contract's answer: adapters copy it into their framework's response
/// as it is. Every answer has a `content-type` (a static string) and
/// `cache-control: no-store`; a few have more headers (`retry-after`,
/// `allow`, ...).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use health_http::{Endpoint, Endpoints, Method, Request};
/// let endpoints = Endpoints::new(health_core::Registry::builder().without_declared().build()?)?;
/// let response = endpoints.handle(Endpoint::Liveness, &Request::new(Method::Get, "/health")).await;
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

/// The `content-type` of an answer: one of a few, each a constant string.
///
/// ```
/// use health_http::ContentType;
/// assert_eq!(ContentType::HealthJson.as_str(), health_http::IETF_CONTENT_TYPE);
/// assert_eq!(ContentType::Text.as_str(), "text/plain; charset=utf-8");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ContentType {
    /// `application/json`: the native bodies, errors, `/version`, the
    /// status page's data.
    Json,
    /// `application/health+json`: the IETF draft's format.
    HealthJson,
    /// `text/plain; charset=utf-8`.
    Text,
    /// `text/html; charset=utf-8`: the status page.
    Html,
    /// `image/svg+xml`: the badge.
    Svg,
}

impl ContentType {
    /// The header value.
    pub const fn as_str(self) -> &'static str {
        match self {
            ContentType::Json => "application/json",
            ContentType::HealthJson => crate::negotiate::IETF_CONTENT_TYPE,
            ContentType::Text => "text/plain; charset=utf-8",
            ContentType::Html => "text/html; charset=utf-8",
            ContentType::Svg => "image/svg+xml",
        }
    }
}

impl std::fmt::Display for ContentType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
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

    /// A JSON error: `{"error":"..."}`.
    pub(crate) fn error(status: u16, message: &str) -> Self {
        let body = serde_json::to_vec(&serde_json::json!({ "error": message })).unwrap_or_default();
        Self::new(status, ContentType::Json, Bytes::from(body))
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

/// The HTTP status code of a probe answer with this status: 200 when
/// serving (UP, DEGRADED), 503 otherwise.
///
/// ```
/// use health_core::Status;
/// assert_eq!(health_http::status_code(Status::Degraded), 200);
/// assert_eq!(health_http::status_code(Status::OutOfService), 503);
/// ```
pub const fn status_code(status: health_core::Status) -> u16 {
    if status.is_serving() { 200 } else { 503 }
}
