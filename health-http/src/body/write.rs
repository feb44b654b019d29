//! The one JSON writer of every body: constant keys go out as they are,
//! strings are escaped exactly as serde_json escapes them, durations in
//! milliseconds (rounded to microseconds) from integers, and arbitrary
//! values (a check's observed value and details) through serde_json.
//! Bodies probes ask for every few seconds are written straight into one
//! buffer: serde_json would scan every key for escapes, and a map of
//! components would first be collected into a `BTreeMap`.

use serde::Serialize;
use std::time::{Duration, SystemTime};

/// Appends `s` as a JSON string, escaped as serde_json does: `"`, `\` and
/// the control characters below U+0020 (as `\n`, `\t`, ... or `\u00XX`);
/// everything else as it is.
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    let mut rest = s.as_bytes();
    while let Some(at) = rest
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
    {
        out.extend_from_slice(&rest[..at]);
        escape(out, rest[at]);
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

fn escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        _ => {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        }
    }
}

/// Appends `s`, known to need no escaping (a check's name: the name rule
/// allows `[a-z0-9_.-]` only; a timestamp), as a JSON string.
pub(crate) fn plain_string(out: &mut Vec<u8>, s: &str) {
    debug_assert!(!s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'));
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// Appends `d` in milliseconds rounded to microseconds (`3.2`, `10.0`,
/// `0.001`): every duration of every body is written so. Exactly as
/// serde_json writes the float [`millis_f64`]`(d)`, from integers where
/// they agree with the float: its shortest form costs far more.
pub(crate) fn millis(out: &mut Vec<u8>, d: Duration) {
    let Some(micros) = whole_micros(d) else {
        return value(out, &millis_f64(d));
    };
    let (mut whole, fraction) = (micros / 1_000, (micros % 1_000) as usize);
    // "whole.fraction" laid out right-aligned in a fixed buffer, two digits
    // at a time, then a constant-size copy from where it starts, cut to
    // length: no call to memcpy for a few bytes. At most 12 + 1 + 3 bytes:
    // whole < 10^12.
    let mut text = [0_u8; 40];
    let (hundreds, rest) = (fraction / 100, fraction % 100);
    text[20] = b'0' + hundreds as u8;
    text[21..23].copy_from_slice(&PAIRS[rest * 2..rest * 2 + 2]);
    // At least one digit after the point, no trailing zeros.
    let kept = match (rest % 10, rest / 10) {
        (1.., _) => 3,
        (0, 1..) => 2,
        (0, 0) => 1,
    };
    text[19] = b'.';
    let mut start = 19;
    while whole >= 100 {
        let pair = (whole % 100) as usize;
        whole /= 100;
        start -= 2;
        text[start..start + 2].copy_from_slice(&PAIRS[pair * 2..pair * 2 + 2]);
    }
    if whole >= 10 {
        let pair = whole as usize;
        start -= 2;
        text[start..start + 2].copy_from_slice(&PAIRS[pair * 2..pair * 2 + 2]);
    } else {
        start -= 1;
        text[start] = b'0' + whole as u8;
    }
    let len = out.len() + (20 - start) + kept;
    out.extend_from_slice(&text[start..start + 20]);
    out.truncate(len);
}

/// "00" to "99".
const PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// `d` in milliseconds rounded to microseconds, as a float: what
/// [`millis`] writes.
pub(crate) fn millis_f64(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1_000.0
}

/// `d` rounded to whole microseconds by integers, where that is what the
/// float of [`millis_f64`] gives: below 2^53 ns (104 days), a float is off
/// by under a nanosecond, so only a remainder next to half a microsecond
/// could round otherwise; those (and longer durations) go through the
/// float.
fn whole_micros(d: Duration) -> Option<u64> {
    const LIMIT: u64 = (1 << 53) / 1_000_000_000;
    let secs = Some(d.as_secs()).filter(|&s| s < LIMIT)?;
    let (micros, rest) = (d.subsec_micros(), d.subsec_nanos() % 1_000);
    if (495..=505).contains(&rest) {
        return None;
    }
    Some(secs * 1_000_000 + u64::from(micros) + u64::from(rest > 500))
}

/// Appends `value` as serde_json writes it (a non-finite float as `null`).
pub(crate) fn value<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Writing plain values into a Vec cannot fail; if it ever did, `null`
    // keeps the body valid JSON.
    if serde_json::to_writer(&mut *out, value).is_err() {
        out.extend_from_slice(b"null");
    }
}

/// Appends a whole number.
pub(crate) fn unsigned(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Appends `s` as a JSON string, or `null`.
pub(crate) fn optional_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// Appends a wall-clock time as an RFC 3339 string
/// (`"2026-11-25T18:40:00.000Z"`).
pub(crate) fn time(out: &mut Vec<u8>, t: SystemTime) {
    out.push(b'"');
    crate::body::write_rfc3339(out, t);
    out.push(b'"');
}

/// Appends a share (`0.0` to `1.0`) to three decimals, or `null` when it
/// is unknown or not a finite number.
pub(crate) fn share(out: &mut Vec<u8>, share: Option<f64>) {
    match share.filter(|s| s.is_finite()) {
        Some(s) => value(out, &((s * 1e3).round() / 1e3)),
        None => out.extend_from_slice(b"null"),
    }
}

/// Appends the `,` between the items of an array or object, before all
/// but the first (`i`, counted from 0).
pub(crate) fn comma(out: &mut Vec<u8>, i: usize) {
    if i > 0 {
        out.push(b',');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_exactly_as_serde_json_escapes_them() {
        let mut all: String = (0_u8..0x80).map(char::from).collect();
        all.push_str("é ü 😀 \u{2028} \u{7f} \"quoted\" back\\slash");
        for s in [
            all.as_str(),
            "",
            "plain",
            "\"",
            "\\",
            "end\n",
            "\u{1}\u{1f}",
        ] {
            let mut out = Vec::new();
            string(&mut out, s);
            assert_eq!(out, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn numbers_are_written_as_serde_json_writes_them() {
        for n in [0, 7, 10, 431, u64::MAX] {
            let mut out = Vec::new();
            unsigned(&mut out, n);
            assert_eq!(out, serde_json::to_vec(&n).unwrap());
        }
        let mut out = Vec::new();
        value(&mut out, &f64::NAN);
        value(&mut out, &3.25_f64);
        assert_eq!(out, b"null3.25");
    }

    #[test]
    fn milliseconds_are_written_as_serde_json_writes_the_float() {
        let serde = |d: Duration| serde_json::to_vec(&millis_f64(d)).unwrap();
        let mine = |d: Duration| {
            let mut out = Vec::new();
            millis(&mut out, d);
            out
        };
        for micros in (0..200_000).chain((0..2_000).map(|i| i * 999_983 + 7)) {
            let d = Duration::from_micros(micros);
            assert_eq!(mine(d), serde(d), "{micros} µs");
        }
        for nanos in [
            1,
            499,
            500,
            501,
            504,
            506,
            999,
            1_500,
            3_200_499,
            3_200_500,
            999_999_500,
        ]
        .into_iter()
        .chain([1_234_567_891_234, (1 << 53) - 1, 1 << 53, u64::MAX])
        .chain((0..5_000).map(|i| i * 7_777_777_777 + 123))
        {
            let d = Duration::from_nanos(nanos);
            assert_eq!(mine(d), serde(d), "{nanos} ns");
        }
        for d in [
            Duration::from_secs(31 * 365 * 86_400),
            Duration::from_secs(40 * 365 * 86_400),
            Duration::MAX,
        ] {
            assert_eq!(mine(d), serde(d), "{d:?}");
        }
    }

    #[test]
    fn millis_rounds_to_microseconds() {
        assert_eq!(millis_f64(Duration::from_nanos(3_200_499)), 3.2);
        assert_eq!(millis_f64(Duration::ZERO), 0.0);
    }
}
