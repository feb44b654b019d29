use health::health_check;

#[health_check]
struct Database;

fn main() {}
