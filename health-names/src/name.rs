//! The one rule for the names of health checks and their tags, shared by
//! the `#[health_check]` attribute (at compile time) and the registry (for
//! checks built at run time), so the two can never disagree.

/// The longest name, in bytes (all characters are ASCII).
pub const MAX_LEN: usize = 63;

/// The rule, as error messages state it.
pub const PATTERN: &str = "`[a-z0-9][a-z0-9_.-]*`, at most 63 characters";

/// What is wrong with `name`, if anything.
///
/// A name matches `[a-z0-9][a-z0-9_.-]*` and has at most [`MAX_LEN`]
/// characters: safe in URL path segments, metric labels, log fields and
/// gRPC service names, without escaping.
///
/// ```
/// assert_eq!(health_names::problem("redis.cache-1"), None);
/// assert_eq!(health_names::problem("Redis"), Some("it must start with a lowercase ASCII letter or a digit"));
/// ```
pub const fn problem(name: &str) -> Option<&'static str> {
    let bytes = name.as_bytes();
    if bytes.is_empty() {
        return Some("it is empty");
    }
    if !(bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit()) {
        return Some("it must start with a lowercase ASCII letter or a digit");
    }
    if bytes.len() > MAX_LEN {
        return Some("it is longer than 63 characters");
    }
    let mut i = 1;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'.' | b'-')) {
            return Some("it may contain only lowercase ASCII letters, digits, `_`, `.` and `-`");
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn the_rule() {
        let long = "a".repeat(64);
        let max = "a".repeat(63);
        for ok in ["db", "0", "redis.cache-1_a", max.as_str()] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "Db",
            "_db",
            "-",
            ".",
            "db!",
            "d b",
            "é",
            "dB",
            long.as_str(),
        ] {
            assert!(problem(bad).is_some(), "{bad}");
        }
    }
}
