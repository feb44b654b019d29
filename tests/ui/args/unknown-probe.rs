use health::health_check;

#[health_check(probe = "ready")]
async fn database() {}

fn main() {}
