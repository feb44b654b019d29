use health::health_check;

// In a compound duration the units go largest first, each once.
#[health_check(interval = "30s1m")]
fn disk_space() -> bool {
    true
}

fn main() {}
