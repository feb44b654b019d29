use health::health_check;

#[health_check(critical)]
async fn database() {}

fn main() {}
