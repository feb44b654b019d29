use health::health_check;

#[health_check(name = "Primary Database")]
async fn database() {}

fn main() {}
