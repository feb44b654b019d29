//! The attributes' keys (`timeout`, `cache`, `stall_after`, ...), one enum
//! variant each, and which attribute takes which ([`Attr`]): one parser for
//! both, each attribute refusing the other's keys with a reason.

use crate::suggest;
use proc_macro2::Ident;

/// Declares [`Key`] from one line per key, so [`Key::ALL`], the written
/// names and the examples cannot miss a key, and every `match` over keys
/// elsewhere is exhaustive: adding a key is a compile error until it is
/// parsed and validated.
macro_rules! keys {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, e.g. $example:literal;)*) => {
        /// A key of `#[health_check(key = value, ...)]` or
        /// `#[health_task(key = value, ...)]`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Key {
            $($(#[$doc])* $variant,)*
        }

        impl Key {
            /// Every key of both attributes, in the order the docs list them.
            pub(crate) const ALL: [Key; [$(Key::$variant),*].len()] = [$(Key::$variant),*];

            /// The key as written: `cache_failure`.
            pub(crate) fn as_str(self) -> &'static str {
                match self {
                    $(Key::$variant => $name,)*
                }
            }

            /// The key with a typical value, quoted in error messages:
            /// `cache = "5s"`.
            pub(crate) fn example(self) -> &'static str {
                match self {
                    $(Key::$variant => $example,)*
                }
            }
        }
    };
}

keys! {
    /// `name = "db"`: the check's name (default: the function's).
    Name = "name", e.g. "name = \"db\"";
    /// `timeout = "200ms"`: bounds every run.
    Timeout = "timeout", e.g. "timeout = \"200ms\"";
    /// `critical = false`: DOWN only degrades the service.
    Critical = "critical", e.g. "critical = false";
    /// `probe = "liveness"`: the one probe the check takes part in.
    Probe = "probe", e.g. "probe = \"liveness\"";
    /// `probes = [..]`: the probes the check takes part in.
    Probes = "probes", e.g. "probes = [\"liveness\", \"readiness\"]";
    /// `tags = ["db"]`: free labels.
    Tags = "tags", e.g. "tags = [\"db\"]";
    /// `cache = "5s"`: reuse a finished result this long.
    Cache = "cache", e.g. "cache = \"5s\"";
    /// `cache_failure = "1s"`: reuse a failed result only this long.
    CacheFailure = "cache_failure", e.g. "cache_failure = \"1s\"";
    /// `interval = "30s"`: run in the background at this period.
    Interval = "interval", e.g. "interval = \"30s\"";
    /// `failing_interval = "2s"`: the period while the latest result fails.
    FailingInterval = "failing_interval", e.g. "failing_interval = \"2s\"";
    /// `failure_threshold = 3`: the consecutive failure that reports DOWN.
    FailureThreshold = "failure_threshold", e.g. "failure_threshold = 3";
    /// `success_threshold = 3`: the consecutive success that reports UP
    /// after a failure.
    SuccessThreshold = "success_threshold", e.g. "success_threshold = 3";
    /// `slow = "150ms"`: a run longer than this is slow.
    Slow = "slow", e.g. "slow = \"150ms\"";
    /// `stall_after = "30s"`: a task whose heartbeat is silent this long
    /// is stalled.
    StallAfter = "stall_after", e.g. "stall_after = \"30s\"";
    /// `restart = "on_failure"`: when a task is started again.
    Restart = "restart", e.g. "restart = \"on_failure\"";
    /// `backoff = "100ms"`: the first wait before a task's restart.
    Backoff = "backoff", e.g. "backoff = \"100ms\"";
    /// `backoff_max = "30s"`: the longest wait before a task's restart.
    BackoffMax = "backoff_max", e.g. "backoff_max = \"30s\"";
    /// `crate = "my_health"`: the path of the `health` crate.
    Crate = "crate", e.g. "crate = \"my_health\"";
}

/// The attribute being expanded: each takes its own keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attr {
    /// `#[health_check]`.
    Check,
    /// `#[health_task]`.
    Task,
}

impl Attr {
    /// The attribute as written: `#[health_check]`.
    pub(crate) fn written(self) -> &'static str {
        match self {
            Attr::Check => "#[health_check]",
            Attr::Task => "#[health_task]",
        }
    }

    /// What it declares, in messages: `check`.
    pub(crate) fn what(self) -> &'static str {
        match self {
            Attr::Check => "check",
            Attr::Task => "task",
        }
    }

    /// The key of the example in messages about the argument list.
    pub(crate) fn example(self) -> Key {
        match self {
            Attr::Check => Key::Timeout,
            Attr::Task => Key::StallAfter,
        }
    }

    /// Why `key` is not an argument of this attribute; `None` when it is.
    /// A `match` over every key: a new key must say where it belongs.
    pub(crate) fn refuses(self, key: Key) -> Option<&'static str> {
        let check_only = match key {
            Key::Name | Key::Critical | Key::Probe | Key::Probes | Key::Tags | Key::Crate => {
                return None;
            }
            Key::Timeout => {
                "a task runs for the life of the service, no run of it is timed out; `stall_after` bounds how long it may show no progress"
            }
            Key::Cache | Key::CacheFailure => {
                "a task's component reads the task's state at once, there is no result to reuse"
            }
            Key::Interval | Key::FailingInterval => "a task runs all the time, not at a period",
            Key::FailureThreshold | Key::SuccessThreshold => {
                "a task's failures are its exits: `restart` and `backoff` say what follows one"
            }
            Key::Slow => {
                "a task has no runs to time; `stall_after` bounds how long it may show no progress"
            }
            Key::StallAfter | Key::Restart | Key::Backoff | Key::BackoffMax => {
                return (self == Attr::Check)
                    .then_some("it supervises a task: declare the function with `#[health_task]`");
            }
        };
        (self == Attr::Task).then_some(check_only)
    }

    /// Its keys, in the order the docs list them.
    pub(crate) fn keys(self) -> impl Iterator<Item = Key> {
        Key::ALL
            .into_iter()
            .filter(move |key| self.refuses(*key).is_none())
    }
}

impl Key {
    /// The key `ident` names (`r#name` names `name`), if `attr` takes it.
    /// An unknown one is an error at `ident`, with the closest key of
    /// `attr` and the list of all; one of the other attribute's, an error
    /// saying why `attr` does not take it.
    pub(crate) fn from_ident(ident: &Ident, attr: Attr) -> syn::Result<Key> {
        let written = ident.to_string();
        let written = written.strip_prefix("r#").unwrap_or(&written);
        let names: Vec<&str> = attr.keys().map(Key::as_str).collect();
        let expected = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if let Some(key) = Key::ALL.into_iter().find(|k| k.as_str() == written) {
            return match attr.refuses(key) {
                None => Ok(key),
                Some(why) => Err(syn::Error::new(
                    ident.span(),
                    format_args!(
                        "`{written}` is not an argument of `{}`: {why} (expected one of {expected})",
                        attr.written()
                    ),
                )),
            };
        }
        let hint = match suggest::closest(written, &names) {
            Some(similar) => format!("; did you mean `{similar}`?"),
            None => String::new(),
        };
        Err(syn::Error::new(
            ident.span(),
            format_args!("unknown argument `{written}`{hint} (expected one of {expected})"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::{Attr, Key};
    use proc_macro2::{Ident, Span};

    fn ident(text: &str) -> Ident {
        match text.strip_prefix("r#") {
            Some(raw) => Ident::new_raw(raw, Span::call_site()),
            None => Ident::new(text, Span::call_site()),
        }
    }

    #[test]
    fn every_key_round_trips() {
        for key in Key::ALL {
            let attr = if Attr::Check.refuses(key).is_none() {
                Attr::Check
            } else {
                Attr::Task
            };
            assert_eq!(Key::from_ident(&ident(key.as_str()), attr).ok(), Some(key));
            assert!(
                key.example().starts_with(&format!("{} = ", key.as_str())),
                "{key:?}"
            );
        }
        assert_eq!(
            Key::from_ident(&ident("r#name"), Attr::Task).ok(),
            Some(Key::Name)
        );
    }

    #[test]
    fn unknown_key_with_hint_and_list() {
        let Err(error) = Key::from_ident(&ident("timout"), Attr::Check) else {
            panic!("unknown")
        };
        let message = error.to_string();
        assert!(
            message.starts_with("unknown argument `timout`; did you mean `timeout`?"),
            "{message}"
        );
        assert!(
            message.ends_with(
                "`failing_interval`, `failure_threshold`, `success_threshold`, `slow`, `crate`)"
            ),
            "{message}"
        );
        let Err(error) = Key::from_ident(&ident("colour"), Attr::Check) else {
            panic!("unknown")
        };
        assert!(!error.to_string().contains("did you mean"), "{error}");
        let Err(error) = Key::from_ident(&ident("stal_after"), Attr::Task) else {
            panic!("unknown")
        };
        assert_eq!(
            error.to_string(),
            "unknown argument `stal_after`; did you mean `stall_after`? (expected one of `name`, `critical`, `probe`, `probes`, `tags`, `stall_after`, `restart`, `backoff`, `backoff_max`, `crate`)"
        );
    }

    #[test]
    fn each_attribute_takes_its_own_keys() {
        let check: Vec<_> = Attr::Check.keys().map(Key::as_str).collect();
        assert_eq!(
            check,
            [
                "name",
                "timeout",
                "critical",
                "probe",
                "probes",
                "tags",
                "cache",
                "cache_failure",
                "interval",
                "failing_interval",
                "failure_threshold",
                "success_threshold",
                "slow",
                "crate"
            ]
        );
        for key in Key::ALL {
            let takers = [Attr::Check, Attr::Task]
                .into_iter()
                .filter(|attr| attr.refuses(key).is_none())
                .count();
            assert!(takers >= 1, "{key:?} belongs to no attribute");
        }
        for (attr, key) in [
            (Attr::Task, "timeout"),
            (Attr::Task, "cache"),
            (Attr::Task, "cache_failure"),
            (Attr::Task, "interval"),
            (Attr::Task, "failure_threshold"),
            (Attr::Task, "success_threshold"),
            (Attr::Task, "failing_interval"),
            (Attr::Task, "slow"),
            (Attr::Check, "stall_after"),
            (Attr::Check, "restart"),
            (Attr::Check, "backoff"),
            (Attr::Check, "backoff_max"),
        ] {
            let Err(error) = Key::from_ident(&ident(key), attr) else {
                panic!("{key} refused")
            };
            let message = error.to_string();
            let expected = format!("`{key}` is not an argument of `{}`: ", attr.written());
            assert!(message.starts_with(&expected), "{message}");
            let list = if attr == Attr::Task {
                "`backoff_max`, `crate`)"
            } else {
                "`slow`, `crate`)"
            };
            assert!(message.ends_with(list), "{message}");
        }
    }
}
