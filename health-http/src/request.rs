//! What the contract needs of a request.

use std::net::IpAddr;

/// The request method, as far as the contract cares.
///
/// Closed on purpose (no `#[non_exhaustive]`): the contract answers GET and
/// HEAD and refuses every other method alike, with 405, so `Other` stands
/// for all of them and a new variant would change what it means.
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

/// A request's headers, as the contract reads them: by lowercase name.
/// Adapters implement it over their framework's header map, so the
/// contract reads only the headers an answer needs.
///
/// ```
/// use health_http::Headers;
/// let headers = [("x-forwarded-for", "10.1.2.3"), ("x-forwarded-for", "192.0.2.7")];
/// assert_eq!(headers.get("x-forwarded-for"), Some("10.1.2.3"));
/// let mut lines = Vec::new();
/// headers.lines("x-forwarded-for", &mut |line| lines.push(line.to_vec()));
/// assert_eq!(lines, [b"10.1.2.3".to_vec(), b"192.0.2.7".to_vec()]);
/// ```
pub trait Headers {
    /// The value of header `name` (lowercase), if present and UTF-8: its
    /// first line, for a header the contract expects once
    /// (`Authorization`, `Accept`).
    fn get(&self, name: &str) -> Option<&str>;

    /// Every line of header `name` (lowercase), in the order received, as
    /// bytes (UTF-8 or not): a list-valued header, such as
    /// `X-Forwarded-For`, is all of its lines joined (RFC 9110 §5.3), and
    /// a proxy may append a line of its own after the client's.
    fn lines(&self, name: &str, each: &mut dyn FnMut(&[u8]));
}

/// `http` 1.x headers (feature `http`): axum's, hyper's, any tower server's.
#[cfg(feature = "http")]
impl Headers for http::HeaderMap {
    fn get(&self, name: &str) -> Option<&str> {
        use http::header::{ACCEPT, AUTHORIZATION, FORWARDED, HOST};
        // The contract's headers by constant: no name to parse.
        let value = match name {
            "accept" => http::HeaderMap::get(self, ACCEPT),
            "authorization" => http::HeaderMap::get(self, AUTHORIZATION),
            "forwarded" => http::HeaderMap::get(self, FORWARDED),
            "host" => http::HeaderMap::get(self, HOST),
            other => http::HeaderMap::get(self, other),
        }?;
        std::str::from_utf8(value.as_bytes()).ok()
    }

    fn lines(&self, name: &str, each: &mut dyn FnMut(&[u8])) {
        for value in self.get_all(name) {
            each(value.as_bytes());
        }
    }
}

/// No headers.
impl Headers for () {
    fn get(&self, _: &str) -> Option<&str> {
        None
    }

    fn lines(&self, _: &str, _: &mut dyn FnMut(&[u8])) {}
}

/// Name-value pairs, names lowercase: for tests and router-less adapters.
/// A name given twice is a header of two lines.
impl<const N: usize> Headers for [(&str, &str); N] {
    fn get(&self, name: &str) -> Option<&str> {
        find(self, name)
    }

    fn lines(&self, name: &str, each: &mut dyn FnMut(&[u8])) {
        all(self, name, each);
    }
}

/// Name-value pairs, names lowercase.
impl Headers for Vec<(&str, &str)> {
    fn get(&self, name: &str) -> Option<&str> {
        find(self, name)
    }

    fn lines(&self, name: &str, each: &mut dyn FnMut(&[u8])) {
        all(self, name, each);
    }
}

fn find<'a>(pairs: &'a [(&str, &str)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

fn all(pairs: &[(&str, &str)], name: &str, each: &mut dyn FnMut(&[u8])) {
    for (_, value) in pairs.iter().filter(|(n, _)| *n == name) {
        each(value.as_bytes());
    }
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
///     .authority(Some("localhost:8080"))
///     .peer(Some([127, 0, 0, 1].into()));
/// ```
#[derive(Clone, Copy)]
pub struct Request<'a> {
    pub(crate) method: Method,
    pub(crate) path: &'a str,
    pub(crate) query: Option<&'a str>,
    pub(crate) headers: &'a (dyn Headers + Sync),
    pub(crate) peer: Option<IpAddr>,
    pub(crate) authority: Option<&'a str>,
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
            authority: None,
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

    /// The request target's authority, when it has one (HTTP/2's
    /// `:authority`, an absolute-form HTTP/1.1 target): the host the
    /// request is for. Without one, the contract reads the `Host` header
    /// through [`Headers`], and only when it needs to (for the allowed
    /// hosts of the status page, [`AllowedHosts`](crate::AllowedHosts));
    /// never `X-Forwarded-Host` or `Forwarded`, which a client can write.
    pub fn authority(mut self, authority: Option<&'a str>) -> Self {
        self.authority = authority;
        self
    }

    /// The host the request is for, as the client sent it (a name or an
    /// address, maybe with a port): the authority, else `Host`.
    pub(crate) fn host(&self) -> Option<&'a str> {
        self.authority.or_else(|| self.header("host"))
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
            .field("authority", &self.authority)
            .finish_non_exhaustive()
    }
}
