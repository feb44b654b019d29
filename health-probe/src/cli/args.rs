//! What a command line asks for: [`Command`], [`Args`], [`TlsArgs`], and
//! [`ArgError`] when it asks for nothing sensible.

use std::time::Duration;

use crate::target::Target;

/// The default `--timeout`, the kubelet's default probe timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Probe a target.
    Probe(Box<Args>),
    /// `-h` / `--help`.
    Help,
    /// `--version`.
    Version,
}

/// A probe to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// What to probe.
    pub target: Target,
    /// `--service` (gRPC only; default `""`).
    pub service: String,
    /// `--timeout`: bounds the request or RPC after connecting.
    pub timeout: Duration,
    /// `--connect-timeout`: bounds name resolution and connecting
    /// (including a TLS handshake).
    pub connect_timeout: Duration,
    /// `-v` / `--verbose`.
    pub verbose: bool,
    /// TLS options.
    pub tls: TlsArgs,
}

/// TLS options (`https://`, `grpcs://`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsArgs {
    /// `--tls-ca-cert`: PEM file of trusted certificates.
    pub ca_cert: Option<String>,
    /// `--tls-server-name`: name to verify the certificate against.
    pub server_name: Option<String>,
    /// `--tls-no-verify`: accept any certificate.
    pub no_verify: bool,
}

impl TlsArgs {
    /// The first TLS option given, for a message naming it.
    pub(super) fn first_given(&self) -> Option<&'static str> {
        if self.ca_cert.is_some() {
            Some("--tls-ca-cert")
        } else if self.server_name.is_some() {
            Some("--tls-server-name")
        } else if self.no_verify {
            Some("--tls-no-verify")
        } else {
            None
        }
    }
}

/// An invalid command line; `Display` is the one-line message (without the
/// `health-probe: ` prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgError(pub String);

impl std::fmt::Display for ArgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `Err` with `message`.
pub(super) fn err<T>(message: impl Into<String>) -> Result<T, ArgError> {
    Err(ArgError(message.into()))
}
