//! Checks added at run time (`Registry::add`): the probe, the component's
//! endpoint, `?exclude=`, the status page's data and the health body
//! follow at once, and again when the guard drops; an `interval` check
//! added later refreshes in the background; names are refused as the
//! builder refuses them, and the status page's names are reserved.

use crate::support::{build, builder, disclose, down, up};
use health::http::Disclosure;
use health::{Check, Problem};
use health_tests::client::Response;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The names of the components of a detailed body.
fn components(r: &Response) -> Vec<String> {
    let json = r.json();
    let Some(map) = json["components"].as_object() else {
        return Vec::new();
    };
    map.keys().cloned().collect()
}

conformance! {
    /// A failing check added: 503 and its own component endpoint at once;
    /// dropped: 200 again and its endpoint 404.
    async fn a_check_added_at_run_time_is_served_until_its_guard_drops(adapter) {
        let registry = build(builder().check(up("db")));
        let server = adapter
            .spawn(disclose(registry.clone(), Disclosure::always()))
            .await;
        assert_eq!(server.get("/ready").await.status, 200);
        assert_eq!(server.get("/health/tenant-7.db").await.status, 404);

        let tenant = registry.add(down("tenant-7.db")).expect("a valid check");
        let r = server.get("/ready").await;
        assert_eq!(r.status, 503);
        assert_eq!(components(&r), ["db", "tenant-7.db"]);
        let r = server.get("/health/tenant-7.db?verbose").await;
        assert_eq!(r.status, 503);
        assert_eq!(r.json()["components"]["tenant-7.db"]["message"], "tenant-7.db is down");
        // The selection parameters know it, and the status page's data.
        assert_eq!(server.get("/ready?exclude=tenant-7.db").await.status, 200);
        let data = server.get("/health/ui/data").await;
        assert!(data.text().contains("tenant-7.db"), "{}", data.text());

        drop(tenant);
        let r = server.get("/ready").await;
        assert_eq!(r.status, 200);
        assert_eq!(components(&r), ["db"]);
        assert_eq!(server.get("/health/tenant-7.db").await.status, 404);
        assert_eq!(server.get("/ready?exclude=tenant-7.db").await.status, 400);
        let data = server.get("/health/ui/data").await;
        assert!(!data.text().contains("tenant-7.db"), "{}", data.text());
    }

    /// An `interval` check added after the server started refreshes in
    /// the background, with no probe asking; its refresh stops with it.
    async fn an_interval_check_added_later_refreshes_until_removed(adapter) {
        let registry = build(builder().check(up("db")));
        let server = adapter
            .spawn(disclose(registry.clone(), Disclosure::always()))
            .await;
        assert_eq!(server.get("/ready").await.status, 200);
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&runs);
        let check = Check::new("upstream", move || {
            counted.fetch_add(1, Ordering::Relaxed);
            async {}
        })
        .with_timeout(Duration::from_millis(20))
        .with_interval(Duration::from_millis(30));
        let guard = registry.add(check).expect("a valid check");
        let deadline = Instant::now() + Duration::from_secs(5);
        while runs.load(Ordering::Relaxed) < 3 {
            assert!(Instant::now() < deadline, "the added interval check never refreshed");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let r = server.get("/health/upstream").await;
        assert_eq!(r.status, 200);
        drop(guard);
        // A refresh under way may still finish; then none.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let after = runs.load(Ordering::Relaxed);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(runs.load(Ordering::Relaxed), after, "refreshed after removal");
    }

    /// A name taken by a check, or by the status page's path, or breaking
    /// the name rule, is refused with every problem; nothing is served.
    async fn names_are_refused_as_at_build(adapter) {
        let registry = build(builder().check(up("db")));
        let server = adapter
            .spawn(disclose(registry.clone(), Disclosure::always()))
            .await;
        let taken = registry.add(down("db")).expect_err("taken by a check");
        assert!(matches!(taken.problems(), [Problem::DuplicateName { name, .. }] if name == "db"), "{taken}");
        // `/health/ui` is the status page: a check named `ui` could never
        // be reached at its component path.
        let reserved = registry.add(down("ui")).expect_err("reserved by the status page");
        assert!(matches!(reserved.problems(), [Problem::ReservedName { name, .. }] if name == "ui"), "{reserved}");
        assert!(reserved.to_string().contains("status page"), "{reserved}");
        let invalid = registry
            .add(down("Bad Name").with_timeout(Duration::ZERO))
            .expect_err("an invalid name and timeout");
        assert_eq!(invalid.problems().len(), 2, "{invalid}");
        assert!(invalid.to_string().starts_with("cannot add the check `Bad Name`: 2 problems"), "{invalid}");
        let r = server.get("/ready").await;
        assert_eq!((r.status, components(&r)), (200, vec!["db".to_owned()]));
        assert_eq!(server.get("/health/ui").await.status, 200);
    }
}
