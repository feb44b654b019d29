use health::{Heartbeat, health_task};

#[health_task(stal_after = "30s")]
async fn consumer(heartbeat: Heartbeat) {
    heartbeat.tick();
}

fn main() {}
