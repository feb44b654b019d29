use health::health_check;

#[health_check(timeout = "2s", interval = "2s")]
fn disk_space() -> bool {
    true
}

fn main() {}
