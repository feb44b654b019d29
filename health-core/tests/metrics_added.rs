//! The series of a check added at run time: recorded from its first run,
//! and never again once its guard dropped, so an exporter's idle timeout
//! retires them. A test binary of its own: it installs the global recorder.

use health_core::{Check, Probe, Registry};
use metrics_exporter_prometheus::PrometheusBuilder;
use metrics_util::MetricKindMask;
use std::time::{Duration, Instant};

#[tokio::test]
async fn an_added_check_is_recorded_until_removed() {
    let recorder = PrometheusBuilder::new()
        .idle_timeout(MetricKindMask::ALL, Some(Duration::from_millis(300)))
        .build_recorder();
    let handle = recorder.handle();
    metrics::set_global_recorder(recorder).expect("the only recorder of this test binary");
    let registry = Registry::builder()
        .without_declared()
        .check(Check::new("db", || async {}))
        .build()
        .unwrap();
    let tenant = registry
        .add(Check::new("tenant-7.db", || async { false }))
        .unwrap();
    registry.run(Probe::Readiness).await;
    let text = handle.render();
    assert!(
        text.contains("health_check_status{check=\"tenant-7.db\",critical=\"true\"} 0"),
        "{text}"
    );

    drop(tenant);
    // Probes go on; only `db` is run and recorded now.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        registry.run(Probe::Readiness).await;
        let text = handle.render();
        assert!(
            text.contains("health_check_status{check=\"db\",critical=\"true\"} 1"),
            "{text}"
        );
        if !text.contains("tenant-7.db") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the removed check is still recorded: {text}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
