//! Transitions reach the log; steady successes do not; each execution has
//! a span. Alone in its test binary: tracing caches per-callsite interest
//! globally, so a test running without a subscriber on another thread
//! could disable the spans this one reads.

use health_core::{Probe, Registry};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

mod buffer;
mod common;
use buffer::Buffer;
use common::switch;

#[tokio::test(flavor = "current_thread")]
async fn the_log_has_transitions_only_and_a_span_per_execution() {
    let (buffer, _guard) = Buffer::capture();

    let (up, optional_up) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let reg = Registry::builder()
        .without_declared()
        .check(switch("db", &up))
        .check(switch("search", &optional_up).with_critical(false))
        .build()
        .unwrap();

    reg.run(Probe::Readiness).await;
    let log = buffer.take_after(2).await;
    assert!(
        log.lines()
            .any(|l| l.contains("ERROR") && l.contains("health check failed") && l.contains("db")),
        "{log}"
    );
    assert!(
        log.lines().any(|l| l.contains("WARN")
            && l.contains("health check failed")
            && l.contains("search")),
        "{log}"
    );
    assert!(log.contains("connection refused"), "{log}");
    assert!(
        log.contains("health_check{check=db probes={Readiness}") && log.contains("status=\"DOWN\""),
        "{log}"
    );

    up.store(true, Ordering::SeqCst);
    optional_up.store(true, Ordering::SeqCst);
    reg.run(Probe::Readiness).await;
    let log = buffer.take_after(2).await;
    assert!(
        log.lines()
            .any(|l| l.contains("INFO") && l.contains("health check recovered")),
        "{log}"
    );

    // A steady success: spans close on the probe's path, at once ...
    reg.run(Probe::Readiness).await;
    let steady = buffer.take();
    assert_eq!(
        steady.matches("close").count(),
        2,
        "one span per execution: {steady}"
    );
    // ... but a line about it would come from the delivery thread, maybe
    // later. A transition after it is the sentinel: lines are delivered in
    // order, so once the sentinel's line is there, any line of the steady
    // run is too.
    up.store(false, Ordering::SeqCst);
    reg.run(Probe::Readiness).await;
    let log = steady + &buffer.take_after(1).await;
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("health check "))
        .collect();
    assert_eq!(lines.len(), 1, "steady successes are not logged: {log}");
    assert!(
        lines[0].contains("ERROR")
            && lines[0].contains("health check failed")
            && lines[0].contains("db"),
        "the sentinel: {log}"
    );
}
