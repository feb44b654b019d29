//! The native JSON body.

use super::{Component, Render, Report, millis, rfc3339, sanitize};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

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
    timestamp: String,
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
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [std::borrow::Cow<'static, str>],
    #[serde(skip_serializing_if = "Option::is_none")]
    observed_value: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    observed_unit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<&'a Map<String, Value>>,
}

impl<'a> ComponentBody<'a> {
    fn new(c: &'a Component) -> Self {
        Self {
            status: c.status().as_str(),
            message: c.message().map(sanitize),
            critical: c.critical,
            duration_ms: c.duration().map(millis),
            age_ms: c.age.map(millis),
            tags: &c.tags,
            observed_value: c.observed().map(|o| o.observed_value()),
            observed_unit: c.observed().and_then(|o| o.unit()),
            details: c.details(),
        }
    }
}

impl Report {
    /// The native JSON body:
    /// `{"status":"DOWN","components":{"redis":{"status":"DOWN","message":"connection refused","critical":true,"duration_ms":3.2,"age_ms":0.0}},"version":"1.2.3","uptime_seconds":431,"timestamp":"2026-11-25T18:40:00.000Z"}`.
    /// Without `render.details` only the status and the timestamp.
    pub fn to_json(&self, render: &Render<'_>) -> Vec<u8> {
        let details = render.details;
        let body = Body {
            status: self.status.as_str(),
            reason: if details {
                self.reason.as_deref().map(sanitize)
            } else {
                None
            },
            components: details.then(|| {
                self.components
                    .iter()
                    .map(|c| (c.name(), ComponentBody::new(c)))
                    .collect()
            }),
            version: render.version.filter(|_| details),
            uptime_seconds: render.uptime.filter(|_| details).map(|u| u.as_secs()),
            timestamp: rfc3339(self.timestamp),
        };
        // Serializing these plain structs into a Vec cannot fail.
        serde_json::to_vec(&body).unwrap_or_default()
    }
}
