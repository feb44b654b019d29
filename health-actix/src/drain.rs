//! [`DrainMiddleware`] and [`serve`]: the application's own connections
//! drained, not only its readiness.

use crate::convert;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Server, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{HeaderName, HeaderValue, USER_AGENT};
use actix_web::http::{ConnectionType, Version};
use health_http::{DRAIN_QUIET, Drain, DrainDecision, Http};
use std::future::{Future, Ready, ready};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

/// Middleware that drains the application's own traffic: [`Drain`]'s
/// decision on every request. Once the drain has begun, each HTTP/1
/// response of the application closes its connection (`Connection:
/// close`), so that keep-alive clients reconnect through the balancer,
/// elsewhere; after the delay, requests are refused (503, `Retry-After`).
/// Probes pass untouched. Wrap the whole `App` in it
/// ([`App::wrap`](actix_web::App::wrap)), and run the server with
/// [`serve`].
///
/// HTTP/2: actix-web (actix-http 3) has no way to send GOAWAY, so an
/// HTTP/2 connection a balancer pins here stays until the server stops,
/// and its requests are served (and counted) until then; what is in
/// flight when the server's `shutdown_timeout` ends fails. Serve HTTP/2
/// clients that a balancer pins through a server that sends GOAWAY
/// (`health::axum::serve`, tonic), or behind a proxy that does.
///
/// ```
/// use actix_web::{App, test, web};
/// # #[actix_web::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = health_core::Registry::builder().without_declared().build()?;
/// let endpoints = health_http::Endpoints::new(registry.clone())?;
/// let drain = health_http::Drain::new(&endpoints);
/// let app = test::init_service(
///     App::new()
///         .configure(health_actix::configure(endpoints))
///         .route("/orders", web::get().to(|| async { "[]" }))
///         .wrap(health_actix::DrainMiddleware::new(drain)),
/// )
/// .await;
/// registry.begin_drain();
/// let response = test::call_service(&app, test::TestRequest::get().uri("/orders").to_request()).await;
/// assert_eq!(response.response().head().connection_type(), actix_web::http::ConnectionType::Close);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct DrainMiddleware {
    drain: Drain,
}

impl DrainMiddleware {
    /// The middleware of `drain`.
    pub fn new(drain: Drain) -> Self {
        Self { drain }
    }
}

impl<S, B> Transform<S, ServiceRequest> for DrainMiddleware
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Transform = DrainService<S>;
    type InitError = ();
    type Future = Ready<Result<DrainService<S>, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(DrainService {
            service: Rc::new(service),
            drain: self.drain.clone(),
        }))
    }
}

/// The service [`DrainMiddleware`] wraps around the application.
#[derive(Debug)]
pub struct DrainService<S> {
    service: Rc<S>,
    drain: Drain,
}

impl<S, B> Service<ServiceRequest> for DrainService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Future = Draining<S::Future, B>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, request: ServiceRequest) -> Self::Future {
        let agent = request.headers().get(USER_AGENT).map(HeaderValue::as_bytes);
        let protocol = if request.version() < Version::HTTP_2 {
            Http::One
        } else {
            Http::Two
        };
        let decision = self.drain.decide(request.path(), agent, protocol);
        let marks = Marks {
            close: decision.closes_connection(),
            header: self.drain.header(decision),
        };
        if decision == DrainDecision::Refuse {
            // The contract's refusal has its headers; the connection closes.
            let refusal = request
                .into_response(convert(self.drain.refusal()))
                .map_into_right_body();
            let close = Marks {
                header: None,
                ..marks
            };
            return Draining {
                serving: None,
                refused: Some(close.put(refusal)),
                marks,
            };
        }
        Draining {
            serving: Some(self.service.call(request)),
            refused: None,
            marks,
        }
    }
}

/// What a drained response gets: `Connection: close`, and the contract's
/// header.
#[derive(Debug, Clone, Copy)]
struct Marks {
    close: bool,
    header: Option<(&'static str, &'static str)>,
}

impl Marks {
    fn put<B>(self, mut response: ServiceResponse<B>) -> ServiceResponse<B> {
        let response_mut = response.response_mut();
        if self.close {
            response_mut
                .head_mut()
                .set_connection_type(ConnectionType::Close);
        }
        if let Some((name, value)) = self.header {
            response_mut.headers_mut().insert(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        response
    }
}

pin_project_lite::pin_project! {
    /// The future of [`DrainService`]: the application's response, marked;
    /// or the refusal.
    #[must_use = "futures do nothing unless polled"]
    pub struct Draining<F, B> {
        #[pin]
        serving: Option<F>,
        refused: Option<ServiceResponse<EitherBody<B>>>,
        marks: Marks,
    }
}

impl<F, B> Future for Draining<F, B>
where
    F: Future<Output = Result<ServiceResponse<B>, actix_web::Error>>,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, actix_web::Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Some(refused) = this.refused.take() {
            return Poll::Ready(Ok(refused));
        }
        match this.serving.as_pin_mut() {
            Some(serving) => {
                let marks = *this.marks;
                serving
                    .poll(cx)
                    .map(|result| result.map(|r| marks.put(r.map_into_left_body())))
            }
            // Polled again after it finished.
            None => Poll::Pending,
        }
    }
}

/// Runs `server` until the drain is over: when the registry's
/// [`shutdown_signal`](health_core::Registry::shutdown_signal) resolves
/// (the drain delay after a stop signal), late requests are refused (and
/// counted) until none came for [`DRAIN_QUIET`] (at most the drain's
/// request budget); then the server stops accepting and finishes its
/// requests in flight (within its `shutdown_timeout`: set it to the
/// drain's request budget), and the drain audit is logged.
///
/// Build the server with
/// [`disable_signals`](actix_web::HttpServer::disable_signals): the
/// registry owns the signals, and actix-web must not stop on SIGTERM by
/// itself, before load balancers saw readiness turn OUT_OF_SERVICE.
///
/// ```no_run
/// use actix_web::{App, HttpServer, web};
/// # #[actix_web::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = health_core::Registry::builder().build()?;
/// let endpoints = health_http::Endpoints::new(registry)?;
/// let drain = health_http::Drain::new(&endpoints);
/// let middleware = health_actix::DrainMiddleware::new(drain.clone());
/// let server = HttpServer::new(move || {
///     App::new()
///         .configure(health_actix::configure(endpoints.clone()))
///         .route("/", web::get().to(|| async { "hello" }))
///         .wrap(middleware.clone())
/// })
/// .disable_signals()
/// .shutdown_timeout(drain.request_budget().as_secs())
/// .bind(("0.0.0.0", 8080))?
/// .run();
/// health_actix::serve(server, &drain).await?;
/// # Ok(()) }
/// ```
pub async fn serve(server: Server, drain: &Drain) -> std::io::Result<()> {
    let registry = drain.registry().clone();
    let handle = server.handle();
    let stop = registry.shutdown_signal();
    let (quiet, budget) = (registry.clone(), drain.request_budget());
    actix_web::rt::spawn(async move {
        stop.await;
        // Late requests are refused (and counted) until they stop coming.
        let _ = tokio::time::timeout(budget, quiet.drain_quiet(DRAIN_QUIET)).await;
        // Graceful: stop accepting, finish the requests in flight.
        handle.stop(true).await;
    });
    let served = server.await;
    if let Some(report) = registry.drain_report() {
        report.log();
    }
    served
}
