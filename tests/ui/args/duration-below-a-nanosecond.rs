use health::health_check;

#[health_check(timeout = "1.5ns")]
async fn database() {}

fn main() {}
