use health::health_check;

#[health_check]
fn disk_space() -> Result<u64, std::io::Error> {
    Ok(42)
}

fn main() {}
