use health::health_check;

// `cache` and `cache_failure` too are at most a year.
#[health_check(cache = "8760.5h", cache_failure = "9000h")]
async fn search_cluster() {}

fn main() {}
