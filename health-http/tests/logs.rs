//! What the endpoints log about their disclosure: the trap of a
//! forwarding hop that is not a trusted proxy (once per `Endpoints`), and
//! a network of every address. Alone in its test binary, every test with
//! a subscriber of its own: tracing caches per-callsite interest globally.

#![allow(clippy::unwrap_used)]

use health_core::Registry;
use health_http::{Disclosure, Endpoints, ForwardedHeader, Method, Request, Resource};
use std::io::Write;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// A `MakeWriter` into a shared buffer.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// Runs `test` with a subscriber writing WARN and above into the buffer
/// it returns.
fn logged(test: impl FnOnce()) -> String {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::WARN)
        .finish();
    tracing::subscriber::with_default(subscriber, test);
    buffer.text()
}

fn serve(disclosure: Disclosure) -> Endpoints {
    let registry = Registry::builder().without_declared().build().unwrap();
    Endpoints::builder(registry)
        .disclosure(disclosure)
        .build()
        .unwrap()
}

/// `GET /ready` from `peer` with `headers`: whether components were shown.
fn sees_components(endpoints: &Endpoints, peer: &str, headers: &[(&str, &str)]) -> bool {
    let headers = headers.to_vec();
    let request = Request::new(Method::Get, "/ready")
        .headers(&headers)
        .peer(Some(peer.parse::<IpAddr>().unwrap()));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let response = runtime.block_on(endpoints.handle(Resource::Readiness, &request));
    std::str::from_utf8(response.body())
        .unwrap()
        .contains("components")
}

const TRAP: &str = "is not a trusted proxy";

#[test]
fn a_forwarding_header_from_an_allowed_peer_that_is_no_trusted_proxy_is_logged_once() {
    let log = logged(|| {
        let endpoints = serve(Disclosure::networks(["10.0.0.0/8"]));
        // Inside, without forwarding headers: nothing to say.
        for _ in 0..3 {
            assert!(sees_components(&endpoints, "10.1.2.3", &[]));
        }
        // Outside with a header: sees nothing, nothing to say.
        assert!(!sees_components(
            &endpoints,
            "192.0.2.7",
            &[("x-forwarded-for", "10.9.9.9")]
        ));
        // An ingress inside the network forwarding an outside client: the
        // client counts as inside; said once, however often.
        for _ in 0..3 {
            let forwarded = [("x-forwarded-for", "203.0.113.9")];
            assert!(sees_components(&endpoints, "10.4.5.6", &forwarded));
        }
        assert!(sees_components(
            &endpoints,
            "10.4.5.6",
            &[("x-real-ip", "203.0.113.9")]
        ));
        // Once per `Endpoints`: new endpoints say it again.
        let again = serve(Disclosure::networks(["10.0.0.0/8"]));
        assert!(sees_components(
            &again,
            "::ffff:10.4.5.6",
            &[("forwarded", "for=203.0.113.9")]
        ));
    });
    let warnings: Vec<&str> = log.lines().filter(|l| l.contains(TRAP)).collect();
    assert_eq!(warnings.len(), 2, "{log}");
    assert!(
        warnings[0].contains("`x-forwarded-for`") && warnings[0].contains("10.4.5.6"),
        "{log}"
    );
    assert!(warnings[1].contains("`forwarded`"), "{log}");
    assert!(warnings.iter().all(|w| w.contains("WARN")), "{log}");
}

#[test]
fn a_trusted_proxy_sending_its_header_is_no_trap() {
    let log = logged(|| {
        let endpoints = serve(
            Disclosure::networks(["10.0.0.0/8"])
                .trust_proxies(["10.0.0.1/32"])
                .forwarded_header(ForwardedHeader::XForwardedFor),
        );
        let from_proxy = [("x-forwarded-for", "10.1.2.3")];
        assert!(sees_components(&endpoints, "10.0.0.1", &from_proxy));
        // The sentinel: an unnamed hop after it is said.
        assert!(sees_components(&endpoints, "10.0.0.2", &from_proxy));
    });
    let warnings: Vec<&str> = log.lines().filter(|l| l.contains(TRAP)).collect();
    assert_eq!(warnings.len(), 1, "{log}");
    assert!(warnings[0].contains("10.0.0.2"), "{log}");
}

#[test]
fn a_network_of_every_address_is_logged_when_built() {
    let log = logged(|| {
        serve(Disclosure::networks(["10.0.0.0/8"]));
        serve(Disclosure::networks(["0.0.0.0/0"]));
        serve(
            Disclosure::never()
                .trust_proxies(["::/0"])
                .forwarded_header(ForwardedHeader::Forwarded),
        );
    });
    let warnings: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("holds every address"))
        .collect();
    assert_eq!(warnings.len(), 2, "{log}");
    assert!(
        warnings[0].contains("0.0.0.0/0") && warnings[1].contains("::/0"),
        "{log}"
    );
}

#[test]
fn a_check_slower_than_the_probe_timeout_is_named_at_start() {
    use health_core::Check;
    use std::time::Duration;
    let build = |probe_timeout: Duration| {
        let registry = Registry::builder()
            .without_declared()
            .check(Check::new("db", || async { true }).with_timeout(Duration::from_secs(3)))
            // Never waited for: refreshed in the background.
            .check(
                Check::new("search", || async { true })
                    .with_timeout(Duration::from_secs(8))
                    .with_interval(Duration::from_secs(10)),
            )
            .build()
            .unwrap();
        Endpoints::builder(registry)
            .probe_timeout(probe_timeout)
            .build()
            .unwrap()
    };
    let log = logged(|| drop(build(Duration::from_secs(1))));
    assert_eq!(
        log.matches("cannot finish within the probe timeout")
            .count(),
        1,
        "{log}"
    );
    assert!(
        log.contains("probe=readiness check=db check_timeout=3s probe_timeout=1s"),
        "{log}"
    );
    assert!(!log.contains("search"), "{log}");
    let log = logged(|| drop(build(Duration::from_secs(3))));
    assert!(log.is_empty(), "{log}");
}
