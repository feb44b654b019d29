//! The example service on actix-web.
//!
//! `cargo run -p health-examples --bin actix-service`, then
//! `curl -i localhost:8081/ready` (and `/metrics`), or open
//! <http://localhost:8081/health/ui>: bound to loopback, it shows this
//! machine's browser every check (see the crate docs; off once `BIND` is
//! another address). Environment: see the `health_examples`
//! crate docs (`BIND`, `DATABASE_URL`, `REDIS_URL`, `UPSTREAM_URL`,
//! `HEALTH_TOKEN`, `HEALTH_NETWORKS`, `HEALTH_ADMIN_TOKEN`, `GIT_COMMIT`,
//! `DRAIN_DELAY_SECS`, `TRACE_PROBES`).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{AUTHORIZATION, ContentType};
use actix_web::middleware::Condition;
use actix_web::{HttpRequest, HttpResponse, HttpServer, web};
use health::http::Endpoints;
use health_examples::{Config, Error, MAINTENANCE_PATH, Reply, Service};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder, TracingLogger};

#[actix_web::main]
async fn main() -> Result<(), Error> {
    if health_examples::print_kubernetes_probes_if_asked("actix-service", "127.0.0.1:8081")? {
        return Ok(());
    }
    health_examples::init_logging();
    let metrics = web::Data::new(health_examples::init_metrics()?);
    let config = Config::from_env("127.0.0.1:8081")?;
    // Naming the library (here `Service`) links it, and its declared checks.
    let service = Service::new("actix-service", config)?;

    let data = web::Data::new(service.clone());
    let endpoints = service.endpoints().clone();
    let watch = service.runtime_watch().clone();
    let drain = health::actix::DrainMiddleware::new(service.drain().clone());
    // `DRAIN_CONNECTIONS=off` (for comparison): readiness only.
    let drain_connections = service.config().drain_connections;
    // `TRACE_PROBES=on` (for comparison): every request traced.
    let trace_probes = service.config().trace_probes;
    let server = HttpServer::new(move || {
        // Each worker runs a runtime of its own: watch them all.
        watch.watch_this_runtime();
        actix_web::App::new()
            // What `QuietProbes` asks which requests are probes.
            .app_data(endpoints.clone())
            .app_data(data.clone())
            .app_data(metrics.clone())
            .route("/metrics", web::get().to(render_metrics))
            .configure(health::actix::configure(endpoints.clone()))
            .route("/", web::get().to(index))
            // PUT sets, DELETE clears: a retried request leaves the state
            // as asked. Other methods: 405 with `Allow`.
            .service(
                web::resource(MAINTENANCE_PATH)
                    .route(web::put().to(start_maintenance))
                    .route(web::delete().to(end_maintenance))
                    .default_service(web::to(|| async {
                        respond(Service::maintenance_method_not_allowed())
                    })),
            )
            // Outermost, around every route: once the drain has begun,
            // HTTP/1.1 responses close their connections, so that clients
            // a balancer pins here reconnect elsewhere; after the delay,
            // late requests get 503 with `Retry-After`.
            // A span per request of the application, probes left out
            // (a failing probe answer still leaves the contract's
            // `health_request` span).
            .wrap(Condition::new(
                !trace_probes,
                TracingLogger::<QuietProbes>::new(),
            ))
            .wrap(Condition::new(trace_probes, TracingLogger::default()))
            .wrap(Condition::new(drain_connections, drain.clone()))
    })
    // The registry owns the signals: actix must not stop on SIGTERM by
    // itself, or it would close the listener before load balancers saw
    // readiness turn OUT_OF_SERVICE.
    .disable_signals()
    .shutdown_timeout(health_examples::REQUEST_BUDGET.as_secs())
    // HTTP/1.1 and HTTP/2 with prior knowledge (h2c) on the one port.
    .bind_auto_h2c(service.config().bind)?;
    // The bound address: with `BIND=127.0.0.1:0`, the port the OS chose.
    for addr in server.addrs() {
        tracing::info!(%addr, "listening");
    }
    // Probes first: on their own port, thread and runtime.
    let _probes = service.serve_probes()?;
    service.notify_systemd()?;
    let server = server.run();

    service.spawn_migrations();
    // When the registry's shutdown signal resolves (the drain delay after
    // SIGTERM / Ctrl-C), stop accepting and finish the requests in flight;
    // then log the drain audit.
    health::actix::serve(server, service.drain()).await?;
    tracing::info!("drained; bye");
    Ok(())
}

/// tracing-actix-web's root span for every request but the probes, which
/// the endpoints in the app's data recognise (`Endpoints::is_probe`): a
/// healthy probe leaves no span.
struct QuietProbes;

impl RootSpanBuilder for QuietProbes {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let probe = request
            .app_data::<Endpoints>()
            .is_some_and(|endpoints| endpoints.is_probe(request.path()));
        if probe {
            Span::none()
        } else {
            tracing_actix_web::root_span!(request)
        }
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

async fn render_metrics(
    metrics: web::Data<metrics_exporter_prometheus::PrometheusHandle>,
) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(metrics.render())
}

async fn index(service: web::Data<Service>) -> HttpResponse {
    respond(service.index().await)
}

async fn start_maintenance(service: web::Data<Service>, request: HttpRequest) -> HttpResponse {
    respond(service.start_maintenance(authorization(&request)))
}

async fn end_maintenance(service: web::Data<Service>, request: HttpRequest) -> HttpResponse {
    respond(service.end_maintenance(authorization(&request)))
}

fn authorization(request: &HttpRequest) -> Option<&str> {
    request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
}

fn respond(reply: Reply) -> HttpResponse {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = HttpResponse::build(status);
    response.content_type(ContentType::json());
    for (name, value) in reply.headers {
        response.insert_header((name, value));
    }
    response.body(reply.body)
}
