//! The drain audit: the application's requests that arrived after the
//! drain began, counted by [`DrainPhase`], and the [`DrainReport`] that
//! says whether the drain delay was long enough.

use super::lifecycle::DrainPhase;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The counters; written by every late request, read once at exit.
#[derive(Default)]
pub(crate) struct AuditCell {
    during_delay: AtomicU64,
    after_delay: AtomicU64,
    /// Nanoseconds from the drain's start to the latest late request; 0
    /// before the first.
    last_nanos: AtomicU64,
}

impl AuditCell {
    /// Counts one request of the application that arrived `elapsed` after
    /// the drain began, in `phase`.
    pub(crate) fn record(&self, phase: DrainPhase, elapsed: Duration) {
        let counter = match phase {
            DrainPhase::Serving => return,
            DrainPhase::Delay => &self.during_delay,
            DrainPhase::AfterDelay => &self.after_delay,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        // At least 1 ns: 0 means "none yet".
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX).max(1);
        self.last_nanos.fetch_max(nanos, Ordering::Relaxed);
        #[cfg(feature = "metrics")]
        crate::events::record_drain_request(phase_label(phase));
    }

    pub(crate) fn counts(&self) -> (u64, u64, Option<Duration>) {
        let last = self.last_nanos.load(Ordering::Relaxed);
        (
            self.during_delay.load(Ordering::Relaxed),
            self.after_delay.load(Ordering::Relaxed),
            (last > 0).then(|| Duration::from_nanos(last)),
        )
    }
}

/// The label of `phase` in the `health_drain_requests_total` series.
#[cfg(feature = "metrics")]
fn phase_label(phase: DrainPhase) -> &'static str {
    match phase {
        DrainPhase::Serving => "serving",
        DrainPhase::Delay => "delay",
        DrainPhase::AfterDelay => "after_delay",
    }
}

/// What the drain audit saw: the application's requests (never probes)
/// that arrived after the drain began, and whether the drain delay was
/// long enough for the load balancers to stop sending them.
/// [`Registry::drain_report`](super::Registry::drain_report) makes it;
/// its [`Display`](fmt::Display) is the line the servers log at exit.
///
/// ```
/// use health_core::Registry;
/// use std::time::Duration;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), health_core::BuildError> {
/// let registry = Registry::builder()
///     .without_declared()
///     .drain_delay(Duration::ZERO)
///     .build()?;
/// registry.begin_drain();
/// registry.count_request(); // a request of the application, after the delay
/// let report = registry.drain_report().expect("the drain began");
/// assert_eq!(report.after_delay, 1);
/// assert!(!report.long_enough());
/// assert!(report.suggested_delay().is_some_and(|d| d >= Duration::from_secs(1)));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DrainReport {
    /// What began the drain: `SIGTERM`, `SIGINT`, ... or `begin_drain`.
    pub cause: &'static str,
    /// The registry's drain delay.
    pub drain_delay: Duration,
    /// Whether a second signal cut the delay short.
    pub cut_short: bool,
    /// Requests that arrived during the delay: served, their connections
    /// closed.
    pub during_delay: u64,
    /// Requests that arrived after it: refused with `Retry-After`, unless
    /// the server had stopped accepting, when they failed.
    pub after_delay: u64,
    /// When the latest of them arrived, after the drain began.
    pub last_request: Option<Duration>,
}

impl DrainReport {
    /// Whether the balancers had stopped sending requests before the delay
    /// ended: none arrived after it (and none at the very end of it).
    pub fn long_enough(&self) -> bool {
        self.after_delay == 0 && self.last_request.is_none_or(|last| last < self.drain_delay)
    }

    /// The drain delay to use instead, when it was too short: the time of
    /// the last request, in whole seconds rounded up, and at least a
    /// second more than the delay that was too short.
    pub fn suggested_delay(&self) -> Option<Duration> {
        if self.long_enough() {
            return None;
        }
        let last = self.last_request.unwrap_or(self.drain_delay);
        let seconds = last.as_secs() + u64::from(last.subsec_nanos() > 0);
        Some(Duration::from_secs(seconds).max(self.drain_delay + Duration::from_secs(1)))
    }

    /// Logs the report: at INFO when the delay was long enough, else at
    /// WARN with the suggestion. Fields: `cause`, `requests_during_delay`,
    /// `requests_after_delay`, `last_request_ms`, `drain_delay_ms`,
    /// `suggested_delay_ms`.
    pub fn log(&self) {
        let last_request_ms = self.last_request.map(|d| d.as_millis());
        let drain_delay_ms = self.drain_delay.as_millis();
        match self.suggested_delay() {
            None => tracing::info!(
                cause = self.cause,
                requests_during_delay = self.during_delay,
                requests_after_delay = self.after_delay,
                last_request_ms,
                drain_delay_ms,
                "health: drain audit: {self}"
            ),
            Some(suggested) => tracing::warn!(
                cause = self.cause,
                requests_during_delay = self.during_delay,
                requests_after_delay = self.after_delay,
                last_request_ms,
                drain_delay_ms,
                suggested_delay_ms = suggested.as_millis(),
                "health: drain audit: {self}"
            ),
        }
    }
}

impl fmt::Display for DrainReport {
    /// `4 requests during the delay, 1 after it; last request 7.2s after
    /// SIGTERM; drain_delay 5s is short, use at least 8s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let delay = health_names::duration::format(self.drain_delay);
        write!(
            f,
            "{} during the delay, {} after it; ",
            requests(self.during_delay),
            self.after_delay
        )?;
        match self.last_request {
            Some(last) => {
                // To the tenth of a second: enough to choose a delay by.
                let millis = u64::try_from(last.as_millis()).unwrap_or(u64::MAX);
                let tenths = Duration::from_millis(millis.div_ceil(100).saturating_mul(100));
                let last = health_names::duration::format(tenths);
                write!(f, "last request {last} after {}", self.cause)?;
            }
            None => write!(f, "none after {}", self.cause)?,
        }
        if self.cut_short {
            f.write_str(" (a second signal cut the delay short)")?;
        }
        match self.suggested_delay() {
            None => write!(f, "; drain_delay {delay} was long enough"),
            Some(suggested) => write!(
                f,
                "; drain_delay {delay} is short, use at least {}",
                health_names::duration::format(suggested)
            ),
        }
    }
}

fn requests(n: u64) -> String {
    if n == 1 {
        "1 request".to_owned()
    } else {
        format!("{n} requests")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(during: u64, after: u64, last_ms: Option<u64>, delay_s: u64) -> DrainReport {
        DrainReport {
            cause: "SIGTERM",
            drain_delay: Duration::from_secs(delay_s),
            cut_short: false,
            during_delay: during,
            after_delay: after,
            last_request: last_ms.map(Duration::from_millis),
        }
    }

    #[test]
    fn a_last_request_after_the_delay_suggests_at_least_its_time() {
        let r = report(312, 4, Some(7_200), 5);
        assert!(!r.long_enough());
        assert_eq!(r.suggested_delay(), Some(Duration::from_secs(8)));
        assert_eq!(
            r.to_string(),
            "312 requests during the delay, 4 after it; last request 7.2s after SIGTERM; \
             drain_delay 5s is short, use at least 8s"
        );
    }

    #[test]
    fn requests_within_the_delay_only_are_long_enough() {
        let r = report(1, 0, Some(1_500), 5);
        assert!(r.long_enough());
        assert_eq!(r.suggested_delay(), None);
        assert_eq!(
            r.to_string(),
            "1 request during the delay, 0 after it; last request 1.5s after SIGTERM; \
             drain_delay 5s was long enough"
        );
    }

    #[test]
    fn no_request_at_all_is_long_enough() {
        let r = report(0, 0, None, 5);
        assert!(r.long_enough());
        assert!(r.to_string().contains("none after SIGTERM"));
    }

    #[test]
    fn a_suggestion_is_always_longer_than_the_delay() {
        // A request exactly at the end of the delay counts as after it.
        let r = report(0, 1, Some(5_000), 5);
        assert_eq!(r.suggested_delay(), Some(Duration::from_secs(6)));
    }
}
