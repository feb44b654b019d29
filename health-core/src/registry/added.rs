//! Checks that live as long as what they check: [`Registry::add`] and its
//! [`CheckGuard`], which removes the check when dropped; and the names an
//! adapter reserves ([`Registry::reserve_names`]) so that no such check
//! can take them.

use super::Registry;
use super::builder::validate;
use super::definition::Inner;
use super::error::{AddError, Problem};
use crate::check::Check;
use crate::runner::Slot;
use std::sync::{Arc, Weak};

impl Registry {
    /// Adds `check` now, for as long as the returned [`CheckGuard`] lives:
    /// a pool per tenant, a client per configured upstream. Probes, a
    /// component's endpoint, the gRPC service (`List` and every open
    /// `Watch`), the status page and the metrics follow at once; an
    /// `interval` check starts refreshing. The check is validated as the
    /// builder validates (its name, tags, policy and state), and a name
    /// already taken, by a check or by an adapter
    /// ([`reserve_names`](Self::reserve_names)), is refused: every problem
    /// is in the [`AddError`].
    ///
    /// ```
    /// use health_core::{Check, Probe, Registry, Status};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let registry = Registry::builder().without_declared().build()?;
    /// let tenant = registry.add(Check::new("tenant-7.db", || async { false }))?;
    /// assert_eq!(registry.run(Probe::Readiness).await.status(), Status::Down);
    ///
    /// drop(tenant); // the tenant is gone, and its check with it
    /// assert!(registry.checks().is_empty());
    /// assert_eq!(registry.run(Probe::Readiness).await.status(), Status::Up);
    /// # Ok(()) }
    /// ```
    pub fn add(&self, check: Check) -> Result<CheckGuard, AddError> {
        let mut problems = Vec::new();
        validate(&check, &self.0.making.state, &mut problems);
        // Held while the checks change: a name reserved now is seen.
        let reserved = self.0.reserved.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, by)) = reserved.iter().find(|(name, _)| **name == *check.name) {
            problems.push(Problem::ReservedName {
                name: check.name.to_string(),
                location: check.location,
                by,
            });
        }
        let name = Arc::clone(&check.name);
        let slot = self
            .0
            .making
            .slot(check, &self.0.events, &self.0.background);
        self.replace_roster(|roster| {
            if let Some(taken) = roster.get(&name) {
                problems.push(Problem::DuplicateName {
                    name: name.to_string(),
                    first: taken.check.location,
                    second: slot.check.location,
                });
            }
            problems.is_empty().then(|| roster.with(Arc::clone(&slot)))
        });
        drop(reserved);
        if !problems.is_empty() {
            return Err(AddError::new(&name, problems));
        }
        tracing::info!(check = %name, "health: check added");
        self.changed_checks();
        Ok(CheckGuard {
            registry: Arc::downgrade(&self.0),
            slot,
        })
    }

    /// Reserves `names` for `by` (say "the HTTP endpoints: the status page
    /// `/health/ui`"): a check [added](Self::add) later may not take them.
    /// For adapters whose own paths or service names share a namespace
    /// with the checks' names; they check the checks present when they are
    /// built. All or nothing: if a check has one of the names now, nothing
    /// is reserved and the names taken are returned. A name reserved
    /// already keeps its first reason.
    ///
    /// ```
    /// use health_core::{Check, Problem, Registry};
    /// let registry = Registry::builder().without_declared().build()?;
    /// registry.reserve_names("the status page", ["ui"]).unwrap();
    /// let refused = registry.add(Check::new("ui", || async {})).unwrap_err();
    /// assert!(matches!(refused.problems(), [Problem::ReservedName { by: "the status page", .. }]));
    /// # Ok::<(), health_core::BuildError>(())
    /// ```
    pub fn reserve_names<I>(&self, by: &'static str, names: I) -> Result<(), Vec<String>>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let names: Vec<String> = names.into_iter().map(Into::into).collect();
        let mut reserved = self.0.reserved.lock().unwrap_or_else(|p| p.into_inner());
        let checks = self.checks();
        let taken: Vec<String> = names
            .iter()
            .filter(|name| checks.get(name).is_some())
            .cloned()
            .collect();
        if !taken.is_empty() {
            return Err(taken);
        }
        for name in names {
            if !reserved.iter().any(|(n, _)| *n == name) {
                reserved.push((name, by));
            }
        }
        Ok(())
    }

    /// After a check was added or removed: background refreshes follow,
    /// and subscribers (gRPC `Watch` streams, pages) look again.
    fn changed_checks(&self) {
        self.0.background.changed();
        self.start_background();
        self.0.events.changed();
    }
}

/// A check [added](Registry::add) at run time: dropping this removes it.
/// Keep it next to what the check checks (the tenant's pool, the
/// upstream's client), so both go together.
#[must_use = "the check is removed as soon as its guard is dropped"]
pub struct CheckGuard {
    /// Weak: a guard does not keep a registry alive.
    registry: Weak<Inner>,
    slot: Arc<Slot>,
}

impl CheckGuard {
    /// The check's name.
    pub fn name(&self) -> &str {
        self.slot.check.name()
    }
}

impl Drop for CheckGuard {
    fn drop(&mut self) {
        let Some(inner) = self.registry.upgrade() else {
            return;
        };
        let registry = Registry(inner);
        if registry.replace_roster(|roster| roster.without(&self.slot)) {
            tracing::info!(check = self.name(), "health: check removed");
            registry.changed_checks();
        }
    }
}

impl std::fmt::Debug for CheckGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckGuard")
            .field("check", &self.name())
            .finish_non_exhaustive()
    }
}
