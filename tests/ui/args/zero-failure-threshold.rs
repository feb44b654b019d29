use health::health_check;

#[health_check(failure_threshold = 0)]
async fn database() {}

fn main() {}
