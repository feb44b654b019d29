//! The tonic glue: [`HealthServer`] as a tower service that tonic's
//! `Server::add_service` takes, routing the three method paths through
//! tonic's own call handling ([`tonic::server::Grpc`]) and prost codec.
//! This is what `tonic-prost-build` would generate for the proto, written
//! out for three methods.

use crate::proto::{
    self, HealthCheckRequest, HealthCheckResponse, HealthListRequest, HealthListResponse,
};
use crate::server::{HealthServer, Shared};
use crate::watch::{Connection, WatchStream};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tonic::server::{Grpc, NamedService, ServerStreamingService, UnaryService};
use tonic_prost::ProstCodec;

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
/// What a unary method's call returns: its response or its status.
type UnaryFuture<T> = BoxFuture<Result<tonic::Response<T>, tonic::Status>>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl NamedService for HealthServer {
    const NAME: &'static str = proto::SERVICE;
}

impl<B> tower_service::Service<http::Request<B>> for HealthServer
where
    B: http_body::Body + Send + 'static,
    B::Error: Into<BoxError> + Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = Infallible;
    type Future = BoxFuture<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let shared = Arc::clone(&self.0);
        match request.uri().path() {
            proto::CHECK => Box::pin(async move {
                Ok(Grpc::new(ProstCodec::default())
                    .unary(CheckRpc(shared), request)
                    .await)
            }),
            proto::LIST => Box::pin(async move {
                Ok(Grpc::new(ProstCodec::default())
                    .unary(ListRpc(shared), request)
                    .await)
            }),
            proto::WATCH => Box::pin(async move {
                Ok(Grpc::new(ProstCodec::default())
                    .server_streaming(WatchRpc(shared), request)
                    .await)
            }),
            _ => Box::pin(std::future::ready(Ok(
                tonic::Status::unimplemented("").into_http()
            ))),
        }
    }
}

struct CheckRpc(Arc<Shared>);

impl UnaryService<HealthCheckRequest> for CheckRpc {
    type Response = HealthCheckResponse;
    type Future = UnaryFuture<HealthCheckResponse>;

    fn call(&mut self, request: tonic::Request<HealthCheckRequest>) -> Self::Future {
        let shared = Arc::clone(&self.0);
        let timeout = grpc_timeout(request.metadata());
        Box::pin(async move {
            let service = request.into_inner().service;
            shared
                .check(&service, timeout)
                .await
                .map(tonic::Response::new)
        })
    }
}

struct ListRpc(Arc<Shared>);

impl UnaryService<HealthListRequest> for ListRpc {
    type Response = HealthListResponse;
    type Future = UnaryFuture<HealthListResponse>;

    fn call(&mut self, request: tonic::Request<HealthListRequest>) -> Self::Future {
        let shared = Arc::clone(&self.0);
        let timeout = grpc_timeout(request.metadata());
        Box::pin(async move { shared.list(timeout).await.map(tonic::Response::new) })
    }
}

struct WatchRpc(Arc<Shared>);

impl ServerStreamingService<HealthCheckRequest> for WatchRpc {
    type Response = HealthCheckResponse;
    type ResponseStream = WatchStream;
    type Future = std::future::Ready<Result<tonic::Response<WatchStream>, tonic::Status>>;

    fn call(&mut self, request: tonic::Request<HealthCheckRequest>) -> Self::Future {
        // The addresses tonic's transport records with the request (TCP,
        // with or without TLS) tell the connection apart.
        let connection = request.remote_addr().map(|remote| Connection {
            local: request.local_addr(),
            remote,
        });
        let stream = self.0.watch(&request.get_ref().service, connection);
        std::future::ready(stream.map(tonic::Response::new))
    }
}

/// The caller's deadline, from its `grpc-timeout` header (gRPC over HTTP/2:
/// at most 8 digits and a unit, `H` `M` `S` `m` `u` `n`); `None` when it
/// sends none or a malformed one.
fn grpc_timeout(metadata: &tonic::metadata::MetadataMap) -> Option<Duration> {
    let value = metadata.get("grpc-timeout")?.to_str().ok()?;
    let (digits, unit) = value.split_at(value.len().checked_sub(1)?);
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n * 3600),
        "M" => Duration::from_secs(n * 60),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::grpc_timeout;
    use std::time::Duration;

    #[test]
    fn grpc_timeouts() {
        let of = |value: &str| {
            let mut metadata = tonic::metadata::MetadataMap::new();
            metadata.insert("grpc-timeout", value.parse().unwrap());
            grpc_timeout(&metadata)
        };
        assert_eq!(of("1S"), Some(Duration::from_secs(1)));
        assert_eq!(of("999m"), Some(Duration::from_millis(999)));
        assert_eq!(of("2H"), Some(Duration::from_secs(7200)));
        assert_eq!(of("10n"), Some(Duration::from_nanos(10)));
        for bad in ["S", "1", "1s", "123456789S", "-1S", "1.5S"] {
            assert_eq!(of(bad), None, "{bad}");
        }
        assert_eq!(grpc_timeout(&tonic::metadata::MetadataMap::new()), None);
    }
}
