use std::fmt;

/// One of the three probes a check can take part in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Probe {
    /// Is the process alive? Failing it gets the process restarted, so it
    /// should test only the process itself, never a shared dependency.
    Liveness,
    /// Should this instance receive traffic? The deep probe: dependencies.
    Readiness,
    /// Has the service finished starting (migrations, warm-up)? Latched UP
    /// once every startup check has passed.
    Startup,
}

impl Probe {
    /// The probe's name, as in the attribute (`"liveness"`...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Probe::Liveness => "liveness",
            Probe::Readiness => "readiness",
            Probe::Startup => "startup",
        }
    }

    const fn bit(self) -> u8 {
        match self {
            Probe::Liveness => 1,
            Probe::Readiness => 2,
            Probe::Startup => 4,
        }
    }
}

impl fmt::Display for Probe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of probes.
///
/// ```
/// use health_core::{Probe, Probes};
/// let p = Probes::READINESS.with(Probe::Startup);
/// assert!(p.contains(Probe::Startup) && !p.contains(Probe::Liveness));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Probes(u8);

impl Probes {
    /// No probe.
    pub const NONE: Probes = Probes(0);
    /// Liveness only.
    pub const LIVENESS: Probes = Probes(1);
    /// Readiness only (the default of a check).
    pub const READINESS: Probes = Probes(2);
    /// Startup only.
    pub const STARTUP: Probes = Probes(4);

    /// This set plus `probe`.
    pub const fn with(self, probe: Probe) -> Probes {
        Probes(self.0 | probe.bit())
    }

    /// Whether `probe` is in the set.
    pub const fn contains(self, probe: Probe) -> bool {
        self.0 & probe.bit() != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The probes in the set, in the order liveness, readiness, startup.
    pub fn iter(self) -> impl Iterator<Item = Probe> {
        [Probe::Liveness, Probe::Readiness, Probe::Startup]
            .into_iter()
            .filter(move |p| self.contains(*p))
    }
}

impl From<Probe> for Probes {
    fn from(probe: Probe) -> Self {
        Probes::NONE.with(probe)
    }
}

impl fmt::Debug for Probes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}
