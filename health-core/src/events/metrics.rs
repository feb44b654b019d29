//! The `metrics` series of check executions, and their descriptions.

use crate::check::Check;
use crate::model::Status;
use metrics::Unit;
use std::sync::Arc;
use std::time::Duration;

/// The series this module records.
const STATUS: &str = "health_check_status";
const DURATION: &str = "health_check_duration_seconds";
const FAILURES: &str = "health_check_failures_total";
const DRAIN_REQUESTS: &str = "health_drain_requests_total";
const SLOW: &str = "health_check_slow_total";

/// Describes the three series (HELP text and unit) to the installed
/// recorder; the Prometheus exporter renders the descriptions as `# HELP`
/// lines, which `promtool check metrics` requires. Called whenever a
/// registry is built: a recorder installed after an earlier build still
/// gets them, and describing again changes nothing (the Prometheus
/// exporter keeps the first description). Without a recorder it does
/// nothing.
pub(crate) fn describe() {
    metrics::describe_gauge!(
        STATUS,
        "Last status of a health check: 1 UP, 0.5 DEGRADED, 0 DOWN, -1 UNKNOWN."
    );
    metrics::describe_histogram!(
        DURATION,
        Unit::Seconds,
        "Duration of each execution of a health check."
    );
    metrics::describe_counter!(
        FAILURES,
        Unit::Count,
        "Executions of a health check that failed (DOWN), counted before any failure threshold."
    );
    metrics::describe_counter!(
        SLOW,
        Unit::Count,
        "Times a health check became slow: a run past its slow threshold after one that was not."
    );
    metrics::describe_counter!(
        DRAIN_REQUESTS,
        Unit::Count,
        "Requests of the application (not probes) that arrived after the drain began, by phase: during the delay, or after it."
    );
}

/// Counts a check becoming slow.
pub(crate) fn record_slow(check: &Check) {
    let name = metrics::SharedString::from(Arc::clone(&check.name));
    metrics::counter!(SLOW, "check" => name).increment(1);
}

/// Counts a request of the application that arrived while draining.
pub(crate) fn record_drain_request(phase: &'static str) {
    metrics::counter!(DRAIN_REQUESTS, "phase" => phase).increment(1);
}

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
    metrics::gauge!(STATUS, "check" => name.clone()).set(gauge_value(status));
    metrics::histogram!(DURATION, "check" => name.clone()).record(duration.as_secs_f64());
    // Incremented by zero too: the series exists from the first run, so
    // `increase()` sees the first failure.
    metrics::counter!(FAILURES, "check" => name.clone()).increment(u64::from(failed));
    // Zero too, for the same reason: the first slowness is an increase.
    metrics::counter!(SLOW, "check" => name).increment(0);
}
