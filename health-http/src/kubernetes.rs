//! The Kubernetes probes of the endpoints: `httpGet` on their paths.

use crate::endpoints::Endpoints;
use crate::route::Resource;
use health_core::{KubernetesProbes, Probe};
use std::fmt;
use std::time::Duration;

/// A port that is neither a number from 1 to 65535 nor a Kubernetes port
/// name (up to 15 lowercase letters, digits and `-`, with a letter, not
/// starting or ending with `-`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortError(String);

impl fmt::Display for PortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a port: a number from 1 to 65535, or a port name \
             (up to 15 lowercase letters, digits and `-`)",
            self.0
        )
    }
}

impl std::error::Error for PortError {}

impl Endpoints {
    /// The Kubernetes probes for these endpoints served on `port` (a
    /// number, or the name of a container port), for a pod whose requests
    /// in flight get `request_budget` after the drain delay: `httpGet` on
    /// the endpoints' paths, the numbers as the registry's checks call for
    /// ([`Registry::probe_settings`](health_core::Registry::probe_settings)
    /// gives the rules). Each `timeoutSeconds` is at least the endpoints'
    /// [`probe_timeout`](crate::EndpointsBuilder::probe_timeout), so the
    /// kubelet never gives up before an answer is due.
    ///
    /// ```
    /// use health_core::{Check, Registry};
    /// use health_http::Endpoints;
    /// use std::time::Duration;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let registry = Registry::builder()
    ///     .without_declared()
    ///     .check(Check::new("db", || async { true }).with_timeout(Duration::from_secs(2)))
    ///     .drain_delay(Duration::from_secs(5))
    ///     .build()?;
    /// let endpoints = Endpoints::new(registry)?;
    /// let kubernetes = endpoints.kubernetes_probes("probes", Duration::from_secs(10))?;
    /// let yaml = kubernetes.container_yaml(0);
    /// assert!(yaml.contains("readinessProbe:\n  httpGet: { path: /ready, port: probes }\n  timeoutSeconds: 3\n"));
    /// assert_eq!(kubernetes.termination_grace_period_seconds(), 16);
    /// # Ok(()) }
    /// ```
    pub fn kubernetes_probes(
        &self,
        port: &str,
        request_budget: Duration,
    ) -> Result<KubernetesProbes, PortError> {
        if !is_port(port) {
            return Err(PortError(port.chars().take(64).collect()));
        }
        let settings = self
            .registry()
            .probe_settings(self.0.probe_timeout, request_budget);
        Ok(KubernetesProbes::new(settings, |probe| {
            let resource = match probe {
                Probe::Startup => Resource::Startup,
                Probe::Liveness => Resource::Liveness,
                Probe::Readiness => Resource::Readiness,
            };
            let path = self
                .routes()
                .iter()
                .find(|r| r.resource == resource)
                .map(|r| r.path.as_str())
                .unwrap_or_default();
            format!("httpGet: {{ path: {path}, port: {port} }}")
        }))
    }
}

/// A port number (1 to 65535) or an IANA service name as Kubernetes takes
/// it for a container port.
fn is_port(port: &str) -> bool {
    if port.bytes().all(|b| b.is_ascii_digit()) {
        return port.parse::<u16>().is_ok_and(|p| p > 0);
    }
    let bytes = port.as_bytes();
    bytes.len() <= 15
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes.iter().any(u8::is_ascii_lowercase)
        && !port.starts_with('-')
        && !port.ends_with('-')
        && !port.contains("--")
}

#[cfg(test)]
mod tests {
    use super::is_port;

    #[test]
    fn ports_are_numbers_or_names() {
        for good in ["8082", "1", "65535", "probes", "http-2", "a1"] {
            assert!(is_port(good), "{good}");
        }
        for bad in [
            "",
            "0",
            "65536",
            "Probes",
            "-a",
            "a-",
            "a--b",
            "123-",
            "a_b",
            "sixteen-chars-xx",
            "8o82 ",
        ] {
            assert!(!is_port(bad), "{bad:?}");
        }
    }
}
