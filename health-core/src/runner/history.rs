//! One check's recent past: its last results, when its status last
//! changed, and the time it spent serving over the last hour and day.
//! Kept in the check's slot and written under the lock the slot takes
//! anyway when an execution finishes: a copy of a few words per run.

use crate::check::Check;
use crate::model::{Finished, Sample, Status};
use crate::report::{CheckHistory, Clock, HistorySample};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug)]
pub(crate) struct History {
    samples: VecDeque<Packed>,
    capacity: usize,
    /// The status shown now, and since when.
    since: Option<(Instant, Status)>,
    uptime: Uptime,
}

impl History {
    pub(crate) fn new(capacity: usize, start: Instant) -> Self {
        Self {
            samples: VecDeque::with_capacity(capacity),
            capacity,
            since: None,
            uptime: Uptime::new(start),
        }
    }

    /// Records a finished execution.
    pub(crate) fn record(&mut self, finished: &Arc<Finished>) {
        let status = finished.outcome.status();
        if self.capacity > 0 {
            if self.samples.len() == self.capacity {
                self.samples.pop_front();
            }
            self.samples.push_back(Packed {
                at: nanos(self.uptime.offset(finished.at)),
                duration: u32::try_from(micros(finished.duration)).unwrap_or(u32::MAX),
                status,
                failure: (!status.is_serving()).then(|| Arc::clone(finished)),
            });
        }
        if self.since.is_none_or(|(_, s)| s != status) {
            self.since = Some((finished.at, status));
        }
        self.uptime.record(finished.at, status.is_serving());
    }

    /// The samples, oldest first.
    pub(crate) fn samples(&self) -> Samples<'_> {
        Samples {
            packed: self.samples.iter(),
            start: self.uptime.start,
        }
    }

    /// When the current status began.
    pub(crate) fn since(&self) -> Option<Instant> {
        self.since.map(|(at, _)| at)
    }

    /// The share of the last `window` spent serving, as far as known.
    pub(crate) fn uptime(&self, window: Window, now: Instant) -> Option<f64> {
        self.uptime.share(window, now)
    }

    /// What a status page shows of `check`'s past, its latest result
    /// `last`, times read off `clock`.
    pub(crate) fn snapshot(
        &self,
        check: &Check,
        last: Option<&Finished>,
        clock: &Clock,
    ) -> CheckHistory {
        let now = Instant::now();
        CheckHistory {
            name: Arc::clone(&check.name),
            critical: check.policy().is_critical(),
            probes: check.policy().probes(),
            tags: check.tags().map(str::to_owned).collect(),
            status: last.map_or(Status::Unknown, |f| f.outcome.status()),
            slow_after: check.policy().slow(),
            slow: last.is_some_and(|f| f.duration > check.policy().slow()),
            since: self.since().and_then(|at| clock.wall_of(at)),
            age: last.map(|f| clock.age_of(f.at)),
            message: last.and_then(|f| f.outcome.message()).map(str::to_owned),
            uptime_hour: self.uptime(Window::Hour, now),
            uptime_day: self.uptime(Window::Day, now),
            samples: self
                .samples()
                .filter_map(|s| {
                    Some(HistorySample {
                        at: clock.wall_of(s.at)?,
                        duration: s.duration,
                        status: s.status,
                        message: s
                            .failure
                            .as_ref()
                            .and_then(|f| f.outcome.message())
                            .map(str::to_owned),
                    })
                })
                .collect(),
        }
    }
}

/// A [`Sample`] as kept: 24 bytes rather than 48, so that a thousand
/// checks' histories take half the memory, and recording one touches half
/// the cache lines.
#[derive(Debug)]
struct Packed {
    /// Nanoseconds after the history's start.
    at: u64,
    /// Microseconds, at most `u32::MAX` (71 minutes).
    duration: u32,
    status: Status,
    failure: Option<Arc<Finished>>,
}

/// `d` in whole nanoseconds, saturating (no 128-bit arithmetic).
fn nanos(d: Duration) -> u64 {
    d.as_secs()
        .saturating_mul(1_000_000_000)
        .saturating_add(u64::from(d.subsec_nanos()))
}

/// `d` in whole microseconds, saturating.
fn micros(d: Duration) -> u64 {
    d.as_secs()
        .saturating_mul(1_000_000)
        .saturating_add(u64::from(d.subsec_micros()))
}

/// The samples of a [`History`], oldest first.
pub(crate) struct Samples<'a> {
    packed: std::collections::vec_deque::Iter<'a, Packed>,
    start: Instant,
}

impl Iterator for Samples<'_> {
    type Item = Sample;

    fn next(&mut self) -> Option<Sample> {
        let packed = self.packed.next()?;
        Some(Sample {
            at: self.start + Duration::from_nanos(packed.at),
            duration: Duration::from_micros(u64::from(packed.duration)),
            status: packed.status,
            failure: packed.failure.clone(),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.packed.size_hint()
    }
}

/// An uptime window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Window {
    Hour,
    Day,
}

/// Time spent serving and time known, in buckets: sixty of a minute for
/// the last hour, ninety-six of a quarter hour for the last day.
#[derive(Debug)]
struct Uptime {
    start: Instant,
    minutes: Buckets<60>,
    quarters: Buckets<96>,
    /// The open stretch: since when the latest status (serving or not)
    /// holds. It is attributed to buckets only when it ends, so a steady
    /// check's runs cost a comparison each.
    last: Option<(Instant, bool)>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Bucket {
    /// Which bucket of time since start this is (`u64::MAX`: unused).
    index: u64,
    up_ms: u32,
    known_ms: u32,
}

#[derive(Debug)]
struct Buckets<const N: usize> {
    span: Duration,
    ring: [Bucket; N],
}

impl<const N: usize> Buckets<N> {
    fn new(span: Duration) -> Self {
        Self {
            span,
            ring: [Bucket {
                index: u64::MAX,
                ..Bucket::default()
            }; N],
        }
    }

    /// Adds the time from `from` to `to` (offsets since start), serving or not.
    fn add(&mut self, from: Duration, to: Duration, up: bool) {
        let span = self.span.as_millis().max(1) as u64;
        let (mut at, end) = (from.as_millis() as u64, to.as_millis() as u64);
        // A gap longer than the whole ring only needs its last N buckets.
        at = at.max(end.saturating_sub(span * N as u64));
        while at < end {
            let index = at / span;
            let until = ((index + 1) * span).min(end);
            let bucket = &mut self.ring[(index % N as u64) as usize];
            if bucket.index != index {
                *bucket = Bucket {
                    index,
                    up_ms: 0,
                    known_ms: 0,
                };
            }
            let ms = (until - at) as u32;
            bucket.known_ms = bucket.known_ms.saturating_add(ms);
            if up {
                bucket.up_ms = bucket.up_ms.saturating_add(ms);
            }
            at = until;
        }
    }

    /// Serving and known milliseconds of the buckets ending at `now`.
    fn totals(&self, now: Duration) -> (u64, u64) {
        let span = self.span.as_millis().max(1) as u64;
        let current = now.as_millis() as u64 / span;
        let oldest = current.saturating_sub(N as u64 - 1);
        self.ring
            .iter()
            .filter(|b| b.index != u64::MAX && b.index >= oldest && b.index <= current)
            .fold((0, 0), |(up, known), b| {
                (up + u64::from(b.up_ms), known + u64::from(b.known_ms))
            })
    }
}

impl Uptime {
    fn new(start: Instant) -> Self {
        Self {
            start,
            minutes: Buckets::new(Duration::from_secs(60)),
            quarters: Buckets::new(Duration::from_secs(900)),
            last: None,
        }
    }

    fn offset(&self, at: Instant) -> Duration {
        at.saturating_duration_since(self.start)
    }

    fn record(&mut self, at: Instant, up: bool) {
        match self.last {
            Some((_, was_up)) if was_up == up => {}
            Some((since, was_up)) if at >= since => {
                let (from, to) = (self.offset(since), self.offset(at));
                self.minutes.add(from, to, was_up);
                self.quarters.add(from, to, was_up);
                self.last = Some((at, up));
            }
            Some(_) => {}
            None => self.last = Some((at, up)),
        }
    }

    fn share(&self, window: Window, now: Instant) -> Option<f64> {
        let now_offset = self.offset(now);
        let (mut up, mut known) = match window {
            Window::Hour => self.minutes.totals(now_offset),
            Window::Day => self.quarters.totals(now_offset),
        };
        // The open stretch counts as its status.
        if let Some((since, was_up)) = self.last {
            let open = now.saturating_duration_since(since).as_millis() as u64;
            let limit = match window {
                Window::Hour => 3_600_000,
                Window::Day => 86_400_000,
            };
            let open = open.min(limit);
            known += open;
            if was_up {
                up += open;
            }
        }
        (known > 0).then(|| up as f64 / known as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Outcome;

    fn finished(at: Instant, status: Status) -> Arc<Finished> {
        let mut outcome = Outcome::up();
        outcome.set_status(status);
        Arc::new(Finished {
            outcome,
            raw: status,
            duration: Duration::from_millis(2),
            at,
        })
    }

    #[test]
    fn keeps_the_last_results_and_when_the_status_changed() {
        let t0 = Instant::now();
        let mut h = History::new(3, t0);
        for (i, status) in [
            Status::Up,
            Status::Up,
            Status::Down,
            Status::Down,
            Status::Up,
        ]
        .into_iter()
        .enumerate()
        {
            h.record(&finished(t0 + Duration::from_secs(i as u64), status));
        }
        let statuses: Vec<_> = h.samples().map(|s| s.status).collect();
        assert_eq!(statuses, [Status::Down, Status::Down, Status::Up]);
        assert!(
            h.samples()
                .all(|s| s.failure.is_some() == (s.status == Status::Down))
        );
        assert_eq!(h.since(), Some(t0 + Duration::from_secs(4)));
    }

    #[test]
    fn uptime_is_time_weighted() {
        let t0 = Instant::now();
        let mut h = History::new(0, t0);
        h.record(&finished(t0, Status::Up));
        // Up for 30 minutes, down for 10, up again.
        h.record(&finished(t0 + Duration::from_secs(1800), Status::Down));
        h.record(&finished(t0 + Duration::from_secs(2400), Status::Up));
        let now = t0 + Duration::from_secs(3600);
        let hour = h.uptime(Window::Hour, now).unwrap();
        assert!((hour - 50.0 / 60.0).abs() < 0.01, "{hour}");
        let day = h.uptime(Window::Day, now).unwrap();
        assert!((day - 50.0 / 60.0).abs() < 0.01, "{day}");
        // Two hours later, the last hour was all up; the day remembers.
        let later = now + Duration::from_secs(7200);
        assert!((h.uptime(Window::Hour, later).unwrap() - 1.0).abs() < 0.02);
        let day = h.uptime(Window::Day, later).unwrap();
        assert!((day - 170.0 / 180.0).abs() < 0.01, "{day}");
        assert_eq!(History::new(0, t0).uptime(Window::Hour, now), None);
    }
}
