//! `https://` and `grpcs://` (feature `tls`) against real servers with a
//! self-signed certificate made by rcgen.

#![cfg(feature = "tls")]
#![allow(clippy::unwrap_used)]

mod common;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use common::probe;
use http_body_util::Full;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tonic_health::ServingStatus;
use tonic_health::server::HealthReporter;

/// A self-signed certificate for `localhost` and 127.0.0.1, and the PEM
/// file a probe can trust it with.
struct Identity {
    certificate: CertificateDer<'static>,
    key: PrivatePkcs8KeyDer<'static>,
    pem_path: String,
}

fn identity(name: &str) -> Identity {
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let pem_path = format!("{}/{name}-ca.pem", env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(&pem_path, certified.cert.pem()).unwrap();
    Identity {
        certificate: certified.cert.der().clone(),
        key: PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der()),
        pem_path,
    }
}

fn acceptor(identity: &Identity, alpn: &[u8]) -> TlsAcceptor {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![identity.certificate.clone()],
            PrivateKeyDer::Pkcs8(identity.key.clone_key()),
        )
        .unwrap();
    config.alpn_protocols = vec![alpn.to_vec()];
    TlsAcceptor::from(Arc::new(config))
}

/// An HTTPS server answering 200 `tls ok` to everything.
async fn https_server(identity: &Identity) -> SocketAddr {
    let acceptor = acceptor(identity, b"http/1.1");
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let service = hyper::service::service_fn(|_request| async {
                    Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::from("tls ok"))))
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    address
}

/// A gRPC health server over TLS (HTTP/2, ALPN h2).
async fn grpcs_server(identity: &Identity) -> (SocketAddr, HealthReporter) {
    let acceptor = acceptor(identity, b"h2");
    let (reporter, health) = tonic_health::server::health_reporter();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let health = health.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let service = hyper_util::service::TowerToHyperService::new(health);
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .http2_only()
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    (address, reporter)
}

#[tokio::test]
async fn https_with_its_ca_is_0() {
    let identity = identity("https-ca");
    let address = https_server(&identity).await;
    let run = probe(&[
        "-v",
        "--tls-ca-cert",
        &identity.pem_path,
        &format!("https://{address}/health"),
    ])
    .await;
    run.expect(0);
    assert_eq!(run.stdout, "HTTP/1.1 200 OK\ntls ok\n");
    // The certificate names localhost too.
    probe(&[
        "--tls-ca-cert",
        &identity.pem_path,
        &format!("https://localhost:{}/health", address.port()),
    ])
    .await
    .expect(0)
    .silent();
}

#[tokio::test]
async fn https_untrusted_is_2() {
    let identity = identity("https-untrusted");
    let address = https_server(&identity).await;
    probe(&[&format!("https://{address}/")])
        .await
        .expect(2)
        .says(&format!(
            "TLS handshake with {address} failed: invalid peer certificate: UnknownIssuer \
             (trust its CA with --tls-ca-cert FILE"
        ));
    probe(&[
        "--tls-ca-cert",
        &identity.pem_path,
        "--tls-server-name",
        "other.example",
        &format!("https://{address}/"),
    ])
    .await
    .expect(2)
    .says("certificate not valid for name");
}

#[tokio::test]
async fn https_no_verify_is_0() {
    let identity = identity("https-no-verify");
    let address = https_server(&identity).await;
    probe(&["--tls-no-verify", &format!("https://{address}/")])
        .await
        .expect(0)
        .silent();
}

#[tokio::test]
async fn grpcs_with_its_ca() {
    let identity = identity("grpcs");
    let (address, reporter) = grpcs_server(&identity).await;
    let url = format!("grpcs://{address}");
    let run = probe(&["-v", "--tls-ca-cert", &identity.pem_path, &url]).await;
    run.expect(0);
    assert_eq!(run.stdout, "status: SERVING\n");
    reporter
        .set_service_status("", ServingStatus::NotServing)
        .await;
    probe(&["--tls-ca-cert", &identity.pem_path, &url])
        .await
        .expect(4)
        .says("NOT_SERVING");
}

#[tokio::test]
async fn tls_to_a_plaintext_port_is_2() {
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
    probe(&["--tls-no-verify", &format!("https://{address}/")])
        .await
        .expect(2)
        .says("(is it a TLS port?)");
}

#[tokio::test]
async fn unreadable_ca_file_is_1() {
    probe(&[
        "--tls-ca-cert",
        "/nonexistent/ca.pem",
        "https://127.0.0.1:1/",
    ])
    .await
    .expect(1)
    .says("cannot read --tls-ca-cert \"/nonexistent/ca.pem\"");
    let empty = format!("{}/empty.pem", env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(&empty, "not a certificate\n").unwrap();
    probe(&["--tls-ca-cert", &empty, "https://127.0.0.1:1/"])
        .await
        .expect(1)
        .says("no CERTIFICATE block in it");
}
