use health::health_check;

pub struct Pool;

#[health_check]
async fn database(_pool: &mut Pool) {}

fn main() {}
