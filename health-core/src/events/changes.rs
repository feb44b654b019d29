//! [`Changes`]: a subscription to a registry's changes.

use tokio::sync::watch;

/// A subscription to a registry's changes: each check's status change, each
/// probe's aggregate change and each lifecycle change (drain, maintenance).
/// From [`Registry::subscribe`](crate::Registry::subscribe); for protocols
/// that push statuses (gRPC `Watch`) and pages that refresh.
///
/// Changes coalesce: one wake-up may stand for several; read the state
/// anew after each.
///
/// ```
/// use health_core::{Check, Probe, Registry};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), health_core::BuildError> {
/// let registry = Registry::builder().without_declared().check(Check::new("db", || async { false })).build()?;
/// let mut changes = registry.subscribe();
/// registry.run(Probe::Readiness).await; // db: none -> DOWN
/// assert!(changes.changed().await);
/// registry.begin_drain();
/// assert!(changes.changed().await);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Changes(pub(super) watch::Receiver<u64>);

impl Changes {
    /// Waits for the next change after the last one seen; `false` once the
    /// registry is gone (no change will come).
    pub async fn changed(&mut self) -> bool {
        self.0.changed().await.is_ok()
    }
}
