//! Query parameters: formats, selection, and malformed queries.

use crate::support::{
    Set, build, builder, component_names, db_and_optional_search, down, open, up,
};
use serde_json::json;

const IETF: &str = "application/health+json";
const TEXT: &str = "text/plain; charset=utf-8";

conformance! {
    /// `?format=ietf` and `Accept: application/health+json`: the IETF draft
    /// body, pass / warn / fail.
    async fn ietf_format(adapter) {
        let (db, search, registry) = db_and_optional_search();
        let server = adapter.spawn(registry).await;
        for (db_set, search_set, code, status) in [
            (Set::Up, Set::Up, 200, "pass"),
            (Set::Up, Set::Down, 200, "warn"),
            (Set::Down, Set::Up, 503, "fail"),
        ] {
            db.set(db_set);
            search.set(search_set);
            for (target, headers) in [
                ("/ready?format=ietf", &[][..]),
                ("/ready", &[("accept", IETF)][..]),
                ("/ready", &[("Accept", "text/html, application/health+json;q=0.9")][..]),
            ] {
                let r = server.request("GET", target, headers).await;
                assert_eq!(r.status, code, "{target} {headers:?}");
                assert_eq!(r.header("content-type"), Some(IETF), "{target} {headers:?}");
                assert_eq!(r.header("cache-control"), Some("no-store"));
                assert_eq!(r.json(), json!({ "status": status }), "{target} {headers:?}");
            }
        }
        // `?format=json` wins over the Accept header.
        let r = server.request("GET", "/ready?format=json", &[("accept", IETF)]).await;
        assert_eq!(r.header("content-type"), Some("application/json"));
    }

    /// The IETF body with details: a `checks` map of componentId, status,
    /// observed value (response time) and output.
    async fn ietf_format_with_details(adapter) {
        let server = adapter.spawn(open([up("db"), down("cache")])).await;
        let r = server.get("/ready?format=ietf&verbose").await;
        assert_eq!((r.status, r.header("content-type")), (503, Some(IETF)));
        let body = r.json();
        assert_eq!(body["status"], "fail");
        let db = &body["checks"]["db:responseTime"][0];
        assert_eq!((&db["componentId"], &db["status"]), (&json!("db"), &json!("pass")));
        assert_eq!(db["observedUnit"], "ms");
        assert!(db["observedValue"].is_number(), "{body}");
        assert!(db["time"].is_string(), "{body}");
        let cache = &body["checks"]["cache:responseTime"][0];
        assert_eq!((&cache["status"], &cache["output"]), (&json!("fail"), &json!("cache is down")));
    }

    /// `?format=text`: Kubernetes-style lines.
    async fn text_format(adapter) {
        let server = adapter.spawn(open([up("db"), down("cache")])).await;
        let r = server.get("/ready?format=text").await;
        assert_eq!((r.status, r.header("content-type")), (503, Some(TEXT)));
        assert_eq!(r.header("cache-control"), Some("no-store"));
        assert_eq!(r.text(), "[-]cache failed\n[+]db ok\nreadiness check failed\n");
        let r = server.get("/ready?format=text&verbose").await;
        assert_eq!(r.text(), "[-]cache failed: cache is down\n[+]db ok\nreadiness check failed\n");
        let r = server.get("/health?format=text").await;
        assert_eq!((r.status, r.text().as_str()), (200, "liveness check passed\n"));

        // Without details: only the verdict.
        let server = adapter.spawn(build(builder().check(up("db")).check(down("cache")))).await;
        let r = server.get("/ready?format=text&verbose").await;
        assert_eq!((r.status, r.text().as_str()), (503, "readiness check failed\n"));
    }

    /// A malformed query is a 400 with a JSON error that does not echo it.
    async fn malformed_queries_are_400(adapter) {
        let server = adapter.spawn(open([up("db")])).await;
        for target in [
            "/ready?format=xml",
            "/ready?format=",
            "/health?format=XML",
            "/health?format=json&format=text",
            "/version?format=xml",
            "/health/db?format=xml",
            "/ready?format=s3cret",
            "/ready?verbose=maybe",
            "/ready?verbose&verbose",
            "/ready?tag=a&tag=b",
            "/ready?tag=",
            "/ready?tag=%FF",
            "/ready?exclude=%00",
        ] {
            let r = server.get(target).await;
            assert_eq!(r.status, 400, "{target}");
            assert_eq!(r.header("content-type"), Some("application/json"), "{target}");
            assert_eq!(r.header("cache-control"), Some("no-store"), "{target}");
            let message = r.json()["error"].as_str().map(str::to_owned);
            let message = message.unwrap_or_else(|| panic!("{target}: {}", r.text()));
            assert!(!message.contains("xml") && !message.contains("s3cret"), "{target}: {message}");
        }
    }

    /// `?exclude=a,b` and `?tag=x` select the checks a probe runs.
    async fn exclude_and_tag_select_checks(adapter) {
        let registry = open([
            up("a").with_tags(["x"]),
            up("b").with_tags(["x", "y"]),
            down("c").with_tags(["y"]),
            up("d"),
        ]);
        let server = adapter.spawn(registry).await;
        for (target, code, names) in [
            ("/ready?verbose", 503, &["a", "b", "c", "d"][..]),
            ("/ready?verbose&exclude=c", 200, &["a", "b", "d"][..]),
            ("/ready?verbose&exclude=a,b", 503, &["c", "d"][..]),
            ("/ready?verbose&exclude=a&exclude=c,d", 200, &["b"][..]),
            ("/ready?verbose&tag=x", 200, &["a", "b"][..]),
            ("/ready?verbose&tag=y", 503, &["b", "c"][..]),
            ("/ready?verbose&tag=y&exclude=c", 200, &["b"][..]),
            ("/ready?tag=x", 200, &["a", "b"][..]),
        ] {
            let r = server.get(target).await;
            assert_eq!(r.status, code, "{target}: {}", r.text());
            assert_eq!(component_names(&r.json()), names, "{target}");
        }
        // A typo in a probe URL must not select nothing and answer UP forever.
        for target in [
            "/ready?tag=nope",
            "/ready?exclude=nope",
            "/ready?exclude=a,nope",
            "/ready?tag=%",
            "/ready?exclude=a,b,c,d",
            "/ready?tag=x&exclude=a,b",
        ] {
            let r = server.get(target).await;
            assert_eq!(r.status, 400, "{target}: {}", r.text());
            assert!(r.json()["error"].is_string(), "{target}");
        }
    }

    /// Unknown query parameters are ignored (cache-busters); the answer is
    /// the one without them.
    async fn unknown_query_parameters_are_ignored(adapter) {
        let server = adapter.spawn(open([up("db"), down("cache").with_probes(health::Probe::Startup)])).await;
        for (target, code) in [
            ("/health?_=1733", 200),
            ("/ready?_=1733&cb=%zz", 200),
            ("/ready?%00", 200),
            ("/startup?nope=1", 503),
            ("/ready?verbose&_=1", 200),
            ("/health/db?t=2", 200),
            ("/version?x", 200),
        ] {
            let r = server.get(target).await;
            let plain = server.get(target.split('?').next().unwrap_or(target)).await;
            assert_eq!(r.status, code, "{target}: {}", r.text());
            assert_eq!(r.json()["status"], plain.json()["status"], "{target}");
        }
    }

    /// A selection is checked against the probe asked: a tag of another
    /// probe's checks, or an `exclude` that leaves the probe empty, is a
    /// 400, never UP over nothing.
    async fn a_selection_never_leaves_the_probe_empty(adapter) {
        let hanging = health::Check::new("seed", std::future::pending::<()>)
            .with_probes(health::Probe::Startup)
            .with_timeout(std::time::Duration::from_millis(100));
        let server = adapter.spawn(open([up("db").with_tags(["external"]), hanging])).await;
        for target in [
            "/startup?tag=external",
            "/startup?exclude=seed",
            "/startup?exclude=db",
            "/health?exclude=db",
        ] {
            let r = server.get(target).await;
            assert_eq!(r.status, 400, "{target}: {}", r.text());
            assert!(r.json()["error"].is_string(), "{target}");
        }
        let r = server.get("/ready?tag=external").await;
        assert_eq!(r.status, 200, "{}", r.text());
        let r = server.get("/startup").await;
        assert_eq!(r.status, 503, "{}", r.text());
    }

    /// Under `never` and `bearer`, `exclude` and `tag` from a caller who
    /// may not see components get one answer, whatever they name: no
    /// oracle of which checks exist or fail.
    async fn anonymous_selections_are_refused_alike(adapter) {
        let registry = build(builder().check(up("db")).check(down("cache")));
        let server = adapter.spawn(crate::support::disclose(registry, health::http::Disclosure::bearer(crate::support::TOKEN))).await;
        let answers: Vec<(u16, String)> = {
            let mut answers = Vec::new();
            for target in [
                "/ready?exclude=cache",
                "/ready?exclude=no_such",
                "/ready?exclude=db",
                "/ready?tag=x",
                "/ready?tag=db&exclude=cache",
            ] {
                let r = server.get(target).await;
                answers.push((r.status, r.text()));
            }
            answers
        };
        assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
        assert_eq!(answers[0].0, 400);
        // The same selection with the token is answered.
        let r = server.request("GET", "/ready?exclude=cache", &crate::support::AUTHORIZED).await;
        assert_eq!(r.status, 200, "{}", r.text());
    }
}
