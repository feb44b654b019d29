//! The grammar from both ends: what the parser reads, how it refuses, what
//! the formatter writes, and that the parser reads every formatted value
//! back.

use super::{DurationError, Unit, format, parse};
use core::time::Duration;

const MS: u64 = 1_000_000;
const S: u64 = 1_000_000_000;

fn nanos(n: u64) -> Result<Duration, DurationError<'static>> {
    Ok(Duration::from_nanos(n))
}

fn message(text: &str) -> String {
    match parse(text) {
        Ok(d) => panic!("{text:?} parsed as {d:?}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn whole_numbers_in_every_unit() {
    assert_eq!(parse("7ns"), nanos(7));
    assert_eq!(parse("7us"), nanos(7_000));
    assert_eq!(parse("200ms"), nanos(200 * MS));
    assert_eq!(parse("1s"), nanos(S));
    assert_eq!(parse("2m"), nanos(120 * S));
    assert_eq!(parse("1h"), nanos(3_600 * S));
    assert_eq!(parse("0s"), Ok(Duration::ZERO));
    assert_eq!(parse("007ms"), nanos(7 * MS));
}

#[test]
fn decimals() {
    assert_eq!(parse("1.5s"), nanos(1_500 * MS));
    assert_eq!(parse("0.25ms"), nanos(250_000));
    assert_eq!(parse("0.5m"), nanos(30 * S));
    assert_eq!(parse("0.001h"), nanos(3_600 * MS));
    assert_eq!(parse("1.000000001s"), nanos(S + 1));
    assert_eq!(parse("1.500us"), nanos(1_500));
    assert_eq!(parse("2.0ns"), nanos(2));
    assert_eq!(parse("0.001s"), nanos(MS));
    let long = format!("1.{}s", "0".repeat(46));
    assert_eq!(parse(&long), nanos(S));
}

#[test]
fn compound_durations() {
    assert_eq!(parse("1m30s"), nanos(90 * S));
    assert_eq!(parse("1s500ms"), nanos(1_500 * MS));
    assert_eq!(parse("1h0.5s"), nanos(3_600 * S + 500 * MS));
    assert_eq!(parse("1h2m3s4ms5us6ns"), nanos(3_723 * S + 4 * MS + 5_006));
    assert_eq!(parse("1m30.5s"), nanos(90_500 * MS));
    assert_eq!(parse("1.5m30s"), nanos(120 * S));
    assert_eq!(parse("0h0m0s"), Ok(Duration::ZERO));
}

#[test]
fn units_largest_first_each_once() {
    let order = |unit, after| Err(DurationError::UnitOrder { unit, after });
    assert_eq!(parse("30s1m"), order(Unit::Minutes, Unit::Seconds));
    assert_eq!(parse("1s1s"), order(Unit::Seconds, Unit::Seconds));
    assert_eq!(parse("1ms1s"), order(Unit::Seconds, Unit::Millis));
    assert_eq!(
        message("30s1m"),
        "`m` comes after `s`: write the units largest first, e.g. \"1m30s\""
    );
    assert_eq!(
        message("1s1s"),
        "`s` is given twice: write each unit once, largest first, e.g. \"1m30s\""
    );
}

#[test]
fn below_a_nanosecond() {
    let too_precise = |unit| Err(DurationError::TooPrecise { unit });
    assert_eq!(parse("1.5ns"), too_precise(Unit::Nanos));
    assert_eq!(parse("0.0001us"), too_precise(Unit::Micros));
    assert_eq!(parse("1.0000000001s"), too_precise(Unit::Seconds));
    assert_eq!(parse("1.0000000019s"), too_precise(Unit::Seconds));
    assert_eq!(parse("0.0000000000001h"), too_precise(Unit::Hours));
    assert_eq!(parse("1m0.1ns"), too_precise(Unit::Nanos));
    let long = format!("0.{}1s", "0".repeat(60));
    assert_eq!(parse(&long), too_precise(Unit::Seconds));
    assert_eq!(
        message("1.5ns"),
        "the duration is finer than a nanosecond: `ns` takes no decimals"
    );
    assert_eq!(
        message("1.0000000001s"),
        "the duration is finer than a nanosecond: use fewer decimal places with `s`, or a smaller unit"
    );
}

#[test]
fn missing_unit() {
    assert_eq!(
        parse("200"),
        Err(DurationError::MissingUnit { written: "200" })
    );
    assert_eq!(
        parse("1.5"),
        Err(DurationError::MissingUnit { written: "1.5" })
    );
    assert_eq!(
        parse("1m30"),
        Err(DurationError::MissingUnit { written: "1m30" })
    );
    assert_eq!(
        parse("1s2"),
        Err(DurationError::MissingUnit { written: "1s2" })
    );
    assert_eq!(
        message("200"),
        "the duration has no unit: write e.g. \"200ms\" or \"200s\" (units: `ns`, `us`, `ms`, `s`, `m`, `h`)"
    );
    assert_eq!(
        message("1m30"),
        "the number 30 has no unit: write e.g. \"1m30s\" (units: `ns`, `us`, `ms`, `s`, `m`, `h`)"
    );
    assert!(message("1 m 30").contains("write e.g. \"1m30s\""));
    assert!(message(" 5").contains("write e.g. \"5ms\" or \"5s\""));
}

#[test]
fn unknown_units_say_what_was_meant() {
    assert_eq!(
        parse("2min"),
        Err(DurationError::UnknownUnit { unit: "min" })
    );
    assert_eq!(parse("1MS"), Err(DurationError::UnknownUnit { unit: "MS" }));
    assert_eq!(
        parse("1e3ms"),
        Err(DurationError::UnknownUnit { unit: "e" })
    );
    assert_eq!(parse("1µs"), Err(DurationError::UnknownUnit { unit: "µs" }));
    let units = "(expected one of `ns`, `us`, `ms`, `s`, `m`, `h`)";
    assert_eq!(
        message("200msec"),
        format!("unknown unit `msec`; did you mean `ms`? {units}")
    );
    assert_eq!(
        message("1MS"),
        format!("unknown unit `MS`; did you mean `ms`? {units}")
    );
    assert_eq!(
        message("2days"),
        format!("unknown unit `days`: write days in hours, e.g. \"48h\" for two days {units}")
    );
    assert_eq!(message("5x"), format!("unknown unit `x` {units}"));
}

#[test]
fn spaces_are_refused_with_the_fix() {
    for (text, fix) in [
        ("200 ms", "remove the space: write \"200ms\""),
        ("1m 30s", "remove the space: write \"1m30s\""),
        (" 1s", "remove the space: write \"1s\""),
        (" 3s ", "remove the spaces: write \"3s\""),
        ("1 m 30 s", "remove the spaces: write \"1m30s\""),
    ] {
        assert_eq!(
            parse(text),
            Err(DurationError::Space { written: text }),
            "{text:?}"
        );
        assert_eq!(message(text), fix);
    }
    // A mistake past the space comes first: fixing the space alone would
    // not do.
    assert_eq!(
        parse("5 sec"),
        Err(DurationError::UnknownUnit { unit: "sec" })
    );
    assert_eq!(
        parse("1s 1s"),
        Err(DurationError::UnitOrder {
            unit: Unit::Seconds,
            after: Unit::Seconds
        })
    );
}

#[test]
fn empty_negative_malformed() {
    assert_eq!(parse(""), Err(DurationError::Empty));
    assert_eq!(parse("  "), Err(DurationError::Empty));
    assert_eq!(parse("-1s"), Err(DurationError::Negative));
    assert_eq!(parse("1m-30s"), Err(DurationError::Negative));
    for bad in ["ms", "abc", "+1s", "1.2.3s", "..s", "١s", "s1"] {
        assert_eq!(parse(bad), Err(DurationError::InvalidNumber), "{bad:?}");
    }
    for bad in [".5s", "1.s", "2.", "1m.5s"] {
        assert_eq!(parse(bad), Err(DurationError::BarePoint), "{bad:?}");
    }
    assert_eq!(
        message(".5s"),
        "a decimal point needs a digit on each side, e.g. \"0.5s\" or \"1.5s\""
    );
    assert_eq!(
        message(""),
        "the duration is empty: write a number and a unit, e.g. \"200ms\""
    );
    assert_eq!(
        message("-1s"),
        "a duration cannot be negative: write e.g. \"200ms\""
    );
    assert_eq!(
        message("ms"),
        "a duration is a number followed by a unit, e.g. \"200ms\" or \"1.5s\" (units: `ns`, `us`, `ms`, `s`, `m`, `h`)"
    );
}

#[test]
fn overflow() {
    assert_eq!(
        parse("18446744073709551615ns"),
        nanos(u64::MAX),
        "past u64::MAX nanoseconds is still a Duration"
    );
    assert_eq!(parse("18446744073709551615s999999999ns"), Ok(Duration::MAX));
    assert_eq!(
        parse("18446744073709551615s1000ms"),
        Err(DurationError::Overflow)
    );
    assert_eq!(
        parse("99999999999999999999999999999999999999999s"),
        Err(DurationError::Overflow)
    );
    assert_eq!(
        parse(&format!("{}h", u128::MAX)),
        Err(DurationError::Overflow)
    );
}

#[test]
fn formats() {
    let cases = [
        (Duration::ZERO, "0s"),
        (Duration::from_nanos(1), "1ns"),
        (Duration::from_nanos(999), "999ns"),
        (Duration::from_micros(20), "20us"),
        (Duration::from_micros(1_500), "1.5ms"),
        (Duration::from_nanos(1_000_001), "1.000001ms"),
        (Duration::from_millis(200), "200ms"),
        (Duration::from_secs(1), "1s"),
        (Duration::from_millis(1_250), "1.25s"),
        (Duration::from_nanos(S + 1), "1.000000001s"),
        (Duration::from_secs(90), "1m30s"),
        (Duration::from_millis(90_500), "1m30.5s"),
        (Duration::from_millis(60_500), "1m500ms"),
        (Duration::from_secs(3_600), "1h"),
        (Duration::from_nanos(3_600 * S + 1), "1h1ns"),
        (Duration::from_secs(3_600 * 25), "25h"),
        (Duration::from_secs(86_400 * 365), "8760h"),
        (Duration::MAX, "5124095576030431h15.999999999s"),
    ];
    for (duration, text) in cases {
        assert_eq!(format(duration).to_string(), text, "{duration:?}");
    }
}

/// A deterministic stream of pseudo-random numbers (SplitMix64), so that
/// a failure is reproduced by running the test again.
struct Numbers(u64);

impl Numbers {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A duration of a random magnitude, with a random precision: whole
    /// hours, minutes, seconds, milliseconds, ... up to `Duration::MAX`.
    fn duration(&mut self) -> Duration {
        let magnitude = [60, 3_600, 86_400, 365 * 86_400, u64::MAX][(self.next() % 5) as usize];
        let secs = self.next() % magnitude.saturating_add(1);
        let secs = match self.next() % 4 {
            0 => secs - secs % 3_600,
            1 => secs - secs % 60,
            _ => secs,
        };
        let precision = [1_000_000_000, 1_000_000, 1_000, 1][(self.next() % 4) as usize];
        let nanos = (self.next() % 1_000_000_000) as u32;
        let nanos = match precision {
            1_000_000_000 => 0,
            p => nanos - nanos % p,
        };
        if self.next().is_multiple_of(8) {
            Duration::new(0, nanos)
        } else {
            Duration::new(secs, nanos)
        }
    }
}

#[test]
fn the_parser_reads_back_what_the_formatter_writes() {
    let mut numbers = Numbers(0x5EED);
    let edges = [
        Duration::ZERO,
        Duration::from_nanos(1),
        Duration::from_secs(59),
        Duration::from_secs(60),
        Duration::from_secs(3_599),
        Duration::new(3_600, 1),
        Duration::new(u64::MAX, 0),
        Duration::MAX,
    ];
    let random = (0..200_000).map(|_| numbers.duration());
    for duration in edges.into_iter().chain(random) {
        let text = format(duration).to_string();
        assert_eq!(parse(&text), Ok(duration), "{text:?}");
        assert!(
            text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.'),
            "{text:?}"
        );
    }
}

#[test]
fn the_formatter_writes_one_form_for_each_value() {
    // Texts that read as the same value are written the same way.
    for (texts, written) in [
        (&["90s", "1m30s", "1.5m", "90000ms", "0.025h"][..], "1m30s"),
        (&["1500us", "1.5ms", "0.0015s"][..], "1.5ms"),
        (&["48h", "2880m", "172800s"][..], "48h"),
    ] {
        for text in texts {
            let Ok(duration) = parse(text) else {
                panic!("{text:?}")
            };
            assert_eq!(format(duration).to_string(), written, "{text:?}");
        }
    }
}
