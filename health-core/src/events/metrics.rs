//! The `metrics` series of check executions.

use crate::check::Check;
use crate::model::Status;
use std::sync::Arc;
use std::time::Duration;

/// The value of `health_check_status`: 1 UP, 0.5 DEGRADED, 0 DOWN,
/// -1 UNKNOWN (and OUT_OF_SERVICE, which checks never report).
fn gauge_value(status: Status) -> f64 {
    match status {
        Status::Up => 1.0,
        Status::Degraded => 0.5,
        Status::Down => 0.0,
        Status::Unknown | Status::OutOfService => -1.0,
    }
}

pub(super) fn record(check: &Check, status: Status, failed: bool, duration: Duration) {
    let name = metrics::SharedString::from(Arc::clone(&check.name));
    metrics::gauge!("health_check_status", "check" => name.clone()).set(gauge_value(status));
    metrics::histogram!("health_check_duration_seconds", "check" => name.clone())
        .record(duration.as_secs_f64());
    // Incremented by zero too: the series exists from the first run, so
    // `increase()` sees the first failure.
    metrics::counter!("health_check_failures_total", "check" => name).increment(u64::from(failed));
}
