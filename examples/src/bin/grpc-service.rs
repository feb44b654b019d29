//! The example service on tonic: one small application service,
//! `example.PageViews/Hit` (counts page views in the database), next to the
//! standard `grpc.health.v1.Health` answered from the same checks the HTTP
//! examples declare.
//!
//! `cargo run -p health-examples --bin grpc-service`, then
//! `health-probe grpc://127.0.0.1:50051 --service readiness` (or
//! `liveness`, `startup`; none is `""`, readiness).
//! Environment: see the `health_examples` crate docs (`BIND`, default
//! `127.0.0.1:50051`; `DATABASE_URL`, `REDIS_URL`, `UPSTREAM_URL`,
//! `DRAIN_DELAY_SECS`...).
//!
//! Components (a check's name as a service, `--service database`) are
//! served only while the example is bound to a loopback address, where
//! only this machine can ask: `grpc.health.v1` knows no caller, and bound
//! elsewhere (`BIND=0.0.0.0:50051`, as in the container) the port
//! discloses no more than the HTTP endpoints show an anonymous caller.
//!
//! HTTP/2 keepalive pings each connection every 30 s and closes it when a
//! ping goes unanswered for 10 s, so the `Watch` streams of a client that
//! vanished (counted against the service's caps) are given back.
//!
//! On SIGTERM or Ctrl-C, `""` and `readiness` turn NOT_SERVING at once (in
//! `Check` and in every open `Watch`); after the drain delay the open
//! watches end and the server stops.

use health::tonic::HealthServer;
use health_examples::{Config, Error, Service};
use page_views::PageViewsServer;
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Error> {
    if health_examples::print_grpc_kubernetes_probes_if_asked("grpc-service", "127.0.0.1:50051")? {
        return Ok(());
    }
    health_examples::init_logging();
    let config = Config::from_env("127.0.0.1:50051")?;
    // Naming the library (here `Service`) links it, and its declared checks.
    let service = Service::new("grpc-service", config)?;
    let registry = service.registry().clone();
    let addr = service.config().bind;
    let health = HealthServer::builder(registry.clone())
        // Each check's status by name, for this machine only.
        .components(addr.ip().is_loopback())
        .build()?;
    tracing::info!(services = ?health.services(), "grpc.health.v1 services");

    tracing::info!(%addr, "listening");
    service.spawn_migrations();
    // SIGTERM / Ctrl-C: readiness NOT_SERVING at once; the signal resolves
    // after the drain delay (or at a second signal), and then the open
    // watches end, so the graceful shutdown completes.
    let shutdown = health.end_watches_on(registry.shutdown_signal());
    tonic::transport::Server::builder()
        // Reaps the connections (and so the capped Watch streams) of
        // clients that vanished without closing them.
        .http2_keepalive_interval(Some(Duration::from_secs(30)))
        .http2_keepalive_timeout(Some(Duration::from_secs(10)))
        // hyper's default, which tonic's builder leaves unset: a bound on
        // every RPC's streams per connection (the health service caps its
        // Watch streams itself).
        .max_concurrent_streams(Some(200))
        .add_service(health)
        .add_service(PageViewsServer(service))
        .serve_with_shutdown(addr, shutdown)
        .await?;
    tracing::info!("drained; bye");
    Ok(())
}

/// `service example.PageViews { rpc Hit(HitRequest) returns (HitReply); }`,
/// written out with prost's derives and tonic's server building blocks,
/// as `tonic-prost-build` would generate it.
mod page_views {
    use health_examples::Service;
    use std::convert::Infallible;
    use tonic::codegen::{BoxFuture, Context, Poll, StdError, http};
    use tonic::server::{Grpc, NamedService, UnaryService};

    /// `message HitRequest {}`.
    #[derive(Clone, Copy, PartialEq, Eq, prost::Message)]
    pub(crate) struct HitRequest {}

    /// `message HitReply { int64 page_views = 1; }`.
    #[derive(Clone, Copy, PartialEq, Eq, prost::Message)]
    pub(crate) struct HitReply {
        /// How many times `Hit` (or the HTTP examples' `GET /`) was called.
        #[prost(int64, tag = "1")]
        pub(crate) page_views: i64,
    }

    /// The service: the application's own work, through its database pool.
    #[derive(Clone)]
    pub(crate) struct PageViewsServer(pub(crate) Service);

    impl NamedService for PageViewsServer {
        const NAME: &'static str = "example.PageViews";
    }

    impl<B> tonic::codegen::Service<http::Request<B>> for PageViewsServer
    where
        B: tonic::codegen::Body + Send + 'static,
        B::Error: Into<StdError> + Send + 'static,
    {
        type Response = http::Response<tonic::body::Body>;
        type Error = Infallible;
        type Future = BoxFuture<Self::Response, Infallible>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, request: http::Request<B>) -> Self::Future {
            let hit = Hit(self.0.clone());
            match request.uri().path() {
                "/example.PageViews/Hit" => Box::pin(async move {
                    let mut grpc = Grpc::new(tonic_prost::ProstCodec::default());
                    Ok(grpc.unary(hit, request).await)
                }),
                _ => Box::pin(async { Ok(tonic::Status::unimplemented("").into_http()) }),
            }
        }
    }

    struct Hit(Service);

    impl UnaryService<HitRequest> for Hit {
        type Response = HitReply;
        type Future = BoxFuture<tonic::Response<HitReply>, tonic::Status>;

        fn call(&mut self, _: tonic::Request<HitRequest>) -> Self::Future {
            let service = self.0.clone();
            Box::pin(async move {
                // The same work as the HTTP examples' `GET /`.
                let reply = service.index().await;
                let body: serde_json::Value = serde_json::from_str(&reply.body)
                    .map_err(|_| tonic::Status::internal("unreadable reply"))?;
                match body["page_views"].as_i64() {
                    Some(page_views) if reply.status == 200 => {
                        Ok(tonic::Response::new(HitReply { page_views }))
                    }
                    _ => Err(tonic::Status::unavailable("the database is not available")),
                }
            })
        }
    }
}
