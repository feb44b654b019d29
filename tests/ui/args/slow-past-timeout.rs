use health::health_check;

// A run past the timeout is DOWN, not slow.
#[health_check(timeout = "200ms", slow = "300ms")]
async fn search() {}

// Below it, fine.
#[health_check(timeout = "200ms", slow = "150ms")]
async fn fast_search() {}

fn main() {}
