use health::health_check;

#[health_check]
async fn database() -> String {
    String::from("up")
}

fn main() {}
