//! Supervised tasks (`Check::task`): readiness follows the task: 503 when
//! it panics or stalls on an await that never returns, 200 again once its
//! restart policy brought it back, with the restart counted.

use crate::support::{build, builder, disclose, ready_becomes};
use health::Check;
use health::http::Disclosure;
use health::task::{Backoff, Restart};
use health_tests::client::Response;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn task(r: &Response) -> serde_json::Value {
    r.json()["components"]["worker"].clone()
}

const QUICK: Backoff = Backoff {
    initial: Duration::from_millis(50),
    max: Duration::from_millis(200),
    jitter: 0.0,
};

conformance! {
    /// A panic: 503 "panicked" at the next probe.
    async fn a_task_that_panics_fails_readiness(adapter) {
        let (check, supervisor) = Check::task("worker", Duration::from_secs(30));
        let registry = build(builder().check(check));
        let server = adapter.spawn(disclose(registry.clone(), Disclosure::always())).await;
        let (go, make) = health_tests::tasks::panics_when_told();
        supervisor.spawn(&registry, Restart::Never, make);
        ready_becomes(&server, 200).await;
        let _ = go.send(());
        let r = ready_becomes(&server, 503).await;
        assert_eq!(task(&r)["message"], "panicked", "{}", r.text());
    }

    /// An await that never returns: 503 "stalled for" after its period.
    async fn a_task_that_stalls_fails_readiness(adapter) {
        let (check, supervisor) = Check::task("worker", Duration::from_millis(300));
        let registry = build(builder().check(check));
        let server = adapter.spawn(disclose(registry.clone(), Disclosure::always())).await;
        supervisor.spawn(&registry, Restart::Never, |heartbeat| async move {
            heartbeat.tick();
            std::future::pending::<()>().await;
            Ok::<(), String>(())
        });
        ready_becomes(&server, 200).await;
        let r = ready_becomes(&server, 503).await;
        let message = task(&r)["message"].as_str().map(str::to_owned);
        assert!(message.as_deref().is_some_and(|m| m.starts_with("stalled for ")), "{message:?}");
    }

    /// Failed once, restarted: 200 again, one restart counted.
    async fn a_restart_brings_the_task_back(adapter) {
        let (check, supervisor) = Check::task("worker", Duration::from_secs(30));
        let registry = build(builder().check(check));
        let server = adapter.spawn(disclose(registry.clone(), Disclosure::always())).await;
        let starts = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&starts);
        supervisor.spawn(&registry, Restart::OnFailure(QUICK), move |heartbeat| {
            let start = counted.fetch_add(1, Ordering::Relaxed);
            async move {
                if start == 0 {
                    return Err("the broker closed the channel".to_owned());
                }
                loop {
                    heartbeat.tick();
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(3);
        loop {
            let r = server.get("/ready?verbose").await;
            if r.status == 200 && task(&r)["details"]["restarts"] == 1 {
                break;
            }
            assert!(Instant::now() < deadline, "never back: {}", r.text());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(starts.load(Ordering::Relaxed), 2);
    }
}
