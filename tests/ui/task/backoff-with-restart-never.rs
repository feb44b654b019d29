use health::health_task;

#[health_task(restart = "never", backoff = "1s")]
async fn consumer() {}

fn main() {}
