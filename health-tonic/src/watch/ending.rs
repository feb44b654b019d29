//! When open `Watch` streams end.
//!
//! A graceful tonic shutdown (`serve_with_shutdown`) waits for every open
//! stream, and a `Watch` never ends by itself. So the streams end
//! - the registry's drain delay after draining began: the instant
//!   [`Registry::shutdown_signal`] resolves and tonic starts its graceful
//!   shutdown (a task started by the first use, waiting on
//!   [`Registry::draining`]);
//! - or on demand: [`HealthServer::end_watches`](crate::HealthServer::end_watches),
//!   and [`HealthServer::end_watches_on`](crate::HealthServer::end_watches_on)
//!   for any other shutdown future.
//!
//! Once ended, a new `Watch` sends what is at hand and ends at once.

use health_core::Registry;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use tokio::sync::watch;

/// The end of every stream of one server.
pub(crate) struct Ending {
    /// Shared with the drain task only weakly.
    ended: Arc<watch::Sender<bool>>,
    armed: AtomicBool,
}

impl Ending {
    pub(crate) fn new() -> Self {
        Self {
            ended: Arc::new(watch::Sender::new(false)),
            armed: AtomicBool::new(false),
        }
    }

    /// Ends every open stream, and every later one at once.
    pub(crate) fn end(&self) {
        end(&self.ended);
    }

    /// What a stream waits on.
    pub(crate) fn subscribe(&self) -> watch::Receiver<bool> {
        self.ended.subscribe()
    }

    /// Starts, once, the task that ends the streams `drain_delay` after
    /// draining began; does nothing outside a tokio runtime (the next call
    /// inside one starts it). The task holds no strong reference to the
    /// server: when the server is dropped it stops, and lets go of the
    /// registry.
    pub(crate) fn arm(&self, registry: &Registry) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if self.armed.swap(true, Ordering::AcqRel) {
            return;
        }
        let registry = registry.clone();
        let mut ended = self.subscribe();
        let ender: Weak<watch::Sender<bool>> = Arc::downgrade(&self.ended);
        drop(runtime.spawn(async move {
            let dropped_or_ended = async {
                // Err: the server is gone; Ok: ended by hand. Either way
                // there is nothing left to do.
                let _ = ended.wait_for(|e| *e).await;
            };
            tokio::select! {
                () = dropped_or_ended => return,
                () = async {
                    registry.draining().await;
                    tokio::time::sleep(registry.drain_delay()).await;
                } => {}
            }
            if let Some(ended) = ender.upgrade() {
                end(&ended);
            }
        }));
    }
}

fn end(ended: &watch::Sender<bool>) {
    if !ended.send_replace(true) {
        // The drain task holds one receiver; the rest are streams.
        let streams = ended.receiver_count().saturating_sub(1);
        tracing::debug!(streams, "grpc health: ending the open Watch streams");
    }
}
