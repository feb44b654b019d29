use health::health_check;

#[health_check]
fn shards<const N: usize>() -> bool {
    N > 0
}

fn main() {}
