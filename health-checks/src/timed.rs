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
    ms(started.elapsed())
}

/// `d` in milliseconds, rounded to the microsecond: `1.165712`, never
/// `1.1657119999999999` in a body.
pub(crate) fn ms(d: std::time::Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    #[test]
    fn milliseconds_print_as_short_as_they_read() {
        let lag = Duration::from_nanos(1_165_712_345);
        assert_eq!(super::ms(lag).to_string(), "1165.712");
        assert_eq!(
            super::ms(Duration::from_nanos(1_165_712)).to_string(),
            "1.166"
        );
        assert_eq!(super::ms(Duration::ZERO).to_string(), "0");
    }
}
