//! [`View`]: how much of a report a body shows, to whom.

use health_core::Registry;
use std::time::Duration;

/// How much of a report a body shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) enum Visibility {
    /// The overall status only: what an anonymous caller sees.
    #[default]
    Status,
    /// Plus each component's status and criticality.
    Components,
    /// Plus messages, durations, ages, observed values, details, version,
    /// uptime and the timestamp.
    Full,
}

impl Visibility {
    /// Who sees what: an allowed caller sees components, and with
    /// `verbose` their messages and observed values.
    pub(crate) const fn of(allowed: bool, verbose: bool) -> Self {
        match (allowed, verbose) {
            (false, _) => Visibility::Status,
            (true, false) => Visibility::Components,
            (true, true) => Visibility::Full,
        }
    }
}

/// What a body shows: its [`Visibility`], and the service's fields shown
/// with [`Visibility::Full`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct View<'a> {
    visibility: Visibility,
    version: Option<&'a str>,
    uptime: Option<Duration>,
}

impl<'a> View<'a> {
    /// A view showing `visibility`, with no version nor uptime.
    pub(crate) const fn new(visibility: Visibility) -> Self {
        Self {
            visibility,
            version: None,
            uptime: None,
        }
    }

    /// `visibility` of a report of `registry`: its version, and its uptime
    /// (a clock read, only when shown).
    pub(crate) fn of(registry: &'a Registry, visibility: Visibility) -> Self {
        Self::new(visibility)
            .version(registry.version())
            .uptime((visibility == Visibility::Full).then(|| registry.uptime()))
    }

    /// The service version, shown with [`Visibility::Full`].
    pub(crate) const fn version(mut self, version: Option<&'a str>) -> Self {
        self.version = version;
        self
    }

    /// The service uptime, shown with [`Visibility::Full`].
    pub(crate) const fn uptime(mut self, uptime: Option<Duration>) -> Self {
        self.uptime = uptime;
        self
    }

    pub(crate) const fn visibility(&self) -> Visibility {
        self.visibility
    }

    pub(crate) fn components(&self) -> bool {
        self.visibility >= Visibility::Components
    }

    pub(crate) fn full(&self) -> bool {
        self.visibility == Visibility::Full
    }

    pub(crate) fn shown_version(&self) -> Option<&'a str> {
        self.version.filter(|_| self.full())
    }

    pub(crate) fn shown_uptime(&self) -> Option<Duration> {
        self.uptime.filter(|_| self.full())
    }
}
