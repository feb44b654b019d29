use health::health_task;

#[health_task]
async fn consumer() -> u64 {
    0
}

fn main() {}
