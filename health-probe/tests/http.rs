//! `http://` against a real HTTP server (axum).

#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::routing::get;
use common::{bind_ipv6, closed_port, probe, silent_listener, skip};
use tokio::net::TcpListener;

fn app() -> Router {
    Router::new()
        .route("/ready", get(|| async { (StatusCode::OK, "all good") }))
        .route(
            "/down",
            get(|| async {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "database: connection refused\n",
                )
            }),
        )
        .route("/empty", get(|| async { StatusCode::NO_CONTENT }))
        .route(
            "/hostile",
            get(|| async {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "db down\x1b[2J\x1b]0;pwned\x07\r\nsecond\u{202e}line\u{9b}\n",
                )
            }),
        )
        .route(
            "/moved",
            get(|| async { (StatusCode::FOUND, [(LOCATION, "/ready")], "") }),
        )
        .route(
            "/query",
            get(|uri: axum::http::Uri| async move {
                match uri.query() {
                    Some("a=1&b=2") => (StatusCode::OK, "query seen"),
                    _ => (StatusCode::BAD_REQUEST, "query lost"),
                }
            }),
        )
}

fn serve(listener: TcpListener) {
    tokio::spawn(async move { axum::serve(listener, app()).await });
}

async fn http_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    serve(listener);
    address
}

#[tokio::test]
async fn ok_is_0() {
    let address = http_server().await;
    probe(&[&format!("http://{address}/ready")])
        .await
        .expect(0)
        .silent();
    probe(&[&format!("http://{address}/empty")])
        .await
        .expect(0)
        .silent();
    probe(&[&format!("http://{address}/query?a=1&b=2")])
        .await
        .expect(0)
        .silent();
}

#[tokio::test]
async fn service_unavailable_is_4() {
    let address = http_server().await;
    probe(&[&format!("http://{address}/down")])
        .await
        .expect(4)
        .says(&format!(
            "http://{address}/down answered 503 Service Unavailable: not serving"
        ));
    probe(&[&format!("http://{address}/nowhere")])
        .await
        .expect(4)
        .says("answered 404 Not Found");
}

#[tokio::test]
async fn redirect_is_not_followed_4() {
    let address = http_server().await;
    probe(&[&format!("http://{address}/moved")])
        .await
        .expect(4)
        .says("answered 302 Found, a redirect to /ready: redirects are not followed");
}

#[tokio::test]
async fn verbose_prints_status_line_and_body() {
    let address = http_server().await;
    let run = probe(&["-v", &format!("http://{address}/down")]).await;
    run.expect(4).says("503");
    assert_eq!(
        run.stdout,
        "HTTP/1.1 503 Service Unavailable\ndatabase: connection refused\n"
    );

    let run = probe(&[&format!("http://{address}/ready"), "--verbose"]).await;
    run.expect(0);
    assert_eq!(run.stdout, "HTTP/1.1 200 OK\nall good\n");
    assert!(run.stderr.is_empty(), "{run:#?}");

    let run = probe(&["-v", &format!("http://{address}/empty")]).await;
    run.expect(0);
    assert_eq!(run.stdout, "HTTP/1.1 204 No Content\n");
}

/// A server's body may hold escape sequences (clear the screen, retitle
/// the window) and bidi overrides: `-v` prints it with every one of them
/// replaced by a space, its lines kept.
#[tokio::test]
async fn verbose_strips_control_characters_from_the_body() {
    let address = http_server().await;
    let run = probe(&["-v", &format!("http://{address}/hostile")]).await;
    run.expect(4).says("503");
    assert_eq!(
        run.stdout,
        "HTTP/1.1 503 Service Unavailable\ndb down [2J ]0;pwned \nsecond line \n"
    );
    assert!(
        !run.stdout.chars().any(|c| c.is_control() && c != '\n'),
        "{run:#?}"
    );
}

#[tokio::test]
async fn closed_port_is_2() {
    let address = closed_port().await;
    probe(&[&format!("http://{address}/ready")])
        .await
        .expect(2)
        .says(&format!(
            "cannot connect to {address}: connection refused (is the server listening?)"
        ));
}

/// The timeout ends the probe (exit 3, naming it), no sooner than it.
#[tokio::test]
async fn silent_listener_times_out_with_3() {
    let address = silent_listener().await;
    let run = probe(&["--timeout", "300ms", &format!("http://{address}/ready")]).await;
    run.expect(3).says(&format!(
        "no answer from http://{address}/ready within 300ms"
    ));
    assert!(run.elapsed >= Duration::from_millis(300), "{run:?}");
}

#[tokio::test]
async fn garbage_answer_is_3() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buffer = [0u8; 1024];
            let _ = stream.read(&mut buffer).await;
            let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.2\r\n").await;
        }
    });
    probe(&[&format!("http://{address}/")])
        .await
        .expect(3)
        .says(&format!("request to http://{address}/ failed: invalid HTTP version parsed (is it an HTTP/1.1 server? For TLS, use https://.)"));
}

/// `localhost` comes from /etc/hosts: no DNS query leaves the machine.
#[tokio::test]
async fn host_names_are_resolved() {
    let address = http_server().await;
    probe(&[&format!("http://localhost:{}/ready", address.port())])
        .await
        .expect(0)
        .silent();
}

#[tokio::test]
async fn ipv6_loopback() {
    let Some(listener) = bind_ipv6("tests/http.rs ipv6_loopback").await else {
        return;
    };
    let port = listener.local_addr().unwrap().port();
    serve(listener);
    probe(&[&format!("http://[::1]:{port}/ready")])
        .await
        .expect(0)
        .silent();
    probe(&[&format!("http://[::1]:{port}/down")])
        .await
        .expect(4)
        .says(&format!("http://[::1]:{port}/down answered 503"));
}

/// A listener whose accept queue is full: the kernel drops further SYNs,
/// so connecting hangs until --connect-timeout.
#[tokio::test]
async fn connect_timeout_is_2() {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let address = listener.local_addr().unwrap();
    // Fill the queue: connect until one connection does not complete. A
    // loopback connect that completes does so at once; 5 s of waiting
    // tells a full queue from a slow machine.
    let mut held = Vec::new();
    let mut full = false;
    for _ in 0..16 {
        let connect = tokio::net::TcpStream::connect(address);
        match tokio::time::timeout(Duration::from_secs(5), connect).await {
            Ok(stream) => held.push(stream.unwrap()),
            Err(_) => {
                full = true;
                break;
            }
        }
    }
    if !full {
        skip(
            "tests/http.rs connect_timeout_is_2",
            "the kernel kept accepting connections on a full queue",
        );
        return;
    }
    let run = probe(&[
        "--connect-timeout",
        "300ms",
        "--timeout",
        "5s",
        &format!("http://{address}/ready"),
    ])
    .await;
    // The connect timeout, not --timeout (5 s), ended it: exit 2, naming it.
    run.expect(2).says(&format!(
        "cannot connect to {address}: timed out after 300ms"
    ));
    drop(listener);
}
