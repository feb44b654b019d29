use health::health_check;

#[health_check]
async fn database(_pool: &impl Send) {}

fn main() {}
