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
    /// The prober timeout is zero or longer than
    /// [`MAX_PROBE_TIMEOUT`](crate::MAX_PROBE_TIMEOUT).
    ProbeTimeout {
        /// The timeout given.
        given: std::time::Duration,
        /// The longest accepted.
        max: std::time::Duration,
    },
    /// The disclosure trusts proxies but names no header for them to
    /// write the client in:
    /// [`Disclosure::forwarded_header`](crate::Disclosure::forwarded_header)
    /// is missing.
    NoForwardedHeader,
    /// The custom forwarded header of the disclosure rule is not an HTTP
    /// field name.
    ForwardedHeader(String),
    /// A name of [`AllowedHosts`](crate::AllowedHosts) is not a host
    /// name or address (a scheme, a port, a path, a space...).
    AllowedHost(String),
    /// A code given to
    /// [`EndpointsBuilder::status_code`](crate::EndpointsBuilder::status_code)
    /// that no prober reads as the status means: not 2xx (but 204 and
    /// 205, which forbid a body), 4xx or 5xx; or not 2xx for UP; or 2xx
    /// for a status that does not serve (UNKNOWN, DOWN, OUT_OF_SERVICE).
    StatusCode {
        /// The probe.
        probe: health_core::Probe,
        /// The status.
        status: health_core::Status,
        /// The code refused.
        code: u16,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::PathClash(clash) => write!(f, "paths: {clash}"),
            Problem::Token(e) => write!(f, "disclosure: {e}"),
            Problem::Network(e) => write!(f, "disclosure: {e}"),
            Problem::ProbeTimeout { given, max } => write!(
                f,
                "probe timeout: {} must be above zero and at most {}",
                health_names::duration::format(*given),
                health_names::duration::format(*max)
            ),
            Problem::NoForwardedHeader => f.write_str(
                "disclosure: trusted proxies need the one header they write the client in: \
                 add .forwarded_header(ForwardedHeader::XForwardedFor) (or Forwarded, or a custom one such as X-Real-IP)",
            ),
            Problem::ForwardedHeader(name) => write!(
                f,
                "disclosure: the forwarded header {name:?} is not an HTTP field name"
            ),
            Problem::AllowedHost(host) => write!(
                f,
                "allowed hosts: {host:?} is not a host name or address (no scheme, port or path: every port is allowed)"
            ),
            Problem::StatusCode {
                probe,
                status,
                code,
            } => write!(
                f,
                "status codes: {code} for {probe} {status}: probers read a 2xx as serving and a 4xx or 5xx as not \
                 (no 1xx, 3xx, 204 or 205): UP takes a 2xx; UNKNOWN, DOWN and OUT_OF_SERVICE a 4xx or 5xx; DEGRADED either"
            ),
        }
    }
}

impl std::error::Error for Problem {}
