//! The services' configuration, from environment variables.

use crate::Error;
use health::http::Disclosure;
use std::net::SocketAddr;
use std::time::Duration;

/// What the example services read from their environment (see the crate
/// docs for the variables).
#[derive(Debug, Clone)]
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
    /// the details without a token, e.g. `127.0.0.1/32` for a browser on
    /// this machine viewing the status page (a browser cannot send the
    /// bearer token). Empty: none.
    pub health_networks: Vec<String>,
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
}

impl Config {
    /// Reads the environment; `default_bind` when `BIND` is unset.
    pub fn from_env(default_bind: &str) -> Result<Self, Error> {
        let bind = var("BIND").unwrap_or_else(|| default_bind.to_owned());
        let bind = bind
            .parse()
            .map_err(|e| format!("BIND={bind:?} is not an address like 127.0.0.1:8080: {e}"))?;
        let drain_delay = match var("DRAIN_DELAY_SECS") {
            Some(secs) => Duration::from_secs(
                secs.parse()
                    .map_err(|e| format!("DRAIN_DELAY_SECS={secs:?}: {e}"))?,
            ),
            None => Duration::from_secs(5),
        };
        Ok(Self {
            bind,
            database_url: var("DATABASE_URL"),
            redis_url: var("REDIS_URL"),
            upstream_url: var("UPSTREAM_URL"),
            health_token: var("HEALTH_TOKEN"),
            health_networks: var("HEALTH_NETWORKS")
                .map(|list| {
                    list.split(',')
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            admin_token: var("HEALTH_ADMIN_TOKEN"),
            commit: var("GIT_COMMIT"),
            drain_delay,
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

/// A variable's value; unset and empty are the same.
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}
