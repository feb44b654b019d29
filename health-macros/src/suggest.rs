//! "Did you mean" hints: the closest known word, and a valid check name.

/// The candidate closest to `unknown` by edit distance (typos, a missing or
/// transposed letter), else one that contains it (`threshold` →
/// `failure_threshold`), else one that starts like it (`ready` →
/// `readiness`); `None` when nothing is close.
pub(crate) fn closest<'a>(unknown: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let unknown_lower = unknown.to_ascii_lowercase();
    let closest = candidates
        .iter()
        .map(|c| (edit_distance(&unknown_lower, c), *c))
        .filter(|(distance, c)| *distance <= (unknown.len().min(c.len()) / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c);
    if closest.is_some() || unknown.len() < 4 {
        return closest;
    }
    let shared_prefix = |c: &str| {
        c.bytes()
            .zip(unknown_lower.bytes())
            .take_while(|(a, b)| a == b)
            .count()
    };
    candidates
        .iter()
        .copied()
        .find(|c| c.contains(&*unknown_lower))
        .or_else(|| {
            candidates
                .iter()
                .copied()
                .filter(|c| shared_prefix(c) >= 4)
                .max_by_key(|c| shared_prefix(c))
        })
}

/// A valid check name close to `name` (a function's name that is not
/// one): lowercased, other characters made `_`, leading separators dropped,
/// cut to the longest name.
pub(crate) fn check_name(name: &str) -> String {
    let mut suggestion: String = name
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    suggestion = suggestion.trim_start_matches(['_', '.', '-']).to_owned();
    suggestion.truncate(health_names::MAX_LEN);
    if suggestion.is_empty() {
        "my_check".to_owned()
    } else {
        suggestion
    }
}

/// Optimal string alignment distance: insertions, deletions, substitutions
/// and transpositions of adjacent characters each cost 1.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::{check_name, closest, edit_distance};

    #[test]
    fn did_you_mean() {
        // The attribute's keys (`key.rs` checks that it offers them all).
        let keys = &[
            "name",
            "timeout",
            "critical",
            "probe",
            "probes",
            "tags",
            "cache",
            "cache_failure",
            "interval",
            "failure_threshold",
            "crate",
        ][..];
        assert_eq!(closest("timout", keys), Some("timeout"));
        assert_eq!(closest("tiemout", keys), Some("timeout"));
        assert_eq!(closest("Timeout", keys), Some("timeout"));
        assert_eq!(closest("tag", keys), Some("tags"));
        assert_eq!(closest("krate", keys), Some("crate"));
        assert_eq!(closest("intervall", keys), Some("interval"));
        assert_eq!(closest("failure_treshold", keys), Some("failure_threshold"));
        assert_eq!(closest("threshold", keys), Some("failure_threshold"));
        assert_eq!(closest("critcal", keys), Some("critical"));
        assert_eq!(closest("colour", keys), None);
        assert_eq!(closest("inter", keys), Some("interval"));
        assert_eq!(closest("x", keys), None);
        let probes = ["liveness", "readiness", "startup"];
        assert_eq!(closest("ready", &probes), Some("readiness"));
        assert_eq!(closest("live", &probes), Some("liveness"));
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn check_names() {
        assert_eq!(check_name("Database"), "database");
        assert_eq!(check_name("__x"), "x");
        assert_eq!(check_name("café"), "caf_");
        assert_eq!(check_name("___"), "my_check");
        assert_eq!(check_name(&"a".repeat(70)).len(), health_names::MAX_LEN);
        for name in ["Database", "__x", "café", "___", &"A".repeat(70)] {
            assert_eq!(health_names::problem(&check_name(name)), None, "{name}");
        }
    }
}
