//! [`Jitter`]: how the background runs of `interval` checks are spread,
//! so that the checks of one process, and of a fleet restarted at once,
//! do not all ask their dependencies at the same instant; and the small
//! generator behind it (and behind task backoffs).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How the background runs of `interval` checks are spread
/// ([`RegistryBuilder::jitter`](crate::RegistryBuilder::jitter); default
/// [`Jitter::DEFAULT`]).
///
/// Each wait between two runs is the period shortened by up to `fraction`
/// of it, at random: never longer than declared, so the staleness bounds
/// and the probe settings derived from the period hold, and the checks'
/// phases drift apart. The first run is delayed by up to `initial`
/// (default none: readiness waits for a critical check's first result),
/// as Envoy's `interval_jitter_percent` and `initial_jitter`. Under a
/// [`seed`](Self::seeded) every check's sequence of waits is the same on
/// every run of the program, for tests.
///
/// ```
/// use health_core::Jitter;
/// use std::time::Duration;
/// let jitter = Jitter::fraction(0.2).with_initial(Duration::from_secs(1)).seeded(7);
/// let waits: Vec<Duration> = jitter.waits("db", Duration::from_secs(10)).take(3).collect();
/// assert!(waits.iter().all(|w| *w > Duration::from_secs(8) && *w <= Duration::from_secs(10)));
/// assert_eq!(waits, jitter.waits("db", Duration::from_secs(10)).take(3).collect::<Vec<_>>());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Jitter {
    fraction: f64,
    initial: Duration,
    seed: Option<u64>,
}

impl Jitter {
    /// Up to 10 % off each period; the first run at once.
    pub const DEFAULT: Jitter = Jitter {
        fraction: 0.1,
        initial: Duration::ZERO,
        seed: None,
    };

    /// No jitter: every check runs at once, then every period exactly.
    pub const NONE: Jitter = Jitter {
        fraction: 0.0,
        initial: Duration::ZERO,
        seed: None,
    };

    /// Up to `fraction` of each period taken off at random (clamped to
    /// 0 to 0.5).
    pub fn fraction(fraction: f64) -> Self {
        let fraction = if fraction.is_nan() {
            0.0
        } else {
            fraction.clamp(0.0, 0.5)
        };
        Self {
            fraction,
            ..Self::DEFAULT
        }
    }

    /// The first run of each check delayed by up to `initial`, at random.
    pub const fn with_initial(mut self, initial: Duration) -> Self {
        self.initial = initial;
        self
    }

    /// The same waits on every run of the program, for tests.
    pub const fn seeded(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// The fraction of each period taken off at most.
    pub fn max_fraction(&self) -> f64 {
        self.fraction
    }

    /// The longest delay of a first run.
    pub fn initial(&self) -> Duration {
        self.initial
    }

    /// The waits between the background runs of the check named `check`
    /// at `period`, after its first run: what its task sleeps (start to
    /// start).
    pub fn waits(&self, check: &str, period: Duration) -> impl Iterator<Item = Duration> + use<> {
        let mut schedule = self.schedule(check);
        // The first run's delay comes first from the same generator.
        let _ = schedule.first();
        std::iter::repeat_with(move || schedule.next(period))
    }

    /// The schedule of one check's background runs.
    pub(crate) fn schedule(&self, check: &str) -> Schedule {
        let seed = match self.seed {
            Some(seed) => seed ^ fnv1a(check),
            None => Rng::entropy(),
        };
        Schedule {
            jitter: *self,
            rng: Rng(seed),
        }
    }
}

impl Default for Jitter {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// One check's background runs: the first delay, then each wait.
#[derive(Debug)]
pub(crate) struct Schedule {
    jitter: Jitter,
    rng: Rng,
}

impl Schedule {
    /// How long to wait before the first run.
    pub(crate) fn first(&mut self) -> Duration {
        self.jitter.initial.mul_f64(self.rng.fraction())
    }

    /// How long the next period lasts.
    pub(crate) fn next(&mut self, period: Duration) -> Duration {
        period.mul_f64(1.0 - self.jitter.fraction * self.rng.fraction())
    }
}

/// splitmix64: a fast generator with a good spread from any seed. For
/// jitter, never for anything secret.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator seeded from the clock and a process-wide counter.
    pub(crate) fn new() -> Self {
        Self(Self::entropy())
    }

    fn entropy() -> u64 {
        static COUNTER: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ u64::from(nanos)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    }

    /// A fraction in [0, 1).
    pub(crate) fn fraction(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// FNV-1a of a check's name: its own stream under a shared seed.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_stay_within_the_period_and_spread() {
        let period = Duration::from_secs(10);
        let jitter = Jitter::DEFAULT.seeded(1);
        let waits: Vec<Duration> = jitter.waits("db", period).take(1000).collect();
        assert!(
            waits
                .iter()
                .all(|w| *w >= period.mul_f64(0.9) && *w <= period)
        );
        let shortest = waits.iter().min().copied().unwrap_or_default();
        let longest = waits.iter().max().copied().unwrap_or_default();
        assert!(
            longest - shortest > Duration::from_millis(900),
            "{shortest:?}..{longest:?}"
        );
        // Two checks under one seed: two streams.
        let other: Vec<Duration> = jitter.waits("cache", period).take(1000).collect();
        assert_ne!(waits, other);
    }

    #[test]
    fn none_is_exact_and_the_first_run_waits_only_when_asked() {
        let period = Duration::from_secs(3);
        assert!(
            Jitter::NONE
                .waits("db", period)
                .take(5)
                .all(|w| w == period)
        );
        let mut schedule = Jitter::DEFAULT.schedule("db");
        assert_eq!(schedule.first(), Duration::ZERO);
        let mut schedule = Jitter::NONE
            .with_initial(Duration::from_secs(2))
            .seeded(3)
            .schedule("db");
        let first = schedule.first();
        assert!(
            first > Duration::ZERO && first < Duration::from_secs(2),
            "{first:?}"
        );
        assert_eq!(Jitter::fraction(f64::NAN).max_fraction(), 0.0);
        assert_eq!(Jitter::fraction(3.0).max_fraction(), 0.5);
    }
}
