//! [`serve`]: an application's server that drains its own connections.

use super::layer::DrainLayer;
use crate::service::WithPeer;
use bytes::Bytes;
use health_http::{DRAIN_QUIET, Drain};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::error::Error as StdError;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower_layer::Layer;

/// How long a client may take to send a request's head.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves an application on `listener` until the drain is over, draining
/// its own connections, not only its readiness:
///
/// 1. On a stop signal (or [`Registry::begin_drain`]), readiness turns
///    OUT_OF_SERVICE; every HTTP/2 connection gets GOAWAY at once, and
///    each new one as it comes, so clients open their next streams
///    elsewhere; every HTTP/1 response carries `Connection: close`
///    ([`DrainLayer`], which this applies itself). Probes are served as
///    usual.
/// 2. After the drain delay idle HTTP/1 connections close; requests that
///    still arrive are refused with 503 and `Retry-After`, and counted,
///    until none came for [`DRAIN_QUIET`]; then the listener closes and
///    requests in flight finish. All within the drain's
///    [request budget](Drain::with_request_budget); then what is left is
///    closed.
/// 3. The drain audit is logged ([`DrainReport::log`]), and this returns.
///
/// `make` makes the service of each connection from its peer's address
/// (which requests also carry as a [`Peer`](crate::Peer) extension). HTTP/1.1 and
/// HTTP/2 with prior knowledge (h2c) on the same port, told apart by the
/// HTTP/2 preface; HTTP/2 needs the `http2` feature. The application
/// runs on the runtime that polls this future.
///
/// ```no_run
/// use health_tower::ProbeService;
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = health_core::Registry::builder().build()?;
/// let endpoints = health_http::Endpoints::new(registry)?;
/// let drain = health_http::Drain::new(&endpoints);
/// let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
/// let application = ProbeService::new(endpoints); // any tower service
/// health_tower::serve(listener, move |_peer| application.clone(), drain).await?;
/// # Ok(()) }
/// ```
///
/// [`Registry::begin_drain`]: health_core::Registry::begin_drain
/// [`DrainReport::log`]: health_core::DrainReport::log
pub async fn serve<M, S, B>(listener: TcpListener, make: M, drain: Drain) -> io::Result<()>
where
    M: FnMut(SocketAddr) -> S,
    S: tower_service::Service<http::Request<Incoming>, Response = http::Response<B>>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    S::Error: Into<Box<dyn StdError + Send + Sync>>,
    B: http_body::Body + From<Bytes> + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn StdError + Send + Sync>>,
{
    let registry = drain.registry().clone();
    let mut accept = Accept {
        listener,
        make,
        drain: drain.clone(),
        connections: JoinSet::new(),
        stop: watch::channel(false).0,
    };
    // Serving, then the drain delay: everything is served.
    let shutdown = registry.shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            () = accept.next() => {}
        }
    }
    // After the delay: idle HTTP/1 connections close; late requests are
    // refused until they stop coming; then the listener closes, and what
    // is in flight finishes. All within the budget.
    let deadline = tokio::time::Instant::now() + drain.request_budget();
    accept.stop.send_replace(true);
    let quiet = registry.drain_quiet(DRAIN_QUIET);
    tokio::pin!(quiet);
    loop {
        tokio::select! {
            () = &mut quiet => break,
            () = tokio::time::sleep_until(deadline) => break,
            () = accept.next() => {}
        }
    }
    let Accept {
        listener,
        mut connections,
        ..
    } = accept;
    drop(listener);
    let finished = tokio::time::timeout_at(deadline, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if finished.is_err() {
        tracing::warn!(
            connections = connections.len(),
            budget = %health_names::duration::format(drain.request_budget()),
            "health: the request budget is spent, closing the connections left"
        );
        connections.shutdown().await;
    }
    if let Some(report) = registry.drain_report() {
        report.log();
    }
    Ok(())
}

type BoxError = Box<dyn StdError + Send + Sync>;

/// The bounds [`serve`] puts on the application's service, once for the
/// server's own functions.
trait Application<B>:
    tower_service::Service<
        http::Request<Incoming>,
        Response = http::Response<B>,
        Error: Into<BoxError>,
        Future: Send + 'static,
    > + Clone
    + Send
    + 'static
{
}

impl<S, B> Application<B> for S
where
    S: tower_service::Service<http::Request<Incoming>, Response = http::Response<B>>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
{
}

/// The bounds [`serve`] puts on the response body, likewise.
trait Body: http_body::Body<Data: Send, Error: Into<BoxError>> + Send + 'static {}

impl<B> Body for B
where
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
}

/// The accept loop's state.
struct Accept<M> {
    listener: TcpListener,
    make: M,
    drain: Drain,
    connections: JoinSet<()>,
    /// True once the delay is over.
    stop: watch::Sender<bool>,
}

impl<M> Accept<M> {
    /// Accepts one connection and spawns its task, or reaps one that
    /// finished.
    async fn next<S, B>(&mut self)
    where
        M: FnMut(SocketAddr) -> S,
        S: Application<B>,
        B: Body + From<Bytes>,
    {
        tokio::select! {
            Some(_) = self.connections.join_next(), if !self.connections.is_empty() => {}
            accepted = self.listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let service = DrainLayer::new(self.drain.clone())
                        .layer(WithPeer::new((self.make)(peer), peer));
                    let connection = Connection {
                        registry: self.drain.registry().clone(),
                        // One accepted after the delay is closed by its
                        // first (refused) response, not before it.
                        stopped: (!*self.stop.borrow()).then(|| self.stop.subscribe()),
                    };
                    self.connections.spawn(connection.serve(stream, service));
                }
                Err(error) => {
                    // Out of descriptors, say: keep accepting after a pause.
                    tracing::warn!(%error, "health: the server could not accept");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
        }
    }
}

/// One connection's part in the drain.
struct Connection {
    /// Its drain sends HTTP/2 connections GOAWAY.
    #[cfg_attr(not(feature = "http2"), allow(dead_code))]
    registry: health_core::Registry,
    /// True once the delay is over; none for a connection accepted after.
    stopped: Option<watch::Receiver<bool>>,
}

impl Connection {
    async fn serve<S, B>(mut self, stream: TcpStream, service: S)
    where
        S: Application<B>,
        B: Body,
    {
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(service);
        #[cfg(feature = "http2")]
        if is_http2(&stream).await {
            let connection =
                hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
                    .timer(TokioTimer::new())
                    .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            // GOAWAY from the drain's start: the client opens its next
            // streams on a new connection, which the balancer sends to
            // a replica still in rotation.
            tokio::select! {
                _ = connection.as_mut() => return,
                () = self.registry.draining() => connection.as_mut().graceful_shutdown(),
            }
            let _ = connection.await;
            return;
        }
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT)
            .keep_alive(true)
            .serve_connection(TokioIo::new(stream), service);
        tokio::pin!(connection);
        // Responses carry `Connection: close` from the drain's start; when
        // the delay is over, what is left closes after its request in
        // flight, or at once when idle.
        let Some(stopped) = &mut self.stopped else {
            let _ = connection.await;
            return;
        };
        tokio::select! {
            _ = connection.as_mut() => return,
            _ = stopped.wait_for(|stopped| *stopped) => connection.as_mut().graceful_shutdown(),
        }
        let _ = connection.await;
    }
}

/// Whether the client opens with HTTP/2's preface (prior knowledge),
/// read without consuming it. A client that sends less than the preface
/// and stops is served as HTTP/1, whose header timeout then closes it.
#[cfg(feature = "http2")]
async fn is_http2(stream: &TcpStream) -> bool {
    const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    let mut buffer = [0u8; PREFACE.len()];
    // Clients send the preface in one segment; a few short waits cover
    // one that does not.
    for _ in 0..50 {
        match stream.peek(&mut buffer).await {
            Ok(0) | Err(_) => return false,
            Ok(n) if buffer[..n] != PREFACE[..n] => return false,
            Ok(n) if n == PREFACE.len() => return true,
            Ok(_) => tokio::time::sleep(Duration::from_millis(2)).await,
        }
    }
    false
}
