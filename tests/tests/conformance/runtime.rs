//! The runtime semantics, seen over HTTP: concurrency, timeouts, panics,
//! single flight, and a liveness probe that never waits for readiness.

use crate::support::{build, builder, open, up};
use health::Check;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

fn sleeper(name: &'static str, nap: Duration) -> Check {
    Check::new(name, move || tokio::time::sleep(nap)).with_timeout(nap * 5)
}

conformance! {
    /// Checks run concurrently: two 150 ms checks answer in well under
    /// 300 ms.
    async fn checks_run_concurrently(adapter) {
        let nap = Duration::from_millis(150);
        let registry = build(builder().check(sleeper("one", nap)).check(sleeper("two", nap)));
        let server = adapter.spawn(registry).await;
        let (r, took) = server.timed_get("/ready").await;
        assert_eq!(r.status, 200);
        assert!(took >= nap, "{took:?}");
        assert!(took < Duration::from_millis(290), "two 150 ms checks took {took:?}");
    }

    /// A hanging check is cut at its timeout: 503, "timed out after 200ms".
    async fn hanging_check_times_out(adapter) {
        let hang = Check::new("hang", std::future::pending::<()>)
            .with_timeout(Duration::from_millis(200));
        let server = adapter.spawn(open([hang, up("db")])).await;
        let (r, took) = server.timed_get("/ready?verbose").await;
        assert_eq!(r.status, 503, "{}", r.text());
        assert!(took >= Duration::from_millis(200), "{took:?}");
        assert!(took < Duration::from_secs(1), "a 200 ms timeout took {took:?}");
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
        let r = server.get("/ready?verbose").await;
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

    /// `/health` answers at once while a slow readiness run is in flight.
    async fn liveness_is_fast_during_slow_readiness(adapter) {
        let slow = Check::new("slow", || tokio::time::sleep(Duration::from_secs(1)))
            .with_timeout(Duration::from_secs(3));
        let server = Arc::new(adapter.spawn(build(builder().check(slow))).await);
        let ready = {
            let server = Arc::clone(&server);
            tokio::spawn(async move { server.timed_get("/ready").await })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        for _ in 0..3 {
            let (r, took) = server.timed_get("/health").await;
            assert_eq!(r.status, 200);
            assert!(took < Duration::from_millis(100), "/health took {took:?}");
        }
        assert!(!ready.is_finished(), "the readiness run should still be in flight");
        let (r, took) = ready.await.expect("readiness task");
        assert_eq!(r.status, 200);
        assert!(took >= Duration::from_secs(1), "{took:?}");
    }
}
