//! Why a text is not a duration, in messages that name the fix.

use super::unit::{List, Unit};
use core::fmt;

/// Why [`parse`](fn@super::parse) refused a text. Its `Display` completes a
/// sentence that starts with the text, such as
/// `invalid duration "200 ms": remove the space: write "200ms"`, and says
/// what to write instead.
///
/// ```
/// use health_names::duration::{parse, DurationError};
///
/// let error = parse("2min").unwrap_err();
/// assert_eq!(error, DurationError::UnknownUnit { unit: "min" });
/// assert_eq!(
///     error.to_string(),
///     "unknown unit `min`; did you mean `m`? (expected one of `ns`, `us`, `ms`, `s`, `m`, `h`)"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DurationError<'a> {
    /// `""`, `" "`.
    Empty,
    /// `"-1s"`.
    Negative,
    /// `"200 ms"`, `"1m 30s"`, `" 1s"`: otherwise valid, but with spaces;
    /// `written` is the whole text.
    Space {
        /// The text as given.
        written: &'a str,
    },
    /// `"ms"`, `"abc"`, `"+1s"`, `"1.2.3s"`: no well-formed number where
    /// one must be.
    InvalidNumber,
    /// `".5s"`, `"1.s"`: a decimal point without a digit on one side.
    BarePoint,
    /// `"200"`, `"1m30"`: a number without its unit; `written` is the
    /// text up to the end of that number.
    MissingUnit {
        /// The text up to the end of the number without a unit.
        written: &'a str,
    },
    /// `"2min"`, `"200msec"`, `"1d"`.
    UnknownUnit {
        /// The unit as written.
        unit: &'a str,
    },
    /// `"30s1m"`, `"1s1s"`: units go largest first, each at most once.
    UnitOrder {
        /// The unit out of place.
        unit: Unit,
        /// The unit before it.
        after: Unit,
    },
    /// `"1.5ns"`, `"0.0000000001s"`: finer than one nanosecond.
    TooPrecise {
        /// The unit whose decimals go too far.
        unit: Unit,
    },
    /// Longer than [`Duration::MAX`](core::time::Duration::MAX).
    Overflow,
}

impl fmt::Display for DurationError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DurationError::Empty => {
                f.write_str("the duration is empty: write a number and a unit, e.g. \"200ms\"")
            }
            DurationError::Negative => {
                f.write_str("a duration cannot be negative: write e.g. \"200ms\"")
            }
            DurationError::Space { written } => {
                let spaces = written.bytes().filter(u8::is_ascii_whitespace).count();
                let plural = if spaces == 1 { "" } else { "s" };
                write!(
                    f,
                    "remove the space{plural}: write \"{}\"",
                    Compact(written)
                )
            }
            DurationError::InvalidNumber => write!(
                f,
                "a duration is a number followed by a unit, e.g. \"200ms\" or \"1.5s\" (units: {List})"
            ),
            DurationError::BarePoint => {
                f.write_str("a decimal point needs a digit on each side, e.g. \"0.5s\" or \"1.5s\"")
            }
            DurationError::MissingUnit { written } => {
                let number = written
                    .rfind(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .map_or(written, |at| &written[at + 1..]);
                let written = Compact(written);
                if number.len() == written.0.trim().len() {
                    write!(
                        f,
                        "the duration has no unit: write e.g. \"{written}ms\" or \"{written}s\" (units: {List})"
                    )
                } else {
                    write!(
                        f,
                        "the number {number} has no unit: write e.g. \"{written}s\" (units: {List})"
                    )
                }
            }
            DurationError::UnknownUnit { unit } => {
                write!(f, "unknown unit `{unit}`")?;
                if let Some(meant) = Unit::meant(unit) {
                    write!(f, "; did you mean `{meant}`?")?;
                } else if Unit::is_days(unit) {
                    f.write_str(": write days in hours, e.g. \"48h\" for two days")?;
                }
                write!(f, " (expected one of {List})")
            }
            DurationError::UnitOrder { unit, after } if unit == after => write!(
                f,
                "`{unit}` is given twice: write each unit once, largest first, e.g. \"1m30s\""
            ),
            DurationError::UnitOrder { unit, after } => write!(
                f,
                "`{unit}` comes after `{after}`: write the units largest first, e.g. \"1m30s\""
            ),
            DurationError::TooPrecise { unit: Unit::Nanos } => {
                f.write_str("the duration is finer than a nanosecond: `ns` takes no decimals")
            }
            DurationError::TooPrecise { unit } => write!(
                f,
                "the duration is finer than a nanosecond: use fewer decimal places with `{unit}`, or a smaller unit"
            ),
            DurationError::Overflow => f.write_str(
                "the duration is too long: a `Duration` holds at most about 584 billion years",
            ),
        }
    }
}

impl core::error::Error for DurationError<'_> {}

/// A text without its ASCII spaces.
struct Compact<'a>(&'a str);

impl fmt::Display for Compact<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0
            .split_ascii_whitespace()
            .try_for_each(|part| f.write_str(part))
    }
}
