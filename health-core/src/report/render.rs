//! How much a rendering shows.

use std::time::Duration;

/// How much of a report a rendering shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
#[non_exhaustive]
pub enum Visibility {
    /// The overall status only: what an anonymous caller sees.
    #[default]
    Status,
    /// Plus each component's status and criticality.
    Components,
    /// Plus messages, durations, ages, observed values, details, version,
    /// uptime and the timestamp.
    Full,
}

/// How a report is rendered: how much is shown, and the service-level
/// fields shown with [`Visibility::Full`].
///
/// ```
/// use health_core::report::{Render, Visibility};
/// use std::time::Duration;
/// let render = Render::new(Visibility::Full).version(Some("1.2.3")).uptime(Some(Duration::from_secs(60)));
/// assert_eq!(render.visibility(), Visibility::Full);
/// ```
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct Render<'a> {
    visibility: Visibility,
    version: Option<&'a str>,
    uptime: Option<Duration>,
}

impl<'a> Render<'a> {
    /// The overall status only.
    pub const STATUS: Render<'static> = Render::new(Visibility::Status);

    /// A rendering showing `visibility`, with no version nor uptime.
    pub const fn new(visibility: Visibility) -> Self {
        Self {
            visibility,
            version: None,
            uptime: None,
        }
    }

    /// The service version, shown with [`Visibility::Full`].
    pub const fn version(mut self, version: Option<&'a str>) -> Self {
        self.version = version;
        self
    }

    /// The service uptime, shown with [`Visibility::Full`].
    pub const fn uptime(mut self, uptime: Option<Duration>) -> Self {
        self.uptime = uptime;
        self
    }

    /// How much is shown.
    pub const fn visibility(&self) -> Visibility {
        self.visibility
    }

    pub(super) fn components(&self) -> bool {
        self.visibility >= Visibility::Components
    }

    pub(super) fn full(&self) -> bool {
        self.visibility == Visibility::Full
    }

    pub(super) fn shown_version(&self) -> Option<&'a str> {
        self.version.filter(|_| self.full())
    }

    pub(super) fn shown_uptime(&self) -> Option<Duration> {
        self.uptime.filter(|_| self.full())
    }
}

/// Milliseconds, rounded to microseconds: enough for humans, short on the
/// wire.
pub(super) fn millis(d: Duration) -> f64 {
    micros(d) / 1_000.0
}

/// Whole microseconds, as a float (what [`millis`] divides).
pub(super) fn micros(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_rounds_to_microseconds() {
        assert_eq!(millis(Duration::from_nanos(3_200_499)), 3.2);
        assert_eq!(millis(Duration::ZERO), 0.0);
    }
}
