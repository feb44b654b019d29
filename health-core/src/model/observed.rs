//! An observed value with its unit.

use serde_json::Value;
use std::borrow::Cow;

/// An observed value with its unit, such as a latency or the free bytes on
/// a disk. Returned by a check, it means UP and carries the measurement into
/// the reports (the IETF format's `observedValue` / `observedUnit`).
///
/// ```
/// use health_core::{IntoOutcome, Observed, Status};
/// let outcome = Observed::new(42_u64, "MiB").into_outcome();
/// assert_eq!(outcome.status(), Status::Up);
/// assert_eq!(outcome.observed().unwrap().unit(), Some("MiB"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    value: Value,
    unit: Option<Cow<'static, str>>,
}

impl Observed {
    /// A value with a unit (`"ms"`, `"bytes"`, `"percent"`...).
    pub fn new(value: impl Into<Value>, unit: impl Into<Cow<'static, str>>) -> Self {
        Self {
            value: value.into(),
            unit: Some(unit.into()),
        }
    }

    /// A value without a unit (a count, a version string).
    pub fn without_unit(value: impl Into<Value>) -> Self {
        Self {
            value: value.into(),
            unit: None,
        }
    }

    /// The value.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The unit, if any.
    pub fn unit(&self) -> Option<&str> {
        self.unit.as_deref()
    }
}

impl Observed {
    /// Bounds the value as details are bounded, and redacts its strings.
    pub(crate) fn bound(&mut self) {
        let value = std::mem::take(&mut self.value);
        self.value = super::limits::value(value);
    }
}
