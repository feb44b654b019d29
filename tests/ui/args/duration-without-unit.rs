use health::health_check;

#[health_check(timeout = "200")]
async fn database() {}

fn main() {}
