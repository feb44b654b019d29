//! Exit codes and what the probe reports.

use std::fmt;

/// The process exit codes, those of `grpc_health_probe`, for both schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: serving (gRPC `SERVING`; HTTP 2xx).
    Serving = 0,
    /// 1: invalid arguments.
    InvalidArguments = 1,
    /// 2: connection failed or the connect timeout expired.
    ConnectFailed = 2,
    /// 3: the request or RPC failed or timed out (including gRPC status
    /// errors such as `NOT_FOUND` and HTTP protocol errors).
    RequestFailed = 3,
    /// 4: the server answered that it is not serving (gRPC `NOT_SERVING`,
    /// `UNKNOWN`, `SERVICE_UNKNOWN`; any non-2xx HTTP status).
    NotServing = 4,
}

impl Exit {
    /// The numeric exit code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// A probe that ended without an answer: exit code and one-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The exit code.
    pub exit: Exit,
    /// One line, without the `health-probe: ` prefix.
    pub message: String,
}

impl Failure {
    /// A failure with this exit code and message.
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Failure {
            exit,
            message: message.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What the server replied, serving or not (a probe that got no reply is a
/// [`Failure`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// Whether the answer means serving (exit 0) or not (exit 4).
    pub serving: bool,
    /// `HTTP/1.1 503 Service Unavailable` or `status: NOT_SERVING`, printed
    /// by `--verbose`.
    pub status_line: String,
    /// The HTTP body (lossy UTF-8, possibly truncated, control characters
    /// but newlines and tabs replaced: see [`printable`](crate::printable)),
    /// printed by `--verbose`; read only then.
    pub body: Option<String>,
    /// When not serving: the one-line message for stderr.
    pub complaint: String,
}

impl Reply {
    /// The exit code this reply maps to.
    pub fn exit(&self) -> Exit {
        if self.serving {
            Exit::Serving
        } else {
            Exit::NotServing
        }
    }
}

/// The error with its chain of sources, `a: b: c`, skipping a source whose
/// text the outer message already contains.
pub(crate) fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let inner_text = inner.to_string();
        if !text.contains(&inner_text) {
            text.push_str(": ");
            text.push_str(&inner_text);
        }
        source = inner.source();
    }
    text
}
