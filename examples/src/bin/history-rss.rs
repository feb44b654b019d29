//! Resident memory of a registry's history: a registry of N no-op checks
//! (default 1000), each run `ROUNDS` times (default 70, more than the
//! default history of 60, so every history is full), with the given
//! history length; prints the process's VmRSS before building, after
//! building and after the runs, in KiB.
//!
//! `cargo run --release -p health-examples --bin history-rss -- 60` and
//! `... -- 0` side by side (bench/history.sh does both, three times).

use health::{Check, Probe, Registry};

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn arg(index: usize, default: usize) -> usize {
    std::env::args()
        .nth(index)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let history = arg(1, 60);
    let checks = arg(2, 1000);
    let rounds = arg(3, 70);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let before = rss_kib();
    let registry = Registry::builder()
        .without_declared()
        .history_capacity(history)
        .checks((0..checks).map(|i| Check::new(format!("check_{i:04}"), || async { true })))
        .build()?;
    let built = rss_kib();
    runtime.block_on(async {
        for _ in 0..rounds {
            let _ = registry.verdict(Probe::Readiness).await;
        }
    });
    let ran = rss_kib();
    let kept: usize = registry.history().iter().map(|h| h.samples.len()).sum();
    println!(
        "history={history} checks={checks} rounds={rounds} samples={kept} rss_kib: before={before} built={built} after_runs={ran}"
    );
    Ok(())
}
