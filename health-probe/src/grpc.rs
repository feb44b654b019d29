//! `grpc://` and `grpcs://`: the standard `grpc.health.v1.Health/Check`
//! unary RPC through tonic's client, over one hyper HTTP/2 connection.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::uri::PathAndQuery;
use hyper::client::conn::http2::SendRequest;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::time::{Instant, timeout_at};

use health_grpc_proto::{CHECK, HealthCheckRequest, HealthCheckResponse, ServingStatus};

use crate::cli::Args;
use crate::outcome::{Exit, Failure, Reply, chain};
use health_names::duration::format as format_duration;

/// hyper's HTTP/2 client connection as the tower service tonic's
/// [`tonic::client::Grpc`] calls.
struct Connection(SendRequest<tonic::body::Body>);

type ResponseFuture = Pin<
    Box<dyn Future<Output = Result<http::Response<hyper::body::Incoming>, hyper::Error>> + Send>,
>;

impl tower_service::Service<http::Request<tonic::body::Body>> for Connection {
    type Response = http::Response<hyper::body::Incoming>;
    type Error = hyper::Error;
    type Future = ResponseFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<tonic::body::Body>) -> Self::Future {
        Box::pin(self.0.send_request(request))
    }
}

/// Calls `Check` for `--service`; `SERVING` is serving, any other status
/// is not, and a gRPC error status is a failed RPC.
pub(crate) async fn probe(args: &Args) -> Result<Reply, Failure> {
    let stream = crate::net::connect(args, b"h2").await?;
    let deadline = Instant::now() + args.timeout;
    match timeout_at(deadline, check(stream, args)).await {
        Ok(result) => result,
        Err(_) => Err(Failure::new(
            Exit::RequestFailed,
            format!(
                "no answer from {} within {} (is the server stuck, or not speaking gRPC? \
                 raise --timeout if it is slow)",
                args.target,
                format_duration(args.timeout)
            ),
        )),
    }
}

async fn check(stream: Box<dyn crate::net::Stream>, args: &Args) -> Result<Reply, Failure> {
    let target = &args.target;
    let failed = |what: String| {
        Failure::new(
            Exit::RequestFailed,
            format!("health RPC to {target} failed: {what}"),
        )
    };
    let (sender, connection) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .map_err(|e| failed(chain(&e)))?;
    tokio::spawn(async move {
        // Its error, if any, also fails the RPC, which reports it.
        let _ = connection.await;
    });

    let scheme = if target.scheme.is_tls() {
        "https"
    } else {
        "http"
    };
    let origin: http::Uri = format!("{scheme}://{}", target.authority)
        .parse()
        .map_err(|e: http::uri::InvalidUri| failed(chain(&e)))?;
    let mut grpc = tonic::client::Grpc::with_origin(Connection(sender), origin);
    grpc.ready().await.map_err(|e| failed(chain(&e)))?;

    let mut request = tonic::Request::new(HealthCheckRequest::new(args.service.as_str()));
    // Tells the server the deadline too (the grpc-timeout header).
    request.set_timeout(args.timeout);
    let codec = tonic_prost::ProstCodec::<HealthCheckRequest, HealthCheckResponse>::default();
    let response = grpc
        .unary(request, PathAndQuery::from_static(CHECK), codec)
        .await
        .map_err(|status| rpc_error(args, &status))?;

    let raw = response.get_ref().status;
    let (name, status) = match ServingStatus::try_from(raw) {
        Ok(status) => (status.as_str().to_string(), Some(status)),
        Err(_) => (format!("{raw} (a status this probe does not know)"), None),
    };
    let serving = status == Some(ServingStatus::Serving);
    let what = if args.service.is_empty() {
        "the server".to_string()
    } else {
        format!("service \"{}\"", args.service)
    };
    let complaint = if serving {
        String::new()
    } else {
        format!("{target} reports {what} as {name}: not serving")
    };
    Ok(Reply {
        serving,
        status_line: format!("status: {name}"),
        body: None,
        complaint,
    })
}

fn rpc_error(args: &Args, status: &tonic::Status) -> Failure {
    let target = &args.target;
    let code = code_name(status.code());
    let mut detail = status.message().to_string();
    // A status with a source is tonic's wrapping of a transport error.
    let transport = std::error::Error::source(status).map(chain);
    if let Some(source) = &transport {
        if source.contains(&detail) {
            detail.clone_from(source);
        } else if !detail.contains(source.as_str()) {
            detail = format!("{detail}: {source}");
        }
    }
    let detail = if detail.is_empty() {
        String::new()
    } else {
        format!(" ({detail})")
    };
    let message = match status.code() {
        tonic::Code::NotFound => format!(
            "{target} does not know service \"{}\": {code}{detail}; check --service",
            args.service
        ),
        tonic::Code::Unimplemented => format!(
            "{target} does not implement grpc.health.v1.Health: {code}{detail}; \
             register the standard health service"
        ),
        tonic::Code::DeadlineExceeded => format!(
            "health RPC to {target} did not complete within {}: {code}{detail}; \
             raise --timeout if the server is slow",
            format_duration(args.timeout)
        ),
        _ if transport.is_some() => format!(
            "health RPC to {target} failed: {code}{detail}; is it a gRPC server speaking \
             plaintext HTTP/2{}?",
            if target.scheme.is_tls() {
                " over TLS"
            } else {
                " (for TLS use grpcs://)"
            }
        ),
        _ => format!("health RPC to {target} failed: {code}{detail}"),
    };
    Failure::new(Exit::RequestFailed, message)
}

/// The canonical upper-case name of a gRPC status code.
fn code_name(code: tonic::Code) -> &'static str {
    use tonic::Code;
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}
