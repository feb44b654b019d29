//! A slow check is named once per transition into slowness: one WARN with
//! the check, its duration and threshold; each slow run's span carries
//! `slow=true`. Alone in its test binary, as `log.rs`: tracing caches
//! per-callsite interest globally.

use health_core::{Check, Probe, Registry};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

mod buffer;
use buffer::Buffer;

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_slow_check_is_named_once_per_transition_into_slowness() {
    let (buffer, _guard) = Buffer::capture();

    let delay = Arc::new(AtomicU64::new(80));
    let ms = Arc::clone(&delay);
    let registry = Registry::builder()
        .without_declared()
        .check(
            Check::new("search", move || {
                let ms = ms.load(Ordering::SeqCst);
                async move { tokio::time::sleep(Duration::from_millis(ms)).await }
            })
            .with_timeout(Duration::from_millis(200))
            .with_slow(Duration::from_millis(50)),
        )
        .build()
        .unwrap();
    let warnings = |log: &str| {
        log.lines()
            .filter(|l| l.contains("WARN") && l.contains("health check slow"))
            .count()
    };

    for _ in 0..3 {
        registry.run(Probe::Readiness).await;
    }
    let log = buffer.take();
    assert_eq!(warnings(&log), 1, "once, not on every slow run: {log}");
    let warning = log
        .lines()
        .find(|l| l.contains("health check slow"))
        .unwrap();
    for part in [
        "check=\"search\"",
        "duration=80ms",
        "slow_after=50ms",
        "timeout=200ms",
    ] {
        assert!(warning.contains(part), "{part} in {warning}");
    }
    assert_eq!(
        log.matches("slow=true").count(),
        3,
        "every slow run's span: {log}"
    );

    delay.store(10, Ordering::SeqCst);
    registry.run(Probe::Readiness).await;
    let log = buffer.take();
    assert_eq!(warnings(&log), 0, "{log}");
    assert!(!log.contains("slow=true"), "{log}");

    delay.store(80, Ordering::SeqCst);
    registry.run(Probe::Readiness).await;
    registry.run(Probe::Readiness).await;
    assert_eq!(warnings(&buffer.take()), 1, "slow again after a fast run");
}
