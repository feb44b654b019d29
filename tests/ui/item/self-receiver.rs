use health::health_check;

pub struct Service;

impl Service {
    #[health_check]
    async fn database(&self) {}
}

fn main() {}
