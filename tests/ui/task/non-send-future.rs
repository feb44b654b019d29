use health::health_task;
use std::rc::Rc;

#[health_task]
async fn consumer() {
    let offset = Rc::new(0);
    std::future::ready(()).await;
    drop(offset);
}

fn main() {}
