use health::health_check;

#[health_check(probes = ["liveness", "readiness", "liveness"])]
async fn database() {}

fn main() {}
