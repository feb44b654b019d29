use health::health_check;
use std::cell::Cell;

pub struct Counter(Cell<u64>);

#[health_check]
async fn counter(counter: &Counter) -> bool {
    counter.0.get() < 10
}

fn main() {}
