use health::health_check;

// Every mistake is reported in the same build.
#[health_check(
    timout = "200ms",
    critical = "yes",
    probe = "ready",
    interval = "500ms",
    tags = ["DB"],
    cache = "5 s",
)]
async fn database() {}

fn main() {}
