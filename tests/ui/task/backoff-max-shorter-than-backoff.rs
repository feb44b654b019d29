use health::health_task;

#[health_task(backoff = "2s", backoff_max = "500ms")]
async fn consumer() {}

fn main() {}
