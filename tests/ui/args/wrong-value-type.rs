use health::health_check;

#[health_check(critical = "yes")]
async fn database() {}

fn main() {}
