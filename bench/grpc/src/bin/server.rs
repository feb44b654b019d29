//! The server that `bench/grpc/run.sh` drives with `grpc-load`.
//!
//! `grpc-bench-server <health|empty|floor|tonic-health> [ADDR]` (ADDR defaults
//! to 127.0.0.1:50151), on tokio's current-thread runtime so that pinning
//! it to one core compares like with like:
//!
//! - `health`: `health::tonic::HealthServer` over a registry of ten
//!   readiness checks of 10 ms each with `cache = 1h`: `Check` of `""`
//!   answers from the cache (after the first run), through the registry's
//!   verdict.
//! - `empty`: `HealthServer` over a registry without checks: this crate's
//!   own cost, without the registry's work over ten checks.
//! - `floor`: a `grpc.health.v1` service that answers `SERVING` to every
//!   `Check` without touching a registry, built from the same tonic parts
//!   (`tonic::server::Grpc`, the prost codec, the same messages): what
//!   answering costs before any health logic.
//! - `tonic-health`: tonic-health's server with `""` set to SERVING, the
//!   usual hand-set alternative, for reference.

use health::tonic::HealthServer;
use health::tonic::proto::{self, HealthCheckRequest, HealthCheckResponse, ServingStatus};
use health::{Check, Registry};
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tonic::server::{Grpc, NamedService, UnaryService};
use tonic::transport::Server;

type Error = Box<dyn std::error::Error + Send + Sync>;

const USAGE: &str = "usage: grpc-bench-server <health|empty|floor|tonic-health> [ADDR]";

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let mode = args.next().ok_or(USAGE)?;
    let addr: SocketAddr = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:50151".into())
        .parse()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let mut server = Server::builder();
        match mode.as_str() {
            "health" => {
                let health = HealthServer::new(registry()?)?;
                server.add_service(health).serve(addr).await?;
            }
            "floor" => server.add_service(Constant).serve(addr).await?,
            "empty" => {
                let health = HealthServer::new(Registry::builder().without_declared().build()?)?;
                server.add_service(health).serve(addr).await?;
            }
            "tonic-health" => {
                let (_reporter, service) = tonic_health::server::health_reporter();
                server.add_service(service).serve(addr).await?;
            }
            _ => return Err(Error::from(USAGE)),
        }
        Ok(())
    })
}

/// Ten readiness checks of 10 ms each, each cached for an hour.
fn registry() -> Result<Registry, Error> {
    let checks = (0..10).map(|i| {
        Check::new(format!("sleep-{i}"), || async {
            tokio::time::sleep(Duration::from_millis(10)).await;
        })
        .with_timeout(Duration::from_secs(1))
        .with_cache(Duration::from_secs(3600))
    });
    Ok(Registry::builder()
        .without_declared()
        .checks(checks)
        .build()?)
}

/// The floor: `Check` answers SERVING, whatever the name.
#[derive(Clone)]
struct Constant;

impl NamedService for Constant {
    const NAME: &'static str = proto::SERVICE;
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<B> tower_service::Service<http::Request<B>> for Constant
where
    B: http_body::Body + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>> + Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = BoxFuture<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        match request.uri().path() {
            proto::CHECK => Box::pin(async move {
                Ok(Grpc::new(tonic_prost::ProstCodec::default())
                    .unary(ConstantCheck, request)
                    .await)
            }),
            _ => Box::pin(async { Ok(tonic::Status::unimplemented("").into_http()) }),
        }
    }
}

struct ConstantCheck;

impl UnaryService<HealthCheckRequest> for ConstantCheck {
    type Response = HealthCheckResponse;
    type Future = BoxFuture<Result<tonic::Response<HealthCheckResponse>, tonic::Status>>;

    fn call(&mut self, _: tonic::Request<HealthCheckRequest>) -> Self::Future {
        Box::pin(async {
            Ok(tonic::Response::new(HealthCheckResponse::new(
                ServingStatus::Serving,
            )))
        })
    }
}
