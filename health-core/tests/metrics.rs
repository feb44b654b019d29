//! The `metrics` feature, read back through a real Prometheus recorder.

use health_core::{Check, Probe, Registry};
use metrics_exporter_prometheus::PrometheusBuilder;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[tokio::test]
async fn status_duration_and_failures_are_recorded_per_check() {
    let recorder = PrometheusBuilder::new().build_recorder();
    let handle = recorder.handle();
    metrics::set_global_recorder(recorder).expect("the only recorder of this test binary");

    let up = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&up);
    let reg = Registry::builder()
        .without_declared()
        .check(Check::new("db", move || {
            let ok = flag.load(Ordering::SeqCst);
            async move { ok }
        }))
        .check(Check::new("cache", || async {}).with_critical(false))
        .build()
        .unwrap();

    reg.run(Probe::Readiness).await;
    reg.run(Probe::Readiness).await;
    let text = handle.render();
    let series = [
        (
            "health_check_status{check=\"db\",critical=\"true\"}",
            Some(0.0),
        ),
        (
            "health_check_status{check=\"cache\",critical=\"false\"}",
            Some(1.0),
        ),
        ("health_check_failures_total{check=\"db\"}", Some(2.0)),
        ("health_check_failures_total{check=\"cache\"}", Some(0.0)),
        // From the first run, at zero: the first slowness is an increase.
        ("health_check_slow_total{check=\"db\"}", Some(0.0)),
        (
            "health_check_duration_seconds_count{check=\"db\"}",
            Some(2.0),
        ),
    ];
    for (name, expected) in series {
        assert_eq!(value(&text, name), expected, "{name} in {text}");
    }

    up.store(true, Ordering::SeqCst);
    reg.run(Probe::Readiness).await;
    let text = handle.render();
    assert_eq!(
        value(&text, "health_check_status{check=\"db\",critical=\"true\"}"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        value(&text, "health_check_failures_total{check=\"db\"}"),
        Some(2.0),
        "{text}"
    );
}

/// The value of one series in the Prometheus text format.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}
