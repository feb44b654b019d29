use health::health_check;

#[health_check(crate = "my health")]
async fn database() {}

fn main() {}
