//! Shutdown with open watchers: the streams end cleanly and never hold the
//! graceful shutdown up past the drain delay.

use crate::checks::{builder, up, with_components};
use crate::grpc_support::{BOUND, Watch, serve_until};
use health::tonic::HealthServer;
use health::tonic::proto::ServingStatus::{NotServing, ServiceUnknown, Serving};
use std::time::Duration;
use tokio::time::Instant;

/// `registry.shutdown_signal()` as tonic's shutdown future, as the
/// examples do: draining begins, "" turns NOT_SERVING in every watch at
/// once, and drain delay later the watches end and the server stops. An
/// open `Watch` never ends by itself: without the service ending them the
/// server would never stop, so a generous bound proves it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_with_open_watchers_completes_within_the_drain_delay() {
    let drain_delay = Duration::from_millis(800);
    let registry = builder()
        .check(up("db"))
        .drain_delay(drain_delay)
        .build()
        .unwrap();
    let health = HealthServer::builder(registry.clone())
        .components(true)
        .build()
        .unwrap();
    let mut server = serve_until(health, registry.shutdown_signal()).await;
    let mut watches: Vec<Watch> = Vec::new();
    let mut clients = Vec::new();
    for _ in 0..4 {
        clients.push(server.client().await);
    }
    for i in 0..40 {
        let service = ["", "readiness", "liveness", "db", "unknown"][i % 5];
        let mut watch = clients[i % 4].watch(service).await;
        let first = watch.expect(BOUND).await;
        assert_eq!(
            first,
            if service == "unknown" {
                ServiceUnknown
            } else {
                Serving
            }
        );
        watches.push(watch);
    }

    let drained = Instant::now();
    registry.begin_drain();
    for watch in watches
        .iter_mut()
        .filter(|w| w.service.is_empty() || w.service == "readiness")
    {
        assert_eq!(watch.expect(BOUND).await, NotServing);
    }
    // Every stream ends cleanly (status OK) once the drain delay passed...
    for watch in &mut watches {
        watch.ends(drain_delay + BOUND).await;
    }
    // ...and the server stops; not before the drain delay.
    server.finished_within(drain_delay + BOUND).await;
    let total = drained.elapsed();
    assert!(total >= drain_delay, "{total:?}");
}

/// Another shutdown future, wrapped in `end_watches_on`: the watches end
/// when it resolves, whatever the registry's lifecycle.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_watches_on_any_shutdown_future() {
    let registry = builder().check(up("db")).build().unwrap();
    let health = with_components(registry);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let signal = health.end_watches_on(async {
        let _ = stopped.await;
    });
    let mut server = serve_until(health, signal).await;
    let mut client = server.client().await;
    let mut watches = Vec::new();
    for service in ["", "db", "liveness", "unknown"] {
        let mut watch = client.watch(service).await;
        watch.expect(BOUND).await;
        watches.push(watch);
    }
    stop.send(()).unwrap();
    for watch in &mut watches {
        watch.ends(BOUND).await;
    }
    server.finished_within(BOUND).await;
}
