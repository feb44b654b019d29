use health::health_check;

#[health_check(cache_failure = "1s")]
async fn database() {}

fn main() {}
