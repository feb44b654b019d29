use health::health_check;

// `cache_failure = "0s"` reuses no failed result: while the check fails,
// every poller runs it again, so a threshold would count pollers, not time.
#[health_check(failure_threshold = 3, cache = "10s", cache_failure = "0s")]
async fn partner_api() {}

// A failure TTL above zero paces the failed runs; without a threshold,
// never reusing a failure is fine.
#[health_check(failure_threshold = 3, cache = "10s", cache_failure = "1s")]
async fn paced_partner_api() {}

#[health_check(cache = "10s", cache_failure = "0s")]
async fn fresh_failures() {}

fn main() {}
