use health::health_check;
use std::rc::Rc;

#[health_check]
async fn database() {
    let connection = Rc::new(());
    std::future::ready(()).await;
    drop(connection);
}

fn main() {}
