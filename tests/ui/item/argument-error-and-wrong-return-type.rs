use health::health_check;

// An argument error does not hide the function's type errors: the check
// is still expanded (with the default timeout in place of the bad one),
// so its return type is checked in the same build.
#[health_check(timeout = "5 s")]
async fn queue_depth() -> u64 {
    0
}

fn main() {}
