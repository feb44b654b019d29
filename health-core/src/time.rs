//! Text forms of times, written the same way by every rendering: RFC 3339
//! timestamps and short durations (`200ms`, `1m30s`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A wall-clock time as RFC 3339 in UTC with millisecond precision
/// (`2026-11-25T18:40:00.000Z`). Times before 1970 are written as the epoch.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// let t = UNIX_EPOCH + Duration::from_millis(1_764_095_999_123);
/// assert_eq!(health_core::time::rfc3339(t), "2025-11-25T18:39:59.123Z");
/// ```
pub fn rfc3339(t: SystemTime) -> String {
    let mut text = Vec::with_capacity(24);
    write_rfc3339(&mut text, t);
    String::from_utf8(text).unwrap_or_default()
}

/// Appends [`rfc3339`]`(t)` to `out`, without a `String` of its own.
pub(crate) fn write_rfc3339(out: &mut Vec<u8>, t: SystemTime) {
    let since = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute, second) = (rem / 3600, rem / 60 % 60, rem % 60);
    let millis = u64::from(since.subsec_millis());
    if year > 9999 {
        let text =
            format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{millis:03}Z");
        return out.extend_from_slice(text.as_bytes());
    }
    // Fixed width: written digit by digit (a probe body carries one).
    let mut text = *b"0000-00-00T00:00:00.000Z";
    let fields = [
        (0, 4, year),
        (5, 2, month),
        (8, 2, day),
        (11, 2, hour),
        (14, 2, minute),
    ];
    for (at, width, value) in fields.into_iter().chain([(17, 2, second), (20, 3, millis)]) {
        let mut value = value;
        for i in (at..at + width).rev() {
            text[i] = b'0' + (value % 10) as u8;
            value /= 10;
        }
    }
    out.extend_from_slice(&text);
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// A duration as every message writes it, in the grammar of
/// [`health_names::duration`] that the attribute and the probe binary read:
/// `200ms`, `1.5s`, `1m30.5s`, `48h`; zero is `0s`.
///
/// ```
/// use std::time::Duration;
/// use health_core::time::duration;
/// assert_eq!(duration(Duration::from_millis(200)), "200ms");
/// assert_eq!(duration(Duration::from_millis(90_500)), "1m30.5s");
/// assert_eq!(duration(Duration::ZERO), "0s");
/// assert_eq!(health_names::duration::parse(&duration(Duration::from_millis(90_500))), Ok(Duration::from_millis(90_500)));
/// ```
pub fn duration(d: Duration) -> String {
    health_names::duration::format(d).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        // A leap day, and the last millisecond of a year.
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(rfc3339(leap), "2000-02-29T00:00:00.000Z");
        let eoy = UNIX_EPOCH + Duration::from_millis(1_798_761_599_999);
        assert_eq!(rfc3339(eoy), "2026-12-31T23:59:59.999Z");
        let before = UNIX_EPOCH - Duration::from_secs(5);
        assert_eq!(rfc3339(before), "1970-01-01T00:00:00.000Z");
        // Past the four-digit years, the digits go on.
        let far = UNIX_EPOCH + Duration::from_secs(253_402_300_800);
        assert_eq!(rfc3339(far), "10000-01-01T00:00:00.000Z");
    }

    #[test]
    fn the_fixed_width_writer_agrees_with_format() {
        let formatted = |t: SystemTime| {
            let since = t.duration_since(UNIX_EPOCH).unwrap_or_default();
            let secs = since.as_secs();
            let (year, month, day) = civil_from_days(secs / 86_400);
            let rem = secs % 86_400;
            format!(
                "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
                rem / 3600,
                rem / 60 % 60,
                rem % 60,
                since.subsec_millis()
            )
        };
        // Every 7 hours, 13 minutes and 11.123 s for 400 years and more.
        let step = Duration::from_millis(((7 * 60 + 13) * 60 + 11) * 1000 + 123);
        let mut t = UNIX_EPOCH;
        for _ in 0..500_000 {
            assert_eq!(rfc3339(t), formatted(t));
            t += step;
        }
    }

    #[test]
    fn durations() {
        let cases = [
            (Duration::from_nanos(1), "1ns"),
            (Duration::from_micros(1500), "1.5ms"),
            (Duration::from_secs(1), "1s"),
            (Duration::from_secs(3600 * 25), "25h"),
            (Duration::from_secs(86_400 * 365), "8760h"),
        ];
        for (d, text) in cases {
            assert_eq!(duration(d), text);
            // What a message says, the attribute and the probe read back.
            assert_eq!(health_names::duration::parse(text), Ok(d));
        }
    }
}
