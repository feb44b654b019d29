//! Per-endpoint rate limits: a token bucket each.

use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A token-bucket limit on one endpoint: `per_second` requests on average,
/// up to `burst` at once.
///
/// ```
/// use health_http::RateLimit;
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

/// The bucket of one endpoint: `tokens` refill at `per_second` up to
/// `burst`. Twenty lines with a lock are all a health endpoint needs (a
/// crate like governor brings ten dependencies for lock-free buckets).
pub(crate) struct Bucket {
    limit: RateLimit,
    state: Mutex<(Instant, f64)>,
}

impl Bucket {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            state: Mutex::new((Instant::now(), f64::from(limit.burst.get()))),
        }
    }

    /// Takes a token; `Err(wait)` when the bucket is empty: how long until
    /// one is due.
    pub(crate) fn take(&self) -> Result<(), Duration> {
        let rate = f64::from(self.limit.per_second.get());
        let burst = f64::from(self.limit.burst.get());
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let (last, tokens) = &mut *state;
        let now = Instant::now();
        *tokens = (*tokens + now.saturating_duration_since(*last).as_secs_f64() * rate).min(burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / rate))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_rate() {
        let bucket = Bucket::new(RateLimit::per_second(2).unwrap().burst(3));
        for _ in 0..3 {
            assert_eq!(bucket.take(), Ok(()));
        }
        let wait = bucket.take().unwrap_err();
        assert!(
            !wait.is_zero() && wait <= Duration::from_millis(500),
            "{wait:?}"
        );
    }
}
