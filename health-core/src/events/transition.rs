//! [`Transition`]: a change of status, for `on_change` listeners, and what
//! it is about ([`Subject`]).

use crate::check::Probe;
use crate::model::Status;
use std::sync::Arc;
use std::time::SystemTime;

/// What a [`Transition`] is about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Subject {
    /// One check, by name.
    Check(Arc<str>),
    /// The aggregate of a whole probe.
    Probe(Probe),
}

/// A change of status, given to the listeners of
/// [`RegistryBuilder::on_change`](crate::RegistryBuilder::on_change), in
/// order, on the registry's delivery thread (never on a probe's path).
///
/// ```
/// use health_core::{Check, Probe, Registry, Status};
/// use health_core::events::Subject;
/// use std::sync::{Mutex, mpsc};
/// use std::time::Duration;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let (tx, rx) = mpsc::channel();
/// let tx = Mutex::new(tx);
/// let registry = Registry::builder()
///     .without_declared()
///     .check(Check::new("db", || async { false }))
///     .on_change(move |t| drop(tx.lock().unwrap().send((t.subject.clone(), t.from, t.to))))
///     .build()?;
/// registry.run(Probe::Readiness).await;
/// let first = rx.recv_timeout(Duration::from_secs(5))?;
/// assert_eq!(first, (Subject::Check("db".into()), None, Status::Down));
/// let second = rx.recv_timeout(Duration::from_secs(5))?;
/// assert_eq!(second, (Subject::Probe(Probe::Readiness), None, Status::Down));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Transition {
    /// A check, or a probe's aggregate.
    pub subject: Subject,
    /// The status before; `None` for the first result.
    pub from: Option<Status>,
    /// The status now.
    pub to: Status,
    /// The check's message, or the lifecycle's reason.
    pub message: Option<String>,
    /// When it happened.
    pub at: SystemTime,
}

pub(crate) type Listener = Box<dyn Fn(&Transition) + Send + Sync>;
