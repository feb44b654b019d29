//! `RuntimeWatch` on a real application runtime, asked from a probe
//! runtime of its own (as a dedicated listener would): busy is readiness
//! DOWN while liveness stays UP, wedged is liveness DOWN, and both recover
//! once the workers are free.

use health::checks::RuntimeWatch;
use health::{Probe, Registry, Status};
use std::sync::mpsc;
use std::time::Duration;
use tokio::runtime::{Builder, Runtime};

/// Bounds every wait; never reached when the code is right.
const BOUND: Duration = Duration::from_secs(30);

fn app() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// Blocks the application's only worker until the returned sender is
/// dropped or sent to; returns once it is blocked.
fn block_the_worker(app: &Runtime) -> mpsc::Sender<()> {
    let (blocked_tx, blocked_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    app.spawn(async move {
        let _ = blocked_tx.send(());
        let _ = release_rx.recv_timeout(BOUND);
    });
    blocked_rx.recv_timeout(BOUND).expect("the worker blocks");
    release_tx
}

/// Asks `probe` until its status is `expected`, bounded.
fn until(probes: &Runtime, registry: &Registry, probe: Probe, expected: Status) -> String {
    let started = std::time::Instant::now();
    loop {
        let report = probes.block_on(registry.run(probe));
        if report.status() == expected {
            let c = &report.components()[0];
            return c.message().unwrap_or_default().to_owned();
        }
        assert!(
            started.elapsed() < BOUND,
            "{probe} stayed {} (wanted {expected})",
            report.status()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A registry watching a new application runtime with `watch`, and a
/// probe runtime of its own.
fn watched(watch: RuntimeWatch) -> (Runtime, Registry, Runtime) {
    let app = app();
    let registry = app.block_on(async {
        Registry::builder()
            .without_declared()
            .checks(watch.checks())
            .build()
            .expect("a registry")
    });
    let probes = Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    (app, registry, probes)
}

#[test]
fn busy_is_not_ready_and_still_alive() {
    let (app, registry, probes) = watched(
        RuntimeWatch::new()
            .tick(Duration::from_millis(10))
            .busy_after(Duration::from_millis(100))
            .wedged_after(BOUND * 2),
    );
    // Free: both UP, with the runtime's numbers.
    until(&probes, &registry, Probe::Readiness, Status::Up);
    let report = probes.block_on(registry.run(Probe::Liveness));
    assert_eq!(report.status(), Status::Up);
    let alive = report
        .component("runtime.alive")
        .expect("the liveness check");
    assert_eq!(alive.observed().and_then(|o| o.unit()), Some("ms"));
    assert_eq!(alive.details().expect("details")["workers"], 1);
    // Blocked past the busy limit: not ready, alive.
    let release = block_the_worker(&app);
    let message = until(&probes, &registry, Probe::Readiness, Status::Down);
    assert!(message.starts_with("busy: tasks run "), "{message}");
    assert_eq!(
        probes.block_on(registry.run(Probe::Liveness)).status(),
        Status::Up
    );
    drop(release);
    until(&probes, &registry, Probe::Readiness, Status::Up);
}

#[test]
fn wedged_is_not_alive_until_the_workers_are_free() {
    let (app, registry, probes) = watched(
        RuntimeWatch::new()
            .tick(Duration::from_millis(10))
            .wedged_after(Duration::from_millis(300)),
    );
    until(&probes, &registry, Probe::Liveness, Status::Up);
    let release = block_the_worker(&app);
    let message = until(&probes, &registry, Probe::Liveness, Status::Down);
    assert!(message.starts_with("wedged: no tick for "), "{message}");
    assert!(message.ends_with("every worker is blocked"), "{message}");
    drop(release);
    until(&probes, &registry, Probe::Liveness, Status::Up);
}

#[test]
fn busy_may_only_degrade() {
    let (app, registry, probes) = watched(
        RuntimeWatch::new()
            .tick(Duration::from_millis(10))
            .busy_after(Duration::from_millis(100))
            .busy_is(Status::Degraded),
    );
    let release = block_the_worker(&app);
    until(&probes, &registry, Probe::Readiness, Status::Degraded);
    drop(release);
    until(&probes, &registry, Probe::Readiness, Status::Up);
}

#[test]
fn off_any_runtime_there_is_nothing_to_watch() {
    let registry = Registry::builder()
        .without_declared()
        .checks(RuntimeWatch::new().checks())
        .build()
        .expect("a registry");
    let probes = Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let report = probes.block_on(registry.run(Probe::Liveness));
    assert_eq!(report.status(), Status::Down);
    let message = report.components()[0]
        .message()
        .unwrap_or_default()
        .to_owned();
    assert!(message.starts_with("no runtime to watch"), "{message}");
}

/// Servers whose workers each run a runtime of their own (actix-web):
/// every runtime watched; one wedged is liveness DOWN.
#[test]
fn every_runtime_watched_one_wedged_is_enough() {
    let watch = RuntimeWatch::new()
        .tick(Duration::from_millis(10))
        .wedged_after(Duration::from_millis(300));
    let app = app();
    let registry = app.block_on(async {
        Registry::builder()
            .without_declared()
            .checks(watch.checks())
            .build()
            .expect("a registry")
    });
    // A worker with a current-thread runtime of its own, watched from
    // inside it, as actix-web's factory runs on each worker.
    let (wedge_tx, wedge_rx) = mpsc::channel::<mpsc::Receiver<()>>();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let worker_watch = watch.clone();
    let worker = std::thread::spawn(move || {
        let runtime = Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            assert!(worker_watch.watch_this_runtime());
            tokio::spawn(async move {
                // Told to, block this worker's only thread until released.
                if let Ok(release) =
                    tokio::task::spawn_blocking(move || wedge_rx.recv_timeout(BOUND))
                        .await
                        .expect("the wait")
                {
                    let _ = release.recv_timeout(BOUND);
                }
            });
            let _ = stop_rx.await;
        });
    });
    let probes = Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    // Wait, bounded, for the worker to have joined the watch.
    let started = std::time::Instant::now();
    loop {
        let report = probes.block_on(registry.run(Probe::Liveness));
        let details = report.components()[0].details().expect("details").clone();
        if details["runtimes"] == 2 && report.status() == Status::Up {
            break;
        }
        assert!(
            started.elapsed() < BOUND,
            "the worker never joined: {details:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let (release_tx, release_rx) = mpsc::channel();
    wedge_tx.send(release_rx).expect("the worker waits");
    let message = until(&probes, &registry, Probe::Liveness, Status::Down);
    assert!(message.starts_with("wedged: no tick for "), "{message}");
    drop(release_tx);
    until(&probes, &registry, Probe::Liveness, Status::Up);
    let _ = stop_tx.send(());
    worker.join().expect("the worker ends");
}
