//! `grpc://` against a real grpc.health.v1 server (tonic-health).

#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::{bind_ipv6, closed_port, probe, silent_listener};
use tokio::net::TcpListener;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;
use tonic_health::ServingStatus;
use tonic_health::server::HealthReporter;

/// A health server on `listener`; the reporter sets the statuses (`""`
/// starts as SERVING).
fn serve(listener: TcpListener) -> HealthReporter {
    let (reporter, service) = tonic_health::server::health_reporter();
    tokio::spawn(
        Server::builder()
            .add_service(service)
            .serve_with_incoming(TcpIncoming::from(listener)),
    );
    reporter
}

async fn health_server() -> (SocketAddr, HealthReporter) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    (address, serve(listener))
}

#[tokio::test]
async fn serving_is_0() {
    let (address, reporter) = health_server().await;
    let url = format!("grpc://{address}");
    probe(&[&url]).await.expect(0).silent();

    reporter
        .set_service_status("probe.Test", ServingStatus::Serving)
        .await;
    probe(&[&url, "--service", "probe.Test"])
        .await
        .expect(0)
        .silent();
}

#[tokio::test]
async fn not_serving_is_4() {
    let (address, reporter) = health_server().await;
    let url = format!("grpc://{address}");
    reporter
        .set_service_status("", ServingStatus::NotServing)
        .await;
    probe(&[&url])
        .await
        .expect(4)
        .says("reports the server as NOT_SERVING: not serving");

    reporter
        .set_service_status("probe.Test", ServingStatus::Unknown)
        .await;
    probe(&[&url, "--service=probe.Test"])
        .await
        .expect(4)
        .says("reports service \"probe.Test\" as UNKNOWN");
}

#[tokio::test]
async fn unknown_service_is_not_found_3() {
    let (address, _reporter) = health_server().await;
    probe(&[&format!("grpc://{address}"), "--service", "no.Such"])
        .await
        .expect(3)
        .says("does not know service \"no.Such\": NOT_FOUND");
}

#[tokio::test]
async fn server_without_health_service_is_unimplemented_3() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(
        Server::builder()
            .add_routes(tonic::service::Routes::default())
            .serve_with_incoming(TcpIncoming::from(listener)),
    );
    probe(&[&format!("grpc://{address}")])
        .await
        .expect(3)
        .says("does not implement grpc.health.v1.Health: UNIMPLEMENTED");
}

#[tokio::test]
async fn verbose_prints_the_status() {
    let (address, reporter) = health_server().await;
    let url = format!("grpc://{address}");
    let run = probe(&["-v", &url]).await;
    run.expect(0);
    assert_eq!(run.stdout, "status: SERVING\n");
    assert!(run.stderr.is_empty(), "{run:#?}");

    reporter
        .set_service_status("", ServingStatus::NotServing)
        .await;
    let run = probe(&[&url, "--verbose"]).await;
    run.expect(4).says("NOT_SERVING");
    assert_eq!(run.stdout, "status: NOT_SERVING\n");
}

#[tokio::test]
async fn closed_port_is_2() {
    let address = closed_port().await;
    probe(&[&format!("grpc://{address}")])
        .await
        .expect(2)
        .says(&format!(
            "cannot connect to {address}: connection refused (is the server listening?)"
        ));
}

/// The timeout ends the probe (exit 3, naming it); no sooner than it, and
/// well before the harness's own bound on a run.
#[tokio::test]
async fn silent_listener_times_out_with_3() {
    let address = silent_listener().await;
    let run = probe(&[&format!("grpc://{address}"), "--timeout", "300ms"]).await;
    run.expect(3).says("within 300ms");
    assert!(run.elapsed >= Duration::from_millis(300), "{run:?}");
}

#[tokio::test]
async fn http1_server_is_a_failed_rpc_3() {
    // A listener that answers like an HTTP/1.1 server and hangs up.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buffer = [0u8; 1024];
            let _ = stream.read(&mut buffer).await;
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n")
                .await;
        }
    });
    probe(&[&format!("grpc://{address}")])
        .await
        .expect(3)
        .says("health RPC to grpc://");
}

/// `localhost` comes from /etc/hosts: no DNS query leaves the machine.
#[tokio::test]
async fn host_names_are_resolved() {
    let (address, _reporter) = health_server().await;
    probe(&[&format!("grpc://localhost:{}", address.port())])
        .await
        .expect(0)
        .silent();
}

#[tokio::test]
async fn ipv6_loopback() {
    let Some(listener) = bind_ipv6("tests/grpc.rs ipv6_loopback").await else {
        return;
    };
    let port = listener.local_addr().unwrap().port();
    let reporter = serve(listener);
    let url = format!("grpc://[::1]:{port}");
    probe(&[&url]).await.expect(0).silent();
    reporter
        .set_service_status("", ServingStatus::NotServing)
        .await;
    probe(&[&url])
        .await
        .expect(4)
        .says(&format!("grpc://[::1]:{port} reports"));
}
