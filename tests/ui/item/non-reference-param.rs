use health::health_check;

pub struct Pool;

#[health_check]
async fn database(_pool: Pool) {}

fn main() {}
