//! Text forms of durations, as messages print them (`200ms`, `1m 30s`).

use std::fmt::Write;
use std::time::Duration;

/// A duration in its nonzero units, largest first: `200ms`, `1s 500ms`,
/// `1m 30s`, `2days 3h`; zero is `0s`.
///
/// ```
/// use std::time::Duration;
/// use health_core::time::duration;
/// assert_eq!(duration(Duration::from_millis(200)), "200ms");
/// assert_eq!(duration(Duration::from_millis(90_500)), "1m 30s 500ms");
/// assert_eq!(duration(Duration::ZERO), "0s");
/// ```
pub fn duration(d: Duration) -> String {
    let secs = d.as_secs();
    let nanos = d.subsec_nanos();
    let parts: [(u64, &str); 7] = [
        (secs / 86_400, "day"),
        (secs / 3600 % 24, "h"),
        (secs / 60 % 60, "m"),
        (secs % 60, "s"),
        (u64::from(nanos / 1_000_000), "ms"),
        (u64::from(nanos / 1000 % 1000), "us"),
        (u64::from(nanos % 1000), "ns"),
    ];
    let mut out = String::new();
    for (n, unit) in parts.into_iter().filter(|(n, _)| *n > 0) {
        if !out.is_empty() {
            out.push(' ');
        }
        let plural = if unit == "day" && n > 1 { "s" } else { "" };
        let _ = write!(out, "{n}{unit}{plural}");
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let cases = [
            (Duration::from_nanos(1), "1ns"),
            (Duration::from_micros(1500), "1ms 500us"),
            (Duration::from_secs(1), "1s"),
            (Duration::from_secs(3600 * 25), "1day 1h"),
            (Duration::from_secs(86_400 * 365), "365days"),
        ];
        for (d, text) in cases {
            assert_eq!(duration(d), text);
        }
    }
}
