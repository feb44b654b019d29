//! The status page family: `/health/ui` (HTML), `/health/ui/data` (JSON),
//! `/health/badge.svg` (SVG): status codes, headers, CSP, who sees what,
//! HEAD, methods, paths, and turning it off.

use crate::support::{AUTHORIZED, TOKEN, build, builder, disclose, down, open, up};
use health::Check;
use health::http::{Disclosure, Endpoints, Paths, Problem};
use health_tests::client::Response;
use std::net::Ipv4Addr;

const PAGE: &str = "/health/ui";
const DATA: &str = "/health/ui/data";
const BADGE: &str = "/health/badge.svg";

/// The checks every case serves: names and tags an anonymous caller must
/// never see.
fn checks() -> [Check; 3] {
    [
        up("orders-db").with_tags(["postgres"]),
        down("payments-api")
            .with_critical(false)
            .with_tags(["external"]),
        up("kernel-clock").with_probes(health::Probe::Liveness),
    ]
}

const SECRETS: [&str; 6] = [
    "orders-db",
    "payments-api",
    "kernel-clock",
    "postgres",
    "external",
    "payments-api is down",
];

/// The page without its embedded stylesheet and script: what it shows.
fn shown(page: &Response) -> String {
    let html = page.text();
    let cut = |html: &str, open: &str, close: &str| -> String {
        match (html.find(open), html.find(close)) {
            (Some(a), Some(b)) if a < b => format!("{}{}", &html[..a], &html[b..]),
            _ => html.to_owned(),
        }
    };
    cut(&cut(&html, "<style>", "</style>"), "<script>", "</script>")
}

/// The headers the family shares.
fn assert_hardened(r: &Response, target: &str) {
    assert_eq!(r.header("cache-control"), Some("no-store"), "{target}");
    assert_eq!(
        r.header("x-content-type-options"),
        Some("nosniff"),
        "{target}"
    );
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{target}");
    assert_eq!(r.header("x-frame-options"), Some("DENY"), "{target}");
    let csp = r.header("content-security-policy").unwrap_or_default();
    assert!(csp.starts_with("default-src 'none'"), "{target}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{target}: {csp}");
    assert!(!csp.contains("unsafe"), "{target}: {csp}");
    assert!(!csp.contains('*'), "{target}: {csp}");
}

conformance! {
    /// The page: 200 HTML, hardened, its style and script allowed by hash
    /// only, and nothing external in it.
    async fn the_page_is_self_contained_html(adapter) {
        let server = adapter.spawn(open(checks())).await;
        let page = server.get(PAGE).await;
        assert_eq!(page.status, 200);
        assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
        assert_hardened(&page, PAGE);
        let csp = page.header("content-security-policy").unwrap_or_default();
        let hashes = |directive: &str| -> Vec<String> {
            csp.split(';')
                .map(str::trim)
                .find_map(|d| d.strip_prefix(directive))
                .map(|v| v.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default()
        };
        for directive in ["style-src ", "script-src "] {
            let sources = hashes(directive);
            assert_eq!(sources.len(), 1, "{directive}: {csp}");
            assert!(sources[0].starts_with("'sha256-") && sources[0].len() == 53, "{csp}");
        }
        assert!(csp.contains("connect-src 'self'"), "{csp}");
        assert!(csp.contains("img-src data:;"), "{csp}");
        let html = page.text();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert_eq!(html.matches("<script").count(), 1);
        assert_eq!(html.matches("<style").count(), 1);
        // The one link: the icon, inline (no request for /favicon.ico).
        let icon = "<link rel=\"icon\" href=\"data:image/svg+xml,";
        let at = html.find(icon).expect("an inline icon");
        let end = at + html[at..].find('>').expect("the icon's end");
        // The one namespace URI the script names is no fetch either.
        let rest = format!("{}{}", &html[..at], &html[end..])
            .replace("\"http://www.w3.org/2000/svg\"", "")
            .replace("'http://www.w3.org/2000/svg'", "");
        for external in ["http://", "https://", "//cdn", " src=\"", " href=\"", "<link", "@import", "url("] {
            assert!(!rest.contains(external), "{external}");
        }
    }

    /// An allowed caller sees every check: name, status by word, tags,
    /// probes, the bar, the message.
    async fn an_allowed_caller_sees_every_check(adapter) {
        let server = adapter.spawn(open(checks())).await;
        let page = shown(&server.get(PAGE).await);
        for secret in SECRETS {
            assert!(page.contains(secret), "{secret} missing");
        }
        assert!(page.contains("✖</span> DOWN</span> <span class=\"name\">payments-api</span>"));
        assert!(page.contains("✔</span> UP</span> <span class=\"name\">orders-db</span>"));
        assert!(page.contains("class=\"bar\""));
        let data = server.get(DATA).await;
        assert_eq!(data.status, 200);
        assert_eq!(data.header("content-type"), Some("application/json"));
        assert_hardened(&data, DATA);
        let data = data.json();
        let names: Vec<&str> = data["checks"]
            .as_array()
            .map(|c| c.iter().filter_map(|c| c["name"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(names, ["kernel-clock", "orders-db", "payments-api"]);
        assert_eq!(data["checks"][2]["message"], "payments-api is down");
        assert!(!data["checks"][2]["samples"].as_array().is_none_or(Vec::is_empty));
    }

    /// Anonymous under `never` and `bearer`: the probes' statuses only, on
    /// the page and in its data; the token, a network rule or `always`
    /// show everything.
    async fn disclosure_applies_to_the_page_and_its_data(adapter) {
        let anonymous = [Disclosure::never(), Disclosure::bearer(TOKEN)];
        for disclosure in anonymous {
            let server = adapter.spawn(disclose(build(builder().checks(checks())), disclosure)).await;
            let page = server.get(PAGE).await;
            assert_eq!(page.status, 200);
            let html = shown(&page);
            let data = server.get(DATA).await;
            for secret in SECRETS {
                assert!(!html.contains(secret), "the page shows {secret}");
                assert!(!data.text().contains(secret), "the data shows {secret}");
            }
            assert!(!html.contains("data-name") && !html.contains("results"), "{html}");
            assert!(html.contains("<span class=\"pn\">readiness</span> <span class=\"st\"><span aria-hidden=\"true\">▲</span> DEGRADED</span>"));
            let data = data.json();
            assert!(data.get("checks").is_none(), "{data}");
            assert_eq!(data["probes"][0]["status"], "DEGRADED");
        }
        // A token, a network, everybody.
        let server = adapter
            .spawn(disclose(
                build(builder().checks(checks())),
                Disclosure::bearer(TOKEN).or_networks(["127.0.0.2/32"]),
            ))
            .await;
        let with_token = server.request("GET", PAGE, &AUTHORIZED).await;
        let from_network = server.request_from(Ipv4Addr::new(127, 0, 0, 2), "GET", DATA, &[]).await;
        let from_elsewhere = server.request_from(Ipv4Addr::new(127, 0, 0, 3), "GET", DATA, &[]).await;
        assert!(shown(&with_token).contains("payments-api is down"));
        assert!(from_network.text().contains("payments-api is down"));
        assert!(!from_elsewhere.text().contains("payments-api"));
        let server = adapter.spawn(open(checks())).await;
        assert!(shown(&server.get(PAGE).await).contains("payments-api is down"));
    }

    /// The badge: readiness in a word, for anybody, hardened, no script.
    async fn the_badge_says_readiness_to_anybody(adapter) {
        for (checks, word) in [(vec![up("db")], "UP"), (vec![down("db")], "DOWN")] {
            let server = adapter.spawn(build(builder().checks(checks))).await;
            let badge = server.get(BADGE).await;
            assert_eq!(badge.status, 200);
            assert_eq!(badge.header("content-type"), Some("image/svg+xml"));
            assert_hardened(&badge, BADGE);
            let svg = badge.text();
            assert!(svg.contains(&format!("<title>health: {word}</title>")), "{svg}");
            assert!(!svg.contains("<script") && !svg.contains("href") && !svg.contains("db"), "{svg}");
        }
    }

    /// HEAD: the GET answer's status and headers, no body; other methods
    /// 405; the byte-for-byte path rule.
    async fn head_methods_and_odd_paths(adapter) {
        let server = adapter.spawn(open(checks())).await;
        for target in [PAGE, DATA, BADGE] {
            let get = server.get(target).await;
            let head = server.request("HEAD", target, &[]).await;
            assert_eq!(head.status, get.status, "{target}");
            for name in ["content-type", "cache-control", "content-security-policy", "x-frame-options"] {
                assert_eq!(head.header(name), get.header(name), "{target}: {name}");
            }
            assert!(head.body.is_empty(), "{target}");
            let post = server.request("POST", target, &[("content-length", "0")]).await;
            assert_eq!(post.status, 405, "{target}");
            assert_eq!(post.header("allow"), Some("GET, HEAD"), "{target}");
            // Cache-busters are ignored; a malformed known parameter is not.
            assert_eq!(server.get(&format!("{target}?_=1733")).await.status, 200);
            assert_eq!(server.get(&format!("{target}?format=xml")).await.status, 400);
        }
        for odd in ["/health/ui/", "/health/UI", "/health/%75i", "/health//ui", "/health/ui/data/", "/health/ui/x"] {
            assert_eq!(server.get(odd).await.status, 404, "{odd}");
        }
    }

    /// `Paths::ui(None)`: no page, no data, no badge; the badge alone
    /// when set; moved with the prefix.
    async fn the_page_can_move_or_be_off(adapter) {
        let endpoints = Endpoints::builder(build(builder().checks(checks())))
            .paths(Paths::default().ui(None))
            .disclosure(Disclosure::always())
            .build()
            .expect("valid endpoints");
        let server = adapter.spawn(endpoints).await;
        for target in [PAGE, DATA, BADGE] {
            assert_eq!(server.get(target).await.status, 404, "{target}");
        }
        // What is left at `/health/{name}` is a component nobody may see.
        assert_eq!(server.get(PAGE).await.json()["error"], "not found");
        // The probes are untouched.
        assert_eq!(server.get("/ready").await.status, 200);

        let endpoints = Endpoints::builder(build(builder().checks(checks())))
            .paths(Paths::default().prefix("/ops").ui(None).badge(Some("/status.svg")))
            .build()
            .expect("valid endpoints");
        let server = adapter.spawn(endpoints).await;
        assert_eq!(server.get("/ops/health/ui").await.status, 404);
        assert_eq!(server.get("/ops/status.svg").await.status, 200);

        let endpoints = Endpoints::builder(build(builder().checks(checks())))
            .paths(Paths::default().ui(Some("/status")))
            .build()
            .expect("valid endpoints");
        let server = adapter.spawn(endpoints).await;
        assert_eq!(server.get("/status").await.status, 200);
        assert_eq!(server.get("/status/data").await.status, 200);
        assert_eq!(server.get("/badge.svg").await.status, 200);
        assert_eq!(server.get(PAGE).await.status, 404);
    }

    /// A check named `ui` clashes with the page: the defaults and the
    /// builder refuse it alike, naming the check; moved, the page and the
    /// check live together.
    async fn a_check_named_ui_clashes_with_the_page(adapter) {
        let registry = build(builder().check(down("ui")).check(up("db")));
        let problems = Endpoints::new(registry.clone())
            .expect_err("a clash")
            .into_problems();
        let built = Endpoints::builder(registry.clone()).build().expect_err("a clash").into_problems();
        assert_eq!(problems, built);
        let problems = Endpoints::builder(registry.clone())
            .build()
            .expect_err("a clash")
            .problems()
            .to_vec();
        assert_eq!(problems.len(), 1, "{problems:?}");
        let Problem::PathClash(message) = &problems[0] else {
            panic!("{problems:?}")
        };
        assert!(message.contains("`ui`") && message.contains("/health/ui"), "{message}");

        let badge = build(builder().check(up("badge.svg")));
        let problems = Endpoints::builder(badge).build().expect_err("a clash").problems().to_vec();
        assert!(matches!(&problems[..], [Problem::PathClash(m)] if m.contains("`badge.svg`")), "{problems:?}");

        // Moved, the page and the check live together.
        let endpoints = Endpoints::builder(registry)
            .paths(Paths::default().ui(Some("/status")))
            .disclosure(Disclosure::always())
            .build()
            .expect("valid endpoints");
        let server = adapter.spawn(endpoints).await;
        assert_eq!(server.get("/health/ui").await.json()["status"], "DOWN");
        assert!(shown(&server.get("/status").await).contains("<span class=\"name\">ui</span>"));
    }
}
