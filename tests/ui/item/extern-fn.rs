use health::health_check;

#[health_check]
extern "C" fn database() {}

fn main() {}
