//! The compile-time duration parser: `"200ms"`, `"1.5s"`, `"2m"`.
//!
//! A duration is a number (decimals allowed) directly followed by one of the
//! units in [`UNITS`]. The result is a whole number of nanoseconds in a `u64`
//! (at most about 584 years; the attribute takes at most a year), so the
//! expansion can build it with the `const` `Duration::from_nanos`.

use std::fmt;

/// The units, with their length in nanoseconds, smallest first.
pub(crate) const UNITS: &[(&str, u64)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
];

/// The units as the error messages list them: `` `ns`, `us`, ... ``.
fn unit_list() -> String {
    UNITS
        .iter()
        .map(|(unit, _)| format!("`{unit}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a duration string was rejected. The `Display` text completes a
/// sentence that starts with the offending literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DurationError {
    /// `""`.
    Empty,
    /// `"-1s"`.
    Negative,
    /// `"ms"`, `"abc"`, `"1.s"`, `"1.2.3s"`: no well-formed number up front.
    InvalidNumber,
    /// `"200"`.
    MissingUnit { number: String },
    /// `"200 ms"`, `"2min"`.
    UnknownUnit { unit: String },
    /// More than `u64::MAX` nanoseconds.
    Overflow,
    /// `"1.5ns"`, `"0.0000000001s"`: finer than one nanosecond.
    TooPrecise { unit: &'static str },
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DurationError::Empty => {
                write!(
                    f,
                    "the duration is empty: write a number and a unit, e.g. \"200ms\""
                )
            }
            DurationError::Negative => {
                write!(f, "a duration cannot be negative: write e.g. \"200ms\"")
            }
            DurationError::InvalidNumber => write!(
                f,
                "a duration is a number followed by a unit, e.g. \"200ms\" or \"1.5s\" (units: {})",
                unit_list()
            ),
            DurationError::MissingUnit { number } => write!(
                f,
                "the duration has no unit: write e.g. \"{number}ms\" or \"{number}s\" (units: {})",
                unit_list()
            ),
            DurationError::UnknownUnit { unit } if unit.starts_with(char::is_whitespace) => write!(
                f,
                "remove the space between the number and the unit, e.g. \"200ms\" (units: {})",
                unit_list()
            ),
            DurationError::UnknownUnit { unit } => {
                write!(f, "unknown unit `{unit}`: expected one of {}", unit_list())
            }
            DurationError::Overflow => {
                write!(
                    f,
                    "the duration is too long: at most 584 years (u64::MAX nanoseconds)"
                )
            }
            DurationError::TooPrecise { unit: "ns" } => {
                write!(
                    f,
                    "the duration is finer than a nanosecond: `ns` takes no decimals"
                )
            }
            DurationError::TooPrecise { unit } => write!(
                f,
                "the duration is finer than a nanosecond: use fewer decimal places with `{unit}`, or a smaller unit"
            ),
        }
    }
}

/// Parses `text` into nanoseconds.
pub(crate) fn parse(text: &str) -> Result<u64, DurationError> {
    if text.is_empty() {
        return Err(DurationError::Empty);
    }
    if text.starts_with('-') {
        return Err(DurationError::Negative);
    }
    let number_len = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(number_len);
    let (whole, fraction) = match number.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (number, ""),
    };
    let has_point = number.contains('.');
    if whole.is_empty() || (has_point && fraction.is_empty()) || fraction.contains('.') {
        return Err(DurationError::InvalidNumber);
    }
    if unit.is_empty() {
        return Err(DurationError::MissingUnit {
            number: number.to_owned(),
        });
    }
    let Some(&(unit, unit_nanos)) = UNITS.iter().find(|(name, _)| *name == unit) else {
        return Err(DurationError::UnknownUnit {
            unit: unit.to_owned(),
        });
    };
    let unit_nanos = u128::from(unit_nanos);

    let whole_nanos = digits(whole)
        .and_then(|whole| whole.checked_mul(unit_nanos))
        .ok_or(DurationError::Overflow)?;

    // The fraction is `fraction / 10^places` of a unit; it must come out as
    // a whole number of nanoseconds. Trailing zeros change nothing.
    let fraction = fraction.trim_end_matches('0');
    let fraction_nanos = if fraction.is_empty() {
        0
    } else {
        let too_precise = DurationError::TooPrecise { unit };
        let places = u32::try_from(fraction.len()).map_err(|_| too_precise.clone())?;
        let scale = 10_u128
            .checked_pow(places)
            .ok_or_else(|| too_precise.clone())?;
        // Past 13 significant places no fraction of any unit is a whole
        // number of nanoseconds, so an overflow here means "too precise".
        let scaled = digits(fraction)
            .and_then(|f| f.checked_mul(unit_nanos))
            .ok_or_else(|| too_precise.clone())?;
        if !scaled.is_multiple_of(scale) {
            return Err(too_precise);
        }
        scaled / scale
    };

    let total = whole_nanos
        .checked_add(fraction_nanos)
        .ok_or(DurationError::Overflow)?;
    u64::try_from(total).map_err(|_| DurationError::Overflow)
}

/// The value of a string of ASCII digits; `None` when it overflows `u128`.
fn digits(text: &str) -> Option<u128> {
    text.bytes().try_fold(0_u128, |acc, digit| {
        acc.checked_mul(10)?.checked_add(u128::from(digit - b'0'))
    })
}

/// Formats nanoseconds the way a user would write them: the largest unit
/// that divides the value (`1500000000` → `"1500ms"`, `60000000000` → `"1m"`).
pub(crate) fn format(nanos: u64) -> String {
    if nanos == 0 {
        return "0s".to_owned();
    }
    let (unit, unit_nanos) = UNITS
        .iter()
        .rev()
        .find(|(_, n)| nanos.is_multiple_of(*n))
        .copied()
        .unwrap_or(("ns", 1));
    format!("{}{unit}", nanos / unit_nanos)
}

#[cfg(test)]
mod tests {
    use super::{DurationError, format, parse};

    const MS: u64 = 1_000_000;
    const S: u64 = 1_000_000_000;

    #[test]
    fn whole_numbers_in_every_unit() {
        assert_eq!(parse("7ns"), Ok(7));
        assert_eq!(parse("7us"), Ok(7_000));
        assert_eq!(parse("200ms"), Ok(200 * MS));
        assert_eq!(parse("1s"), Ok(S));
        assert_eq!(parse("2m"), Ok(120 * S));
        assert_eq!(parse("1h"), Ok(3_600 * S));
        assert_eq!(parse("0s"), Ok(0));
        assert_eq!(parse("007ms"), Ok(7 * MS));
    }

    #[test]
    fn decimals() {
        assert_eq!(parse("1.5s"), Ok(1_500 * MS));
        assert_eq!(parse("0.25ms"), Ok(250_000));
        assert_eq!(parse("0.5m"), Ok(30 * S));
        assert_eq!(parse("0.001h"), Ok(3_600 * MS));
        assert_eq!(parse("1.000000001s"), Ok(S + 1));
        assert_eq!(parse("1.500us"), Ok(1_500));
        assert_eq!(parse("2.0ns"), Ok(2));
        assert_eq!(
            parse("1.0000000000000000000000000000000000000000000000s"),
            Ok(S)
        );
    }

    #[test]
    fn below_a_nanosecond() {
        assert_eq!(
            parse("1.5ns"),
            Err(DurationError::TooPrecise { unit: "ns" })
        );
        assert_eq!(
            parse("0.0001us"),
            Err(DurationError::TooPrecise { unit: "us" })
        );
        assert_eq!(
            parse("1.0000000001s"),
            Err(DurationError::TooPrecise { unit: "s" })
        );
        assert_eq!(
            parse("0.0000000000001h"),
            Err(DurationError::TooPrecise { unit: "h" })
        );
        let long = format!("0.{}1s", "0".repeat(60));
        assert_eq!(parse(&long), Err(DurationError::TooPrecise { unit: "s" }));
    }

    #[test]
    fn missing_unit() {
        assert_eq!(
            parse("200"),
            Err(DurationError::MissingUnit {
                number: "200".into()
            })
        );
        assert_eq!(
            parse("1.5"),
            Err(DurationError::MissingUnit {
                number: "1.5".into()
            })
        );
        assert!(parse("200").unwrap_err().to_string().contains("\"200ms\""));
    }

    #[test]
    fn unknown_unit_lists_the_units() {
        assert_eq!(
            parse("2min"),
            Err(DurationError::UnknownUnit { unit: "min".into() })
        );
        assert_eq!(
            parse("1MS"),
            Err(DurationError::UnknownUnit { unit: "MS".into() })
        );
        let message = parse("2min").unwrap_err().to_string();
        assert!(
            message.contains("`min`") && message.contains("`ns`, `us`, `ms`, `s`, `m`, `h`"),
            "{message}"
        );
        assert!(
            parse("200 ms")
                .unwrap_err()
                .to_string()
                .contains("remove the space")
        );
    }

    #[test]
    fn empty_negative_malformed() {
        assert_eq!(parse(""), Err(DurationError::Empty));
        assert_eq!(parse("-1s"), Err(DurationError::Negative));
        for bad in ["ms", "abc", ".5s", "1.s", "1.2.3s", " 1s", "+1s"] {
            assert_eq!(parse(bad), Err(DurationError::InvalidNumber), "{bad:?}");
        }
    }

    #[test]
    fn overflow() {
        assert_eq!(parse("18446744073709551615ns"), Ok(u64::MAX));
        assert_eq!(
            parse("18446744073709551616ns"),
            Err(DurationError::Overflow)
        );
        assert_eq!(parse("5125000h"), Err(DurationError::Overflow));
        assert_eq!(
            parse("99999999999999999999999999999999999999999s"),
            Err(DurationError::Overflow)
        );
    }

    #[test]
    fn formats_in_the_largest_exact_unit() {
        assert_eq!(format(0), "0s");
        assert_eq!(format(S), "1s");
        assert_eq!(format(1_500 * MS), "1500ms");
        assert_eq!(format(120 * S), "2m");
        assert_eq!(format(7), "7ns");
    }
}
