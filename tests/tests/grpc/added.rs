//! Checks added at run time over gRPC: `Check`, `List` and open `Watch`
//! streams (of the probe, and of the component's own name, opened before
//! the check existed) follow the check in and out; a probe's service name
//! is reserved against a check added later.

use crate::checks::{builder, down, up, with_components};
use crate::grpc_support::{BOUND, serve};
use health::Problem;
use health::tonic::proto::ServingStatus::{NotServing, ServiceUnknown, Serving};
use tonic::Code;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_added_check_joins_list_and_open_watches_and_leaves_with_its_guard() {
    let registry = builder().check(up("db")).build().unwrap();
    let server = serve(with_components(registry.clone())).await;
    let mut client = server.client().await;
    let mut readiness = client.watch("readiness").await;
    assert_eq!(readiness.expect(BOUND).await, Serving);
    // Watched before it exists: unknown, and the stream stays open.
    let mut tenant = client.watch("tenant-7.db").await;
    assert_eq!(tenant.expect(BOUND).await, ServiceUnknown);
    let code = client.check("tenant-7.db").await.unwrap_err().code();
    assert_eq!(code, Code::NotFound);
    assert!(!client.list().await.unwrap().contains_key("tenant-7.db"));

    let guard = registry.add(down("tenant-7.db")).unwrap();
    assert_eq!(tenant.expect(BOUND).await, NotServing);
    assert_eq!(readiness.expect(BOUND).await, NotServing);
    assert_eq!(client.status("tenant-7.db").await, NotServing);
    let listed = client.list().await.unwrap();
    assert_eq!(listed.get("tenant-7.db"), Some(&NotServing), "{listed:?}");
    assert_eq!(listed.get(""), Some(&NotServing), "{listed:?}");

    drop(guard);
    assert_eq!(tenant.expect(BOUND).await, ServiceUnknown);
    assert_eq!(readiness.expect(BOUND).await, Serving);
    let code = client.check("tenant-7.db").await.unwrap_err().code();
    assert_eq!(code, Code::NotFound);
    assert!(!client.list().await.unwrap().contains_key("tenant-7.db"));
    assert!(!server.health.services().contains(&"tenant-7.db".to_owned()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_probe_service_name_is_reserved_against_added_checks() {
    let registry = builder().check(up("db")).build().unwrap();
    let _server = serve(with_components(registry.clone())).await;
    let refused = registry.add(up("liveness")).unwrap_err();
    assert!(
        matches!(refused.problems(), [Problem::ReservedName { name, .. }] if name == "liveness"),
        "{refused}"
    );
    assert!(refused.to_string().contains("gRPC"), "{refused}");
}
