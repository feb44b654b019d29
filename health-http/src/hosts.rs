//! Which `Host` the status page and its data answer: a guard against DNS
//! rebinding.

use crate::error::Problem;
use crate::request::Request;
use crate::response::Response;
use crate::route::Resource;
use std::borrow::Cow;
use std::net::{IpAddr, Ipv6Addr};

/// The host names the status page (`/health/ui`) and its data
/// (`/health/ui/data`) answer: a guard against DNS rebinding.
///
/// A network rule ([`Disclosure::networks`](crate::Disclosure::networks))
/// trusts where a connection comes from, and a browser on an allowed
/// machine (a developer's laptop, a bastion) connects from there to
/// whatever a name resolves to. A page the browser visits can resolve its
/// own name to `127.0.0.1` (DNS rebinding) and read the status page's data
/// as same-origin: checks, messages. The browser still sends the page's
/// name as `Host`, so the page and its data answer only the hosts allowed
/// here, and any other gets **421 Misdirected Request**
/// (`{"error":"this host is not served here"}`), decided before any check
/// runs.
///
/// Allowed, whatever the port:
/// - the loopback name `localhost`;
/// - every IP address literal (`127.0.0.1`, `[::1]`, `10.1.2.3`): an
///   address cannot be rebound, so it is safe (a browser that opened
///   `http://10.1.2.3:8080/health/ui` is talking to that address);
/// - the names given to [`names`](Self::names) (compared without case, a
///   final dot ignored): the names people open the page by (an ingress
///   host, a Service's DNS name).
///
/// A request with no host at all (no browser sends one) is served.
///
/// The guard is **on by default where a network rule grants details**
/// (the disclosure has [`networks`](crate::Disclosure::networks) or
/// [`or_networks`](crate::Disclosure::or_networks)), and off otherwise:
/// without a network rule, a rebinding page sees what any caller sees. Set
/// it with [`EndpointsBuilder::allowed_hosts`](crate::EndpointsBuilder::allowed_hosts).
/// The badge and the probes are not guarded: the badge is the overall
/// status only, and probes come from kubelets and load balancers that
/// name the pod by address or by any name.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use health_http::{AllowedHosts, Disclosure, Resource, Endpoints, Method, Request};
/// let registry = health_core::Registry::builder().without_declared().build()?;
/// let endpoints = Endpoints::builder(registry)
///     .disclosure(Disclosure::networks(["127.0.0.1/32"]))
///     .allowed_hosts(AllowedHosts::names(["status.example.internal"]))
///     .build()?;
/// let from = |host| Request::new(Method::Get, "/health/ui/data")
///     .authority(Some(host))
///     .peer(Some([127, 0, 0, 1].into()));
/// let rebound = endpoints.handle(Resource::UiData, &from("attacker.example:8080")).await;
/// assert_eq!(rebound.status(), 421);
/// for host in ["localhost:8080", "127.0.0.1", "[::1]:8080", "Status.Example.Internal"] {
///     assert_eq!(endpoints.handle(Resource::UiData, &from(host)).await.status(), 200);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts {
    mode: Mode,
    names: Vec<Cow<'static, str>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Mode {
    /// Guarded when a network rule grants details.
    #[default]
    Auto,
    /// Guarded.
    On,
    /// Not guarded.
    Off,
}

impl AllowedHosts {
    /// `localhost` and IP addresses only, whatever the disclosure.
    pub fn loopback() -> Self {
        Self {
            mode: Mode::On,
            names: Vec::new(),
        }
    }

    /// `localhost`, IP addresses and `names` (host names without scheme
    /// or port, such as `status.example.internal`), whatever the
    /// disclosure. A name that is not a host name is a
    /// [`Problem::AllowedHost`] when the endpoints are built.
    pub fn names<I, N>(names: I) -> Self
    where
        I: IntoIterator<Item = N>,
        N: Into<Cow<'static, str>>,
    {
        Self {
            mode: Mode::On,
            names: names.into_iter().map(Into::into).collect(),
        }
    }

    /// Any host: the guard off, even under a network rule. Only for a
    /// port no browser reaches.
    pub fn any() -> Self {
        Self {
            mode: Mode::Off,
            names: Vec::new(),
        }
    }

    /// The rule, checked: `guarded` is whether a network rule grants
    /// details, for the default.
    pub(crate) fn compile(&self, networks: bool) -> Result<HostRule, Vec<Problem>> {
        let on = match self.mode {
            Mode::Auto => networks,
            Mode::On => true,
            Mode::Off => false,
        };
        let mut problems = Vec::new();
        let mut names = Vec::with_capacity(self.names.len() + 1);
        names.push("localhost".to_owned());
        for name in &self.names {
            match normalize(name) {
                Some(name) => names.push(name),
                None => problems.push(Problem::AllowedHost(name.to_string())),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(HostRule {
            names: on.then_some(names),
        })
    }
}

/// A name of [`AllowedHosts::names`], lowercase without a final dot, if it
/// is a host name or an address.
fn normalize(name: &str) -> Option<String> {
    let name = name.strip_suffix('.').unwrap_or(name);
    let label = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let is_name = name.split('.').all(label);
    let is_address = name.parse::<IpAddr>().is_ok()
        || name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .is_some_and(|n| n.parse::<Ipv6Addr>().is_ok());
    (is_name || is_address).then(|| name.to_ascii_lowercase())
}

/// A checked [`AllowedHosts`].
#[derive(Debug)]
pub(crate) struct HostRule {
    /// The names allowed besides addresses; `None`: any host.
    names: Option<Vec<String>>,
}

impl HostRule {
    /// The refusal of a request for the status page or its data whose
    /// host is not allowed; `None` to serve it.
    #[inline]
    pub(crate) fn refuse(&self, resource: Resource, request: &Request<'_>) -> Option<Response> {
        // Every probe passes here: the resource first, the cheapest test.
        if !matches!(resource, Resource::Ui | Resource::UiData) {
            return None;
        }
        let names = self.names.as_ref()?;
        let host = hostname(request.host()?);
        let allowed = is_address(host)
            || names
                .iter()
                .any(|name| name.eq_ignore_ascii_case(host.strip_suffix('.').unwrap_or(host)));
        (!allowed).then(|| Response::error(421, "this host is not served here"))
    }
}

/// The host of an authority or a `Host` value: without user info or port.
fn hostname(authority: &str) -> &str {
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// Whether `host` is an IP address literal (`10.1.2.3`, `[::1]`).
fn is_address(host: &str) -> bool {
    match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(v6) => v6.parse::<Ipv6Addr>().is_ok(),
        None => host.parse::<std::net::Ipv4Addr>().is_ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Method;

    fn refused(rule: &HostRule, resource: Resource, host: Option<&str>) -> bool {
        let request = Request::new(Method::Get, "/health/ui/data").authority(host);
        rule.refuse(resource, &request).is_some()
    }

    #[test]
    fn on_by_default_under_a_network_rule_only() {
        let auto = AllowedHosts::default();
        let guarded = auto.compile(true).unwrap();
        let open = auto.compile(false).unwrap();
        assert!(refused(&guarded, Resource::UiData, Some("rebind.example")));
        assert!(!refused(&open, Resource::UiData, Some("rebind.example")));
        let any = AllowedHosts::any().compile(true).unwrap();
        assert!(!refused(&any, Resource::Ui, Some("rebind.example")));
        let loopback = AllowedHosts::loopback().compile(false).unwrap();
        assert!(refused(&loopback, Resource::Ui, Some("rebind.example")));
    }

    #[test]
    fn loopback_addresses_and_names_with_any_port() {
        let rule = AllowedHosts::names(["Status.Example.", "ops_1.internal"])
            .compile(true)
            .unwrap();
        for host in [
            "localhost",
            "LOCALHOST:8080",
            "localhost.",
            "127.0.0.1",
            "127.0.0.1:9",
            "[::1]",
            "[::1]:8080",
            "10.1.2.3:80",
            "status.example",
            "status.example:443",
            "STATUS.EXAMPLE.",
            "ops_1.internal",
            "user@localhost:80",
        ] {
            assert!(!refused(&rule, Resource::UiData, Some(host)), "{host}");
        }
        for host in [
            "rebind.example",
            "localhost.rebind.example",
            "status.example.rebind.example",
            "127.0.0.1.nip.io",
            "[::1",
            "",
            "localhost:80:80",
        ] {
            assert!(refused(&rule, Resource::UiData, Some(host)), "{host}");
            assert!(refused(&rule, Resource::Ui, Some(host)), "{host}");
            // The probes, components and the badge are not guarded.
            for resource in [Resource::Readiness, Resource::Component, Resource::Badge] {
                assert!(!refused(&rule, resource, Some(host)), "{host}");
            }
        }
        assert!(!refused(&rule, Resource::UiData, None));
    }

    #[test]
    fn names_are_checked() {
        for bad in ["http://x", "x:8080", "x/y", "", "a b", "a..b", "é.example"] {
            let problems = AllowedHosts::names([bad]).compile(true).unwrap_err();
            assert_eq!(problems, [Problem::AllowedHost(bad.to_owned())]);
        }
        assert!(
            AllowedHosts::names(["::1", "[fd00::1]", "10.0.0.1"])
                .compile(true)
                .is_ok()
        );
    }
}
