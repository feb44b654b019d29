use health::health_task;

#[health_task(stall_after = "30s")]
async fn consumer(ticks: u64) {
    let _ = ticks;
}

fn main() {}
