use health::health_task;

#[health_task]
fn sweeper() {}

fn main() {}
