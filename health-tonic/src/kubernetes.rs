//! The Kubernetes probes of the server: `grpc` on its port, one service
//! name per probe.

use crate::server::HealthServer;
use health_core::KubernetesProbes;
use std::num::NonZeroU16;
use std::time::Duration;

impl HealthServer {
    /// The Kubernetes probes for this server on container port `port`,
    /// for a pod whose RPCs in flight get `request_budget` after the drain
    /// delay: `grpc` probes (Kubernetes takes a port number there, not a
    /// port name) asking for each probe's service name (`liveness`,
    /// `readiness`, `startup`, or the names set with
    /// [`probe_name`](crate::HealthServerBuilder::probe_name)), the
    /// numbers as the registry's checks call for
    /// ([`Registry::probe_settings`](health_core::Registry::probe_settings)
    /// gives the rules). Each `timeoutSeconds` is at least the server's
    /// [`probe_timeout`](crate::HealthServerBuilder::probe_timeout); the
    /// kubelet sends its `timeoutSeconds` as `grpc-timeout`, and the server
    /// answers by that deadline.
    ///
    /// ```
    /// use health_core::{Check, Probe, Registry};
    /// use health_tonic::HealthServer;
    /// use std::num::NonZeroU16;
    /// use std::time::Duration;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let registry = Registry::builder()
    ///     .without_declared()
    ///     .check(Check::new("db", || async { true }).with_timeout(Duration::from_secs(2)))
    ///     .drain_delay(Duration::from_secs(5))
    ///     .build()?;
    /// let health = HealthServer::builder(registry)
    ///     .probe_name(Probe::Liveness, "live")
    ///     .build()?;
    /// let port = NonZeroU16::new(50051).ok_or("port 0")?;
    /// let kubernetes = health.kubernetes_probes(port, Duration::from_secs(10));
    /// let yaml = kubernetes.container_yaml(0);
    /// assert!(yaml.contains("livenessProbe:\n  grpc: { port: 50051, service: live }\n"));
    /// assert!(yaml.contains(
    ///     "readinessProbe:\n  grpc: { port: 50051, service: readiness }\n  timeoutSeconds: 3\n"
    /// ));
    /// assert_eq!(kubernetes.termination_grace_period_seconds(), 16);
    /// # Ok(()) }
    /// ```
    pub fn kubernetes_probes(
        &self,
        port: NonZeroU16,
        request_budget: Duration,
    ) -> KubernetesProbes {
        let settings = self
            .registry()
            .probe_settings(self.0.probe_timeout(), request_budget);
        KubernetesProbes::new(settings, |probe| {
            let service = yaml_string(self.0.probe_name(probe));
            format!("grpc: {{ port: {port}, service: {service} }}")
        })
    }
}

/// `name` as a YAML scalar: as it is when YAML reads it back as that
/// string (a lowercase letter, then lowercase letters, digits, `-`, `_`
/// and `.`, and not a word YAML 1.1 reads as a boolean or null), else
/// double-quoted, with every character YAML does not print escaped.
fn yaml_string(name: &str) -> String {
    const WORDS: [&str; 9] = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"];
    let plain = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
        && !WORDS.contains(&name);
    if plain {
        return name.to_owned();
    }
    let mut quoted = String::with_capacity(name.len() + 2);
    quoted.push('"');
    for c in name.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            ' '..='~'
            | '\u{a0}'..='\u{2027}'
            | '\u{202a}'..='\u{d7ff}'
            | '\u{e000}'..='\u{fefe}' => quoted.push(c),
            '\u{ff00}'..='\u{fffd}' | '\u{10000}'.. => quoted.push(c),
            // Controls, line and paragraph separators, the byte order
            // mark and the non-characters.
            _ => quoted.push_str(&format!("\\u{:04x}", u32::from(c))),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::yaml_string;
    use crate::HealthServer;
    use health_core::{Check, Probe, Registry};
    use std::num::NonZeroU16;
    use std::time::Duration;

    #[test]
    fn each_probe_asks_for_its_own_service_by_the_servers_deadline() {
        let registry = Registry::builder()
            .without_declared()
            .check(Check::new("db", || async { true }))
            .build()
            .unwrap();
        let health = HealthServer::builder(registry)
            .probe_name(Probe::Readiness, "ready")
            .probe_name(Probe::Startup, "on")
            .components(true)
            .probe_timeout(Duration::from_millis(3500))
            .build()
            .unwrap();
        let kubernetes = health.kubernetes_probes(NonZeroU16::MAX, Duration::ZERO);
        // Readiness by its name, not `""`; a name YAML would misread, quoted.
        for (probe, handler) in [
            (Probe::Startup, r#"grpc: { port: 65535, service: "on" }"#),
            (Probe::Liveness, "grpc: { port: 65535, service: liveness }"),
            (Probe::Readiness, "grpc: { port: 65535, service: ready }"),
        ] {
            assert_eq!(kubernetes.handler(probe), handler);
        }
        // The 1 s check answers within the server's 3.5 s probe timeout:
        // the kubelet waits as long.
        for probe in kubernetes.settings().probes() {
            assert_eq!(probe.timeout_seconds, 4, "{probe:?}");
        }
    }

    #[test]
    fn service_names_are_plain_or_quoted() {
        for plain in ["liveness", "readiness", "live-1", "a.b_c"] {
            assert_eq!(yaml_string(plain), plain);
        }
        for (name, quoted) in [
            ("", r#""""#),
            ("yes", r#""yes""#),
            ("off", r#""off""#),
            ("1", r#""1""#),
            ("Live", r#""Live""#),
            ("a: b", r#""a: b""#),
            ("#x", r##""#x""##),
            ("say \"hi\"\\", r#""say \"hi\"\\""#),
            ("tab\there", r#""tab\u0009here""#),
            ("line\u{2028}break", r#""line\u2028break""#),
            ("bom\u{feff}", r#""bom\ufeff""#),
            ("émoji 🙂", r#""émoji 🙂""#),
        ] {
            assert_eq!(yaml_string(name), quoted, "{name:?}");
        }
    }
}
