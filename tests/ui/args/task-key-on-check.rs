use health::health_check;

#[health_check(stall_after = "30s", restart = "always")]
async fn database() {}

fn main() {}
