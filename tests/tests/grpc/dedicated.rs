//! The gRPC health service on a port, thread and runtime of its own
//! (`health::tower::ProbeListener::serve_http2`): answered while every
//! worker of the application's runtime is blocked.

use crate::checks::builder;
use crate::grpc_support::Client;
use health::tonic::HealthServer;
use health::tonic::proto::ServingStatus;
use health::{Check, Probe};
use std::sync::mpsc;
use std::time::Duration;

#[test]
fn a_dedicated_grpc_listener_answers_while_the_application_is_blocked() {
    let app = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let health = app.block_on(async {
        let registry = builder()
            .check(Check::inline("alive", || true).with_probes(Probe::Liveness))
            .check(Check::new("db", || async {}))
            .build()
            .unwrap();
        HealthServer::new(registry).unwrap()
    });
    let probes = health::tower::ProbeListener::bind("127.0.0.1:0")
        .unwrap()
        .serve_http2(health)
        .unwrap();
    // Block the application's only worker.
    let (blocked_tx, blocked_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    app.spawn(async move {
        let _ = blocked_tx.send(());
        let _ = release_rx.recv_timeout(Duration::from_secs(60));
    });
    blocked_rx.recv_timeout(Duration::from_secs(30)).unwrap();
    let client_runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    client_runtime.block_on(async {
        let mut client = Client::connect(probes.local_addr()).await;
        // Liveness: an inline check, answered on the listener's runtime.
        assert_eq!(client.status("liveness").await, ServingStatus::Serving);
        // Readiness: its check cannot run on the blocked runtime; answered
        // by the caller's deadline all the same, NOT_SERVING before a
        // first result.
        let mut request = tonic::Request::new(tonic_health::pb::HealthCheckRequest {
            service: String::new(),
        });
        request.set_timeout(Duration::from_millis(500));
        let status = client
            .raw()
            .check(request)
            .await
            .unwrap()
            .into_inner()
            .status;
        assert_eq!(status, ServingStatus::NotServing as i32);
    });
    drop(release_tx);
    drop(probes);
}
