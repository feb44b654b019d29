//! Each check's recent past, for status pages.

use super::Registry;
use crate::report::{CheckHistory, Clock};
use tokio::time::Instant;

impl Registry {
    /// Every check's recent past, sorted by name: its last results (see
    /// [`RegistryBuilder::history_capacity`](crate::RegistryBuilder::history_capacity)), since when its status holds, and its
    /// uptime over the last hour and day. Runs nothing.
    ///
    /// ```
    /// use health_core::{Check, Probe, Registry, Status};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), health_core::BuildError> {
    /// let registry = Registry::builder()
    ///     .without_declared()
    ///     .check(Check::new("db", || async { false }))
    ///     .build()?;
    /// registry.run(Probe::Readiness).await;
    /// registry.run(Probe::Readiness).await;
    /// let db = &registry.history()[0];
    /// assert_eq!((db.status, db.samples.len()), (Status::Down, 2));
    /// assert_eq!(db.samples[0].message.as_deref(), Some("check returned false"));
    /// # Ok(()) }
    /// ```
    pub fn history(&self) -> Vec<CheckHistory> {
        let clock = Clock::new(Instant::now());
        self.roster()
            .slots
            .iter()
            .map(|slot| {
                let last = slot.last();
                slot.with_history(|h| h.snapshot(&slot.check, last.as_deref(), &clock))
            })
            .collect()
    }
}
