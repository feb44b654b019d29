//! [`RuntimeWatch`]: busy versus wedged, for the tokio runtime the
//! application runs on.

use health_core::{Check, Observed, Outcome, Probe, Status};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::runtime::Handle;
use tokio::time::Instant;

/// Busy versus wedged: a ticker on the application's runtime, and two
/// [inline](Check::inline) checks that read it where the probe is answered
/// (so they need nothing of that runtime, and tell when it cannot run):
///
/// - `runtime.busy` (readiness): the ticker's lag, how late the runtime
///   polls a task that is due, over [`busy_after`](Self::busy_after)
///   (default 1 s) is DOWN (or DEGRADED, [`busy_is`](Self::busy_is)): an
///   overloaded replica sheds traffic before its requests time out;
/// - `runtime.alive` (liveness): no tick at all for
///   [`wedged_after`](Self::wedged_after) (default 5 s) is DOWN: every
///   worker is blocked (a blocking call on each, a deadlock), restart me.
///   A busy runtime still ticks, late: it stays alive.
///
/// Both report the lag in milliseconds as their observed value, with the
/// runtime's workers, alive tasks and global queue depth in their details.
/// With the probes answered on their own thread (a dedicated listener),
/// these are what keep liveness honest: the listener alone would say UP for
/// a runtime that cannot run. The defaults sit inside the kubelet's (period
/// 10 s, timeout 1 s, three failures to restart): a stall of 5 s fails one
/// liveness probe, and a restart takes three in a row.
///
/// Deciding to shed: DOWN takes a busy replica out of rotation, so its
/// backlog drains while the others serve. Where every replica is busy at
/// once, they would all leave: `busy_is(Status::Degraded)` reports the lag
/// without shedding.
///
/// ```
/// use health_checks::RuntimeWatch;
/// use health_core::Registry;
/// use std::time::Duration;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), health_core::BuildError> {
/// // Inside the application's runtime: the ticker runs there.
/// let registry = Registry::builder()
///     .without_declared()
///     .checks(RuntimeWatch::new().busy_after(Duration::from_millis(500)).checks())
///     .build()?;
/// # drop(registry);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "call .checks() and add them to the registry"]
pub struct RuntimeWatch {
    tick: Duration,
    busy_after: Duration,
    wedged_after: Duration,
    busy_is: Status,
}

impl Default for RuntimeWatch {
    fn default() -> Self {
        Self::new()
    }
}

impl RuntimeWatch {
    /// A tick every 100 ms; busy past 1 s of lag (DOWN), wedged past 5 s
    /// without a tick.
    pub fn new() -> Self {
        Self {
            tick: Duration::from_millis(100),
            busy_after: Duration::from_secs(1),
            wedged_after: Duration::from_secs(5),
            busy_is: Status::Down,
        }
    }

    /// How often the ticker runs (default 100 ms; at least 1 ms).
    pub fn tick(mut self, every: Duration) -> Self {
        self.tick = every.max(Duration::from_millis(1));
        self
    }

    /// The lag past which the runtime is busy (default 1 s).
    pub fn busy_after(mut self, lag: Duration) -> Self {
        self.busy_after = lag;
        self
    }

    /// How long without a tick the runtime is wedged (default 5 s).
    pub fn wedged_after(mut self, silence: Duration) -> Self {
        self.wedged_after = silence;
        self
    }

    /// What busy reports: [`Status::Down`] (the default: readiness sheds)
    /// or [`Status::Degraded`] (reported, not shed); any other status is
    /// taken as DOWN.
    pub fn busy_is(mut self, status: Status) -> Self {
        self.busy_is = status;
        self
    }

    /// Starts the ticker on the runtime at hand (call it inside the
    /// application's runtime) and gives the two checks, `runtime.busy`
    /// (readiness) and `runtime.alive` (liveness). Off any runtime there
    /// is nothing to watch: both report DOWN, saying so.
    pub fn checks(self) -> [Check; 2] {
        let ticker = Handle::try_current()
            .ok()
            .map(|runtime| Ticker::start(&runtime, self.tick));
        let (busy, alive) = (self.clone(), self);
        let busy_ticker = ticker.clone();
        [
            Check::inline("runtime.busy", move || busy.busy(busy_ticker.as_ref()))
                .with_tags(["runtime"]),
            Check::inline("runtime.alive", move || alive.alive(ticker.as_ref()))
                .with_probes(Probe::Liveness)
                .with_tags(["runtime"]),
        ]
    }

    fn busy(&self, ticker: Option<&Ticker>) -> Outcome {
        let Some(ticker) = ticker else {
            return no_runtime();
        };
        let (lag, _) = ticker.lag(self.tick);
        let outcome = if lag > self.busy_after {
            let message = format!(
                "busy: tasks run {} late (more than {})",
                fmt(lag),
                fmt(self.busy_after)
            );
            if self.busy_is == Status::Degraded {
                Outcome::degraded(message)
            } else {
                Outcome::down(message)
            }
        } else {
            Outcome::up()
        };
        ticker.observed(outcome, lag)
    }

    fn alive(&self, ticker: Option<&Ticker>) -> Outcome {
        let Some(ticker) = ticker else {
            return no_runtime();
        };
        let (lag, silence) = ticker.lag(self.tick);
        let outcome = if silence > self.wedged_after {
            Outcome::down(format!(
                "wedged: no tick for {} (more than {}): every worker is blocked",
                fmt(silence),
                fmt(self.wedged_after)
            ))
        } else {
            Outcome::up()
        };
        ticker.observed(outcome, lag)
    }
}

fn no_runtime() -> Outcome {
    Outcome::down("no runtime to watch: RuntimeWatch::checks was called off any tokio runtime")
}

fn fmt(d: Duration) -> String {
    // Milliseconds are enough for people; the grammar reads it back.
    health_names::duration::format(Duration::from_millis(d.as_millis() as u64)).to_string()
}

/// The ticker's state, shared with the checks: nanoseconds after `origin`.
#[derive(Debug, Clone)]
struct Ticker {
    runtime: Handle,
    origin: Instant,
    /// When the last tick ran.
    last: Arc<AtomicU64>,
    /// How late the last tick ran.
    late: Arc<AtomicU64>,
}

impl Ticker {
    fn start(runtime: &Handle, every: Duration) -> Self {
        let origin = Instant::now();
        let ticker = Self {
            runtime: runtime.clone(),
            origin,
            last: Arc::new(AtomicU64::new(0)),
            late: Arc::new(AtomicU64::new(0)),
        };
        let (last, late) = (Arc::clone(&ticker.last), Arc::clone(&ticker.late));
        // Stops with the runtime; the checks then see it silent.
        drop(runtime.spawn(async move {
            let mut due = Instant::now() + every;
            loop {
                tokio::time::sleep_until(due).await;
                let now = Instant::now();
                late.store(nanos(now.saturating_duration_since(due)), Ordering::Relaxed);
                last.store(
                    nanos(now.saturating_duration_since(origin)),
                    Ordering::Release,
                );
                due = now + every;
            }
        }));
        ticker
    }

    /// The lag (how late the last tick was, or how overdue the next one
    /// is) and the silence (how long since the last tick).
    fn lag(&self, every: Duration) -> (Duration, Duration) {
        let last = Duration::from_nanos(self.last.load(Ordering::Acquire));
        let silence = self.origin.elapsed().saturating_sub(last);
        let late = Duration::from_nanos(self.late.load(Ordering::Relaxed));
        (late.max(silence.saturating_sub(every)), silence)
    }

    fn observed(&self, outcome: Outcome, lag: Duration) -> Outcome {
        let metrics = self.runtime.metrics();
        outcome
            .with_observed(Observed::new(lag.as_secs_f64() * 1e3, "ms"))
            .with_detail("workers", metrics.num_workers())
            .with_detail("alive_tasks", metrics.num_alive_tasks())
            .with_detail("global_queue_depth", metrics.global_queue_depth())
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}
