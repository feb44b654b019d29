//! Behind trusted proxies: the one header the proxy writes names the
//! client, every line of it, in order; any other forwarding header is the
//! client's own word and counts for nothing.

use crate::support::{build, builder, component_names, disclose, down, up};
use health::http::{Disclosure, ForwardedHeader};
use std::net::Ipv4Addr;

/// The trusted proxy's address (a loopback address other than the
/// client's default).
const PROXY: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);

/// Whether the caller behind the proxy at [`PROXY`], forwarding
/// `headers`, sees components.
async fn sees(server: &crate::support::Server, headers: &[(&str, &str)]) -> bool {
    let r = server.request_from(PROXY, "GET", "/ready", headers).await;
    assert_eq!(r.status, 503, "{headers:?}: {}", r.text());
    match r.json().get("components") {
        Some(_) => {
            assert_eq!(component_names(&r.json()), ["cache", "db"]);
            true
        }
        None => {
            assert_eq!(r.text(), r#"{"status":"DOWN"}"#, "{headers:?}");
            false
        }
    }
}

/// Serves a `db` and a failing `cache`, details for `10.0.0.0/8`, behind
/// the proxy at [`PROXY`] that writes `header`.
async fn behind_proxy(
    adapter: crate::support::Adapter,
    header: ForwardedHeader,
) -> crate::support::Server {
    let registry = build(builder().check(up("db")).check(down("cache")));
    let disclosure = Disclosure::networks(["10.0.0.0/8"])
        .trust_proxies(["127.0.0.2/32"])
        .forwarded_header(header);
    adapter.spawn(disclose(registry, disclosure)).await
}

conformance! {
    /// nginx and HAProxy write `X-Forwarded-For` and pass a client's own
    /// `Forwarded` on untouched: with `X-Forwarded-For` named, a client
    /// naming itself `for=10.1.2.3` in `Forwarded` sees the status only.
    async fn only_the_named_forwarded_header_counts(adapter) {
        let server = behind_proxy(adapter, ForwardedHeader::XForwardedFor).await;
        assert!(sees(&server, &[("x-forwarded-for", "10.1.2.3")]).await);
        let forged = [("x-forwarded-for", "192.0.2.7"), ("forwarded", "for=10.1.2.3")];
        assert!(!sees(&server, &forged).await);
        let reversed = [("forwarded", "for=10.1.2.3"), ("x-forwarded-for", "192.0.2.7")];
        assert!(!sees(&server, &reversed).await);
        assert!(!sees(&server, &[("forwarded", "for=10.1.2.3")]).await);

        // And the other way round, with `Forwarded` named.
        let server = behind_proxy(adapter, ForwardedHeader::Forwarded).await;
        assert!(sees(&server, &[("forwarded", "for=10.1.2.3;proto=https")]).await);
        let forged = [("forwarded", "for=192.0.2.7"), ("x-forwarded-for", "10.1.2.3")];
        assert!(!sees(&server, &forged).await);
    }

    /// RFC 9110: the lines of a header are one list, in order. HAProxy
    /// appends its own line after the client's: the client's line
    /// (`10.1.2.3`) is not the client.
    async fn every_line_of_the_forwarded_header_counts_in_order(adapter) {
        let server = behind_proxy(adapter, ForwardedHeader::XForwardedFor).await;
        let appended = [("x-forwarded-for", "10.1.2.3"), ("x-forwarded-for", "192.0.2.7")];
        assert!(!sees(&server, &appended).await);
        // The same lines the other way round: the nearest is inside.
        let inside_last = [("x-forwarded-for", "192.0.2.7"), ("x-forwarded-for", "10.1.2.3")];
        assert!(sees(&server, &inside_last).await);
        // A trusted hop on a line of its own is skipped, as in one line.
        let hops = [("x-forwarded-for", "192.0.2.7, 10.1.2.3"), ("x-forwarded-for", "127.0.0.2")];
        assert!(sees(&server, &hops).await);

        let server = behind_proxy(adapter, ForwardedHeader::Forwarded).await;
        let appended = [("forwarded", "for=10.1.2.3"), ("forwarded", "for=192.0.2.7;proto=https")];
        assert!(!sees(&server, &appended).await);
    }

    /// A custom header (`X-Real-IP`, as nginx's `proxy_set_header
    /// X-Real-IP $remote_addr` writes it), named in any case; the
    /// standard ones are then ignored.
    async fn a_custom_forwarded_header_names_the_client(adapter) {
        let server = behind_proxy(adapter, ForwardedHeader::custom("X-Real-IP")).await;
        assert!(sees(&server, &[("x-real-ip", "10.1.2.3")]).await);
        assert!(!sees(&server, &[("x-real-ip", "192.0.2.7")]).await);
        assert!(!sees(&server, &[("x-forwarded-for", "10.1.2.3")]).await);
        assert!(!sees(&server, &[("x-real-ip", "192.0.2.7"), ("forwarded", "for=10.1.2.3")]).await);
    }
}
