//! [`DrainLayer`]: the drain's decision on every request of a tower
//! service.

use crate::service::convert;
use bytes::Bytes;
use health_http::{Drain, DrainDecision, Http};
use http::header::{CONNECTION, HeaderValue, USER_AGENT};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A [`tower_layer::Layer`] that drains the application's own traffic:
/// [`Drain`]'s decision on every request. Once the drain has begun, each
/// HTTP/1 response of the application carries `Connection: close`, so
/// that keep-alive clients reconnect through the balancer; after the
/// delay, requests are refused (503, `Retry-After`). Probes pass
/// untouched. Wrap the whole application in it (in axum,
/// `Router::layer`, after every route is added).
///
/// HTTP/2 connections cannot be closed by a response: the server sends
/// them GOAWAY. [`serve`](crate::serve) does, from the drain's start; so
/// use it, or a server that does the same, for HTTP/2.
///
/// The refusal's body is built with `From<Bytes>`, which axum's `Body`
/// and `http_body_util::Full<Bytes>` implement.
///
/// ```
/// use health_tower::{DrainLayer, ProbeService};
/// use tower_layer::Layer;
/// use tower_service::Service;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = health_core::Registry::builder().without_declared().build()?;
/// let endpoints = health_http::Endpoints::new(registry.clone())?;
/// // Any tower service stands for the application here.
/// let application = ProbeService::new(endpoints.clone());
/// let mut app = DrainLayer::new(health_http::Drain::new(&endpoints)).layer(application);
///
/// registry.begin_drain();
/// let response = app.call(http::Request::get("/orders").body(())?).await?;
/// assert_eq!(response.headers()["connection"], "close");
/// let probe = app.call(http::Request::get("/health").body(())?).await?;
/// assert!(probe.headers().get("connection").is_none());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct DrainLayer {
    drain: Drain,
}

impl DrainLayer {
    /// The layer of `drain`.
    pub fn new(drain: Drain) -> Self {
        Self { drain }
    }
}

impl<S> tower_layer::Layer<S> for DrainLayer {
    type Service = DrainService<S>;

    fn layer(&self, inner: S) -> DrainService<S> {
        DrainService {
            inner,
            drain: self.drain.clone(),
        }
    }
}

/// The service [`DrainLayer`] wraps around the application.
#[derive(Debug, Clone)]
pub struct DrainService<S> {
    inner: S,
    drain: Drain,
}

impl<S, B, R> tower_service::Service<http::Request<B>> for DrainService<S>
where
    S: tower_service::Service<http::Request<B>, Response = http::Response<R>>,
    R: From<Bytes>,
{
    type Response = http::Response<R>;
    type Error = S::Error;
    type Future = Draining<S::Future, R>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let agent = request.headers().get(USER_AGENT).map(HeaderValue::as_bytes);
        let protocol = if request.version() < http::Version::HTTP_2 {
            Http::One
        } else {
            Http::Two
        };
        let decision = self.drain.decide(request.uri().path(), agent, protocol);
        let marks = Marks {
            close: decision.closes_connection(),
            header: self.drain.header(decision),
        };
        match decision {
            // The contract's refusal has its headers; the connection closes.
            DrainDecision::Refuse => Draining {
                serving: None,
                refused: Some(
                    Marks {
                        header: None,
                        ..marks
                    }
                    .put(convert(self.drain.refusal())),
                ),
                marks,
            },
            _ => Draining {
                serving: Some(self.inner.call(request)),
                refused: None,
                marks,
            },
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
    fn put<R>(self, mut response: http::Response<R>) -> http::Response<R> {
        let headers = response.headers_mut();
        if self.close {
            headers.insert(CONNECTION, HeaderValue::from_static("close"));
        }
        if let Some((name, value)) = self.header {
            headers.insert(
                http::HeaderName::from_static(name),
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
    pub struct Draining<F, R> {
        #[pin]
        serving: Option<F>,
        refused: Option<http::Response<R>>,
        marks: Marks,
    }
}

impl<F, R, E> Future for Draining<F, R>
where
    F: Future<Output = Result<http::Response<R>, E>>,
{
    type Output = Result<http::Response<R>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Some(refused) = this.refused.take() {
            return Poll::Ready(Ok(refused));
        }
        match this.serving.as_pin_mut() {
            Some(serving) => {
                let marks = *this.marks;
                serving.poll(cx).map(|result| result.map(|r| marks.put(r)))
            }
            // Polled again after it finished.
            None => Poll::Pending,
        }
    }
}
