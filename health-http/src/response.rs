//! The contract's answer, and the status code of a health status.

use bytes::Bytes;
use std::borrow::Cow;

/// The contract's answer: adapters copy it into their framework's response
/// as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(&'static str, Cow<'static, str>)>,
    pub(crate) body: Bytes,
}

pub(crate) const JSON: &str = "application/json";
pub(crate) const TEXT: &str = "text/plain; charset=utf-8";

impl Response {
    pub(crate) fn new(status: u16, content_type: &'static str, body: Bytes) -> Self {
        let headers = vec![
            ("content-type", Cow::Borrowed(content_type)),
            ("cache-control", Cow::Borrowed("no-store")),
        ];
        Self {
            status,
            headers,
            body,
        }
    }

    /// A JSON error: `{"error":"..."}`.
    pub(crate) fn error(status: u16, message: &str) -> Self {
        let body = serde_json::to_vec(&serde_json::json!({ "error": message })).unwrap_or_default();
        Self::new(status, JSON, Bytes::from(body))
    }

    pub(crate) fn with_header(
        mut self,
        name: &'static str,
        value: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The headers, names in lowercase.
    pub fn headers(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.headers.iter().map(|(n, v)| (*n, v.as_ref()))
    }

    /// The value of header `name` (lowercase), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_ref())
    }

    /// The body. For a HEAD request, the GET body: send the headers only.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The parts, for adapters: status, headers, body.
    pub fn into_parts(self) -> (u16, Vec<(&'static str, Cow<'static, str>)>, Bytes) {
        (self.status, self.headers, self.body)
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
