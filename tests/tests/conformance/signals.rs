//! Signals over HTTP: a slow run is marked in the detailed body and in the
//! status page's data, and is no failure.

use crate::support::{build, builder, disclose};
use health::Check;
use health::http::Disclosure;
use std::time::Duration;

conformance! {
    /// 40 ms past a 20 ms threshold: 200, `"slow": true`; the page's data
    /// says so with the threshold.
    async fn a_slow_run_is_marked_not_failed(adapter) {
        let search = Check::new("search", || tokio::time::sleep(Duration::from_millis(40)))
            .with_timeout(Duration::from_secs(2))
            .with_slow(Duration::from_millis(20));
        let registry = build(builder().check(search));
        let server = adapter.spawn(disclose(registry, Disclosure::always())).await;
        let r = server.get("/ready?verbose").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.json()["components"]["search"]["slow"], true, "{}", r.text());
        let data = server.get("/health/ui/data").await.json();
        let check = &data["checks"][0];
        assert_eq!((check["name"].as_str(), check["slow"].as_bool()), (Some("search"), Some(true)), "{data}");
        assert_eq!(check["slow_ms"], 20.0, "{data}");
    }

    /// A fast run carries no mark.
    async fn a_fast_run_carries_no_mark(adapter) {
        let registry = build(builder().check(Check::new("db", || async {})));
        let server = adapter.spawn(disclose(registry, Disclosure::always())).await;
        let r = server.get("/ready?verbose").await;
        assert!(r.json()["components"]["db"].get("slow").is_none(), "{}", r.text());
        let data = server.get("/health/ui/data").await.json();
        assert!(data["checks"][0].get("slow").is_none(), "{data}");
        assert_eq!(data["checks"][0]["slow_ms"], 500.0, "half the default timeout: {data}");
    }
}
