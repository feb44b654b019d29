use health::health_check;

// `cache` and `cache_failure` too are at most a year.
#[health_check(cache = "9000h", cache_failure = "8760.5h")]
async fn search_cluster() {}

fn main() {}
