//! The table of the contract: each endpoint's 200 and 503 (and 404).

use crate::support::{
    AUTHORIZED, Set, Switch, TOKEN, build, builder, db_and_optional_search, disclose, down, up,
};
use health::http::Disclosure;
use health::{Check, Probe};
use std::time::Duration;

conformance! {
    /// `/health` with no liveness check: 200 `{"status":"UP"}`, whatever
    /// readiness says.
    async fn liveness_without_checks_is_up(adapter) {
        let server = adapter.spawn(build(builder().check(down("db")))).await;
        let r = server.get("/health").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.text(), r#"{"status":"UP"}"#);
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header("cache-control"), Some("no-store"));
        assert_eq!(server.get("/ready").await.status, 503);
    }

    /// `/health` runs the liveness checks only: UP and DEGRADED are 200,
    /// DOWN is 503.
    async fn liveness_follows_liveness_checks(adapter) {
        let heap = Switch::new(Set::Up);
        let registry = build(
            builder()
                .check(heap.check("heap").with_probes(Probe::Liveness))
                .check(down("db")),
        );
        let server = adapter.spawn(registry).await;
        for (set, code, body) in [
            (Set::Up, 200, r#"{"status":"UP"}"#),
            (Set::Degraded, 200, r#"{"status":"DEGRADED"}"#),
            (Set::Down, 503, r#"{"status":"DOWN"}"#),
            (Set::Up, 200, r#"{"status":"UP"}"#),
        ] {
            heap.set(set);
            let r = server.get("/health").await;
            assert_eq!((r.status, r.text().as_str()), (code, body), "{set:?}");
            assert_eq!(r.header("content-type"), Some("application/json"));
        }
    }

    /// `/ready` aggregates: a critical DOWN is 503; a non-critical DOWN or a
    /// DEGRADED is 200 DEGRADED.
    async fn readiness_aggregates(adapter) {
        let (db, search, registry) = db_and_optional_search();
        let server = adapter.spawn(registry).await;
        for (db_set, search_set, code, status) in [
            (Set::Up, Set::Up, 200, "UP"),
            (Set::Down, Set::Up, 503, "DOWN"),
            (Set::Up, Set::Down, 200, "DEGRADED"),
            (Set::Degraded, Set::Up, 200, "DEGRADED"),
            (Set::Down, Set::Down, 503, "DOWN"),
            (Set::Up, Set::Up, 200, "UP"),
        ] {
            db.set(db_set);
            search.set(search_set);
            let r = server.get("/ready").await;
            assert_eq!(r.status, code, "db {db_set:?}, search {search_set:?}");
            assert_eq!(r.json(), serde_json::json!({ "status": status }));
            assert_eq!(r.header("cache-control"), Some("no-store"));
        }
    }

    /// A critical check without a result yet (UNKNOWN) keeps readiness 503.
    async fn readiness_unknown_is_503(adapter) {
        let never_done = Check::new("warmup", || tokio::time::sleep(Duration::from_secs(30)))
            .with_timeout(Duration::from_secs(40))
            .with_interval(Duration::from_secs(60));
        let server = adapter.spawn(build(builder().check(never_done))).await;
        let r = server.get("/ready").await;
        assert_eq!((r.status, r.json()), (503, serde_json::json!({"status": "UNKNOWN"})));
    }

    /// `/startup` is 503 until every startup check has passed once, then
    /// 200 for good; a check of the startup probe alone is not run again
    /// once latched, its component endpoint included (as over gRPC).
    async fn startup_latches(adapter) {
        let migrations = Switch::new(Set::Down);
        let migrations_check = migrations.check("migrations").with_probes(Probe::Startup);
        let registry = build(builder().check(migrations_check));
        let server = adapter.spawn(disclose(registry, Disclosure::bearer(TOKEN))).await;
        let r = server.get("/startup").await;
        assert_eq!((r.status, r.text().as_str()), (503, r#"{"status":"DOWN"}"#));
        migrations.set(Set::Up);
        let r = server.get("/startup").await;
        assert_eq!((r.status, r.text().as_str()), (200, r#"{"status":"UP"}"#));
        migrations.set(Set::Down);
        let r = server.get("/startup").await;
        assert_eq!((r.status, r.text().as_str()), (200, r#"{"status":"UP"}"#), "latched");
        // Its component answers the latched result: the check is not run
        // again (it would be DOWN now).
        let r = server.request("GET", "/health/migrations", &AUTHORIZED).await;
        assert_eq!(r.status, 200);
    }

    /// `/health/{name}`: one component of any probe, 200 / 503, and a JSON
    /// 404 for an unknown name; for a caller who may not see components,
    /// the same 404 for every name.
    async fn component_endpoint(adapter) {
        let registry = build(
            builder()
                .check(up("db"))
                .check(down("cache"))
                .check(
                    Check::new("search", || async { health::Outcome::degraded("slow") })
                        .with_critical(false),
                )
                .check(up("heap").with_probes(Probe::Liveness))
                .check(down("seed").with_probes(Probe::Startup)),
        );
        let server = adapter.spawn(disclose(registry, Disclosure::bearer(TOKEN))).await;
        let unknown = server.get("/health/nope").await;
        for (path, code, status) in [
            ("/health/db", 200, "UP"),
            ("/health/cache", 503, "DOWN"),
            ("/health/search", 200, "DEGRADED"),
            ("/health/heap", 200, "UP"),
            ("/health/seed", 503, "DOWN"),
        ] {
            let r = server.request("GET", path, &AUTHORIZED).await;
            assert_eq!((r.status, r.json()["status"].as_str()), (code, Some(status)), "{path}");
            assert_eq!(r.header("content-type"), Some("application/json"), "{path}");
            assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
            // Anonymous: exactly the answer for an unknown name.
            let anonymous = server.get(path).await;
            assert_eq!((anonymous.status, anonymous.text()), (unknown.status, unknown.text()), "{path}");
            let undated = |r: &health_tests::client::Response| -> Vec<(String, String)> {
                r.headers.iter().filter(|(n, _)| n != "date").cloned().collect()
            };
            assert_eq!(undated(&anonymous), undated(&unknown), "{path}");
        }
        for r in [unknown, server.request("GET", "/health/nope", &AUTHORIZED).await] {
            assert_eq!(r.status, 404);
            assert!(r.json()["error"].is_string(), "{}", r.text());
            assert_eq!(r.header("content-type"), Some("application/json"));
            assert_eq!(r.header("cache-control"), Some("no-store"));
        }
    }

    /// `/version`: always 200, with the version, the commit and the uptime.
    async fn version_endpoint(adapter) {
        let registry = build(builder().check(down("db")).version("1.2.3").commit("abc1234"));
        let server = adapter.spawn(registry).await;
        let r = server.get("/version").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header("cache-control"), Some("no-store"));
        let body = r.json();
        assert_eq!(body["version"], "1.2.3");
        assert_eq!(body["commit"], "abc1234");
        assert!(body["uptime_seconds"].is_u64(), "{body}");
    }
}
