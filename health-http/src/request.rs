//! What the contract needs of a request.

use std::net::IpAddr;

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

/// A request's headers, as the contract reads them: by lowercase name, the
/// value if it is present, single and UTF-8. Adapters implement it over
/// their framework's header map, so the contract reads only the headers
/// an answer needs.
pub trait Headers {
    /// The value of header `name` (lowercase).
    fn get(&self, name: &str) -> Option<&str>;
}

/// No headers.
impl Headers for () {
    fn get(&self, _: &str) -> Option<&str> {
        None
    }
}

/// Name-value pairs, names lowercase: for tests and router-less adapters.
impl<const N: usize> Headers for [(&str, &str); N] {
    fn get(&self, name: &str) -> Option<&str> {
        find(self, name)
    }
}

/// Name-value pairs, names lowercase.
impl Headers for Vec<(&str, &str)> {
    fn get(&self, name: &str) -> Option<&str> {
        find(self, name)
    }
}

fn find<'a>(pairs: &'a [(&str, &str)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// What the contract needs of an HTTP request; adapters fill it from their
/// framework's request.
///
/// ```
/// use health_http::{Method, Request};
/// let headers = [("authorization", "Bearer 4f9c2e7d1a8b3c6e5f0a")];
/// let request = Request::new(Method::Get, "/ready")
///     .query(Some("verbose&format=ietf"))
///     .headers(&headers)
///     .peer(Some([127, 0, 0, 1].into()));
/// ```
#[derive(Clone, Copy)]
pub struct Request<'a> {
    pub(crate) method: Method,
    pub(crate) path: &'a str,
    pub(crate) query: Option<&'a str>,
    pub(crate) headers: &'a (dyn Headers + Sync),
    pub(crate) peer: Option<IpAddr>,
    pub(crate) routed: Option<&'a str>,
}

impl<'a> Request<'a> {
    /// A request for `path`, as it appears in the request line (still
    /// percent-encoded, without the query).
    pub fn new(method: Method, path: &'a str) -> Self {
        Self {
            method,
            path,
            query: None,
            headers: &(),
            peer: None,
            routed: None,
        }
    }

    /// The raw query string, without `?`.
    pub fn query(mut self, query: Option<&'a str>) -> Self {
        self.query = query;
        self
    }

    /// The request's headers.
    pub fn headers(mut self, headers: &'a (dyn Headers + Sync)) -> Self {
        self.headers = headers;
        self
    }

    /// The address of the connection's peer, for network rules of
    /// [`Disclosure`](crate::Disclosure).
    pub fn peer(mut self, peer: Option<IpAddr>) -> Self {
        self.peer = peer;
        self
    }

    /// The path the framework's router matched, for routers that rewrite
    /// a path before matching it (actix-web decodes percent-encoded
    /// characters): a request it matched only after a rewrite is not
    /// served, so every adapter answers odd paths alike.
    pub fn routed(mut self, routed: Option<&'a str>) -> Self {
        self.routed = routed;
        self
    }

    pub(crate) fn header(&self, name: &str) -> Option<&'a str> {
        self.headers.get(name)
    }
}

impl std::fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("peer", &self.peer)
            .finish_non_exhaustive()
    }
}
