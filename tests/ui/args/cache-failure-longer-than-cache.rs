use health::health_check;

#[health_check(cache = "5s", cache_failure = "10s")]
async fn database() {}

fn main() {}
