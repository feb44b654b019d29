use health::health_check;

#[health_check(probe = "liveness", probes = ["readiness"])]
async fn database() {}

fn main() {}
