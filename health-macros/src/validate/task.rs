//! `#[health_task]`'s cross-argument checks, and the validated [`Task`].

use super::common::{Common, common};
use crate::args::{Args, Restart};
use crate::errors::Errors;
use crate::key::{Attr, Key};
use health_names::duration;
use proc_macro2::{Span, TokenStream};
use std::time::Duration;

/// The default first wait before a restart, 100 ms: `Backoff::default()`'s.
pub(crate) const DEFAULT_BACKOFF_NANOS: u64 = 100_000_000;

/// The default longest wait before a restart, 30 s: `Backoff::default()`'s.
pub(crate) const DEFAULT_BACKOFF_MAX_NANOS: u64 = 30_000_000_000;

/// Everything the expansion of a task needs, checked.
pub(crate) struct Task {
    pub(crate) common: Common,
    /// `None`: no `Heartbeat` parameter, no stall detection.
    pub(crate) stall_after: Option<u64>,
    pub(crate) restart: Restart,
    pub(crate) backoff: u64,
    pub(crate) backoff_max: u64,
}

/// Checks the arguments of `#[health_task]` together and the function
/// `item`; every mistake goes to `errors`. The [`Task`] takes the default
/// for each argument that was invalid. `None` when nothing can be
/// registered (see [`common`]).
pub(crate) fn task(args: &Args, item: &TokenStream, errors: &mut Errors) -> Option<Task> {
    check_arguments(args, errors);
    let common = common(args, Attr::Task, item, errors)?;
    match (&common.func.heartbeat, args.given(Key::StallAfter)) {
        (Some(heartbeat), None) => errors.push(syn::Error::new_spanned(
            &heartbeat.tokens,
            format_args!(
                "a task that takes a `Heartbeat` says how long it may go without touching it: add `{}` to `#[health_task(..)]` (silent longer, the task is DOWN, stalled)",
                Key::StallAfter.example()
            ),
        )),
        (None, Some(span)) => errors.at(
            span,
            "`stall_after` needs a `Heartbeat` parameter: the task cannot show progress without one; take `heartbeat: Heartbeat` and touch it as the task works (`heartbeat.tick()`), or remove `stall_after`",
        ),
        _ => {}
    }
    let nanos = |key| args.duration(key).map(|(d, _)| d.nanos);
    Some(Task {
        stall_after: nanos(Key::StallAfter).filter(|_| common.func.heartbeat.is_some()),
        common,
        restart: args.restart().unwrap_or(Restart::OnFailure),
        backoff: nanos(Key::Backoff).unwrap_or(DEFAULT_BACKOFF_NANOS),
        backoff_max: nanos(Key::BackoffMax).unwrap_or(DEFAULT_BACKOFF_MAX_NANOS),
    })
}

/// Checks between arguments. A key given with an invalid value was
/// reported already; checks that need its value are skipped.
fn check_arguments(args: &Args, errors: &mut Errors) {
    if args.restart() == Some(Restart::Never) {
        for key in [Key::Backoff, Key::BackoffMax] {
            if let Some(span) = args.given(key) {
                errors.at(
                    span,
                    format_args!(
                        "`{}` cannot be combined with `restart = \"never\"`: a task never restarted never waits; remove `{0}`, or restart it, e.g. `{}`",
                        key.as_str(),
                        Key::Restart.example()
                    ),
                );
            }
        }
        return;
    }
    let (backoff, backoff_max) = (
        given_or_default(args, Key::Backoff, DEFAULT_BACKOFF_NANOS),
        given_or_default(args, Key::BackoffMax, DEFAULT_BACKOFF_MAX_NANOS),
    );
    let (Some((backoff, backoff_text, backoff_span)), Some((max, max_text, max_span))) =
        (backoff, backoff_max)
    else {
        return;
    };
    if max >= backoff {
        return;
    }
    let format = |nanos| duration::format(Duration::from_nanos(nanos));
    // At the key the user wrote: `backoff_max`, or `backoff` when the
    // default cap is what it exceeds.
    match (max_span, backoff_span) {
        (Some(span), _) => errors.at(
            span,
            format_args!(
                "`backoff_max` ({max_text}) must not be shorter than `backoff` ({backoff_text}): it caps the doubling waits; raise `backoff_max` to at least {} or lower `backoff`",
                format(backoff)
            ),
        ),
        (None, Some(span)) => errors.at(
            span,
            format_args!(
                "`backoff` ({backoff_text}) must not be longer than `backoff_max` ({max_text}): it caps the doubling waits; lower `backoff`, or add e.g. `backoff_max = \"{}\"`",
                format(backoff)
            ),
        ),
        (None, None) => {}
    }
}

/// The nanoseconds of the duration `key`, as written for messages, and the
/// span of its value; the default's when it is absent (no span). `None`
/// when it was given invalid (reported already).
fn given_or_default(args: &Args, key: Key, default: u64) -> Option<(u64, String, Option<Span>)> {
    match args.duration(key) {
        Some((d, span)) => Some((d.nanos, format!("{:?}", d.text), Some(span))),
        None if args.given(key).is_none() => Some((
            default,
            format!(
                "\"{}\", the default",
                duration::format(Duration::from_nanos(default))
            ),
            None,
        )),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{DEFAULT_BACKOFF_MAX_NANOS, DEFAULT_BACKOFF_NANOS, Task, task};
    use crate::args::{self, Probe, Restart};
    use crate::errors::Errors;
    use crate::key::Attr;
    use proc_macro2::TokenStream;
    use quote::quote;

    /// The task, if any, and every error message.
    fn checked(attr: TokenStream, item: TokenStream) -> (Option<Task>, Vec<String>) {
        let mut errors = Errors::default();
        let args = args::parse(attr, Attr::Task, &mut errors);
        let task = task(&args, &item, &mut errors);
        (task, errors.messages())
    }

    /// The errors of `attr` on a task without a heartbeat.
    fn errors(attr: TokenStream) -> Vec<String> {
        checked(
            attr,
            quote!(
                async fn f() {}
            ),
        )
        .1
    }

    #[test]
    fn defaults() {
        let (task, errors) = checked(
            quote!(),
            quote!(
                async fn r#loop(pool: &Pool) -> Result<(), E> {}
            ),
        );
        assert!(errors.is_empty(), "{errors:?}");
        let Some(task) = task else { panic!("valid") };
        assert_eq!(task.common.name, "loop");
        assert!(task.common.critical && task.common.tags.is_empty());
        assert_eq!(task.common.probes, [Probe::Readiness]);
        assert_eq!(task.stall_after, None);
        assert_eq!(task.restart, Restart::OnFailure);
        assert_eq!(task.backoff, DEFAULT_BACKOFF_NANOS);
        assert_eq!(task.backoff_max, DEFAULT_BACKOFF_MAX_NANOS);
        // The defaults are core's.
        let backoff = health::task::Backoff::default();
        assert_eq!(
            backoff.initial.as_nanos(),
            u128::from(DEFAULT_BACKOFF_NANOS)
        );
        assert_eq!(
            backoff.max.as_nanos(),
            u128::from(DEFAULT_BACKOFF_MAX_NANOS)
        );
    }

    #[test]
    fn every_argument() {
        let (task, errors) = checked(
            quote!(
                name = "orders",
                critical = false,
                probes = ["liveness", "readiness"],
                tags = ["queue"],
                stall_after = "30s",
                restart = "always",
                backoff = "1s",
                backoff_max = "1m",
            ),
            quote!(
                async fn consumer(heartbeat: Heartbeat, queue: &Queue) {}
            ),
        );
        assert!(errors.is_empty(), "{errors:?}");
        let Some(task) = task else { panic!("valid") };
        assert_eq!(task.common.name, "orders");
        assert!(!task.common.critical);
        assert_eq!(task.common.tags, ["queue"]);
        assert_eq!(task.common.probes, [Probe::Liveness, Probe::Readiness]);
        assert_eq!(task.stall_after, Some(30_000_000_000));
        assert_eq!(task.restart, Restart::Always);
        assert_eq!(
            (task.backoff, task.backoff_max),
            (1_000_000_000, 60_000_000_000)
        );
    }

    #[test]
    fn stall_after_goes_with_a_heartbeat() {
        let (task, e) = checked(
            quote!(),
            quote!(
                async fn consumer(queue: &Queue, heartbeat: Heartbeat) {}
            ),
        );
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("a task that takes a `Heartbeat` says how long")
                && e[0].contains("add `stall_after = \"30s\"`"),
            "{e:?}"
        );
        assert!(
            task.is_some_and(|t| t.stall_after.is_none()),
            "still registered"
        );
        let e = errors(quote!(stall_after = "30s"));
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("`stall_after` needs a `Heartbeat` parameter: the task cannot show progress without one"),
            "{e:?}"
        );
        // An invalid one was reported; the heartbeat has its key.
        let (_, e) = checked(
            quote!(stall_after = "0s"),
            quote!(
                async fn consumer(heartbeat: Heartbeat) {}
            ),
        );
        assert_eq!(e.len(), 1, "{e:?}");
    }

    #[test]
    fn backoff_rules() {
        let e = errors(quote!(
            restart = "never",
            backoff = "1s",
            backoff_max = "2s"
        ));
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].starts_with("`backoff` cannot be combined with `restart = \"never\"`")
                && e[1].starts_with("`backoff_max` cannot be combined with `restart = \"never\"`"),
            "{e:?}"
        );
        assert!(errors(quote!(restart = "never")).is_empty());
        let e = errors(quote!(backoff = "1s", backoff_max = "500ms"));
        assert_eq!(
            e,
            [
                "`backoff_max` (\"500ms\") must not be shorter than `backoff` (\"1s\"): it caps the doubling waits; raise `backoff_max` to at least 1s or lower `backoff`"
            ]
        );
        let e = errors(quote!(backoff_max = "50ms"));
        assert!(
            e.len() == 1 && e[0].contains("than `backoff` (\"100ms\", the default)"),
            "{e:?}"
        );
        let e = errors(quote!(restart = "always", backoff = "1m"));
        assert_eq!(
            e,
            [
                "`backoff` (\"1m\") must not be longer than `backoff_max` (\"30s\", the default): it caps the doubling waits; lower `backoff`, or add e.g. `backoff_max = \"1m\"`"
            ]
        );
        assert!(errors(quote!(backoff = "1s", backoff_max = "1s")).is_empty());
        assert!(errors(quote!(backoff = "30s")).is_empty());
        // An invalid one was reported; it is not compared.
        assert_eq!(errors(quote!(backoff = "1x", backoff_max = "1ms")).len(), 1);
    }

    #[test]
    fn check_arguments_are_refused() {
        let (task, e) = checked(
            quote!(
                timeout = "1s",
                cache = "5s",
                interval = "30s",
                failure_threshold = 3
            ),
            quote!(
                async fn f() {}
            ),
        );
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(
            e.iter()
                .all(|e| e.contains("is not an argument of `#[health_task]`")),
            "{e:?}"
        );
        assert!(task.is_some());
    }

    #[test]
    fn argument_and_function_errors_together() {
        let (task, e) = checked(
            quote!(restart = "sometimes", stall_after = "5"),
            quote!(
                fn f<T>(a: Heartbeat, b: T) {}
            ),
        );
        assert_eq!(e.len(), 5, "{e:?}");
        assert!(task.is_none());
    }
}
