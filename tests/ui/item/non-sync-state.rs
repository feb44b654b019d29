use health::health_check;
use std::cell::Cell;

pub struct Counter<T>(Cell<T>);

#[health_check]
fn counter(counter: &Counter<u64>) -> bool {
    counter.0.get() < 10
}

fn main() {}
