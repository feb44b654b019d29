use health::health_check;

// A success threshold counts runs too: without `cache` or `interval`,
// pollers in a row would reach it at once.
#[health_check(success_threshold = 3)]
async fn partner_api() {}

// With either, it is fine.
#[health_check(success_threshold = 3, cache = "5s")]
async fn cached_partner_api() {}

#[health_check(success_threshold = 3, interval = "10s", failing_interval = "2s")]
async fn polled_partner_api() {}

fn main() {}
