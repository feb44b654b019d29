//! Checks the cases share: switchable, counting, slow, hanging.

#![allow(dead_code)]

use health::{Check, Outcome, Registry, RegistryBuilder};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::time::Duration;

/// A registry of run-time checks only.
pub(crate) fn builder() -> RegistryBuilder {
    Registry::builder().without_declared()
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
