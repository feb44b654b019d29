//! Who sees more than the overall status, and what they see.

use crate::support::{
    AUTHORIZED, TOKEN, build, builder, component_names, disclose, down, open, up,
};
use health::Check;
use health::http::Disclosure;
use serde_json::json;

conformance! {
    /// `Disclosure::never()` (the default): only `{"status":..}`, `?verbose` or
    /// a token or not.
    async fn never_shows_only_the_status(adapter) {
        let server = adapter.spawn(build(builder().check(up("db")).check(down("cache")))).await;
        let bearer = format!("Bearer {TOKEN}");
        for (target, body) in [
            ("/ready", r#"{"status":"DOWN"}"#),
            ("/ready?verbose", r#"{"status":"DOWN"}"#),
            ("/health?verbose", r#"{"status":"UP"}"#),
            ("/ready?verbose&format=ietf", r#"{"status":"fail"}"#),
            // One component is nobody's business here: as if unknown.
            ("/health/cache?verbose", r#"{"error":"not found"}"#),
        ] {
            for headers in [&[][..], &[("authorization", bearer.as_str())][..]] {
                let r = server.request("GET", target, headers).await;
                assert_eq!(r.text(), body, "{target} {headers:?}");
            }
        }
    }

    /// `Disclosure::always()`: components for everybody; with `?verbose`
    /// messages, durations, version and uptime too.
    async fn always_shows_components(adapter) {
        let registry = build(
            builder()
                .version("1.2.3")
                .check(up("db"))
                .check(down("cache")),
        );
        let server = adapter.spawn(disclose(registry, Disclosure::always())).await;
        let r = server.get("/ready").await;
        assert_eq!(r.status, 503);
        assert_eq!(
            r.json(),
            json!({
                "status": "DOWN",
                "components": {
                    "cache": {"status": "DOWN", "critical": true},
                    "db": {"status": "UP", "critical": true},
                }
            })
        );
        let body = server.get("/ready?verbose").await.json();
        assert_eq!(body["status"], "DOWN");
        assert_eq!(body["components"]["cache"]["message"], "cache is down");
        assert!(body["components"]["db"]["duration_ms"].is_number(), "{body}");
        assert!(body["components"]["db"]["age_ms"].is_number(), "{body}");
        assert_eq!(body["version"], "1.2.3");
        assert!(body["uptime_seconds"].is_u64(), "{body}");
        assert!(body["timestamp"].is_string(), "{body}");
        let body = server.get("/health/cache?verbose").await.json();
        assert_eq!(body["components"]["cache"]["message"], "cache is down");
    }

    /// `Disclosure::bearer(token)`: components for the right token only; a
    /// wrong or absent token, or `?verbose` alone, sees the status.
    async fn bearer_token_authorizes_details(adapter) {
        let registry = build(builder().check(up("db")).check(down("cache")));
        let server = adapter.spawn(disclose(registry, Disclosure::bearer(TOKEN))).await;
        let right = format!("Bearer {TOKEN}");
        let lowercase_scheme = format!("bearer {TOKEN}");
        for header in [right.as_str(), lowercase_scheme.as_str()] {
            let r = server.request("GET", "/ready", &[("authorization", header)]).await;
            assert_eq!(r.status, 503);
            assert_eq!(component_names(&r.json()), ["cache", "db"]);
            let r = server.request("GET", "/ready?verbose", &[("Authorization", header)]).await;
            assert_eq!(r.json()["components"]["cache"]["message"], "cache is down");
            let r = server.request("GET", "/ready?format=ietf", &[("authorization", header)]).await;
            assert!(r.json()["checks"].is_object(), "{}", r.text());
        }

        let wrong = format!("Bearer {TOKEN}x");
        let prefix = format!("Bearer {}", &TOKEN[..TOKEN.len() - 1]);
        let basic = format!("Basic {TOKEN}");
        let bare = TOKEN.to_owned();
        let rejected: [&[(&str, &str)]; 7] = [
            &[],
            &[("authorization", wrong.as_str())],
            &[("authorization", prefix.as_str())],
            &[("authorization", basic.as_str())],
            &[("authorization", bare.as_str())],
            &[("authorization", "Bearer ")],
            &[("x-authorization", right.as_str())],
        ];
        for headers in rejected {
            for (target, body) in [
                ("/ready", r#"{"status":"DOWN"}"#),
                ("/ready?verbose", r#"{"status":"DOWN"}"#),
                ("/ready?verbose&format=ietf", r#"{"status":"fail"}"#),
                ("/ready?verbose&format=text", "readiness check failed\n"),
            ] {
                let r = server.request("GET", target, headers).await;
                assert_eq!((r.status, r.text().as_str()), (503, body), "{target} {headers:?}");
            }
            let r = server.request("GET", "/health/cache?verbose", headers).await;
            assert_eq!((r.status, r.text().as_str()), (404, r#"{"error":"not found"}"#), "{headers:?}");
        }
    }

    /// Messages in bodies have their control characters stripped, in every
    /// format.
    async fn messages_are_stripped_of_control_characters(adapter) {
        let nasty = Check::new("nasty", || async {
            health::Outcome::down("line1\nline2\r\n\x1b[31mred\x07 tab\there \u{85}next \u{7f}")
        });
        let server = adapter.spawn(open([nasty])).await;
        let r = server.get("/ready?verbose").await;
        let body = r.text();
        for escaped in ["\\n", "\\r", "\\t", "\\u00", "\\u007f", "\\u0085"] {
            assert!(!body.contains(escaped), "{escaped} in {body}");
        }
        let message = r.json()["components"]["nasty"]["message"].as_str().map(str::to_owned);
        let message = message.unwrap_or_else(|| panic!("no message in {body}"));
        assert!(message.starts_with("line1"), "{message}");
        assert!(message.contains("red"), "{message}");
        assert!(!message.chars().any(char::is_control), "{message:?}");

        let ietf = server.get("/ready?verbose&format=ietf").await.json();
        let output = ietf["checks"]["nasty:responseTime"][0]["output"].as_str().map(str::to_owned);
        let output = output.unwrap_or_else(|| panic!("no output in {ietf}"));
        assert!(!output.chars().any(char::is_control), "{output:?}");

        let text = server.get("/ready?verbose&format=text").await.text();
        let lines: Vec<&str> = text.split_terminator('\n').collect();
        assert_eq!(lines.len(), 2, "{text:?}");
        assert!(lines[0].starts_with("[-]nasty failed: line1"), "{text:?}");
        assert!(lines.iter().all(|l| !l.chars().any(char::is_control)), "{text:?}");
    }

    /// No message can forge a line of the text format or hide text: line
    /// and paragraph separators, bidi controls and zero-width characters
    /// go too; a secret in any check's error is redacted.
    async fn messages_cannot_forge_lines_or_leak_secrets(adapter) {
        let forger = Check::new("forger", || async {
            Err::<(), _>("refused\u{2028}[+]db ok\u{2029}[+]x ok \u{202e}desrever\u{200b}\u{feff} postgres://app:hunter2@db/app token=abc123")
        });
        let server = adapter.spawn(open([forger])).await;
        let text = server.get("/ready?verbose&format=text").await.text();
        assert_eq!(text.lines().count(), 2, "{text:?}");
        for bad in ['\u{2028}', '\u{2029}', '\u{202e}', '\u{200b}', '\u{feff}'] {
            assert!(!text.contains(bad), "{bad:?} in {text:?}");
        }
        assert!(!text.contains("hunter2") && !text.contains("abc123"), "{text:?}");
        let json = server.get("/ready?verbose").await.text();
        assert!(!json.contains("hunter2") && !json.contains("abc123"), "{json}");
        assert!(json.contains("postgres://app:***@db/app"), "{json}");
    }

    /// `Disclosure::networks`: the connection's peer decides. 127.0.0.1 is
    /// in the list and sees components; 127.0.0.2 (loopback too, another
    /// peer address) is not and sees the status only, and its
    /// `X-Forwarded-For` is not trusted: no proxy was named.
    async fn networks_disclose_by_peer_address(adapter) {
        use std::net::Ipv4Addr;
        let registry = build(builder().check(up("db")).check(down("cache")));
        let disclosure = Disclosure::networks(["127.0.0.1/32", "10.0.0.0/8"]);
        let server = adapter.spawn(disclose(registry, disclosure)).await;
        let inside = server.request_from(Ipv4Addr::LOCALHOST, "GET", "/ready", &[]).await;
        assert_eq!(component_names(&inside.json()), ["cache", "db"], "{}", inside.text());
        let outside = Ipv4Addr::new(127, 0, 0, 2);
        for headers in [
            &[][..],
            &[("x-forwarded-for", "127.0.0.1")][..],
            &[("forwarded", "for=10.1.2.3")][..],
        ] {
            let r = server.request_from(outside, "GET", "/ready?verbose", headers).await;
            assert_eq!((r.status, r.text().as_str()), (503, r#"{"status":"DOWN"}"#), "{headers:?}");
            let r = server.request_from(outside, "GET", "/health/db", headers).await;
            assert_eq!(r.status, 404, "{headers:?}");
        }
    }

    /// Behind a trusted proxy, the forwarded client address decides (in
    /// the one header named: a `Forwarded` beside `X-Forwarded-For` is
    /// the client's word), and a token still works from anywhere.
    async fn trusted_proxies_forward_the_client(adapter) {
        use health::http::ForwardedHeader;
        use std::net::Ipv4Addr;
        let registry = build(builder().check(up("db")));
        let disclosure = Disclosure::networks(["10.0.0.0/8"])
            .or_bearer(TOKEN)
            .trust_proxies(["127.0.0.2/32"])
            .forwarded_header(ForwardedHeader::XForwardedFor);
        let server = adapter.spawn(disclose(registry, disclosure)).await;
        let proxy = Ipv4Addr::new(127, 0, 0, 2);
        for (source, headers, sees) in [
            (proxy, &[("x-forwarded-for", "10.1.2.3")][..], true),
            (proxy, &[("forwarded", "for=10.1.2.3;proto=https")][..], false),
            (proxy, &[("x-forwarded-for", "10.1.2.3, 192.0.2.7")][..], false),
            (proxy, &[("x-forwarded-for", "192.0.2.7")][..], false),
            (proxy, &[][..], false),
            // Not the proxy: its header is the client's word only.
            (Ipv4Addr::LOCALHOST, &[("x-forwarded-for", "10.1.2.3")][..], false),
            (Ipv4Addr::new(127, 0, 0, 3), &AUTHORIZED[..], true),
        ] {
            let r = server.request_from(source, "GET", "/ready", headers).await;
            assert_eq!(r.json().get("components").is_some(), sees, "{source} {headers:?}: {}", r.text());
        }
    }
}
