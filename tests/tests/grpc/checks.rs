//! Checks the cases share: switchable, counting, slow, hanging, flapping,
//! held on a gate.

#![allow(dead_code)]

use health::tonic::HealthServer;
use health::{Check, Outcome, Registry, RegistryBuilder};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::watch;

/// A registry of run-time checks only.
pub(crate) fn builder() -> RegistryBuilder {
    Registry::builder().without_declared()
}

/// The gRPC service of `registry` with every check served as a component
/// (off by default).
pub(crate) fn with_components(registry: Registry) -> HealthServer {
    HealthServer::builder(registry)
        .components(true)
        .build()
        .unwrap()
}

/// The outcome a [`Switch`] gives its check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Set {
    Up,
    Degraded,
    Down,
}

/// A check whose outcome the test flips, and which counts its runs.
#[derive(Clone)]
pub(crate) struct Switch {
    state: Arc<AtomicU8>,
    runs: Arc<AtomicUsize>,
}

impl Switch {
    pub(crate) fn new(initial: Set) -> Self {
        Self {
            state: Arc::new(AtomicU8::new(initial as u8)),
            runs: Arc::default(),
        }
    }

    pub(crate) fn set(&self, to: Set) {
        self.state.store(to as u8, Ordering::SeqCst);
    }

    pub(crate) fn runs(&self) -> usize {
        self.runs.load(Ordering::SeqCst)
    }

    /// A check named `name` answering as the switch is set, after `delay`.
    pub(crate) fn slow_check(&self, name: &'static str, delay: Duration) -> Check {
        let (state, runs) = (Arc::clone(&self.state), Arc::clone(&self.runs));
        Check::new(name, move || {
            runs.fetch_add(1, Ordering::SeqCst);
            let state = Arc::clone(&state);
            async move {
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                match state.load(Ordering::SeqCst) {
                    0 => Outcome::up(),
                    1 => Outcome::degraded(format!("{name} is slow: secret-detail")),
                    _ => Outcome::down(format!("{name} is down: secret-detail")),
                }
            }
        })
    }

    /// The same, at once.
    pub(crate) fn check(&self, name: &'static str) -> Check {
        self.slow_check(name, Duration::ZERO)
    }
}

/// A check that passes.
pub(crate) fn up(name: &'static str) -> Check {
    Check::new(name, || async {})
}

/// A check that fails.
pub(crate) fn down(name: &'static str) -> Check {
    Check::new(name, move || async move {
        Outcome::down(format!("{name}: secret-detail"))
    })
}

/// A check that never finishes: its timeout decides.
pub(crate) fn hanging(name: &'static str) -> Check {
    Check::new(name, std::future::pending::<()>)
}

/// An `interval` check that flips between UP and DOWN at every run, every
/// 50 ms: the registry reports a change at each.
pub(crate) fn flapping(name: &'static str, runs: Arc<AtomicUsize>) -> Check {
    Check::new(name, move || {
        let up = runs.fetch_add(1, Ordering::SeqCst).is_multiple_of(2);
        async move { up }
    })
    .with_interval(Duration::from_millis(50))
    .with_timeout(Duration::from_millis(20))
}

/// A check whose first run passes at once and whose later runs wait until
/// the test opens the gate: an evaluation held in flight for as long as
/// the test needs, whatever the machine's speed.
#[derive(Clone)]
pub(crate) struct Gated {
    open: Arc<watch::Sender<bool>>,
    runs: Arc<AtomicUsize>,
}

impl Gated {
    pub(crate) fn new() -> Self {
        Self {
            open: Arc::new(watch::Sender::new(false)),
            runs: Arc::default(),
        }
    }

    pub(crate) fn runs(&self) -> usize {
        self.runs.load(Ordering::SeqCst)
    }

    /// Lets every held run finish.
    pub(crate) fn open(&self) {
        self.open.send_replace(true);
    }

    pub(crate) fn check(&self, name: &'static str) -> Check {
        let (open, runs) = (Arc::clone(&self.open), Arc::clone(&self.runs));
        Check::new(name, move || {
            let first = runs.fetch_add(1, Ordering::SeqCst) == 0;
            let mut open = open.subscribe();
            async move {
                if !first {
                    let _ = open.wait_for(|o| *o).await;
                }
            }
        })
        .with_timeout(Duration::from_secs(3600))
    }
}
