//! Signals people can act on, at the registry: the success threshold
//! (hysteresis), the failing interval, jitter of `interval` checks, and
//! slow runs marked. Time-dependent cases run on tokio's paused clock.

use health::{Check, Jitter, Probe, Registry, Status};
use health_tests::checks::{registry, switch};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::{Instant, advance};

#[tokio::test(start_paused = true)]
async fn a_success_threshold_holds_a_failure_until_enough_successes_in_a_row() {
    let (up, runs) = (
        Arc::new(AtomicBool::new(true)),
        Arc::new(AtomicUsize::new(0)),
    );
    let ttl = Duration::from_millis(10);
    let reg = registry([switch("db", &up, &runs)
        .with_cache(ttl)
        .with_success_threshold(3)]);
    let db = || async {
        advance(ttl).await;
        let report = reg.run(Probe::Readiness).await;
        let db = report.component("db").expect("db");
        (db.status(), db.message().map(str::to_owned))
    };
    assert_eq!(
        db().await.0,
        Status::Up,
        "the first success ever is UP at once"
    );
    up.store(false, Ordering::SeqCst);
    assert_eq!(
        db().await,
        (Status::Down, Some("connection refused".into()))
    );
    up.store(true, Ordering::SeqCst);
    let recovering = |n| {
        (
            Status::Down,
            Some(format!("connection refused (recovering: success {n} of 3)")),
        )
    };
    assert_eq!(db().await, recovering(1));
    assert_eq!(db().await, recovering(2));
    assert_eq!(db().await.0, Status::Up, "the third success in a row");
    // A failure while recovering starts the count again.
    up.store(false, Ordering::SeqCst);
    assert_eq!(db().await.0, Status::Down);
    up.store(true, Ordering::SeqCst);
    assert_eq!(db().await, recovering(1));
    up.store(false, Ordering::SeqCst);
    assert_eq!(
        db().await,
        (Status::Down, Some("connection refused".into()))
    );
    up.store(true, Ordering::SeqCst);
    assert_eq!(db().await, recovering(1));
    assert_eq!(runs.load(Ordering::SeqCst), 9);
}

#[tokio::test(start_paused = true)]
async fn a_failing_interval_checks_faster_only_while_failing() {
    let (up, runs) = (
        Arc::new(AtomicBool::new(true)),
        Arc::new(AtomicUsize::new(0)),
    );
    let reg = registry([switch("upstream", &up, &runs)
        .with_timeout(Duration::from_millis(50))
        .with_interval(Duration::from_secs(1))
        .with_failing_interval(Duration::from_millis(100))]);
    reg.run(Probe::Readiness).await; // starts the background task
    let runs_over = |d: Duration| {
        let runs = Arc::clone(&runs);
        async move {
            let before = runs.load(Ordering::SeqCst);
            for _ in 0..d.as_millis() / 10 {
                advance(Duration::from_millis(10)).await;
            }
            runs.load(Ordering::SeqCst) - before
        }
    };
    let healthy = runs_over(Duration::from_secs(3)).await;
    assert!((2..=4).contains(&healthy), "healthy: {healthy} runs in 3 s");
    up.store(false, Ordering::SeqCst);
    advance(Duration::from_secs(1)).await; // the next run sees the failure
    let failing = runs_over(Duration::from_secs(3)).await;
    assert!(
        (28..=31).contains(&failing),
        "failing: {failing} runs in 3 s"
    );
    up.store(true, Ordering::SeqCst);
    advance(Duration::from_millis(200)).await;
    let recovered = runs_over(Duration::from_secs(3)).await;
    assert!(
        (2..=4).contains(&recovered),
        "recovered: {recovered} runs in 3 s"
    );
}

/// When each of `checks` interval checks ran, over `periods` periods of
/// one second, under `jitter`.
async fn run_times(jitter: Jitter, checks: usize, periods: u32) -> Vec<Vec<Duration>> {
    let start = Instant::now();
    let times: Vec<Arc<Mutex<Vec<Duration>>>> = (0..checks).map(|_| Arc::default()).collect();
    let mut builder = Registry::builder().without_declared().jitter(jitter);
    for (i, log) in times.iter().enumerate() {
        let log = Arc::clone(log);
        builder = builder.check(
            Check::new(format!("check-{i}"), move || {
                log.lock().expect("times").push(start.elapsed());
                async {}
            })
            .with_timeout(Duration::from_millis(100))
            .with_interval(Duration::from_secs(1)),
        );
    }
    let reg = builder.build().expect("valid registry");
    reg.run(Probe::Readiness).await;
    for _ in 0..periods * 100 {
        advance(Duration::from_millis(10)).await;
    }
    drop(reg);
    times
        .iter()
        .map(|t| t.lock().expect("times").clone())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn jitter_spreads_interval_checks_and_is_the_same_under_a_seed() {
    // Without jitter, every check runs at the same instants.
    let exact = run_times(Jitter::NONE, 5, 10).await;
    assert!(exact.windows(2).all(|w| w[0] == w[1]), "{exact:?}");
    // With it, each period is shortened by up to 20 %: the checks drift
    // apart, never waiting longer than their period.
    let jitter = Jitter::fraction(0.2).seeded(42);
    let spread = run_times(jitter, 5, 10).await;
    let tenth: Vec<Duration> = spread.iter().map(|t| t[9]).collect();
    let (first, last) = (tenth.iter().min().unwrap(), tenth.iter().max().unwrap());
    assert!(*last - *first >= Duration::from_millis(200), "{tenth:?}");
    for times in &spread {
        for pair in times.windows(2) {
            let gap = pair[1] - pair[0];
            assert!(
                gap >= Duration::from_millis(790) && gap <= Duration::from_millis(1010),
                "{gap:?} in {times:?}"
            );
        }
    }
    // The same seed, the same schedule.
    assert_eq!(run_times(jitter, 5, 10).await, spread);
    // An initial delay spreads the first runs too.
    let first_runs: Vec<Duration> = run_times(
        Jitter::NONE
            .with_initial(Duration::from_millis(500))
            .seeded(7),
        5,
        1,
    )
    .await
    .iter()
    .map(|t| t[0])
    .collect();
    assert!(
        first_runs.iter().all(|d| *d < Duration::from_millis(510)),
        "{first_runs:?}"
    );
    assert!(
        first_runs.windows(2).any(|w| w[0] != w[1]),
        "{first_runs:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_slow_run_is_marked_on_the_component_and_the_history() {
    let delay = Arc::new(AtomicUsize::new(80));
    let ms = Arc::clone(&delay);
    let reg = registry([Check::new("search", move || {
        let ms = ms.load(Ordering::SeqCst) as u64;
        async move { tokio::time::sleep(Duration::from_millis(ms)).await }
    })
    .with_timeout(Duration::from_millis(200))
    .with_slow(Duration::from_millis(50))]);
    let report = reg.run(Probe::Readiness).await;
    let search = report.component("search").expect("search");
    assert_eq!(search.status(), Status::Up, "slow is not a failure");
    assert!(search.is_slow());
    assert!(reg.history()[0].slow);
    delay.store(10, Ordering::SeqCst);
    let report = reg.run(Probe::Readiness).await;
    assert!(!report.component("search").expect("search").is_slow());
    assert!(!reg.history()[0].slow);
    assert_eq!(reg.history()[0].slow_after, Duration::from_millis(50));
}
