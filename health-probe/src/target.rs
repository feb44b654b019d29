//! The probe's URL: `http://`, `https://`, `grpc://` or `grpcs://`.

use std::fmt;
use std::net::IpAddr;

/// The protocol a URL asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `http://`: HTTP/1.1 GET.
    Http,
    /// `https://`: HTTP/1.1 GET over TLS (feature `tls`).
    Https,
    /// `grpc://`: `grpc.health.v1.Health/Check` over plaintext HTTP/2 (h2c).
    Grpc,
    /// `grpcs://`: the same RPC over TLS (feature `tls`).
    Grpcs,
}

impl Scheme {
    /// Whether this scheme runs over TLS.
    pub fn is_tls(self) -> bool {
        matches!(self, Scheme::Https | Scheme::Grpcs)
    }

    /// Whether this scheme is one of the gRPC ones.
    pub fn is_grpc(self) -> bool {
        matches!(self, Scheme::Grpc | Scheme::Grpcs)
    }

    /// The scheme as written in a URL, without `://`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
            Scheme::Grpc => "grpc",
            Scheme::Grpcs => "grpcs",
        }
    }
}

/// A host to connect to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// An IP address literal (`127.0.0.1`, `[::1]`): no resolution.
    Ip(IpAddr),
    /// A name, resolved at connect time.
    Name(String),
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Ip(IpAddr::V6(ip)) => write!(f, "[{ip}]"),
            Host::Ip(ip) => write!(f, "{ip}"),
            Host::Name(name) => f.write_str(name),
        }
    }
}

/// A parsed probe URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The protocol.
    pub scheme: Scheme,
    /// The host, without IPv6 brackets.
    pub host: Host,
    /// The port: explicit, or 80/443 for `http`/`https`.
    pub port: u16,
    /// The authority as written (`host[:port]`), for the `Host` header and
    /// HTTP/2's `:authority`.
    pub authority: String,
    /// Path and query for HTTP (`/` when the URL has none); `/` for gRPC.
    pub path_and_query: String,
}

impl Target {
    /// `host:port`, with brackets around an IPv6 address, for messages.
    pub fn host_port(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme.as_str(), self.authority)?;
        if !self.scheme.is_grpc() {
            f.write_str(&self.path_and_query)?;
        }
        Ok(())
    }
}

/// Parses a probe URL. The error is the part of the one-line message after
/// `invalid URL "…": `, saying what to write instead.
pub fn parse_url(text: &str) -> Result<Target, String> {
    let (scheme_text, rest) = text
        .split_once("://")
        .ok_or("expected http://, https://, grpc:// or grpcs:// followed by host:port")?;
    let scheme = match scheme_text.to_ascii_lowercase().as_str() {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        "grpc" => Scheme::Grpc,
        "grpcs" => Scheme::Grpcs,
        _ => {
            return Err(format!(
                "unsupported scheme \"{scheme_text}\": use http, https, grpc or grpcs"
            ));
        }
    };
    if rest.contains('#') {
        return Err("a fragment (#...) is never sent to the server: remove it".into());
    }
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path_and_query) = rest.split_at(split);
    if authority.contains('@') {
        return Err("credentials in the URL are not supported: remove user@".into());
    }
    if authority.is_empty() {
        return Err("missing host: write it as host:port, such as 127.0.0.1:8080".into());
    }
    let (host, port) = split_host_port(authority)?;
    let port = match (port, scheme) {
        (Some(port), _) => port,
        (None, Scheme::Http) => 80,
        (None, Scheme::Https) => 443,
        (None, Scheme::Grpc | Scheme::Grpcs) => {
            return Err(format!(
                "missing port: gRPC has no default port, write {}://{authority}:PORT",
                scheme.as_str()
            ));
        }
    };
    let path_and_query = if scheme.is_grpc() {
        if !matches!(path_and_query, "" | "/") {
            return Err(format!(
                "a grpc URL takes no path (\"{path_and_query}\"): name the service with --service"
            ));
        }
        "/".to_string()
    } else if path_and_query.is_empty() {
        "/".to_string()
    } else if path_and_query.starts_with('?') {
        format!("/{path_and_query}")
    } else {
        path_and_query.to_string()
    };
    if path_and_query.parse::<http::uri::PathAndQuery>().is_err() {
        return Err(format!(
            "path \"{path_and_query}\" has characters that must be percent-encoded"
        ));
    }
    // Parsing the whole URL once more checks the authority the way hyper
    // will see it.
    let uri = format!("http://{authority}{path_and_query}");
    if uri.parse::<http::Uri>().is_err() {
        return Err(format!("host \"{authority}\" is not a valid host[:port]"));
    }
    Ok(Target {
        scheme,
        host,
        port,
        authority: authority.to_string(),
        path_and_query,
    })
}

fn split_host_port(authority: &str) -> Result<(Host, Option<u16>), String> {
    let (host_text, port_text) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (inside, after) = bracketed
            .split_once(']')
            .ok_or("unclosed [ in an IPv6 address: write it as [::1]:8080")?;
        let ip: std::net::Ipv6Addr = inside
            .parse()
            .map_err(|_| format!("\"{inside}\" is not an IPv6 address"))?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or_else(|| {
                format!("unexpected \"{after}\" after the IPv6 address: write [{inside}]:PORT")
            })?),
        };
        return Ok((Host::Ip(IpAddr::V6(ip)), port.map(parse_port).transpose()?));
    } else {
        match authority.rsplit_once(':') {
            Some((host, _)) if host.contains(':') => {
                return Err(format!(
                    "an IPv6 address needs brackets: write [{authority}] or [{authority}]:PORT"
                ));
            }
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host_text.is_empty() {
        return Err("missing host: write it as host:port, such as 127.0.0.1:8080".into());
    }
    let host = match host_text.parse::<std::net::Ipv4Addr>() {
        Ok(ip) => Host::Ip(IpAddr::V4(ip)),
        Err(_) => {
            let valid = host_text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_');
            if !valid {
                return Err(format!("\"{host_text}\" is not a valid host name"));
            }
            Host::Name(host_text.to_ascii_lowercase())
        }
    };
    Ok((host, port_text.map(parse_port).transpose()?))
}

fn parse_port(text: &str) -> Result<u16, String> {
    match text.parse::<u16>() {
        Ok(port) if port != 0 && text.bytes().all(|b| b.is_ascii_digit()) => Ok(port),
        _ => Err(format!("port \"{text}\" is not a number from 1 to 65535")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    #[test]
    fn http_urls() {
        let t = parse_url("http://127.0.0.1:8080/ready").unwrap();
        assert_eq!(t.scheme, Scheme::Http);
        assert_eq!(t.host, Host::Ip(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        assert_eq!(t.port, 8080);
        assert_eq!(t.authority, "127.0.0.1:8080");
        assert_eq!(t.path_and_query, "/ready");
        assert_eq!(t.to_string(), "http://127.0.0.1:8080/ready");

        let t = parse_url("HTTP://Example.COM").unwrap();
        assert_eq!(t.host, Host::Name("example.com".into()));
        assert_eq!(t.port, 80);
        assert_eq!(t.path_and_query, "/");

        let t = parse_url("http://localhost:8080?verbose=1").unwrap();
        assert_eq!(t.path_and_query, "/?verbose=1");
        let t = parse_url("https://svc.ns.svc.cluster.local/health/live?x=1").unwrap();
        assert_eq!((t.scheme, t.port), (Scheme::Https, 443));
        assert_eq!(t.path_and_query, "/health/live?x=1");
    }

    #[test]
    fn ipv6_literals() {
        let t = parse_url("http://[::1]:8080/ready").unwrap();
        assert_eq!(t.host, Host::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST)));
        assert_eq!(t.port, 8080);
        assert_eq!(t.authority, "[::1]:8080");
        assert_eq!(t.host_port(), "[::1]:8080");
        let t = parse_url("grpc://[fe80::1]:50051").unwrap();
        assert_eq!(t.port, 50051);
        assert_eq!(parse_url("http://[::1]").unwrap().port, 80);
    }

    #[test]
    fn grpc_urls() {
        let t = parse_url("grpc://127.0.0.1:50051").unwrap();
        assert_eq!(t.scheme, Scheme::Grpc);
        assert_eq!(t.to_string(), "grpc://127.0.0.1:50051");
        assert_eq!(parse_url("grpcs://h:1/").unwrap().scheme, Scheme::Grpcs);
    }

    #[test]
    fn refuses_bad_urls() {
        for (text, needle) in [
            ("127.0.0.1:8080", "expected http://"),
            ("ftp://x/", "unsupported scheme"),
            ("http://", "missing host"),
            ("http:///x", "missing host"),
            ("http://:80/", "missing host"),
            ("http://h:0/", "port \"0\""),
            ("http://h:65536/", "port \"65536\""),
            ("http://h:/", "port \"\""),
            ("http://h:+80/", "port \"+80\""),
            ("http://h:x/", "port \"x\""),
            ("http://u:p@h/", "credentials"),
            ("http://h/#x", "fragment"),
            ("http://::1/", "needs brackets"),
            ("http://[::1/", "unclosed"),
            ("http://[zz]:1/", "not an IPv6"),
            ("http://[::1]x/", "after the IPv6"),
            ("http://ho st/", "not a valid host"),
            ("http://h/a b", "percent-encoded"),
            ("grpc://127.0.0.1", "missing port"),
            ("grpc://127.0.0.1:50051/svc", "takes no path"),
        ] {
            let err = parse_url(text).unwrap_err();
            assert!(err.contains(needle), "{text:?}: {err}");
        }
    }
}
