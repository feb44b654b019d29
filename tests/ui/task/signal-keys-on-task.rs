use health::health_task;

#[health_task(slow = "1s", success_threshold = 2)]
async fn consumer() {}

fn main() {}
