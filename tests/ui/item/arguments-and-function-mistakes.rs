use health::health_check;

pub struct Pool;

// Mistakes in the attribute and in the function are reported together.
#[health_check(timeout = "2min")]
async fn database<T>(_pool: Pool, _cache: &mut T) {}

fn main() {}
