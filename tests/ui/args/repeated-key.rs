use health::health_check;

#[health_check(timeout = "200ms", critical = false, timeout = "1s")]
async fn database() {}

fn main() {}
