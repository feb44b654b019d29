//! Why endpoints could not be built.

use crate::network::NetworkError;
use crate::token::TokenError;
use std::fmt;

/// Why [`EndpointsBuilder::build`](crate::EndpointsBuilder::build) refused:
/// every problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub(crate) problems: Vec<ConfigProblem>,
}

impl ConfigError {
    /// Every problem found.
    pub fn problems(&self) -> &[ConfigProblem] {
        &self.problems
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "cannot build the health endpoints: {n} problem{}",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// One problem found by [`EndpointsBuilder::build`](crate::EndpointsBuilder::build).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigProblem {
    /// Two endpoints share a path, or a fixed path is also a component's
    /// (`/health/version` beside `/health/{name}`).
    PathClash(String),
    /// The bearer token of the disclosure rule is unfit.
    Token(TokenError),
    /// A network of the disclosure rule does not parse.
    Network(NetworkError),
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigProblem::PathClash(clash) => write!(f, "paths: {clash}"),
            ConfigProblem::Token(e) => write!(f, "disclosure: {e}"),
            ConfigProblem::Network(e) => write!(f, "disclosure: {e}"),
        }
    }
}

impl std::error::Error for ConfigProblem {}
