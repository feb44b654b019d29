use health::{Heartbeat, health_task};

#[health_task(restart = "always")]
async fn consumer(heartbeat: Heartbeat) {
    heartbeat.tick();
}

fn main() {}
