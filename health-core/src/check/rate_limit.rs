//! How often a check may run: a token bucket per check.

use std::num::NonZeroU32;
use tokio::time::Instant;

/// How often each check may run: `per_second` runs on average, up to
/// `burst` at once, however many callers ask. Past it a caller is answered
/// from the check's latest result, with its true status; a check with no
/// result yet runs once (single flight) rather than refuse. So a flood of
/// probes bounds the load on dependencies and never changes what a probe
/// answers. Background runs of `interval` checks do not count.
///
/// ```
/// use health_core::RateLimit;
/// let limit = RateLimit::per_second(5).map(|l| l.burst(10));
/// assert!(limit.is_some());
/// assert!(RateLimit::per_second(0).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    per_second: NonZeroU32,
    burst: NonZeroU32,
}

impl RateLimit {
    /// `per_second` requests a second, with a burst of as many. `None` for
    /// zero.
    pub fn per_second(per_second: u32) -> Option<Self> {
        let per_second = NonZeroU32::new(per_second)?;
        Some(Self {
            per_second,
            burst: per_second,
        })
    }

    /// Sets the burst (at least 1).
    pub fn burst(mut self, burst: u32) -> Self {
        self.burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        self
    }
}

/// The bucket of one check: tokens refill at `per_second` up to `burst`.
/// Kept inside the check's slot, under the lock it takes anyway (a crate
/// like governor would bring ten dependencies for lock-free buckets).
#[derive(Debug)]
pub(crate) struct Tokens {
    limit: RateLimit,
    last: Instant,
    tokens: f64,
}

impl Tokens {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            last: Instant::now(),
            tokens: f64::from(limit.burst.get()),
        }
    }

    /// Takes a token at `now`; `false` when the bucket is empty.
    pub(crate) fn take(&mut self, now: Instant) -> bool {
        let rate = f64::from(self.limit.per_second.get());
        let burst = f64::from(self.limit.burst.get());
        let elapsed = now.saturating_duration_since(self.last);
        self.tokens = (self.tokens + elapsed.as_secs_f64() * rate).min(burst);
        self.last = self.last.max(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn a_burst_then_the_rate() {
        let mut bucket = Tokens::new(RateLimit::per_second(2).unwrap().burst(3));
        let now = Instant::now();
        assert!((0..3).all(|_| bucket.take(now)));
        assert!(!bucket.take(now));
        assert!(!bucket.take(now + Duration::from_millis(400)));
        assert!(bucket.take(now + Duration::from_millis(500)));
        assert!(!bucket.take(now + Duration::from_millis(500)));
        // A long pause refills to the burst, no more.
        let later = now + Duration::from_secs(60);
        assert!((0..3).all(|_| bucket.take(later)));
        assert!(!bucket.take(later));
    }
}
