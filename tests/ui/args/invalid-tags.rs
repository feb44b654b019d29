use health::health_check;

#[health_check(tags = ["db", "Primary", "db"])]
async fn database() {}

fn main() {}
