//! The probe binary, run as a process, against this workspace's own
//! servers: the axum and actix-web adapters (`health::axum::routes`,
//! `health::actix::configure`) and the gRPC service (`health::tonic`), all
//! serving one registry on 127.0.0.1. Exit codes: 0 serving, 4 not
//! serving, 2 closed port, 3 a listener that never answers, 1 bad
//! arguments.

#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::{closed_port, probe, silent_listener};
use health::tonic::HealthServer;
use health::{Check, Outcome, Probe, Registry};
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;

/// A registry whose `db` check the test switches, with a liveness check.
fn registry() -> (Arc<AtomicBool>, Registry) {
    let db_up = Arc::new(AtomicBool::new(true));
    let flag = Arc::clone(&db_up);
    let registry = Registry::builder()
        .without_declared()
        .check(Check::new("db", move || {
            let up = flag.load(Ordering::SeqCst);
            async move {
                if up {
                    Outcome::up()
                } else {
                    Outcome::down("connection refused")
                }
            }
        }))
        .check(Check::new("event_loop", || async {}).with_probes(Probe::Liveness))
        .build()
        .unwrap();
    (db_up, registry)
}

/// The endpoints with components disclosed: the probe asks `/health/db`.
fn open(registry: Registry) -> health::http::Endpoints {
    health::http::Endpoints::builder(registry)
        .disclosure(health::http::Disclosure::always())
        .build()
        .unwrap()
}

async fn serve_axum(registry: Registry) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let app = health::axum::routes(open(registry));
    tokio::spawn(async move { axum::serve(listener, app).await });
    address
}

/// actix-web on a thread of its own (its own `System`); it stops with the
/// test process.
fn serve_actix(registry: Registry) -> SocketAddr {
    let endpoints = open(registry);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = actix_web::HttpServer::new(move || {
                actix_web::App::new().configure(health::actix::configure(endpoints.clone()))
            })
            .workers(1)
            .disable_signals()
            .bind(("127.0.0.1", 0))
            .unwrap();
            tx.send(server.addrs()[0]).unwrap();
            server.run().await
        })
    });
    rx.recv_timeout(Duration::from_secs(10)).unwrap()
}

/// The gRPC service with components served (as the HTTP endpoints above
/// disclose them): the probe asks `--service db`.
async fn serve_grpc(registry: Registry) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let health = HealthServer::builder(registry)
        .components(true)
        .build()
        .unwrap();
    tokio::spawn(
        Server::builder()
            .add_service(health)
            .serve_with_incoming(TcpIncoming::from(listener)),
    );
    address
}

/// Serving, not serving, per probe and component, then a drain.
async fn exit_codes_follow_the_registry(
    db_up: &AtomicBool,
    registry: &Registry,
    urls: impl Fn(&str) -> String,
) {
    for (what, code) in [("liveness", 0), ("readiness", 0), ("db", 0), ("nope", 4)] {
        let url = urls(what);
        probe(&[&url]).await.expect(code);
    }
    db_up.store(false, Ordering::SeqCst);
    for (what, code) in [("liveness", 0), ("readiness", 4), ("db", 4)] {
        probe(&[&urls(what)]).await.expect(code);
    }
    db_up.store(true, Ordering::SeqCst);
    probe(&[&urls("readiness")]).await.expect(0);
    registry.begin_drain();
    probe(&[&urls("readiness")]).await.expect(4);
    probe(&[&urls("liveness")]).await.expect(0);
}

fn http_url(address: SocketAddr) -> impl Fn(&str) -> String {
    move |what| match what {
        "liveness" => format!("http://{address}/health"),
        "readiness" => format!("http://{address}/ready"),
        name => format!("http://{address}/health/{name}"),
    }
}

#[tokio::test]
async fn against_axum() {
    let (db_up, registry) = registry();
    let address = serve_axum(registry.clone()).await;
    probe(&["-v", &format!("http://{address}/ready")])
        .await
        .expect(0);
    exit_codes_follow_the_registry(&db_up, &registry, http_url(address)).await;
}

#[tokio::test]
async fn against_actix() {
    let (db_up, registry) = registry();
    let address = serve_actix(registry.clone());
    exit_codes_follow_the_registry(&db_up, &registry, http_url(address)).await;
}

#[tokio::test]
async fn against_grpc() {
    let (db_up, registry) = registry();
    let address = serve_grpc(registry.clone()).await;
    let url = format!("grpc://{address}");
    // "" is readiness.
    probe(&[&url]).await.expect(0).silent();
    let run = probe(&["-v", &url, "--service", "db"]).await;
    run.expect(0);
    assert_eq!(run.stdout, "status: SERVING\n");
    // An unknown service is NOT_FOUND: a failed RPC (3), as grpc_health_probe.
    probe(&[&url, "--service", "nope"])
        .await
        .expect(3)
        .says("does not know service \"nope\"");
    db_up.store(false, Ordering::SeqCst);
    for (service, code) in [("", 4), ("readiness", 4), ("db", 4), ("liveness", 0)] {
        probe(&[&url, "--service", service]).await.expect(code);
    }
    let run = probe(&["-v", &url]).await;
    run.expect(4).says("reports the server as NOT_SERVING");
    assert_eq!(run.stdout, "status: NOT_SERVING\n");
    db_up.store(true, Ordering::SeqCst);
    probe(&[&url, "--service", "readiness"]).await.expect(0);
    registry.begin_drain();
    for (service, code) in [("", 4), ("readiness", 4), ("db", 0), ("liveness", 0)] {
        probe(&[&url, "--service", service]).await.expect(code);
    }
}

#[tokio::test]
async fn closed_port_is_2() {
    let address = closed_port().await;
    for url in [
        format!("http://{address}/ready"),
        format!("grpc://{address}"),
    ] {
        probe(&[&url]).await.expect(2);
    }
}

#[tokio::test]
async fn a_listener_that_never_answers_is_3() {
    let address = silent_listener().await;
    for url in [
        format!("http://{address}/ready"),
        format!("grpc://{address}"),
    ] {
        let run = probe(&["--timeout", "300ms", &url]).await;
        run.expect(3).says("within 300ms");
    }
}

#[tokio::test]
async fn bad_arguments_are_1() {
    let (_, registry) = registry();
    let address = serve_grpc(registry).await;
    let url = format!("grpc://{address}");
    for args in [
        vec![url.as_str(), "--timeout", "soon"],
        vec![url.as_str(), "--service"],
        vec![url.as_str(), "--bogus"],
        vec!["grpc://127.0.0.1"],
        vec![],
    ] {
        probe(&args).await.expect(1);
    }
}
