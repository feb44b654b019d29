//! A TTL check over gRPC: readiness NOT_SERVING once the heartbeat is
//! silent past its TTL, in `Check` and in an open `Watch`; SERVING again
//! at the next touch.

use crate::checks::builder;
use crate::grpc_support::{BOUND, serve};
use health::Check;
use health::tonic::HealthServer;
use health::tonic::proto::ServingStatus::{NotServing, Serving};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_heartbeat_turns_readiness_not_serving() {
    let (check, heartbeat) = Check::ttl("consumer", Duration::from_millis(300));
    let registry = builder().check(check).build().unwrap();
    let server = serve(HealthServer::new(registry).unwrap()).await;
    let mut client = server.client().await;
    heartbeat.tick();
    let mut watch = client.watch("readiness").await;
    assert_eq!(watch.expect(BOUND).await, Serving);

    // Silent past the TTL: the open Watch hears of it without a probe.
    assert_eq!(watch.expect(BOUND).await, NotServing);
    assert_eq!(client.status("").await, NotServing);

    heartbeat.tick();
    assert_eq!(watch.expect(BOUND).await, Serving);
    assert_eq!(client.status("").await, Serving);
}
