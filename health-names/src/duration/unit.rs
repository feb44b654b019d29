//! The units of the grammar.

use core::fmt;

/// A unit of the duration grammar, smallest first: `ns`, `us`, `ms`, `s`,
/// `m`, `h`.
///
/// ```
/// use health_names::duration::Unit;
/// assert_eq!(Unit::Millis.as_str(), "ms");
/// assert_eq!(Unit::Minutes.nanos(), 60_000_000_000);
/// assert!(Unit::Hours > Unit::Seconds);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Unit {
    /// `ns`.
    Nanos,
    /// `us` (ASCII for µs).
    Micros,
    /// `ms`.
    Millis,
    /// `s`.
    Seconds,
    /// `m`.
    Minutes,
    /// `h`.
    Hours,
}

impl Unit {
    /// Every unit, smallest first.
    pub const ALL: [Unit; 6] = [
        Unit::Nanos,
        Unit::Micros,
        Unit::Millis,
        Unit::Seconds,
        Unit::Minutes,
        Unit::Hours,
    ];

    /// The unit as written: `ms`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Unit::Nanos => "ns",
            Unit::Micros => "us",
            Unit::Millis => "ms",
            Unit::Seconds => "s",
            Unit::Minutes => "m",
            Unit::Hours => "h",
        }
    }

    /// Its length in nanoseconds.
    pub const fn nanos(self) -> u64 {
        match self {
            Unit::Nanos => 1,
            Unit::Micros => 1_000,
            Unit::Millis => 1_000_000,
            Unit::Seconds => 1_000_000_000,
            Unit::Minutes => 60_000_000_000,
            Unit::Hours => 3_600_000_000_000,
        }
    }

    /// The unit written `text`, exactly.
    pub(super) fn named(text: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|unit| unit.as_str() == text)
    }

    /// The unit someone writing `text` most likely meant (`sec`, `msec`,
    /// `min`, `hours`, `µs`, `MS`), if any.
    pub(super) fn meant(text: &str) -> Option<Unit> {
        const ALIASES: [(Unit, &[&str]); 6] = [
            (
                Unit::Nanos,
                &["nsec", "nsecs", "nanos", "nanosecond", "nanoseconds"],
            ),
            (
                Unit::Micros,
                &[
                    "µs",
                    "μs",
                    "usec",
                    "usecs",
                    "micros",
                    "microsecond",
                    "microseconds",
                ],
            ),
            (
                Unit::Millis,
                &["msec", "msecs", "millis", "millisecond", "milliseconds"],
            ),
            (Unit::Seconds, &["sec", "secs", "second", "seconds"]),
            (Unit::Minutes, &["min", "mins", "minute", "minutes"]),
            (Unit::Hours, &["hr", "hrs", "hour", "hours"]),
        ];
        Unit::ALL
            .into_iter()
            .find(|unit| unit.as_str().eq_ignore_ascii_case(text))
            .or_else(|| {
                ALIASES.into_iter().find_map(|(unit, aliases)| {
                    aliases
                        .iter()
                        .any(|alias| alias.eq_ignore_ascii_case(text))
                        .then_some(unit)
                })
            })
    }

    /// Whether `text` names days, which the grammar writes in hours.
    pub(super) fn is_days(text: &str) -> bool {
        ["d", "day", "days"]
            .iter()
            .any(|days| days.eq_ignore_ascii_case(text))
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The units as messages list them: `` `ns`, `us`, `ms`, `s`, `m`, `h` ``.
pub(super) struct List;

impl fmt::Display for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, unit) in Unit::ALL.into_iter().enumerate() {
            let comma = if i == 0 { "" } else { ", " };
            write!(f, "{comma}`{unit}`")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{List, Unit};

    #[test]
    fn names_lengths_and_order() {
        let written: Vec<_> = Unit::ALL.iter().map(|u| u.as_str()).collect();
        assert_eq!(written, ["ns", "us", "ms", "s", "m", "h"]);
        assert_eq!(List.to_string(), "`ns`, `us`, `ms`, `s`, `m`, `h`");
        for pair in Unit::ALL.windows(2) {
            assert!(pair[0] < pair[1] && pair[0].nanos() < pair[1].nanos());
        }
        for unit in Unit::ALL {
            assert_eq!(Unit::named(unit.as_str()), Some(unit));
            assert_eq!(Unit::meant(unit.as_str()), Some(unit));
        }
    }

    #[test]
    fn what_was_meant() {
        assert_eq!(Unit::named("sec"), None);
        assert_eq!(Unit::meant("sec"), Some(Unit::Seconds));
        assert_eq!(Unit::meant("msec"), Some(Unit::Millis));
        assert_eq!(Unit::meant("MS"), Some(Unit::Millis));
        assert_eq!(Unit::meant("Minutes"), Some(Unit::Minutes));
        assert_eq!(Unit::meant("µs"), Some(Unit::Micros));
        assert_eq!(Unit::meant("hrs"), Some(Unit::Hours));
        assert_eq!(Unit::meant("x"), None);
        assert_eq!(Unit::meant("d"), None);
        assert!(Unit::is_days("days") && Unit::is_days("D") && !Unit::is_days("h"));
    }
}
