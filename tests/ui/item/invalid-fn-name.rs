use health::health_check;

#[health_check]
async fn _legacy_database() {}

fn main() {}
