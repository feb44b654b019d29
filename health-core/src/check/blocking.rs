//! What a run returns, [`CheckFuture`]; and blocking checks: a plain `fn`
//! runs on tokio's blocking pool, and a run stuck past its timeout keeps
//! its one thread instead of taking more.

use crate::model::Outcome;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The future a check's run function returns.
pub type CheckFuture = Pin<Box<dyn Future<Output = Outcome> + Send + 'static>>;

/// Whether a check's blocking run is still on its thread; one per check in
/// a registry.
#[derive(Debug, Default)]
pub(crate) struct Busy(AtomicBool);

thread_local! {
    /// The [`Busy`] flag of the check whose run function is being called:
    /// [`run_blocking`], called from it, takes the flag from here.
    static CALLER_BUSY: RefCell<Option<Arc<Busy>>> = const { RefCell::new(None) };
}

/// Calls `run` (a blocking check's run function) with `busy` as the flag
/// that [`run_blocking`], called from it, guards the thread with.
pub(crate) fn with_busy_flag<R>(busy: &Arc<Busy>, run: impl FnOnce() -> R) -> R {
    struct Restore(Option<Arc<Busy>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            CALLER_BUSY.with(|s| *s.borrow_mut() = previous);
        }
    }
    let _restore = Restore(CALLER_BUSY.with(|s| s.borrow_mut().replace(Arc::clone(busy))));
    run()
}

/// Clears the flag when the blocking function returns or panics.
struct Release(Arc<Busy>);

impl Drop for Release {
    fn drop(&mut self) {
        self.0.0.store(false, Ordering::Release);
    }
}

/// Runs a blocking function on tokio's blocking pool, so a slow synchronous
/// check never stalls the async runtime. A panic inside is DOWN
/// ("check panicked").
///
/// A thread cannot be stopped: a run that outlives its timeout keeps its
/// thread until it returns. So that these never pile up, while a check's
/// previous blocking run has not returned, a new one is DOWN at once
/// instead of taking another thread. That guard applies to the first call
/// made synchronously from a check's run function, as
/// [`Check::blocking`](crate::Check::blocking) and `#[health_check]` on a
/// plain `fn` do; a call from inside an async check is not guarded.
///
/// ```
/// use health_core::{Outcome, check::run_blocking};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let outcome = run_blocking(|| Outcome::degraded("slow disk")).await;
/// assert_eq!(outcome.message(), Some("slow disk"));
/// # }
/// ```
pub fn run_blocking<F>(f: F) -> CheckFuture
where
    F: FnOnce() -> Outcome + Send + 'static,
{
    // Taken: a second call from the same run function is not guarded,
    // rather than taken for a stuck previous run.
    let busy = CALLER_BUSY.with(|s| s.borrow_mut().take());
    if busy
        .as_ref()
        .is_some_and(|b| b.0.swap(true, Ordering::AcqRel))
    {
        return Box::pin(std::future::ready(Outcome::down(
            "the previous run has not returned yet",
        )));
    }
    // The guard exists before the task: if the task is never run (no
    // runtime, or one shutting down), dropping the closure clears the flag.
    let release = busy.map(Release);
    let task = tokio::task::spawn_blocking(move || {
        let _release = release;
        f()
    });
    Box::pin(async move {
        match task.await {
            Ok(outcome) => outcome,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Outcome::down("check was cancelled"),
        }
    })
}
