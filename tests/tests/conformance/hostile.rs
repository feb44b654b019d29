//! Hostile input gets a 4xx, never a 5xx, and the server keeps serving.
//! The framework may reject some of it before the contract sees it (404,
//! 400, 414, 431): any 4xx will do.

use crate::support::{TOKEN, abbreviate, build, builder, disclose, up};
use health::http::Disclosure;

conformance! {
    /// Hostile request targets.
    async fn hostile_targets_get_4xx(adapter) {
        let registry = build(builder().check(up("db")));
        let server = adapter.spawn(disclose(registry, Disclosure::bearer(TOKEN))).await;
        let long_path = format!("/health/{}", "a".repeat(5_000 - "/health/".len()));
        let long_root = format!("/{}", "b".repeat(4_999));
        let long_query = format!("/ready?exclude={}", "c,".repeat(5 * 1024));
        let long_tag = format!("/health?tag={}", "%41".repeat(3_400));
        let targets = [
            long_path.as_str(),
            long_root.as_str(),
            "/health/%00",
            "/health/%FF%FE",
            "/health/..%2Fready",
            "/health/..%2F..%2Fetc%2Fpasswd",
            "/health/%2e%2e%2fready",
            "/health/db%2Fx",
            "/health/db/x",
            "/health/",
            "/health//",
            long_query.as_str(),
            long_tag.as_str(),
            "/ready?tag=%FF",
            "/ready?verbose=%ZZ",
            "/ready?exclude=a&exclude=%C0%AF",
        ];
        assert_eq!(long_path.len(), 5_000);
        for target in targets {
            let r = server.get(target).await;
            assert!(
                (400..500).contains(&r.status),
                "{}: {} {}",
                abbreviate(target),
                r.status,
                abbreviate(&r.text())
            );
            let r = server.get("/health").await;
            assert_eq!(r.status, 200, "after {}", abbreviate(target));
        }
    }

    /// Hostile headers never get details, nor a 5xx.
    async fn hostile_headers_get_no_details(adapter) {
        let registry = build(builder().check(up("db")));
        let server = adapter.spawn(disclose(registry, Disclosure::bearer(TOKEN))).await;
        let long_token = format!("Bearer {}", "s".repeat(4_000));
        let long_accept = "application/json, ".repeat(200);
        for headers in [
            [("authorization", long_token.as_str())],
            [("authorization", "Bearer s3cret-token-0123456789\u{7f}")],
            [("authorization", "Bearer  s3cret-token-012345678")],
            [("accept", long_accept.as_str())],
            [("accept", "application/health+json; q=\"x")],
        ] {
            let r = server.request("GET", "/ready?verbose", &headers).await;
            assert!(r.status < 500, "{headers:?}: {}", r.status);
            // Whatever the status (200, 400, 406...), the body names no
            // component and holds no detail.
            let body = r.text();
            let detailed =
                body.contains("components") || body.contains("checks") || body.contains("\"db\"");
            assert!(!detailed, "{headers:?}: {} {body}", r.status);
            assert_eq!(server.get("/health").await.status, 200);
        }
    }
}
