use health::health_check;

#[health_check(interval = "500ms")]
fn disk_space() -> bool {
    true
}

fn main() {}
