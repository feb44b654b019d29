//! [`Restart`] and [`Backoff`]: when a supervised task is started again.

use crate::check::Rng;
use std::time::Duration;

/// When a supervised task is started again.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Restart {
    /// Never: an exit or a panic leaves the component DOWN.
    Never,
    /// After an `Err` or a panic, not after `Ok(())`.
    OnFailure(Backoff),
    /// After every exit.
    Always(Backoff),
}

/// The wait before restart `n` (from 1): `initial × 2^(n-1)`, at most
/// `max`, with up to `jitter` of it (a fraction, 0 to 1) taken off at
/// random so that replicas do not restart in step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The first wait.
    pub initial: Duration,
    /// The longest wait.
    pub max: Duration,
    /// The fraction of each wait taken off at random.
    pub jitter: f64,
}

/// The default [`Backoff::jitter`], also that of `#[health_task]`'s
/// backoffs.
pub(crate) const DEFAULT_JITTER: f64 = 0.2;

impl Default for Backoff {
    /// 100 ms, doubling to 30 s, with 20 % jitter.
    fn default() -> Self {
        Self {
            initial: Duration::from_millis(100),
            max: Duration::from_secs(30),
            jitter: DEFAULT_JITTER,
        }
    }
}

impl Backoff {
    /// The wait before restart `n` (from 1).
    pub fn wait(&self, n: u64) -> Duration {
        let doublings = u32::try_from(n.saturating_sub(1))
            .unwrap_or(u32::MAX)
            .min(30);
        let full = self.initial.saturating_mul(1 << doublings).min(self.max);
        let jitter = self.jitter.clamp(0.0, 1.0) * Rng::new().fraction();
        full.mul_f64(1.0 - jitter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_to_its_cap_with_jitter_taken_off() {
        let exact = Backoff {
            initial: Duration::from_millis(100),
            max: Duration::from_secs(1),
            jitter: 0.0,
        };
        let waits: Vec<u128> = (1..=6).map(|n| exact.wait(n).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 800, 1000, 1000]);
        let jittered = Backoff {
            jitter: 0.5,
            ..exact
        };
        for n in 1..=6 {
            let wait = jittered.wait(n);
            assert!(
                wait <= exact.wait(n) && wait >= exact.wait(n) / 2,
                "{n}: {wait:?}"
            );
        }
        assert_eq!(exact.wait(u64::MAX), Duration::from_secs(1));
    }
}
