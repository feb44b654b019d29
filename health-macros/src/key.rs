//! The attribute's keys (`timeout`, `cache`, ...), one enum variant each.

use crate::suggest;
use proc_macro2::Ident;

/// Declares [`Key`] from one line per key, so [`Key::ALL`], the written
/// names and the examples cannot miss a key, and every `match` over keys
/// elsewhere is exhaustive: adding a key is a compile error until it is
/// parsed and validated.
macro_rules! keys {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, e.g. $example:literal;)*) => {
        /// A key of `#[health_check(key = value, ...)]`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Key {
            $($(#[$doc])* $variant,)*
        }

        impl Key {
            /// Every key, in the order the docs list them.
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
    /// `failure_threshold = 3`: the consecutive failure that reports DOWN.
    FailureThreshold = "failure_threshold", e.g. "failure_threshold = 3";
    /// `crate = "my_health"`: the path of the `health` crate.
    Crate = "crate", e.g. "crate = \"my_health\"";
}

impl Key {
    /// The key `ident` names (`r#name` names `name`); an unknown one is
    /// an error at `ident`, with the closest key and the list of all.
    pub(crate) fn from_ident(ident: &Ident) -> syn::Result<Key> {
        let written = ident.to_string();
        let written = written.strip_prefix("r#").unwrap_or(&written);
        if let Some(key) = Key::ALL.into_iter().find(|k| k.as_str() == written) {
            return Ok(key);
        }
        let names = Key::ALL.map(Key::as_str);
        let hint = match suggest::closest(written, &names) {
            Some(similar) => format!("; did you mean `{similar}`?"),
            None => String::new(),
        };
        let expected = names.map(|n| format!("`{n}`")).join(", ");
        Err(syn::Error::new(
            ident.span(),
            format_args!("unknown argument `{written}`{hint} (expected one of {expected})"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::Key;
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
            assert_eq!(Key::from_ident(&ident(key.as_str())).ok(), Some(key));
            assert!(
                key.example().starts_with(&format!("{} = ", key.as_str())),
                "{key:?}"
            );
        }
        assert_eq!(Key::from_ident(&ident("r#name")).ok(), Some(Key::Name));
    }

    #[test]
    fn unknown_key_with_hint_and_list() {
        let Err(error) = Key::from_ident(&ident("timout")) else {
            panic!("unknown")
        };
        let message = error.to_string();
        assert!(
            message.starts_with("unknown argument `timout`; did you mean `timeout`?"),
            "{message}"
        );
        assert!(
            message.ends_with("`failure_threshold`, `crate`)"),
            "{message}"
        );
        let Err(error) = Key::from_ident(&ident("colour")) else {
            panic!("unknown")
        };
        assert!(!error.to_string().contains("did you mean"), "{error}");
    }
}
