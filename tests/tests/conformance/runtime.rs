//! The runtime semantics, seen over HTTP: concurrency, timeouts, panics,
//! single flight, and a liveness probe that never waits for readiness.
//! Concurrency and "never waits" are shown with barriers and gates, not
//! with clocks: a loaded machine cannot make them pass or fail.

use crate::support::{build, builder, open, up};
use health::Check;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{Barrier, Notify};

/// How long a case waits for something that happens at once unless the
/// behaviour under test is broken: far past any delay a loaded machine
/// causes, below the client's own bound.
const BOUND: Duration = Duration::from_secs(5);

conformance! {
    /// Checks run concurrently: two checks that each wait for the other (a
    /// barrier both must reach) both pass. Run one after the other, the
    /// first would wait alone until its timeout.
    async fn checks_run_concurrently(adapter) {
        let barrier = Arc::new(Barrier::new(2));
        let meeting = |name: &'static str| {
            let barrier = Arc::clone(&barrier);
            Check::new(name, move || {
                let barrier = Arc::clone(&barrier);
                async move {
                    barrier.wait().await;
                }
            })
            .with_timeout(BOUND)
        };
        let server = adapter.spawn(open([meeting("one"), meeting("two")])).await;
        let r = server.get("/ready?verbose").await;
        assert_eq!(r.status, 200, "{}", r.text());
        for name in ["one", "two"] {
            assert_eq!(r.json()["components"][name]["status"], "UP", "{}", r.text());
        }
    }

    /// A hanging check is cut at its timeout: 503, "timed out after 200ms".
    async fn hanging_check_times_out(adapter) {
        let hang = Check::new("hang", std::future::pending::<()>)
            .with_timeout(Duration::from_millis(200));
        let server = adapter.spawn(open([hang, up("db")])).await;
        let (r, took) = server.timed_get("/ready?verbose").await;
        assert_eq!(r.status, 503, "{}", r.text());
        // Never before its timeout; and cut, not waited for: a pending
        // future never ends, so any bound shows the cut.
        assert!(took >= Duration::from_millis(200), "{took:?}");
        assert!(took < BOUND, "a 200 ms timeout took {took:?}");
        assert_eq!(r.json()["components"]["hang"]["message"], "timed out after 200ms");
        assert_eq!(r.json()["components"]["db"]["status"], "UP");
    }

    /// A panicking check is DOWN ("check panicked", no payload), the
    /// server keeps serving, and the next run recovers.
    async fn panicking_check_is_down_and_recovers(adapter) {
        let panicked = Arc::new(AtomicBool::new(false));
        let once = Arc::clone(&panicked);
        let flaky = Check::new("flaky", move || {
            let first = !once.swap(true, Ordering::SeqCst);
            async move {
                if first {
                    panic!("secret payload in the panic");
                }
            }
        });
        let server = adapter.spawn(open([flaky])).await;
        // A long deadline: capturing the panic's backtrace on a loaded
        // machine may outlast the default probe timeout, and the answer
        // would be the check's latest result (none yet), not its panic.
        let r = server.get("/ready?verbose&timeout=10s").await;
        assert_eq!(r.status, 503, "{}", r.text());
        assert_eq!(r.json()["components"]["flaky"]["message"], "check panicked");
        assert!(!r.text().contains("secret"), "{}", r.text());
        assert!(panicked.load(Ordering::SeqCst));
        assert_eq!(server.get("/health").await.status, 200);
        let r = server.get("/ready").await;
        assert_eq!(r.status, 200, "{}", r.text());
    }

    /// Single flight: 100 concurrent `/ready` requests share the
    /// executions of a 300 ms check; it runs at most twice.
    async fn concurrent_requests_share_one_execution(adapter) {
        let runs = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&runs);
        let slow = Check::new("slow", move || {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(300))
        });
        let server = Arc::new(adapter.spawn(build(builder().check(slow))).await);
        let requests: Vec<_> = (0..100)
            .map(|_| {
                let server = Arc::clone(&server);
                tokio::spawn(async move { server.get("/ready").await.status })
            })
            .collect();
        for request in requests {
            assert_eq!(request.await.expect("request task"), 200);
        }
        let runs = runs.load(Ordering::SeqCst);
        assert!((1..=2).contains(&runs), "the check ran {runs} times for 100 requests");
    }

    /// `/health` answers while a readiness run is in flight: the readiness
    /// check waits at a gate that this case opens only once `/health` has
    /// answered, so a liveness answer that waited for readiness never comes.
    async fn liveness_never_waits_for_readiness(adapter) {
        let (entered, gate) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
        let (e, g) = (Arc::clone(&entered), Arc::clone(&gate));
        let gated = Check::new("gated", move || {
            let (entered, gate) = (Arc::clone(&e), Arc::clone(&g));
            async move {
                entered.notify_one();
                gate.notified().await;
            }
        })
        .with_timeout(Duration::from_secs(60));
        let server = Arc::new(adapter.spawn(build(builder().check(gated))).await);
        let ready = {
            let server = Arc::clone(&server);
            tokio::spawn(async move { server.get("/ready").await })
        };
        tokio::time::timeout(BOUND, entered.notified())
            .await
            .expect("the readiness check started");
        for _ in 0..3 {
            assert_eq!(server.get("/health").await.status, 200);
        }
        assert!(!ready.is_finished(), "the readiness run is still at the gate");
        gate.notify_one();
        let r = ready.await.expect("readiness task");
        assert_eq!(r.status, 200, "{}", r.text());
    }
}
