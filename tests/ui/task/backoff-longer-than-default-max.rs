use health::health_task;

#[health_task(backoff = "1m")]
async fn consumer() {}

fn main() {}
