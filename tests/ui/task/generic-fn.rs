use health::health_task;

#[health_task]
async fn consumer<T>() {}

fn main() {}
