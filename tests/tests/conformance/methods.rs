//! Methods and the headers every answer carries.

use crate::support::{build, builder, down, up};
use health::Probe;

/// One target per endpoint, answering 200, 503 and 404.
const TARGETS: [&str; 7] = [
    "/health",
    "/ready",
    "/startup",
    "/health/db",
    "/health/cache",
    "/health/nope",
    "/version",
];

/// The headers the contract decides (the framework adds `date`,
/// `content-length`...).
const CONTRACT_HEADERS: [&str; 4] = ["content-type", "cache-control", "allow", "retry-after"];

conformance! {
    /// HEAD: the GET answer's status and headers, without a body.
    async fn head_is_get_without_body(adapter) {
        let registry = build(
            builder()
                .check(up("db"))
                .check(down("cache"))
                .check(up("seed").with_probes(Probe::Startup)),
        );
        let server = adapter.spawn(registry).await;
        let formats = ["/ready?format=ietf", "/ready?format=text", "/ready?format=xml"];
        for target in TARGETS.into_iter().chain(formats) {
            let get = server.get(target).await;
            let head = server.request("HEAD", target, &[]).await;
            assert_eq!(head.status, get.status, "{target}");
            for name in CONTRACT_HEADERS {
                assert_eq!(head.header(name), get.header(name), "{target}: {name}");
            }
            assert!(head.body.is_empty(), "{target}: {:?}", head.text());
            assert!(!get.body.is_empty(), "{target}");
        }
    }

    /// Any other method: 405 with `Allow: GET, HEAD` and a JSON error.
    async fn other_methods_are_405(adapter) {
        let server = adapter.spawn(build(builder().check(up("db")))).await;
        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
            for target in TARGETS {
                let r = server.request(method, target, &[("content-length", "0")]).await;
                assert_eq!(r.status, 405, "{method} {target}");
                assert_eq!(r.header("allow"), Some("GET, HEAD"), "{method} {target}");
                assert_eq!(r.header("content-type"), Some("application/json"), "{method} {target}");
                assert_eq!(r.header("cache-control"), Some("no-store"), "{method} {target}");
                assert!(r.json()["error"].is_string(), "{method} {target}");
            }
        }
    }

    /// Every answer is `no-store`, and JSON unless a format says otherwise.
    async fn content_type_and_cache_control(adapter) {
        let registry = build(builder().check(up("db")).check(down("cache")));
        let server = adapter.spawn(registry).await;
        let queries = ["/ready?format=json", "/ready?verbose", "/ready?nope"];
        for target in TARGETS.into_iter().chain(queries) {
            let r = server.get(target).await;
            assert_eq!(r.header("content-type"), Some("application/json"), "{target}");
            assert_eq!(r.header("cache-control"), Some("no-store"), "{target}");
        }
    }

    /// HEAD announces the length the GET body would have, or none
    /// (RFC 9110, section 8.6: a `Content-Length` in a HEAD answer must be
    /// the GET body's length).
    async fn head_announces_the_get_length(adapter) {
        let server = adapter.spawn(build(builder().check(up("db")))).await;
        for target in TARGETS {
            let get = server.get(target).await;
            let head = server.request("HEAD", target, &[]).await;
            let announced = head.header("content-length");
            assert!(
                announced.is_none() || announced == get.header("content-length"),
                "{target}: HEAD announces {announced:?}, GET sends {:?}",
                get.header("content-length")
            );
        }
    }
}
