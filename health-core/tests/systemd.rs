//! systemd's notify protocol against a real datagram socket the test
//! binds (no systemd needed): `READY=1` once startup latches, `WATCHDOG=1`
//! only while liveness is UP, `STATUS=` on changes, `STOPPING=1` when the
//! drain begins, in that order.
#![cfg(all(feature = "systemd", unix))]

use health_core::{Check, Probe, Registry};
use std::os::unix::net::UnixDatagram;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The messages that arrive within `window`.
fn receive(socket: &UnixDatagram, window: Duration) -> Vec<String> {
    let deadline = Instant::now() + window;
    let mut messages = Vec::new();
    let mut buffer = [0u8; 4096];
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        socket
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .expect("timeout");
        match socket.recv(&mut buffer) {
            Ok(n) => messages.push(String::from_utf8_lossy(&buffer[..n]).into_owned()),
            Err(_) => break,
        }
    }
    messages
}

/// Reads until a message `wanted` arrives (within 5 s); all read.
fn until(socket: &UnixDatagram, wanted: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        let batch = receive(socket, Duration::from_millis(50));
        let found = batch.iter().any(|m| m == wanted);
        seen.extend(batch);
        if found {
            return seen;
        }
    }
    panic!("no {wanted:?} within 5 s; got {seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_watchdog_status_and_stopping_arrive_in_order() {
    let dir = std::env::temp_dir().join(format!("health-systemd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("notify.sock");
    let _ = std::fs::remove_file(&path);
    let socket = UnixDatagram::bind(&path).expect("bind the notify socket");

    let (started, alive) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(true)),
    );
    let (s, a) = (Arc::clone(&started), Arc::clone(&alive));
    let registry = Registry::builder()
        .without_declared()
        .check(
            Check::inline("migrations", move || s.load(Ordering::Relaxed))
                .with_probes(Probe::Startup),
        )
        .check(
            Check::inline("loop", move || a.load(Ordering::Relaxed)).with_probes(Probe::Liveness),
        )
        .stop_signals([])
        .build()
        .expect("registry");
    let task = health_core::systemd::notify_to(
        &registry,
        path.to_str().expect("a UTF-8 path"),
        Some(Duration::from_millis(100)),
    )
    .expect("connect");

    // Starting: a status, no READY yet.
    let early = receive(&socket, Duration::from_millis(700));
    assert!(
        early.iter().any(|m| m.starts_with("STATUS=starting")),
        "{early:?}"
    );
    assert!(!early.iter().any(|m| m == "READY=1"), "{early:?}");

    started.store(true, Ordering::Relaxed);
    let seen = until(&socket, "READY=1");
    assert!(
        seen.iter().any(|m| m == "WATCHDOG=1")
            || !receive(&socket, Duration::from_millis(300)).is_empty()
    );
    let after_ready = until(&socket, "WATCHDOG=1");
    assert!(
        after_ready.iter().all(|m| m != "READY=1"),
        "READY=1 once: {after_ready:?}"
    );

    // Liveness DOWN: no watchdog ping (after one period to settle).
    alive.store(false, Ordering::Relaxed);
    let settle = receive(&socket, Duration::from_millis(250));
    assert!(
        settle.iter().any(|m| m == "STATUS=serving, liveness DOWN"),
        "{settle:?}"
    );
    let wedged = receive(&socket, Duration::from_millis(600));
    assert!(
        !wedged.iter().any(|m| m == "WATCHDOG=1"),
        "pinged while DOWN: {wedged:?}"
    );

    alive.store(true, Ordering::Relaxed);
    until(&socket, "WATCHDOG=1");

    registry.begin_drain();
    let stopping = until(&socket, "STOPPING=1");
    assert!(
        stopping.iter().any(|m| m == "STATUS=draining")
            || receive(&socket, Duration::from_millis(200))
                .iter()
                .any(|m| m == "STATUS=draining")
    );
    task.abort();
    let _ = std::fs::remove_dir_all(&dir);
}
