//! Policies the registry refuses because they would not do what they say.

use health_core::registry::Problem;
use health_core::{Check, Policy, Registry};
use std::time::Duration;

/// The reasons the registry gives for refusing `checks`, by check name;
/// empty when it builds.
fn refusals(checks: impl IntoIterator<Item = Check>) -> Vec<(String, String)> {
    let mut builder = Registry::builder().without_declared();
    for check in checks {
        builder = builder.check(check);
    }
    match builder.build() {
        Ok(_) => Vec::new(),
        Err(error) => error
            .into_problems()
            .into_iter()
            .map(|problem| match problem {
                Problem::InvalidPolicy { check, reason, .. } => (check, reason),
                other => panic!("not a policy problem: {other:?}"),
            })
            .collect(),
    }
}

/// A failure threshold counts failed runs. With `cache_failure` zero a
/// failed result is never reused, so while the check fails every poller
/// runs it: three pollers during a short outage reach a threshold of 3 at
/// once, as without any cache. The attribute refuses the same when the
/// user's crate compiles.
#[test]
fn a_failure_threshold_needs_failures_cached() {
    let ten_seconds = Duration::from_secs(10);
    let flaky = |name: &'static str| {
        Check::new(name, || async { false })
            .with_cache(ten_seconds)
            .with_failure_threshold(3)
    };
    let refused = refusals([
        flaky("uncached-failures").with_cache_failure(Duration::ZERO),
        Check::new("as-a-policy", || async { false }).with_policy(
            Policy::DEFAULT
                .with_cache(ten_seconds)
                .with_cache_failure(Duration::ZERO)
                .with_failure_threshold(2),
        ),
    ]);
    let mut names: Vec<&str> = refused.iter().map(|(check, _)| check.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["as-a-policy", "uncached-failures"], "{refused:#?}");
    for (_, reason) in &refused {
        assert!(
            reason.starts_with("a `failure_threshold` above 1 needs failed runs cached")
                && reason.contains("give `cache_failure` a TTL longer than zero"),
            "{reason}"
        );
    }

    // Failed runs paced by a TTL, by `cache`, or no threshold: accepted.
    assert_eq!(
        refusals([
            flaky("paced").with_cache_failure(Duration::from_millis(1)),
            flaky("cache-only"),
            Check::new("no-threshold", || async { false })
                .with_cache(ten_seconds)
                .with_cache_failure(Duration::ZERO),
        ]),
        []
    );
}
