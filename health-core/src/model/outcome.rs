use super::limits;
use super::{Observed, Status};
use crate::hygiene::{redact, shorten};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// The result of one check execution: a status, an optional message, an
/// optional observed value and free-form structured details.
///
/// ```
/// use health_core::{Outcome, Status};
/// let o = Outcome::degraded("replica lag 12s").with_detail("lag_seconds", 12);
/// assert_eq!(o.status(), Status::Degraded);
/// assert_eq!(o.message(), Some("replica lag 12s"));
/// assert_eq!(o.details()["lag_seconds"], 12);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    status: Status,
    message: Option<Cow<'static, str>>,
    observed: Option<Observed>,
    /// Boxed and absent until a check adds one: most outcomes have none,
    /// and an empty map still costs its drop.
    details: Option<Box<Map<String, Value>>>,
}

impl Outcome {
    fn new(status: Status, message: Option<Cow<'static, str>>) -> Self {
        Self {
            status,
            message,
            observed: None,
            details: None,
        }
    }

    /// UP, without a message.
    pub fn up() -> Self {
        Self::new(Status::Up, None)
    }

    /// DEGRADED: still serving, with a reason.
    pub fn degraded(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Status::Degraded, Some(message.into()))
    }

    /// DOWN, with a reason.
    pub fn down(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Status::Down, Some(message.into()))
    }

    /// UNKNOWN: no result is known yet.
    pub fn unknown(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Status::Unknown, Some(message.into()))
    }

    /// Replaces the message.
    pub fn with_message(mut self, message: impl Into<Cow<'static, str>>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Attaches an observed value (see [`Observed`]).
    pub fn with_observed(mut self, observed: Observed) -> Self {
        self.observed = Some(observed);
        self
    }

    /// Adds one structured detail: a key and a JSON value, shown to
    /// callers allowed to see messages (the `details` map of a component).
    pub fn with_detail(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.details
            .get_or_insert_with(Box::default)
            .insert(key.into(), value.into());
        self
    }

    /// The status.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The message, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The observed value, if any.
    pub fn observed(&self) -> Option<&Observed> {
        self.observed.as_ref()
    }

    /// The structured details (empty unless the check added some).
    pub fn details(&self) -> &Map<String, Value> {
        static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
        self.details.as_deref().unwrap_or(&EMPTY)
    }

    pub(crate) fn set_status(&mut self, status: Status) {
        self.status = status;
    }

    /// The outcome as it may be stored and shown: credentials redacted from
    /// the message and from details (a detail whose key names a secret
    /// replaced whole), the message cut to
    /// [`MAX_MESSAGE_CHARS`](crate::hygiene::MAX_MESSAGE_CHARS) (no caller
    /// sees more, and the history keeps failures), and the details map and
    /// the observed value bounded in count and size (see [`limits`]).
    pub(crate) fn cleaned(mut self) -> Self {
        if let Some(message) = &self.message
            && let Cow::Owned(redacted) = redact(message)
        {
            self.message = Some(Cow::Owned(redacted));
        }
        if let Some(message) = &self.message
            && let Some(short) = shorten(message)
        {
            self.message = Some(Cow::Owned(short));
        }
        if let Some(observed) = self.observed.as_mut() {
            observed.bound();
        }
        let Some(details) = self.details.as_mut() else {
            return self;
        };
        if details.len() > limits::DETAILS || details.iter().any(|(k, v)| !limits::fits(k, v)) {
            let dropped = details.len().saturating_sub(limits::DETAILS);
            let mut bounded: Map<String, Value> = std::mem::take(&mut **details)
                .into_iter()
                .take(limits::DETAILS)
                .map(|(k, v)| {
                    let v = limits::entry(&k, v);
                    (limits::key(k), v)
                })
                .collect();
            if dropped > 0 {
                bounded.insert("details_dropped".into(), dropped.into());
            }
            **details = bounded;
        } else {
            for (key, value) in details.iter_mut() {
                limits::redact_entry(key, value);
            }
        }
        self
    }
}

/// What a health check may return.
///
/// Implemented for `()` and `bool`, for [`Outcome`] and [`Observed`], and for
/// `Result<T, E>` where `T: IntoOutcome` and `E: Display` (an `Err` is DOWN
/// with the error's text).
///
/// ```
/// use health_core::{IntoOutcome, Status};
/// assert_eq!(().into_outcome().status(), Status::Up);
/// assert_eq!(false.into_outcome().status(), Status::Down);
/// let failed: Result<(), std::io::Error> = Err(std::io::Error::other("disk full"));
/// let o = failed.into_outcome();
/// assert_eq!((o.status(), o.message()), (Status::Down, Some("disk full")));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the result of a health check",
    label = "not a health check result",
    note = "a health check returns `()`, `bool`, `health::Outcome`, `health::Observed`, or `Result<T, E>` where `T` is one of these and `E: Display`"
)]
pub trait IntoOutcome {
    /// Converts the check's return value into an [`Outcome`].
    fn into_outcome(self) -> Outcome;
}

impl IntoOutcome for Outcome {
    fn into_outcome(self) -> Outcome {
        self
    }
}

impl IntoOutcome for () {
    fn into_outcome(self) -> Outcome {
        Outcome::up()
    }
}

impl IntoOutcome for bool {
    fn into_outcome(self) -> Outcome {
        if self {
            Outcome::up()
        } else {
            Outcome::down("check returned false")
        }
    }
}

impl IntoOutcome for Observed {
    fn into_outcome(self) -> Outcome {
        Outcome::up().with_observed(self)
    }
}

impl<T: IntoOutcome, E: fmt::Display> IntoOutcome for Result<T, E> {
    fn into_outcome(self) -> Outcome {
        match self {
            Ok(value) => value.into_outcome(),
            Err(error) => Outcome::down(error.to_string()),
        }
    }
}
