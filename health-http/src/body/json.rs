//! The probes' own JSON body (`application/json`).

use super::View;
use super::write as json;
use health_core::hygiene::sanitize;
use health_core::report::{Component, Report};

/// The JSON body of `report`:
/// `{"status":"DOWN","components":{"redis":{"status":"DOWN","message":"connection refused","critical":true,"duration_ms":3.2,"age_ms":0.0}},"version":"1.2.3","uptime_seconds":431,"timestamp":"2026-11-25T18:40:00.000Z"}`.
/// [`Visibility::Status`](super::Visibility::Status) gives `{"status":"UP"}`.
pub(crate) fn json(report: &Report, view: &View<'_>) -> Vec<u8> {
    let full = view.full();
    let components = report.components();
    let shown = if view.components() {
        components.len()
    } else {
        0
    };
    let mut out = Vec::with_capacity(64 + shown * if full { 128 } else { 48 });
    out.extend_from_slice(b"{\"status\":\"");
    out.extend_from_slice(report.status().as_str().as_bytes());
    out.push(b'"');
    if let Some(reason) = report.reason().filter(|_| full) {
        out.extend_from_slice(b",\"reason\":");
        json::string(&mut out, &sanitize(reason));
    }
    if view.components() {
        out.extend_from_slice(b",\"components\":{");
        // Components are sorted by name and their names unique: the
        // map's order is theirs.
        for (i, c) in components.iter().enumerate() {
            json::comma(&mut out, i);
            json::plain_string(&mut out, c.name());
            out.push(b':');
            component(&mut out, c, full);
        }
        out.push(b'}');
    }
    if let Some(version) = view.shown_version() {
        out.extend_from_slice(b",\"version\":");
        json::string(&mut out, version);
    }
    if let Some(uptime) = view.shown_uptime() {
        out.extend_from_slice(b",\"uptime_seconds\":");
        json::unsigned(&mut out, uptime.as_secs());
    }
    if full {
        out.extend_from_slice(b",\"timestamp\":");
        json::time(&mut out, report.timestamp());
    }
    out.push(b'}');
    out
}

/// One component's object, its keys in the order of the serde structs the
/// tests compare it against.
fn component(out: &mut Vec<u8>, c: &Component, full: bool) {
    out.extend_from_slice(b"{\"status\":\"");
    out.extend_from_slice(c.status().as_str().as_bytes());
    out.push(b'"');
    if let Some(message) = c.message().filter(|_| full) {
        out.extend_from_slice(b",\"message\":");
        json::string(out, &sanitize(message));
    }
    out.extend_from_slice(if c.is_critical() {
        b",\"critical\":true"
    } else {
        b",\"critical\":false"
    });
    if let Some(duration) = c.duration().filter(|_| full) {
        out.extend_from_slice(b",\"duration_ms\":");
        json::millis(out, duration);
    }
    if let Some(age) = c.age().filter(|_| full) {
        out.extend_from_slice(b",\"age_ms\":");
        json::millis(out, age);
    }
    if full && c.is_stale() {
        out.extend_from_slice(b",\"stale\":true");
    }
    if full && c.is_slow() {
        out.extend_from_slice(b",\"slow\":true");
    }
    if full && c.tags().next().is_some() {
        out.extend_from_slice(b",\"tags\":[");
        for (i, tag) in c.tags().enumerate() {
            json::comma(out, i);
            json::string(out, tag);
        }
        out.push(b']');
    }
    if let Some(observed) = c.observed().filter(|_| full) {
        out.extend_from_slice(b",\"observed_value\":");
        json::value(out, observed.value());
        if let Some(unit) = observed.unit() {
            out.extend_from_slice(b",\"observed_unit\":");
            json::string(out, unit);
        }
    }
    if let Some(details) = c.details().filter(|_| full) {
        out.extend_from_slice(b",\"details\":");
        json::value(out, details);
    }
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::Visibility;
    use crate::body::rfc3339;
    use crate::body::write::millis_f64 as millis;
    use serde::Serialize;
    use serde_json::{Map, Value};
    use std::collections::BTreeMap;
    use std::time::Duration;

    #[derive(Serialize)]
    struct Body<'a> {
        status: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<std::borrow::Cow<'a, str>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        components: Option<BTreeMap<&'a str, ComponentBody<'a>>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        version: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        uptime_seconds: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        timestamp: Option<String>,
    }

    #[derive(Serialize)]
    struct ComponentBody<'a> {
        status: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        message: Option<std::borrow::Cow<'a, str>>,
        critical: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        duration_ms: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        age_ms: Option<f64>,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        stale: bool,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        slow: bool,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        tags: Vec<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        observed_value: Option<&'a Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        observed_unit: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        details: Option<&'a Map<String, Value>>,
    }

    impl<'a> ComponentBody<'a> {
        fn new(c: &'a Component, full: bool) -> Self {
            let observed = c.observed().filter(|_| full);
            Self {
                status: c.status().as_str(),
                message: c.message().filter(|_| full).map(sanitize),
                critical: c.is_critical(),
                duration_ms: c.duration().filter(|_| full).map(millis),
                age_ms: c.age().filter(|_| full).map(millis),
                stale: full && c.is_stale(),
                slow: full && c.is_slow(),
                tags: if full { c.tags().collect() } else { Vec::new() },
                observed_value: observed.map(|o| o.value()),
                observed_unit: observed.and_then(|o| o.unit()),
                details: c.details().filter(|_| full),
            }
        }
    }

    /// The body as serde writes it from the structs above: what the hand
    /// written one must equal, byte for byte.
    fn by_serde(report: &Report, view: &View<'_>) -> Vec<u8> {
        let full = view.full();
        let body = Body {
            status: report.status().as_str(),
            reason: report.reason().filter(|_| full).map(sanitize),
            components: view.components().then(|| {
                report
                    .components()
                    .iter()
                    .map(|c| (c.name(), ComponentBody::new(c, full)))
                    .collect()
            }),
            version: view.shown_version(),
            uptime_seconds: view.shown_uptime().map(|u| u.as_secs()),
            timestamp: full.then(|| rfc3339(report.timestamp())),
        };
        serde_json::to_vec(&body).unwrap()
    }

    #[tokio::test]
    async fn the_hand_written_body_is_serdes_byte_for_byte() {
        use health_core::{Check, Observed, Outcome, Probe, Registry};
        let registry = Registry::builder()
            .without_declared()
            .version("1.2.3")
            .check(Check::new("plain", || async {}))
            .check(
                Check::new("tagged", || async {})
                    .with_tags(["external", "db"])
                    .with_critical(false),
            )
            .check(Check::new("failing", || async {
                Outcome::down("line\nbreak \"quoted\" \u{1} tab\t \u{2028} ü 😀")
                    .with_observed(Observed::new(1.5, "ms"))
                    .with_detail("pool", serde_json::json!({"open": 1, "idle": 0}))
            }))
            .check(Check::new("observed", || async {
                Outcome::up().with_observed(Observed::without_unit(serde_json::json!([1, "x"])))
            }))
            .check(
                Check::new("slow", || tokio::time::sleep(Duration::from_secs(30)))
                    .with_timeout(Duration::from_secs(60)),
            )
            .build()
            .unwrap();
        // `slow` is still running at the deadline: stale, UNKNOWN.
        let deadline = tokio::time::Instant::now() + Duration::from_millis(20);
        let report = registry.run_until(Probe::Readiness, deadline).await;
        assert!(report.component("slow").unwrap().is_stale());
        for visibility in [Visibility::Status, Visibility::Components, Visibility::Full] {
            for view in [
                View::new(visibility),
                View::new(visibility)
                    .version(Some("1.2.3"))
                    .uptime(Some(std::time::Duration::from_secs(431))),
            ] {
                let body = json(&report, &view);
                assert_eq!(
                    String::from_utf8_lossy(&body),
                    String::from_utf8_lossy(&by_serde(&report, &view)),
                    "{visibility:?}"
                );
                serde_json::from_slice::<serde_json::Value>(&body).unwrap();
            }
        }
    }
}
