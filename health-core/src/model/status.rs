use serde::{Deserialize, Serialize};
use std::fmt;

/// The health of one component, or of the whole service.
///
/// Variants are ordered by severity, so the aggregate of several statuses is
/// their maximum:
///
/// ```
/// use health_core::Status;
/// assert!(Status::Up < Status::Degraded);
/// assert!(Status::Degraded < Status::Unknown);
/// assert!(Status::Unknown < Status::Down);
/// assert!(Status::Degraded.is_serving() && !Status::Unknown.is_serving());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// Working as intended.
    Up,
    /// Working, with a problem worth an operator's attention (a non-critical
    /// dependency is down, or a check reported a warning). Still serving.
    Degraded,
    /// No result yet: an `interval` check before its first run.
    Unknown,
    /// Not working.
    Down,
    /// Deliberately taken out of service: draining after a shutdown signal, or
    /// in maintenance. Only the lifecycle produces it, never a check.
    OutOfService,
}

impl Status {
    /// Whether a probe reporting this status is serving: `Up` and
    /// `Degraded`. Every protocol maps this one way (HTTP 200 or 503, gRPC
    /// `SERVING` or `NOT_SERVING`).
    pub const fn is_serving(self) -> bool {
        matches!(self, Status::Up | Status::Degraded)
    }

    /// The status's name (`"UP"`, `"OUT_OF_SERVICE"`...): in logs, and
    /// on the wire wherever a protocol shows statuses by name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Up => "UP",
            Status::Degraded => "DEGRADED",
            Status::Unknown => "UNKNOWN",
            Status::Down => "DOWN",
            Status::OutOfService => "OUT_OF_SERVICE",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
