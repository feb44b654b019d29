//! The page family rendered from real registries, without HTTP.

use super::*;
use crate::response::Response;
use crate::{Disclosure, Endpoints, Method, Request, Resource};
use health_core::Check;
use health_core::{Probe, Registry, Status};
use std::time::Duration;

fn registry(checks: impl IntoIterator<Item = Check>) -> Registry {
    Registry::builder()
        .without_declared()
        .version("1.2.3")
        .commit("abc1234")
        .checks(checks)
        .build()
        .unwrap()
}

async fn get(endpoints: &Endpoints, resource: Resource, path: &str) -> Response {
    endpoints
        .handle(resource, &Request::new(Method::Get, path))
        .await
}

fn text(response: &Response) -> &str {
    std::str::from_utf8(response.body()).unwrap()
}

/// The page without its embedded style and script: what it shows.
fn shown(response: &Response) -> String {
    let html = text(response);
    // The page embeds each once, its data neither: what is left is all
    // that the response shows.
    let page = html
        .get(..15)
        .is_some_and(|h| h.eq_ignore_ascii_case("<!doctype html>"));
    let embedded = usize::from(page);
    assert_eq!(html.matches(assets::SCRIPT).count(), embedded, "{html}");
    assert_eq!(html.matches(assets::STYLE).count(), embedded, "{html}");
    html.replace(assets::SCRIPT, "").replace(assets::STYLE, "")
}

#[tokio::test]
async fn every_user_text_is_escaped() {
    // Names and tags are restricted by the core; messages and the
    // maintenance reason are free text.
    let evil = "<img src=x onerror=alert(1)>\"'&";
    let check = Check::new("db", move || async move {
        Err::<(), _>(std::io::Error::other(evil))
    });
    let registry = registry([check]);
    // Readiness runs no check in maintenance: a result first.
    registry.run(Probe::Readiness).await;
    registry.set_maintenance("<b>now</b>", Duration::from_secs(5));
    let endpoints = Endpoints::builder(registry)
        .disclosure(Disclosure::always())
        .build()
        .unwrap();
    let page = get(&endpoints, Resource::Ui, "/health/ui").await;
    let html = text(&page);
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"));
    assert!(html.contains("maintenance: &lt;b&gt;now&lt;/b&gt;"));
    // Exactly one script and one style element: the embedded ones.
    assert_eq!(html.matches("<script").count(), 1);
    assert_eq!(html.matches("<style").count(), 1);
    assert!(html.contains(&format!("<style>{}</style>", assets::STYLE)));
    assert!(html.contains(&format!("<script>{}</script>", assets::SCRIPT)));
    assert!(!html.contains(" style="));
}

#[tokio::test]
async fn an_allowed_caller_sees_each_check() {
    let registry = registry([
        Check::new("db", || async { false }).with_tags(["sql"]),
        Check::new("cache", || async {}).with_critical(false),
    ]);
    let endpoints = Endpoints::builder(registry.clone())
        .disclosure(Disclosure::always())
        .build()
        .unwrap();
    for _ in 0..3 {
        registry.run(Probe::Readiness).await;
    }
    let html = get(&endpoints, Resource::Ui, "/health/ui").await;
    let html = text(&html);
    assert!(html.contains("<span class=\"name\">db</span>"));
    assert!(html.contains("<span class=\"name\">cache</span>"));
    assert!(html.contains("<span aria-hidden=\"true\">✖</span> DOWN"));
    assert!(html.contains("DOWN since <time datetime=\"20"));
    assert!(html.contains("check returned false"));
    assert!(html.contains("<span class=\"crit\">critical</span>"));
    assert!(html.contains("non-critical"));
    assert!(html.contains("tags: sql"));
    // Three runs and the page's own: four results in the bar.
    assert!(html.contains("aria-label=\"Last 4 results, oldest first: 4 DOWN\" data-n=\"4\""));
    assert!(html.contains("version <b>1.2.3</b> · commit <b>abc1234</b>"));
    assert!(html.contains("data-src=\"./ui/data\""));
    assert!(html.contains("<title>✖ DOWN · health</title>"));

    let data = get(&endpoints, Resource::UiData, "/health/ui/data").await;
    let data: serde_json::Value = serde_json::from_slice(data.body()).unwrap();
    let checks = data["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 2);
    let db = checks.iter().find(|c| c["name"] == "db").unwrap();
    assert_eq!(db["status"], "DOWN");
    assert_eq!(db["samples"].as_array().unwrap().len(), 5);
    assert_eq!(db["samples"][0]["message"], "check returned false");
    assert!(db["uptime_hour"].is_number() || db["uptime_hour"].is_null());
    assert_eq!(data["probes"][0]["probe"], "readiness");
    assert_eq!(data["probes"][0]["status"], "DOWN");
    assert_eq!(data["service"]["version"], "1.2.3");
}

#[tokio::test]
async fn an_anonymous_caller_sees_only_the_probes() {
    let names = ["alpha-db", "bravo-cache", "charlie-queue"];
    let registry = registry(names.map(|n| Check::new(n, || async { false }).with_tags(["zulu"])));
    for disclosure in [
        Disclosure::never(),
        Disclosure::bearer("0123456789abcdef-token"),
    ] {
        let endpoints = Endpoints::builder(registry.clone())
            .disclosure(disclosure)
            .build()
            .unwrap();
        for (resource, path) in [
            (Resource::Ui, "/health/ui"),
            (Resource::UiData, "/health/ui/data"),
        ] {
            let response = get(&endpoints, resource, path).await;
            let body = &shown(&response);
            for secret in names
                .iter()
                .copied()
                .chain(["zulu", "check returned false", "crit"])
            {
                assert!(!body.contains(secret), "{path} shows {secret}: {body}");
            }
            // The probes' statuses only: nothing counts the checks.
            assert!(!body.contains("results"), "{body}");
            assert!(!body.contains("data-name"), "{body}");
        }
        let html = get(&endpoints, Resource::Ui, "/health/ui").await;
        assert!(text(&html).contains("<span class=\"pn\">readiness</span> <span class=\"st\"><span aria-hidden=\"true\">✖</span> DOWN</span>"));
        let data = get(&endpoints, Resource::UiData, "/health/ui/data").await;
        let data: serde_json::Value = serde_json::from_slice(data.body()).unwrap();
        assert!(data.get("checks").is_none());
        assert_eq!(data["probes"][0]["status"], "DOWN");
        // `/version` is public: so are version and commit here.
        assert_eq!(data["service"]["version"], "1.2.3");
    }
    // Without `/version`, an anonymous caller sees no version either.
    let endpoints = Endpoints::builder(registry)
        .paths(crate::Paths::default().version(None))
        .build()
        .unwrap();
    let html = get(&endpoints, Resource::Ui, "/health/ui").await;
    assert!(!text(&html).contains("1.2.3"));
    let data = get(&endpoints, Resource::UiData, "/health/ui/data").await;
    assert!(!text(&data).contains("1.2.3"));
}

/// A check in two probes runs once per page view: the three verdicts run
/// together, under single flight.
#[tokio::test]
async fn a_page_view_runs_a_check_once() {
    let runs = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = runs.clone();
    let check = Check::new("db", move || {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .with_probes(
        health_core::Probes::READINESS
            .with(Probe::Liveness)
            .with(Probe::Startup),
    );
    let endpoints = Endpoints::new(registry([check])).unwrap();
    get(&endpoints, Resource::Ui, "/health/ui").await;
    assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 1);
}

/// Under 64 KiB for 20 checks with full history (the default 60
/// results): the worst case, every check with long tags and name, the
/// longest message a body shows, and statuses alternating in the bars.
#[tokio::test]
async fn twenty_checks_fit_in_64_kib() {
    let registry = registry((0..20).map(|i| {
        let name = format!("check-number-{i:02}-with-a-long-name");
        let runs = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        Check::new(name, move || {
            let run = runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async move {
                match run % 2 {
                    0 => Err(std::io::Error::other("x".repeat(1000))),
                    _ => Ok(()),
                }
            }
        })
        .with_tags(["database", "external", "tier-one"])
        .with_critical(i % 3 != 0)
    }));
    let endpoints = Endpoints::builder(registry.clone())
        .disclosure(Disclosure::always())
        .build()
        .unwrap();
    for _ in 0..70 {
        registry.run(Probe::Readiness).await;
    }
    let page = get(&endpoints, Resource::Ui, "/health/ui").await;
    let size = page.body().len();
    assert_eq!(text(&page).matches("data-n=\"60\"").count(), 20);
    assert_eq!(
        text(&page)
            .matches(&format!("{}…<", "x".repeat(255)))
            .count(),
        20
    );
    assert!(size < 64 * 1024, "{size} bytes");
    println!("status page, 20 checks x 60 results: {size} bytes");
    if let Ok(path) = std::env::var("HEALTH_UI_DUMP") {
        std::fs::write(path, page.body()).unwrap();
    }
}

#[tokio::test]
async fn headers() {
    let endpoints = Endpoints::new(registry([Check::new("db", || async {})])).unwrap();
    let page = get(&endpoints, Resource::Ui, "/health/ui").await;
    assert_eq!(page.status(), 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert_eq!(
        page.header("content-security-policy"),
        Some(assets::PAGE_CSP.as_str())
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    let badge = get(&endpoints, Resource::Badge, "/health/badge.svg").await;
    assert_eq!(badge.header("content-type"), Some("image/svg+xml"));
    assert_eq!(
        badge.header("content-security-policy"),
        Some(assets::NONE_CSP)
    );
    let svg = text(&badge);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("<title>health: UP</title>"));
    assert!(!svg.contains("<script") && !svg.contains("<style") && !svg.contains("href"));
}

#[test]
fn badges_say_the_status_in_words() {
    for (status, word) in [
        (Status::Up, "UP"),
        (Status::Degraded, "DEGRADED"),
        (Status::Unknown, "UNKNOWN"),
        (Status::Down, "DOWN"),
        (Status::OutOfService, "OUT OF SERVICE"),
    ] {
        let svg = badge::render(status);
        assert!(svg.contains(&format!(">{word}</text>")), "{svg}");
        assert!(svg.contains(&format!("aria-label=\"health: {word}\"")));
    }
}

#[test]
fn the_data_href_is_relative_to_the_page() {
    let href = |paths: crate::Paths| Settings::new(&paths).data_href;
    assert_eq!(href(crate::Paths::default()), "./ui/data");
    assert_eq!(
        href(crate::Paths::default().prefix("/ops").ui(Some("/status"))),
        "./status/data"
    );
    assert_eq!(href(crate::Paths::default().ui(Some("/"))), "./data");
    assert_eq!(href(crate::Paths::default().ui(Some("/a:b"))), "./a:b/data");
}

#[test]
fn paths_of_the_family() {
    use crate::{Paths, Problem};
    let paths = Paths::default();
    assert_eq!(paths.ui_path().as_deref(), Some("/health/ui"));
    assert_eq!(paths.ui_data_path().as_deref(), Some("/health/ui/data"));
    assert_eq!(paths.badge_path().as_deref(), Some("/health/badge.svg"));
    let moved = Paths::default().prefix("ops/").ui(Some("status/"));
    assert_eq!(moved.ui_path().as_deref(), Some("/ops/status"));
    assert_eq!(moved.ui_data_path().as_deref(), Some("/ops/status/data"));
    assert_eq!(moved.badge_path().as_deref(), Some("/ops/badge.svg"));
    let off = Paths::default().ui(None);
    assert_eq!(
        (off.ui_path(), off.ui_data_path(), off.badge_path()),
        (None, None, None)
    );
    let badge_only = Paths::default().ui(None).badge(Some("/b.svg"));
    assert_eq!(badge_only.badge_path().as_deref(), Some("/b.svg"));

    // Sharing a path with another resource is a clash, whatever the checks.
    let problems = |paths: Paths| match Endpoints::builder(registry([])).paths(paths).build() {
        Ok(_) => Vec::new(),
        Err(e) => e.problems().to_vec(),
    };
    assert!(problems(Paths::default()).is_empty());
    let clash = problems(Paths::default().ui(Some("/ready")));
    assert!(
        matches!(&clash[..], [Problem::PathClash(m)] if m.contains("readiness and status page")),
        "{clash:?}"
    );
    let clash = problems(
        Paths::default()
            .ui(Some("/version"))
            .badge(Some("/version/data")),
    );
    assert_eq!(clash.len(), 2, "{clash:?}");
    // Beside the component route, only a check of that name clashes.
    assert!(problems(Paths::default().ui(Some("/health/status"))).is_empty());
}
