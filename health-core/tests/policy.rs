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

/// A success threshold counts runs as a failure threshold does: it needs
/// a pace; a failing interval is for an `interval` check, faster than its
/// interval and slower than its timeout; a slow threshold lies below the
/// timeout.
#[test]
fn success_thresholds_failing_intervals_and_slow_thresholds_are_validated() {
    let second = Duration::from_secs(1);
    let check = |name: &'static str| Check::new(name, || async {});
    let refused = refusals([
        check("zero-successes").with_success_threshold(0),
        check("unpaced").with_success_threshold(3),
        check("failing-without-interval").with_failing_interval(second),
        check("failing-not-faster")
            .with_interval(second * 10)
            .with_failing_interval(second * 10),
        check("failing-within-timeout")
            .with_timeout(second * 2)
            .with_interval(second * 10)
            .with_failing_interval(second),
        check("slow-past-timeout").with_slow(second * 2),
        check("slow-zero").with_slow(Duration::ZERO),
    ]);
    let reason = |name: &str| {
        refused
            .iter()
            .find(|(check, _)| check == name)
            .map_or("", |(_, reason)| reason.as_str())
    };
    assert_eq!(
        reason("zero-successes"),
        "the success threshold must be at least 1"
    );
    assert!(
        reason("unpaced").starts_with("a `success_threshold` above 1 needs `cache` or `interval`")
    );
    assert_eq!(
        reason("failing-without-interval"),
        "`failing_interval` needs `interval`"
    );
    assert_eq!(
        reason("failing-not-faster"),
        "the failing interval (10s) must be shorter than the interval (10s)"
    );
    assert_eq!(
        reason("failing-within-timeout"),
        "the failing interval (1s) must be longer than the timeout (2s)"
    );
    assert!(
        reason("slow-past-timeout")
            .starts_with("`slow` (2s) must be longer than zero and shorter than the timeout (1s)")
    );
    assert!(
        reason("slow-zero").starts_with("`slow` (0s)"),
        "{refused:#?}"
    );
    assert_eq!(refused.len(), 7, "{refused:#?}");

    let accepted = refusals([
        check("paced").with_cache(second).with_success_threshold(3),
        check("interval")
            .with_interval(second * 10)
            .with_failing_interval(second * 2)
            .with_success_threshold(2)
            .with_slow(Duration::from_millis(300)),
    ]);
    assert!(accepted.is_empty(), "{accepted:#?}");
}
