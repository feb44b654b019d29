use super::*;
use axum::http::StatusCode;
use health::checks::HttpCheck;
use health_tests::servers::silent_listener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const TIMEOUT: Duration = Duration::from_millis(400);

/// A local upstream answering `/ok` 200 and `/fail` 500.
async fn upstream() -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    let app = axum::Router::new()
        .route("/ok", axum::routing::get(|| async { "fine" }))
        .route(
            "/fail",
            axum::routing::get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "broken") }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    (
        addr,
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() }),
    )
}

fn check(url: &str) -> Check {
    HttpCheck::new(reqwest::Client::new(), url)
        .unwrap()
        .into_check("upstream")
        .with_timeout(TIMEOUT)
}

#[tokio::test]
async fn two_hundred_is_up_five_hundred_is_down() {
    let (addr, server) = upstream().await;
    let (c, _) = run(&registry(check(&format!("http://{addr}/ok")))).await;
    assert_up_with_latency(&c);
    let (c, _) = run(&registry(check(&format!("http://{addr}/fail")))).await;
    assert_eq!(c.status(), Status::Down);
    assert_eq!(c.message(), Some("upstream answered 500, expected 200-399"));
    let head = HttpCheck::new(reqwest::Client::new(), &format!("http://{addr}/fail"))
        .unwrap()
        .head()
        .expect_status(500..=500)
        .into_check("upstream");
    assert_eq!(run(&registry(head)).await.0.status(), Status::Up);
    server.abort();
}

#[tokio::test]
async fn a_hanging_upstream_is_down_within_the_timeout() {
    let (addr, listener) = silent_listener().await;
    let (c, took) = run(&registry(check(&format!("http://{addr}/health")))).await;
    assert_down_within(&c, took, TIMEOUT);
    assert_eq!(c.message(), Some("timed out after 400ms"));
    listener.abort();
}

#[tokio::test]
async fn credentials_in_the_url_never_reach_the_message() {
    // A closed port: the error names the URL, and reqwest's text would too.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (c, _) = run(&registry(check(&format!(
        "http://user:hunter2@127.0.0.1:{port}/"
    ))))
    .await;
    assert_eq!(c.status(), Status::Down);
    assert!(
        !c.message().unwrap().contains("hunter2"),
        "{:?}",
        c.message()
    );
}

#[test]
fn invalid_urls_are_refused_when_the_check_is_built() {
    assert!(HttpCheck::new(reqwest::Client::new(), "127.0.0.1:80").is_err());
    assert!(HttpCheck::new(reqwest::Client::new(), "ftp://127.0.0.1/").is_err());
}

/// A keep-alive upstream answering every request with a 20 KiB body, and
/// counting the connections it accepted.
async fn counting_upstream() -> (
    std::net::SocketAddr,
    Arc<AtomicUsize>,
    tokio::task::JoinHandle<()>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    let server = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let body = vec![b'x'; 20 * 1024];
                let mut request = Vec::new();
                let mut buf = [0; 1024];
                while let Ok(n @ 1..) = socket.read(&mut buf).await {
                    request.extend_from_slice(&buf[..n]);
                    while let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                        request.drain(..end + 4);
                        let head =
                            format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len());
                        if socket.write_all(head.as_bytes()).await.is_err()
                            || socket.write_all(&body).await.is_err()
                        {
                            return;
                        }
                    }
                }
            });
        }
    });
    (addr, accepted, server)
}

#[tokio::test]
async fn a_get_reads_the_body_so_the_connection_is_reused() {
    let (addr, accepted, server) = counting_upstream().await;
    let reg =
        registry(check(&format!("http://{addr}/health")).with_timeout(Duration::from_secs(2)));
    for _ in 0..5 {
        assert_up_with_latency(&run(&reg).await.0);
    }
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        1,
        "one connection for five runs"
    );
    server.abort();
}
