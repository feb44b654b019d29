//! [`BuildError`]: what every builder of the framework returns when it
//! refuses, with every problem it found, not just the first.

use std::fmt;

/// Why a builder refused: every problem found, not just the first, each a
/// `P` (the builder's own `Problem` enum). The registry's builder returns
/// `BuildError` (of [`Problem`](crate::Problem)); the HTTP endpoints and
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
pub struct BuildError<P = crate::Problem> {
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
