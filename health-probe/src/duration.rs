//! Durations on the command line: `200ms`, `1s`, `1.5s`, `2m`, `1m30s`.

use std::time::Duration;

/// The longest duration accepted, so that no deadline computed from it can
/// overflow.
pub const MAX: Duration = Duration::from_secs(24 * 60 * 60);

/// Why a duration did not parse; its `Display` is the part of the message
/// after `expected a duration such as 500ms or 2s`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DurationError {
    /// Not of the form `<number><unit>`, repeated.
    Malformed,
    /// Zero: a probe with no time to run always fails.
    Zero,
    /// Longer than [`MAX`].
    TooLong,
}

impl std::fmt::Display for DurationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DurationError::Malformed => {
                f.write_str("expected a duration such as 500ms or 2s (units: ms, s, m, h)")
            }
            DurationError::Zero => f.write_str("must be greater than zero, such as 500ms or 2s"),
            DurationError::TooLong => f.write_str("must be at most 24h"),
        }
    }
}

/// Parses a duration: one or more `<number><unit>` parts, the number a
/// decimal with an optional fraction, the unit one of `ms`, `s`, `m`, `h`
/// (`1.5s`, `250ms`, `1m30s`). Zero and durations over [`MAX`] are refused.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(DurationError::Malformed);
    }
    let mut total_nanos: u128 = 0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or(DurationError::Malformed)?;
        let (number, after) = rest.split_at(number_len);
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);
        let nanos_per_unit: u128 = match unit {
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60 * 1_000_000_000,
            "h" => 3_600 * 1_000_000_000,
            _ => return Err(DurationError::Malformed),
        };
        total_nanos = total_nanos
            .checked_add(scale(number, nanos_per_unit)?)
            .ok_or(DurationError::TooLong)?;
        if total_nanos > MAX.as_nanos() {
            return Err(DurationError::TooLong);
        }
        rest = after;
    }
    if total_nanos == 0 {
        return Err(DurationError::Zero);
    }
    let nanos = u64::try_from(total_nanos).map_err(|_| DurationError::TooLong)?;
    Ok(Duration::from_nanos(nanos))
}

/// `number` (digits, optionally one `.` and more digits) times `unit`
/// nanoseconds, truncated to whole nanoseconds.
fn scale(number: &str, unit: u128) -> Result<u128, DurationError> {
    let (whole, fraction) = match number.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (number, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
        return Err(DurationError::Malformed);
    }
    let mut value: u128 = 0;
    for digit in whole.bytes() {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u128::from(digit - b'0')))
            .ok_or(DurationError::TooLong)?;
        if value > MAX.as_nanos() {
            return Err(DurationError::TooLong);
        }
    }
    let mut nanos = value.checked_mul(unit).ok_or(DurationError::TooLong)?;
    // Each fractional digit is worth a tenth of the one before; digits past
    // nanosecond precision add nothing.
    let mut place = unit;
    for digit in fraction.bytes() {
        place /= 10;
        if place == 0 {
            break;
        }
        nanos += u128::from(digit - b'0') * place;
    }
    Ok(nanos)
}

/// Formats a duration the way it is written on the command line: `300ms`,
/// `1s`, `1.5s`.
pub fn format_duration(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis < 1_000 {
        if millis > 0 || duration.subsec_nanos().is_multiple_of(1_000_000) {
            return format!("{millis}ms");
        }
        return format!("{}us", duration.as_micros());
    }
    if millis.is_multiple_of(1_000) {
        return format!("{}s", millis / 1_000);
    }
    let text = format!("{:.3}", duration.as_secs_f64());
    format!("{}s", text.trim_end_matches('0').trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_usual_forms() {
        assert_eq!(parse_duration("200ms"), Ok(Duration::from_millis(200)));
        assert_eq!(parse_duration("1s"), Ok(Duration::from_secs(1)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration(".5s"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2."), Err(DurationError::Malformed));
        assert_eq!(parse_duration("2.s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1s500ms"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("0.001s"), Ok(Duration::from_millis(1)));
        assert_eq!(
            parse_duration("1.0000000019s"),
            Ok(Duration::from_nanos(1_000_000_001))
        );
        assert_eq!(parse_duration(" 3s "), Ok(Duration::from_secs(3)));
    }

    #[test]
    fn refuses_malformed_input() {
        for text in [
            "", " ", "5", "5x", "s", "ms", "-1s", "+1s", "1.2.3s", "1 s", "1S", "1sec", "..s",
            "1s2", "1e3ms", "١s", "1µs",
        ] {
            assert_eq!(
                parse_duration(text),
                Err(DurationError::Malformed),
                "{text:?}"
            );
        }
    }

    #[test]
    fn refuses_zero_and_huge_values() {
        assert_eq!(parse_duration("0s"), Err(DurationError::Zero));
        assert_eq!(parse_duration("0ms0s"), Err(DurationError::Zero));
        assert_eq!(parse_duration("0.0000000001s"), Err(DurationError::Zero));
        assert_eq!(parse_duration("25h"), Err(DurationError::TooLong));
        assert_eq!(parse_duration("24h"), Ok(MAX));
        assert_eq!(parse_duration("24h1ms"), Err(DurationError::TooLong));
        assert_eq!(
            parse_duration("99999999999999999999999999999999999999999999s"),
            Err(DurationError::TooLong)
        );
        assert_eq!(
            parse_duration(&format!("{}ms", u64::MAX)),
            Err(DurationError::TooLong)
        );
    }

    #[test]
    fn formats_as_written() {
        assert_eq!(format_duration(Duration::from_millis(300)), "300ms");
        assert_eq!(format_duration(Duration::from_secs(1)), "1s");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(format_duration(Duration::from_millis(1250)), "1.25s");
        assert_eq!(format_duration(Duration::from_secs(90)), "90s");
        assert_eq!(format_duration(Duration::from_micros(20)), "20us");
    }
}
