use health::{Heartbeat, health_task};

pub struct Queue;

#[health_task(stall_after = "30s")]
async fn consumer(heartbeat: Heartbeat, queue: Queue) {
    let _ = (heartbeat, queue);
}

fn main() {}
