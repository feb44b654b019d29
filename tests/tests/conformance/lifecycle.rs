//! Draining, maintenance and the rate limit: 503 and 429 with
//! `Retry-After`.

use crate::support::{build, builder, disclose, up};
use health::http::{Disclosure, Endpoints, RateLimit};
use health_tests::client::Response;
use std::time::Duration;

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

    /// Past the rate limit: 429 with `Retry-After` and a JSON error; each
    /// endpoint has its own bucket, and liveness none.
    async fn rate_limit_answers_429(adapter) {
        let registry = build(builder().check(up("db")));
        let endpoints = Endpoints::builder(registry)
            .rate_limit(RateLimit::per_second(2).map(|l| l.burst(2)))
            .build()
            .expect("valid endpoints");
        let server = adapter.spawn(endpoints).await;
        assert_eq!(server.get("/ready").await.status, 200);
        assert_eq!(server.get("/ready").await.status, 200);
        let r = server.get("/ready").await;
        assert_eq!(r.status, 429, "{}", r.text());
        assert!(retry_after(&r) >= 1);
        assert!(r.json()["error"].is_string());
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header("cache-control"), Some("no-store"));
        assert_eq!(server.get("/startup").await.status, 200, "another endpoint, another bucket");
        for _ in 0..5 {
            let r = server.get("/health").await;
            assert_eq!(r.status, 200, "liveness is never rate limited");
        }
    }
}
