use health::health_check;

#[health_check]
async fn database<'a, T: Default>(_pool: &'a Pool) {}

pub struct Pool;

fn main() {}
