//! Supervised background tasks: a queue consumer, a cache refresher, an
//! outbox sweeper, each a component of the registry. [`Check::task`] makes
//! the component and its [`Supervisor`]; [`Supervisor::spawn`] runs the
//! task under a [`Restart`] policy.
//!
//! | the task | the component |
//! |---|---|
//! | not spawned yet | UNKNOWN "not started" |
//! | running, its [`Heartbeat`] touched within `stall_after` | UP |
//! | running, no touch within `stall_after` (an await that never returns) | DOWN "stalled for 45.2s (no progress within 30s)" |
//! | returned (`Ok` or `Err`) | DOWN "exited: ..." |
//! | panicked | DOWN "panicked" (the payload to the log only, redacted) |
//! | waiting to restart | DOWN "restarting (restart 3 in 1.6s) after: ..." |
//! | stopped at the end of the drain | UP "stopped: drained" |
//!
//! Restarts are counted in the component's `restarts` detail. The
//! supervisor runs the component whenever the task's state changes and
//! when it stalls, so probes, gRPC `Watch` streams and listeners see it at
//! once.

use crate::check::{Check, Heartbeat, tenths};
use crate::model::Outcome;
use crate::registry::Registry;
use std::borrow::Cow;
use std::fmt::Display;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;

/// When a supervised task is started again.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Restart {
    /// Never: an exit or a panic leaves the component DOWN.
    Never,
    /// After an `Err` or a panic, not after `Ok(())`.
    OnFailure(Backoff),
    /// After every exit.
    Always(Backoff),
}

/// The wait before restart `n` (from 1): `initial × 2^(n-1)`, at most
/// `max`, with up to `jitter` of it (a fraction, 0 to 1) taken off at
/// random so that replicas do not restart in step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The first wait.
    pub initial: Duration,
    /// The longest wait.
    pub max: Duration,
    /// The fraction of each wait taken off at random.
    pub jitter: f64,
}

impl Default for Backoff {
    /// 100 ms, doubling to 30 s, with 20 % jitter.
    fn default() -> Self {
        Self {
            initial: Duration::from_millis(100),
            max: Duration::from_secs(30),
            jitter: 0.2,
        }
    }
}

impl Backoff {
    /// The wait before restart `n` (from 1).
    pub fn wait(&self, n: u64) -> Duration {
        let doublings = u32::try_from(n.saturating_sub(1))
            .unwrap_or(u32::MAX)
            .min(30);
        let full = self.initial.saturating_mul(1 << doublings).min(self.max);
        let jitter = self.jitter.clamp(0.0, 1.0) * random_fraction();
        full.mul_f64(1.0 - jitter)
    }
}

/// A fraction in [0, 1) from the clock and a counter: jitter, not
/// cryptography.
fn random_fraction() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut x = COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ u64::from(nanos);
    // splitmix64's finalizer.
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// Where a supervised task stands.
#[derive(Debug, Clone)]
enum State {
    NotStarted,
    Running,
    Exited(Cow<'static, str>),
    Restarting {
        after: Cow<'static, str>,
        restart: u64,
        wait: Duration,
    },
    Stopped,
}

struct Shared {
    state: Mutex<State>,
    restarts: AtomicU64,
    heartbeat: Heartbeat,
    stall_after: Duration,
}

impl Shared {
    fn set(&self, state: State) {
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = state;
    }

    fn outcome(&self) -> Outcome {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let outcome = match state {
            State::NotStarted => Outcome::unknown("not started"),
            State::Running => match self.heartbeat.silent_past(self.stall_after) {
                Some(silent) => Outcome::down(format!(
                    "stalled for {} (no progress within {})",
                    tenths(silent),
                    health_names::duration::format(self.stall_after)
                )),
                None => Outcome::up(),
            },
            State::Exited(why) => Outcome::down(why),
            State::Restarting {
                after,
                restart,
                wait,
            } => Outcome::down(format!(
                "restarting (restart {restart} in {}) after: {after}",
                tenths(wait)
            )),
            State::Stopped => Outcome::up().with_message("stopped: drained"),
        };
        outcome.with_detail("restarts", self.restarts.load(Ordering::Relaxed))
    }
}

/// Runs a supervised task ([`Check::task`]): spawns it, watches it exit,
/// panic or stall, restarts it by its [`Restart`] policy, and stops it when
/// the registry's drain is over.
pub struct Supervisor {
    name: Arc<str>,
    shared: Arc<Shared>,
}

impl Check {
    /// A supervised task's component and its [`Supervisor`]: see the
    /// [module](crate::task). The task must touch the [`Heartbeat`] it is
    /// given at least every `stall_after`, or it reads as stalled.
    ///
    /// ```
    /// use health_core::task::Restart;
    /// use health_core::{Check, Probe, Registry, Status};
    /// use std::time::Duration;
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), health_core::BuildError> {
    /// let (check, supervisor) = Check::task("sweeper", Duration::from_secs(30));
    /// let registry = Registry::builder().without_declared().check(check).build()?;
    /// supervisor.spawn(&registry, Restart::Never, |heartbeat| async move {
    ///     heartbeat.tick();
    ///     Err::<(), _>("the outbox table is gone")
    /// });
    /// tokio::time::sleep(Duration::from_millis(100)).await;
    /// let report = registry.run(Probe::Readiness).await;
    /// let sweeper = report.component("sweeper").expect("declared");
    /// assert_eq!(sweeper.status(), Status::Down);
    /// assert_eq!(sweeper.message(), Some("exited: the outbox table is gone"));
    /// # Ok(()) }
    /// ```
    #[track_caller]
    pub fn task(name: impl Into<Cow<'static, str>>, stall_after: Duration) -> (Check, Supervisor) {
        let name: Cow<'static, str> = name.into();
        let heartbeat = Heartbeat::new();
        let shared = Arc::new(Shared {
            state: Mutex::new(State::NotStarted),
            restarts: AtomicU64::new(0),
            heartbeat,
            stall_after,
        });
        let read = Arc::clone(&shared);
        let check = Check::inline(name.clone(), move || read.outcome());
        let supervisor = Supervisor {
            name: Arc::from(&*name),
            shared,
        };
        (check, supervisor)
    }
}

impl Supervisor {
    /// Spawns the task on the current tokio runtime: `make` is called for
    /// each start with the task's [`Heartbeat`]. Returns the supervisor's
    /// own task, which ends when the task is over for good (an exit not
    /// restarted, or the end of the drain).
    pub fn spawn<F, Fut, E>(
        self,
        registry: &Registry,
        restart: Restart,
        mut make: F,
    ) -> JoinHandle<()>
    where
        F: FnMut(Heartbeat) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Display + Send + 'static,
    {
        let registry = registry.clone();
        tokio::spawn(async move {
            let Self { name, shared } = self;
            let drained = drained(registry.clone());
            tokio::pin!(drained);
            // Failures in a row: a run longer than the longest wait starts
            // the backoff afresh.
            let mut failures = 0u64;
            loop {
                let began = tokio::time::Instant::now();
                shared.heartbeat.tick();
                shared.set(State::Running);
                refresh(&registry, &name).await;
                let mut task = tokio::spawn(make(shared.heartbeat.clone()));
                // Watch for a stall while it runs.
                let every = (shared.stall_after / 4)
                    .clamp(Duration::from_millis(10), Duration::from_secs(1));
                let mut stalled = false;
                let ended = loop {
                    tokio::select! {
                        ended = &mut task => break Some(ended),
                        () = &mut drained => break None,
                        () = tokio::time::sleep(every) => {
                            let now = shared.heartbeat.silent_past(shared.stall_after).is_some();
                            if now != stalled {
                                stalled = now;
                                refresh(&registry, &name).await;
                            }
                        }
                    }
                };
                let Some(ended) = ended else {
                    task.abort();
                    shared.set(State::Stopped);
                    refresh(&registry, &name).await;
                    return;
                };
                let (why, failed) = match ended {
                    Ok(Ok(())) => (Cow::Borrowed("exited: returned"), false),
                    Ok(Err(error)) => (Cow::Owned(format!("exited: {error}")), true),
                    Err(join) if join.is_panic() => {
                        let payload = join.into_panic();
                        let text = payload
                            .downcast_ref::<&str>()
                            .map(|s| (*s).to_owned())
                            .or_else(|| payload.downcast_ref::<String>().cloned())
                            .unwrap_or_default();
                        tracing::error!(task = %name, payload = %crate::hygiene::redact(&text), "health: a supervised task panicked");
                        (Cow::Borrowed("panicked"), true)
                    }
                    Err(_) => (Cow::Borrowed("exited: cancelled"), true),
                };
                let backoff = match restart {
                    Restart::Always(backoff) => Some(backoff),
                    Restart::OnFailure(backoff) if failed => Some(backoff),
                    _ => None,
                };
                let Some(backoff) = backoff else {
                    tracing::warn!(task = %name, reason = %why, "health: a supervised task ended");
                    shared.set(State::Exited(why));
                    refresh(&registry, &name).await;
                    return;
                };
                failures = if began.elapsed() > backoff.max {
                    1
                } else {
                    failures + 1
                };
                let wait = backoff.wait(failures);
                let restart = shared.restarts.load(Ordering::Relaxed) + 1;
                tracing::warn!(task = %name, reason = %why, ?wait, "health: restarting a supervised task");
                shared.set(State::Restarting {
                    after: why,
                    restart,
                    wait,
                });
                refresh(&registry, &name).await;
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = &mut drained => {
                        shared.set(State::Stopped);
                        refresh(&registry, &name).await;
                        return;
                    }
                }
                shared.restarts.fetch_add(1, Ordering::Relaxed);
                #[cfg(feature = "metrics")]
                metrics::counter!("health_task_restarts_total", "task" => name.to_string())
                    .increment(1);
            }
        })
    }
}

/// Runs the task's component, so that its new state reaches watchers.
async fn refresh(registry: &Registry, name: &str) {
    let _ = registry.run_component(name).await;
}

/// Resolves when the drain is over: the drain delay after it began.
async fn drained(registry: Registry) {
    registry.draining().await;
    tokio::time::sleep(registry.drain_delay()).await;
}

impl std::fmt::Debug for Supervisor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Supervisor")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_to_its_cap_with_jitter_taken_off() {
        let exact = Backoff {
            initial: Duration::from_millis(100),
            max: Duration::from_secs(1),
            jitter: 0.0,
        };
        let waits: Vec<u128> = (1..=6).map(|n| exact.wait(n).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 800, 1000, 1000]);
        let jittered = Backoff {
            jitter: 0.5,
            ..exact
        };
        for n in 1..=6 {
            let wait = jittered.wait(n);
            assert!(
                wait <= exact.wait(n) && wait >= exact.wait(n) / 2,
                "{n}: {wait:?}"
            );
        }
        assert_eq!(exact.wait(u64::MAX), Duration::from_secs(1));
    }
}
