use health::{Heartbeat, health_task};

// Every mistake is reported in the same build, the function's with the
// arguments'.
#[health_task(
    interval = "30s",
    restart = "sometimes",
    backoff = "5",
    failure_threshold = 3,
)]
fn consumer(heartbeat: Heartbeat, offset: u64) {
    let _ = (heartbeat, offset);
}

fn main() {}
