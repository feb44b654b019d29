//! [`KubernetesProbes`]: probe settings written as a container's
//! Kubernetes probe blocks, once for every protocol.

use super::settings::PodSettings;
use crate::check::Probe;
use std::fmt::Write as _;

/// A container's `startupProbe`, `livenessProbe` and `readinessProbe`, and
/// the pod's `terminationGracePeriodSeconds`, as [`PodSettings`] call for
/// ([`Registry::probe_settings`](crate::Registry::probe_settings) gives
/// the rules). Each probe is reached by the handler its protocol names:
/// `health-http`'s `Endpoints::kubernetes_probes` gives `httpGet` blocks,
/// `health-tonic`'s `HealthServer::kubernetes_probes` `grpc` blocks. The
/// numbers and the YAML around the handler are written here, once.
///
/// ```
/// use health_core::{Check, KubernetesProbes, Probe, Registry};
/// use std::time::Duration;
/// # fn main() -> Result<(), health_core::BuildError> {
/// let registry = Registry::builder()
///     .without_declared()
///     .check(Check::new("db", || async { true }).with_timeout(Duration::from_secs(2)))
///     .drain_delay(Duration::from_secs(5))
///     .build()?;
/// let settings = registry.probe_settings(Duration::from_secs(1), Duration::from_secs(10));
/// let kubernetes = KubernetesProbes::new(settings, |probe| {
///     format!("exec: {{ command: [health-probe, --probe, {probe}] }}")
/// });
/// assert!(kubernetes.container_yaml(2).contains(
///     "  readinessProbe:\n    exec: { command: [health-probe, --probe, readiness] }\n    timeoutSeconds: 3\n"
/// ));
/// assert_eq!(kubernetes.termination_grace_period_seconds(), 16);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubernetesProbes {
    settings: PodSettings,
    /// Indexed like [`PodSettings::probes`]: startup, liveness, readiness.
    handlers: [String; 3],
}

impl KubernetesProbes {
    /// `settings`, each probe reached by `handler(probe)`: one line of
    /// YAML, the handler's key and its value in flow style, such as
    /// `httpGet: { path: /ready, port: probes }` or
    /// `grpc: { port: 50051, service: readiness }`. The protocol crates
    /// call it; the handler is written as given.
    pub fn new(settings: PodSettings, mut handler: impl FnMut(Probe) -> String) -> Self {
        let handlers = settings.probes().map(|p| handler(p.probe));
        Self { settings, handlers }
    }

    /// The settings behind the blocks.
    pub fn settings(&self) -> &PodSettings {
        &self.settings
    }

    /// The line that reaches `probe` (see [`new`](Self::new)).
    pub fn handler(&self, probe: Probe) -> &str {
        let index = match probe {
            Probe::Startup => 0,
            Probe::Liveness => 1,
            Probe::Readiness => 2,
        };
        &self.handlers[index]
    }

    /// The pod's `terminationGracePeriodSeconds`.
    pub fn termination_grace_period_seconds(&self) -> u64 {
        self.settings.termination_grace_period_seconds
    }

    /// The three probe blocks as YAML, for a container's spec, startup
    /// first, each line indented by `indent` spaces.
    pub fn container_yaml(&self, indent: usize) -> String {
        let pad = " ".repeat(indent);
        let mut yaml = String::new();
        for (settings, handler) in self.settings.probes().into_iter().zip(&self.handlers) {
            let key = match settings.probe {
                Probe::Startup => "startupProbe",
                Probe::Liveness => "livenessProbe",
                Probe::Readiness => "readinessProbe",
            };
            // Writing to a String cannot fail.
            let _ = write!(
                yaml,
                "{pad}{key}:\n\
                 {pad}  {handler}\n\
                 {pad}  timeoutSeconds: {timeout}\n\
                 {pad}  periodSeconds: {period}\n\
                 {pad}  failureThreshold: {failures}\n\
                 {pad}  successThreshold: {successes}\n",
                timeout = settings.timeout_seconds,
                period = settings.period_seconds,
                failures = settings.failure_threshold,
                successes = settings.success_threshold,
            );
        }
        yaml
    }
}

#[cfg(test)]
mod tests {
    use super::KubernetesProbes;
    use crate::{Check, Probe, Registry};
    use std::time::Duration;

    #[test]
    fn three_blocks_startup_first_each_with_its_handler() {
        let registry = Registry::builder()
            .without_declared()
            .check(
                Check::new("migrations", || async { true })
                    .with_probes(Probe::Startup)
                    .with_timeout(Duration::from_secs(3)),
            )
            .check(Check::new("db", || async { true }).with_cache(Duration::from_secs(4)))
            .drain_delay(Duration::from_secs(2))
            .build()
            .expect("built");
        let settings = registry.probe_settings(Duration::from_secs(1), Duration::from_secs(3));
        let kubernetes = KubernetesProbes::new(settings, |probe| format!("handler: {probe}"));
        assert_eq!(kubernetes.handler(Probe::Liveness), "handler: liveness");
        assert_eq!(kubernetes.termination_grace_period_seconds(), 6);
        let expected = [
            " startupProbe:",
            "   handler: startup",
            "   timeoutSeconds: 4",
            "   periodSeconds: 2",
            "   failureThreshold: 30",
            "   successThreshold: 1",
            " livenessProbe:",
            "   handler: liveness",
            "   timeoutSeconds: 1",
            "   periodSeconds: 10",
            "   failureThreshold: 3",
            "   successThreshold: 1",
            " readinessProbe:",
            "   handler: readiness",
            "   timeoutSeconds: 2",
            "   periodSeconds: 4",
            "   failureThreshold: 2",
            "   successThreshold: 1",
            "",
        ];
        assert_eq!(kubernetes.container_yaml(1), expected.join("\n"));
    }
}
