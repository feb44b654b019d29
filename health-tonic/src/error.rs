//! Why [`HealthServerBuilder::build`](crate::HealthServerBuilder::build)
//! refused: every problem found, not just the first.

use health_core::Probe;
use std::fmt;

/// Why [`HealthServerBuilder::build`](crate::HealthServerBuilder::build)
/// refused: every problem found.
///
/// ```
/// use health_core::{Check, Probe, Registry};
/// use health_tonic::{HealthServer, Problem};
///
/// let registry = Registry::builder()
///     .without_declared()
///     .check(Check::new("liveness", || async { true }))
///     .build()?;
/// let error = HealthServer::new(registry).unwrap_err();
/// assert_eq!(
///     error.problems(),
///     [Problem::ClashWithCheck { probe: Probe::Liveness, name: "liveness".into() }]
/// );
/// # Ok::<(), health_core::BuildError>(())
/// ```
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
            "cannot build the gRPC health service: {n} problem{}",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

/// One problem found by
/// [`HealthServerBuilder::build`](crate::HealthServerBuilder::build).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A probe was given the name `""`, which is the server as a whole
    /// (readiness) already.
    #[error(
        "the {probe} probe's service name is empty: \"\" is the server as a whole (readiness); give the probe a name such as \"{probe}\""
    )]
    EmptyProbeName {
        /// The probe.
        probe: Probe,
    },
    /// Two probes were given one name.
    #[error(
        "the {first} and {second} probes are both named \"{name}\": give each its own service name"
    )]
    DuplicateProbeName {
        /// The shared name.
        name: String,
        /// The first probe.
        first: Probe,
        /// The second probe.
        second: Probe,
    },
    /// A probe's service name is also a check's name, so one name would
    /// stand for two services.
    #[error(
        "the {probe} probe's service name \"{name}\" is also a check's name: rename the probe with `.probe_name(..)` or the check, or serve no components with `.components(false)`"
    )]
    ClashWithCheck {
        /// The probe.
        probe: Probe,
        /// The name both carry.
        name: String,
    },
    /// The watch period is zero.
    #[error("the watch period must be longer than zero")]
    ZeroWatchPeriod,
}
