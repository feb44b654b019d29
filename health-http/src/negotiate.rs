//! Content negotiation: which body format a request gets, and the
//! constant status-only bodies.

use crate::query::Format;
use crate::response::ContentType;
use bytes::Bytes;
use health_core::{Probe, Status};

/// The media type of the IETF "Health Check Response Format" draft body.
pub const IETF_CONTENT_TYPE: &str = "application/health+json";

/// The format of a request: `?format=` first, then `Accept`, else native.
pub(crate) fn format(query: Option<Format>, accept: Option<&str>) -> Format {
    query
        .or_else(|| accepts_ietf(accept).then_some(Format::Ietf))
        .unwrap_or(Format::Native)
}

impl Format {
    pub(crate) fn content_type(self) -> ContentType {
        match self {
            Format::Native => ContentType::Json,
            Format::Ietf => ContentType::HealthJson,
            Format::Text => ContentType::Text,
        }
    }
}

/// Whether `Accept` lists `application/health+json` with a quality above
/// zero.
fn accepts_ietf(accept: Option<&str>) -> bool {
    accept.is_some_and(|accept| {
        accept.split(',').any(|range| {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or_default().trim();
            media.eq_ignore_ascii_case(IETF_CONTENT_TYPE) && !parts.any(zero_quality)
        })
    })
}

/// A `q=0` parameter: "not acceptable".
fn zero_quality(param: &str) -> bool {
    let param = param.trim();
    let q = param
        .strip_prefix("q=")
        .or_else(|| param.strip_prefix("Q="));
    q.is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q == 0.0))
}

/// The status-only bodies: constants, so an anonymous probe costs no
/// serialization.
pub(crate) fn status_body(format: Format, probe: Option<Probe>, status: Status) -> Bytes {
    let body: &'static str = match format {
        Format::Native => match status {
            Status::Up => r#"{"status":"UP"}"#,
            Status::Degraded => r#"{"status":"DEGRADED"}"#,
            Status::Unknown => r#"{"status":"UNKNOWN"}"#,
            Status::Down => r#"{"status":"DOWN"}"#,
            Status::OutOfService => r#"{"status":"OUT_OF_SERVICE"}"#,
        },
        Format::Ietf => match status.ietf() {
            "pass" => r#"{"status":"pass"}"#,
            "warn" => r#"{"status":"warn"}"#,
            _ => r#"{"status":"fail"}"#,
        },
        Format::Text => match (probe, status.is_serving()) {
            (Some(Probe::Liveness), true) => "liveness check passed\n",
            (Some(Probe::Liveness), false) => "liveness check failed\n",
            (Some(Probe::Readiness), true) => "readiness check passed\n",
            (Some(Probe::Readiness), false) => "readiness check failed\n",
            (Some(Probe::Startup), true) => "startup check passed\n",
            (Some(Probe::Startup), false) => "startup check failed\n",
            (None, true) => "health check passed\n",
            (None, false) => "health check failed\n",
        },
    };
    Bytes::from_static(body.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use health_core::report::Render;
    use health_core::{Check, Probes, Registry};

    #[test]
    fn accept_header() {
        assert!(accepts_ietf(Some("application/health+json")));
        assert!(accepts_ietf(Some(
            "text/html, Application/Health+JSON; q=0.5"
        )));
        assert!(!accepts_ietf(Some("application/health+json;q=0")));
        assert!(!accepts_ietf(Some("application/json")));
        assert!(!accepts_ietf(None));
    }

    /// The constant status-only bodies are what the renderers produce.
    #[tokio::test]
    async fn status_bodies_match_the_renderings() {
        for (ok, expected) in [(true, Status::Up), (false, Status::Down)] {
            let registry = Registry::builder()
                .without_declared()
                .check(
                    Check::new("c", move || async move { ok })
                        .probes(Probes::LIVENESS.with(Probe::Readiness).with(Probe::Startup)),
                )
                .build()
                .unwrap();
            for probe in [Probe::Liveness, Probe::Readiness, Probe::Startup] {
                let report = registry.run(probe).await;
                assert_eq!(report.status(), expected);
                let render = Render::STATUS;
                assert_eq!(
                    status_body(Format::Native, Some(probe), expected),
                    report.to_json(&render)
                );
                assert_eq!(
                    status_body(Format::Ietf, Some(probe), expected),
                    report.to_ietf_json(&render)
                );
                assert_eq!(
                    status_body(Format::Text, Some(probe), expected),
                    report.to_text(&render)
                );
            }
        }
        for status in [Status::Degraded, Status::Unknown, Status::OutOfService] {
            let body: serde_json::Value =
                serde_json::from_slice(&status_body(Format::Native, None, status)).unwrap();
            assert_eq!(body["status"], status.as_str());
            let body: serde_json::Value =
                serde_json::from_slice(&status_body(Format::Ietf, None, status)).unwrap();
            assert_eq!(body["status"], status.ietf());
        }
    }
}
