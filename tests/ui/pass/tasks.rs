//! Declared tasks compile with every argument, with and without a
//! heartbeat, returning `()` or `Result<(), E: Display>`, under strict
//! lints (a renamed crate: `renamed-crate.rs`; shadowed std names:
//! `shadowed-prelude.rs`).
#![forbid(unsafe_code)]
#![deny(
    warnings,
    missing_docs,
    unreachable_pub,
    unused,
    unused_qualifications,
    unused_results,
    rust_2018_idioms,
    single_use_lifetimes
)]

/// A queue.
pub struct Queue;

/// The state.
pub struct Client<'a>(pub &'a str);

/// A consumer with every argument.
#[health::health_task(
    name = "orders.consumer",
    critical = false,
    probes = ["liveness", "readiness"],
    tags = ["queue"],
    stall_after = "30s",
    restart = "always",
    backoff = "50ms",
    backoff_max = "1m",
)]
pub async fn consumer(
    queue: &Queue,
    heartbeat: health::Heartbeat,
    client: &Client<'_>,
) -> Result<(), std::io::Error> {
    let _ = (queue, client);
    heartbeat.tick();
    Ok(())
}

/// Never restarted, no heartbeat.
#[health::health_task(restart = "never")]
pub async fn migrate() {}

/// The defaults.
#[health::health_task]
pub async fn sweeper(queue: &Queue) -> Result<(), String> {
    let _ = queue;
    Err("the outbox is gone".to_owned())
}

fn main() {}
