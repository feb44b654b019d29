use health_core::{Check, Observed, Outcome};
use std::borrow::Cow;
use std::path::PathBuf;

/// Free space on the file system holding `path`: DOWN below
/// `min_free_bytes`. Reports the free bytes. Runs on the blocking pool.
///
/// ```
/// let check = health_checks::disk("scratch", std::env::temp_dir(), 1 << 30);
/// assert_eq!(check.name(), "scratch");
/// ```
#[track_caller]
pub fn disk(
    name: impl Into<Cow<'static, str>>,
    path: impl Into<PathBuf>,
    min_free_bytes: u64,
) -> Check {
    let path = path.into();
    Check::blocking(name, move || free_space(&path, min_free_bytes))
}

fn free_space(path: &std::path::Path, min: u64) -> Outcome {
    match fs4::available_space(path) {
        Err(e) => Outcome::down(format!("cannot read free space of {}: {e}", path.display())),
        Ok(free) => {
            let observed = Observed::new(free, "bytes");
            if free >= min {
                Outcome::up().with_observed(observed)
            } else {
                Outcome::down(format!(
                    "{} free on {}, below the minimum {}",
                    bytes(free),
                    path.display(),
                    bytes(min)
                ))
                .with_observed(observed)
            }
        }
    }
}

/// `1536` → `1.5 KiB`.
fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use health_core::Status;

    #[test]
    fn units() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(3 << 30), "3.0 GiB");
    }

    #[test]
    fn below_the_minimum_is_down_with_the_free_bytes() {
        let dir = std::env::temp_dir();
        let ok = free_space(&dir, 1);
        assert_eq!(ok.status(), Status::Up);
        let free = ok.observed().unwrap().value().as_u64().unwrap();
        let low = free_space(&dir, u64::MAX);
        assert_eq!(low.status(), Status::Down);
        assert!(
            low.message()
                .unwrap()
                .contains("below the minimum 16384.0 PiB"),
            "{:?}",
            low.message()
        );
        assert!(low.observed().unwrap().value().as_u64().unwrap() > 0);
        assert!(free > 0);
        let missing = free_space(std::path::Path::new("/no/such/path/here"), 1);
        assert_eq!(missing.status(), Status::Down);
    }
}
