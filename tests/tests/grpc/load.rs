//! Under load and against slow or hanging checks.

use crate::checks::{Set, Switch, builder, hanging};
use crate::grpc_support::serve;
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
    let server = serve(HealthServer::new(registry).unwrap()).await;
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
        let started = Instant::now();
        let answers = futures_util::future::join_all(calls).await;
        let elapsed = started.elapsed();
        assert!(answers.into_iter().all(|a| a.unwrap() == Serving));
        assert_eq!(
            db.runs() - before,
            1,
            "round {round}: one execution for 100 calls"
        );
        // One run's time, not a hundred.
        assert!(
            elapsed < Duration::from_secs(3),
            "round {round}: {elapsed:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_check_answers_within_its_timeout() {
    let timeout = Duration::from_millis(200);
    let registry = builder()
        .check(hanging("db").with_timeout(timeout))
        .build()
        .unwrap();
    let server = serve(HealthServer::new(registry).unwrap()).await;
    let mut client = server.client().await;
    for service in ["db", "", "readiness"] {
        let started = Instant::now();
        assert_eq!(client.status(service).await, NotServing, "{service:?}");
        let elapsed = started.elapsed();
        assert!(elapsed >= timeout, "{service:?}: {elapsed:?}");
        assert!(
            elapsed < timeout + Duration::from_secs(1),
            "{service:?}: {elapsed:?}"
        );
    }
    // Liveness has no such check: at once.
    let started = Instant::now();
    assert_eq!(client.status("liveness").await, Serving);
    assert!(started.elapsed() < timeout);
}
