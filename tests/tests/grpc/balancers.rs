//! Balancers that read gRPC status codes (AWS ALB): with
//! `not_serving_as_error`, `Check` answers `NOT_SERVING` as that error;
//! `Watch` and `List` keep the protocol's answers.

use crate::checks::{Set, Switch, builder, up};
use crate::grpc_support::{BOUND, serve};
use health::Probe;
use health::tonic::HealthServer;
use health::tonic::proto::ServingStatus::{NotServing, Serving};
use tonic::Code;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_serving_as_error_in_check() {
    let db = Switch::new(Set::Down);
    let registry = builder()
        .check(db.check("db"))
        .check(up("heap").with_probes(Probe::Liveness))
        .build()
        .unwrap();
    let health = HealthServer::builder(registry.clone())
        .not_serving_as_error(Code::Unavailable)
        .build()
        .unwrap();
    let server = serve(health).await;
    let mut client = server.client().await;

    // NOT_SERVING: the error, for "" (ALB's request names no service)
    // and readiness; nothing but the status word in its message.
    for service in ["", "readiness"] {
        let error = client.check(service).await.unwrap_err();
        assert_eq!(
            (error.code(), error.message()),
            (Code::Unavailable, "NOT_SERVING"),
            "{service:?}"
        );
    }
    // SERVING stays OK; an unknown name stays NOT_FOUND.
    assert_eq!(client.status("liveness").await, Serving);
    let error = client.check("nope").await.unwrap_err();
    assert_eq!(error.code(), Code::NotFound);

    // Watch and List keep the protocol's answers.
    let mut watch = client.watch("").await;
    assert_eq!(watch.expect(BOUND).await, NotServing);
    let list = client.list().await.unwrap();
    assert_eq!(list.get(""), Some(&NotServing));
    assert_eq!(list.get("liveness"), Some(&Serving));

    // Recovered: OK with SERVING.
    db.set(Set::Up);
    assert_eq!(client.status("").await, Serving);

    // Draining: the error at once, liveness still SERVING.
    registry.begin_drain();
    let error = client.check("").await.unwrap_err();
    assert_eq!(error.code(), Code::Unavailable);
    assert_eq!(client.status("liveness").await, Serving);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_serving_is_ok_by_default() {
    let registry = builder()
        .check(Switch::new(Set::Down).check("db"))
        .build()
        .unwrap();
    let server = serve(HealthServer::new(registry).unwrap()).await;
    let mut client = server.client().await;
    assert_eq!(client.check("").await.unwrap(), NotServing);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_serving_as_ok_is_refused() {
    let registry = builder().build().unwrap();
    let error = HealthServer::builder(registry)
        .not_serving_as_error(Code::Ok)
        .build()
        .unwrap_err();
    assert_eq!(error.problems(), [health::tonic::Problem::NotServingAsOk]);
}
