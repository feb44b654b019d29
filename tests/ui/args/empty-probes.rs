use health::health_check;

#[health_check(probes = [])]
async fn database() {}

fn main() {}
