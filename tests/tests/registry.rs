//! Building a registry: every problem is reported at once, with locations.

use health::Problem;
use health::{Check, Registry};
use std::time::Duration;

#[test]
fn build_reports_every_problem_at_once() {
    let first = Check::new("db", || async {});
    let second = Check::new("db", || async {});
    let (l1, l2) = (first.location(), second.location());
    let err = Registry::builder()
        .without_declared()
        .state(1_u32)
        .state(2_u32)
        .check(first)
        .check(second)
        .check(Check::new("Bad Name", || async {}))
        .check(Check::new("zero", || async {}).with_timeout(Duration::ZERO))
        .check(Check::new("fast-interval", || async {}).with_interval(Duration::from_millis(500)))
        .check(
            Check::new("both", || async {})
                .with_interval(Duration::from_secs(5))
                .with_cache(Duration::from_secs(5)),
        )
        .check(
            Check::new("orphan-failure-ttl", || async {})
                .with_cache_failure(Duration::from_secs(1)),
        )
        .build()
        .unwrap_err();
    let problems = err.problems();
    assert!(problems.contains(&Problem::DuplicateState { type_name: "u32" }));
    assert!(problems.contains(&Problem::DuplicateName {
        name: "db".into(),
        first: l1,
        second: l2
    }));
    assert!(l1.file().ends_with("registry.rs") && l1.line() + 1 == l2.line());
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, Problem::InvalidName { name, .. } if name == "Bad Name"))
    );
    let policy = |check: &str| {
        problems.iter().find_map(|p| match p {
            Problem::InvalidPolicy {
                check: c, reason, ..
            } if c == check => Some(reason.as_str()),
            _ => None,
        })
    };
    assert_eq!(policy("zero"), Some("the timeout must be longer than zero"));
    assert_eq!(
        policy("fast-interval"),
        Some("the interval (500ms) must be longer than the timeout (1s)")
    );
    assert!(
        policy("both")
            .unwrap()
            .contains("`cache` and `interval` exclude each other")
    );
    assert_eq!(
        policy("orphan-failure-ttl"),
        Some("`cache_failure` needs `cache`")
    );
    assert_eq!(problems.len(), 7, "{err}");

    let text = err.to_string();
    assert!(
        text.starts_with("cannot build the health registry: 7 problems\n  - "),
        "{text}"
    );
    assert!(
        text.contains(&format!("two checks are named `db`: {l1} and {l2}")),
        "{text}"
    );
}

#[test]
fn declared_checks_can_be_left_out_or_filtered() {
    let reg = Registry::builder().without_declared().build().unwrap();
    assert_eq!(reg.checks().iter().count(), 0);
    let reg = Registry::builder()
        .filter(|_| false)
        .check(Check::new("mine", || async {}))
        .build()
        .unwrap();
    let checks = reg.checks();
    let names: Vec<_> = checks.iter().map(|c| c.name()).collect();
    assert_eq!(names, ["mine"]);
}

#[test]
fn a_registry_builds_outside_a_runtime() {
    let reg = Registry::builder()
        .without_declared()
        .check(Check::new("bg", || async {}).with_interval(Duration::from_secs(10)))
        .build()
        .unwrap();
    // Interval tasks start on first use inside a runtime.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let status = rt.block_on(async {
        tokio::time::sleep(Duration::from_millis(1)).await;
        reg.run(health::Probe::Readiness).await;
        tokio::time::sleep(Duration::from_millis(20)).await;
        reg.run(health::Probe::Readiness).await.status()
    });
    assert_eq!(status, health::Status::Up);
}

#[test]
fn durations_past_a_year_are_build_errors() {
    let err = Registry::builder()
        .without_declared()
        .check(Check::new("forever", || async {}).with_timeout(Duration::MAX))
        .build()
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("check `forever`") && text.contains("the timeout is longer than a year"),
        "{text}"
    );
    assert_eq!(err.problems().len(), 1, "{text}");
}

#[test]
fn clashing_paths_are_endpoint_build_errors() {
    use health::http::{Endpoints, Paths};
    let registry = Registry::builder().without_declared().build().unwrap();
    let err = Endpoints::builder(registry)
        .paths(
            Paths::default()
                .version(Some("/health/version"))
                .startup("/ready"),
        )
        .build()
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("the readiness and startup endpoints are both at `/ready`"),
        "{text}"
    );
    assert!(
        text.contains(
            "the version endpoint `/health/version` is also the path of a component named `version`"
        ),
        "{text}"
    );
    assert_eq!(err.problems().len(), 2, "{text}");
}

#[test]
fn weak_tokens_and_bad_networks_are_endpoint_build_errors_that_never_show_the_token() {
    use health::http::{Disclosure, Endpoints, Problem};
    let registry = Registry::builder().without_declared().build().unwrap();
    for (disclosure, expected) in [
        (Disclosure::bearer("s3cret"), "fewer than 16"),
        (
            Disclosure::bearer("a token with spaces in it"),
            "whitespace",
        ),
        (Disclosure::bearer("control\u{1}characters-123"), "control"),
        (Disclosure::networks(["10.0.0.0/33"]), "10.0.0.0/33"),
        (
            Disclosure::always().trust_proxies(["proxy.internal"]),
            "proxy.internal",
        ),
    ] {
        let err = Endpoints::builder(registry.clone())
            .disclosure(disclosure)
            .build()
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains(expected), "{text}");
        // Parts of each token that no message would hold by itself ("control"
        // may name the problem, "characters-123" is the token's own).
        for secret in ["s3cret", "spaces in it", "characters-123"] {
            assert!(!text.contains(secret), "{text}");
        }
        assert!(matches!(
            err.problems()[0],
            Problem::Token(_) | Problem::Network(_)
        ));
    }
    let ok = Disclosure::bearer("0123456789abcdef").or_networks(["127.0.0.1", "::1/128"]);
    assert!(Endpoints::builder(registry).disclosure(ok).build().is_ok());
}

#[tokio::test]
async fn details_and_observed_values_are_bounded_and_redacted() {
    use health::{Observed, Outcome, Probe};
    let check = Check::new("big", || async {
        let mut outcome = Outcome::up().with_observed(Observed::without_unit("x".repeat(10_000)));
        for i in 0..100 {
            outcome = outcome.with_detail(format!("key{i:03}"), "postgres://u:pw@h/db");
        }
        outcome.with_detail("k".repeat(200), vec![0; 5_000])
    });
    let registry = Registry::builder()
        .without_declared()
        .check(check)
        .build()
        .unwrap();
    let report = registry.run(Probe::Readiness).await;
    let big = report.component("big").unwrap();
    let details = big.details().unwrap();
    assert_eq!(details.len(), 33, "32 kept and the count of those dropped");
    assert_eq!(details["details_dropped"], 69);
    assert!(
        details
            .iter()
            .all(|(k, v)| k.chars().count() <= 64 && v.to_string().len() <= 1100)
    );
    assert_eq!(details["key000"], "postgres://u:***@h/db");
    let observed = big.observed().unwrap().value().to_string();
    assert!(observed.len() <= 300, "{}", observed.len());
}
