//! Checks added at run time, at the registry: runs that began before a
//! change keep their checks, a probe's memo never outlives the checks it
//! summed up, changes race with probes safely, a guard outliving its
//! registry is harmless, and everything is validated as at build.

use health_core::{Check, Probe, Problem, Registry, Status};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

fn registry() -> Registry {
    Registry::builder()
        .without_declared()
        .check(Check::new("db", || async {}).with_cache(Duration::from_secs(60)))
        .build()
        .expect("a valid registry")
}

#[tokio::test]
async fn a_memo_never_outlives_the_checks_it_summed_up() {
    let registry = registry();
    assert_eq!(registry.run(Probe::Readiness).await.status(), Status::Up);
    let at_hand = registry.verdict_now(Probe::Readiness).map(|v| v.status);
    assert_eq!(at_hand, Some(Status::Up));

    let failing = Check::new("tenant-7.db", || async { false }).with_cache(Duration::from_secs(60));
    let guard = registry.add(failing).unwrap();
    // The UP summed up without it is not served: the new check must run.
    assert_eq!(registry.verdict_now(Probe::Readiness), None);
    assert_eq!(registry.run(Probe::Readiness).await.status(), Status::Down);
    let at_hand = registry.verdict_now(Probe::Readiness).map(|v| v.status);
    assert_eq!(at_hand, Some(Status::Down));

    drop(guard);
    assert_eq!(registry.verdict_now(Probe::Readiness), None);
    assert_eq!(registry.run(Probe::Readiness).await.status(), Status::Up);
}

#[tokio::test]
async fn a_run_begun_before_a_removal_keeps_its_checks() {
    let registry = registry();
    let release = Arc::new(tokio::sync::Notify::new());
    let wait = Arc::clone(&release);
    let slow = Check::new("slow", move || {
        let wait = Arc::clone(&wait);
        async move { wait.notified().await }
    });
    let guard = registry.add(slow).unwrap();
    let running = tokio::spawn({
        let registry = registry.clone();
        async move { registry.run(Probe::Readiness).await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    drop(guard);
    assert_eq!(registry.checks().len(), 1);
    release.notify_one();
    let report = running.await.unwrap();
    assert_eq!(report.components().len(), 2, "{report:?}");
    assert_eq!(
        report.component("slow").map(|c| c.status()),
        Some(Status::Up)
    );
    let report = registry.run(Probe::Readiness).await;
    assert!(report.component("slow").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn checks_come_and_go_while_probes_run() {
    let registry = registry();
    let stop = Arc::new(AtomicBool::new(false));
    let probes = Arc::new(AtomicUsize::new(0));
    let mut probers = Vec::new();
    for probe in [Probe::Readiness, Probe::Readiness, Probe::Liveness] {
        let (registry, stop, probes) = (registry.clone(), Arc::clone(&stop), Arc::clone(&probes));
        probers.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let report = registry.run(probe).await;
                // Whatever the moment, `db` is in readiness, and no
                // check failed (an interval check just added is UNKNOWN).
                assert_eq!(report.component("db").is_some(), probe == Probe::Readiness);
                assert!(
                    report
                        .components()
                        .iter()
                        .all(|c| c.status() != Status::Down)
                );
                probes.fetch_add(1, Ordering::Relaxed);
                tokio::task::yield_now().await;
            }
        }));
    }
    let refreshes = Arc::new(AtomicUsize::new(0));
    for round in 0..200 {
        let counted = Arc::clone(&refreshes);
        let check = match round % 3 {
            0 => Check::new(format!("tenant-{round}"), || async {}),
            1 => Check::new(format!("tenant-{round}"), || async {})
                .with_cache(Duration::from_millis(5)),
            _ => Check::new(format!("tenant-{round}"), move || {
                counted.fetch_add(1, Ordering::Relaxed);
                async {}
            })
            .with_timeout(Duration::from_millis(1))
            .with_interval(Duration::from_millis(2))
            .with_probes(Probe::Liveness),
        };
        let guard = registry.add(check).unwrap();
        tokio::time::sleep(Duration::from_millis(1)).await;
        drop(guard);
    }
    stop.store(true, Ordering::Relaxed);
    for prober in probers {
        prober.await.unwrap();
    }
    assert!(probes.load(Ordering::Relaxed) > 0);
    let names: Vec<String> = registry
        .checks()
        .iter()
        .map(|c| c.name().to_owned())
        .collect();
    assert_eq!(names, ["db"]);
    // Every background refresh of the interval checks was stopped.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let after = refreshes.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(refreshes.load(Ordering::Relaxed), after);
}

#[tokio::test]
async fn a_probe_has_checks_while_one_is_added() {
    let registry = registry();
    assert!(!registry.has_checks(Probe::Liveness));
    let alive = Check::new("event-loop", || async { false }).with_probes(Probe::Liveness);
    let guard = registry.add(alive).unwrap();
    assert!(registry.has_checks(Probe::Liveness));
    assert_eq!(registry.run(Probe::Liveness).await.status(), Status::Down);
    drop(guard);
    assert!(!registry.has_checks(Probe::Liveness));
    assert!(registry.has_checks(Probe::Readiness));
}

#[test]
fn a_guard_outliving_its_registry_is_harmless() {
    let registry = registry();
    let guard = registry.add(Check::new("tenant", || async {})).unwrap();
    assert_eq!(guard.name(), "tenant");
    drop(registry);
    drop(guard);
}

#[test]
fn tags_and_policies_are_validated_as_at_build() {
    let registry = Registry::builder().without_declared().build().unwrap();
    let check = Check::new("db", || async {})
        .with_tags(["Bad Tag"])
        .with_interval(Duration::from_millis(10))
        .with_timeout(Duration::from_secs(1));
    let error = registry.add(check).unwrap_err();
    assert!(
        matches!(
            error.problems(),
            [Problem::InvalidTag { .. }, Problem::InvalidPolicy { .. }]
        ),
        "{error}"
    );
    assert!(registry.checks().is_empty());
}
