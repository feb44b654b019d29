//! What the example's tests share.

use health::{Probe, Registry, Status};
use std::time::Duration;

/// Runs `probe` until it is UP, at most 100 times 20 ms apart; whether it
/// got there.
pub(crate) async fn until_up(registry: &Registry, probe: Probe) -> bool {
    // Bounded at ten seconds: a loaded machine (a parallel build) delays
    // background results and runtime probes.
    for _ in 0..500 {
        if registry.run(probe).await.status() == Status::Up {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}
