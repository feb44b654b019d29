use health::health_check;

// A threshold counts runs: without `cache` or `interval`, every poller
// runs the check, so the count does not measure time.
#[health_check(failure_threshold = 3)]
async fn partner_api() {}

// With either, it is fine.
#[health_check(failure_threshold = 3, cache = "5s")]
async fn cached_partner_api() {}

#[health_check(failure_threshold = 3, interval = "10s")]
async fn polled_partner_api() {}

fn main() {}
