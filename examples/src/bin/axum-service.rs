//! The example service on axum.
//!
//! `cargo run -p health-examples --bin axum-service`, then
//! `curl -i localhost:8080/ready` (and `/metrics`), or open
//! <http://localhost:8080/health/ui>: bound to loopback, it shows this
//! machine's browser every check (see the crate docs; off once `BIND` is
//! another address). Environment: see the `health_examples`
//! crate docs (`BIND`, `DATABASE_URL`, `REDIS_URL`, `UPSTREAM_URL`,
//! `HEALTH_TOKEN`, `HEALTH_NETWORKS`, `HEALTH_ADMIN_TOKEN`, `GIT_COMMIT`,
//! `DRAIN_DELAY_SECS`, `TRACE_PROBES`).

use axum::Router;
use axum::extract::State;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use health_examples::{Config, Error, MAINTENANCE_PATH, Reply, Service};
use std::net::SocketAddr;
use tower_http::trace::{DefaultMakeSpan, TraceLayer};
use tracing::Level;

/// The Prometheus text exposition format.
const PROMETHEUS: &str = "text/plain; version=0.0.4";

#[tokio::main]
async fn main() -> Result<(), Error> {
    if health_examples::print_kubernetes_probes_if_asked("axum-service", "127.0.0.1:8080")? {
        return Ok(());
    }
    health_examples::init_logging();
    let metrics = health_examples::init_metrics()?;
    let config = Config::from_env("127.0.0.1:8080")?;
    // Naming the library (here `Service`) links it, and its declared checks.
    let service = Service::new("axum-service", config)?;
    let registry = service.registry().clone();

    // The application's own routes.
    let application = Router::new()
        .route("/", get(index))
        // PUT sets, DELETE clears: a retried request leaves the state as
        // asked. Other methods: 405 with `Allow`.
        .route(
            MAINTENANCE_PATH,
            put(start_maintenance)
                .delete(end_maintenance)
                .fallback(|| async { respond(Service::maintenance_method_not_allowed()) }),
        )
        .with_state(service.clone())
        .route(
            "/metrics",
            get(move || {
                let text = metrics.render();
                async move { ([(CONTENT_TYPE, PROMETHEUS)], text) }
            }),
        );
    let health = health::axum::routes(service.endpoints().clone());
    // A span per request of the application (INFO, as the logs show
    // them). axum applies a layer to the routes already there: merged
    // after it, the probes never get one (a failing probe answer still
    // leaves the contract's `health_request` span).
    let trace =
        TraceLayer::new_for_http().make_span_with(DefaultMakeSpan::new().level(Level::INFO));
    let app = if service.config().trace_probes {
        // `TRACE_PROBES=on`, for comparison: every request traced.
        application.merge(health).layer(trace)
    } else {
        application.layer(trace).merge(health)
    };

    // Probes first: on their own port, thread and runtime.
    let _probes = service.serve_probes()?;
    service.notify_systemd()?;
    let listener = tokio::net::TcpListener::bind(service.config().bind).await?;
    tracing::info!(addr = %listener.local_addr()?, "listening");
    service.spawn_migrations();
    if service.config().drain_connections {
        // On SIGTERM / Ctrl-C: readiness turns OUT_OF_SERVICE at once;
        // HTTP/1.1 responses carry `Connection: close` and HTTP/2
        // connections get GOAWAY, so that clients a balancer pins here
        // reconnect elsewhere; after the drain delay the listener closes,
        // requests in flight finish within the budget, and the drain
        // audit is logged. HTTP/1.1 and HTTP/2 (h2c) on the one port.
        health::axum::serve(listener, app, service.drain().clone()).await?;
    } else {
        // `DRAIN_CONNECTIONS=off`, for comparison: readiness only; axum
        // stops accepting after the delay and finishes what is in flight.
        // With the peer's address: the `HEALTH_NETWORKS` rule reads it.
        let app = app.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, app)
            .with_graceful_shutdown(registry.shutdown_signal())
            .await?;
    }
    tracing::info!("drained; bye");
    Ok(())
}

async fn index(State(service): State<Service>) -> Response {
    respond(service.index().await)
}

async fn start_maintenance(State(service): State<Service>, headers: HeaderMap) -> Response {
    respond(service.start_maintenance(authorization(&headers)))
}

async fn end_maintenance(State(service): State<Service>, headers: HeaderMap) -> Response {
    respond(service.end_maintenance(authorization(&headers)))
}

fn authorization(headers: &HeaderMap) -> Option<&str> {
    headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok())
}

fn respond(reply: Reply) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, [(CONTENT_TYPE, "application/json")], reply.body).into_response();
    for (name, value) in reply.headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(name), value);
        }
    }
    response
}
