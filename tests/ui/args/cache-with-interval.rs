use health::health_check;

#[health_check(cache = "5s", interval = "30s")]
async fn database() {}

fn main() {}
