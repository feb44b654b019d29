//! Running probes and components: the verdict at hand (the memo), or a
//! run of the checks, its verdict, transitions and the startup latch.

use super::latest::Recorded;
use super::roster::Roster;
use super::verdict::{self, Summary};
use super::{Lifecycle, Registry, Selection, Verdict};
use crate::check::Probe;
use crate::model::Status;
use crate::report::{Clock, Component, Report};
use crate::runner;
use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::time::Instant;

impl Registry {
    /// Runs the selected checks (a whole [`Probe`], or a [`Selection`])
    /// concurrently and aggregates them.
    ///
    /// Readiness is OUT_OF_SERVICE while draining or in maintenance (checks
    /// are then not run; components show their latest results). Startup is
    /// latched: once every startup check has passed (each UP or DEGRADED,
    /// critical or not), it is UP for good and its checks no longer run;
    /// until then it is DOWN.
    pub async fn run(&self, selection: impl Into<Selection>) -> Report {
        self.report(&selection.into(), None).await
    }

    /// What [`run`](Self::run) reports, by `deadline` at the latest: checks
    /// still running then are shown with their latest result, marked
    /// [stale](Component::is_stale) (UNKNOWN before their first), and go on
    /// running, single flight, so the next run has them. For protocols
    /// whose callers give up at a deadline (a prober's timeout,
    /// `grpc-timeout`): every answer arrives before it. The deadline is
    /// kept by the caller's runtime, so it holds even while the
    /// application's runtime is wedged; off any runtime the run goes to
    /// its end.
    ///
    /// ```
    /// use health_core::{Check, Probe, Registry, Status};
    /// use std::time::Duration;
    /// use tokio::time::Instant;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), health_core::BuildError> {
    /// let slow = Check::new("slow", || tokio::time::sleep(Duration::from_secs(3)))
    ///     .with_timeout(Duration::from_secs(5));
    /// let registry = Registry::builder().without_declared().check(slow).build()?;
    /// let report = registry
    ///     .run_until(Probe::Readiness, Instant::now() + Duration::from_millis(50))
    ///     .await;
    /// let slow = report.component("slow").unwrap();
    /// assert!(slow.is_stale());
    /// assert_eq!(slow.status(), Status::Unknown); // no result yet
    /// # Ok(()) }
    /// ```
    pub async fn run_until(&self, selection: impl Into<Selection>, deadline: Instant) -> Report {
        self.report(&selection.into(), Some(deadline)).await
    }

    /// What [`run`](Self::run) reports, at once, when nothing needs to run
    /// or be waited for (every selected check has a result it may serve,
    /// or the lifecycle decides): `None` when a check must run first.
    /// For protocol adapters that answer without a future when they can,
    /// as [`verdict_now`](Self::verdict_now) for the status alone.
    ///
    /// ```
    /// use health_core::{Check, Probe, Registry, Status};
    /// use std::time::Duration;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), health_core::BuildError> {
    /// let db = Check::new("db", || async { true }).with_cache(Duration::from_secs(10));
    /// let registry = Registry::builder().without_declared().check(db).build()?;
    /// assert!(registry.run_now(Probe::Readiness).is_none());
    /// registry.run(Probe::Readiness).await;
    /// let report = registry.run_now(Probe::Readiness).unwrap();
    /// assert_eq!(report.component("db").unwrap().status(), Status::Up);
    /// # Ok(()) }
    /// ```
    pub fn run_now<'s>(&self, selection: impl Into<Cow<'s, Selection>>) -> Option<Report> {
        let selection = selection.into();
        let roster = self.roster();
        let (verdict, results) = self.at_hand(&roster, &selection)?;
        let results = results.unwrap_or_else(|| runner::latest(slots_of(&roster, &selection)));
        Some(self.assemble(&selection, verdict, &results))
    }

    async fn report(&self, selection: &Selection, deadline: Option<Instant>) -> Report {
        let (verdict, results) = self.evaluate(selection, deadline).await;
        self.assemble(selection, verdict, &results)
    }

    /// A report of `verdict` over `results`.
    fn assemble(
        &self,
        selection: &Selection,
        verdict: Verdict,
        results: &runner::Results,
    ) -> Report {
        let clock = Clock::new(results.started());
        let components = results
            .each()
            .map(|(check, result, stale)| Component::new(check, result, stale, &clock))
            .collect();
        Report {
            probe: Some(selection.probe()),
            status: verdict.status,
            reason: verdict.reason,
            retry_after: verdict.retry_after,
            components,
            timestamp: clock.wall(),
        }
    }

    /// What [`run`](Self::run) decides, without the components: for callers
    /// that need only the status, such as an anonymous probe.
    pub async fn verdict(&self, selection: impl Into<Selection>) -> Verdict {
        let selection = selection.into();
        match self.at_hand(&self.roster(), &selection) {
            Some((verdict, _)) => verdict,
            None => self.evaluate(&selection, None).await.0,
        }
    }

    /// What [`verdict`](Self::verdict) decides, by `deadline` at the latest
    /// (see [`run_until`](Self::run_until)), running the checks (those with
    /// a result at hand serve it) without first looking for the whole
    /// verdict at hand: for an adapter that has just been told `None` by
    /// [`verdict_now`](Self::verdict_now), so that one request reads the
    /// probe's memo once.
    pub async fn verdict_until(
        &self,
        selection: impl Into<Selection>,
        deadline: Instant,
    ) -> Verdict {
        self.evaluate(&selection.into(), Some(deadline)).await.0
    }

    /// What [`verdict`](Self::verdict) decides, at once, when nothing needs
    /// to run or be waited for: `None` when a check must run first (then
    /// await [`verdict_until`](Self::verdict_until)). A verdict is at hand
    /// while every check of the selection has a result it may serve (within
    /// its `cache`, or an `interval` check's: a whole probe reads it from
    /// its memo, a selection from each check), and while readiness is out
    /// of service or startup latched (nothing runs then).
    ///
    /// For protocol adapters that answer without a future when they can.
    ///
    /// ```
    /// use health_core::{Check, Policy, Probe, Registry, Status};
    /// use std::time::Duration;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), health_core::BuildError> {
    /// let db = Check::new("db", || async { true })
    ///     .with_policy(Policy::default().with_cache(Duration::from_secs(10)));
    /// let registry = Registry::builder().without_declared().check(db).build()?;
    /// // Nothing has run yet: the verdict needs a run.
    /// assert_eq!(registry.verdict_now(Probe::Readiness), None);
    /// assert_eq!(registry.verdict(Probe::Readiness).await.status, Status::Up);
    /// // Cached now: at hand for the next 10 seconds.
    /// let at_hand = registry.verdict_now(Probe::Readiness).map(|v| v.status);
    /// assert_eq!(at_hand, Some(Status::Up));
    /// # Ok(()) }
    /// ```
    pub fn verdict_now<'s>(&self, selection: impl Into<Cow<'s, Selection>>) -> Option<Verdict> {
        self.at_hand(&self.roster(), &selection.into())
            .map(|(verdict, _)| verdict)
    }

    /// The verdict at hand (see [`verdict_now`](Self::verdict_now)); for a
    /// selection whose verdict reads its checks, also the results it read
    /// (a whole probe reads its memo, and its results only when asked).
    fn at_hand(
        &self,
        roster: &Roster,
        selection: &Selection,
    ) -> Option<(Verdict, Option<runner::Results>)> {
        let probe = selection.probe();
        let whole = selection.is_whole_probe();
        self.start_background();
        let lifecycle = self.0.lifecycle.get();
        let latched = probe == Probe::Startup && self.is_started();
        let now = Instant::now();
        let mut read = None;
        let summary = if (probe == Probe::Readiness && lifecycle != Lifecycle::Serving) || latched {
            // The verdict does not look at the checks.
            None
        } else if whole {
            Some(
                roster.memo[probe as usize]
                    .as_ref()?
                    .get(now, self.0.events.count())?,
            )
        } else {
            // A selection has no memo: at hand while every check it keeps
            // has a result it may serve.
            let results = runner::at_hand(slots_of(roster, selection), now)?;
            let summary = Summary::of(results.statuses());
            read = Some(results);
            Some(summary)
        };
        let verdict = verdict::decide_from(probe, &lifecycle, latched, || {
            summary.unwrap_or_else(|| Summary::of([]))
        });
        if whole {
            self.conclude(probe, now, &verdict);
        }
        Some((verdict, read))
    }

    async fn evaluate(
        &self,
        selection: &Selection,
        deadline: Option<Instant>,
    ) -> (Verdict, runner::Results) {
        self.start_background();
        let probe = selection.probe();
        let roster = self.roster();
        let slots = slots_of(&roster, selection);
        let out_of_service =
            probe == Probe::Readiness && self.0.lifecycle.get() != Lifecycle::Serving;
        let latched = probe == Probe::Startup && self.is_started();
        let results = if out_of_service || latched {
            runner::latest(slots)
        } else {
            runner::run_until(slots, self.0.home.as_ref(), deadline).await
        };
        // Read again after the run: a drain or maintenance begun while the
        // checks ran must not be answered with a late UP.
        let verdict = verdict::decide(probe, &self.0.lifecycle.get(), latched, results.statuses());
        if selection.is_whole_probe() {
            self.conclude(probe, results.started(), &verdict);
            if !(out_of_service || latched || results.was_cut()) {
                self.remember(&roster, probe, results.started());
            }
        }
        (verdict, results)
    }

    /// Keeps `probe`'s summary in its memo, if it has one and every check's
    /// result is at hand. Read from the slots as they are now, after the
    /// change count: any change after this read voids it.
    fn remember(&self, roster: &Roster, probe: Probe, now: Instant) {
        let Some(memo) = &roster.memo[probe as usize] else {
            return;
        };
        let count = self.0.events.count();
        if memo.get(now, count).is_some() {
            // Still valid: nothing changed, no result went stale.
            return;
        }
        let mut until = runner::later(now, Duration::MAX);
        let mut statuses = Vec::with_capacity(roster.by_probe[probe as usize].len());
        for slot in roster.by_probe[probe as usize].iter() {
            let Some((status, fresh_until)) = slot.at_hand() else {
                return;
            };
            until = until.min(fresh_until);
            statuses.push((slot.check.policy().is_critical(), status));
        }
        memo.set(count, until, Summary::of(statuses));
    }

    /// After a whole probe's verdict (of a run started at `started`):
    /// latches startup, records the probe's status (and, on a change or
    /// when it is due again, its gauge), reports a change.
    fn conclude(&self, probe: Probe, started: Instant, verdict: &Verdict) {
        if probe == Probe::Startup && verdict.status == Status::Up {
            self.0.startup_latched.store(true, Ordering::Release);
        }
        let events = &self.0.events;
        let recorded = self.0.overall[probe as usize].record(started, verdict.status, || {
            events.probe_status(probe, verdict.status);
        });
        if let Recorded::Latest { previous } = recorded {
            self.0
                .events
                .probe(probe, previous, verdict.status, verdict.reason.as_deref());
        }
    }

    /// Runs the one check named `name`, whatever its probes; `None` if there
    /// is no such check. The report's status is that component's.
    ///
    /// A check of the startup probe alone is never run again once startup
    /// latched, whoever asks (a component endpoint, a gRPC service): its
    /// latched result answers, as it does for the startup probe.
    pub async fn run_component(&self, name: &str) -> Option<Report> {
        self.component(name, None).await
    }

    /// What [`run_component`](Self::run_component) reports, by `deadline`
    /// at the latest (see [`run_until`](Self::run_until)).
    pub async fn run_component_until(&self, name: &str, deadline: Instant) -> Option<Report> {
        self.component(name, Some(deadline)).await
    }

    async fn component(&self, name: &str, deadline: Option<Instant>) -> Option<Report> {
        self.start_background();
        let slot = Arc::clone(self.roster().get(name)?);
        let latched = self.is_latched_startup_only(&slot.check);
        let slot: runner::Slots = Arc::new([slot]);
        let results = if latched {
            runner::latest(slot)
        } else {
            runner::run_until(slot, self.0.home.as_ref(), deadline).await
        };
        let clock = Clock::new(results.started());
        let components: Vec<Component> = results
            .each()
            .map(|(check, result, stale)| Component::new(check, result, stale, &clock))
            .collect();
        let status = components
            .first()
            .map_or(Status::Unknown, Component::status);
        Some(Report {
            probe: None,
            status,
            reason: None,
            retry_after: None,
            components,
            timestamp: clock.wall(),
        })
    }

    /// Whether `check` belongs to the startup probe alone and startup has
    /// latched: it never runs again.
    pub fn is_latched_startup_only(&self, check: &crate::Check) -> bool {
        self.is_started() && check.policy().probes() == crate::Probes::STARTUP
    }
}

/// The slots `selection` runs: a whole probe's list as it is.
fn slots_of(roster: &Roster, selection: &Selection) -> runner::Slots {
    let all = &roster.by_probe[selection.probe() as usize];
    if selection.is_whole_probe() {
        Arc::clone(all)
    } else {
        all.iter()
            .filter(|s| selection.keeps(&s.check))
            .cloned()
            .collect()
    }
}
