//! [`Heartbeat`]: a signal the application pushes, and the TTL check that
//! reads it ([`Check::ttl`]).

use super::definition::Check;
use crate::model::{Observed, Outcome};
use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The handle of a TTL check ([`Check::ttl`]): the application touches it
/// when something happens (a message consumed, a batch exported, a loop
/// turned), and the check is DOWN when it was not touched within its TTL,
/// or after [`fail`](Self::fail) until the next touch. The check reads it
/// every quarter of the TTL (10 ms to 1 s), so a change shows within that. Cheap to clone;
/// clones share the signal. A touch is a clock read and an atomic store
/// (see the `heartbeat` bench): call it on a hot loop.
///
/// ```
/// use health_core::{Check, Probe, Registry, Status};
/// use std::time::Duration;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), health_core::BuildError> {
/// let (check, heartbeat) = Check::ttl("consumer", Duration::from_secs(30));
/// let registry = Registry::builder().without_declared().check(check).build()?;
///
/// heartbeat.progress(12); // 12 messages handled
/// heartbeat.fail("broker refused the subscription");
/// // The check reads the heartbeat every quarter of its TTL (at most 1 s).
/// tokio::time::sleep(Duration::from_millis(1_100)).await;
/// let report = registry.run(Probe::Readiness).await;
/// let consumer = report.component("consumer").expect("declared");
/// assert_eq!(consumer.status(), Status::Down);
/// assert_eq!(consumer.message(), Some("broker refused the subscription"));
/// heartbeat.tick(); // UP again at the next read
/// tokio::time::sleep(Duration::from_millis(1_100)).await;
/// assert_eq!(registry.run(Probe::Readiness).await.status(), Status::Up);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Heartbeat(Arc<Beat>);

struct Beat {
    /// The clock's origin: touches are nanoseconds after it.
    origin: Instant,
    /// Nanoseconds from `origin` to the latest touch.
    last: AtomicU64,
    /// Work done, from [`Heartbeat::progress`].
    progress: AtomicU64,
    /// Whether [`Heartbeat::progress`] was ever called: the count is shown.
    counted: AtomicBool,
    /// Fast path for `failure`.
    failed: AtomicBool,
    failure: Mutex<Option<Cow<'static, str>>>,
}

impl Heartbeat {
    pub(crate) fn new() -> Self {
        Self(Arc::new(Beat {
            origin: Instant::now(),
            last: AtomicU64::new(0),
            progress: AtomicU64::new(0),
            counted: AtomicBool::new(false),
            failed: AtomicBool::new(false),
            failure: Mutex::new(None),
        }))
    }

    /// Touches it: the signal is alive now. Ends a [`fail`](Self::fail).
    #[inline]
    pub fn tick(&self) {
        let beat = &*self.0;
        let nanos = u64::try_from(beat.origin.elapsed().as_nanos()).unwrap_or(u64::MAX);
        beat.last.store(nanos, Ordering::Relaxed);
        if beat.failed.load(Ordering::Relaxed) {
            self.clear_failure();
        }
    }

    /// Touches it, and counts `done` more units of work (items consumed,
    /// rows exported): the check shows the count as its observed value.
    #[inline]
    pub fn progress(&self, done: u64) {
        let beat = &*self.0;
        beat.progress.fetch_add(done, Ordering::Relaxed);
        if !beat.counted.load(Ordering::Relaxed) {
            beat.counted.store(true, Ordering::Relaxed);
        }
        self.tick();
    }

    /// Turns the check DOWN with `message` until the next touch. The
    /// message is redacted and cut like any check's.
    pub fn fail(&self, message: impl Into<Cow<'static, str>>) {
        let mut failure = self.0.failure.lock().unwrap_or_else(|p| p.into_inner());
        *failure = Some(message.into());
        self.0.failed.store(true, Ordering::Release);
    }

    #[cold]
    fn clear_failure(&self) {
        let mut failure = self.0.failure.lock().unwrap_or_else(|p| p.into_inner());
        *failure = None;
        self.0.failed.store(false, Ordering::Release);
    }

    /// Time since the latest touch (since it was made, before the first).
    pub fn since_last(&self) -> Duration {
        let beat = &*self.0;
        let now = beat.origin.elapsed();
        now.saturating_sub(Duration::from_nanos(beat.last.load(Ordering::Relaxed)))
    }

    /// How long it has been silent, when that is longer than `limit`.
    pub(crate) fn silent_past(&self, limit: Duration) -> Option<Duration> {
        Some(self.since_last()).filter(|silent| *silent > limit)
    }

    /// The work counted by [`progress`](Self::progress).
    pub fn progress_count(&self) -> u64 {
        self.0.progress.load(Ordering::Relaxed)
    }

    /// The TTL check's outcome.
    fn outcome(&self, ttl: Duration) -> Outcome {
        let beat = &*self.0;
        let outcome = if beat.failed.load(Ordering::Acquire) {
            let failure = beat.failure.lock().unwrap_or_else(|p| p.into_inner());
            Outcome::down(failure.clone().unwrap_or(Cow::Borrowed("failed")))
        } else {
            match self.silent_past(ttl) {
                Some(silent) => Outcome::down(format!(
                    "no heartbeat for {} (ttl {})",
                    tenths(silent),
                    health_names::duration::format(ttl)
                )),
                None => Outcome::up(),
            }
        };
        if beat.counted.load(Ordering::Relaxed) {
            outcome.with_observed(Observed::without_unit(self.progress_count()))
        } else {
            outcome
        }
    }
}

/// `d` to the tenth of a second below, written: for a message, not a
/// measurement.
pub(crate) fn tenths(d: Duration) -> health_names::duration::Formatted {
    let millis = u64::try_from(d.as_millis() / 100 * 100).unwrap_or(u64::MAX);
    health_names::duration::format(Duration::from_millis(millis))
}

impl std::fmt::Debug for Heartbeat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Heartbeat")
            .field("since_last", &self.since_last())
            .field("progress", &self.progress_count())
            .field("failed", &self.0.failed.load(Ordering::Relaxed))
            .finish()
    }
}

impl Check {
    /// A TTL check and its [`Heartbeat`]: DOWN "no heartbeat for 45.2s
    /// (ttl 30s)" when the heartbeat was not touched within `ttl` (counted
    /// from now before the first touch), or with the message of
    /// [`Heartbeat::fail`] until the next touch; else UP, with the
    /// [`progress`](Heartbeat::progress) count as its observed value once
    /// there is one. For push-style signals: a consumer, an exporter, a
    /// background loop. Inline ([`Check::inline`]): it reads two atomics.
    /// It runs with an `interval` of a quarter of the TTL (10 ms to 1 s),
    /// so that silence reaches watchers (gRPC `Watch`, listeners, metrics)
    /// without a probe asking; a probe reads the latest of those runs.
    ///
    /// ```
    /// use health_core::{Check, Probe, Registry, Status};
    /// use std::time::Duration;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), health_core::BuildError> {
    /// let (check, _heartbeat) = Check::ttl("exporter", Duration::from_millis(20));
    /// let registry = Registry::builder().without_declared().check(check).build()?;
    /// tokio::time::sleep(Duration::from_millis(50)).await; // never touched
    /// let report = registry.run(Probe::Readiness).await;
    /// let exporter = report.component("exporter").expect("declared");
    /// assert_eq!(exporter.status(), Status::Down);
    /// assert!(exporter.message().is_some_and(|m| m.starts_with("no heartbeat for")));
    /// # Ok(()) }
    /// ```
    #[track_caller]
    pub fn ttl(name: impl Into<Cow<'static, str>>, ttl: Duration) -> (Check, Heartbeat) {
        let heartbeat = Heartbeat::new();
        let read = heartbeat.clone();
        // Read again every quarter of the TTL (10 ms to 1 s) in the
        // background as well: silence is a change nobody asks about, and
        // watchers (gRPC `Watch`, listeners, metrics) hear of it then.
        let every = (ttl / 4).clamp(Duration::from_millis(10), Duration::from_secs(1));
        // It reads atomics: its timeout is never reached.
        let check = Check::inline(name, move || read.outcome(ttl))
            .with_interval(every)
            .with_timeout(every / 2);
        (check, heartbeat)
    }
}
