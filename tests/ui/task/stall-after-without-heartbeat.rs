use health::health_task;

pub struct Queue;

#[health_task(stall_after = "30s")]
async fn consumer(queue: &Queue) {
    let _ = queue;
}

fn main() {}
