//! Why endpoints could not be built: [`BuildError`] of this crate's
//! [`Problem`]s.

use crate::network::NetworkError;
use crate::token::TokenError;
use std::fmt;

/// Why [`EndpointsBuilder::build`](crate::EndpointsBuilder::build) refused:
/// every [`Problem`] found, in the one shape every builder of the framework
/// returns ([`health_core::BuildError`]).
pub type BuildError = health_core::BuildError<Problem>;

/// What [`BuildError`] says it could not build.
pub(crate) const SUBJECT: &str = "the health endpoints";

/// One problem found by [`EndpointsBuilder::build`](crate::EndpointsBuilder::build).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// Two endpoints share a path, or a fixed path is also a component's
    /// (`/health/version` beside `/health/{name}`).
    PathClash(String),
    /// The bearer token of the disclosure rule is unfit.
    Token(TokenError),
    /// A network of the disclosure rule does not parse.
    Network(NetworkError),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::PathClash(clash) => write!(f, "paths: {clash}"),
            Problem::Token(e) => write!(f, "disclosure: {e}"),
            Problem::Network(e) => write!(f, "disclosure: {e}"),
        }
    }
}

impl std::error::Error for Problem {}
