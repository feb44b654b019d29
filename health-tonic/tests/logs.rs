//! What the server logs when it is built: a check slower than the probe
//! timeout. Alone in its test binary, every test with a subscriber of its
//! own: tracing caches per-callsite interest globally.

#![allow(clippy::unwrap_used)]

use health_core::{Check, Probe, Registry};
use health_tonic::HealthServer;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A `MakeWriter` into a shared buffer.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs `test` with a subscriber writing WARN and above into the buffer
/// it returns.
fn logged(test: impl FnOnce()) -> String {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::WARN)
        .finish();
    tracing::subscriber::with_default(subscriber, test);
    String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap()
}

#[test]
fn a_check_slower_than_the_probe_timeout_is_named_at_start() {
    let build = |probe_timeout: Duration| {
        let registry = Registry::builder()
            .without_declared()
            .check(
                Check::new("migrations", || async { true })
                    .with_probes(Probe::Startup)
                    .with_timeout(Duration::from_secs(2)),
            )
            // Never waited for: refreshed in the background.
            .check(
                Check::new("search", || async { true })
                    .with_timeout(Duration::from_secs(8))
                    .with_interval(Duration::from_secs(10)),
            )
            .build()
            .unwrap();
        HealthServer::builder(registry)
            .probe_timeout(probe_timeout)
            .build()
            .unwrap()
    };
    let log = logged(|| drop(build(Duration::from_secs(1))));
    assert_eq!(
        log.matches("cannot finish within the probe timeout")
            .count(),
        1,
        "{log}"
    );
    assert!(
        log.contains("probe=startup check=migrations check_timeout=2s probe_timeout=1s"),
        "{log}"
    );
    assert!(!log.contains("search"), "{log}");
    let log = logged(|| drop(build(Duration::from_secs(2))));
    assert!(log.is_empty(), "{log}");
}
