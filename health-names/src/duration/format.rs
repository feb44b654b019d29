//! The formatter.

use core::fmt;
use core::time::Duration;

/// Writes `duration` in [the grammar](super), so that
/// [`parse`](fn@super::parse) reads it back to the same value: whole hours
/// and minutes, then the rest in the largest unit it reaches, with the
/// decimals it needs. Zero is `0s`.
///
/// It allocates nothing: use it in `format!` or `write!`, or call
/// `to_string()`.
///
/// ```
/// use health_names::duration::format;
/// use std::time::Duration;
///
/// let after = |d| format!("timed out after {}", format(d));
/// assert_eq!(after(Duration::from_millis(200)), "timed out after 200ms");
/// assert_eq!(format(Duration::from_millis(1_500)).to_string(), "1.5s");
/// assert_eq!(format(Duration::from_millis(90_500)).to_string(), "1m30.5s");
/// assert_eq!(format(Duration::from_micros(60_000_250)).to_string(), "1m250us");
/// assert_eq!(format(Duration::from_secs(2 * 86_400)).to_string(), "48h");
/// assert_eq!(format(Duration::ZERO).to_string(), "0s");
/// ```
pub fn format(duration: Duration) -> Formatted {
    Formatted(duration)
}

/// A duration as [`format`] writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formatted(Duration);

impl fmt::Display for Formatted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.as_secs();
        let nanos = self.0.subsec_nanos();
        if secs == 0 && nanos == 0 {
            return f.write_str("0s");
        }
        let (hours, minutes, seconds) = (secs / 3_600, secs / 60 % 60, secs % 60);
        if hours > 0 {
            write!(f, "{hours}h")?;
        }
        if minutes > 0 {
            write!(f, "{minutes}m")?;
        }
        match (seconds, nanos) {
            (1.., _) => decimal(f, seconds, nanos, 9, "s"),
            (0, 0) => Ok(()),
            (0, 1_000_000..) => decimal(f, (nanos / 1_000_000).into(), nanos % 1_000_000, 6, "ms"),
            (0, 1_000..) => decimal(f, (nanos / 1_000).into(), nanos % 1_000, 3, "us"),
            (0, _) => write!(f, "{nanos}ns"),
        }
    }
}

/// Writes `whole.fraction` and `unit`, the fraction being `places` digits
/// wide, without its trailing zeros (and without the point when it is 0).
fn decimal(
    f: &mut fmt::Formatter<'_>,
    whole: u64,
    mut fraction: u32,
    mut places: usize,
    unit: &str,
) -> fmt::Result {
    write!(f, "{whole}")?;
    if fraction > 0 {
        while fraction.is_multiple_of(10) {
            fraction /= 10;
            places -= 1;
        }
        write!(f, ".{fraction:0places$}")?;
    }
    f.write_str(unit)
}
