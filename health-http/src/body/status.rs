//! The status-only bodies: constants, so that an anonymous probe costs no
//! writing at all.

use super::ContentType;
use super::health_json::status_word;
use bytes::Bytes;
use health_core::{Probe, Status};

/// The body of a probe's answer that shows its status only, in
/// `content_type` (one of the probe formats): what every format's writer
/// gives for a report seen with [`Visibility::Status`](super::Visibility::Status).
pub(crate) fn status_only(
    content_type: ContentType,
    probe: Option<Probe>,
    status: Status,
) -> Bytes {
    let body: &'static str = match content_type {
        ContentType::HealthJson => match status_word(status) {
            "pass" => r#"{"status":"pass"}"#,
            "warn" => r#"{"status":"warn"}"#,
            _ => r#"{"status":"fail"}"#,
        },
        ContentType::Text => match (probe, status.is_serving()) {
            (Some(Probe::Liveness), true) => "liveness check passed\n",
            (Some(Probe::Liveness), false) => "liveness check failed\n",
            (Some(Probe::Readiness), true) => "readiness check passed\n",
            (Some(Probe::Readiness), false) => "readiness check failed\n",
            (Some(Probe::Startup), true) => "startup check passed\n",
            (Some(Probe::Startup), false) => "startup check failed\n",
            (None, true) => "health check passed\n",
            (None, false) => "health check failed\n",
        },
        // JSON, and any other type a caller could not ask a probe for.
        _ => match status {
            Status::Up => r#"{"status":"UP"}"#,
            Status::Degraded => r#"{"status":"DEGRADED"}"#,
            Status::Unknown => r#"{"status":"UNKNOWN"}"#,
            Status::Down => r#"{"status":"DOWN"}"#,
            Status::OutOfService => r#"{"status":"OUT_OF_SERVICE"}"#,
        },
    };
    Bytes::from_static(body.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::{View, Visibility, health_json, json, text};
    use health_core::{Check, Probes, Registry};

    /// The constant status-only bodies are what the writers produce.
    #[tokio::test]
    async fn status_bodies_match_the_writers() {
        for (ok, expected) in [(true, Status::Up), (false, Status::Down)] {
            let registry = Registry::builder()
                .without_declared()
                .check(
                    Check::new("c", move || async move { ok })
                        .with_probes(Probes::LIVENESS.with(Probe::Readiness).with(Probe::Startup)),
                )
                .build()
                .unwrap();
            for probe in [Probe::Liveness, Probe::Readiness, Probe::Startup] {
                let report = registry.run(probe).await;
                assert_eq!(report.status(), expected);
                let view = View::new(Visibility::Status);
                assert_eq!(
                    status_only(ContentType::Json, Some(probe), expected),
                    json(&report, &view)
                );
                assert_eq!(
                    status_only(ContentType::HealthJson, Some(probe), expected),
                    health_json(&report, &view)
                );
                assert_eq!(
                    status_only(ContentType::Text, Some(probe), expected),
                    text(&report, &view)
                );
            }
        }
        for status in [Status::Degraded, Status::Unknown, Status::OutOfService] {
            let body: serde_json::Value =
                serde_json::from_slice(&status_only(ContentType::Json, None, status)).unwrap();
            assert_eq!(body["status"], status.as_str());
            let body: serde_json::Value =
                serde_json::from_slice(&status_only(ContentType::HealthJson, None, status))
                    .unwrap();
            assert_eq!(body["status"], status_word(status));
        }
    }
}
