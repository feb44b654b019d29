//! How the page writes statuses, durations, times and shares. The page's
//! script (`assets/page.js`) writes them the same way: a refresh changes
//! the numbers, never their form.

use health_core::Status;
use std::time::{Duration, SystemTime};

/// A status as the page shows it: a symbol, a word (never colour alone),
/// and the CSS class that colours it.
pub(crate) const fn look(status: Status) -> (&'static str, &'static str, &'static str) {
    match status {
        Status::Up => ("✔", "UP", "s-up"),
        Status::Degraded => ("▲", "DEGRADED", "s-degraded"),
        Status::Unknown => ("?", "UNKNOWN", "s-unknown"),
        Status::Down => ("✖", "DOWN", "s-down"),
        Status::OutOfService => ("■", "OUT OF SERVICE", "s-oos"),
    }
}

/// A span of time in its two largest units: `<1s`, `42s`, `3m 12s`,
/// `2h 5m`, `3d 4h` (a zero second unit is left out: `3m`).
pub(crate) fn ago(span: Duration) -> String {
    let s = span.as_secs();
    let (big, big_unit, small, small_unit) = match s {
        0 => return "<1s".into(),
        1..60 => return format!("{s}s"),
        60..3600 => (s / 60, "m", s % 60, "s"),
        3600..86_400 => (s / 3600, "h", s / 60 % 60, "m"),
        _ => (s / 86_400, "d", s / 3600 % 24, "h"),
    };
    if small == 0 {
        format!("{big}{big_unit}")
    } else {
        format!("{big}{big_unit} {small}{small_unit}")
    }
}

/// The time of day of `t` in UTC, `14:02:11 UTC`, from its RFC 3339 form.
pub(crate) fn time_of_day(rfc3339: &str) -> String {
    format!("{} UTC", rfc3339.get(11..19).unwrap_or(rfc3339))
}

/// A share as a percentage, rounded down to hundredths so that 99.999 %
/// never reads 100 %: `100%`, `99.99%`, `0%`; `n/a` when unknown.
pub(crate) fn percent(share: Option<f64>) -> String {
    match share {
        None => "n/a".into(),
        Some(s) if s >= 1.0 => "100%".into(),
        Some(s) if s <= 0.0 => "0%".into(),
        Some(s) => format!("{:.2}%", (s * 10_000.0).floor() / 100.0),
    }
}

/// Milliseconds for people: `0.42 ms`, `3.2 ms`, `250 ms`.
pub(crate) fn ms_text(ms: f64) -> String {
    if ms < 1.0 {
        format!("{ms:.2} ms")
    } else if ms < 100.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

/// How long ago `t` was, seen at `now` (zero for a time after `now`).
pub(crate) fn since(now: SystemTime, t: SystemTime) -> Duration {
    now.duration_since(t).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans() {
        let cases = [
            (0, "<1s"),
            (1, "1s"),
            (59, "59s"),
            (60, "1m"),
            (192, "3m 12s"),
            (3600, "1h"),
            (7500, "2h 5m"),
            (86_400 * 3 + 3600 * 4 + 59, "3d 4h"),
        ];
        for (secs, text) in cases {
            assert_eq!(ago(Duration::from_secs(secs)), text, "{secs}");
        }
        assert_eq!(ago(Duration::from_millis(999)), "<1s");
    }

    #[test]
    fn shares_round_down() {
        assert_eq!(percent(Some(1.0)), "100%");
        assert_eq!(percent(Some(0.99999)), "99.99%");
        assert_eq!(percent(Some(0.5)), "50.00%");
        assert_eq!(percent(Some(0.0)), "0%");
        assert_eq!(percent(None), "n/a");
    }

    #[test]
    fn times_and_latencies() {
        assert_eq!(time_of_day("2026-11-25T14:02:11.123Z"), "14:02:11 UTC");
        assert_eq!(ms_text(0.4214), "0.42 ms");
        assert_eq!(ms_text(3.24), "3.2 ms");
        assert_eq!(ms_text(250.4), "250 ms");
        for status in [
            Status::Up,
            Status::Degraded,
            Status::Unknown,
            Status::Down,
            Status::OutOfService,
        ] {
            let (symbol, word, class) = look(status);
            assert!(!symbol.is_empty() && class.starts_with("s-"));
            assert_eq!(word.replace(' ', "_"), status.as_str());
        }
    }
}
