//! Odd paths: every adapter answers each one alike. A path is ours only
//! byte for byte (RFC 3986 lets a server treat percent-encoded unreserved
//! characters as equivalent, but no health client encodes them, and the
//! adapters' routers disagree on it: actix-web decodes before routing,
//! axum does not), so each of these is a 404 on both.

use crate::support::{down, open, up};

conformance! {
    /// Percent-encoded letters, trailing and double slashes, case, dot
    /// segments and an encoded slash: the same answer on every adapter.
    async fn odd_paths_are_answered_alike(adapter) {
        let server = adapter.spawn(open([up("db"), down("cache")])).await;
        for (target, code) in [
            ("/ready", 503),
            ("/health/db", 200),
            ("/ready?", 503),
            ("/%72eady", 404),
            ("/re%61dy", 404),
            ("/health/%64b", 404),
            ("/health/%73teady", 404),
            ("/%68ealth/db", 404),
            ("/ready/", 404),
            ("/health/db/", 404),
            ("//ready", 404),
            ("/health//db", 404),
            ("/READY", 404),
            ("/Health/db", 404),
            ("/health/DB", 404),
            ("/health/../ready", 404),
            ("/health/./db", 404),
            ("/./ready", 404),
            ("/health/db%2Fx", 404),
            ("/health/..%2Fready", 404),
            ("/health/%2e%2e", 404),
            ("/version/", 404),
        ] {
            let r = server.get(target).await;
            assert_eq!(r.status, code, "{target}: {}", r.text());
        }
    }
}
