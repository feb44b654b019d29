use health::health_task;

#[health_task(timeout = "1s")]
async fn consumer() {}

fn main() {}
