//! Every probe answer arrives before the prober gives up: a check still
//! running at the deadline answers its latest result, marked stale, and
//! goes on running for the next probe.

use crate::support::{build, builder, up};
use health::http::{Disclosure, Endpoints, Problem};
use health::{Check, Outcome};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Longer than any test waits: an answer that waited for it would show as
/// a hung test.
const FOREVER: Duration = Duration::from_secs(300);

/// A check that takes `FOREVER` once it is told to be slow, counting its
/// runs.
fn slow_after_first(runs: &Arc<AtomicUsize>) -> Check {
    let runs = Arc::clone(runs);
    Check::new("slow", move || {
        let first = runs.fetch_add(1, Ordering::SeqCst) == 0;
        async move {
            if !first {
                tokio::time::sleep(FOREVER).await;
            }
            Outcome::up()
        }
    })
    .with_timeout(FOREVER * 2)
}

fn endpoints(runs: &Arc<AtomicUsize>, timeout: Duration) -> Endpoints {
    let registry = build(builder().check(up("db")).check(slow_after_first(runs)));
    Endpoints::builder(registry)
        .disclosure(Disclosure::always())
        .probe_timeout(timeout)
        .build()
        .expect("valid endpoints")
}

conformance! {
    /// A check that hangs on its second run: the probe is answered at its
    /// timeout (a margin before it) with the check's latest result, stale,
    /// and the run goes on, single flight, whoever asks next.
    async fn a_running_check_answers_its_latest_result_by_the_deadline(adapter) {
        let runs = Arc::new(AtomicUsize::new(0));
        let server = adapter.spawn(endpoints(&runs, Duration::from_millis(400))).await;
        let first = server.get("/ready?verbose").await;
        assert_eq!(first.status, 200, "{}", first.text());
        assert!(first.json()["components"]["slow"].get("stale").is_none());
        let (second, took) = server.timed_get("/ready?verbose").await;
        // The contract's own bound: answered, long before the check ends.
        assert!(took < FOREVER / 2, "{took:?}");
        assert_eq!(second.status, 200, "its latest result, UP: {}", second.text());
        let slow = &second.json()["components"]["slow"];
        assert_eq!(slow["stale"], true, "{}", second.text());
        assert_eq!(slow["status"], "UP");
        assert_eq!(second.json()["components"]["db"].get("stale"), None);
        // The anonymous status-only answer is cut the same way.
        assert_eq!(server.get("/ready").await.status, 200);
        assert_eq!(runs.load(Ordering::SeqCst), 2, "one execution under way, joined");
    }

    /// `?timeout=` is the caller's own: a short one is honoured; zero,
    /// above a minute or not a duration is a 400.
    async fn the_caller_may_say_its_timeout(adapter) {
        let runs = Arc::new(AtomicUsize::new(1)); // hangs from its first run
        let server = adapter.spawn(endpoints(&runs, Duration::from_secs(60))).await;
        let (r, took) = server.timed_get("/ready?timeout=300ms&verbose").await;
        assert!(took < Duration::from_secs(30), "the caller's timeout, not 60s: {took:?}");
        assert_eq!(r.status, 503, "a critical check with no result: {}", r.text());
        assert_eq!(r.json()["components"]["slow"]["status"], "UNKNOWN");
        assert_eq!(r.json()["components"]["slow"]["stale"], true);
        let r = server.get("/health/slow?timeout=300ms").await;
        assert_eq!(r.status, 503, "{}", r.text());
        for bad in ["0s", "61s", "soon", "1s&timeout=2s"] {
            let r = server.get(&format!("/ready?timeout={bad}")).await;
            assert_eq!(r.status, 400, "{bad}: {}", r.text());
        }
    }
}

#[test]
fn a_probe_timeout_of_zero_or_above_a_minute_is_refused() {
    for bad in [Duration::ZERO, Duration::from_secs(61)] {
        let error = Endpoints::builder(build(builder()))
            .probe_timeout(bad)
            .build()
            .expect_err("refused");
        assert!(
            matches!(error.problems(), [Problem::ProbeTimeout { given, .. }] if *given == bad),
            "{error}"
        );
    }
}
