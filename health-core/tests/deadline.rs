//! Deadlines and the application's runtime: an answer by the caller's
//! deadline whatever the checks do, checks run on the runtime the registry
//! was built on wherever the probe is answered, and inline checks where it
//! is answered, so a wedged application runtime still shows.

#![allow(clippy::unwrap_used)]

use health_core::{Check, Probe, Registry, Status};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;
use tokio::runtime::{Builder, Handle, Runtime};
use tokio::time::Instant;

/// Far longer than any bound a test waits for: a run that waited for it
/// would show as a hung test, not a slow one.
const FOREVER: Duration = Duration::from_secs(300);

fn app_runtime() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

fn probe_runtime() -> Runtime {
    Builder::new_current_thread().enable_all().build().unwrap()
}

/// A check that never finishes within a test, counting its runs.
fn hung(runs: &Arc<AtomicUsize>) -> Check {
    let runs = Arc::clone(runs);
    Check::new("hung", move || {
        runs.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(FOREVER)
    })
    .with_timeout(FOREVER * 2)
}

#[tokio::test(start_paused = true)]
async fn the_answer_comes_by_the_deadline_and_the_run_goes_on() {
    let runs = Arc::new(AtomicUsize::new(0));
    let registry = Registry::builder()
        .without_declared()
        .check(hung(&runs))
        .check(Check::new("db", || async {}))
        .build()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(1);
    let report = registry.run_until(Probe::Readiness, deadline).await;
    assert_eq!(
        Instant::now(),
        deadline,
        "answered at the deadline, not after"
    );
    let hung_part = report.component("hung").unwrap();
    assert!(hung_part.is_stale());
    assert_eq!(hung_part.status(), Status::Unknown, "no result yet");
    assert!(!report.component("db").unwrap().is_stale());
    assert_eq!(
        report.status(),
        Status::Unknown,
        "a critical check unknown: not ready"
    );
    // Another probe joins the execution under way: single flight.
    let verdict = registry
        .verdict_until(Probe::Readiness, Instant::now() + Duration::from_secs(1))
        .await;
    assert_eq!(verdict.status, Status::Unknown);
    assert_eq!(
        runs.load(Ordering::SeqCst),
        1,
        "one execution, still running"
    );
}

#[tokio::test(start_paused = true)]
async fn a_stale_result_is_the_latest_with_its_age() {
    let slow_now = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = Arc::clone(&slow_now);
    let check = Check::new("db", move || {
        let slow = flag.load(Ordering::SeqCst);
        async move {
            if slow {
                tokio::time::sleep(FOREVER).await;
            }
        }
    })
    .with_timeout(FOREVER * 2);
    let registry = Registry::builder()
        .without_declared()
        .check(check)
        .build()
        .unwrap();
    assert_eq!(registry.run(Probe::Readiness).await.status(), Status::Up);
    slow_now.store(true, Ordering::SeqCst);
    tokio::time::advance(Duration::from_secs(7)).await;
    let report = registry
        .run_until(
            Probe::Readiness,
            Instant::now() + Duration::from_millis(900),
        )
        .await;
    let db = report.component("db").unwrap();
    assert!(db.is_stale());
    assert_eq!(db.status(), Status::Up, "its latest result");
    assert!(
        db.age().unwrap() >= Duration::from_secs(7),
        "{:?}",
        db.age()
    );
}

/// A probe answered on another runtime (a probe listener's) starts the
/// checks on the runtime the registry was built on; an inline check is
/// evaluated where asked.
#[test]
fn checks_run_on_the_application_runtime_inline_ones_where_asked() {
    let app = app_runtime();
    let (tx, rx) = mpsc::channel();
    let (inline_tx, inline_rx) = mpsc::channel();
    let registry = app.block_on(async {
        let tx = std::sync::Mutex::new(tx);
        let inline_tx = std::sync::Mutex::new(inline_tx);
        Registry::builder()
            .without_declared()
            .check(Check::new("db", move || {
                let tx = tx.lock().unwrap().clone();
                async move {
                    let _ = tx.send(Handle::current().id());
                }
            }))
            .check(Check::inline("heartbeat", move || {
                let _ = inline_tx.lock().unwrap().send(Handle::current().id());
                true
            }))
            .build()
            .unwrap()
    });
    let probes = probe_runtime();
    let status = probes.block_on(async {
        registry
            .verdict_until(Probe::Readiness, Instant::now() + Duration::from_secs(30))
            .await
            .status
    });
    assert_eq!(status, Status::Up);
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(30)).unwrap(),
        app.handle().id()
    );
    assert_eq!(
        inline_rx.recv_timeout(Duration::from_secs(30)).unwrap(),
        probes.handle().id()
    );
}

/// Every worker of the application's runtime blocked: a probe answered on
/// its own runtime still answers by its deadline, and an inline check
/// tells it.
#[test]
fn a_wedged_application_runtime_still_gets_an_answer() {
    let app = app_runtime();
    let beat = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&beat);
    let registry = app.block_on(async {
        let last = Arc::new(AtomicUsize::new(0));
        Registry::builder()
            .without_declared()
            .check(Check::new("db", || async {}))
            .check(Check::inline("ticks", move || {
                // DOWN when the ticker did not move since the last look.
                let now = seen.load(Ordering::SeqCst);
                now != last.swap(now, Ordering::SeqCst)
            }))
            .build()
            .unwrap()
    });
    // A ticker on the application's runtime.
    let ticker = Arc::clone(&beat);
    app.spawn(async move {
        loop {
            ticker.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
    let probes = probe_runtime();
    let ask = |registry: &Registry| {
        probes.block_on(async {
            registry
                .run_until(
                    Probe::Readiness,
                    Instant::now() + Duration::from_millis(300),
                )
                .await
        })
    };
    // Wait, bounded, for the ticker to have moved at least once.
    let started = std::time::Instant::now();
    while beat.load(Ordering::SeqCst) < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the ticker never ran"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(
        ask(&registry).component("ticks").unwrap().status(),
        Status::Up
    );
    // Wedge the only worker, and wait (bounded) until it is.
    let (wedged_tx, wedged_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    app.spawn(async move {
        let _ = wedged_tx.send(());
        let _ = release_rx.recv_timeout(FOREVER);
    });
    wedged_rx.recv_timeout(Duration::from_secs(30)).unwrap();
    // Two looks: the first may still see the ticker's last move.
    ask(&registry);
    let report = ask(&registry);
    assert_eq!(report.component("ticks").unwrap().status(), Status::Down);
    assert_eq!(report.status(), Status::Down);
    release_tx.send(()).unwrap();
}
