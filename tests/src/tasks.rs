//! Supervised tasks the tests share.

use health::Heartbeat;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use tokio::sync::oneshot;

/// What a supervised task's run returns, boxed.
pub type Run = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// A task (its `make` function for `Supervisor::spawn`) that runs,
/// touching its heartbeat, until the returned sender is used (or
/// dropped), and then panics ("the consumer lost its offset").
pub fn panics_when_told() -> (
    oneshot::Sender<()>,
    impl FnMut(Heartbeat) -> Run + Send + 'static,
) {
    let (go, wait) = oneshot::channel::<()>();
    let wait = Mutex::new(Some(wait));
    let make = move |heartbeat: Heartbeat| -> Run {
        let wait = wait.lock().unwrap_or_else(|p| p.into_inner()).take();
        Box::pin(async move {
            heartbeat.tick();
            if let Some(wait) = wait {
                let _ = wait.await;
            }
            panic!("the consumer lost its offset");
        })
    };
    (go, make)
}
