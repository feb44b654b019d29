//! actix-web adapter of the `health` crate: serves a registry's
//! liveness, readiness, startup, component and version endpoints, the
//! status page and the badge in an actix-web [`App`](actix_web::App).
//!
//! # Install
//!
//! Depend on the facade with the `actix` feature; this crate is then
//! `health::actix`:
//!
//! ```toml
//! [dependencies]
//! health = { version = "0.2", features = ["actix"] }
//! ```
//!
//! # Features
//!
//! None of its own. It needs actix-web 4 and works with any feature set of
//! it.
//!
//! # Example
//!
//! The registry owns the signals: the server runs with
//! [`disable_signals`](actix_web::HttpServer::disable_signals), and
//! [`serve`] stops it when `Registry::shutdown_signal` resolves (readiness
//! turns OUT_OF_SERVICE at once on SIGTERM or Ctrl-C, the future resolves
//! after the drain delay); [`DrainMiddleware`] drains the application's
//! own keep-alive connections meanwhile.
//!
//! ```no_run
//! use actix_web::{App, HttpServer, web};
//! use health_core::{Check, Registry};
//!
//! #[actix_web::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let registry = Registry::builder()
//!         .check(Check::new("db", || async { Ok::<(), std::io::Error>(()) }))
//!         .version(env!("CARGO_PKG_VERSION"))
//!         .build()?;
//!     // Other paths or a disclosure rule: `Endpoints::builder(registry)`.
//!     let health = health_http::Endpoints::new(registry)?;
//!     let drain = health_http::Drain::new(&health);
//!     let middleware = health_actix::DrainMiddleware::new(drain.clone());
//!     let server = HttpServer::new(move || {
//!         App::new()
//!             .configure(health_actix::configure(health.clone()))
//!             .route("/", web::get().to(|| async { "hello" }))
//!             .wrap(middleware.clone())
//!     })
//!     .disable_signals()
//!     .shutdown_timeout(drain.request_budget().as_secs())
//!     .bind(("127.0.0.1", 8080))?
//!     .run();
//!     // After the drain delay: stop accepting, finish the requests in
//!     // flight, log the drain audit.
//!     health_actix::serve(server, &drain).await?;
//!     Ok(())
//! }
//! ```
//!
//! Every HTTP decision (paths, status codes, headers, bodies, query
//! parameters, who sees details, the status page at `/health/ui` with its
//! data and the badge at `/health/badge.svg`) is the [`health_http`]
//! contract's; this crate only translates requests and responses.
//!
//! Probes out of the application's traces: a tracing-actix-web
//! `RootSpanBuilder` that asks
//! [`Endpoints::is_probe`](health_http::Endpoints::is_probe) (the
//! endpoints in the app's data) and gives a probe `Span::none()`; a
//! failing answer still leaves the contract's `health_request` span.

mod drain;

pub use drain::{DrainMiddleware, DrainService, Draining, serve};

use actix_web::http::StatusCode;
use actix_web::http::header::{
    ACCEPT, AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, FORWARDED, HOST, HeaderMap, HeaderName,
    HeaderValue,
};
use actix_web::{HttpRequest, HttpResponse, web};
use health_http::{ContentType, Endpoints, Headers, Method, Request, Resource, Responding};
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

/// Registers `endpoints` at their paths (by default `/health`, `/ready`, `/startup`,
/// `/health/{name}`, `/version`), for every method (anything but GET and
/// HEAD gets 405): pass it to
/// [`App::configure`](actix_web::App::configure) or
/// [`Scope::configure`](actix_web::Scope::configure).
///
/// ```
/// use actix_web::{App, web};
/// let registry = health_core::Registry::builder().without_declared().build()?;
/// let endpoints = health_http::Endpoints::new(registry)?;
/// let app = App::new().service(web::scope("/ops").configure(health_actix::configure(endpoints)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn configure(
    endpoints: Endpoints,
) -> impl Fn(&mut web::ServiceConfig) + Clone + Send + 'static {
    move |config: &mut web::ServiceConfig| {
        for route in endpoints.routes() {
            let endpoints = endpoints.clone();
            let resource = route.resource;
            config.route(
                &route.path,
                web::route().to(move |request: HttpRequest| reply(&endpoints, resource, &request)),
            );
        }
    }
}

/// The contract's answer to `request`: at once when no check has to run.
fn reply(endpoints: &Endpoints, resource: Resource, request: &HttpRequest) -> Reply {
    let uri = request.uri();
    let headers = Map(request.headers());
    // HTTP/2's `:authority` (and an absolute-form target); the contract
    // reads `Host` itself when it needs it (never `connection_info()`,
    // which believes `Forwarded` and `X-Forwarded-Host`).
    let authority = uri.authority().map(|a| a.as_str());
    let request = Request::new(method_of(request.method()), uri.path())
        .query(uri.query())
        .headers(&headers)
        .authority(authority)
        .peer(request.peer_addr().map(|addr| addr.ip()));
    Reply(endpoints.answer(resource, &request).into_future())
}

/// The handler's future: the contract's, its answer converted.
struct Reply(Responding);

impl Future for Reply {
    type Output = HttpResponse;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<HttpResponse> {
        Pin::new(&mut self.0).poll(cx).map(convert)
    }
}

/// The contract's answer as actix-web's: the constant headers made once.
fn convert(response: health_http::Response) -> HttpResponse {
    let parts = response.into_parts();
    let status = StatusCode::from_u16(parts.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = HttpResponse::with_body(status, parts.body);
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
    response.map_into_boxed_body()
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

fn method_of(method: &actix_web::http::Method) -> Method {
    match *method {
        actix_web::http::Method::GET => Method::Get,
        actix_web::http::Method::HEAD => Method::Head,
        _ => Method::Other,
    }
}

/// The request's headers, as the contract reads them.
struct Map<'a>(&'a HeaderMap);

impl Headers for Map<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        // The contract's headers by constant: no name to parse.
        let value = match name {
            "accept" => self.0.get(ACCEPT),
            "authorization" => self.0.get(AUTHORIZATION),
            "forwarded" => self.0.get(FORWARDED),
            "host" => self.0.get(HOST),
            other => self.0.get(other),
        }?;
        std::str::from_utf8(value.as_bytes()).ok()
    }

    fn lines(&self, name: &str, each: &mut dyn FnMut(&[u8])) {
        for value in self.0.get_all(name) {
            each(value.as_bytes());
        }
    }
}
