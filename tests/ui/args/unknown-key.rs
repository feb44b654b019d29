use health::health_check;

#[health_check(timout = "200ms")]
async fn database() {}

fn main() {}
