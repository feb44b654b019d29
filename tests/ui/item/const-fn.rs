use health::health_check;

#[health_check]
const fn database() {}

fn main() {}
