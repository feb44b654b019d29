//! Built-in checks against real servers on 127.0.0.1: PostgreSQL and Redis
//! started by the test itself (binaries from Debian's packages: `.ci/run`
//! installs them), local HTTP servers, TCP listeners, SQLite, the disk.
//!
//! For each server: UP while it runs, DOWN within the timeout when it is
//! stopped and against a listener that accepts and never answers, UP again
//! after a restart, and a thousand runs open no connection per run (Redis:
//! the one shared connection; PostgreSQL: at most the pool's own). A
//! timeout says what was pending; a password in an error is redacted by
//! the time it reaches a report. Against a resolver that never answers
//! (`dns.rs`, in a network namespace of its own), a check holds one DNS
//! lookup, however many runs time out.

// Test helpers too may unwrap: a failure there is a test failure.
#![allow(clippy::unwrap_used)]

mod dns;
mod http;
mod postgres;
mod redis;
mod runtime;
mod tcp;

use health::{Check, Component, Probe, Registry, Status};
use std::time::Duration;
use tokio::time::Instant;

/// How much longer than its timeout a run that ends DOWN may take. Not a
/// speed bound: far past any delay a loaded machine causes, it only tells
/// a run the timeout cut from one left to the client's own timeouts
/// (sqlx's pool waits 30 s, a silent server never answers). Where the
/// check's timeout is what ends the run, the tests also read it in the
/// message ("timed out after ...").
const MARGIN: Duration = Duration::from_secs(5);

/// Runs `check` alone, returning its component and how long the run took.
async fn run(registry: &Registry) -> (Component, Duration) {
    let started = Instant::now();
    let report = registry.run(Probe::Readiness).await;
    (report.components()[0].clone(), started.elapsed())
}

fn registry(check: Check) -> Registry {
    Registry::builder()
        .without_declared()
        .check(check)
        .build()
        .expect("one valid check")
}

/// Runs until UP, at most `tries` times a 100 ms apart: a client may need a
/// run to notice that its server is back.
async fn until_up(registry: &Registry, tries: usize) -> Component {
    let mut last = None;
    for _ in 0..tries {
        let (c, _) = run(registry).await;
        if c.status() == Status::Up {
            return c;
        }
        last = Some(c);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never UP again: {last:?}");
}

fn assert_up_with_latency(c: &Component) {
    assert_eq!(c.status(), Status::Up, "{:?}", c.message());
    let observed = c.observed().expect("latency");
    assert_eq!(observed.unit(), Some("ms"));
    assert!(observed.value().as_f64().unwrap() >= 0.0);
}

fn assert_down_within(c: &Component, took: Duration, timeout: Duration) {
    assert_eq!(c.status(), Status::Down, "{:?}", c.message());
    assert!(
        took <= timeout + MARGIN,
        "DOWN after {took:?}, timeout {timeout:?}"
    );
}
