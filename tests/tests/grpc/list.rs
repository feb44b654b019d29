//! `List`: every known service with its status, and the limit of 100.

use crate::checks::{builder, down, up, with_components};
use crate::grpc_support::{BOUND, serve};
use health::tonic::HealthServer;
use health::tonic::proto::ServingStatus::{self, NotServing, Serving};
use health::{Check, Probe};
use std::collections::BTreeMap;
use tonic::Code;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_every_service() {
    let registry = builder()
        .check(up("db"))
        .check(down("cache"))
        .check(up("event_loop").with_probes(Probe::Liveness))
        .build()
        .unwrap();
    let server = serve(with_components(registry.clone())).await;
    let mut client = server.client().await;
    let expected: BTreeMap<String, ServingStatus> = [
        ("", NotServing),
        ("cache", NotServing),
        ("db", Serving),
        ("event_loop", Serving),
        ("liveness", Serving),
        ("readiness", NotServing),
        ("startup", Serving),
    ]
    .into_iter()
    .map(|(n, s)| (n.to_owned(), s))
    .collect();
    assert_eq!(client.list().await.unwrap(), expected);
    // The same as `Check` of each.
    for (service, status) in &expected {
        assert_eq!(client.status(service).await, *status, "{service:?}");
    }
    // The lifecycle shows in the list too.
    registry.begin_drain();
    let listed = client.list().await.unwrap();
    assert_eq!(listed[""], NotServing);
    assert_eq!(listed["liveness"], Serving);
    assert_eq!(listed["db"], Serving);
}

/// `""`, three probes and `n` checks as components: `n + 4` services.
fn with_checks(n: usize) -> HealthServer {
    let checks = (0..n).map(|i| Check::new(format!("check-{i:03}"), || async {}));
    let registry = builder().checks(checks).build().unwrap();
    with_components(registry)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_most_100_services() {
    let server = serve(with_checks(96)).await;
    let listed = server.client().await.list().await.unwrap();
    assert_eq!(listed.len(), 100);
    assert!(listed.values().all(|s| *s == Serving));

    let server = serve(with_checks(97)).await;
    let mut client = server.client().await;
    let error = client.list().await.unwrap_err();
    assert_eq!(error.code(), Code::ResourceExhausted);
    // "Too many", never how many: the count would tell an anonymous
    // caller how many checks there are.
    assert_eq!(
        error.message(),
        "too many services to list: ask for each with Check"
    );
    assert!(!error.message().contains("101"));
    // Check and Watch still answer every one of them.
    assert_eq!(client.status("check-096").await, Serving);
    let mut watch = client.watch("check-096").await;
    assert_eq!(watch.expect(BOUND).await, Serving);
}
