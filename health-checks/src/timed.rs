use health_core::{Observed, Outcome};
use std::fmt::Display;
use std::future::Future;
use tokio::time::Instant;

/// Runs `op`; UP with its latency in milliseconds, or DOWN with its error
/// (the registry removes credentials from every message).
pub(crate) async fn latency<T, E: Display>(op: impl Future<Output = Result<T, E>>) -> Outcome {
    let started = Instant::now();
    match op.await {
        Ok(_) => Outcome::up().with_observed(Observed::new(elapsed_ms(started), "ms")),
        // The registry redacts every message; an error text with a
        // credential never leaves the check either way.
        Err(e) => Outcome::down(e.to_string()),
    }
}

pub(crate) fn elapsed_ms(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1e6).round() / 1e3
}
