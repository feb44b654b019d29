use health::health_check;

#[health_check(timeout = "200msec")]
async fn database() {}

fn main() {}
