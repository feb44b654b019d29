//! The `metrics` series of check executions and probe verdicts, and their
//! descriptions.

use crate::check::{Check, Probe};
use crate::model::Status;
use metrics::Unit;
use std::sync::Arc;
use std::time::Duration;

/// The series this module records.
const STATUS: &str = "health_check_status";
const DURATION: &str = "health_check_duration_seconds";
const FAILURES: &str = "health_check_failures_total";
const DRAIN_REQUESTS: &str = "health_drain_requests_total";
const PROBE_STATUS: &str = "health_probe_status";
const SLOW: &str = "health_check_slow_total";
const TASK_RESTARTS: &str = "health_task_restarts_total";

/// Describes the series (HELP text and unit) to the installed
/// recorder; the Prometheus exporter renders the descriptions as `# HELP`
/// lines, which `promtool check metrics` requires. Called whenever a
/// registry is built: a recorder installed after an earlier build still
/// gets them, and describing again changes nothing (the Prometheus
/// exporter keeps the first description). Without a recorder it does
/// nothing.
pub(crate) fn describe() {
    metrics::describe_gauge!(
        STATUS,
        "Last status of a health check: 1 UP, 0.5 DEGRADED, 0 DOWN, -1 UNKNOWN; critical says whether its DOWN fails the probe."
    );
    metrics::describe_gauge!(
        PROBE_STATUS,
        "Verdict of a whole probe: 1 UP, 0.5 DEGRADED, 0 DOWN or OUT_OF_SERVICE (draining, maintenance), -1 UNKNOWN."
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
        TASK_RESTARTS,
        Unit::Count,
        "Restarts of a supervised background task, after it exited, panicked or stalled."
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

/// Counts a restart of the supervised task `task`.
pub(crate) fn record_task_restart(task: &str) {
    metrics::counter!(TASK_RESTARTS, "task" => task.to_owned()).increment(1);
}

/// Counts a request of the application that arrived while draining.
pub(crate) fn record_drain_request(phase: &'static str) {
    metrics::counter!(DRAIN_REQUESTS, "phase" => phase).increment(1);
}

/// Sets `health_probe_status{probe}` to a whole probe's verdict. Called on
/// a change (the first verdict is one) and every 10 s at most while it
/// holds, so a probe answered from its memo records nothing in between.
pub(crate) fn record_probe(probe: Probe, status: Status) {
    metrics::gauge!(PROBE_STATUS, "probe" => probe.as_str()).set(probe_value(status));
}

/// The value of `health_probe_status`: as `health_check_status`, except
/// OUT_OF_SERVICE, 0: a draining replica (or one in maintenance) is not
/// serving, as a DOWN one is not.
fn probe_value(status: Status) -> f64 {
    match status {
        Status::OutOfService => 0.0,
        status => gauge_value(status),
    }
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
    // A label fixed for the check's life, so still one series per check:
    // alerts on a critical check DOWN name the check.
    let critical = if check.policy().is_critical() {
        "true"
    } else {
        "false"
    };
    metrics::gauge!(STATUS, "check" => name.clone(), "critical" => critical)
        .set(gauge_value(status));
    metrics::histogram!(DURATION, "check" => name.clone()).record(duration.as_secs_f64());
    // Incremented by zero too: the series exists from the first run, so
    // `increase()` sees the first failure.
    metrics::counter!(FAILURES, "check" => name.clone()).increment(u64::from(failed));
    // Zero too, for the same reason: the first slowness is an increase.
    metrics::counter!(SLOW, "check" => name).increment(0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_probe_out_of_service_is_not_serving() {
        let values = [
            Status::Up,
            Status::Degraded,
            Status::Down,
            Status::OutOfService,
            Status::Unknown,
        ]
        .map(probe_value);
        assert_eq!(values, [1.0, 0.5, 0.0, 0.0, -1.0]);
    }
}
