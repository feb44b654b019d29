//! Draining the application's own connections, over real sockets on
//! 127.0.0.1, with each adapter's server: `health::axum::serve` and
//! actix-web with `health::actix::DrainMiddleware` and `serve`.
//!
//! Keep-alive HTTP/1.1 connections are closed from the drain's start, by
//! `Connection: close` on the application's responses (never a probe's);
//! HTTP/2 connections get GOAWAY (axum); requests after the delay are
//! refused with 503 and `Retry-After`, and counted; requests in flight
//! finish; the audit counts what the client sent.

use actix_web::{App, HttpServer, web};
use bytes::Bytes;
use health::http::{Drain, Endpoints};
use health::{Check, Registry};
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// The bound on any one wait in these tests.
const WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy)]
enum Adapter {
    Axum,
    Actix,
}

/// A registry without stop signals (the test process keeps its own), with
/// `delay`.
fn registry(delay: Duration) -> Registry {
    Registry::builder()
        .without_declared()
        .check(Check::new("db", || async { true }))
        .drain_delay(delay)
        .stop_signals([])
        .build()
        .expect("a test registry")
}

/// A server of `adapter` serving the endpoints of `drain`'s registry, plus
/// the application's `/work` ("ok") and `/slow` (after 600 ms), until the
/// drain is over; `done` resolves when its serve function returned.
struct Served {
    addr: SocketAddr,
    done: oneshot::Receiver<()>,
}

async fn serve(adapter: Adapter, endpoints: Endpoints, drain: Drain) -> Served {
    let (finished, done) = oneshot::channel();
    let addr = match adapter {
        Adapter::Axum => {
            let app = ::axum::Router::new()
                .route("/work", ::axum::routing::get(|| async { "ok" }))
                .route(
                    "/slow",
                    ::axum::routing::get(|| async {
                        tokio::time::sleep(Duration::from_millis(600)).await;
                        "slow"
                    }),
                )
                .merge(health::axum::routes(endpoints));
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let addr = listener.local_addr().expect("address");
            tokio::spawn(async move {
                health::axum::serve(listener, app, drain)
                    .await
                    .expect("serve");
                let _ = finished.send(());
            });
            addr
        }
        Adapter::Actix => {
            let (bound, addr) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                actix_web::rt::System::new().block_on(async move {
                    let middleware = health::actix::DrainMiddleware::new(drain.clone());
                    let server = HttpServer::new(move || {
                        App::new()
                            .configure(health::actix::configure(endpoints.clone()))
                            .route("/work", web::get().to(|| async { "ok" }))
                            .route(
                                "/slow",
                                web::get().to(|| async {
                                    tokio::time::sleep(Duration::from_millis(600)).await;
                                    "slow"
                                }),
                            )
                            .wrap(middleware.clone())
                    })
                    .workers(1)
                    .disable_signals()
                    .shutdown_timeout(drain.request_budget().as_secs())
                    .bind_auto_h2c("127.0.0.1:0")
                    .expect("bind");
                    let _ = bound.send(server.addrs()[0]);
                    health::actix::serve(server.run(), &drain)
                        .await
                        .expect("serve");
                    let _ = finished.send(());
                });
            });
            addr.recv_timeout(WAIT).expect("actix bound")
        }
    };
    Served { addr, done }
}

/// One HTTP/1.1 keep-alive connection; `closed` resolves when it ends.
struct Http1 {
    sender: hyper::client::conn::http1::SendRequest<Empty<Bytes>>,
    closed: oneshot::Receiver<()>,
}

async fn http1(addr: SocketAddr) -> Http1 {
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("handshake");
    let (ended, closed) = oneshot::channel();
    tokio::spawn(async move {
        let _ = connection.await;
        let _ = ended.send(());
    });
    Http1 { sender, closed }
}

/// A response's status, `Connection`, `Retry-After` and body.
#[derive(Debug)]
struct Answer {
    status: u16,
    connection: Option<String>,
    retry_after: Option<String>,
    envoy: bool,
    body: String,
}

impl Http1 {
    async fn get(&mut self, path: &str, agent: Option<&str>) -> Answer {
        let mut request = http::Request::get(path).header("host", "127.0.0.1");
        if let Some(agent) = agent {
            request = request.header("user-agent", agent);
        }
        let request = request.body(Empty::new()).expect("request");
        // Ready for the next request once the last response is read.
        tokio::time::timeout(WAIT, self.sender.ready())
            .await
            .expect("ready in time")
            .expect("the connection kept");
        let response = tokio::time::timeout(WAIT, self.sender.send_request(request))
            .await
            .expect("an answer in time")
            .expect("an answer");
        answer(response).await
    }
}

async fn answer(response: http::Response<hyper::body::Incoming>) -> Answer {
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (status, connection, retry_after) = (
        response.status().as_u16(),
        header("connection"),
        header("retry-after"),
    );
    let envoy = response
        .headers()
        .contains_key("x-envoy-immediate-health-check-fail");
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Answer {
        status,
        connection,
        retry_after,
        envoy,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// Waits for `receiver` within `WAIT`; true if it resolved.
async fn within<T>(receiver: oneshot::Receiver<T>) -> bool {
    tokio::time::timeout(WAIT, receiver).await.is_ok()
}

async fn keep_alive_connections_close_once_the_drain_begins(adapter: Adapter) {
    let registry = registry(Duration::from_secs(30));
    let endpoints = Endpoints::new(registry.clone()).expect("endpoints");
    let drain = Drain::new(&endpoints);
    let served = serve(adapter, endpoints, drain).await;

    let mut application = http1(served.addr).await;
    let mut probe = http1(served.addr).await;
    let mut kubelet = http1(served.addr).await;
    let before = application.get("/work", None).await;
    assert_eq!((before.status, before.connection), (200, None));

    registry.begin_drain();
    let during = application.get("/work", None).await;
    assert_eq!(
        (
            during.status,
            during.connection.as_deref(),
            during.body.as_str()
        ),
        (200, Some("close"), "ok"),
        "{adapter:?}: the application's response closes its connection"
    );
    assert!(
        within(application.closed).await,
        "{adapter:?}: the server closed the connection"
    );
    // Probes are never cut: readiness answers 503 on a connection kept.
    for _ in 0..2 {
        let ready = probe.get("/ready", None).await;
        assert_eq!((ready.status, ready.connection), (503, None));
        let work = kubelet.get("/work", Some("kube-probe/1.37")).await;
        assert_eq!((work.status, work.connection), (200, None));
    }
    let report = registry.drain_report().expect("draining");
    assert_eq!((report.during_delay, report.after_delay), (1, 0));
}

async fn late_requests_are_refused_counted_and_reported(adapter: Adapter) {
    let registry = registry(Duration::from_millis(300));
    let endpoints = Endpoints::new(registry.clone()).expect("endpoints");
    let drain = Drain::new(&endpoints).with_envoy_header();
    let served = serve(adapter, endpoints, drain).await;
    // A connection opened before the drain, used only after the delay.
    let mut late = http1(served.addr).await;
    assert_eq!(late.get("/work", None).await.status, 200);
    let mut probe = http1(served.addr).await;

    let signal = Instant::now();
    registry.begin_drain();
    for _ in 0..2 {
        let during = http1(served.addr).await.get("/work", None).await;
        assert_eq!((during.status, during.envoy), (200, true), "{adapter:?}");
    }
    assert!(
        probe.get("/ready", None).await.envoy,
        "{adapter:?}: on probes too"
    );
    tokio::time::sleep(Duration::from_millis(400).saturating_sub(signal.elapsed())).await;
    // After the delay, on a new connection: the server still listens (late
    // requests keep it open), and refuses.
    let refused = http1(served.addr).await.get("/work", None).await;
    let lag = signal.elapsed();
    assert_eq!(
        (
            refused.status,
            refused.retry_after.as_deref(),
            refused.connection.as_deref()
        ),
        (503, Some("1"), Some("close")),
        "{adapter:?}: {refused:?}"
    );
    assert!(refused.envoy);

    // The idle connection from before the drain does not hold it up.
    assert!(within(served.done).await, "{adapter:?}: serve returned");
    drop(late);
    let report = registry.drain_report().expect("draining");
    assert_eq!(
        (report.during_delay, report.after_delay),
        (2, 1),
        "{adapter:?}: {report}"
    );
    assert!(!report.long_enough(), "{report}");
    let suggested = report.suggested_delay().expect("a suggestion");
    assert!(
        suggested >= lag,
        "{report}: suggests {suggested:?} for a lag of {lag:?}"
    );
}

async fn a_request_in_flight_finishes(adapter: Adapter) {
    let registry = registry(Duration::from_millis(100));
    let endpoints = Endpoints::new(registry.clone()).expect("endpoints");
    let drain = Drain::new(&endpoints).with_request_budget(Duration::from_secs(5));
    let served = serve(adapter, endpoints, drain).await;
    let mut connection = http1(served.addr).await;
    let slow = tokio::spawn(async move { connection.get("/slow", None).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    registry.begin_drain();
    let answer = slow.await.expect("the request");
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (200, "slow"),
        "{adapter:?}"
    );
    assert!(within(served.done).await, "{adapter:?}: serve returned");
}

mod axum {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn keep_alive_connections_close_once_the_drain_begins() {
        super::keep_alive_connections_close_once_the_drain_begins(Adapter::Axum).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn late_requests_are_refused_counted_and_reported() {
        super::late_requests_are_refused_counted_and_reported(Adapter::Axum).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_request_in_flight_finishes() {
        super::a_request_in_flight_finishes(Adapter::Axum).await;
    }

    /// HTTP/2: GOAWAY from the drain's start, the stream in flight
    /// finished, the connection closed by the server.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn http2_connections_get_goaway_when_the_drain_begins() {
        let registry = registry(Duration::from_secs(30));
        let endpoints = Endpoints::new(registry.clone()).expect("endpoints");
        let served = serve(Adapter::Axum, endpoints.clone(), Drain::new(&endpoints)).await;
        let stream = tokio::net::TcpStream::connect(served.addr)
            .await
            .expect("connect");
        let (mut sender, connection) =
            hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
                .await
                .expect("h2c handshake");
        let (ended, closed) = oneshot::channel();
        tokio::spawn(async move {
            let _ = connection.await;
            let _ = ended.send(());
        });
        let get = |path: &str| {
            http::Request::get(format!("http://127.0.0.1{path}"))
                .body(Empty::<Bytes>::new())
                .expect("request")
        };
        let first = sender.send_request(get("/work")).await.expect("an answer");
        assert_eq!(first.status(), 200);
        let slow = sender.send_request(get("/slow"));
        let slow = tokio::spawn(slow);
        tokio::time::sleep(Duration::from_millis(100)).await;

        registry.begin_drain();
        let slow = slow.await.expect("task").expect("the stream in flight");
        assert_eq!(answer(slow).await.body, "slow");
        assert!(within(closed).await, "the server closed the connection");
        assert!(sender.is_closed() || sender.ready().await.is_err());
    }
}

mod actix {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn keep_alive_connections_close_once_the_drain_begins() {
        super::keep_alive_connections_close_once_the_drain_begins(Adapter::Actix).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn late_requests_are_refused_counted_and_reported() {
        super::late_requests_are_refused_counted_and_reported(Adapter::Actix).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_request_in_flight_finishes() {
        super::a_request_in_flight_finishes(Adapter::Actix).await;
    }
}
