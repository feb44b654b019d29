//! Which checks a probe run covers.

use crate::check::{Check, Probe};

/// Which checks a probe run covers: those of one probe, less the excluded
/// names, optionally only those with a tag. A [`Probe`] converts into the
/// selection of all its checks.
///
/// ```
/// use health_core::{Probe, Selection};
/// let s = Selection::new(Probe::Readiness).exclude(["search"]).tag("db");
/// assert_eq!(s.probe(), Probe::Readiness);
/// assert!(!s.is_whole_probe());
/// assert!(Selection::from(Probe::Startup).is_whole_probe());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    probe: Probe,
    exclude: Vec<String>,
    tag: Option<String>,
}

impl Selection {
    /// Every check of `probe`.
    pub fn new(probe: Probe) -> Self {
        Self {
            probe,
            exclude: Vec::new(),
            tag: None,
        }
    }

    /// Leaves out these names.
    pub fn exclude<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        self.exclude.extend(names.into_iter().map(Into::into));
        self
    }

    /// Keeps only checks with this tag.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = Some(tag.into());
        self
    }

    /// The probe.
    pub fn probe(&self) -> Probe {
        self.probe
    }

    /// Whether this is the whole probe: nothing excluded, no tag. Only a
    /// whole probe's runs latch startup and report probe transitions.
    pub fn is_whole_probe(&self) -> bool {
        self.exclude.is_empty() && self.tag.is_none()
    }

    /// Whether `check` is selected.
    pub fn keeps(&self, check: &Check) -> bool {
        check.policy().probes().contains(self.probe)
            && !self.exclude.iter().any(|n| **n == *check.name)
            && self.tag.as_deref().is_none_or(|t| check.has_tag(t))
    }
}

impl From<Probe> for Selection {
    fn from(probe: Probe) -> Self {
        Selection::new(probe)
    }
}

/// For [`Registry::verdict_now`](crate::Registry::verdict_now), which
/// reads a selection without taking it.
impl From<Probe> for std::borrow::Cow<'_, Selection> {
    fn from(probe: Probe) -> Self {
        std::borrow::Cow::Owned(Selection::new(probe))
    }
}

impl<'a> From<&'a Selection> for std::borrow::Cow<'a, Selection> {
    fn from(selection: &'a Selection) -> Self {
        std::borrow::Cow::Borrowed(selection)
    }
}

impl From<Selection> for std::borrow::Cow<'_, Selection> {
    fn from(selection: Selection) -> Self {
        std::borrow::Cow::Owned(selection)
    }
}
