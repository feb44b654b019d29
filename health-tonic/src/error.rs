//! Why [`HealthServerBuilder::build`](crate::HealthServerBuilder::build)
//! refused: [`BuildError`] of this crate's [`Problem`]s.

use health_core::Probe;

/// Why [`HealthServerBuilder::build`](crate::HealthServerBuilder::build)
/// refused: every [`Problem`] found, in the one shape every builder of the
/// framework returns ([`health_core::BuildError`]).
///
/// ```
/// use health_core::{Check, Probe, Registry};
/// use health_tonic::{HealthServer, Problem};
///
/// let registry = Registry::builder()
///     .without_declared()
///     .check(Check::new("liveness", || async { true }))
///     .build()?;
/// let error = HealthServer::builder(registry).components(true).build().unwrap_err();
/// assert_eq!(
///     error.problems(),
///     [Problem::ClashWithCheck { probe: Probe::Liveness, name: "liveness".into() }]
/// );
/// assert!(error.to_string().starts_with("cannot build the gRPC health service: 1 problem\n  - "));
/// # Ok::<(), health_core::BuildError>(())
/// ```
pub type BuildError = health_core::BuildError<Problem>;

/// What [`BuildError`] says it could not build.
pub(crate) const SUBJECT: &str = "the gRPC health service";

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
    /// A probe's service name is also a check's name while components are
    /// served, so one name would stand for two services.
    #[error(
        "the {probe} probe's service name \"{name}\" is also a check's name: rename the probe with `.probe_name(..)` or the check, or serve no components (the default: drop `.components(true)`)"
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
    /// The probe timeout is zero.
    #[error("the probe timeout must be longer than zero")]
    ZeroProbeTimeout,
    /// [`not_serving_as_error`](crate::HealthServerBuilder::not_serving_as_error)
    /// was given [`tonic::Code::Ok`], which is no error.
    #[error(
        "`.not_serving_as_error(Code::Ok)` is the protocol's own answer: give an error code such as Code::Unavailable, or drop the call"
    )]
    NotServingAsOk,
    /// A cap on open watches that would refuse every `Watch`.
    #[error(
        "`.{setting}(0)` would refuse every Watch: give it at least 1 (a client past a cap gets RESOURCE_EXHAUSTED)"
    )]
    ZeroWatchCap {
        /// The builder method given zero: `max_watches` or
        /// `max_watches_per_connection`.
        setting: &'static str,
    },
}
