use health::health_task;

#[health_task(restart = "on-failure")]
async fn consumer() {}

fn main() {}
