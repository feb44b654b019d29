//! A service with declared checks and no HTTP server: it prints its
//! readiness report every few seconds and drains on Ctrl-C / SIGTERM.
//! Needs no external server.
//!
//! `cargo run -p health-examples --bin console`

use health::report::{Render, Visibility};
use health::{Detail, Outcome, Probe, Registry, health_check};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The application's own state: a handle to an embedded store, cheap to
/// clone like a connection pool, shared by the app and its checks.
#[derive(Clone, Default)]
struct Store(Arc<StoreInner>);

#[derive(Default)]
struct StoreInner {
    migrated: AtomicBool,
    pings: AtomicU64,
}

impl Store {
    async fn ping(&self) -> Result<(), std::io::Error> {
        tokio::time::sleep(Duration::from_millis(3)).await;
        self.0.pings.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    async fn migrate(&self) {
        tokio::time::sleep(Duration::from_millis(200)).await;
        self.0.migrated.store(true, Ordering::Release);
    }
}

/// Critical readiness check: DOWN here makes the service not ready.
#[health_check(timeout = "200ms", tags = ["db"])]
async fn store(store: &Store) -> Result<(), std::io::Error> {
    store.ping().await
}

/// Startup check: passes once migrations ran; then latched.
#[health_check(probe = "startup")]
fn migrations(store: &Store) -> bool {
    store.0.migrated.load(Ordering::Acquire)
}

/// Liveness: only the process itself.
#[health_check(probe = "liveness", timeout = "50ms")]
async fn runtime() {}

/// Non-critical, cached: DOWN only degrades the service.
#[health_check(timeout = "500ms", critical = false, cache = "10s", tags = ["external"])]
async fn recommendations() -> Outcome {
    Outcome::degraded("recommendations upstream not configured")
}

/// A blocking check, refreshed in the background.
#[health_check(interval = "30s", timeout = "2s")]
fn scratch_disk() -> Result<Detail, std::io::Error> {
    let started = Instant::now();
    let path = std::env::temp_dir().join(format!("health-example-{}", std::process::id()));
    std::fs::write(&path, b"probe")?;
    std::fs::remove_file(&path)?;
    Ok(Detail::new(started.elapsed().as_secs_f64() * 1e3, "ms"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let store = Store::default();
    let registry = Registry::builder()
        .state(store.clone())
        .version(env!("CARGO_PKG_VERSION"))
        .drain_delay(Duration::from_secs(2))
        .build()?;
    let shutdown = registry.shutdown_signal();
    tokio::pin!(shutdown);

    println!("startup: {}", registry.check(Probe::Startup).await.status());
    store.migrate().await;
    println!("startup: {}", registry.check(Probe::Startup).await.status());

    loop {
        let report = registry.check(Probe::Readiness).await;
        let render = Render { visibility: Visibility::Full, version: registry.version(), uptime: Some(registry.uptime()) };
        println!("{}", String::from_utf8_lossy(&report.to_json(&render)));
        tokio::select! {
            () = &mut shutdown => break,
            () = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
    }
    println!("drained; bye");
    Ok(())
}
