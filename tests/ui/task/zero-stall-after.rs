use health::{Heartbeat, health_task};

#[health_task(stall_after = "0s")]
async fn consumer(heartbeat: Heartbeat) {
    heartbeat.tick();
}

fn main() {}
