//! The status page's allowed hosts: under a network rule, the page and
//! its data answer only `localhost`, IP addresses and the names allowed,
//! so a page that rebinds its own name to 127.0.0.1 (DNS rebinding)
//! cannot read them as same-origin.

use crate::support::{Server, build, builder, disclose, down, up};
use health::http::{AllowedHosts, Disclosure, Endpoints};
use health_tests::client::{self, Response};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PAGE: &str = "/health/ui";
const DATA: &str = "/health/ui/data";

/// `GET target` with `Host: host` (the shared client always sends
/// `Host: 127.0.0.1`).
async fn get_for_host(server: &Server, host: &str, target: &str) -> Response {
    let raw = format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(server.addr()).await?;
        stream.write_all(raw.as_bytes()).await?;
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).await?;
        Ok::<_, std::io::Error>(bytes)
    };
    let bytes = tokio::time::timeout(client::TIMEOUT, exchange)
        .await
        .unwrap_or_else(|_| panic!("GET {target} for {host}: no answer in time"))
        .unwrap_or_else(|e| panic!("GET {target} for {host}: {e}"));
    client::parse(&bytes, "GET").unwrap_or_else(|e| panic!("GET {target} for {host}: {e}"))
}

/// A failing `payments` check, details for callers from 127.0.0.1.
fn from_loopback(hosts: Option<AllowedHosts>) -> Endpoints {
    let registry = build(builder().check(up("orders")).check(down("payments")));
    let disclosure = Disclosure::networks(["127.0.0.1/32"]);
    match hosts {
        None => disclose(registry, disclosure),
        Some(hosts) => Endpoints::builder(registry)
            .disclosure(disclosure)
            .allowed_hosts(hosts)
            .build()
            .expect("valid endpoints"),
    }
}

conformance! {
    /// A rebound name gets 421 and not a byte of the checks; the page
    /// opened by `localhost`, `127.0.0.1` or `[::1]`, any port, is served.
    async fn a_network_rule_guards_the_page_against_rebinding(adapter) {
        let server = adapter.spawn(from_loopback(None)).await;
        for target in [PAGE, DATA] {
            for host in ["rebind.example", "rebind.example:8080", "localhost.rebind.example", "127.0.0.1.nip.io"] {
                let r = get_for_host(&server, host, target).await;
                assert_eq!(r.status, 421, "{target} for {host}: {}", r.text());
                assert_eq!(r.text(), r#"{"error":"this host is not served here"}"#);
                assert_eq!(r.header("cache-control"), Some("no-store"));
            }
            for host in ["localhost", "localhost:8080", "127.0.0.1:9", "[::1]:8080", "LocalHost"] {
                let r = get_for_host(&server, host, target).await;
                assert_eq!(r.status, 200, "{target} for {host}");
                assert!(r.text().contains("payments is down"), "{target} for {host}");
            }
        }
        // An absolute-form target names the host; the `Host` line
        // (127.0.0.1, allowed) is ignored, as RFC 9112 says.
        let r = server.get("http://rebind.example/health/ui/data").await;
        assert_eq!(r.status, 421, "{}", r.text());
        let r = server.get("http://localhost:8080/health/ui/data").await;
        assert_eq!(r.status, 200, "{}", r.text());
        // The probes and the badge are not the page: answered for any host.
        let r = get_for_host(&server, "rebind.example", "/ready").await;
        assert_eq!(r.status, 503);
        assert_eq!(get_for_host(&server, "rebind.example", "/health/badge.svg").await.status, 200);
    }

    /// Names given to `AllowedHosts::names` are served too; `any()` turns
    /// the guard off; without a network rule it is off by default, and
    /// `loopback()` turns it on.
    async fn allowed_hosts_are_configurable(adapter) {
        let named = adapter
            .spawn(from_loopback(Some(AllowedHosts::names(["status.example.internal"]))))
            .await;
        let r = get_for_host(&named, "Status.Example.Internal:443", DATA).await;
        assert_eq!(r.status, 200);
        assert!(r.text().contains("payments is down"));
        assert_eq!(get_for_host(&named, "rebind.example", DATA).await.status, 421);

        let any = adapter.spawn(from_loopback(Some(AllowedHosts::any()))).await;
        assert_eq!(get_for_host(&any, "rebind.example", DATA).await.status, 200);

        let registry = build(builder().check(down("payments")));
        let status_only = adapter.spawn(disclose(registry, Disclosure::never())).await;
        let r = get_for_host(&status_only, "rebind.example", DATA).await;
        assert_eq!(r.status, 200);
        assert!(!r.text().contains("payments"), "{}", r.text());

        let registry = build(builder().check(down("payments")));
        let guarded = Endpoints::builder(registry)
            .allowed_hosts(AllowedHosts::loopback())
            .build()
            .expect("valid endpoints");
        let guarded = adapter.spawn(guarded).await;
        assert_eq!(get_for_host(&guarded, "rebind.example", PAGE).await.status, 421);
        assert_eq!(get_for_host(&guarded, "localhost", PAGE).await.status, 200);
    }
}
