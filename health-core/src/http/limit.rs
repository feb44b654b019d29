//! Per-endpoint token buckets (governor).

use super::RateLimit;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::time::Duration;

pub(crate) struct Limiter(DefaultDirectRateLimiter);

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Self(RateLimiter::direct(
            Quota::per_second(limit.per_second).allow_burst(limit.burst),
        ))
    }

    /// `Err(wait)` when the bucket is empty: how long until a token is due.
    pub(crate) fn check(&self) -> Result<(), Duration> {
        self.0
            .check()
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}
