use health::health_check;

#[health_check]
unsafe fn database() {}

fn main() {}
