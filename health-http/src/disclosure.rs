//! Who sees more than the overall status: nobody, everybody, bearers of a
//! token, callers from some networks, or any combination.

use crate::error::Problem;
use crate::network::{self, ForwardedHeader, Network};
use crate::request::Request;
use crate::token::Token;
use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

/// Who sees more than the overall status.
///
/// A caller allowed to see components sees each component's status; with
/// `?verbose`, its messages, durations, observed values, the version and
/// the uptime too. Any other caller sees only `{"status":"UP"}` (or
/// DOWN...), `?verbose` or not, learns nothing about any one component
/// (`/health/{name}` is 404 for every name, `exclude` and `tag` are
/// refused alike whatever they name).
///
/// Rules combine: a caller is allowed when any rule allows it.
///
/// ```
/// use health_http::{Disclosure, Endpoints, ForwardedHeader};
/// let registry = health_core::Registry::builder().without_declared().build()?;
/// // Inside the cluster, or anywhere with the token. The load balancer at
/// // 10.0.0.1 forwards the client's address in X-Forwarded-For.
/// let disclosure = Disclosure::networks(["10.0.0.0/8", "127.0.0.1/32"])
///     .or_bearer("4f9c2e7d1a8b3c6e5f0a")
///     .trust_proxies(["10.0.0.1/32"])
///     .forwarded_header(ForwardedHeader::XForwardedFor);
/// let endpoints = Endpoints::builder(registry).disclosure(disclosure).build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Settings are checked when the endpoints are built: a token shorter than
/// 16 bytes or holding whitespace, a network that does not parse, trusted
/// proxies without their [`forwarded_header`](Self::forwarded_header), is
/// a [`BuildError`](crate::BuildError) naming the problem (never the
/// token).
///
/// # Network rules behind address-rewriting hops
///
/// A network rule trusts the address the connection comes from. Any hop
/// that opens connections of its own on behalf of outside clients, and is
/// not named in [`trust_proxies`](Self::trust_proxies), makes every
/// client it forwards look like itself:
///
/// - an in-cluster ingress controller or sidecar proxy (its pod address is
///   inside `10.0.0.0/8`);
/// - a Kubernetes `LoadBalancer` or `NodePort` Service with
///   `externalTrafficPolicy: Cluster` (the default): kube-proxy rewrites
///   the source of every outside client to a node address, inside the
///   cluster's range. `externalTrafficPolicy: Local` keeps the client's
///   address.
///
/// With such a hop in front, `networks(["10.0.0.0/8"])` shows details to
/// the whole internet. Name the hop as a proxy (with the header it writes),
/// narrow the networks to the callers you mean (a monitoring subnet), or
/// use a token. Where the endpoints can tell, they say so: the first
/// request from a peer inside an allowed network that carries a
/// forwarding header (`Forwarded`, `X-Forwarded-For`, `X-Real-IP`, or the
/// configured one) while that peer is not a trusted proxy logs a warning,
/// once per [`Endpoints`](crate::Endpoints). A load balancer that rewrites
/// addresses without adding a header cannot be told from a client.
#[derive(Clone, Default)]
pub struct Disclosure {
    everyone: bool,
    token: Option<Cow<'static, str>>,
    networks: Vec<Cow<'static, str>>,
    proxies: Vec<Cow<'static, str>>,
    forwarded: Option<ForwardedHeader>,
}

impl Disclosure {
    /// Nobody (the default): every caller sees only the overall status.
    pub fn never() -> Self {
        Self::default()
    }

    /// Everybody: for services reachable only from inside the cluster.
    pub fn always() -> Self {
        Self {
            everyone: true,
            ..Self::default()
        }
    }

    /// Callers sending `Authorization: Bearer <token>` (see [`Token`]).
    pub fn bearer(token: impl Into<Cow<'static, str>>) -> Self {
        Self::never().or_bearer(token)
    }

    /// Callers whose address is in one of `networks` (CIDR: `10.0.0.0/8`,
    /// `fd00::/8`, or one address; see [`Network`]). The address is the
    /// connection's peer: a forwarded address counts only from a proxy
    /// named in [`trust_proxies`](Self::trust_proxies), in the one header
    /// named with [`forwarded_header`](Self::forwarded_header), never by
    /// default. With axum, serve the app with
    /// `into_make_service_with_connect_info::<SocketAddr>()` so the
    /// adapter knows the peer; without a peer address no network rule
    /// allows anything. Mind the hops that rewrite addresses (see
    /// [above](Self#network-rules-behind-address-rewriting-hops)). A
    /// network rule also turns on the [`AllowedHosts`](crate::AllowedHosts)
    /// guard of the status page, by default.
    pub fn networks<I, N>(networks: I) -> Self
    where
        I: IntoIterator<Item = N>,
        N: Into<Cow<'static, str>>,
    {
        Self::never().or_networks(networks)
    }

    /// This rule, or bearers of `token`.
    pub fn or_bearer(mut self, token: impl Into<Cow<'static, str>>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// This rule, or callers from `networks` (see [`networks`](Self::networks)).
    pub fn or_networks<I, N>(mut self, networks: I) -> Self
    where
        I: IntoIterator<Item = N>,
        N: Into<Cow<'static, str>>,
    {
        self.networks.extend(networks.into_iter().map(Into::into));
        self
    }

    /// Proxies (CIDR) that name the client in the header given with
    /// [`forwarded_header`](Self::forwarded_header): from a peer in these
    /// networks, the client is the nearest address of that header, from
    /// the right, that is not itself a trusted proxy. Without
    /// `forwarded_header`, building the endpoints fails with
    /// [`Problem::NoForwardedHeader`](crate::Problem::NoForwardedHeader):
    /// which header a proxy writes is the one thing the framework cannot
    /// guess safely.
    pub fn trust_proxies<I, N>(mut self, proxies: I) -> Self
    where
        I: IntoIterator<Item = N>,
        N: Into<Cow<'static, str>>,
    {
        self.proxies.extend(proxies.into_iter().map(Into::into));
        self
    }

    /// The one header the [trusted proxies](Self::trust_proxies) write the
    /// client in; every other forwarding header is ignored, since a proxy
    /// passes a client's own headers on (with `X-Forwarded-For` named, a
    /// client's `Forwarded: for=10.1.2.3` counts for nothing). Every line
    /// of the header counts, in order. Given twice, the last one holds;
    /// without trusted proxies it is not read.
    ///
    /// ```
    /// use health_http::{Disclosure, Endpoints, ForwardedHeader, Problem};
    /// let registry = health_core::Registry::builder().without_declared().build()?;
    /// let behind_nginx = Disclosure::networks(["10.0.0.0/8"])
    ///     .trust_proxies(["10.0.0.1/32"])
    ///     .forwarded_header(ForwardedHeader::XForwardedFor);
    /// assert!(Endpoints::builder(registry.clone()).disclosure(behind_nginx).build().is_ok());
    /// let unnamed = Disclosure::networks(["10.0.0.0/8"]).trust_proxies(["10.0.0.1/32"]);
    /// let error = Endpoints::builder(registry).disclosure(unnamed).build().unwrap_err();
    /// assert_eq!(error.problems(), [Problem::NoForwardedHeader]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn forwarded_header(mut self, header: ForwardedHeader) -> Self {
        self.forwarded = Some(header);
        self
    }

    /// Whether a network rule grants details.
    pub(crate) fn has_networks(&self) -> bool {
        !self.networks.is_empty()
    }

    /// The rule, checked: every problem found.
    pub(crate) fn compile(&self) -> Result<Rule, Vec<Problem>> {
        let mut problems = Vec::new();
        let token = match self.token.as_deref().map(Token::new) {
            Some(Ok(token)) => Some(token),
            Some(Err(e)) => {
                problems.push(Problem::Token(e));
                None
            }
            None => None,
        };
        let mut parse = |list: &[Cow<'static, str>]| -> Vec<Network> {
            list.iter()
                .filter_map(|n| match n.parse() {
                    Ok(net) => Some(net),
                    Err(e) => {
                        problems.push(Problem::Network(e));
                        None
                    }
                })
                .collect()
        };
        let networks = parse(&self.networks);
        let proxies = parse(&self.proxies);
        let forwarded = match &self.forwarded {
            Some(header) => header.checked().or_else(|| {
                problems.push(Problem::ForwardedHeader(header.name().to_owned()));
                None
            }),
            None if !self.proxies.is_empty() => {
                problems.push(Problem::NoForwardedHeader);
                None
            }
            None => None,
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        for everything in networks
            .iter()
            .chain(&proxies)
            .filter(|n| n.is_everything())
        {
            tracing::warn!(
                network = %everything,
                "health endpoints: the disclosure names {everything}, which holds every address of its family; \
                 is that meant?"
            );
        }
        Ok(Rule {
            everyone: self.everyone,
            token,
            networks,
            proxies,
            forwarded,
            warned: AtomicBool::new(false),
        })
    }
}

impl fmt::Debug for Disclosure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Disclosure")
            .field("everyone", &self.everyone)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("networks", &self.networks)
            .field("proxies", &self.proxies)
            .field("forwarded", &self.forwarded)
            .finish()
    }
}

/// A checked [`Disclosure`].
#[derive(Debug)]
pub(crate) struct Rule {
    everyone: bool,
    token: Option<Token>,
    networks: Vec<Network>,
    proxies: Vec<Network>,
    /// The header the proxies write; `Some` whenever `proxies` is not empty.
    forwarded: Option<ForwardedHeader>,
    /// Whether the trap of an unnamed forwarding hop was logged.
    warned: AtomicBool,
}

/// The forwarding headers a hop adds, by the names the trap warning looks
/// for (besides the configured one).
const FORWARDING: [&str; 3] = ["forwarded", "x-forwarded-for", "x-real-ip"];

impl Rule {
    /// Whether `request`'s caller may see components.
    pub(crate) fn allows(&self, request: &Request<'_>) -> bool {
        if self.everyone {
            return true;
        }
        if let Some(token) = &self.token
            && token.authorizes(request.header("authorization"))
        {
            return true;
        }
        if self.networks.is_empty() {
            return false;
        }
        let client = network::client(request.peer, &self.proxies, |hops| {
            if let Some(header) = &self.forwarded {
                request
                    .headers
                    .lines(header.name(), &mut |line| header.hops(line, hops));
            }
        });
        let inside = client.is_some_and(|ip| self.networks.iter().any(|n| n.contains(ip)));
        if inside && client == request.peer.map(|peer| peer.to_canonical()) {
            self.warn_if_forwarded(request);
        }
        inside
    }

    /// Logs, once, a peer inside an allowed network that sends a forwarding
    /// header no trusted proxy wrote: most likely a proxy, ingress or load
    /// balancer not named in `trust_proxies`, through which every client
    /// counts as inside.
    fn warn_if_forwarded(&self, request: &Request<'_>) {
        if self.warned.load(Ordering::Relaxed) {
            return;
        }
        let configured = self.forwarded.as_ref().map(ForwardedHeader::name);
        let Some(header) = FORWARDING
            .into_iter()
            .chain(configured)
            .find(|name| request.header(name).is_some())
        else {
            return;
        };
        if !self.warned.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                peer = ?request.peer,
                header,
                "health endpoints: a caller inside an allowed network sent `{header}`, but it is not a trusted proxy. \
                 If a proxy, ingress or load balancer forwards outside clients from there, every one of them counts as \
                 inside and sees details: name it with `Disclosure::trust_proxies` and `forwarded_header`, or narrow \
                 the networks (logged once)"
            );
        }
    }
}
