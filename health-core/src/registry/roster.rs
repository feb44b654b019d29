//! The checks a registry holds now: its [`Roster`], replaced whole when a
//! check is added or removed at run time, so that a run keeps the list it
//! started with; and [`Checks`], the snapshot the public API hands out.

use super::memo::Memo;
use crate::check::{Check, Probe};
use crate::runner::{Slot, Slots};
use std::sync::Arc;

/// One version of a registry's checks.
pub(super) struct Roster {
    /// Sorted by name.
    pub(super) slots: Slots,
    /// Each probe's checks, sorted by name: a whole probe's run takes its
    /// list as it is.
    pub(super) by_probe: [Slots; 3],
    /// Each probe's summary while its checks' results are at hand; kept
    /// only for probes whose every check has a `cache` or an `interval`.
    /// A new roster starts with empty memos: a summary never outlives the
    /// checks it summed up.
    pub(super) memo: [Option<Memo>; 3],
}

impl Roster {
    /// The roster of `slots`, sorted by name.
    pub(super) fn new(mut slots: Vec<Arc<Slot>>) -> Self {
        slots.sort_by(|a, b| a.check.name.cmp(&b.check.name));
        let by_probe = [Probe::Liveness, Probe::Readiness, Probe::Startup].map(|probe| {
            slots
                .iter()
                .filter(|s| s.check.policy().probes().contains(probe))
                .cloned()
                .collect::<Slots>()
        });
        let memo = by_probe.each_ref().map(|slots| {
            let at_hand = |s: &Arc<Slot>| {
                let policy = s.check.policy();
                policy.cache().is_some() || policy.interval().is_some()
            };
            slots.iter().all(at_hand).then(Memo::default)
        });
        Self {
            slots: slots.into(),
            by_probe,
            memo,
        }
    }

    /// Whether each probe has a check.
    pub(super) fn has_checks(&self) -> [bool; 3] {
        self.by_probe.each_ref().map(|slots| !slots.is_empty())
    }

    /// The slot of the check named `name`.
    pub(super) fn get(&self, name: &str) -> Option<&Arc<Slot>> {
        find(&self.slots, name)
    }

    /// This roster with `slot` too.
    pub(super) fn with(&self, slot: Arc<Slot>) -> Self {
        let mut slots = self.slots.to_vec();
        slots.push(slot);
        Self::new(slots)
    }

    /// This roster without `slot`; `None` if it does not hold it.
    pub(super) fn without(&self, slot: &Arc<Slot>) -> Option<Self> {
        let index = self.slots.iter().position(|s| Arc::ptr_eq(s, slot))?;
        let mut slots = self.slots.to_vec();
        slots.remove(index);
        Some(Self::new(slots))
    }
}

/// The slot named `name` in `slots`, sorted by name.
fn find<'a>(slots: &'a [Arc<Slot>], name: &str) -> Option<&'a Arc<Slot>> {
    let index = slots.binary_search_by(|s| (*s.check.name).cmp(name)).ok()?;
    Some(&slots[index])
}

/// The checks of a registry at one moment, sorted by name: from
/// [`Registry::checks`](crate::Registry::checks). Checks added or removed
/// later do not change it; ask again.
///
/// ```
/// use health_core::{Check, Registry};
/// let registry = Registry::builder()
///     .without_declared()
///     .check(Check::new("db", || async {}))
///     .check(Check::new("cache", || async {}))
///     .build()?;
/// let checks = registry.checks();
/// let names: Vec<&str> = checks.iter().map(|c| c.name()).collect();
/// assert_eq!(names, ["cache", "db"]);
/// assert!(checks.get("db").is_some_and(|db| db.policy().is_critical()));
/// # Ok::<(), health_core::BuildError>(())
/// ```
#[derive(Clone)]
pub struct Checks(pub(super) Slots);

impl Checks {
    /// Each check, sorted by name.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.0.iter())
    }

    /// The check named `name`.
    pub fn get(&self, name: &str) -> Option<&Check> {
        find(&self.0, name).map(|slot| &slot.check)
    }

    /// How many checks there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Checks {
    type Item = &'a Check;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The checks of [`Checks`], sorted by name.
#[derive(Clone)]
pub struct Iter<'a>(std::slice::Iter<'a, Arc<Slot>>);

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Check;

    fn next(&mut self) -> Option<&'a Check> {
        self.0.next().map(|s| &s.check)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|s| &s.check)
    }
}

impl std::fmt::Debug for Checks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.iter().map(Check::name))
            .finish()
    }
}
