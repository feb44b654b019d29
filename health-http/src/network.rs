//! Networks in CIDR notation, the header a trusted proxy names the client
//! in, and the client address of a request behind trusted proxies.

use std::borrow::Cow;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// An IP network: `10.0.0.0/8`, `127.0.0.1/32`, `fd00::/8`, or a single
/// address (`127.0.0.1`, as `/32` or `/128`).
///
/// Strict, so that a typo cannot widen a rule: the prefix length is plain
/// decimal digits (no `+`, no leading zero), and the address has no bit
/// set past the prefix (`10.1.2.3/8` is refused: `10.0.0.0/8`, or
/// `10.1.2.3/32`, is what was meant). `/0` (every address) parses, and
/// the endpoints log a warning when built with it.
///
/// An IPv4-mapped IPv6 network (`::ffff:10.0.0.0/104`) holds the IPv4
/// addresses it maps: peers are compared as IPv4 addresses whichever way
/// the socket reports them.
///
/// ```
/// use health_http::Network;
/// let net: Network = "10.0.0.0/8".parse()?;
/// assert!(net.contains("10.1.2.3".parse().unwrap()));
/// assert!(!net.contains("11.0.0.1".parse().unwrap()));
/// assert!("10.0.0.0/33".parse::<Network>().is_err());
/// assert!("10.1.2.3/8".parse::<Network>().is_err());
/// assert!("10.0.0.0/08".parse::<Network>().is_err());
/// let mapped: Network = "::ffff:10.0.0.0/104".parse()?;
/// assert!(mapped.contains("10.1.2.3".parse().unwrap()));
/// # Ok::<(), health_http::NetworkError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

impl Network {
    /// Whether `ip` is in the network. An IPv4 address mapped into IPv6
    /// (`::ffff:10.0.0.1`) counts as the IPv4 address, and an IPv6
    /// network holds the IPv4 addresses whose mapped form it holds.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.address, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                u32::from(net) & v4_mask(self.prefix) == u32::from(ip) & v4_mask(self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                u128::from(net) & v6_mask(self.prefix) == u128::from(ip) & v6_mask(self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V4(ip)) => {
                let ip = u128::from(ip.to_ipv6_mapped());
                u128::from(net) & v6_mask(self.prefix) == ip & v6_mask(self.prefix)
            }
            (IpAddr::V4(_), IpAddr::V6(_)) => false,
        }
    }

    /// Whether the network holds every address of its family (`/0`).
    pub(crate) fn is_everything(&self) -> bool {
        self.prefix == 0
    }
}

fn v4_mask(prefix: u8) -> u32 {
    u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0)
}

fn v6_mask(prefix: u8) -> u128 {
    u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0)
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
            Some(p) => parse_prefix(p).filter(|p| *p <= max).ok_or_else(|| {
                error(if max == 32 {
                    "the prefix length must be 0 to 32, in plain digits"
                } else {
                    "the prefix length must be 0 to 128, in plain digits"
                })
            })?,
        };
        let host_bits = match address {
            IpAddr::V4(a) => u32::from(a) & !v4_mask(prefix) != 0,
            IpAddr::V6(a) => u128::from(a) & !v6_mask(prefix) != 0,
        };
        if host_bits {
            return Err(error(
                "the address has bits set past the prefix: give the network's first address, or a /32 (/128) for one address",
            ));
        }
        Ok(Self { address, prefix })
    }
}

/// A prefix length: decimal digits, no sign, no leading zero.
fn parse_prefix(text: &str) -> Option<u8> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let leading_zero = text.len() > 1 && text.starts_with('0');
    (digits && !leading_zero)
        .then(|| text.parse().ok())
        .flatten()
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

/// The one header a trusted proxy names the client in: the others are
/// ignored, since a proxy passes on what it does not write (nginx's
/// `proxy_add_x_forwarded_for` and HAProxy's `option forwardfor` append to
/// `X-Forwarded-For` and forward a client's own `Forwarded` untouched).
/// Every line of the header counts, in order, as one list (RFC 9110
/// §5.3): a proxy that appends a line of its own is read right.
///
/// ```
/// use health_http::{Disclosure, ForwardedHeader};
/// // nginx: proxy_set_header X-Real-IP $remote_addr;
/// let disclosure = Disclosure::networks(["10.0.0.0/8"])
///     .trust_proxies(["10.0.0.1/32"])
///     .forwarded_header(ForwardedHeader::custom("X-Real-IP"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1, proxy2` (nginx, HAProxy, most
    /// cloud load balancers).
    XForwardedFor,
    /// `Forwarded: for=client;proto=https, for=proxy1` (RFC 7239).
    Forwarded,
    /// Another header holding addresses as `X-Forwarded-For` does (a
    /// comma-separated list, or one address): `X-Real-IP`,
    /// `CF-Connecting-IP`, `True-Client-IP`. Its name is checked when the
    /// endpoints are built.
    Custom(Cow<'static, str>),
}

impl ForwardedHeader {
    /// A header of another name, holding addresses as `X-Forwarded-For`
    /// does: [`ForwardedHeader::Custom`].
    pub fn custom(name: impl Into<Cow<'static, str>>) -> Self {
        ForwardedHeader::Custom(name.into())
    }

    /// The header, checked: its name in lowercase (a custom name that is
    /// one of the two standard headers is that header), or `None` if the
    /// name is not an HTTP field name.
    pub(crate) fn checked(&self) -> Option<ForwardedHeader> {
        let ForwardedHeader::Custom(name) = self else {
            return Some(self.clone());
        };
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        if name.is_empty() || !name.bytes().all(token) {
            return None;
        }
        let name = name.to_ascii_lowercase();
        Some(match name.as_str() {
            "x-forwarded-for" => ForwardedHeader::XForwardedFor,
            "forwarded" => ForwardedHeader::Forwarded,
            _ => ForwardedHeader::Custom(name.into()),
        })
    }

    /// The header's name, in lowercase once [`checked`](Self::checked).
    pub(crate) fn name(&self) -> &str {
        match self {
            ForwardedHeader::XForwardedFor => "x-forwarded-for",
            ForwardedHeader::Forwarded => "forwarded",
            ForwardedHeader::Custom(name) => name,
        }
    }

    /// Appends the hops of one line of the header to `hops`, in order: an
    /// address, or `None` for an element that names none (`unknown`, an
    /// obfuscated node, garbage, a line that is not UTF-8).
    pub(crate) fn hops(&self, line: &[u8], hops: &mut Vec<Option<IpAddr>>) {
        let Ok(line) = std::str::from_utf8(line) else {
            hops.push(None);
            return;
        };
        match self {
            ForwardedHeader::Forwarded => hops.extend(line.split(',').map(forwarded_for_param)),
            _ => hops.extend(line.split(',').map(|h| parse_node(h.trim()))),
        }
    }
}

impl fmt::Display for ForwardedHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ForwardedHeader::XForwardedFor => "X-Forwarded-For",
            ForwardedHeader::Forwarded => "Forwarded",
            ForwardedHeader::Custom(name) => name,
        })
    }
}

/// The client's address: the peer's, unless the peer is a trusted proxy;
/// then the nearest address, from the right, of the proxies' header that
/// is not itself a trusted proxy, `hops` (called only then) reading the
/// header's every line in order. `None` when the header is missing or a
/// hop on the way is malformed: no address, no network rule applies.
pub(crate) fn client(
    peer: Option<IpAddr>,
    proxies: &[Network],
    hops: impl FnOnce(&mut Vec<Option<IpAddr>>),
) -> Option<IpAddr> {
    let peer = peer?.to_canonical();
    if !proxies.iter().any(|p| p.contains(peer)) {
        return Some(peer);
    }
    let mut forwarded = Vec::new();
    hops(&mut forwarded);
    for hop in forwarded.into_iter().rev() {
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
    fn strict_networks_refuse_host_bits_signs_and_leading_zeros() {
        for bad in [
            "10.1.2.3/8",
            "10.0.0.1/31",
            "fd00::1/8",
            "10.0.0.0/+8",
            "10.0.0.0/08",
            "10.0.0.0/008",
            "::/00",
            "10.0.0.0/ 8",
        ] {
            let error = bad.parse::<Network>().unwrap_err().to_string();
            assert!(error.contains(bad), "{error}");
        }
        for good in [
            "10.0.0.0/8",
            "10.0.0.1/32",
            "10.0.0.1",
            "0.0.0.0/0",
            "::/0",
            "fd00::/8",
        ] {
            assert!(good.parse::<Network>().is_ok(), "{good}");
        }
        assert!("0.0.0.0/0".parse::<Network>().unwrap().is_everything());
        assert!(!"10.0.0.0/8".parse::<Network>().unwrap().is_everything());
    }

    #[test]
    fn ipv4_mapped_networks_hold_the_ipv4_peers_they_name() {
        let mapped: Network = "::ffff:10.0.0.0/104".parse().unwrap();
        for inside in ["10.1.2.3", "::ffff:10.1.2.3"] {
            assert!(mapped.contains(ip(inside)), "{inside}");
        }
        for outside in ["11.0.0.1", "::ffff:11.0.0.1", "::a01:203"] {
            assert!(!mapped.contains(ip(outside)), "{outside}");
        }
        let one: Network = "::ffff:127.0.0.1".parse().unwrap();
        assert!(one.contains(ip("127.0.0.1")));
        // Plain IPv6 networks hold no IPv4 peer unless they hold its mapped form.
        let v6: Network = "fd00::/8".parse().unwrap();
        assert!(!v6.contains(ip("10.1.2.3")));
    }

    /// The client behind `proxies`, the header read as `header` from
    /// `lines`.
    fn client_of(
        peer: &str,
        proxies: &[Network],
        header: &ForwardedHeader,
        lines: &[&str],
    ) -> Option<IpAddr> {
        client(Some(ip(peer)), proxies, |hops| {
            for line in lines {
                header.hops(line.as_bytes(), hops);
            }
        })
    }

    #[test]
    fn client_behind_trusted_proxies() {
        let proxies: Vec<Network> = vec!["10.0.0.0/8".parse().unwrap()];
        let xff = ForwardedHeader::XForwardedFor;
        // Not from a proxy: the peer, whatever the headers say.
        assert_eq!(
            client_of("192.0.2.9", &proxies, &xff, &["127.0.0.1"]),
            Some(ip("192.0.2.9"))
        );
        // From a proxy: the nearest untrusted hop.
        assert_eq!(
            client_of("10.0.0.2", &proxies, &xff, &["198.51.100.7, 10.0.0.5"]),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(
            client_of(
                "10.0.0.2",
                &proxies,
                &ForwardedHeader::Forwarded,
                &[r#"for=198.51.100.7;proto=https, for="[2001:db8::1]:4711""#]
            ),
            Some(ip("2001:db8::1"))
        );
        // A spoofed left-most entry does not win over the nearest one.
        assert_eq!(
            client_of("10.0.0.2", &proxies, &xff, &["127.0.0.1, 203.0.113.4"]),
            Some(ip("203.0.113.4"))
        );
        // From a proxy without the header, or with garbage: no address.
        assert_eq!(client_of("10.0.0.2", &proxies, &xff, &[]), None);
        assert_eq!(client_of("10.0.0.2", &proxies, &xff, &["unknown"]), None);
        assert_eq!(client(None, &proxies, |_| unreachable!()), None);
    }

    #[test]
    fn every_line_of_the_header_counts_in_order() {
        let proxies: Vec<Network> = vec!["10.0.0.0/8".parse().unwrap()];
        let xff = ForwardedHeader::XForwardedFor;
        // HAProxy appends a line of its own after the client's: the
        // client's own line is not the answer.
        assert_eq!(
            client_of("10.0.0.2", &proxies, &xff, &["10.1.2.3", "192.0.2.7"]),
            Some(ip("192.0.2.7"))
        );
        assert_eq!(
            client_of(
                "10.0.0.2",
                &proxies,
                &xff,
                &["192.0.2.7", "10.0.0.5, 10.0.0.6"]
            ),
            Some(ip("192.0.2.7"))
        );
        // A line that is not UTF-8 names no address.
        let mut hops = Vec::new();
        xff.hops(b"\xff10.1.2.3", &mut hops);
        assert_eq!(hops, [None]);
        // A custom header is a list of addresses, as X-Forwarded-For.
        let real_ip = ForwardedHeader::custom("X-Real-IP").checked().unwrap();
        assert_eq!(real_ip.name(), "x-real-ip");
        assert_eq!(
            client_of("10.0.0.2", &proxies, &real_ip, &["192.0.2.7"]),
            Some(ip("192.0.2.7"))
        );
    }

    #[test]
    fn header_names_are_checked_and_lowercased() {
        assert_eq!(
            ForwardedHeader::custom("X-Forwarded-For").checked(),
            Some(ForwardedHeader::XForwardedFor)
        );
        assert_eq!(
            ForwardedHeader::custom("FORWARDED").checked(),
            Some(ForwardedHeader::Forwarded)
        );
        for bad in ["", "X Real IP", "x-real-ip:", "é"] {
            assert_eq!(ForwardedHeader::custom(bad).checked(), None, "{bad:?}");
        }
    }
}
