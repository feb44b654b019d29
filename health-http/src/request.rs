//! What the contract needs of a request.

/// The request method, as far as the contract cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// HEAD: the GET answer's status and headers, without a body.
    Head,
    /// Anything else: 405.
    Other,
}

impl Method {
    /// From the method's name.
    pub fn from_name(name: &str) -> Self {
        match name {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            _ => Method::Other,
        }
    }
}

/// What the contract needs of an HTTP request; adapters fill it from their
/// framework's request.
///
/// ```
/// use health_http::{Method, Request};
/// let request = Request::new(Method::Get, "/ready")
///     .query(Some("verbose&format=ietf"))
///     .authorization(Some("Bearer s3cret"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub(crate) method: Method,
    pub(crate) path: &'a str,
    pub(crate) query: Option<&'a str>,
    pub(crate) authorization: Option<&'a str>,
    pub(crate) accept: Option<&'a str>,
}

impl<'a> Request<'a> {
    /// A request for `path`, as it appears in the request line (still
    /// percent-encoded, without the query).
    pub fn new(method: Method, path: &'a str) -> Self {
        Self {
            method,
            path,
            query: None,
            authorization: None,
            accept: None,
        }
    }

    /// The raw query string, without `?`.
    pub fn query(mut self, query: Option<&'a str>) -> Self {
        self.query = query;
        self
    }

    /// The `Authorization` header's value.
    pub fn authorization(mut self, value: Option<&'a str>) -> Self {
        self.authorization = value;
        self
    }

    /// The `Accept` header's value.
    pub fn accept(mut self, value: Option<&'a str>) -> Self {
        self.accept = value;
        self
    }
}
