//! `#[health_task]` functions registered before `main`, started by the
//! registries built with them: restarts, state, stalls, exits, the drain,
//! filters, and when they start. Its own test binary, so that its tasks
//! join no other test's registries; each test here keeps only its own task
//! (by tag), and no registry keeps `task.filtered`.

use health::{Component, Heartbeat, Probe, Problem, Registry, Status, health_task};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Panics at every run, after touching its heartbeat.
#[health_task(name = "task.panics", tags = ["panics"], stall_after = "10s", backoff = "20ms", backoff_max = "40ms")]
async fn panics(heartbeat: Heartbeat) {
    PANICS_RUNS.fetch_add(1, Ordering::SeqCst);
    heartbeat.tick();
    tokio::time::sleep(Duration::from_millis(5)).await;
    panic!("the consumer lost its offset");
}
static PANICS_RUNS: AtomicUsize = AtomicUsize::new(0);

/// State for `with_state`.
struct Jobs {
    done: Arc<AtomicUsize>,
}

/// Works with its state, a heartbeat in the middle of its parameters.
#[health_task(name = "task.state", tags = ["state"], stall_after = "10s")]
async fn with_state(jobs: &Jobs, heartbeat: Heartbeat, limit: &Limit) -> Result<(), String> {
    loop {
        if jobs.done.fetch_add(1, Ordering::SeqCst) + 1 >= limit.0 {
            // Past the limit: idle, still progressing.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        heartbeat.tick();
        tokio::task::yield_now().await;
    }
}

/// More state for `with_state`.
struct Limit(usize);

/// Touches its heartbeat once, then waits forever.
#[health_task(name = "task.stalls", tags = ["stalls"], stall_after = "50ms")]
async fn stalls(heartbeat: Heartbeat) {
    heartbeat.tick();
    std::future::pending::<()>().await;
}

/// Fails once, and is never restarted.
#[health_task(name = "task.never", tags = ["never"], restart = "never")]
async fn never() -> Result<(), std::io::Error> {
    tokio::time::sleep(Duration::from_millis(5)).await;
    Err(std::io::Error::other("the outbox table is gone"))
}

/// Never kept by a registry here: it must never run.
#[health_task(name = "task.filtered", tags = ["filtered"])]
async fn filtered() {
    FILTERED_RUNS.fetch_add(1, Ordering::SeqCst);
}
static FILTERED_RUNS: AtomicUsize = AtomicUsize::new(0);

/// State for `runs_until_stopped`: its runs, and whether a run's future
/// was dropped (the task stopped).
#[derive(Clone, Default)]
struct Runs {
    started: Arc<AtomicUsize>,
    dropped: Arc<AtomicBool>,
}

/// Sets its flag when dropped.
struct Guard(Arc<AtomicBool>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Runs until stopped, ticking; no stall detection needed.
#[health_task(name = "task.runs", tags = ["runs"], critical = false, probes = ["liveness"])]
async fn runs_until_stopped(runs: &Runs) {
    runs.started.fetch_add(1, Ordering::SeqCst);
    let _guard = Guard(Arc::clone(&runs.dropped));
    std::future::pending::<()>().await;
}

/// A registry of the declared tasks tagged `tag`, with `state` given.
fn registry(
    tag: &'static str,
    state: impl FnOnce(health::RegistryBuilder) -> health::RegistryBuilder,
) -> Registry {
    state(Registry::builder())
        .filter(move |check| check.has_tag(tag))
        .drain_delay(Duration::from_millis(20))
        .stop_signals([])
        .build()
        .expect("a registry")
}

/// The component `name` once `done` holds for it, polled through the
/// readiness probe (or liveness for a liveness-only task); panics after
/// five seconds with the last one seen.
async fn until(registry: &Registry, name: &str, done: impl Fn(&Component) -> bool) -> Component {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let report = registry
            .run_component(name)
            .await
            .expect("a component of the registry");
        let component = report.component(name).expect("the component").clone();
        if done(&component) {
            return component;
        }
        assert!(
            Instant::now() < deadline,
            "{name}: still {:?} {:?} {:?}",
            component.status(),
            component.message(),
            component.details()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn restarts(component: &Component) -> u64 {
    component
        .details()
        .and_then(|d| d.get("restarts"))
        .and_then(serde_json::Value::as_u64)
        .expect("a restarts detail")
}

#[tokio::test]
async fn a_panicking_task_fails_readiness_and_is_restarted() {
    let registry = registry("panics", |b| b);
    let down = until(&registry, "task.panics", |c| {
        c.status() == Status::Down && restarts(c) >= 2
    })
    .await;
    let message = down.message().unwrap_or_default();
    assert!(
        message == "panicked" || message.starts_with("restarting (restart "),
        "{message}"
    );
    assert!(PANICS_RUNS.load(Ordering::SeqCst) >= 3, "restarted");
    let restarting = until(&registry, "task.panics", |c| {
        c.message().is_some_and(|m| {
            m.starts_with("restarting (restart ") && m.ends_with("after: panicked")
        })
    })
    .await;
    assert_eq!(restarting.status(), Status::Down);
    // A critical readiness component: the probe is DOWN with it.
    let report = registry.run(Probe::Readiness).await;
    assert_eq!(report.status(), Status::Down);
}

#[tokio::test]
async fn a_task_runs_with_its_state() {
    let done = Arc::new(AtomicUsize::new(0));
    let jobs = Jobs {
        done: Arc::clone(&done),
    };
    let registry = registry("state", |b| b.state(jobs).state(Limit(3)));
    let up = until(&registry, "task.state", |c| c.status() == Status::Up).await;
    assert_eq!(restarts(&up), 0);
    let deadline = Instant::now() + Duration::from_secs(5);
    while done.load(Ordering::SeqCst) < 3 {
        assert!(Instant::now() < deadline, "the task did not work");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(registry.run(Probe::Readiness).await.status(), Status::Up);
}

#[tokio::test]
async fn a_task_that_stops_ticking_is_stalled() {
    let registry = registry("stalls", |b| b);
    let stalled = until(&registry, "task.stalls", |c| c.status() == Status::Down).await;
    let message = stalled.message().unwrap_or_default();
    assert!(
        message.starts_with("stalled for ") && message.ends_with("(no progress within 50ms)"),
        "{message}"
    );
}

#[tokio::test]
async fn a_task_never_restarted_stays_down_with_its_error() {
    let registry = registry("never", |b| b);
    let exited = until(&registry, "task.never", |c| c.status() == Status::Down).await;
    assert_eq!(exited.message(), Some("exited: the outbox table is gone"));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let still = until(&registry, "task.never", |_| true).await;
    assert_eq!(
        (still.status(), still.message(), restarts(&still)),
        (Status::Down, Some("exited: the outbox table is gone"), 0)
    );
}

#[tokio::test]
async fn a_task_without_its_state_fails_the_build() {
    let error = Registry::builder()
        .filter(|check| check.has_tag("state"))
        .state(Limit(1))
        .build()
        .expect_err("no `Jobs`");
    let missing: Vec<_> = error
        .problems()
        .iter()
        .map(|problem| match problem {
            Problem::MissingState {
                check, type_name, ..
            } => (check.as_str(), *type_name),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!(missing[0].0, "task.state");
    assert!(missing[0].1.ends_with("Jobs"), "{missing:?}");
}

#[tokio::test]
async fn tasks_filtered_out_or_left_out_do_not_run() {
    let kept = registry("never", |b| b);
    assert!(kept.checks().get("task.filtered").is_none());
    let none = Registry::builder()
        .without_declared()
        .build()
        .expect("nothing declared");
    assert!(none.checks().is_empty());
    let _ = kept.run(Probe::Readiness).await;
    let _ = none.run(Probe::Readiness).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(FILTERED_RUNS.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn the_drain_stops_a_task_up() {
    let runs = Runs::default();
    let registry = registry("runs", |b| b.state(runs.clone()));
    let running = until(&registry, "task.runs", |c| c.status() == Status::Up).await;
    assert_eq!(running.message(), None);
    registry.begin_drain();
    let stopped = until(&registry, "task.runs", |c| c.message().is_some()).await;
    assert_eq!(
        (stopped.status(), stopped.message()),
        (Status::Up, Some("stopped: drained"))
    );
    assert!(
        runs.dropped.load(Ordering::SeqCst),
        "the task's future is dropped"
    );
    assert_eq!(registry.run(Probe::Liveness).await.status(), Status::Up);
}

#[tokio::test]
async fn dropping_the_registry_stops_its_tasks() {
    let runs = Runs::default();
    let registry = registry("runs", |b| b.state(runs.clone()));
    let _ = until(&registry, "task.runs", |c| c.status() == Status::Up).await;
    drop(registry);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !runs.dropped.load(Ordering::SeqCst) {
        assert!(Instant::now() < deadline, "the task outlived its registry");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Built outside a runtime, the tasks start on the registry's first use,
/// once, however many uses follow.
#[test]
fn outside_a_runtime_tasks_start_on_first_use_once() {
    let runs = Runs::default();
    let registry = registry("runs", |b| b.state(runs.clone()));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(runs.started.load(Ordering::SeqCst), 0, "not started yet");
        let report = registry.run(Probe::Liveness).await;
        let component = report.component("task.runs").expect("the component");
        assert_eq!(
            (component.status(), component.message()),
            (Status::Unknown, Some("not started"))
        );
        let _ = until(&registry, "task.runs", |c| c.status() == Status::Up).await;
        for _ in 0..5 {
            let _ = registry.run(Probe::Liveness).await;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    });
    assert_eq!(runs.started.load(Ordering::SeqCst), 1, "started once");
}
