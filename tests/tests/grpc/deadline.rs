//! `Check` and `List` answer by the caller's deadline (its `grpc-timeout`,
//! else the server's probe timeout), never DEADLINE_EXCEEDED for a check
//! that is still running: it answers its latest result, NOT_SERVING before
//! its first.

use crate::checks::{builder, hanging};
use crate::grpc_support::serve;
use health::tonic::HealthServer;
use health::tonic::proto::ServingStatus;
use std::time::Duration;
use tonic_health::pb::HealthCheckRequest;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_check_is_answered_by_the_callers_deadline() {
    let registry = builder().check(hanging("db")).build().unwrap();
    let health = HealthServer::builder(registry)
        .components(true)
        .probe_timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let server = serve(health).await;
    let mut client = server.client().await;
    let mut raw = client.raw();
    for service in ["", "db"] {
        let mut request = tonic::Request::new(HealthCheckRequest {
            service: service.to_owned(),
        });
        request.set_timeout(Duration::from_millis(300));
        let response = raw.check(request).await;
        let status = response
            .unwrap_or_else(|e| panic!("{service:?}: answered, not {e:?}"))
            .into_inner()
            .status;
        assert_eq!(status, ServingStatus::NotServing as i32, "{service:?}");
    }
    let listed = client
        .list_within(Duration::from_millis(300))
        .await
        .expect("List answered");
    assert_eq!(listed["db"], ServingStatus::NotServing);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_grpc_timeout_the_probe_timeout_holds() {
    let registry = builder().check(hanging("db")).build().unwrap();
    let health = HealthServer::builder(registry)
        .probe_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let server = serve(health).await;
    let mut raw = server.client().await.raw();
    // No set_timeout: no grpc-timeout header. The test's own bound is far
    // longer than the probe timeout, and shorter than the check's.
    let response = tokio::time::timeout(
        Duration::from_secs(30),
        raw.check(HealthCheckRequest {
            service: String::new(),
        }),
    )
    .await
    .expect("answered within the probe timeout, not the check's")
    .expect("an answer");
    assert_eq!(
        response.into_inner().status,
        ServingStatus::NotServing as i32
    );
}

#[test]
fn a_zero_probe_timeout_is_refused() {
    let registry = builder().build().unwrap();
    let error = HealthServer::builder(registry)
        .probe_timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    assert!(
        matches!(error.problems(), [health::tonic::Problem::ZeroProbeTimeout]),
        "{error}"
    );
}
