//! The native JSON body.

use super::render::millis;
use super::{Component, Render, Report};
use crate::text::sanitize;
use crate::time::rfc3339;
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
    fn new(c: &'a Component, full: bool) -> Self {
        let observed = c.observed().filter(|_| full);
        Self {
            status: c.status().as_str(),
            message: c.message().filter(|_| full).map(sanitize),
            critical: c.critical,
            duration_ms: c.duration().filter(|_| full).map(millis),
            age_ms: c.age().filter(|_| full).map(millis),
            tags: if full { &c.tags } else { &[] },
            observed_value: observed.map(|o| o.value()),
            observed_unit: observed.and_then(|o| o.unit()),
            details: c.details().filter(|_| full),
        }
    }
}

impl Report {
    /// The native JSON body:
    /// `{"status":"DOWN","components":{"redis":{"status":"DOWN","message":"connection refused","critical":true,"duration_ms":3.2,"age_ms":0.0}},"version":"1.2.3","uptime_seconds":431,"timestamp":"2026-11-25T18:40:00.000Z"}`.
    /// [`Visibility::Status`](super::Visibility::Status) gives `{"status":"UP"}`.
    pub fn to_json(&self, render: &Render<'_>) -> Vec<u8> {
        let full = render.full();
        let body = Body {
            status: self.status.as_str(),
            reason: self.reason.as_deref().filter(|_| full).map(sanitize),
            components: render.components().then(|| {
                self.components
                    .iter()
                    .map(|c| (c.name(), ComponentBody::new(c, full)))
                    .collect()
            }),
            version: render.shown_version(),
            uptime_seconds: render.shown_uptime().map(|u| u.as_secs()),
            timestamp: full.then(|| rfc3339(self.timestamp)),
        };
        // Serializing these plain structs into a Vec cannot fail.
        serde_json::to_vec(&body).unwrap_or_default()
    }
}
