//! What a running check waits for, so that a timeout names it.

use std::borrow::Cow;
use std::cell::Cell;

thread_local! {
    /// Set by [`waiting_for`] while a check's future is polled; the
    /// execution polling it takes it after each poll.
    static WAITING_FOR: Cell<Option<Cow<'static, str>>> = const { Cell::new(None) };
}

/// Says what the running check is waiting for, so that a timeout says more
/// than "timed out after 300ms": "timed out after 300ms while acquiring a
/// connection (pool: 10 open, 0 idle)". Call it from an async check, before
/// each step that may hang; the last call wins. Outside a check's run (or
/// from a blocking check's thread) it does nothing.
///
/// ```
/// use health_core::{Check, Probe, Registry, Status};
/// use std::time::Duration;
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() -> Result<(), health_core::BuildError> {
/// let check = Check::new("db", || async {
///     health_core::check::waiting_for("acquiring a connection");
///     std::future::pending::<()>().await
/// })
/// .with_timeout(Duration::from_millis(300));
/// let registry = Registry::builder().without_declared().check(check).build()?;
/// let report = registry.run(Probe::Readiness).await;
/// let db = report.component("db").unwrap();
/// assert_eq!(db.message(), Some("timed out after 300ms while acquiring a connection"));
/// # Ok(()) }
/// ```
pub fn waiting_for(what: impl Into<Cow<'static, str>>) {
    WAITING_FOR.with(|w| w.set(Some(what.into())));
}

/// What the check just polled said it waits for, if anything.
pub(crate) fn take_waiting_for() -> Option<Cow<'static, str>> {
    WAITING_FOR.with(Cell::take)
}
