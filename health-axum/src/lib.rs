//! axum adapter of the `health` crate: serves a registry's liveness,
//! readiness, startup, component and version endpoints, the status page and
//! the badge on an axum [`Router`].
//!
//! # Install
//!
//! Depend on the facade with the `axum` feature; this crate is then
//! `health::axum`:
//!
//! ```toml
//! [dependencies]
//! health = { version = "0.2", features = ["axum"] }
//! ```
//!
//! # Features
//!
//! `http2`: [`serve`] also speaks HTTP/2 with prior knowledge (h2c), with
//! GOAWAY from the drain's start. It needs axum 0.8 with its `tokio` and
//! `http1` features, and works with any other feature set of axum.
//!
//! # Example
//!
//! ```no_run
//! use axum::Router;
//! use axum::routing::get;
//! use health_core::{Check, Registry};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let registry = Registry::builder()
//!         .check(Check::new("db", || async { Ok::<(), std::io::Error>(()) }))
//!         .version(env!("CARGO_PKG_VERSION"))
//!         .build()?;
//!     // Other paths or a disclosure rule: `Endpoints::builder(registry)`.
//!     let endpoints = health_http::Endpoints::new(registry.clone())?;
//!     let drain = health_http::Drain::new(&endpoints);
//!     let app = Router::new()
//!         .route("/", get(|| async { "hello" }))
//!         .merge(health_axum::routes(endpoints));
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//!     // SIGTERM: readiness turns OUT_OF_SERVICE at once, the application's
//!     // connections are drained (`Connection: close`, GOAWAY), the server
//!     // stops accepting after the drain delay and logs the drain audit.
//!     health_axum::serve(listener, app, drain).await?;
//!     Ok(())
//! }
//! ```
//!
//! Every HTTP decision (paths, status codes, headers, bodies, query
//! parameters, who sees details, the status page at `/health/ui` with its
//! data and the badge at `/health/badge.svg`) is the [`health_http`]
//! contract's; this crate only translates requests and responses.
//!
//! Probes out of the application's traces: merge these routes after the
//! router's `TraceLayer` (or have its `make_span_with` ask
//! [`Endpoints::is_probe`](health_http::Endpoints::is_probe)); a failing
//! answer still leaves the contract's `health_request` span.

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request as AxumRequest};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderName, HeaderValue};
use axum::response::Response as AxumResponse;
use axum::routing::get_service;
use health_http::{ContentType, Endpoints, Method, Request, Resource, Responding};
use std::convert::Infallible;
use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A router serving `endpoints` at their paths (by default `/health`, `/ready`, `/startup`,
/// `/health/{name}`, `/version`), every method (anything but GET and HEAD
/// gets 405).
///
/// Merge it into an application's router, or nest it under a prefix; it
/// takes on any router state `S`.
///
/// ```
/// use axum::Router;
/// let registry = health_core::Registry::builder().without_declared().build()?;
/// let endpoints = health_http::Endpoints::new(registry)?;
/// let app: Router = Router::new().nest("/ops", health_axum::routes(endpoints));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Panics
///
/// Like [`Router::merge`], if merged into a router that already serves
/// one of these paths. The endpoints' own paths never clash:
/// [`EndpointsBuilder::build`](health_http::EndpointsBuilder::build)
/// refuses paths that would.
pub fn routes<S: Clone + Send + Sync + 'static>(endpoints: Endpoints) -> Router<S> {
    endpoints
        .routes()
        .iter()
        .fold(Router::new(), |router, route| {
            let service = Serve {
                endpoints: endpoints.clone(),
                resource: route.resource,
            };
            // GET (axum's `get_service` takes HEAD too) by the direct route,
            // which costs less per request than `any_service`; every other
            // method by the fallback, to the contract's 405.
            router.route(
                &route.path,
                get_service(service.clone()).fallback_service(service),
            )
        })
}

/// Serves `app` on `listener` until the drain is over, draining the
/// application's own connections and not only its readiness
/// ([`health_tower::serve`] does the work): on a stop signal readiness
/// turns OUT_OF_SERVICE, HTTP/1.1 responses carry `Connection: close` and
/// HTTP/2 connections get GOAWAY, so that clients pinned to this replica
/// (kube-proxy, a TCP balancer, their own pools) reconnect elsewhere;
/// after the drain delay the listener closes, late requests get 503 with
/// `Retry-After`, requests in flight finish within the drain's budget,
/// and the drain audit is logged. Handlers read the peer with axum's
/// `ConnectInfo<SocketAddr>`. HTTP/2 (h2c) needs the `http2` feature.
///
/// In place of `axum::serve(listener, app).with_graceful_shutdown(registry.shutdown_signal())`:
///
/// ```no_run
/// use axum::Router;
/// use axum::routing::get;
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = health_core::Registry::builder().build()?;
/// let endpoints = health_http::Endpoints::new(registry)?;
/// let drain = health_http::Drain::new(&endpoints);
/// let app = Router::new()
///     .route("/", get(|| async { "hello" }))
///     .merge(health_axum::routes(endpoints));
/// let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
/// health_axum::serve(listener, app, drain).await?;
/// # Ok(()) }
/// ```
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    drain: health_http::Drain,
) -> std::io::Result<()> {
    health_tower::serve(
        listener,
        move |peer| WithConnectInfo {
            app: app.clone(),
            peer,
        },
        drain,
    )
    .await
}

/// The router with axum's `ConnectInfo` put in each request.
#[derive(Clone)]
struct WithConnectInfo {
    app: Router,
    peer: SocketAddr,
}

impl<B> tower_service::Service<axum::http::Request<B>> for WithConnectInfo
where
    Router: tower_service::Service<axum::http::Request<B>>,
{
    type Response = <Router as tower_service::Service<axum::http::Request<B>>>::Response;
    type Error = <Router as tower_service::Service<axum::http::Request<B>>>::Error;
    type Future = <Router as tower_service::Service<axum::http::Request<B>>>::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        tower_service::Service::<axum::http::Request<B>>::poll_ready(&mut self.app, cx)
    }

    fn call(&mut self, mut request: axum::http::Request<B>) -> Self::Future {
        request.extensions_mut().insert(ConnectInfo(self.peer));
        self.app.call(request)
    }
}

/// One resource as a tower service: its future is the contract's answer,
/// no handler's future around it.
#[derive(Clone)]
struct Serve {
    endpoints: Endpoints,
    resource: Resource,
}

impl tower_service::Service<AxumRequest> for Serve {
    type Response = AxumResponse;
    type Error = Infallible;
    type Future = Reply;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: AxumRequest) -> Reply {
        reply(&self.endpoints, self.resource, &request)
    }
}

/// The contract's answer to `request`: at once when no check has to run.
fn reply(endpoints: &Endpoints, resource: Resource, request: &AxumRequest) -> Reply {
    let (method, uri) = (request.method(), request.uri());
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    // HTTP/2's `:authority` (and an absolute-form target); the contract
    // reads `Host` itself when it needs it (never `connection_info()`,
    // which believes `Forwarded` and `X-Forwarded-Host`).
    let authority = uri.authority().map(|a| a.as_str());
    let request = Request::new(method_of(method), uri.path())
        .query(uri.query())
        .headers(request.headers())
        .authority(authority)
        .peer(peer);
    Reply(endpoints.answer(resource, &request).into_future())
}

/// The service's future: the contract's, its answer converted.
struct Reply(Responding);

impl Future for Reply {
    type Output = Result<AxumResponse, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0)
            .poll(cx)
            .map(|response| Ok(convert(response)))
    }
}

/// The contract's answer as axum's: the constant headers made once.
fn convert(response: health_http::Response) -> AxumResponse {
    let parts = response.into_parts();
    let mut response = AxumResponse::new(Body::from(parts.body));
    *response.status_mut() =
        StatusCode::from_u16(parts.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, content_type(parts.content_type));
    headers.insert(CACHE_CONTROL, NO_STORE);
    for (name, value) in parts.extra_headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            headers.append(name, value);
        }
    }
    response
}

const NO_STORE: HeaderValue = HeaderValue::from_static(health_http::CACHE_CONTROL);

fn content_type(content_type: ContentType) -> HeaderValue {
    const JSON: HeaderValue = HeaderValue::from_static(ContentType::Json.as_str());
    const HEALTH_JSON: HeaderValue = HeaderValue::from_static(ContentType::HealthJson.as_str());
    const TEXT: HeaderValue = HeaderValue::from_static(ContentType::Text.as_str());
    const HTML: HeaderValue = HeaderValue::from_static(ContentType::Html.as_str());
    const SVG: HeaderValue = HeaderValue::from_static(ContentType::Svg.as_str());
    match content_type {
        ContentType::Json => JSON,
        ContentType::HealthJson => HEALTH_JSON,
        ContentType::Text => TEXT,
        ContentType::Html => HTML,
        ContentType::Svg => SVG,
        other => HeaderValue::from_static(other.as_str()),
    }
}

fn method_of(method: &axum::http::Method) -> Method {
    match *method {
        axum::http::Method::GET => Method::Get,
        axum::http::Method::HEAD => Method::Head,
        _ => Method::Other,
    }
}
