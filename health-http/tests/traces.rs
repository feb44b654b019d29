//! What the contract leaves in the traces: a `health_request` span for a
//! failing answer, at once or once its checks answered, and nothing for a
//! healthy one. Every test with a subscriber of its own.

#![allow(clippy::unwrap_used)]

use health_core::{Check, Registry};
use health_http::{Endpoints, Method, Request, Resource};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tracing_subscriber::fmt::format::FmtSpan;

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

/// The `health_request` spans `requests` leave, one line each as they
/// close, with their fields (check executions' spans left out).
fn spans(endpoints: &Endpoints, requests: &[(Resource, Method, &str)]) -> Vec<String> {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_span_events(FmtSpan::CLOSE)
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    tracing::subscriber::with_default(subscriber, || {
        for &(resource, method, path) in requests {
            runtime.block_on(endpoints.handle(resource, &Request::new(method, path)));
        }
    });
    let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    text.lines()
        .filter(|line| line.contains("health_request"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_failing_answer_leaves_a_span_and_a_healthy_one_none() {
    let up = Arc::new(AtomicBool::new(true));
    let flag = Arc::clone(&up);
    // Run on every probe: each answer is a `Later`.
    let registry = Registry::builder()
        .without_declared()
        .check(Check::new("db", move || {
            let up = flag.load(Ordering::SeqCst);
            async move { up }
        }))
        .build()
        .unwrap();
    let endpoints = Endpoints::new(registry.clone()).unwrap();
    let ready = (Resource::Readiness, Method::Get, "/ready");

    assert_eq!(
        spans(
            &endpoints,
            &[ready, (Resource::Liveness, Method::Head, "/health")]
        ),
        Vec::<String>::new()
    );

    up.store(false, Ordering::SeqCst);
    let down = spans(&endpoints, &[ready]);
    assert_eq!(down.len(), 1, "{down:?}");
    for field in [
        "otel.kind=\"server\"",
        "otel.status_code=\"ERROR\"",
        "http.request.method=\"GET\"",
        "http.route=\"/ready\"",
        "http.response.status_code=503",
    ] {
        assert!(down[0].contains(field), "{field} in {}", down[0]);
    }

    // Answered at once (the lifecycle needs no check): the same span.
    up.store(true, Ordering::SeqCst);
    registry.set_maintenance("upgrade", std::time::Duration::from_secs(60));
    let maintenance = spans(&endpoints, &[ready]);
    assert_eq!(maintenance.len(), 1, "{maintenance:?}");
    assert!(maintenance[0].contains("http.response.status_code=503"));

    // A refusal is a failure too, but the caller's: no ERROR status.
    let refused = spans(
        &endpoints,
        &[(Resource::Readiness, Method::Other, "/ready")],
    );
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(refused[0].contains("http.request.method=\"_OTHER\""));
    assert!(refused[0].contains("http.response.status_code=405"));
    assert!(!refused[0].contains("otel.status_code"), "{}", refused[0]);
}

#[test]
fn is_probe_is_the_drains_rule_and_follows_a_prefix() {
    let registry = Registry::builder().without_declared().build().unwrap();
    let endpoints = Endpoints::builder(registry)
        .paths(health_http::Paths::default().prefix("/ops"))
        .build()
        .unwrap();
    for path in [
        "/ops/ready",
        "/ops/health",
        "/ops/health/db",
        "/ops/health/ui",
    ] {
        assert!(endpoints.is_probe(path), "{path}");
    }
    for path in [
        "/ready",
        "/ops/ready/",
        "/ops//ready",
        "/ops/health/a/b",
        "/",
    ] {
        assert!(!endpoints.is_probe(path), "{path}");
    }
}
