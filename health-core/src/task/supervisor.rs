//! [`Check::task`] and the [`Supervisor`]: the component of a supervised
//! task, and the loop that runs it. The loop reaches its registry only
//! through a [`Host`], which the registry implements: it starts the loop
//! for `Supervisor::spawn` and for the tasks `#[health_task]` declares.

use super::restart::Restart;
use crate::check::{Check, Heartbeat, tenths};
use crate::model::Outcome;
use std::borrow::Cow;
use std::fmt::Display;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the loop needs of the registry that runs the task's component.
pub(crate) trait Host: Send + Sync + 'static {
    /// Runs the task's component, so that its new state reaches watchers.
    fn refresh(&self, name: &str) -> impl Future<Output = ()> + Send;

    /// Resolves when the task must stop for good: at the end of the drain.
    fn stopped(&self) -> impl Future<Output = ()> + Send + 'static;
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
    /// `None`: no stall detection (a declared task without a `Heartbeat`
    /// parameter cannot show progress).
    stall_after: Option<Duration>,
}

impl Shared {
    fn set(&self, state: State) {
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = state;
    }

    /// How long the heartbeat has been silent, past `stall_after`.
    fn stalled(&self) -> Option<(Duration, Duration)> {
        let limit = self.stall_after?;
        Some((self.heartbeat.silent_past(limit)?, limit))
    }

    fn outcome(&self) -> Outcome {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let outcome = match state {
            State::NotStarted => Outcome::unknown("not started"),
            State::Running => match self.stalled() {
                Some((silent, limit)) => Outcome::down(format!(
                    "stalled for {} (no progress within {})",
                    tenths(silent),
                    health_names::duration::format(limit)
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
        Check::supervised(name.into(), Some(stall_after))
    }

    /// [`Check::task`], with stall detection only if `stall_after` is given.
    #[track_caller]
    pub(crate) fn supervised(
        name: Cow<'static, str>,
        stall_after: Option<Duration>,
    ) -> (Check, Supervisor) {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::NotStarted),
            restarts: AtomicU64::new(0),
            heartbeat: Heartbeat::new(),
            stall_after,
        });
        let read = Arc::clone(&shared);
        let supervisor = Supervisor {
            name: Arc::from(&*name),
            shared,
        };
        let check = Check::inline(name, move || read.outcome());
        (check, supervisor)
    }
}

impl Supervisor {
    /// The supervising loop: starts the task (`make` is called for each
    /// start with the task's [`Heartbeat`]), watches it, restarts it by
    /// `restart`; over when the task is over for good (an exit not
    /// restarted) or when `host` says stop (the end of the drain). Its
    /// caller spawns it, on the runtime the task runs on.
    pub(crate) async fn run<H, F, Fut, E>(self, host: H, restart: Restart, mut make: F)
    where
        H: Host,
        F: FnMut(Heartbeat) -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Display + Send + 'static,
    {
        let Self { name, shared } = self;
        let stopped = host.stopped();
        tokio::pin!(stopped);
        // Failures in a row: a run longer than the longest wait starts
        // the backoff afresh.
        let mut failures = 0u64;
        // How often a stall is looked for while the task runs.
        let every = shared
            .stall_after
            .map(|limit| (limit / 4).clamp(Duration::from_millis(10), Duration::from_secs(1)));
        loop {
            let began = tokio::time::Instant::now();
            shared.heartbeat.tick();
            shared.set(State::Running);
            host.refresh(&name).await;
            let mut task = tokio::spawn(make(shared.heartbeat.clone()));
            let mut stalled = false;
            let ended = loop {
                tokio::select! {
                    ended = &mut task => break Some(ended),
                    () = &mut stopped => break None,
                    () = tokio::time::sleep(every.unwrap_or_default()), if every.is_some() => {
                        let now = shared.stalled().is_some();
                        if now != stalled {
                            stalled = now;
                            host.refresh(&name).await;
                        }
                    }
                }
            };
            let Some(ended) = ended else {
                task.abort();
                shared.set(State::Stopped);
                host.refresh(&name).await;
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
                host.refresh(&name).await;
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
            host.refresh(&name).await;
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = &mut stopped => {
                    shared.set(State::Stopped);
                    host.refresh(&name).await;
                    return;
                }
            }
            shared.restarts.fetch_add(1, Ordering::Relaxed);
            #[cfg(feature = "metrics")]
            crate::events::record_task_restart(&name);
        }
    }
}

impl std::fmt::Debug for Supervisor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Supervisor")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}
