//! [`BuildError`]: what every builder of the framework returns when it
//! refuses, with every problem it found; each [`Problem`] the registry's
//! builder can find; and [`AddError`], the same problems of a check added
//! at run time.

use crate::check::Location;
use std::fmt;

/// Why a builder refused: every problem found, not just the first, each a
/// `P` (the builder's own `Problem` enum). The registry's builder returns
/// `BuildError` (of [`Problem`]); the HTTP endpoints and
/// the gRPC service return it over their own problems, so one shape and one
/// message serve every `build()`.
///
/// ```
/// use health_core::{BuildError, Check, Problem, Registry};
/// let error: BuildError = Registry::builder()
///     .without_declared()
///     .check(Check::new("db", || async {}))
///     .check(Check::new("db", || async {}))
///     .build()
///     .unwrap_err();
/// assert!(matches!(error.problems(), [Problem::DuplicateName { .. }]));
/// assert!(error.to_string().starts_with("cannot build the health registry: 1 problem\n  - two checks are named `db`"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError<P = Problem> {
    subject: &'static str,
    problems: Vec<P>,
}

impl<P> BuildError<P> {
    /// The refusal to build `subject` ("the health registry", "the health
    /// endpoints"...), for `problems` (at least one).
    pub fn new(subject: &'static str, problems: Vec<P>) -> Self {
        Self { subject, problems }
    }

    /// Every problem found, in the order found.
    pub fn problems(&self) -> &[P] {
        &self.problems
    }

    /// Every problem found, owned.
    pub fn into_problems(self) -> Vec<P> {
        self.problems
    }
}

impl<P: fmt::Display> fmt::Display for BuildError<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        let s = if n == 1 { "" } else { "s" };
        write!(f, "cannot build {}: {n} problem{s}", self.subject)?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl<P: fmt::Debug + fmt::Display> std::error::Error for BuildError<P> {}

/// One problem found by [`RegistryBuilder::build`](crate::RegistryBuilder::build).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// A check has a `&T` parameter and no `T` was given with `.state(..)`.
    MissingState {
        /// The check.
        check: String,
        /// Where it was declared.
        location: Location,
        /// The missing type.
        type_name: &'static str,
    },
    /// Two checks share a name.
    DuplicateName {
        /// The shared name.
        name: String,
        /// The first one.
        first: Location,
        /// The second one.
        second: Location,
    },
    /// A name breaks the pattern `[a-z0-9][a-z0-9_.-]*` (at most 63 chars).
    InvalidName {
        /// The name.
        name: String,
        /// Where the check was built.
        location: Location,
        /// What is wrong.
        reason: &'static str,
    },
    /// A check's policy contradicts itself (zero timeout, `interval` not
    /// longer than `timeout`, `cache` with `interval`...).
    InvalidPolicy {
        /// The check.
        check: String,
        /// Where it was built.
        location: Location,
        /// What is wrong.
        reason: String,
    },
    /// A tag breaks the name rule.
    InvalidTag {
        /// The check.
        check: String,
        /// The tag.
        tag: String,
        /// Where the check was built.
        location: Location,
        /// What is wrong.
        reason: &'static str,
    },
    /// A check added at run time takes a name that an adapter reserved
    /// ([`Registry::reserve_names`](crate::Registry::reserve_names)): a
    /// path or a service name of its own.
    ReservedName {
        /// The name.
        name: String,
        /// Where the check was built.
        location: Location,
        /// Who reserved it, and why.
        by: &'static str,
    },
    /// `.state(..)` was given two values of one type.
    DuplicateState {
        /// The type.
        type_name: &'static str,
    },
    /// [`RegistryBuilder::history_capacity`](crate::RegistryBuilder::history_capacity) asks
    /// each check to keep more results than
    /// [`MAX_HISTORY`](crate::MAX_HISTORY).
    HistoryTooLong {
        /// The results asked for.
        results: usize,
        /// The most allowed.
        max: usize,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::MissingState {
                check,
                location,
                type_name,
            } => write!(
                f,
                "check `{check}` ({location}) needs state of type `{type_name}`: add `.state(value)` to the builder"
            ),
            Problem::DuplicateName {
                name,
                first,
                second,
            } => write!(f, "two checks are named `{name}`: {first} and {second}"),
            Problem::InvalidName {
                name,
                location,
                reason,
            } => write!(f, "check name `{name}` ({location}) is invalid: {reason}"),
            Problem::InvalidPolicy {
                check,
                location,
                reason,
            } => write!(f, "check `{check}` ({location}): {reason}"),
            Problem::InvalidTag {
                check,
                location,
                tag,
                reason,
            } => write!(
                f,
                "check `{check}` ({location}) has an invalid tag `{tag}`: {reason}"
            ),
            Problem::ReservedName { name, location, by } => write!(
                f,
                "check name `{name}` ({location}) is reserved by {by}: rename the check"
            ),
            Problem::DuplicateState { type_name } => {
                write!(f, "state of type `{type_name}` was given twice")
            }
            Problem::HistoryTooLong { results, max } => write!(
                f,
                "a history of {results} results per check is more than the {max} allowed"
            ),
        }
    }
}

impl std::error::Error for Problem {}

/// Why [`Registry::add`](crate::Registry::add) refused a check: every
/// problem found, each as the registry's builder would have reported it.
///
/// ```
/// use health_core::{Check, Problem, Registry};
/// let registry = Registry::builder()
///     .without_declared()
///     .check(Check::new("db", || async {}))
///     .build()?;
/// let error = registry.add(Check::new("db", || async {})).unwrap_err();
/// assert!(matches!(error.problems(), [Problem::DuplicateName { .. }]));
/// assert!(error.to_string().starts_with("cannot add the check `db`: 1 problem\n  - two checks are named `db`"));
/// # Ok::<(), health_core::BuildError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddError {
    check: String,
    problems: Vec<Problem>,
}

impl AddError {
    pub(super) fn new(check: &str, problems: Vec<Problem>) -> Self {
        Self {
            check: check.to_owned(),
            problems,
        }
    }

    /// The name of the check refused.
    pub fn check(&self) -> &str {
        &self.check
    }

    /// Every problem found.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for AddError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        let s = if n == 1 { "" } else { "s" };
        write!(f, "cannot add the check `{}`: {n} problem{s}", self.check)?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AddError {}
