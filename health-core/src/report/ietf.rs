//! The IETF "Health Check Response Format for HTTP APIs" draft body
//! (`application/health+json`).

use super::render::millis;
use super::{Component, Render, Report};
use crate::text::sanitize;
use crate::time::rfc3339;
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
        // The draft keys checks "component:measurement"; a check that reports
        // no observed value is measured by its response time.
        let (key, value, unit) = match c.observed() {
            Some(o) => (
                format!("{}:{}", c.name, o.unit().unwrap_or("value")),
                Cow::Borrowed(o.value()),
                o.unit(),
            ),
            None => (
                format!("{}:responseTime", c.name),
                Cow::Owned(
                    c.duration()
                        .map(millis)
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
            component_id: &c.name,
            status: c.status().ietf(),
            observed_unit: value.as_ref().and(unit),
            observed_value: value,
            time: c.observed_at().filter(|_| full).map(rfc3339),
            output: c.message().filter(|_| full).map(sanitize),
        };
        (key, [entry])
    }
}

impl Report {
    /// The IETF draft body: `status` pass / warn / fail; with components
    /// visible a `checks` map of `componentId` and `status`, and with
    /// [`Visibility::Full`](super::Visibility::Full) `observedValue`,
    /// `observedUnit`, `time` and `output` too.
    pub fn to_ietf_json(&self, render: &Render<'_>) -> Vec<u8> {
        let full = render.full();
        let body = Body {
            status: self.status.ietf(),
            version: render.shown_version(),
            output: self.reason.as_deref().filter(|_| full).map(sanitize),
            checks: render.components().then(|| {
                self.components
                    .iter()
                    .map(|c| Entry::new(c, full))
                    .collect()
            }),
        };
        serde_json::to_vec(&body).unwrap_or_default()
    }
}
