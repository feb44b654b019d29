//! The arguments as given: each key with its span, and its value when
//! it was valid.

use super::durations::Duration;
use super::probes::Probe;
use super::restart::Restart;
use crate::key::Key;
use proc_macro2::Span;
use syn::Path;

/// A valid value, by the kind of key it belongs to.
pub(super) enum Value {
    /// `name`.
    Name(String),
    /// `timeout`, `cache`, `cache_failure`, `interval`,
    /// `failing_interval`, `slow`, `stall_after`, `backoff`, `backoff_max`.
    Duration(Duration),
    /// `critical`.
    Bool(bool),
    /// `probe` (one) and `probes`.
    Probes(Vec<Probe>),
    /// `tags`.
    Tags(Vec<String>),
    /// `failure_threshold`, `success_threshold`.
    Count(u32),
    /// `restart`.
    Restart(Restart),
    /// `crate`.
    Path(Path),
}

/// One argument as given.
pub(super) struct Arg {
    pub(super) key: Key,
    /// The key, e.g. `cache` in `cache = "5s"`.
    pub(super) key_span: Span,
    /// The value and its span, e.g. `"5s"`; `None` when it was missing or
    /// invalid, which was reported.
    pub(super) value: Option<(Value, Span)>,
}

/// The arguments in the order given, each key at most once (a repeated
/// one is reported and left out). A key given with an invalid value is
/// here without a value, so cross-argument checks can tell "absent" (use
/// the default) from "invalid" (already reported).
#[derive(Default)]
pub(crate) struct Args(Vec<Arg>);

impl Args {
    /// Adds `arg`, whose key is not here yet.
    pub(super) fn push(&mut self, arg: Arg) {
        debug_assert!(self.given(arg.key).is_none());
        self.0.push(arg);
    }

    /// The argument `key`, valid or not, if it was given.
    fn get(&self, key: Key) -> Option<&Arg> {
        self.0.iter().find(|arg| arg.key == key)
    }

    /// The span of the key `key`, valid or not, if it was given.
    pub(crate) fn given(&self, key: Key) -> Option<Span> {
        self.get(key).map(|arg| arg.key_span)
    }

    /// The valid value of `key`, with its span.
    fn value(&self, key: Key) -> Option<(&Value, Span)> {
        let (value, span) = self.get(key)?.value.as_ref()?;
        Some((value, *span))
    }

    /// The valid `name`.
    pub(crate) fn name(&self) -> Option<&str> {
        match self.value(Key::Name)? {
            (Value::Name(name), _) => Some(name),
            _ => None,
        }
    }

    /// The valid duration `key` (`timeout`, `cache`, `backoff`, ...), with
    /// its span.
    pub(crate) fn duration(&self, key: Key) -> Option<(&Duration, Span)> {
        match self.value(key)? {
            (Value::Duration(duration), span) => Some((duration, span)),
            _ => None,
        }
    }

    /// The valid `critical`.
    pub(crate) fn critical(&self) -> Option<bool> {
        match self.value(Key::Critical)? {
            (Value::Bool(critical), _) => Some(*critical),
            _ => None,
        }
    }

    /// The valid probes, of `probe` or `probes`.
    pub(crate) fn probes(&self) -> Option<&[Probe]> {
        match self.value(Key::Probes).or_else(|| self.value(Key::Probe))? {
            (Value::Probes(probes), _) => Some(probes),
            _ => None,
        }
    }

    /// The valid `tags`.
    pub(crate) fn tags(&self) -> Option<&[String]> {
        match self.value(Key::Tags)? {
            (Value::Tags(tags), _) => Some(tags),
            _ => None,
        }
    }

    /// The valid count `key` (`failure_threshold`, `success_threshold`),
    /// with its span.
    pub(crate) fn count(&self, key: Key) -> Option<(u32, Span)> {
        match self.value(key)? {
            (Value::Count(count), span) => Some((*count, span)),
            _ => None,
        }
    }

    /// The valid `restart`.
    pub(crate) fn restart(&self) -> Option<Restart> {
        match self.value(Key::Restart)? {
            (Value::Restart(restart), _) => Some(*restart),
            _ => None,
        }
    }

    /// The valid `crate`.
    pub(crate) fn krate(&self) -> Option<&Path> {
        match self.value(Key::Crate)? {
            (Value::Path(path), _) => Some(path),
            _ => None,
        }
    }
}
