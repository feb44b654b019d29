//! [`ProbeService`]: the contract as a tower service over `http` 1.x.

use bytes::Bytes;
use health_http::{Endpoints, Method, Request, Responding};
use http_body_util::Full;
use std::convert::Infallible;
use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The address of a request's peer, as a request extension: a server puts
/// it there (the [`ProbeListener`](crate::ProbeListener) does) for the
/// network rules of [`Disclosure`](health_http::Disclosure).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer(pub SocketAddr);

/// The HTTP contract as a [`tower_service::Service`] over `http` 1.x: every
/// path of the [`Endpoints`] answered by it, any other path its 404.
/// Usable with plain hyper (through `hyper_util::service::TowerToHyperService`)
/// and every tower-based server; the adapters for axum and actix-web are
/// the same contract through their routers.
///
/// ```
/// use health_tower::ProbeService;
/// use tower_service::Service;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = health_core::Registry::builder().without_declared().build()?;
/// let mut service = ProbeService::new(health_http::Endpoints::new(registry)?);
/// let request = http::Request::get("/health").body(())?;
/// let response = service.call(request).await?;
/// assert_eq!(response.status(), 200);
/// assert_eq!(response.headers()["cache-control"], "no-store");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct ProbeService {
    endpoints: Endpoints,
}

impl ProbeService {
    /// The service of `endpoints`.
    pub fn new(endpoints: Endpoints) -> Self {
        Self { endpoints }
    }
}

impl<B> tower_service::Service<http::Request<B>> for ProbeService {
    type Response = http::Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = Answering;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Answering {
        let uri = request.uri();
        let method = match *request.method() {
            http::Method::GET => Method::Get,
            http::Method::HEAD => Method::Head,
            _ => Method::Other,
        };
        let peer = request.extensions().get::<Peer>().map(|p| p.0.ip());
        let contract = Request::new(method, uri.path())
            .query(uri.query())
            .headers(request.headers())
            .authority(uri.authority().map(|a| a.as_str()))
            .peer(peer);
        Answering(self.endpoints.answer_by_path(&contract).into_future())
    }
}

/// The future of [`ProbeService`]: the contract's, its answer as an
/// `http` response.
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct Answering(Responding);

impl Future for Answering {
    type Output = Result<http::Response<Full<Bytes>>, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx).map(|r| Ok(convert(r)))
    }
}

/// The contract's answer as an `http` response, copied as it is.
pub(crate) fn convert<R: From<Bytes>>(response: health_http::Response) -> http::Response<R> {
    let parts = response.into_parts();
    let mut out = http::Response::new(R::from(parts.body));
    *out.status_mut() =
        http::StatusCode::from_u16(parts.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = out.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static(parts.content_type.as_str()),
    );
    headers.insert(
        http::header::CACHE_CONTROL,
        http::HeaderValue::from_static(health_http::CACHE_CONTROL),
    );
    for (name, value) in parts.extra_headers {
        if let Ok(value) = http::HeaderValue::from_str(&value) {
            headers.append(name, value);
        }
    }
    out
}

/// A service with the connection's peer put in each request, as [`Peer`].
#[derive(Clone)]
pub(crate) struct WithPeer<S> {
    inner: S,
    peer: SocketAddr,
}

impl<S> WithPeer<S> {
    pub(crate) fn new(inner: S, peer: SocketAddr) -> Self {
        Self { inner, peer }
    }
}

impl<S, B> tower_service::Service<http::Request<B>> for WithPeer<S>
where
    S: tower_service::Service<http::Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        request.extensions_mut().insert(Peer(self.peer));
        self.inner.call(request)
    }
}
