//! The IETF "Health Check Response Format for HTTP APIs" draft's body
//! (`application/health+json`).

use super::View;
use super::write as json;
use health_core::Status;
use health_core::hygiene::sanitize;
use health_core::report::{Component, Report};

/// The draft's status word of `status`: `pass`, `warn` or `fail`.
pub(crate) const fn status_word(status: Status) -> &'static str {
    match status {
        Status::Up => "pass",
        Status::Degraded => "warn",
        Status::Unknown | Status::Down | Status::OutOfService => "fail",
    }
}

/// The draft's body of `report`: `status` pass / warn / fail; with
/// components visible a `checks` map of `componentId` and `status`, and
/// with [`Visibility::Full`](super::Visibility::Full) `observedValue`,
/// `observedUnit`, `time` and `output` too, and the service's `version`.
pub(crate) fn health_json(report: &Report, view: &View<'_>) -> Vec<u8> {
    let full = view.full();
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(b"{\"status\":\"");
    out.extend_from_slice(status_word(report.status()).as_bytes());
    out.push(b'"');
    if let Some(version) = view.shown_version() {
        out.extend_from_slice(b",\"version\":");
        json::string(&mut out, version);
    }
    if let Some(reason) = report.reason().filter(|_| full) {
        out.extend_from_slice(b",\"output\":");
        json::string(&mut out, &sanitize(reason));
    }
    if view.components() {
        // The draft keys checks "component:measurement"; the map is sorted
        // by that key, which is not always the components' order ("a-b:x"
        // before "a:x").
        let mut checks: Vec<(String, &Component)> =
            report.components().iter().map(|c| (key(c), c)).collect();
        checks.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        out.extend_from_slice(b",\"checks\":{");
        for (i, (key, c)) in checks.iter().enumerate() {
            json::comma(&mut out, i);
            json::string(&mut out, key);
            out.extend_from_slice(b":[");
            entry(&mut out, c, full);
            out.push(b']');
        }
        out.push(b'}');
    }
    out.push(b'}');
    out
}

/// A check's key: `name:unit` of its observed value (`name:value` without
/// a unit), else `name:responseTime`, measured by its duration.
fn key(c: &Component) -> String {
    match c.observed() {
        Some(o) => format!("{}:{}", c.name(), o.unit().unwrap_or("value")),
        None => format!("{}:responseTime", c.name()),
    }
}

fn entry(out: &mut Vec<u8>, c: &Component, full: bool) {
    out.extend_from_slice(b"{\"componentId\":");
    json::plain_string(out, c.name());
    out.extend_from_slice(b",\"status\":\"");
    out.extend_from_slice(status_word(c.status()).as_bytes());
    out.push(b'"');
    if full {
        match c.observed() {
            Some(o) if !o.value().is_null() => {
                out.extend_from_slice(b",\"observedValue\":");
                json::value(out, o.value());
                if let Some(unit) = o.unit() {
                    out.extend_from_slice(b",\"observedUnit\":");
                    json::string(out, unit);
                }
            }
            Some(_) => {}
            None => {
                if let Some(duration) = c.duration() {
                    out.extend_from_slice(b",\"observedValue\":");
                    json::millis(out, duration);
                    out.extend_from_slice(b",\"observedUnit\":\"ms\"");
                }
            }
        }
        if let Some(at) = c.observed_at() {
            out.extend_from_slice(b",\"time\":");
            json::time(out, at);
        }
        if let Some(message) = c.message() {
            out.extend_from_slice(b",\"output\":");
            json::string(out, &sanitize(message));
        }
    }
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::Visibility;
    use crate::body::rfc3339;
    use crate::body::write::millis_f64;
    use serde::Serialize;
    use serde_json::Value;
    use std::borrow::Cow;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        status: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        version: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        output: Option<Cow<'a, str>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        checks: Option<BTreeMap<String, [Entry<'a>; 1]>>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Entry<'a> {
        component_id: &'a str,
        status: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        observed_value: Option<Cow<'a, Value>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        observed_unit: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        time: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        output: Option<Cow<'a, str>>,
    }

    impl<'a> Entry<'a> {
        fn new(c: &'a Component, full: bool) -> (String, [Entry<'a>; 1]) {
            let (value, unit) = match c.observed() {
                Some(o) => (Cow::Borrowed(o.value()), o.unit()),
                None => (
                    Cow::Owned(
                        c.duration()
                            .map(millis_f64)
                            .map(Value::from)
                            .unwrap_or(Value::Null),
                    ),
                    Some("ms"),
                ),
            };
            let value = if value.is_null() || !full {
                None
            } else {
                Some(value)
            };
            let entry = Entry {
                component_id: c.name(),
                status: status_word(c.status()),
                observed_unit: value.as_ref().and(unit),
                observed_value: value,
                time: c.observed_at().filter(|_| full).map(rfc3339),
                output: c.message().filter(|_| full).map(sanitize),
            };
            (key(c), [entry])
        }
    }

    /// The body as serde writes it from the structs above: what the hand
    /// written one must equal, byte for byte.
    fn by_serde(report: &Report, view: &View<'_>) -> Vec<u8> {
        let full = view.full();
        let body = Body {
            status: status_word(report.status()),
            version: view.shown_version(),
            output: report.reason().filter(|_| full).map(sanitize),
            checks: view.components().then(|| {
                report
                    .components()
                    .iter()
                    .map(|c| Entry::new(c, full))
                    .collect()
            }),
        };
        serde_json::to_vec(&body).unwrap()
    }

    #[tokio::test]
    async fn the_hand_written_body_is_serdes_byte_for_byte() {
        use health_core::{Check, Observed, Outcome, Probe, Registry};
        let registry = Registry::builder()
            .without_declared()
            .version("1.2.3")
            .check(Check::new("a", || async {}))
            .check(Check::new("a-b", || async {}).with_critical(false))
            .check(Check::new("failing", || async {
                Outcome::down("line\nbreak \"quoted\" \u{1} tab\t \u{2028} ü 😀")
                    .with_observed(Observed::new(1.5, "m\"s"))
            }))
            .check(Check::new("null", || async {
                Outcome::up().with_observed(Observed::new(Value::Null, "ms"))
            }))
            .check(Check::new("observed", || async {
                Outcome::up().with_observed(Observed::without_unit(serde_json::json!([1, "x"])))
            }))
            .build()
            .unwrap();
        let report = registry.run(Probe::Readiness).await;
        for visibility in [Visibility::Status, Visibility::Components, Visibility::Full] {
            for view in [
                View::new(visibility),
                View::new(visibility).version(Some("1.2.3")),
            ] {
                let body = health_json(&report, &view);
                assert_eq!(
                    String::from_utf8_lossy(&body),
                    String::from_utf8_lossy(&by_serde(&report, &view)),
                    "{visibility:?}"
                );
            }
        }
    }
}
