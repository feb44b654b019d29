//! [`Answer`]: an answer at once, or the work left; [`Responding`], the
//! one future of either.

use super::Later;
use crate::response::Response;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

/// What [`Endpoints::answer`](crate::Endpoints::answer) gives: an answer at
/// once, or the work left.
#[derive(Debug)]
pub enum Answer {
    /// The answer: nothing had to run or be waited for.
    Now(Response),
    /// Checks must run (or an execution under way be waited for) first:
    /// await [`Later::respond`].
    Later(Later),
}

impl IntoFuture for Answer {
    type Output = Response;
    type IntoFuture = Responding;

    /// One future for either: ready at once for [`Answer::Now`], and only
    /// for [`Answer::Later`] a boxed one. An adapter returns it (mapped to
    /// its framework's response) as its handler's future.
    fn into_future(self) -> Responding {
        Responding(match self {
            Answer::Now(response) => State::Ready(Some(response)),
            Answer::Later(later) => State::Running(Box::pin(later.respond())),
        })
    }
}

/// The future of an [`Answer`]: no allocation, and no copy of a large
/// future, when the answer is at hand.
///
/// ```
/// use health_http::{Resource, Endpoints, Method, Request};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let endpoints = Endpoints::new(health_core::Registry::builder().without_declared().build()?)?;
/// let future = endpoints.answer(Resource::Liveness, &Request::new(Method::Get, "/health"));
/// assert_eq!(future.await.status(), 200);
/// # Ok(()) }
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Responding(State);

enum State {
    Ready(Option<Response>),
    Running(Pin<Box<dyn Future<Output = Response> + Send>>),
}

impl Future for Responding {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        match &mut self.get_mut().0 {
            State::Ready(response) => Poll::Ready(response.take().unwrap_or_else(already_given)),
            State::Running(later) => later.as_mut().poll(cx),
        }
    }
}

/// Polled again after it answered: a 500 rather than a panic. Cold, and
/// out of line: every probe's poll passes next to it.
#[cold]
#[inline(never)]
fn already_given() -> Response {
    Response::error(500, "the answer was already given")
}

impl std::fmt::Debug for Responding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.0 {
            State::Ready(_) => "Responding::Ready",
            State::Running(_) => "Responding::Running",
        })
    }
}
