//! Draining, maintenance and the rate limit: 503 and 429 with
//! `Retry-After`.

use crate::support::{Set, Switch, build, builder, disclose, up};
use health::http::Disclosure;
use health::{Check, Probe, Probes, RateLimit};
use health_tests::client::Response;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The `Retry-After` seconds of `r`.
fn retry_after(r: &Response) -> u64 {
    r.header("retry-after")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no whole-seconds Retry-After: {:?}", r.headers))
}

conformance! {
    /// Draining: `/ready` is 503 OUT_OF_SERVICE with `Retry-After`;
    /// `/health` stays 200.
    async fn draining_takes_readiness_out_of_service(adapter) {
        let registry = build(builder().check(up("db")).drain_delay(Duration::from_secs(5)));
        let server = adapter.spawn(disclose(registry.clone(), Disclosure::always())).await;
        let r = server.get("/ready").await;
        assert_eq!((r.status, r.header("retry-after")), (200, None));

        registry.begin_drain();
        let r = server.get("/ready").await;
        assert_eq!(r.status, 503);
        assert_eq!(r.json()["status"], "OUT_OF_SERVICE");
        assert_eq!(retry_after(&r), 5);
        let r = server.request("HEAD", "/ready", &[]).await;
        assert_eq!((r.status, retry_after(&r)), (503, 5));
        let r = server.get("/ready?verbose").await;
        assert_eq!(r.json()["reason"], "draining: shutting down");
        let r = server.get("/ready?format=ietf").await;
        assert_eq!((r.status, r.json()["status"].as_str()), (503, Some("fail")));

        let r = server.get("/health").await;
        assert_eq!((r.status, r.header("retry-after")), (200, None));
        assert_eq!(r.json()["status"], "UP");
        assert_eq!(server.get("/health/db").await.status, 200);
    }

    /// Maintenance: 503 OUT_OF_SERVICE with its `Retry-After`, then 200
    /// once cleared.
    async fn maintenance_set_and_clear(adapter) {
        let registry = build(builder().check(up("db")));
        let server = adapter.spawn(registry.clone()).await;
        assert_eq!(server.get("/ready").await.status, 200);

        registry.set_maintenance("reindexing", Duration::from_secs(30));
        let r = server.get("/ready").await;
        assert_eq!((r.status, r.text().as_str()), (503, r#"{"status":"OUT_OF_SERVICE"}"#));
        assert_eq!(retry_after(&r), 30);
        assert_eq!(server.get("/health").await.status, 200);

        registry.clear_maintenance();
        let r = server.get("/ready").await;
        assert_eq!((r.status, r.text().as_str()), (200, r#"{"status":"UP"}"#));
        assert_eq!(r.header("retry-after"), None);
    }

    /// A flood past the rate limit: every probe answer is the true status
    /// of the latest results (never 429, which Kubernetes counts as a
    /// failure), and the checks run within the budget.
    async fn a_flood_past_the_rate_limit_gets_true_answers(adapter) {
        let runs = Arc::new(AtomicUsize::new(0));
        let switch = Switch::new(Set::Up);
        let counted = {
            let (runs, switch) = (Arc::clone(&runs), switch.clone());
            Check::new("db", move || {
                runs.fetch_add(1, Ordering::SeqCst);
                let outcome = switch.outcome("db");
                async move { outcome }
            })
            .with_probes(Probes::READINESS.with(Probe::Startup))
        };
        let registry = build(
            builder()
                .check(counted)
                .rate_limit(RateLimit::per_second(5).map(|l| l.burst(5))),
        );
        let server = Arc::new(adapter.spawn(registry).await);
        let started = Instant::now();
        let flood = |target: &'static str| {
            let server = Arc::clone(&server);
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                while started.elapsed() < Duration::from_millis(600) {
                    statuses.push(server.get(target).await.status);
                }
                statuses
            })
        };
        let floods: Vec<_> = (0..6).map(|i| flood(if i % 2 == 0 { "/ready" } else { "/startup" })).collect();
        let mut answers = Vec::new();
        for f in floods {
            answers.extend(f.await.expect("flood"));
        }
        let elapsed = started.elapsed();
        assert!(answers.len() > 20, "a flood: {} requests", answers.len());
        assert!(answers.iter().all(|s| *s == 200), "{answers:?}");
        let budget = 5 + (elapsed.as_secs_f64() * 5.0).ceil() as usize;
        let ran = runs.load(Ordering::SeqCst);
        assert!(ran <= budget, "{ran} runs for {} requests in {elapsed:?}, budget {budget}", answers.len());

        // The truth reaches the next answers within one token's time.
        switch.set(Set::Down);
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            let status = server.get("/ready").await.status;
            assert_ne!(status, 429);
            if status == 503 {
                break;
            }
            assert!(Instant::now() < deadline, "never saw the failure");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
