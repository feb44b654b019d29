//! Under load and against slow or hanging checks. No clock decides these
//! tests: single flight is the run count, a timeout is a status, and "does
//! not wait" is an answer given while a check hangs for an hour.

use crate::checks::{Set, Switch, builder, hanging, with_components};
use crate::grpc_support::{BOUND, eventually, serve};
use health::tonic::HealthServer;
use health::tonic::proto::ServingStatus::{NotServing, Serving};
use std::time::Duration;
use tokio::time::Instant;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_checks_run_a_slow_check_once() {
    let db = Switch::new(Set::Up);
    let registry = builder()
        .check(db.slow_check("db", Duration::from_millis(500)))
        .build()
        .unwrap();
    let server = serve(with_components(registry)).await;
    // Over one connection and over ten.
    let mut clients = Vec::new();
    for _ in 0..10 {
        clients.push(server.client().await);
    }
    for (round, services) in [["db", "db"], ["", "readiness"]].into_iter().enumerate() {
        let before = db.runs();
        let calls = (0..100).map(|i| {
            let mut client = clients[if round == 0 { 0 } else { i % 10 }].clone();
            let service = services[i % 2];
            tokio::spawn(async move { client.status(service).await })
        });
        let answers = futures_util::future::join_all(calls).await;
        assert!(answers.into_iter().all(|a| a.unwrap() == Serving));
        assert_eq!(
            db.runs() - before,
            1,
            "round {round}: one execution for 100 calls"
        );
    }
}

/// A hanging check is NOT_SERVING once its timeout passed (not sooner),
/// well within the client's bound on the RPC (which fails the test).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_check_answers_when_its_timeout_passes() {
    let timeout = Duration::from_millis(200);
    let registry = builder()
        .check(hanging("db").with_timeout(timeout))
        .build()
        .unwrap();
    let server = serve(with_components(registry)).await;
    let mut client = server.client().await;
    for service in ["db", "", "readiness"] {
        let started = Instant::now();
        assert_eq!(client.status(service).await, NotServing, "{service:?}");
        let elapsed = started.elapsed();
        assert!(elapsed >= timeout, "{service:?}: {elapsed:?}");
    }
}

/// Liveness has no readiness check to wait for: it answers while a
/// readiness `Check` waits on a check that hangs for an hour.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn liveness_never_waits_for_a_hanging_readiness_check() {
    let db = Switch::new(Set::Up);
    let hour = Duration::from_secs(3600);
    let registry = builder()
        .check(db.slow_check("db", 2 * hour).with_timeout(hour))
        .build()
        .unwrap();
    let server = serve(HealthServer::new(registry).unwrap()).await;
    let mut waiting = server.client().await;
    let readiness = tokio::spawn(async move { waiting.check("readiness").await });
    eventually(BOUND, "the readiness Check runs db", || db.runs() == 1).await;
    let mut client = server.client().await;
    assert_eq!(client.status("liveness").await, Serving);
    assert!(
        !readiness.is_finished(),
        "the readiness Check is still waiting"
    );
    readiness.abort();
}
