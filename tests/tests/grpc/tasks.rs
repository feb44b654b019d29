//! A supervised task over gRPC: an open `Watch` of readiness turns
//! NOT_SERVING when the task panics, without a probe asking.

use crate::checks::builder;
use crate::grpc_support::{BOUND, serve};
use health::Check;
use health::task::Restart;
use health::tonic::HealthServer;
use health::tonic::proto::ServingStatus::{NotServing, Serving};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_that_panics_turns_an_open_watch_not_serving() {
    let (check, supervisor) = Check::task("worker", Duration::from_secs(30));
    let registry = builder().check(check).build().unwrap();
    let server = serve(HealthServer::new(registry.clone()).unwrap()).await;
    let mut client = server.client().await;
    let (go, make) = health_tests::tasks::panics_when_told();
    supervisor.spawn(&registry, Restart::Never, make);
    let mut watch = client.watch("readiness").await;
    let mut first = watch.expect(BOUND).await;
    if first != Serving {
        first = watch.expect(BOUND).await;
    }
    assert_eq!(first, Serving);
    let _ = go.send(());
    assert_eq!(watch.expect(BOUND).await, NotServing);
    assert_eq!(client.status("").await, NotServing);
}
