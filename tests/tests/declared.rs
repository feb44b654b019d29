//! `#[health_check]` functions registered before `main`, run through a
//! registry: state resolution, return types, blocking fns, attribute options.

use health::Problem;
use health::{Observed, Outcome, Probe, Probes, Registry, Status, health_check};
use health_tests::LibraryState;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

struct Pool {
    healthy: bool,
}

struct Counter(AtomicUsize);

#[health_check(name = "decl.db", timeout = "200ms", tags = ["declared", "db"])]
async fn database(pool: &Pool, counter: &Counter) -> Result<(), String> {
    counter.0.fetch_add(1, Ordering::SeqCst);
    if pool.healthy {
        Ok(())
    } else {
        Err("pool exhausted".into())
    }
}

#[health_check(name = "decl.disk", tags = ["declared"], critical = false)]
fn disk(pool: &Pool) -> Result<Observed, std::io::Error> {
    std::thread::sleep(Duration::from_millis(5));
    Ok(Observed::new(if pool.healthy { 512 } else { 0 }, "MiB"))
}

#[health_check(name = "decl.alive", probe = "liveness", tags = ["declared"])]
async fn alive() {}

#[health_check(name = "decl.flag", probes = ["liveness", "readiness"], tags = ["declared"])]
fn flag() -> bool {
    true
}

#[health_check(name = "decl.lag", tags = ["declared"], cache = "1h", failure_threshold = 2)]
async fn lag() -> Outcome {
    Outcome::degraded("replica lag").with_detail("seconds", 3)
}

#[health_check(name = "decl.hang", tags = ["hang"], timeout = "50ms")]
async fn hang() {
    std::future::pending::<()>().await
}

#[health_check(name = "decl.startup", probe = "startup", tags = ["declared"])]
async fn warm(counter: &Counter) -> bool {
    counter.0.load(Ordering::SeqCst) > 0
}

fn declared(healthy: bool) -> Registry {
    Registry::builder()
        .state(Pool { healthy })
        .state(Counter(AtomicUsize::new(0)))
        .filter(|c| c.has_tag("declared"))
        .build()
        .expect("state for every declared check")
}

#[tokio::test]
async fn declared_checks_are_registered_with_their_options() {
    let reg = declared(true);
    let checks = reg.checks();
    let names: Vec<_> = checks.iter().map(|c| c.name()).collect();
    assert_eq!(
        names,
        [
            "decl.alive",
            "decl.db",
            "decl.disk",
            "decl.flag",
            "decl.lag",
            "decl.startup"
        ]
    );
    let db = checks.get("decl.db").unwrap();
    assert_eq!(db.policy().timeout(), Duration::from_millis(200));
    assert!(
        db.location().file().ends_with("declared.rs"),
        "{}",
        db.location()
    );
    assert_eq!(db.tags().collect::<Vec<_>>(), ["declared", "db"]);
    let flag = checks.get("decl.flag").unwrap();
    assert_eq!(
        flag.policy().probes(),
        Probes::LIVENESS.with(Probe::Readiness)
    );
    let lag = checks.get("decl.lag").unwrap();
    assert_eq!(lag.policy().cache(), Some(Duration::from_secs(3600)));
    assert_eq!(lag.policy().failure_threshold(), 2);
    assert!(!checks.get("decl.disk").unwrap().policy().is_critical());
}

#[tokio::test]
async fn declared_checks_run_with_their_state() {
    let report = declared(true).run(Probe::Readiness).await;
    assert_eq!(report.status(), Status::Degraded, "lag is DEGRADED");
    assert_eq!(report.component("decl.db").unwrap().status(), Status::Up);
    let disk = report.component("decl.disk").unwrap();
    assert_eq!(disk.observed().unwrap().value(), 512);
    assert!(
        disk.duration().unwrap() >= Duration::from_millis(5),
        "ran on the blocking pool"
    );

    let report = declared(false).run(Probe::Readiness).await;
    assert_eq!(report.status(), Status::Down);
    assert_eq!(
        report.component("decl.db").unwrap().message(),
        Some("pool exhausted")
    );

    let live = declared(true).run(Probe::Liveness).await;
    let names: Vec<_> = live.components().iter().map(|c| c.name()).collect();
    assert_eq!(names, ["decl.alive", "decl.flag"]);
}

#[tokio::test]
async fn state_is_shared_between_checks() {
    let reg = declared(true);
    assert_eq!(
        reg.run(Probe::Startup).await.status(),
        Status::Down,
        "no database run yet"
    );
    reg.run(Probe::Readiness).await;
    assert_eq!(reg.run(Probe::Startup).await.status(), Status::Up);
}

#[tokio::test(start_paused = true)]
async fn a_declared_timeout_holds() {
    let reg = Registry::builder()
        .filter(|c| c.has_tag("hang"))
        .build()
        .unwrap();
    let report = reg.run(Probe::Readiness).await;
    assert_eq!(
        report.component("decl.hang").unwrap().message(),
        Some("timed out after 50ms")
    );
}

#[test]
fn missing_state_is_a_build_error_naming_type_and_location() {
    let err = Registry::builder()
        .filter(|c| c.name() == "decl.db")
        .build()
        .unwrap_err();
    let missing: Vec<_> = err
        .problems()
        .iter()
        .map(|p| match p {
            Problem::MissingState {
                check,
                location,
                type_name,
            } => {
                assert_eq!(check, "decl.db");
                assert!(location.file().ends_with("declared.rs"));
                *type_name
            }
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(missing, ["declared::Pool", "declared::Counter"]);
    assert!(
        err.to_string()
            .contains("needs state of type `declared::Pool`"),
        "{err}"
    );
}

#[tokio::test]
async fn checks_in_a_private_module_of_a_library_crate_are_registered() {
    let reg = Registry::builder()
        .state(LibraryState(1))
        .filter(|c| c.has_tag("library"))
        .build()
        .unwrap();
    let report = reg.run(Probe::Readiness).await;
    assert_eq!(
        report.component("library.private").unwrap().status(),
        Status::Up
    );
}

#[test]
fn a_declared_name_clashing_with_a_runtime_check_is_reported_with_both_locations() {
    let runtime = health::Check::new("decl.alive", || async {});
    let here = runtime.location();
    let err = Registry::builder()
        .filter(|c| c.name() == "decl.alive")
        .check(runtime)
        .build()
        .unwrap_err();
    match err.problems() {
        [
            Problem::DuplicateName {
                name,
                first,
                second,
            },
        ] => {
            assert_eq!(name, "decl.alive");
            assert!(*first == here || *second == here);
            assert_ne!(first, second);
        }
        other => panic!("{other:?}"),
    }
}
