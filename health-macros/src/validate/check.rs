//! `#[health_check]`'s cross-argument checks, and the validated [`Check`].

use super::common::{Common, common};
use crate::args::Args;
use crate::errors::Errors;
use crate::key::{Attr, Key};
use health_names::duration;
use proc_macro2::TokenStream;
use std::time::Duration;

/// The default timeout, one second.
pub(crate) const DEFAULT_TIMEOUT_NANOS: u64 = 1_000_000_000;

/// Why a `failure_threshold` above 1 needs `cache` or `interval`. The
/// registry gives the same reason for checks built at run time.
pub(crate) const THRESHOLD_NEEDS_PACE: &str = "a `failure_threshold` above 1 needs `cache` or `interval`: it counts runs, and without either every poller runs the check, so three pollers during a short outage reach the threshold at once; with `cache`, failed runs are at least `cache_failure` apart, with `interval` one period";

/// Why a `failure_threshold` above 1 needs failed runs cached: with
/// `cache_failure = "0s"` failures are not reused, so pollers count runs
/// again. The registry gives the same reason for checks built at run time.
pub(crate) const THRESHOLD_NEEDS_CACHED_FAILURES: &str = "a `failure_threshold` above 1 needs failed runs cached: with `cache_failure` zero, every poller runs the check while it fails, so three pollers during a short outage reach the threshold at once; give `cache_failure` a TTL longer than zero, or leave it out to cache failures as long as `cache`";

/// Why a `success_threshold` above 1 needs `cache` or `interval`. The
/// registry gives the same reason for checks built at run time.
pub(crate) const SUCCESS_THRESHOLD_NEEDS_PACE: &str = "a `success_threshold` above 1 needs `cache` or `interval`: it counts runs, and without either every poller runs the check, so three pollers in a row after an outage reach the threshold at once; with `cache`, runs are at least `cache` apart, with `interval` one period";

/// Everything the expansion of a check needs, checked.
pub(crate) struct Check {
    pub(crate) common: Common,
    pub(crate) timeout: u64,
    pub(crate) cache: Option<u64>,
    pub(crate) cache_failure: Option<u64>,
    pub(crate) interval: Option<u64>,
    pub(crate) failing_interval: Option<u64>,
    pub(crate) failure_threshold: Option<u32>,
    pub(crate) success_threshold: Option<u32>,
    pub(crate) slow: Option<u64>,
}

/// Checks the arguments of `#[health_check]` together and the function
/// `item`; every mistake goes to `errors`. The [`Check`] takes the default
/// for each argument that was invalid (the function's name for a bad
/// `name`, no cache for a bad `cache`, ...). `None` when nothing can be
/// registered (see [`common`]).
pub(crate) fn check(args: &Args, item: &TokenStream, errors: &mut Errors) -> Option<Check> {
    check_arguments(args, errors);
    let common = common(args, Attr::Check, item, errors)?;
    let nanos = |key| args.duration(key).map(|(d, _)| d.nanos);
    Some(Check {
        common,
        timeout: nanos(Key::Timeout).unwrap_or(DEFAULT_TIMEOUT_NANOS),
        cache: nanos(Key::Cache),
        cache_failure: nanos(Key::CacheFailure),
        interval: nanos(Key::Interval),
        failing_interval: nanos(Key::FailingInterval),
        failure_threshold: args.count(Key::FailureThreshold).map(|(n, _)| n),
        success_threshold: args.count(Key::SuccessThreshold).map(|(n, _)| n),
        slow: nanos(Key::Slow),
    })
}

/// The timeout, and how to quote it: the one given, or the default;
/// `None` when the one given was invalid (reported already).
fn timeout(args: &Args) -> Option<(u64, String)> {
    match args.duration(Key::Timeout) {
        Some((timeout, _)) => Some((timeout.nanos, format!("{:?}", timeout.text))),
        None if args.given(Key::Timeout).is_none() => Some((
            DEFAULT_TIMEOUT_NANOS,
            format!(
                "\"{}\", the default",
                duration::format(Duration::from_nanos(DEFAULT_TIMEOUT_NANOS))
            ),
        )),
        None => None,
    }
}

/// Checks between arguments. A key given with an invalid value was
/// reported already; checks that need its value are skipped.
fn check_arguments(args: &Args, errors: &mut Errors) {
    let timeout = timeout(args);
    if let Some((interval, interval_span)) = args.duration(Key::Interval)
        && let Some((timeout, timeout_text)) = timeout
            .as_ref()
            .filter(|(timeout, _)| interval.nanos <= *timeout)
    {
        errors.at(
            interval_span,
            format_args!(
                "`interval` ({:?}) must be longer than `timeout` ({timeout_text}): a run may take the whole timeout; raise `interval` above {} or lower `timeout`",
                interval.text,
                duration::format(Duration::from_nanos(*timeout))
            ),
        );
    }

    let interval = args.given(Key::Interval).is_some();
    if let Some(cache) = args.given(Key::Cache).filter(|_| interval) {
        errors.at(
            cache,
            "`cache` cannot be combined with `interval`: an interval check always serves its latest background result; remove `cache`",
        );
    }
    if let Some(cache_failure) = args.given(Key::CacheFailure) {
        if interval {
            errors.at(
                cache_failure,
                "`cache_failure` cannot be combined with `interval`: an interval check always serves its latest background result; remove `cache_failure`",
            );
        } else if args.given(Key::Cache).is_none() {
            errors.at(
                cache_failure,
                "`cache_failure` requires `cache`: it shortens the cache TTL for failures; add e.g. `cache = \"5s\"`",
            );
        }
    }
    if let (Some((cache, _)), Some((cache_failure, span))) =
        (args.duration(Key::Cache), args.duration(Key::CacheFailure))
        && cache_failure.nanos > cache.nanos
        && !interval
    {
        errors.at(
            span,
            format_args!(
                "`cache_failure` ({:?}) must not be longer than `cache` ({:?}): it is the TTL of failed results, at most the TTL of all results",
                cache_failure.text, cache.text
            ),
        );
    }

    if let Some((threshold, span)) = args.count(Key::FailureThreshold)
        && threshold > 1
        && args.given(Key::Cache).is_none()
        && !interval
    {
        errors.at(span, THRESHOLD_NEEDS_PACE);
    }
    if let Some((threshold, span)) = args.count(Key::SuccessThreshold)
        && threshold > 1
        && args.given(Key::Cache).is_none()
        && !interval
    {
        errors.at(span, SUCCESS_THRESHOLD_NEEDS_PACE);
    }
    if let Some(failing) = args.given(Key::FailingInterval) {
        match (args.duration(Key::Interval), args.duration(Key::FailingInterval)) {
            _ if !interval => errors.at(
                failing,
                "`failing_interval` requires `interval`: it is the period of an interval check while its latest result fails; add e.g. `interval = \"30s\"`",
            ),
            (Some((interval, _)), Some((failing, span))) if failing.nanos >= interval.nanos => errors.at(
                span,
                format_args!(
                    "`failing_interval` ({:?}) must be shorter than `interval` ({:?}): it checks a failing dependency more often, to see its recovery sooner",
                    failing.text, interval.text
                ),
            ),
            (_, Some((failing, span))) => {
                if let Some((timeout, timeout_text)) =
                    timeout.as_ref().filter(|(timeout, _)| failing.nanos <= *timeout)
                {
                    errors.at(
                        span,
                        format_args!(
                            "`failing_interval` ({:?}) must be longer than `timeout` ({timeout_text}): a run may take the whole timeout; raise it above {}",
                            failing.text,
                            duration::format(Duration::from_nanos(*timeout))
                        ),
                    );
                }
            }
            _ => {}
        }
    }
    if let (Some((slow, span)), Some((timeout, timeout_text))) =
        (args.duration(Key::Slow), timeout.as_ref())
        && slow.nanos >= *timeout
    {
        errors.at(
            span,
            format_args!(
                "`slow` ({:?}) must be shorter than `timeout` ({timeout_text}): a run past the timeout is DOWN, not slow",
                slow.text
            ),
        );
    }
    if let (Some((threshold, _)), Some((cache_failure, span))) = (
        args.count(Key::FailureThreshold),
        args.duration(Key::CacheFailure),
    ) && threshold > 1
        && cache_failure.nanos == 0
        && args.given(Key::Cache).is_some()
        && !interval
    {
        errors.at(span, THRESHOLD_NEEDS_CACHED_FAILURES);
    }
}

#[cfg(test)]
mod tests {
    use super::{
        Check, SUCCESS_THRESHOLD_NEEDS_PACE, THRESHOLD_NEEDS_CACHED_FAILURES, THRESHOLD_NEEDS_PACE,
        check,
    };
    use crate::args::{self, Probe};
    use crate::errors::Errors;
    use crate::key::Attr;
    use proc_macro2::TokenStream;
    use quote::quote;

    /// The check, if any, and every error message.
    fn checked(attr: TokenStream, item: TokenStream) -> (Option<Check>, Vec<String>) {
        let mut errors = Errors::default();
        let args = args::parse(attr, Attr::Check, &mut errors);
        let check = check(&args, &item, &mut errors);
        (check, errors.messages())
    }

    fn errors(attr: TokenStream) -> Vec<String> {
        checked(
            attr,
            quote!(
                fn f() {}
            ),
        )
        .1
    }

    #[test]
    fn defaults() {
        let (check, errors) = checked(
            quote!(),
            quote!(
                async fn r#type(pool: &'a Pool<'a>) -> Result<(), E> {
                    body
                }
            ),
        );
        assert!(errors.is_empty(), "{errors:?}");
        let Some(check) = check else { panic!("valid") };
        assert_eq!(check.common.name, "type");
        assert!(check.common.tags.is_empty());
        assert_eq!(check.timeout, 1_000_000_000);
        assert!(check.common.critical);
        assert_eq!(check.common.probes, [Probe::Readiness]);
        assert_eq!(check.cache, None);
        assert_eq!(check.cache_failure, None);
        assert_eq!(check.interval, None);
        assert_eq!(check.failure_threshold, None);
        assert_eq!(check.common.krate.to_string(), ":: health");
        assert!(check.common.func.is_async);
    }

    #[test]
    fn invalid_arguments_take_their_defaults() {
        let (check, errors) = checked(
            quote!(
                name = "Db",
                timeout = "5 s",
                cache = "x",
                critical = 1,
                tags = ["A"],
                probe = "x",
                failure_threshold = 0
            ),
            quote!(
                fn database() {}
            ),
        );
        assert_eq!(errors.len(), 7, "{errors:?}");
        let Some(check) = check else {
            panic!("an argument error still registers")
        };
        assert_eq!(check.common.name, "database");
        assert_eq!(check.timeout, 1_000_000_000);
        assert_eq!(check.cache, None);
        assert!(check.common.critical && check.common.tags.is_empty());
        assert_eq!(check.common.probes, [Probe::Readiness]);
        assert_eq!(check.failure_threshold, None);
        // The valid ones are kept.
        let (check, errors) = checked(
            quote!(timeout = "2s", cache = "5 s", crate = "crate::h"),
            quote!(
                fn f() {}
            ),
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        let check = check.map(|c| (c.timeout, c.common.krate.to_string()));
        assert_eq!(check, Some((2_000_000_000, "crate :: h".to_owned())));
    }

    #[test]
    fn nothing_to_register() {
        let (check, errors) = checked(
            quote!(crate = "not a path"),
            quote!(
                fn f() {}
            ),
        );
        assert!(check.is_none() && errors.len() == 1, "{errors:?}");
        let (check, errors) = checked(
            quote!(timeout = "x"),
            quote!(
                fn f<T>() {}
            ),
        );
        assert!(check.is_none() && errors.len() == 2, "{errors:?}");
    }

    #[test]
    fn interval_against_timeout() {
        let e = errors(quote!(interval = "1s"));
        assert!(e[0].contains("(\"1s\", the default)"), "{e:?}");
        let e = errors(quote!(timeout = "2s", interval = "1500ms"));
        assert!(
            e[0].contains("must be longer than `timeout` (\"2s\")"),
            "{e:?}"
        );
        assert!(errors(quote!(timeout = "2s", interval = "2001ms")).is_empty());
        assert!(errors(quote!(interval = "1001ms")).is_empty());
        // An invalid timeout was reported; it is not compared.
        assert_eq!(errors(quote!(timeout = "0s", interval = "500ms")).len(), 1);
    }

    #[test]
    fn cache_rules() {
        let e = errors(quote!(cache = "5s", interval = "30s"));
        assert!(
            e.len() == 1 && e[0].starts_with("`cache` cannot be combined with `interval`"),
            "{e:?}"
        );
        let e = errors(quote!(cache_failure = "1s", interval = "30s"));
        assert!(
            e.len() == 1 && e[0].starts_with("`cache_failure` cannot be combined with `interval`"),
            "{e:?}"
        );
        let e = errors(quote!(cache_failure = "1s"));
        assert!(
            e.len() == 1 && e[0].starts_with("`cache_failure` requires `cache`"),
            "{e:?}"
        );
        let e = errors(quote!(cache = "1s", cache_failure = "2s"));
        assert!(
            e.len() == 1 && e[0].contains("must not be longer than `cache`"),
            "{e:?}"
        );
        assert!(errors(quote!(cache = "2s", cache_failure = "1s")).is_empty());
        assert!(errors(quote!(cache = "2s", cache_failure = "0s")).is_empty());
    }

    #[test]
    fn success_threshold_failing_interval_and_slow() {
        assert_eq!(
            errors(quote!(success_threshold = 3)),
            [SUCCESS_THRESHOLD_NEEDS_PACE]
        );
        assert!(errors(quote!(success_threshold = 3, cache = "5s")).is_empty());
        assert!(errors(quote!(success_threshold = 3, interval = "5s")).is_empty());
        assert_eq!(
            errors(quote!(failing_interval = "2s")),
            [
                "`failing_interval` requires `interval`: it is the period of an interval check while its latest result fails; add e.g. `interval = \"30s\"`"
            ]
        );
        assert_eq!(
            errors(quote!(interval = "30s", failing_interval = "30s")),
            [
                "`failing_interval` (\"30s\") must be shorter than `interval` (\"30s\"): it checks a failing dependency more often, to see its recovery sooner"
            ]
        );
        assert_eq!(
            errors(quote!(interval = "30s", failing_interval = "1s")),
            [
                "`failing_interval` (\"1s\") must be longer than `timeout` (\"1s\", the default): a run may take the whole timeout; raise it above 1s"
            ]
        );
        assert!(
            errors(quote!(
                interval = "30s",
                timeout = "1s",
                failing_interval = "2s"
            ))
            .is_empty()
        );
        assert_eq!(
            errors(quote!(timeout = "200ms", slow = "200ms")),
            [
                "`slow` (\"200ms\") must be shorter than `timeout` (\"200ms\"): a run past the timeout is DOWN, not slow"
            ]
        );
        let (check, errors) = checked(
            quote!(
                interval = "30s",
                failing_interval = "2s",
                success_threshold = 2,
                slow = "300ms"
            ),
            quote!(
                fn f() {}
            ),
        );
        assert!(errors.is_empty(), "{errors:?}");
        let check = check.expect("valid");
        assert_eq!(check.failing_interval, Some(2_000_000_000));
        assert_eq!(check.success_threshold, Some(2));
        assert_eq!(check.slow, Some(300_000_000));
    }

    #[test]
    fn threshold_needs_cache_or_interval() {
        assert_eq!(
            errors(quote!(failure_threshold = 3)),
            [THRESHOLD_NEEDS_PACE]
        );
        assert!(errors(quote!(failure_threshold = 1)).is_empty());
        assert!(errors(quote!(failure_threshold = 3, cache = "5s")).is_empty());
        assert!(errors(quote!(failure_threshold = 3, interval = "30s")).is_empty());
        // An invalid cache was reported; the threshold is not judged again.
        assert_eq!(errors(quote!(failure_threshold = 3, cache = "5")).len(), 1);
        assert_eq!(errors(quote!(failure_threshold = 0)).len(), 1);
    }

    #[test]
    fn threshold_needs_failures_cached() {
        let zero = quote!(failure_threshold = 3, cache = "10s", cache_failure = "0s");
        assert_eq!(errors(zero), [THRESHOLD_NEEDS_CACHED_FAILURES]);
        for fine in [
            quote!(failure_threshold = 3, cache = "10s", cache_failure = "1ms"),
            quote!(failure_threshold = 3, cache = "10s"),
            quote!(failure_threshold = 1, cache = "10s", cache_failure = "0s"),
            quote!(cache = "10s", cache_failure = "0s"),
        ] {
            assert!(errors(fine.clone()).is_empty(), "{fine}");
        }
        // Mistakes reported already are not reported again.
        let e = errors(quote!(failure_threshold = 3, cache_failure = "0s"));
        assert!(
            e.len() == 2 && !e.contains(&THRESHOLD_NEEDS_CACHED_FAILURES.to_owned()),
            "{e:?}"
        );
        let e = errors(quote!(
            failure_threshold = 3,
            interval = "5s",
            cache_failure = "0s"
        ));
        assert!(
            e.len() == 1 && e[0].starts_with("`cache_failure` cannot be combined"),
            "{e:?}"
        );
    }

    #[test]
    fn argument_and_function_errors_together() {
        let (check, e) = checked(
            quote!(timeout = "1x", critical = 1, failure_threshold = 2),
            quote!(
                fn f<T>(x: T, y: &mut T) {}
            ),
        );
        assert_eq!(e.len(), 6, "{e:?}");
        assert!(check.is_none());
    }
}
