//! The services' configuration, from environment variables.

use crate::Error;
use health::StopSignal;
use health::http::Disclosure;
use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

/// Every variable [`Config::from_env`] reads. Deploy files name only these
/// (a test reads `deploy/` and holds them to it).
pub const VARIABLES: &[&str] = &[
    "BIND",
    "PROBE_BIND",
    "DATABASE_URL",
    "REDIS_URL",
    "UPSTREAM_URL",
    "HEALTH_TOKEN",
    "HEALTH_NETWORKS",
    "HEALTH_ALLOWED_HOSTS",
    "HEALTH_ADMIN_TOKEN",
    "GIT_COMMIT",
    "DRAIN_DELAY_SECS",
    "DRAIN_CONNECTIONS",
    "STOP_SIGNALS",
    "TRACE_PROBES",
];

/// The networks that see details when the service binds a loopback address
/// and `HEALTH_NETWORKS` is unset: a browser on this machine.
pub const LOOPBACK_NETWORKS: &[&str] = &["127.0.0.0/8", "::1/128"];

/// What the example services read from their environment (see the crate
/// docs for the variables).
///
/// `Debug` shows no secret: tokens are `<redacted>`, and the URLs keep
/// their scheme, host and path but not their credentials or query.
#[derive(Clone)]
pub struct Config {
    /// `BIND`: the listen address.
    pub bind: SocketAddr,
    /// `DATABASE_URL`: PostgreSQL when set, else embedded SQLite.
    pub database_url: Option<String>,
    /// `REDIS_URL`: adds the Redis check when set.
    pub redis_url: Option<String>,
    /// `UPSTREAM_URL`: adds the upstream HTTP check when set.
    pub upstream_url: Option<String>,
    /// `HEALTH_TOKEN`: bearer token that unlocks the health endpoints'
    /// details. Unset: every caller sees only the status.
    pub health_token: Option<String>,
    /// `HEALTH_NETWORKS`: comma-separated networks (CIDR) whose callers see
    /// the details without a token, e.g. `10.0.0.0/8` (a browser cannot
    /// send the bearer token). `none`: no network. Unset: the loopback
    /// networks ([`LOOPBACK_NETWORKS`]) when `BIND` is a loopback address,
    /// so a browser on this machine sees the status page's checks; none
    /// otherwise.
    pub health_networks: Vec<String>,
    /// `HEALTH_ALLOWED_HOSTS`: comma-separated host names the status page
    /// answers beside `localhost` and IP addresses, where a network rule
    /// shows it details (the DNS-rebinding guard): the name of an ingress
    /// or a Service that people open the page through. Unset: none.
    pub allowed_hosts: Vec<String>,
    /// `HEALTH_ADMIN_TOKEN`: bearer token of the admin routes (maintenance),
    /// a different secret from `HEALTH_TOKEN`: reading details must not
    /// grant taking the service out of rotation. Unset: the admin routes
    /// answer 403.
    pub admin_token: Option<String>,
    /// `GIT_COMMIT`: reported by `/version`.
    pub commit: Option<String>,
    /// `DRAIN_DELAY_SECS`: how long readiness reports OUT_OF_SERVICE after
    /// SIGTERM before the server stops accepting connections.
    pub drain_delay: Duration,
    /// `DRAIN_CONNECTIONS`: `on` (the default) drains the application's
    /// own connections too (`Connection: close`, GOAWAY, a refusal after
    /// the delay); `off` only turns readiness OUT_OF_SERVICE and stops
    /// accepting after the delay, for comparison (`bench/drain.sh`).
    pub drain_connections: bool,
    /// `STOP_SIGNALS`: comma-separated signals that begin the drain, such
    /// as the container's `stopSignal` (default `SIGTERM,SIGINT`).
    pub stop_signals: Vec<StopSignal>,
    /// `TRACE_PROBES`: `off` (the default) leaves probes out of the
    /// application's request spans (a failing answer still leaves the
    /// contract's `health_request` span); `on` traces every request,
    /// probes too, for comparison.
    pub trace_probes: bool,
    /// `PROBE_BIND`: the dedicated probe listener's address (probes
    /// answered before any of the application's work). Unset: `BIND`'s
    /// address with its port plus 2 (8082 for 8080; an ephemeral port for
    /// port 0); `none`: no dedicated listener.
    pub probe_bind: Option<SocketAddr>,
}

impl Config {
    /// Reads the environment; `default_bind` when `BIND` is unset.
    pub fn from_env(default_bind: &str) -> Result<Self, Error> {
        Self::from_vars(default_bind, |name| std::env::var(name).ok())
    }

    /// Reads the variables through `lookup` (a variable's value by name),
    /// as [`from_env`](Self::from_env) reads the environment. Unset and
    /// empty are the same.
    pub fn from_vars(
        default_bind: &str,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let bind = var("BIND").unwrap_or_else(|| default_bind.to_owned());
        let bind: SocketAddr = bind
            .parse()
            .map_err(|e| format!("BIND={bind:?} is not an address like 127.0.0.1:8080: {e}"))?;
        let probe_bind = match var("PROBE_BIND") {
            Some(value) if value.trim() == "none" => None,
            Some(value) => Some(value.parse().map_err(|e| {
                format!("PROBE_BIND={value:?} is not an address like 127.0.0.1:8082, or none: {e}")
            })?),
            None => {
                let port = match bind.port() {
                    0 => 0,
                    port => port
                        .checked_add(2)
                        .ok_or("BIND's port leaves no room for PROBE_BIND: set it")?,
                };
                Some(SocketAddr::new(bind.ip(), port))
            }
        };
        let drain_delay = match var("DRAIN_DELAY_SECS") {
            Some(secs) => Duration::from_secs(
                secs.parse()
                    .map_err(|e| format!("DRAIN_DELAY_SECS={secs:?}: {e}"))?,
            ),
            None => Duration::from_secs(5),
        };
        let drain_connections = match var("DRAIN_CONNECTIONS").as_deref().map(str::trim) {
            None | Some("on") => true,
            Some("off") => false,
            Some(other) => return Err(format!("DRAIN_CONNECTIONS={other:?}: on or off").into()),
        };
        let trace_probes = match var("TRACE_PROBES").as_deref().map(str::trim) {
            None | Some("off") => false,
            Some("on") => true,
            Some(other) => return Err(format!("TRACE_PROBES={other:?}: on or off").into()),
        };
        let stop_signals = match var("STOP_SIGNALS") {
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().map_err(|e| format!("STOP_SIGNALS: {e}")))
                .collect::<Result<_, _>>()?,
            None => StopSignal::DEFAULT.to_vec(),
        };
        let health_networks = match var("HEALTH_NETWORKS") {
            Some(list) if list.trim() == "none" => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .collect(),
            None if bind.ip().is_loopback() => {
                LOOPBACK_NETWORKS.iter().map(|&n| n.to_owned()).collect()
            }
            None => Vec::new(),
        };
        Ok(Self {
            bind,
            database_url: var("DATABASE_URL"),
            redis_url: var("REDIS_URL"),
            upstream_url: var("UPSTREAM_URL"),
            health_token: var("HEALTH_TOKEN"),
            health_networks,
            allowed_hosts: var("HEALTH_ALLOWED_HOSTS")
                .map(|list| {
                    list.split(',')
                        .map(str::trim)
                        .filter(|h| !h.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            admin_token: var("HEALTH_ADMIN_TOKEN"),
            commit: var("GIT_COMMIT"),
            drain_delay,
            drain_connections,
            stop_signals,
            trace_probes,
            probe_bind,
        })
    }

    /// Who may see details: bearers of `HEALTH_TOKEN` and callers from
    /// `HEALTH_NETWORKS`, else nobody. `Disclosure::never()` is the safe
    /// default for a port that a load balancer, or the internet, can reach.
    pub fn disclosure(&self) -> Disclosure {
        let rule = match &self.health_token {
            Some(token) => Disclosure::bearer(token.clone()),
            None => Disclosure::never(),
        };
        rule.or_networks(self.health_networks.clone())
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = |url: &Option<String>| url.as_deref().map(redact_url);
        let secret = |token: &Option<String>| token.as_ref().map(|_| Redacted);
        f.debug_struct("Config")
            .field("bind", &self.bind)
            .field("database_url", &url(&self.database_url))
            .field("redis_url", &url(&self.redis_url))
            .field("upstream_url", &url(&self.upstream_url))
            .field("health_token", &secret(&self.health_token))
            .field("health_networks", &self.health_networks)
            .field("allowed_hosts", &self.allowed_hosts)
            .field("admin_token", &secret(&self.admin_token))
            .field("commit", &self.commit)
            .field("drain_delay", &self.drain_delay)
            .field("drain_connections", &self.drain_connections)
            .field("stop_signals", &self.stop_signals)
            .field("trace_probes", &self.trace_probes)
            .field("probe_bind", &self.probe_bind)
            .finish()
    }
}

/// A secret in `Debug` output.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// `url` without what may be secret: everything up to the last `@`
/// (`user:password@`) becomes `***@`, a query (`?password=...`) `?***`, a
/// fragment is dropped. Something that is not `scheme://...` is redacted
/// whole.
fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "<redacted>".to_owned();
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let (rest, query) = match rest.split_once('?') {
        Some((rest, _)) => (rest, "?***"),
        None => (rest, ""),
    };
    // The last `@`: a password may hold `/` or `@` unencoded.
    match rest.rsplit_once('@') {
        Some((_, host)) => format!("{scheme}://***@{host}{query}"),
        None => format!("{scheme}://{rest}{query}"),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn urls_lose_their_credentials_and_queries() {
        for (url, shown) in [
            (
                "postgres://app:hunter2@db:5432/app",
                "postgres://***@db:5432/app",
            ),
            ("redis://:hunter2@cache:6379/0", "redis://***@cache:6379/0"),
            (
                "postgres://db/app?user=app&password=hunter2",
                "postgres://db/app?***",
            ),
            ("http://u:p@up/x#p=hunter2", "http://***@up/x"),
            ("http://upstream:8080", "http://upstream:8080"),
            ("postgres://u:pa/ss@w@db/app", "postgres://***@db/app"),
            ("hunter2", "<redacted>"),
        ] {
            assert_eq!(redact_url(url), shown, "{url}");
        }
    }
}
