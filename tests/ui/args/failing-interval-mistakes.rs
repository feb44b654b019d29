use health::health_check;

// Without `interval`.
#[health_check(failing_interval = "2s")]
async fn no_interval() {}

// Not faster than the interval.
#[health_check(interval = "10s", failing_interval = "10s")]
async fn not_faster() {}

// Within the timeout.
#[health_check(interval = "10s", timeout = "2s", failing_interval = "1s")]
async fn within_timeout() {}

fn main() {}
