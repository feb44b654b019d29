use crate::check::Location;
use std::fmt;

/// Why [`RegistryBuilder::build`](crate::RegistryBuilder::build) refused:
/// every problem found, not just the first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct BuildError {
    problems: Vec<Problem>,
}

impl BuildError {
    pub(crate) fn new(problems: Vec<Problem>) -> Self {
        Self { problems }
    }

    /// Every problem found.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "cannot build the health registry: {n} problem{}",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

/// One problem found by [`RegistryBuilder::build`](crate::RegistryBuilder::build).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A check has a `&T` parameter and no `T` was given with `.state(..)`.
    #[error(
        "check `{check}` ({location}) needs state of type `{type_name}`: add `.state(value)` to the builder"
    )]
    MissingState {
        /// The check.
        check: String,
        /// Where it was declared.
        location: Location,
        /// The missing type.
        type_name: &'static str,
    },
    /// Two checks share a name.
    #[error("two checks are named `{name}`: {first} and {second}")]
    DuplicateName {
        /// The shared name.
        name: String,
        /// The first one.
        first: Location,
        /// The second one.
        second: Location,
    },
    /// A name breaks the pattern `[a-z0-9][a-z0-9_.-]*` (at most 63 chars).
    #[error("check name `{name}` ({location}) is invalid: {reason}")]
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
    #[error("check `{check}` ({location}): {reason}")]
    InvalidPolicy {
        /// The check.
        check: String,
        /// Where it was built.
        location: Location,
        /// What is wrong.
        reason: String,
    },
    /// A tag breaks the name rule.
    #[error("check `{check}` ({location}) has an invalid tag `{tag}`: {reason}")]
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
    /// `.state(..)` was given two values of one type.
    #[error("state of type `{type_name}` was given twice")]
    DuplicateState {
        /// The type.
        type_name: &'static str,
    },
}
