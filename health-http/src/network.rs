//! Networks in CIDR notation, and the client address of a request behind
//! trusted proxies.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// An IP network: `10.0.0.0/8`, `127.0.0.1/32`, `fd00::/8`, or a single
/// address (`127.0.0.1`, as `/32` or `/128`).
///
/// ```
/// use health_http::Network;
/// let net: Network = "10.0.0.0/8".parse()?;
/// assert!(net.contains("10.1.2.3".parse().unwrap()));
/// assert!(!net.contains("11.0.0.1".parse().unwrap()));
/// assert!("10.0.0.0/33".parse::<Network>().is_err());
/// # Ok::<(), health_http::NetworkError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

impl Network {
    /// Whether `ip` is in the network. An IPv4 address mapped into IPv6
    /// (`::ffff:10.0.0.1`) counts as the IPv4 address.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.address, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for Network {
    type Err = NetworkError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = |reason| NetworkError {
            network: text.to_owned(),
            reason,
        };
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let address: IpAddr = address
            .parse()
            .map_err(|_| error("expected an IP address such as 10.0.0.0/8 or fd00::/8"))?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(|| {
                error(if max == 32 {
                    "the prefix length must be 0 to 32"
                } else {
                    "the prefix length must be 0 to 128"
                })
            })?,
        };
        Ok(Self { address, prefix })
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

/// A network that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkError {
    network: String,
    reason: &'static str,
}

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid network {:?}: {}", self.network, self.reason)
    }
}

impl std::error::Error for NetworkError {}

/// The client's address: the peer's, unless the peer is a trusted proxy;
/// then the nearest address, from the right, of `Forwarded` (or else
/// `X-Forwarded-For`) that is not a trusted proxy. `None` when a needed
/// header is missing or malformed: no address, no network rule applies.
pub(crate) fn client(
    peer: Option<IpAddr>,
    proxies: &[Network],
    forwarded: Option<&str>,
    forwarded_for: Option<&str>,
) -> Option<IpAddr> {
    let peer = peer?.to_canonical();
    if !proxies.iter().any(|p| p.contains(peer)) {
        return Some(peer);
    }
    let hops: Vec<Option<IpAddr>> = match (forwarded, forwarded_for) {
        (Some(f), _) => f.split(',').map(forwarded_for_param).collect(),
        (None, Some(x)) => x.split(',').map(|h| parse_node(h.trim())).collect(),
        (None, None) => return None,
    };
    for hop in hops.into_iter().rev() {
        let ip = hop?.to_canonical();
        if !proxies.iter().any(|p| p.contains(ip)) {
            return Some(ip);
        }
    }
    None
}

/// The `for=` node of one `Forwarded` element.
fn forwarded_for_param(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("for")
            .then(|| parse_node(value.trim().trim_matches('"')))
            .flatten()
    })
}

/// An address, maybe with a port: `192.0.2.1`, `192.0.2.1:80`, `[::1]`,
/// `[::1]:80`, `::1`.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Ok(ip) = node.parse() {
        return Some(ip);
    }
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    node.rsplit_once(':')?.0.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn networks() {
        let v4: Network = "127.0.0.1/32".parse().unwrap();
        assert!(v4.contains(ip("127.0.0.1")) && !v4.contains(ip("127.0.0.2")));
        assert!(v4.contains(ip("::ffff:127.0.0.1")));
        let all: Network = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("8.8.8.8")) && !all.contains(ip("::1")));
        let v6: Network = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        let one: Network = "::1".parse().unwrap();
        assert!(one.contains(ip("::1")));
        for bad in [
            "",
            "10.0.0.0/",
            "10.0.0.0/33",
            "::/129",
            "10.0.0/8",
            "host/8",
            "10.0.0.0/-1",
        ] {
            assert!(bad.parse::<Network>().is_err(), "{bad}");
        }
    }

    #[test]
    fn client_behind_trusted_proxies() {
        let proxies: Vec<Network> = vec!["10.0.0.0/8".parse().unwrap()];
        // Not from a proxy: the peer, whatever the headers say.
        assert_eq!(
            client(Some(ip("192.0.2.9")), &proxies, None, Some("127.0.0.1")),
            Some(ip("192.0.2.9"))
        );
        // From a proxy: the nearest untrusted hop.
        assert_eq!(
            client(
                Some(ip("10.0.0.2")),
                &proxies,
                None,
                Some("198.51.100.7, 10.0.0.5")
            ),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(
            client(
                Some(ip("10.0.0.2")),
                &proxies,
                Some(r#"for=198.51.100.7;proto=https, for="[2001:db8::1]:4711""#),
                None
            ),
            Some(ip("2001:db8::1"))
        );
        // A spoofed left-most entry does not win over the nearest one.
        assert_eq!(
            client(
                Some(ip("10.0.0.2")),
                &proxies,
                None,
                Some("127.0.0.1, 203.0.113.4")
            ),
            Some(ip("203.0.113.4"))
        );
        // From a proxy without the header, or with garbage: no address.
        assert_eq!(client(Some(ip("10.0.0.2")), &proxies, None, None), None);
        assert_eq!(
            client(Some(ip("10.0.0.2")), &proxies, None, Some("unknown")),
            None
        );
        assert_eq!(client(None, &proxies, None, Some("203.0.113.4")), None);
    }
}
