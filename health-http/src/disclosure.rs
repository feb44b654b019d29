//! Who sees more than the overall status: nobody, everybody, bearers of a
//! token, callers from some networks, or any combination.

use crate::error::Problem;
use crate::network::{self, Network};
use crate::request::Request;
use crate::token::Token;
use std::borrow::Cow;
use std::fmt;

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
/// use health_http::{Disclosure, Endpoints};
/// let registry = health_core::Registry::builder().without_declared().build()?;
/// // Inside the cluster, or anywhere with the token. The load balancer at
/// // 10.0.0.1 forwards the client's address in X-Forwarded-For.
/// let disclosure = Disclosure::networks(["10.0.0.0/8", "127.0.0.1/32"])
///     .or_bearer("4f9c2e7d1a8b3c6e5f0a")
///     .trust_proxies(["10.0.0.1/32"]);
/// let endpoints = Endpoints::builder(registry).disclosure(disclosure).build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Settings are checked when the endpoints are built: a token shorter than
/// 16 bytes or holding whitespace, or a network that does not parse, is a
/// [`BuildError`](crate::BuildError) naming the problem (never the
/// token).
#[derive(Clone, Default)]
pub struct Disclosure {
    everyone: bool,
    token: Option<Cow<'static, str>>,
    networks: Vec<Cow<'static, str>>,
    proxies: Vec<Cow<'static, str>>,
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
    /// `fd00::/8`, or one address). The address is the connection's peer:
    /// `X-Forwarded-For` and `Forwarded` count only from a proxy named in
    /// [`trust_proxies`](Self::trust_proxies), never by default. With axum,
    /// serve the app with `into_make_service_with_connect_info::<SocketAddr>()`
    /// so the adapter knows the peer; without a peer address no network
    /// rule allows anything.
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

    /// Proxies (CIDR) whose `Forwarded` / `X-Forwarded-For` headers name
    /// the client: from a peer in these networks, the client is the nearest
    /// forwarded address that is not itself a trusted proxy.
    pub fn trust_proxies<I, N>(mut self, proxies: I) -> Self
    where
        I: IntoIterator<Item = N>,
        N: Into<Cow<'static, str>>,
    {
        self.proxies.extend(proxies.into_iter().map(Into::into));
        self
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
        if problems.is_empty() {
            Ok(Rule {
                everyone: self.everyone,
                token,
                networks,
                proxies,
            })
        } else {
            Err(problems)
        }
    }
}

impl fmt::Debug for Disclosure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Disclosure")
            .field("everyone", &self.everyone)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("networks", &self.networks)
            .field("proxies", &self.proxies)
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
}

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
        let client = network::client(
            request.peer,
            &self.proxies,
            request.header("forwarded"),
            request.header("x-forwarded-for"),
        );
        client.is_some_and(|ip| self.networks.iter().any(|n| n.contains(ip)))
    }
}
