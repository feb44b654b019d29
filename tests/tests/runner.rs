//! Runtime semantics of the runner: concurrency, timeouts, panics, blocking
//! checks, single flight, cache, interval, failure threshold, startup latch,
//! lifecycle. Time-dependent tests run on tokio's paused clock, so they are
//! exact rather than timed.

use health::{Check, Outcome, Probe, Probes, Registry, Status};
use health_tests::checks::{registry, switch};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::{Instant, advance, sleep};

/// A check that sleeps `ms` and counts its executions.
fn sleeper(name: &'static str, ms: u64, runs: &Arc<AtomicUsize>) -> Check {
    let runs = Arc::clone(runs);
    Check::new(name, move || {
        let runs = Arc::clone(&runs);
        async move {
            runs.fetch_add(1, Ordering::SeqCst);
            sleep(Duration::from_millis(ms)).await;
        }
    })
}

#[tokio::test(start_paused = true)]
async fn checks_run_concurrently_so_latency_is_the_slowest_not_the_sum() {
    let runs = Arc::new(AtomicUsize::new(0));
    let names = ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"];
    let reg = registry(names.map(|n| sleeper(n, 50, &runs)));
    let start = Instant::now();
    let report = reg.run(Probe::Readiness).await;
    assert_eq!(start.elapsed(), Duration::from_millis(50));
    assert_eq!(runs.load(Ordering::SeqCst), 10);
    assert_eq!(report.status(), Status::Up);
    assert_eq!(report.components().len(), 10);
}

#[tokio::test(start_paused = true)]
async fn concurrent_runs_share_one_execution() {
    let runs = Arc::new(AtomicUsize::new(0));
    let reg = registry([sleeper("db", 50, &runs)]);
    let start = Instant::now();
    let tasks: Vec<_> = (0..500)
        .map(|_| {
            let reg = reg.clone();
            tokio::spawn(async move { reg.run(Probe::Readiness).await.status() })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), Status::Up);
    }
    assert_eq!(
        runs.load(Ordering::SeqCst),
        1,
        "500 concurrent probes must execute the check once"
    );
    assert_eq!(start.elapsed(), Duration::from_millis(50));
    // Once finished, the next probe executes again (no cache configured).
    reg.run(Probe::Readiness).await;
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn a_hanging_check_is_down_after_its_timeout() {
    let reg = registry([
        Check::new("hang", std::future::pending::<()>).with_timeout(Duration::from_millis(200)),
        Check::new("ok", || async {}),
    ]);
    let start = Instant::now();
    let report = reg.run(Probe::Readiness).await;
    assert_eq!(start.elapsed(), Duration::from_millis(200));
    assert_eq!(report.status(), Status::Down);
    let hang = report.component("hang").unwrap();
    assert_eq!(hang.status(), Status::Down);
    assert_eq!(hang.message(), Some("timed out after 200ms"));
    assert_eq!(hang.duration(), Some(Duration::from_millis(200)));
    assert_eq!(report.component("ok").unwrap().status(), Status::Up);
}

#[tokio::test]
async fn a_panicking_check_is_down_and_the_next_run_recovers() {
    let first = Arc::new(AtomicBool::new(true));
    let flag = Arc::clone(&first);
    let reg = registry([Check::new("flaky", move || {
        let panic_now = flag.swap(false, Ordering::SeqCst);
        async move {
            if panic_now {
                panic!("secret connection string in a panic");
            }
        }
    })]);
    let report = reg.run(Probe::Readiness).await;
    let c = report.component("flaky").unwrap();
    assert_eq!(
        (c.status(), c.message()),
        (Status::Down, Some("check panicked"))
    );
    let report = reg.run(Probe::Readiness).await;
    assert_eq!(report.component("flaky").unwrap().status(), Status::Up);
}

#[tokio::test]
async fn a_panicking_blocking_check_is_down_too() {
    let reg = registry([Check::blocking("sync", || -> bool { panic!("boom") })]);
    let c = reg.run(Probe::Readiness).await.components()[0].clone();
    assert_eq!(
        (c.status(), c.message()),
        (Status::Down, Some("check panicked"))
    );
}

/// On a single-threaded runtime, a blocking check run on the runtime thread
/// would stop every async check. This one waits for a message that only a
/// concurrent async check sends: it passes only if both truly run at once.
#[tokio::test(flavor = "current_thread")]
async fn a_blocking_check_never_stalls_the_runtime() {
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let rx = std::sync::Mutex::new(rx);
    let reg = registry([
        Check::blocking("sync", move || {
            std::thread::sleep(Duration::from_millis(100));
            rx.lock()
                .unwrap()
                .recv_timeout(Duration::from_secs(5))
                .is_ok()
        }),
        Check::new("async", move || {
            let tx = tx.clone();
            async move { tx.send(()).is_ok() }
        }),
    ]);
    let report = reg.run(Probe::Readiness).await;
    assert_eq!(report.component("async").unwrap().status(), Status::Up);
    assert_eq!(report.component("sync").unwrap().status(), Status::Up);
}

#[tokio::test(start_paused = true)]
async fn cache_reuses_a_result_until_its_ttl_and_failures_expire_sooner() {
    let (up, runs) = (
        Arc::new(AtomicBool::new(true)),
        Arc::new(AtomicUsize::new(0)),
    );
    let reg = registry([switch("db", &up, &runs)
        .with_cache(Duration::from_secs(5))
        .with_cache_failure(Duration::from_secs(1))]);

    assert_eq!(reg.run(Probe::Readiness).await.status(), Status::Up);
    advance(Duration::from_secs(4)).await;
    let report = reg.run(Probe::Readiness).await;
    assert_eq!(
        runs.load(Ordering::SeqCst),
        1,
        "within the TTL the result is reused"
    );
    assert_eq!(
        report.component("db").unwrap().age(),
        Some(Duration::from_secs(4))
    );

    up.store(false, Ordering::SeqCst);
    advance(Duration::from_secs(2)).await;
    let report = reg.run(Probe::Readiness).await;
    assert_eq!(
        runs.load(Ordering::SeqCst),
        2,
        "past the TTL the check runs again"
    );
    assert_eq!(report.status(), Status::Down);
    assert_eq!(report.component("db").unwrap().age(), Some(Duration::ZERO));

    up.store(true, Ordering::SeqCst);
    advance(Duration::from_millis(500)).await;
    assert_eq!(reg.run(Probe::Readiness).await.status(), Status::Down);
    assert_eq!(
        runs.load(Ordering::SeqCst),
        2,
        "a failure is reused for its own, shorter TTL"
    );
    advance(Duration::from_millis(600)).await;
    assert_eq!(reg.run(Probe::Readiness).await.status(), Status::Up);
    assert_eq!(runs.load(Ordering::SeqCst), 3);
}

#[tokio::test(start_paused = true)]
async fn interval_checks_refresh_in_the_background_and_requests_never_wait() {
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let runs = Arc::new(AtomicUsize::new(0));
    let (g, r) = (Arc::clone(&gate), Arc::clone(&runs));
    let reg = registry([Check::new("disk", move || {
        let (g, r) = (Arc::clone(&g), Arc::clone(&r));
        async move {
            // The first run waits for the gate; later runs pass at once.
            if r.fetch_add(1, Ordering::SeqCst) == 0 {
                let _permit = g.acquire().await;
            }
        }
    })
    .with_interval(Duration::from_secs(30))
    .with_timeout(Duration::from_secs(10))]);

    tokio::task::yield_now().await;
    let start = Instant::now();
    let report = reg.run(Probe::Readiness).await;
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "a request never waits for an interval check"
    );
    assert_eq!(
        report.status(),
        Status::Unknown,
        "a critical check with no result yet is not ready"
    );
    assert!(!report.status().is_serving());
    assert_eq!(report.component("disk").unwrap().status(), Status::Unknown);

    gate.add_permits(1);
    sleep(Duration::from_millis(1)).await;
    let report = reg.run(Probe::Readiness).await;
    assert_eq!(report.status(), Status::Up);
    assert_eq!(runs.load(Ordering::SeqCst), 1);

    for _ in 0..10 {
        reg.run(Probe::Readiness).await;
    }
    assert_eq!(
        runs.load(Ordering::SeqCst),
        1,
        "requests do not execute interval checks"
    );
    sleep(Duration::from_secs(30)).await;
    assert_eq!(runs.load(Ordering::SeqCst), 2);
    sleep(Duration::from_secs(15)).await;
    let age = reg
        .run(Probe::Readiness)
        .await
        .component("disk")
        .unwrap()
        .age()
        .unwrap();
    assert!(
        age >= Duration::from_secs(15) && age < Duration::from_secs(16),
        "{age:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn failure_threshold_tolerates_consecutive_failures_after_a_first_success() {
    let (up, runs) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicUsize::new(0)),
    );
    // A threshold needs a pace: each run here is one cache TTL apart.
    let ttl = Duration::from_millis(10);
    let reg = registry([switch("db", &up, &runs)
        .with_cache(ttl)
        .with_failure_threshold(3)]);
    let run = || async {
        advance(ttl).await;
        reg.run(Probe::Readiness).await
    };
    let status = || async { run().await.component("db").unwrap().status() };

    assert_eq!(
        status().await,
        Status::Down,
        "never passed: nothing to tolerate"
    );
    up.store(true, Ordering::SeqCst);
    assert_eq!(status().await, Status::Up);
    up.store(false, Ordering::SeqCst);
    let report = run().await;
    let db = report.component("db").unwrap();
    assert_eq!(db.status(), Status::Degraded);
    assert_eq!(
        db.message(),
        Some("connection refused (failure 1 of 3 tolerated)")
    );
    assert_eq!(
        report.status(),
        Status::Degraded,
        "tolerated: still serving"
    );
    assert_eq!(status().await, Status::Degraded);
    assert_eq!(
        status().await,
        Status::Down,
        "the third consecutive failure is DOWN"
    );
    up.store(true, Ordering::SeqCst);
    assert_eq!(status().await, Status::Up);
    up.store(false, Ordering::SeqCst);
    assert_eq!(
        status().await,
        Status::Degraded,
        "a success resets the count"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 7);
}

#[test]
fn a_failure_threshold_needs_cache_or_interval() {
    let err = Registry::builder()
        .without_declared()
        .check(Check::new("db", || async {}).with_failure_threshold(3))
        .check(Check::new("zero", || async {}).with_failure_threshold(0))
        .build()
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("check `db`") && text.contains("needs `cache` or `interval`"),
        "{text}"
    );
    assert!(
        text.contains("check `zero`") && text.contains("at least 1"),
        "{text}"
    );
    for check in [
        Check::new("cached", || async {})
            .with_cache(Duration::from_secs(1))
            .with_failure_threshold(3),
        Check::new("interval", || async {})
            .with_interval(Duration::from_secs(5))
            .with_failure_threshold(3),
        Check::new("one", || async {}).with_failure_threshold(1),
    ] {
        registry([check]);
    }
}

#[tokio::test]
async fn aggregation_critical_and_non_critical() {
    let reg = registry([
        Check::new("ok", || async { true }),
        Check::new("optional", || async { false }).with_critical(false),
        Check::new("warn", || async { Outcome::degraded("slow") }),
    ]);
    assert_eq!(reg.run(Probe::Readiness).await.status(), Status::Degraded);

    let reg = registry([
        Check::new("ok", || async { true }),
        Check::new("required", || async { false }),
    ]);
    let report = reg.run(Probe::Readiness).await;
    assert_eq!(report.status(), Status::Down);
    assert!(!report.status().is_serving());
    assert_eq!(
        report.component("required").unwrap().message(),
        Some("check returned false")
    );
}

#[tokio::test]
async fn probes_select_their_checks() {
    let reg = registry([
        Check::new("alive", || async {}).with_probes(Probe::Liveness),
        Check::new("db", || async { false }),
        Check::new("both", || async {}).with_probes(Probes::LIVENESS.with(Probe::Readiness)),
    ]);
    let live = reg.run(Probe::Liveness).await;
    let names: Vec<_> = live.components().iter().map(|c| c.name()).collect();
    assert_eq!(names, ["alive", "both"]);
    assert_eq!(live.status(), Status::Up);
    assert_eq!(reg.run(Probe::Readiness).await.status(), Status::Down);
    assert!(!reg.has_checks(Probe::Startup));
    assert_eq!(reg.run(Probe::Startup).await.status(), Status::Up);

    let only = reg.run_component("alive").await.unwrap();
    assert_eq!(only.components().len(), 1);
    assert!(reg.run_component("nope").await.is_none());
}

#[tokio::test]
async fn startup_latches_once_every_startup_check_passed() {
    let (up, runs) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicUsize::new(0)),
    );
    let reg = registry([switch("migrations", &up, &runs).with_probes(Probe::Startup)]);
    assert_eq!(reg.run(Probe::Startup).await.status(), Status::Down);
    assert!(!reg.is_started());
    up.store(true, Ordering::SeqCst);
    assert_eq!(reg.run(Probe::Startup).await.status(), Status::Up);
    assert!(reg.is_started());
    up.store(false, Ordering::SeqCst);
    assert_eq!(
        reg.run(Probe::Startup).await.status(),
        Status::Up,
        "latched"
    );
    assert_eq!(
        runs.load(Ordering::SeqCst),
        2,
        "latched: the check no longer runs"
    );
}

#[tokio::test(start_paused = true)]
async fn draining_and_maintenance_take_readiness_out_of_service() {
    let reg = Registry::builder()
        .without_declared()
        .check(Check::new("db", || async {}))
        .drain_delay(Duration::from_secs(5))
        .build()
        .unwrap();
    reg.set_maintenance("reindexing", Duration::from_secs(60));
    let report = reg.run(Probe::Readiness).await;
    assert_eq!(report.status(), Status::OutOfService);
    assert_eq!(report.reason(), Some("maintenance: reindexing"));
    assert_eq!(reg.lifecycle().retry_after(), Some(Duration::from_secs(60)));
    reg.clear_maintenance();
    assert_eq!(reg.run(Probe::Readiness).await.status(), Status::Up);

    let signal = tokio::spawn(reg.shutdown_signal());
    let start = Instant::now();
    reg.begin_drain();
    assert_eq!(
        reg.run(Probe::Readiness).await.status(),
        Status::OutOfService
    );
    assert_eq!(
        reg.run(Probe::Liveness).await.status(),
        Status::Up,
        "liveness ignores draining"
    );
    signal.await.unwrap();
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(5),
        "the signal resolves after the drain delay"
    );
    reg.clear_maintenance();
    assert_eq!(
        reg.run(Probe::Readiness).await.status(),
        Status::OutOfService,
        "draining is for good"
    );
}

/// A blocking check stuck past its timeout is never started again while
/// it runs: later runs are DOWN at once and name it. Once it returns, the
/// next run starts it again. The first execution is held at a gate the
/// test opens, not by a sleep.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocking_check_stuck_past_its_timeout_never_runs_twice_at_once() {
    /// Far past any delay a loaded machine causes.
    const BOUND: Duration = Duration::from_secs(10);
    let started = Arc::new(AtomicUsize::new(0));
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(AtomicBool::new(false));
    let (s, r, m, g) = (
        Arc::clone(&started),
        Arc::clone(&running),
        Arc::clone(&most),
        Arc::clone(&gate),
    );
    let reg = registry([Check::blocking("nfs", move || {
        s.fetch_add(1, Ordering::SeqCst);
        let now = r.fetch_add(1, Ordering::SeqCst) + 1;
        m.fetch_max(now, Ordering::SeqCst);
        // Held until the gate opens (bounded, should the test fail first).
        let held = std::time::Instant::now();
        while !g.load(Ordering::SeqCst) && held.elapsed() < BOUND {
            std::thread::sleep(Duration::from_millis(1));
        }
        r.fetch_sub(1, Ordering::SeqCst);
    })
    .with_timeout(Duration::from_millis(20))]);

    let first = reg.run(Probe::Readiness).await;
    assert_eq!(
        first.components()[0].message(),
        Some("timed out after 20ms")
    );
    for _ in 0..5 {
        let report = reg.run(Probe::Readiness).await;
        let c = &report.components()[0];
        assert_eq!(
            (c.status(), c.message()),
            (Status::Down, Some("the previous run has not returned yet"))
        );
    }
    assert_eq!(
        started.load(Ordering::SeqCst),
        1,
        "started once for six runs"
    );

    // Once the stuck execution returned, a run starts the check again.
    gate.store(true, Ordering::SeqCst);
    let deadline = std::time::Instant::now() + BOUND;
    loop {
        let report = reg.run(Probe::Readiness).await;
        let c = &report.components()[0];
        if c.message() != Some("the previous run has not returned yet") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never ran again");
        sleep(Duration::from_millis(5)).await;
    }
    let deadline = std::time::Instant::now() + BOUND;
    while started.load(Ordering::SeqCst) < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the check never ran again"
        );
        sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(started.load(Ordering::SeqCst), 2, "started again once");
    assert_eq!(most.load(Ordering::SeqCst), 1, "one thread at a time");
}

#[tokio::test(start_paused = true)]
async fn an_execution_every_caller_gave_up_on_still_records_its_result() {
    let transitions = Arc::new(AtomicUsize::new(0));
    let t = Arc::clone(&transitions);
    let reg = Registry::builder()
        .without_declared()
        .check(
            Check::new("slow", || async {
                sleep(Duration::from_millis(100)).await;
                Err::<(), _>("refused")
            })
            .with_timeout(Duration::from_secs(1)),
        )
        .on_change(move |change| {
            if change.subject == health::Subject::Check("slow".into()) {
                t.fetch_add(1, Ordering::SeqCst);
            }
        })
        .build()
        .unwrap();
    // The caller (say, a kubelet with a 10 ms probe timeout) gives up.
    assert!(
        tokio::time::timeout(Duration::from_millis(10), reg.run(Probe::Readiness))
            .await
            .is_err()
    );
    sleep(Duration::from_millis(200)).await;
    // Listeners are called on the registry's delivery thread.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while transitions.load(Ordering::SeqCst) == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(
        transitions.load(Ordering::SeqCst),
        1,
        "the DOWN was recorded"
    );
    let c = reg.run_component("slow").await.unwrap();
    assert_eq!(c.status(), Status::Down);
}

#[tokio::test]
async fn startup_waits_for_every_startup_check_critical_or_not() {
    let (up, runs) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicUsize::new(0)),
    );
    let reg = registry([
        Check::new("schema", || async {}).with_probes(Probe::Startup),
        switch("cache-warm", &up, &runs)
            .with_probes(Probe::Startup)
            .with_critical(false),
    ]);
    let report = reg.run(Probe::Startup).await;
    assert_eq!(
        report.status(),
        Status::Down,
        "a non-critical startup check has not passed"
    );
    assert!(!report.status().is_serving());
    assert!(!reg.is_started());
    up.store(true, Ordering::SeqCst);
    assert_eq!(reg.run(Probe::Startup).await.status(), Status::Up);
    assert!(reg.is_started());
}

#[tokio::test(start_paused = true)]
async fn a_tolerated_failure_is_cached_for_the_failure_ttl() {
    let (up, runs) = (
        Arc::new(AtomicBool::new(true)),
        Arc::new(AtomicUsize::new(0)),
    );
    let reg = registry([switch("db", &up, &runs)
        .with_cache(Duration::from_secs(10))
        .with_cache_failure(Duration::from_millis(100))
        .with_failure_threshold(3)]);
    reg.run(Probe::Readiness).await;
    up.store(false, Ordering::SeqCst);
    advance(Duration::from_secs(11)).await;
    let report = reg.run(Probe::Readiness).await;
    assert_eq!(report.status(), Status::Degraded, "tolerated");
    assert_eq!(runs.load(Ordering::SeqCst), 2);
    advance(Duration::from_millis(200)).await;
    reg.run(Probe::Readiness).await;
    assert_eq!(
        runs.load(Ordering::SeqCst),
        3,
        "a tolerated failure is still a failure: short TTL"
    );
}

#[test]
fn an_interval_check_whose_background_task_died_runs_on_demand() {
    let runs = Arc::new(AtomicUsize::new(0));
    let r = Arc::clone(&runs);
    let check = Check::new("disk", move || {
        r.fetch_add(1, Ordering::SeqCst);
        async {}
    })
    .with_interval(Duration::from_millis(50))
    .with_timeout(Duration::from_millis(10));
    let first = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let reg = first.block_on(async {
        let reg = registry([check]);
        sleep(Duration::from_millis(20)).await;
        reg
    });
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    drop(first); // its background task goes with it

    let second = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    second.block_on(async {
        sleep(Duration::from_millis(150)).await;
        let report = reg.run(Probe::Readiness).await;
        assert_eq!(report.status(), Status::Up);
        assert_eq!(
            runs.load(Ordering::SeqCst),
            2,
            "a stale result is refreshed, not served forever"
        );
        assert!(report.components()[0].age().unwrap() < Duration::from_millis(50));
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_registries_run_the_same_blocking_check_side_by_side() {
    let check = Check::blocking("sync", || std::thread::sleep(Duration::from_millis(100)));
    let (a, b) = (registry([check.clone()]), registry([check]));
    let (ra, rb) = tokio::join!(a.run(Probe::Readiness), b.run(Probe::Readiness));
    assert_eq!(
        (ra.status(), rb.status()),
        (Status::Up, Status::Up),
        "one busy flag per registry"
    );
}

#[tokio::test(start_paused = true)]
async fn a_drain_begun_during_a_readiness_run_is_not_answered_with_a_late_up() {
    let reg = registry([sleeper("slow", 300, &Arc::new(AtomicUsize::new(0)))]);
    let probe = tokio::spawn({
        let reg = reg.clone();
        async move { reg.run(Probe::Readiness).await.status() }
    });
    sleep(Duration::from_millis(50)).await;
    reg.begin_drain();
    assert_eq!(probe.await.unwrap(), Status::OutOfService);
}

#[test]
fn without_a_runtime_a_waiting_check_is_down_not_a_panic() {
    use futures_util::FutureExt;
    let reg = registry([Check::new("pending", std::future::pending::<()>)]);
    let report = reg
        .run(Probe::Readiness)
        .now_or_never()
        .expect("answers at once");
    let c = &report.components()[0];
    assert_eq!(c.status(), Status::Down);
    assert_eq!(
        c.message(),
        Some("no timer: the tokio runtime is missing or shutting down")
    );
}

/// Real time: wall-clock dates come from the system clock, which tokio's
/// paused clock does not move.
#[tokio::test]
async fn a_result_is_dated_when_it_was_produced() {
    let reg = registry([
        sleeper("slow", 40, &Arc::new(AtomicUsize::new(0))).with_cache(Duration::from_secs(60))
    ]);
    let before = std::time::SystemTime::now();
    let first = reg.run(Probe::Readiness).await;
    sleep(Duration::from_millis(20)).await;
    let cached = reg.run(Probe::Readiness).await;
    let (a, b) = (
        first.components()[0].observed_at().unwrap(),
        cached.components()[0].observed_at().unwrap(),
    );
    let drift = a
        .duration_since(b)
        .or_else(|e| Ok::<_, ()>(e.duration()))
        .unwrap();
    assert!(
        drift < Duration::from_millis(5),
        "one result, one date: {drift:?} apart"
    );
    // Dated when it finished, not when the run started.
    assert!(a.duration_since(before).unwrap() >= Duration::from_millis(40));
}

/// An `interval` check whose runtime ended before its first result is not
/// UNKNOWN forever: past two periods and a timeout it runs on demand, and
/// its refresh task starts again on the runtime at hand.
#[test]
fn an_interval_check_never_stays_unknown_when_its_runtime_is_gone() {
    let runs = Arc::new(AtomicUsize::new(0));
    let r = Arc::clone(&runs);
    let check = Check::new("disk", move || {
        r.fetch_add(1, Ordering::SeqCst);
        async {}
    })
    .with_interval(Duration::from_millis(100))
    .with_timeout(Duration::from_millis(10));
    let first = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    // Built, and its refresh task spawned, on a runtime that never runs it.
    let reg = first.block_on(async { registry([check]) });
    drop(first);
    assert_eq!(runs.load(Ordering::SeqCst), 0);

    let second = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    second.block_on(async {
        let report = reg.run(Probe::Readiness).await;
        assert_eq!(report.status(), Status::Unknown, "before the first result");
        advance(Duration::from_millis(250)).await;
        let report = reg.run(Probe::Readiness).await;
        assert_eq!(report.status(), Status::Up, "stale: run on demand");
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        // The next probe restarts the refresh task on this runtime.
        reg.run(Probe::Readiness).await;
        for _ in 0..3 {
            advance(Duration::from_millis(100)).await;
            tokio::task::yield_now().await;
        }
        assert!(
            runs.load(Ordering::SeqCst) >= 3,
            "refreshed in the background again: {runs:?}"
        );
    });
}

/// Ten pollers during a short outage: the tolerance means time, so a
/// threshold of three is not reached by three pollers at once.
#[tokio::test(start_paused = true)]
async fn ten_pollers_do_not_trip_the_failure_threshold_early() {
    let (up, runs) = (
        Arc::new(AtomicBool::new(true)),
        Arc::new(AtomicUsize::new(0)),
    );
    let reg = registry([switch("db", &up, &runs)
        .with_cache(Duration::from_secs(10))
        .with_cache_failure(Duration::from_millis(100))
        .with_failure_threshold(3)]);
    assert_eq!(reg.run(Probe::Readiness).await.status(), Status::Up);
    // The cached success expires; then a 200 ms failover begins.
    advance(Duration::from_secs(10)).await;
    up.store(false, Ordering::SeqCst);
    let started = Instant::now();
    let pollers: Vec<_> = (0..10)
        .map(|_| {
            let reg = reg.clone();
            tokio::spawn(async move {
                let mut seen = Vec::new();
                while started.elapsed() < Duration::from_millis(400) {
                    seen.push(reg.run(Probe::Readiness).await.status());
                    sleep(Duration::from_millis(10)).await;
                }
                seen
            })
        })
        .collect();
    sleep(Duration::from_millis(200)).await;
    up.store(true, Ordering::SeqCst);
    let mut seen = Vec::new();
    for poller in pollers {
        seen.extend(poller.await.unwrap());
    }
    assert!(
        !seen.contains(&Status::Down),
        "DOWN during a 200 ms failover: {seen:?}"
    );
    assert!(
        seen.contains(&Status::Degraded),
        "the failure is shown: {seen:?}"
    );
    assert!(runs.load(Ordering::SeqCst) <= 5, "runs: {runs:?}");
}

/// UNKNOWN is no success: it neither resets the failure count nor is
/// cached for the success TTL.
#[tokio::test(start_paused = true)]
async fn unknown_is_not_a_success() {
    let script = Arc::new(std::sync::Mutex::new(vec![
        Outcome::up(),
        Outcome::down("refused"),
        Outcome::unknown("not sure"),
        Outcome::down("refused"),
    ]));
    let runs = Arc::new(AtomicUsize::new(0));
    let (s, r) = (Arc::clone(&script), Arc::clone(&runs));
    let check = Check::new("db", move || {
        r.fetch_add(1, Ordering::SeqCst);
        let next = s.lock().unwrap().remove(0);
        async move { next }
    })
    .with_cache(Duration::from_secs(60))
    .with_cache_failure(Duration::from_millis(10))
    .with_failure_threshold(3);
    let reg = registry([check]);
    let message =
        |report: health::Report| report.component("db").unwrap().message().map(str::to_owned);
    reg.run(Probe::Readiness).await; // UP, cached a minute
    advance(Duration::from_secs(61)).await;
    let report = reg.run(Probe::Readiness).await;
    assert_eq!(
        message(report).as_deref(),
        Some("refused (failure 1 of 3 tolerated)")
    );
    advance(Duration::from_millis(10)).await;
    assert_eq!(reg.run(Probe::Readiness).await.status(), Status::Unknown);
    // Cached for the failure TTL only: 10 ms later it runs again.
    advance(Duration::from_millis(10)).await;
    let report = reg.run(Probe::Readiness).await;
    assert_eq!(runs.load(Ordering::SeqCst), 4);
    assert_eq!(
        message(report).as_deref(),
        Some("refused (failure 2 of 3 tolerated)"),
        "UNKNOWN did not reset the count"
    );
}

/// A probe over cached checks is answered at once (`verdict_now`, which the
/// HTTP contract tries before awaiting anything) until the first of its
/// caches ends, without running a check; then it needs a run again.
#[tokio::test(start_paused = true)]
async fn a_cached_probe_is_at_hand_until_its_first_cache_ends() {
    let (short, long) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let reg = registry([
        sleeper("a", 0, &short).with_cache(Duration::from_secs(10)),
        sleeper("b", 0, &long).with_cache(Duration::from_secs(20)),
    ]);
    assert_eq!(reg.verdict_now(Probe::Readiness), None, "nothing ran yet");
    assert_eq!(reg.verdict(Probe::Readiness).await.status, Status::Up);
    for _ in 0..5 {
        let at_hand = reg.verdict_now(Probe::Readiness).map(|v| v.status);
        assert_eq!(at_hand, Some(Status::Up));
    }
    assert_eq!(
        (short.load(Ordering::SeqCst), long.load(Ordering::SeqCst)),
        (1, 1)
    );

    advance(Duration::from_secs(10)).await;
    assert_eq!(reg.verdict_now(Probe::Readiness), None, "a's cache ended");
    assert_eq!(reg.verdict(Probe::Readiness).await.status, Status::Up);
    assert_eq!(
        (short.load(Ordering::SeqCst), long.load(Ordering::SeqCst)),
        (2, 1)
    );
    assert!(reg.verdict_now(Probe::Readiness).is_some());

    // A selection is at hand too while every check it keeps has its
    // result at hand (without the probe's memo), and no check runs for it;
    // a probe with an uncached check always runs.
    let selection = health::Selection::new(Probe::Readiness).exclude(["b"]);
    let at_hand = reg.verdict_now(&selection).map(|v| v.status);
    assert_eq!(at_hand, Some(Status::Up));
    assert_eq!(
        (short.load(Ordering::SeqCst), long.load(Ordering::SeqCst)),
        (2, 1)
    );
    advance(Duration::from_secs(10)).await;
    assert_eq!(reg.verdict_now(&selection), None, "a's cache ended again");
    let plain = registry([sleeper("c", 0, &short)]);
    plain.verdict(Probe::Readiness).await;
    assert_eq!(plain.verdict_now(Probe::Readiness), None);
}

/// An interval check that starts failing in the background is answered
/// at once, on the very next request: a probe answered from its memo must
/// never keep serving the status from before the change.
#[tokio::test(start_paused = true)]
async fn a_background_failure_is_seen_by_the_next_request_at_hand() {
    let failing = Arc::new(AtomicBool::new(false));
    let f = Arc::clone(&failing);
    let reg = registry([
        Check::new("disk", move || {
            let f = Arc::clone(&f);
            async move { !f.load(Ordering::SeqCst) }
        })
        .with_interval(Duration::from_secs(5)),
        Check::new("db", || async { true }).with_cache(Duration::from_secs(60)),
    ]);
    tokio::task::yield_now().await;
    assert_eq!(reg.verdict(Probe::Readiness).await.status, Status::Up);
    assert_eq!(
        reg.verdict_now(Probe::Readiness).map(|v| v.status),
        Some(Status::Up)
    );

    failing.store(true, Ordering::SeqCst);
    sleep(Duration::from_secs(5)).await;
    tokio::task::yield_now().await;
    // The memo is void: the next answer is DOWN, whichever way it comes.
    let at_hand = reg.verdict_now(Probe::Readiness).map(|v| v.status);
    assert!(at_hand.is_none_or(|s| s == Status::Down), "{at_hand:?}");
    assert_eq!(reg.verdict(Probe::Readiness).await.status, Status::Down);
    assert_eq!(
        reg.verdict_now(Probe::Readiness).map(|v| v.status),
        Some(Status::Down)
    );
}

/// Draining and maintenance decide readiness without the checks: at hand
/// at once, whatever the checks' policies; liveness still runs its own.
#[tokio::test(start_paused = true)]
async fn out_of_service_is_at_hand_at_once() {
    let runs = Arc::new(AtomicUsize::new(0));
    let reg =
        registry([sleeper("db", 100, &runs).with_probes(Probes::READINESS.with(Probe::Liveness))]);
    assert_eq!(reg.verdict_now(Probe::Readiness), None);
    reg.set_maintenance("reindexing", Duration::from_secs(60));
    let verdict = reg.verdict_now(Probe::Readiness).expect("at hand");
    assert_eq!(verdict.status, Status::OutOfService);
    assert_eq!(verdict.retry_after, Some(Duration::from_secs(60)));
    assert_eq!(reg.verdict_now(Probe::Liveness), None);
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}
