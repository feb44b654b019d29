//! The parser.

use super::error::DurationError;
use super::unit::Unit;
use core::time::Duration;

const NANOS_PER_SEC: u128 = 1_000_000_000;

/// Reads a duration written in [the grammar](super): `"200ms"`, `"1.5s"`,
/// `"1m30s"`.
///
/// Every text gets one answer, and a refusal says what to write instead.
/// Zero is a duration; the caller decides whether zero, or a year, is
/// acceptable.
///
/// ```
/// use health_names::duration::{parse, DurationError, Unit};
/// use std::time::Duration;
///
/// assert_eq!(parse("200ms"), Ok(Duration::from_millis(200)));
/// assert_eq!(parse("1.5s"), Ok(Duration::from_millis(1_500)));
/// assert_eq!(parse("1h30m"), Ok(Duration::from_secs(5_400)));
/// assert_eq!(parse("0s"), Ok(Duration::ZERO));
/// assert_eq!(parse("200"), Err(DurationError::MissingUnit { written: "200" }));
/// assert_eq!(parse("1.5ns"), Err(DurationError::TooPrecise { unit: Unit::Nanos }));
/// ```
pub fn parse(text: &str) -> Result<Duration, DurationError<'_>> {
    let bytes = text.as_bytes();
    let end = bytes.len();
    // Spaces are skipped to find the mistakes past them first; a text that
    // is valid but for its spaces is refused at the end with the fix.
    let mut spaces = false;
    let mut skip_spaces = |mut at: usize| {
        while at < end && bytes[at].is_ascii_whitespace() {
            spaces = true;
            at += 1;
        }
        at
    };
    let scan = |mut at: usize, take: fn(u8) -> bool| {
        while at < end && take(bytes[at]) {
            at += 1;
        }
        at
    };

    let mut total: u128 = 0;
    let mut last: Option<Unit> = None;
    let mut at = skip_spaces(0);
    while at < end {
        if bytes[at] == b'-' {
            return Err(DurationError::Negative);
        }
        let number_end = scan(at, |b| b.is_ascii_digit() || b == b'.');
        let number = &text[at..number_end];
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if number.is_empty() || fraction.contains('.') {
            return Err(DurationError::InvalidNumber);
        }
        if number.contains('.') && (whole.is_empty() || fraction.is_empty()) {
            return Err(DurationError::BarePoint);
        }

        let unit_start = skip_spaces(number_end);
        let unit_end = scan(unit_start, |b| {
            !(b.is_ascii_digit() || b == b'.' || b == b'-' || b.is_ascii_whitespace())
        });
        let written = &text[unit_start..unit_end];
        if written.is_empty() {
            return Err(DurationError::MissingUnit {
                written: &text[..number_end],
            });
        }
        let unit = Unit::named(written).ok_or(DurationError::UnknownUnit { unit: written })?;
        if let Some(after) = last.filter(|after| unit >= *after) {
            return Err(DurationError::UnitOrder { unit, after });
        }
        last = Some(unit);
        total = total
            .checked_add(nanos(whole, fraction, unit)?)
            .ok_or(DurationError::Overflow)?;
        at = skip_spaces(unit_end);
    }

    if last.is_none() {
        return Err(DurationError::Empty);
    }
    if spaces {
        return Err(DurationError::Space { written: text });
    }
    if total > Duration::MAX.as_nanos() {
        return Err(DurationError::Overflow);
    }
    let secs = u64::try_from(total / NANOS_PER_SEC).map_err(|_| DurationError::Overflow)?;
    // The remainder is below 10^9.
    let subsec = (total % NANOS_PER_SEC) as u32;
    Ok(Duration::new(secs, subsec))
}

/// `whole.fraction` of `unit`, in nanoseconds: exact, or an error.
fn nanos(whole: &str, fraction: &str, unit: Unit) -> Result<u128, DurationError<'static>> {
    let unit_nanos = u128::from(unit.nanos());
    let whole = digits(whole)
        .and_then(|whole| whole.checked_mul(unit_nanos))
        .ok_or(DurationError::Overflow)?;
    // The fraction is `fraction / 10^places` of a unit; it must come out as
    // a whole number of nanoseconds. Trailing zeros change nothing.
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        return Ok(whole);
    }
    let too_precise = DurationError::TooPrecise { unit };
    let scale = u32::try_from(fraction.len())
        .ok()
        .and_then(|places| 10_u128.checked_pow(places))
        .ok_or(too_precise)?;
    // Past 13 significant places no fraction of any unit is a whole number
    // of nanoseconds, so an overflow here means "too precise".
    let scaled = digits(fraction)
        .and_then(|fraction| fraction.checked_mul(unit_nanos))
        .ok_or(too_precise)?;
    if !scaled.is_multiple_of(scale) {
        return Err(too_precise);
    }
    whole
        .checked_add(scaled / scale)
        .ok_or(DurationError::Overflow)
}

/// The value of a string of ASCII digits; `None` when it overflows `u128`.
fn digits(text: &str) -> Option<u128> {
    text.bytes().try_fold(0_u128, |acc, digit| {
        acc.checked_mul(10)?.checked_add(u128::from(digit - b'0'))
    })
}
