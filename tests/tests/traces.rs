//! Probes out of the application's traces, over real servers on
//! 127.0.0.1: axum with tower-http's `TraceLayer` and actix-web with
//! tracing-actix-web's `TracingLogger`, wired as the README's "Probes out
//! of the traces" says. A healthy probe leaves no span; a failing one
//! leaves the contract's `health_request` span; the application's own
//! route keeps its span; the registry still logs each transition. A
//! control wiring (the `TraceLayer` around everything, probes not left
//! out) shows what the others save.
//!
//! Spans and events are recorded by a `tracing_subscriber` layer of the
//! global subscriber (the servers' threads and the registry's delivery
//! thread all log there), so the tests take turns.

#![allow(clippy::unwrap_used)]

use axum::Router;
use axum::body::Body;
use axum::routing;
use health::http::Endpoints;
use health::{Check, Registry};
use health_tests::client;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tower_http::trace::{DefaultMakeSpan, MakeSpan, TraceLayer};
use tracing::Span;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// A span created, or an event, with its fields as `name=value` text.
#[derive(Debug, Clone)]
struct Record {
    span: bool,
    /// The span's name, or the event's message.
    name: String,
    /// The span's id, to add the fields recorded later.
    id: u64,
    fields: String,
}

impl Record {
    fn has(&self, field: &str) -> bool {
        self.fields.split(' ').any(|f| f == field)
    }
}

/// Every span created and every event, in order.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Record>>>);

struct Fields<'a>(&'a mut String, Option<&'a mut String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match (field.name(), self.1.as_mut()) {
            ("message", Some(message)) => {
                let _ = write!(message, "{value:?}");
            }
            _ => {
                let _ = write!(self.0, " {}={value:?}", field.name());
            }
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.record_debug(field, &value);
    }
}

impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> tracing_subscriber::Layer<S> for Capture {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        _: Context<'_, S>,
    ) {
        let mut fields = String::new();
        attrs.record(&mut Fields(&mut fields, None));
        self.0.lock().unwrap().push(Record {
            span: true,
            name: attrs.metadata().name().to_owned(),
            id: id.into_u64(),
            fields,
        });
    }

    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _: Context<'_, S>,
    ) {
        let mut records = self.0.lock().unwrap();
        // Ids are reused once a span closes: the latest with this one.
        if let Some(record) = records
            .iter_mut()
            .rev()
            .find(|r| r.span && r.id == id.into_u64())
        {
            values.record(&mut Fields(&mut record.fields, None));
        }
    }

    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let (mut fields, mut message) = (String::new(), String::new());
        event.record(&mut Fields(&mut fields, Some(&mut message)));
        self.0.lock().unwrap().push(Record {
            span: false,
            name: message,
            id: 0,
            fields,
        });
    }
}

/// The global capture, installed once.
fn capture() -> &'static Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::default();
        tracing::subscriber::set_global_default(
            tracing_subscriber::registry().with(capture.clone()),
        )
        .expect("the only global subscriber");
        capture
    })
}

/// One test at a time: they share the capture.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl Capture {
    fn mark(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    /// The spans created since `mark`, but the registry's own check
    /// executions (`health_check`: root spans of the background refresh,
    /// not of any request).
    fn spans_since(&self, mark: usize) -> Vec<Record> {
        self.0.lock().unwrap()[mark..]
            .iter()
            .filter(|r| r.span && r.name != "health_check")
            .cloned()
            .collect()
    }

    /// Waits (at most 5 s) for an event since `mark` with `message` and
    /// every one of `fields`.
    async fn logged(&self, mark: usize, message: &str, fields: &[&str]) -> Record {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let found = self.0.lock().unwrap()[mark..]
                .iter()
                .find(|r| !r.span && r.name == message && fields.iter().all(|f| r.has(f)))
                .cloned();
            if let Some(record) = found {
                return record;
            }
            assert!(
                Instant::now() < deadline,
                "never logged {message:?} with {fields:?}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// A registry whose critical readiness check `name` says what `up` holds,
/// refreshed in the background every 50 ms: probes answer from its latest
/// result, as the README recommends.
fn registry(name: &'static str, up: &Arc<AtomicBool>) -> Registry {
    let up = Arc::clone(up);
    Registry::builder()
        .without_declared()
        .check(
            Check::new(name, move || {
                let up = up.load(Ordering::SeqCst);
                async move { up }
            })
            .with_timeout(Duration::from_millis(25))
            .with_interval(Duration::from_millis(50)),
        )
        .build()
        .unwrap()
}

async fn get(addr: SocketAddr, target: &str) -> u16 {
    client::request(addr, "GET", target, &[])
        .await
        .unwrap()
        .status
}

/// `/ready` answers `status`, within 5 s.
async fn ready_becomes(addr: SocketAddr, status: u16) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while get(addr, "/ready").await != status {
        assert!(Instant::now() < deadline, "/ready never answered {status}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// What one wiring left in the traces.
struct Seen {
    /// Spans of a healthy `GET /ready` and `GET /health`.
    healthy: Vec<Record>,
    /// Spans of the application's `GET /orders`.
    application: Vec<Record>,
    /// Spans of a failing `GET /ready` (503).
    failing: Vec<Record>,
}

/// Probes `addr` healthy, the application, then the probe failing (`up`
/// turned off) and healthy again; checks that the registry logged each
/// transition of `check` and of readiness.
async fn scenario(addr: SocketAddr, check: &str, up: &Arc<AtomicBool>) -> Seen {
    let capture = capture();
    ready_becomes(addr, 200).await;

    let mark = capture.mark();
    assert_eq!(get(addr, "/ready").await, 200);
    assert_eq!(get(addr, "/health").await, 200);
    let healthy = capture.spans_since(mark);

    let mark = capture.mark();
    assert_eq!(get(addr, "/orders").await, 200);
    let application = capture.spans_since(mark);

    let mark = capture.mark();
    up.store(false, Ordering::SeqCst);
    ready_becomes(addr, 503).await;
    let check_field = format!("check={check:?}");
    capture
        .logged(mark, "health check failed", &[&check_field, "to=DOWN"])
        .await;
    capture
        .logged(
            mark,
            "health probe changed",
            &["probe=\"readiness\"", "from=\"UP\"", "to=DOWN"],
        )
        .await;
    let failing_mark = capture.mark();
    assert_eq!(get(addr, "/ready").await, 503);
    let failing = capture.spans_since(failing_mark);

    let mark = capture.mark();
    up.store(true, Ordering::SeqCst);
    ready_becomes(addr, 200).await;
    capture
        .logged(mark, "health check recovered", &[&check_field])
        .await;
    capture
        .logged(
            mark,
            "health probe changed",
            &["probe=\"readiness\"", "from=\"DOWN\"", "to=UP"],
        )
        .await;
    Seen {
        healthy,
        application,
        failing,
    }
}

/// The contract's span of a failing `GET /ready`.
fn assert_failure_span(span: &Record) {
    assert_eq!(span.name, "health_request", "{span:?}");
    for field in [
        "http.response.status_code=503",
        "http.route=\"/ready\"",
        "http.request.method=\"GET\"",
        "otel.kind=\"server\"",
        "otel.status_code=\"ERROR\"",
    ] {
        assert!(span.has(field), "{field} in {span:?}");
    }
}

fn names(spans: &[Record]) -> Vec<&str> {
    spans.iter().map(|s| s.name.as_str()).collect()
}

/// Serves `app` with axum on 127.0.0.1.
async fn serve_axum(app: Router) -> (SocketAddr, tokio::task::AbortHandle) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, task.abort_handle())
}

fn orders() -> Router {
    Router::new().route("/orders", routing::get(|| async { "[]" }))
}

/// axum's recommended wiring: the health routes merged after the
/// `TraceLayer`, so it never sees a probe.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axum_health_routes_merged_after_the_trace_layer() {
    let _turn = TURN.lock().await;
    let up = Arc::new(AtomicBool::new(true));
    let endpoints = Endpoints::new(registry("db-merged", &up)).unwrap();
    let app = orders()
        .layer(TraceLayer::new_for_http())
        .merge(health::axum::routes(endpoints));
    let (addr, server) = serve_axum(app).await;

    let seen = scenario(addr, "db-merged", &up).await;
    assert!(seen.healthy.is_empty(), "{:?}", seen.healthy);
    assert_eq!(names(&seen.application), ["request"]);
    assert_eq!(seen.failing.len(), 1, "{:?}", seen.failing);
    assert_failure_span(&seen.failing[0]);
    server.abort();
}

/// The `TraceLayer` around everything (a layer on the whole router, or on
/// a server's whole service): `make_span_with` leaves probes out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axum_trace_layer_around_everything_leaves_probes_out() {
    let _turn = TURN.lock().await;
    let up = Arc::new(AtomicBool::new(true));
    let endpoints = Endpoints::new(registry("db-layered", &up)).unwrap();
    let probes = endpoints.clone();
    let mut application = DefaultMakeSpan::new();
    let app = orders().merge(health::axum::routes(endpoints)).layer(
        TraceLayer::new_for_http().make_span_with(move |request: &http::Request<Body>| {
            if probes.is_probe(request.uri().path()) {
                Span::none()
            } else {
                application.make_span(request)
            }
        }),
    );
    let (addr, server) = serve_axum(app).await;

    let seen = scenario(addr, "db-layered", &up).await;
    assert!(seen.healthy.is_empty(), "{:?}", seen.healthy);
    assert_eq!(names(&seen.application), ["request"]);
    assert_eq!(seen.failing.len(), 1, "{:?}", seen.failing);
    assert_failure_span(&seen.failing[0]);
    server.abort();
}

/// The control: the `TraceLayer` around everything, probes not left out:
/// a span per probe, healthy or not (the contract's span of a failure
/// then sits inside the request's).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axum_control_every_probe_traced() {
    let _turn = TURN.lock().await;
    let up = Arc::new(AtomicBool::new(true));
    let endpoints = Endpoints::new(registry("db-control", &up)).unwrap();
    let app = orders()
        .merge(health::axum::routes(endpoints))
        .layer(TraceLayer::new_for_http());
    let (addr, server) = serve_axum(app).await;

    let seen = scenario(addr, "db-control", &up).await;
    assert_eq!(names(&seen.healthy), ["request", "request"]);
    assert_eq!(names(&seen.application), ["request"]);
    assert_eq!(names(&seen.failing), ["request", "health_request"]);
    assert_failure_span(&seen.failing[1]);
    server.abort();
}

/// The probes on their own listener (the recommended wiring under load):
/// no application middleware there, and the contract's span of a failure
/// all the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probe_listener_traces_failures_only() {
    let _turn = TURN.lock().await;
    let up = Arc::new(AtomicBool::new(true));
    let endpoints = Endpoints::new(registry("db-listener", &up)).unwrap();
    let serving = health::tower::ProbeListener::bind("127.0.0.1:0")
        .unwrap()
        .serve(endpoints)
        .unwrap();
    let addr = serving.local_addr();
    let capture = capture();
    ready_becomes(addr, 200).await;
    let mark = capture.mark();
    assert_eq!(get(addr, "/ready").await, 200);
    assert!(capture.spans_since(mark).is_empty());

    up.store(false, Ordering::SeqCst);
    ready_becomes(addr, 503).await;
    let mark = capture.mark();
    assert_eq!(get(addr, "/ready").await, 503);
    let failing = capture.spans_since(mark);
    assert_eq!(failing.len(), 1, "{failing:?}");
    assert_failure_span(&failing[0]);
    // Not the contract's path: the listener's 404, no span.
    let mark = capture.mark();
    assert_eq!(get(addr, "/orders").await, 404);
    assert!(capture.spans_since(mark).is_empty());
}

mod actix {
    use super::*;
    use actix_web::body::MessageBody;
    use actix_web::dev::{ServiceRequest, ServiceResponse};
    use actix_web::{App, HttpServer, web};
    use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder, TracingLogger};

    /// The README's root span builder: no span for a probe (the
    /// endpoints are in the app's data), tracing-actix-web's for the rest.
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

    /// Serves the endpoints and `/orders` under `TracingLogger<QuietProbes>`
    /// on a thread of its own; stopped when the handle is.
    fn serve(endpoints: Endpoints) -> (SocketAddr, actix_web::dev::ServerHandle) {
        let (bound, addr) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(endpoints.clone())
                        .configure(health::actix::configure(endpoints.clone()))
                        .route("/orders", web::get().to(|| async { "[]" }))
                        .wrap(TracingLogger::<QuietProbes>::new())
                })
                .workers(1)
                .disable_signals()
                .shutdown_timeout(1)
                .bind("127.0.0.1:0")
                .unwrap();
                let addr = server.addrs()[0];
                let server = server.run();
                let _ = bound.send((addr, server.handle()));
                let _ = server.await;
            });
        });
        addr.recv_timeout(Duration::from_secs(10)).unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn actix_tracing_logger_with_a_root_span_builder_leaves_probes_out() {
        let _turn = TURN.lock().await;
        let up = Arc::new(AtomicBool::new(true));
        let endpoints = Endpoints::new(registry("db-actix", &up)).unwrap();
        let (addr, server) = serve(endpoints);

        let seen = scenario(addr, "db-actix", &up).await;
        assert!(seen.healthy.is_empty(), "{:?}", seen.healthy);
        assert_eq!(names(&seen.application), ["HTTP request"]);
        assert!(
            seen.application[0].has("http.status_code=200"),
            "{:?}",
            seen.application
        );
        assert_eq!(seen.failing.len(), 1, "{:?}", seen.failing);
        assert_failure_span(&seen.failing[0]);
        server.stop(true).await;
    }
}
