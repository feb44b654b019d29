//! [`RuntimeWatch`]: busy versus wedged, for the tokio runtime the
//! application runs on.

use health_core::{Check, Observed, Outcome, Probe, Status};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
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
    /// One ticker per runtime watched; shared by clones and the checks.
    tickers: Arc<Mutex<Vec<Ticker>>>,
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
            tickers: Arc::default(),
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

    /// Watches the runtime at hand too, once: for servers whose workers
    /// each run a runtime of their own (actix-web: call it in the
    /// `HttpServer::new` factory, which runs on each worker). `false` off
    /// any runtime.
    ///
    /// ```
    /// use health_checks::RuntimeWatch;
    /// let watch = RuntimeWatch::new();
    /// let worker = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    /// assert!(worker.block_on(async { watch.watch_this_runtime() }));
    /// assert!(!watch.watch_this_runtime(), "off any runtime");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn watch_this_runtime(&self) -> bool {
        let Ok(runtime) = Handle::try_current() else {
            return false;
        };
        let mut tickers = self.tickers.lock().unwrap_or_else(|p| p.into_inner());
        if !tickers.iter().any(|t| t.runtime.id() == runtime.id()) {
            tickers.push(Ticker::start(&runtime, self.tick));
        }
        true
    }

    /// Watches the runtime at hand (call it inside the application's
    /// runtime; with actix-web, see
    /// [`watch_this_runtime`](Self::watch_this_runtime)) and gives the two
    /// checks, `runtime.busy` (readiness) and `runtime.alive` (liveness),
    /// over every runtime watched: the worst lag, the longest silence.
    /// With nothing watched both report DOWN, saying so.
    pub fn checks(&self) -> [Check; 2] {
        self.watch_this_runtime();
        let (busy, alive) = (self.clone(), self.clone());
        [
            Check::inline("runtime.busy", move || busy.busy()).with_tags(["runtime"]),
            Check::inline("runtime.alive", move || alive.alive())
                .with_probes(Probe::Liveness)
                .with_tags(["runtime"]),
        ]
    }

    /// The worst lag and the longest silence over every runtime watched,
    /// and their numbers; `None` with none.
    fn read(&self) -> Option<(Duration, Duration, [usize; 4])> {
        let tickers = self.tickers.lock().unwrap_or_else(|p| p.into_inner());
        if tickers.is_empty() {
            return None;
        }
        let (mut lag, mut silence, mut numbers) = (Duration::ZERO, Duration::ZERO, [0; 4]);
        for ticker in tickers.iter() {
            let (l, s) = ticker.lag(self.tick);
            lag = lag.max(l);
            silence = silence.max(s);
            let metrics = ticker.runtime.metrics();
            numbers[0] += 1;
            numbers[1] += metrics.num_workers();
            numbers[2] += metrics.num_alive_tasks();
            numbers[3] += metrics.global_queue_depth();
        }
        Some((lag, silence, numbers))
    }

    fn busy(&self) -> Outcome {
        let Some((lag, _, numbers)) = self.read() else {
            return no_runtime();
        };
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
        observed(outcome, lag, numbers)
    }

    fn alive(&self) -> Outcome {
        let Some((lag, silence, numbers)) = self.read() else {
            return no_runtime();
        };
        let outcome = if silence > self.wedged_after {
            Outcome::down(format!(
                "wedged: no tick for {} (more than {}): every worker is blocked",
                fmt(silence),
                fmt(self.wedged_after)
            ))
        } else {
            Outcome::up()
        };
        observed(outcome, lag, numbers)
    }
}

/// The lag as the observed value; the runtimes watched, their workers,
/// alive tasks and global queue depth as details.
fn observed(outcome: Outcome, lag: Duration, numbers: [usize; 4]) -> Outcome {
    let [runtimes, workers, tasks, queued] = numbers;
    outcome
        .with_observed(Observed::new(crate::timed::ms(lag), "ms"))
        .with_detail("runtimes", runtimes)
        .with_detail("workers", workers)
        .with_detail("alive_tasks", tasks)
        .with_detail("global_queue_depth", queued)
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
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}
