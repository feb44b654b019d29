//! The example's `/metrics` text is valid for Prometheus' own tool:
//! `promtool check metrics` (Debian's `prometheus` package; `./test.sh`
//! installs it, through `.ci/services.sh`) accepts it, every series has
//! HELP text, and the check duration is a real `histogram`.
//!
//! Without promtool the test says so on stderr and passes, except in CI
//! (`CI` set, as `.ci/run` does), where a missing promtool is a failure
//! (`prometheus/mod.rs`).
#![cfg(feature = "services")]

mod prometheus;
mod support;

use prometheus::{promtool, serving, without_promtool};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn promtool_accepts_the_metrics() {
    let (metrics, _service) = serving("metrics-test").await;

    let text = metrics.render();
    for series in [
        "health_check_status",
        "health_check_duration_seconds",
        "health_check_failures_total",
        "health_probe_status",
    ] {
        assert!(
            text.contains(&format!("# HELP {series} ")),
            "no HELP for {series}:\n{text}"
        );
    }
    assert!(
        text.contains("# TYPE health_check_duration_seconds histogram"),
        "the duration is not a histogram:\n{text}"
    );
    assert!(
        text.contains(r#"health_check_duration_seconds_bucket{check="database",le="+Inf"} "#),
        "no buckets for the database check:\n{text}"
    );
    assert!(
        text.contains(r#"health_check_status{check="database",critical="true"} 1"#),
        "{text}"
    );

    match promtool(&["check", "metrics"], Some(&text)) {
        Ok(None) => {}
        Ok(Some(rejected)) => {
            panic!("promtool check metrics rejects /metrics: {rejected}\n--- /metrics ---\n{text}")
        }
        Err(e) => without_promtool("promtool_accepts_the_metrics", &e),
    }
}
