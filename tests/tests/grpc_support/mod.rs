//! Shared by the gRPC test targets (`grpc/`, `protocols/`), included with
//! `#[path]`: a real tonic server on 127.0.0.1 serving a `HealthServer`,
//! and a real tonic client over HTTP/2: tonic-health's client (generated
//! from the proto by protoc) for `Check` and `Watch`, tonic's generic
//! client with this crate's messages for `List`, which tonic-health lacks.
//!
//! Every call is bounded: an RPC by [`RPC_TIMEOUT`], a wait for a watch
//! message by the caller's bound. Bounds are never speed assertions: each
//! is far beyond what the awaited thing takes on a loaded machine, and
//! what a test proves ("pushed, not polled") comes from its structure
//! (a watch period of an hour, a check held on a gate), not from a clock.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use health::tonic::HealthServer;
use health::tonic::proto::{self, HealthListRequest, HealthListResponse, ServingStatus};
use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Channel, Endpoint, Server};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_client::HealthClient;

/// The bound on one unary RPC.
pub const RPC_TIMEOUT: Duration = Duration::from_secs(10);

/// The bound on anything a test waits for that should come "at once": a
/// loaded machine never takes this long, and a status that should never
/// come (a watch period of an hour) is not mistaken for one.
pub const BOUND: Duration = Duration::from_secs(10);

/// Waits until `done()` holds, checking every 10 ms, at most `within`.
pub async fn eventually(within: Duration, what: &str, done: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + within;
    while !done() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "not within {within:?}: {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A tonic server running `grpc.health.v1` in the background.
pub struct Served {
    pub addr: SocketAddr,
    pub health: HealthServer,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), tonic::transport::Error>>>,
}

/// Serves `health` on 127.0.0.1:0 until the value is dropped (which ends
/// the watches and stops the server).
pub async fn serve(health: HealthServer) -> Served {
    let (stop, stopped) = oneshot::channel::<()>();
    let signal = async {
        let _ = stopped.await;
    };
    let mut served = serve_until(health.clone(), health.end_watches_on(signal)).await;
    served.stop = Some(stop);
    served
}

/// Serves `health` on 127.0.0.1:0, shutting down gracefully when
/// `shutdown` resolves.
pub async fn serve_until(
    health: HealthServer,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Served {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(
        Server::builder()
            .add_service(health.clone())
            .serve_with_incoming_shutdown(TcpIncoming::from(listener), shutdown),
    );
    Served {
        addr,
        health,
        stop: None,
        task: Some(task),
    }
}

impl Served {
    /// A new client, on its own HTTP/2 connection.
    pub async fn client(&self) -> Client {
        Client::connect(self.addr).await
    }

    /// Waits for the server task to end, at most `within`; the time it took.
    pub async fn finished_within(&mut self, within: Duration) -> Duration {
        let start = tokio::time::Instant::now();
        let task = self.task.take().expect("the server is running");
        tokio::time::timeout(within, task)
            .await
            .unwrap_or_else(|_| panic!("the server did not stop within {within:?}"))
            .expect("the server task")
            .expect("the server");
        start.elapsed()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A client on one HTTP/2 connection.
#[derive(Clone)]
pub struct Client {
    health: HealthClient<Channel>,
    channel: Channel,
}

impl Client {
    pub async fn connect(addr: SocketAddr) -> Client {
        assert!(addr.ip().is_loopback(), "tests talk to 127.0.0.1 only");
        let channel = Endpoint::from_shared(format!("http://{addr}"))
            .unwrap()
            .connect_timeout(RPC_TIMEOUT)
            .connect()
            .await
            .expect("connect to the gRPC server");
        Client {
            health: HealthClient::new(channel.clone()),
            channel,
        }
    }

    /// tonic-health's generated client on this connection.
    pub fn raw(&self) -> HealthClient<Channel> {
        self.health.clone()
    }

    /// `Check` of `service`: the status, or the gRPC error.
    pub async fn check(&mut self, service: &str) -> Result<ServingStatus, tonic::Status> {
        let mut request = tonic::Request::new(HealthCheckRequest {
            service: service.to_owned(),
        });
        request.set_timeout(RPC_TIMEOUT);
        let response = tokio::time::timeout(RPC_TIMEOUT, self.health.check(request))
            .await
            .unwrap_or_else(|_| panic!("Check {service:?}: no answer within {RPC_TIMEOUT:?}"))?;
        Ok(status(response.into_inner().status))
    }

    /// `Check` of `service`, which must answer.
    pub async fn status(&mut self, service: &str) -> ServingStatus {
        self.check(service)
            .await
            .unwrap_or_else(|e| panic!("Check {service:?}: {e:?}"))
    }

    /// Opens a `Watch` of `service`, which must be accepted.
    pub async fn watch(&mut self, service: &str) -> Watch {
        self.try_watch(service)
            .await
            .unwrap_or_else(|e| panic!("Watch {service:?}: {e:?}"))
    }

    /// Opens a `Watch` of `service`: the stream, or the gRPC error.
    pub async fn try_watch(&mut self, service: &str) -> Result<Watch, tonic::Status> {
        let request = HealthCheckRequest {
            service: service.to_owned(),
        };
        let response = tokio::time::timeout(RPC_TIMEOUT, self.health.watch(request))
            .await
            .unwrap_or_else(|_| panic!("Watch {service:?}: no answer within {RPC_TIMEOUT:?}"))?;
        Ok(Watch {
            service: service.to_owned(),
            stream: response.into_inner(),
        })
    }

    /// `List`, through tonic's generic client and the facade's messages.
    pub async fn list(&mut self) -> Result<BTreeMap<String, ServingStatus>, tonic::Status> {
        self.list_within(RPC_TIMEOUT).await
    }

    /// `List`, telling the server `timeout` in `grpc-timeout`.
    pub async fn list_within(
        &mut self,
        timeout: Duration,
    ) -> Result<BTreeMap<String, ServingStatus>, tonic::Status> {
        let mut grpc = tonic::client::Grpc::new(self.channel.clone());
        grpc.ready().await.expect("the channel is ready");
        let mut request = tonic::Request::new(HealthListRequest {});
        request.set_timeout(timeout);
        let codec = tonic_prost::ProstCodec::<HealthListRequest, HealthListResponse>::default();
        let call = grpc.unary(
            request,
            http::uri::PathAndQuery::from_static(proto::LIST),
            codec,
        );
        let response = tokio::time::timeout(RPC_TIMEOUT, call)
            .await
            .unwrap_or_else(|_| panic!("List: no answer within {RPC_TIMEOUT:?}"))?;
        Ok(response
            .into_inner()
            .statuses
            .into_iter()
            .map(|(name, r)| (name, r.status()))
            .collect())
    }
}

/// tonic-health's wire number as this crate's status.
pub fn status(raw: i32) -> ServingStatus {
    ServingStatus::try_from(raw).unwrap_or_else(|_| panic!("status number {raw}"))
}

/// An open `Watch` stream.
pub struct Watch {
    pub service: String,
    stream: tonic::Streaming<tonic_health::pb::HealthCheckResponse>,
}

impl Watch {
    /// The next status, which must come within `within`; `None` if the
    /// stream ended cleanly (status OK).
    pub async fn next(&mut self, within: Duration) -> Option<ServingStatus> {
        let service = &self.service;
        match tokio::time::timeout(within, self.stream.message()).await {
            Err(_) => panic!("Watch {service:?}: nothing within {within:?}"),
            Ok(Err(e)) => panic!("Watch {service:?} failed: {e:?}"),
            Ok(Ok(message)) => message.map(|m| status(m.status)),
        }
    }

    /// The next status, which must come within `within`.
    pub async fn expect(&mut self, within: Duration) -> ServingStatus {
        let service = self.service.clone();
        self.next(within)
            .await
            .unwrap_or_else(|| panic!("Watch {service:?} ended"))
    }

    /// Asserts that nothing arrives, and the stream stays open, for `quiet`.
    pub async fn stays_quiet(&mut self, quiet: Duration) {
        if let Ok(message) = tokio::time::timeout(quiet, self.stream.message()).await {
            panic!(
                "Watch {:?}: expected silence, got {message:?}",
                self.service
            );
        }
    }

    /// Asserts the stream ends cleanly (status OK) within `within`.
    pub async fn ends(&mut self, within: Duration) {
        loop {
            if self.next(within).await.is_none() {
                return;
            }
        }
    }
}
