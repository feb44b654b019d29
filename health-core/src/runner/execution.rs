//! One execution of a check: bounded by its timeout, isolated from panics,
//! owned by the caller that leads it or, once it waits for I/O, by a task
//! of its own, so it always finishes and is recorded.

use super::later::later;
use crate::check::{Check, CheckFuture, take_waiting_for};
use crate::hygiene::redact;
use crate::model::{Finished, Outcome};
use futures_util::FutureExt;
use futures_util::future::CatchUnwind;
use std::borrow::Cow;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use tokio::time::{Instant, Sleep};

/// What an execution needs of the cell it runs for: the check, how to
/// call it, and where its result goes.
pub(crate) trait Host: Send + Sync + 'static {
    /// The check.
    fn check(&self) -> &Check;
    /// Calls the check's run function: the check's own code starts here.
    fn call(&self) -> CheckFuture;
    /// Records the outcome of the execution started at `started`, which
    /// ends it: the stored result.
    fn finish(&self, outcome: Outcome, started: Instant) -> Arc<Finished>;
}

/// One execution. A plain struct rather than an `async` block: its timer
/// is armed only if the check does not finish at its first poll, so a
/// result at hand never touches the timer wheel. Dropped unfinished (its
/// runtime shut down, or its self-driving caller gave up), it is finished
/// DOWN, so its slot never waits for it forever.
pub(crate) struct Execution<H: Host> {
    host: Arc<H>,
    /// `None` once finished.
    running: Option<Running>,
}

struct Running {
    started: Instant,
    call: CatchUnwind<AssertUnwindSafe<CheckFuture>>,
    timer: Option<Pin<Box<Sleep>>>,
    /// What the check last said it waits for (see `check::waiting_for`).
    waiting_for: Option<Cow<'static, str>>,
    /// One span per execution: check, probes, then status, duration and
    /// (past the slow threshold) `slow = true`. A
    /// root span: the execution is shared by every waiting request, and
    /// may outlive the one that started it.
    span: tracing::Span,
}

impl<H: Host> Execution<H> {
    /// Starts an execution at `started`: calls the check's run function,
    /// outside any lock.
    pub(crate) fn start(host: Arc<H>, started: Instant) -> Self {
        let check = host.check();
        let span = tracing::info_span!(
            parent: None,
            "health_check",
            check = %check.name(),
            probes = ?check.policy().probes(),
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            slow = tracing::field::Empty,
        );
        // A run-time check's closure may panic before it returns a future.
        let future = span
            .in_scope(|| std::panic::catch_unwind(AssertUnwindSafe(|| host.call())))
            .unwrap_or_else(|panic| Box::pin(std::future::ready(panicked(check, &*panic))));
        let running = Running {
            started,
            call: AssertUnwindSafe(future).catch_unwind(),
            timer: None,
            waiting_for: None,
            span,
        };
        Self {
            host,
            running: Some(running),
        }
    }

    /// The first poll, with a waker that does nothing: most checks finish
    /// here, and a leader must not be woken for its own completion.
    pub(crate) fn poll_first(&mut self) -> Poll<Arc<Finished>> {
        self.poll_execution(&mut Context::from_waker(Waker::noop()))
    }

    /// Polls the check, then its timer.
    pub(crate) fn poll_execution(&mut self, cx: &mut Context<'_>) -> Poll<Arc<Finished>> {
        let host = &*self.host;
        // Polled again after it finished: never, by the runner's code.
        let Some(run) = self.running.as_mut() else {
            return Poll::Pending;
        };
        let entered = run.span.enter();
        let polled = Pin::new(&mut run.call).poll(cx);
        if let Some(what) = take_waiting_for() {
            run.waiting_for = Some(what);
        }
        let outcome = match polled {
            Poll::Ready(Ok(outcome)) => outcome,
            Poll::Ready(Err(panic)) => panicked(host.check(), &*panic),
            Poll::Pending => {
                let timeout = host.check().policy().timeout();
                let started = run.started;
                let timer = &mut run.timer;
                // Tokio's timer panics without a runtime, or with one shutting
                // down: that is DOWN too, never a panic through every waiter.
                let expired = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    let timer = timer.get_or_insert_with(|| {
                        Box::pin(tokio::time::sleep_until(later(started, timeout)))
                    });
                    timer.as_mut().poll(cx).is_ready()
                }));
                match expired {
                    Ok(false) => return Poll::Pending,
                    Ok(true) => {
                        let after = health_names::duration::format(timeout);
                        Outcome::down(match &run.waiting_for {
                            Some(what) => format!("timed out after {after} while {what}"),
                            None => format!("timed out after {after}"),
                        })
                    }
                    Err(_) => {
                        Outcome::down("no timer: the tokio runtime is missing or shutting down")
                    }
                }
            }
        };
        drop(entered);
        Poll::Ready(self.end(outcome))
    }

    /// Records `outcome`: the execution is over.
    fn end(&mut self, outcome: Outcome) -> Arc<Finished> {
        let run = self.running.take();
        let started = run.as_ref().map_or_else(Instant::now, |r| r.started);
        let finished = self.host.finish(outcome, started);
        if let Some(run) = run {
            run.span
                .record("status", finished.outcome.status().as_str());
            run.span
                .record("duration_ms", finished.duration.as_secs_f64() * 1e3);
            if finished.duration > self.host.check().policy().slow() {
                run.span.record("slow", true);
            }
        }
        finished
    }
}

impl<H: Host> Future for Execution<H> {
    type Output = Arc<Finished>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.poll_execution(cx)
    }
}

impl<H: Host> Drop for Execution<H> {
    fn drop(&mut self) {
        if self.running.is_some() {
            drop(self.end(Outcome::down(
                "cancelled before it finished: the runtime is shutting down, or its caller gave up",
            )));
        }
    }
}

/// The outcome of a panicking check. The payload may hold anything (a
/// connection string...): it goes to the log, never into a response.
fn panicked(check: &Check, payload: &(dyn std::any::Any + Send)) -> Outcome {
    let text = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("<non-string panic payload>");
    tracing::error!(check = check.name(), panic = %redact(text), "health check panicked");
    Outcome::down("check panicked")
}
