//! The one duration grammar: what the `#[health_check]` attribute, the
//! registry's messages and the probe binary read and write.
//!
//! ```text
//! duration = part { part }            no sign, no space
//! part     = number unit
//! number   = digits [ "." digits ]     a digit on each side of the point
//! unit     = "h" | "m" | "s" | "ms" | "us" | "ns"
//! ```
//!
//! Examples: `"200ms"`, `"1.5s"`, `"2m"`, `"1m30s"`, `"1h0.5s"`. In a
//! compound duration the units go largest first, each at most once. The
//! value is the sum of the parts and must be a whole number of
//! nanoseconds. Zero (`"0s"`) is a duration; whether zero, or a year, is
//! acceptable is for the caller to say.
//!
//! [`format`](fn@format) writes what [`parse`](fn@parse) reads back to
//! the same value: whole hours and minutes, then the rest in the largest
//! unit it reaches, with decimals where needed (`"200ms"`, `"1.5s"`,
//! `"1m30.5s"`, `"48h"`), so messages read "timed out after 200ms" and
//! can be pasted back into the attribute or the command line.
//!
//! ```
//! use health_names::duration::{self, DurationError, Unit};
//! use std::time::Duration;
//!
//! assert_eq!(duration::parse("1m30.5s"), Ok(Duration::from_millis(90_500)));
//! assert_eq!(duration::format(Duration::from_millis(90_500)).to_string(), "1m30.5s");
//! assert_eq!(
//!     duration::parse("30s1m"),
//!     Err(DurationError::UnitOrder { unit: Unit::Minutes, after: Unit::Seconds })
//! );
//! ```

mod error;
mod format;
mod parse;
#[cfg(test)]
mod tests;
mod unit;

pub use error::DurationError;
pub use format::{Formatted, format};
pub use parse::parse;
pub use unit::Unit;
