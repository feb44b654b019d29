//! [`later`]: an instant after another, never overflowing.

use std::time::Duration;
use tokio::time::Instant;

/// `at + d`, or about thirty years on if that overflows (`Duration::MAX`
/// as "never").
pub(crate) fn later(at: Instant, d: Duration) -> Instant {
    const FAR: Duration = Duration::from_secs(30 * 365 * 86_400);
    at.checked_add(d).unwrap_or_else(|| at + FAR)
}
